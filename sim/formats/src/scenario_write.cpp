// Writing a scenario back out as a scenario file (the format parse_scenario reads). A server's
// settings and the pool's lease times are written in the order of core's settings table, the
// run's and each client group's in the order of run_settings.hpp.
#include <nlohmann/json.hpp>
#include <type_traits>

#include "fosim/core/load_balance.hpp"
#include "fosim/core/settings.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/run_settings.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::sim {
namespace {

using Json = nlohmann::ordered_json;

/// A duration as seconds: a whole number when it is one, else with its milliseconds.
Json seconds(Duration d) {
  if (d.count() % 1000 == 0) return d.count() / 1000;
  return static_cast<double>(d.count()) / 1000.0;
}

/// One `failover peer` setting of `c`, as a scenario file writes it; null when not set.
Json setting(const core::PeerSetting& s, const core::PeerConfig& c) {
  switch (s.unit) {
    case core::Unit::role:
      return c.role.value_or(core::Role::primary) == core::Role::primary ? "primary" : "secondary";
    case core::Unit::host:
      return c.*(s.text) ? Json(*(c.*(s.text))) : Json();
    case core::Unit::bytes:
      return c.hba ? Json(core::format_hex(*c.hba)) : Json();
    default:
      return c.*(s.number) ? Json(*(c.*(s.number))) : Json();
  }
}

/// A value of a row of run_settings.hpp, as a scenario file writes it.
Json written(const ValueRule& rule, std::int64_t v) {
  switch (rule.kind) {
    case Kind::duration:
      return seconds(Duration{v});
    case Kind::flag:
      return v != 0;
    case Kind::choice:
      return std::string(rule.names[static_cast<std::size_t>(v)]);
    case Kind::fraction:
      return static_cast<double>(v) / 1e6;
    case Kind::utc_time: {
      std::string text = format_iso(v);  // whole seconds without ".000"
      if (v % 1000 == 0) text = text.substr(0, 19) + "Z";
      return text;
    }
    case Kind::day_window:
      return format_day_window(unpack_day_window(v));
    default:
      return v;
  }
}

/// Writes the rows of `table` that `from` holds into `j`, in table order; a client group's MACs
/// at their row.
template <class T, std::size_t N>
void write_rows(const std::array<RunSetting<T>, N>& table, const T& from, Json& j) {
  for (const RunSetting<T>& s : table) {
    if constexpr (std::is_same_v<T, ClientGroup>)
      if (s.rule.kind == Kind::macs && !from.macs.empty()) j[std::string(s.key)] = from.macs;
    if constexpr (std::is_same_v<T, Scenario>)
      if (s.key == "link.syn_schedule" && from.syn_schedule == SynSchedule::list) {
        Json waits = Json::array();
        for (const Duration d : from.syn_waits) waits.push_back(seconds(d));
        j["link"]["syn_schedule"] = waits;
      }
    if (s.get == nullptr) continue;
    const std::optional<std::int64_t> v = s.get(from);
    if (!v || (s.write == Write::unless_default && v == s.fallback)) continue;
    const std::string head(key_head(s.key)), tail(key_tail(s.key));
    (tail.empty() ? j[head] : j[head][tail]) = written(s.rule, *v);
  }
}

Json server(const ServerSpec& s) {
  Json j;
  j["host"] = s.host;
  for (const core::PeerSetting& row : core::peer_settings)
    if (Json v = setting(row, s.config); !v.is_null()) j[std::string(row.key)] = std::move(v);
  if (s.clock_offset.count() != 0) {
    j["clock_offset"] = s.clock_offset.count() < 0
                            ? Json("-" + std::to_string(-s.clock_offset.count()) + "ms")
                            : seconds(s.clock_offset);
  }
  if (s.start_at.count() != 0) j["start_at"] = seconds(s.start_at);
  if (s.clock_phase) j["clock_phase_ms"] = s.clock_phase->count();
  if (s.reply_latency) j["reply_latency"] = seconds(*s.reply_latency);
  if (!s.leases.empty()) j["leases"] = s.leases;
  return j;
}

/// The name of a process action that takes only `server`.
const char* process_action_name(ActionType t) {
  return t == ActionType::kill     ? "kill"
         : t == ActionType::freeze ? "freeze"
         : t == ActionType::thaw   ? "thaw"
                                   : "crash";
}

Json action(const Scenario& sc, const ScriptAction& a) {
  Json j;
  j["at"] = seconds(a.at.time_since_epoch());
  const std::string& host = sc.servers[a.server].host;
  switch (a.type) {
    case ActionType::partition:
    case ActionType::heal:
      j["action"] = a.type == ActionType::partition ? "partition" : "heal";
      if (a.direction != Direction::both)
        j["direction"] = a.direction == Direction::primary_to_secondary ? "primary_to_secondary"
                                                                        : "secondary_to_primary";
      break;
    case ActionType::stop:
      j["action"] = "stop", j["server"] = host;
      if (!a.omapi_connected) j["omapi_connected"] = false;
      break;
    case ActionType::crash:
    case ActionType::kill:
    case ActionType::freeze:
    case ActionType::thaw:
      j["action"] = process_action_name(a.type), j["server"] = host;
      break;
    case ActionType::start:
      j["action"] = "start", j["server"] = host;
      if (!a.keep_storage) j["storage"] = "lost";
      break;
    case ActionType::restart:
      j["action"] = "restart", j["server"] = host;
      if (!a.keep_storage) j["storage"] = "lost";
      if (a.graceful) j["graceful"] = true;
      if (a.graceful && !a.omapi_connected) j["omapi_connected"] = false;
      break;
    case ActionType::set_state:
      j["action"] = "set-state", j["server"] = host, j["state"] = core::to_string(a.state);
      break;
    case ActionType::clock_skew:
      j["action"] = "clock-skew", j["server"] = host;
      j["offset"] = a.offset.count() < 0 ? Json("-" + std::to_string(-a.offset.count()) + "ms")
                                         : seconds(a.offset);
      break;
    case ActionType::client:
      j["action"] = "client", j["mac"] = a.mac;
      j["send"] = client_send_names[static_cast<std::size_t>(a.send)];
      if (a.secs != 0) j["secs"] = a.secs;
      break;
    case ActionType::clients:
      j["action"] = "clients", j["count"] = a.add_clients;
      if (a.window.count() != 0) j["window"] = seconds(a.window);
      break;
  }
  return j;
}

}  // namespace

/// A pool as the scenario writes it: `range` (or `ranges`), `subnet`, its lease times.
static Json pool_json(const PoolSpec& p) {
  Json pool;
  if (p.more_ranges.empty()) {
    pool["range"] = {format_ip(p.first), format_ip(p.last)};
  } else {
    Json ranges = Json::array({Json::array({format_ip(p.first), format_ip(p.last)})});
    for (const AddressRange& a : p.more_ranges)
      ranges.push_back({format_ip(a.first), format_ip(a.last)});
    pool["ranges"] = ranges;
  }
  if (p.subnet)
    pool["subnet"] = format_ip(p.subnet->network) + "/" + std::to_string(p.subnet->prefix);
  for (const PoolField& f : pool_fields)
    if (const auto v = f.get(p)) pool[std::string(f.key)] = v->count();
  return pool;
}

std::string write_scenario(const Scenario& sc) {
  Json j;
  j["name"] = sc.name;
  if (!sc.description.empty()) j["description"] = sc.description;
  j["relationship"] = sc.relationship;
  j["seed"] = sc.seed;
  if (sc.profile != core::ProfileId::isc_4_4) j["profile"] = core::to_string(sc.profile);
  write_rows(run_settings, sc, j);
  j["servers"] = {server(sc.servers[0]), server(sc.servers[1])};
  if (sc.more_pools.empty() && sc.pool.more_ranges.empty()) {
    PoolSpec one = sc.pool;
    one.subnet.reset();  // one pool serves every client: `pool` has no subnet
    j["pool"] = pool_json(one);
  } else {
    Json pools = Json::array();
    for (const PoolSpec& p : all_pools(sc)) pools.push_back(pool_json(p));
    j["pools"] = pools;
  }
  Json clients = Json::array();
  for (const ClientGroup& g : sc.clients) {
    Json c;
    write_rows(client_settings, g, c);
    clients.push_back(c);
  }
  j["clients"] = clients;
  Json script = Json::array();
  for (const ScriptAction& a : sc.script) script.push_back(action(sc, a));
  j["script"] = script;
  const Expectations& ex = sc.expect;
  Json expect = Json::object();
  if (!ex.states.empty()) {
    Json states = Json::array();
    for (const StateExpectation& s : ex.states)
      states.push_back({{"at", seconds(s.at.time_since_epoch())},
                        {"server", sc.servers[s.server].host},
                        {"state", core::to_string(s.state)}});
    expect["states"] = states;
  }
  if (ex.no_duplicates) expect["no_duplicates"] = *ex.no_duplicates;
  if (ex.min_duplicates) expect["min_duplicates"] = *ex.min_duplicates;
  if (ex.no_mclt_violations) expect["no_mclt_violations"] = *ex.no_mclt_violations;
  if (ex.min_availability) expect["min_availability"] = *ex.min_availability;
  if (ex.max_time_to_normal) expect["max_time_to_normal"] = seconds(*ex.max_time_to_normal);
  if (ex.first_lease_time) expect["first_lease_time"] = ex.first_lease_time->count();
  if (ex.renewal_lease_time) expect["renewal_lease_time"] = ex.renewal_lease_time->count();
  if (ex.max_lease_time_granted)
    expect["max_lease_time_granted"] = ex.max_lease_time_granted->count();
  if (!expect.empty()) j["expect"] = expect;
  if (!sc.acceptable.empty()) {
    Json acceptable = Json::array();
    for (const Invariant i : sc.acceptable) acceptable.push_back(to_string(i));
    j["acceptable"] = acceptable;
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string write_servers(const std::string& relationship, const ServerSpec (&servers)[2]) {
  Json j;
  j["relationship"] = relationship;
  j["servers"] = {server(servers[0]), server(servers[1])};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace fosim::sim
