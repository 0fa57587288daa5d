// The settings a what-if run (`fosim replay --what-if`, `fosim sweep --vary`) changes: any
// tunable row of core's settings table, on both servers or one, or a pool setting; or a number
// of run_settings.hpp: the run's ("duration", "link.latency"), or the client groups' ("clients.
// count" for every group, "clients.1.count" for one). The latter are read as the scenario
// reader reads them, so their errors are the reader's and name the same range.
#include "fosim/formats/what_if.hpp"

#include <algorithm>
#include <cctype>

#include "fosim/core/settings.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim {
namespace {

/// A what-if key resolved against the table and the scenario.
struct Target {
  std::string key;
  std::vector<std::size_t> servers{0, 1};  ///< the servers a "primary." / "HOST." prefix picks
  const core::PeerSetting* peer = nullptr;
  std::size_t pool = core::pool_settings.size();    ///< index into the pool tables, or size()
  const RunSetting<Scenario>* run = nullptr;        ///< a setting of the run
  const RunSetting<ClientGroup>* client = nullptr;  ///< a setting of client groups
  std::vector<std::size_t> groups;                  ///< the groups a "clients.N." prefix picks
};

/// Resolves "clients.KEY" (every group) or "clients.N.KEY" (group N).
std::optional<Target> resolve_client(const Scenario& sc, std::string_view name,
                                     std::string& error) {
  Target t;
  t.key = std::string(name);
  std::string_view rest = name.substr(std::string_view("clients.").size());
  const std::size_t digits = rest.find_first_not_of("0123456789");
  if (digits != 0 && digits != std::string_view::npos && rest[digits] == '.') {
    const std::string index(rest.substr(0, digits));
    if (index.size() > 9 || std::stoul(index) >= sc.clients.size()) {
      error =
          "no client group " + index + "; the scenario has " + std::to_string(sc.clients.size());
      return std::nullopt;
    }
    t.groups = {std::stoul(index)};
    rest.remove_prefix(digits + 1);
  } else {
    for (std::size_t g = 0; g < sc.clients.size(); ++g) t.groups.push_back(g);
  }
  t.client = find_run_setting(client_settings, rest);
  if (t.client == nullptr || !tunable(t.client->rule) || t.client->key == "pool") {
    error = "unknown setting '" + t.key + "'; valid: " + what_if_keys();
    return std::nullopt;
  }
  if (t.groups.empty()) {
    error = t.key + ": the scenario has no client groups";
    return std::nullopt;
  }
  return t;
}

std::optional<Target> resolve(const Scenario& sc, std::string_view name, std::string& error) {
  if (const auto* run = find_run_setting(run_settings, name); run && tunable(run->rule)) {
    Target t;
    t.key = std::string(name);
    t.run = run;
    return t;
  }
  if (name.starts_with("clients.")) return resolve_client(sc, name, error);
  Target t;
  t.key = std::string(name);
  if (const std::size_t dot = t.key.find('.'); dot != std::string::npos) {
    const std::string who = t.key.substr(0, dot);
    t.key = t.key.substr(dot + 1);
    if (who == "primary" || who == sc.servers[0].host) {
      t.servers = {0};
    } else if (who == "secondary" || who == sc.servers[1].host) {
      t.servers = {1};
    } else {
      error = "no server '" + who + "'; valid: primary, secondary, " + sc.servers[0].host + ", " +
              sc.servers[1].host;
      return std::nullopt;
    }
  }
  t.peer = core::find_peer_setting(t.key);
  if (t.peer != nullptr && !core::tunable(*t.peer)) t.peer = nullptr;
  if (const core::PoolSetting* p = core::find_pool_setting(t.key))
    t.pool = static_cast<std::size_t>(p - core::pool_settings.data());
  if (t.peer == nullptr && t.pool == core::pool_settings.size()) {
    error = "unknown setting '" + t.key + "'; valid: " + what_if_keys();
    return std::nullopt;
  }
  return t;
}

/// Parses the value of `t` as its unit wants it: whole seconds (or a duration), or a count.
std::optional<std::int64_t> value_of(const Target& t, const std::string& value,
                                     std::string& error) {
  const core::Unit unit = t.peer != nullptr ? t.peer->unit : core::pool_settings[t.pool].unit;
  const std::int64_t min = t.peer != nullptr ? t.peer->min : core::pool_settings[t.pool].min;
  const std::string what = t.key + "=" + value;
  if (unit != core::Unit::seconds) {
    if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), ::isdigit)) {
      error = what + ": expected a whole number";
      return std::nullopt;
    }
    return std::stoll(value);
  }
  const auto d = parse_duration(value);
  if (!d || d->count() % 1000 != 0)
    error = what + ": expected whole seconds or a duration such as 10m";
  else if (d->count() / 1000 > 4294967295LL)
    error = what + ": at most 4294967295 seconds";
  else if (d->count() / 1000 < min)
    error =
        what + ": must be at least " + std::to_string(min) + (min == 1 ? " second" : " seconds");
  else
    return d->count() / 1000;
  return std::nullopt;
}

/// Parses the value of a run or client setting as a scenario file would give it: a whole number
/// as a number (seconds, for times), anything else as text ("10m").
std::optional<std::int64_t> rule_value(const std::string& key, const ValueRule& rule,
                                       const std::string& value, std::string& error) {
  const bool whole =
      !value.empty() && value.size() <= 12 &&
      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  detail::Reader r("", "what-if");
  const auto v =
      r.value(whole ? detail::Json(std::stoll(value)) : detail::Json(value), "", rule, key);
  if (r.errors.empty() && v) return v;
  if (!r.errors.empty())
    error = key + "=" + value + ": " + r.errors[0].message + " (valid: " + r.errors[0].valid + ")";
  return std::nullopt;
}

/// What the scenario reader checks across sections that a new run or client value can break.
std::optional<std::string> cross_check(const Scenario& sc, const Target& t,
                                       const std::string& what) {
  for (std::size_t g : t.groups)
    if (sc.clients[g].macs.size() > sc.clients[g].count)
      return what + ": client group " + std::to_string(g) +
             " has more MACs than clients (valid: at most count MACs)";
  for (std::size_t k = 0; k < sc.expect.states.size(); ++k)
    if (sc.expect.states[k].at > Instant{sc.duration})
      return what + ": /expect/states/" + std::to_string(k) +
             " is after the end of the run (valid: a time within duration)";
  return std::nullopt;
}

/// Applies the value `value` of a run or client setting.
std::optional<std::string> apply_rule(Scenario& sc, const Target& t, const std::string& value) {
  std::string error;
  const ValueRule& rule = t.run != nullptr ? t.run->rule : t.client->rule;
  const std::optional<std::int64_t> n = rule_value(t.key, rule, value, error);
  if (!n) return error;
  if (t.run != nullptr) t.run->set(sc, *n);
  for (std::size_t g : t.groups) t.client->set(sc.clients[g], *n);
  return cross_check(sc, t, t.key + "=" + value);
}

}  // namespace

std::string what_if_keys() {
  std::string out;
  for (const core::PeerSetting& s : core::peer_settings)
    if (core::tunable(s)) out += (out.empty() ? "" : ", ") + std::string(s.key);
  for (const core::PoolSetting& s : core::pool_settings) out += ", " + std::string(s.key);
  for (const RunSetting<ClientGroup>& s : client_settings)
    if (tunable(s.rule) && s.key != "pool") out += ", clients." + std::string(s.key);
  for (const RunSetting<Scenario>& s : run_settings)
    if (tunable(s.rule)) out += ", " + std::string(s.key);
  return out;
}

std::optional<std::vector<std::optional<std::int64_t>>> setting_values(const Scenario& sc,
                                                                       std::string_view key,
                                                                       std::string& error) {
  const std::optional<Target> t = resolve(sc, key, error);
  if (!t) return std::nullopt;
  std::vector<std::optional<std::int64_t>> out;
  if (t->run != nullptr) return std::vector{t->run->get(sc)};
  for (std::size_t g : t->groups) out.push_back(t->client->get(sc.clients[g]));
  if (t->client != nullptr) return out;
  if (t->peer == nullptr) {
    const auto v = pool_fields[t->pool].get(sc.pool);
    out.push_back(v ? std::optional<std::int64_t>(v->count()) : std::nullopt);
    return out;
  }
  for (std::size_t i : t->servers)
    if (t->peer->holder == core::Holder::each || i == 0)
      out.push_back(sc.servers[i].config.*(t->peer->number));
  return out;
}

std::optional<std::string> apply_what_if(Scenario& sc, std::string_view assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == assignment.size())
    return "'" + std::string(assignment) + "' is not KEY=VALUE (e.g. mclt=600)";
  std::string error;
  const std::optional<Target> t = resolve(sc, assignment.substr(0, eq), error);
  if (!t) return error;
  const std::string value(assignment.substr(eq + 1));
  if (t->run != nullptr || t->client != nullptr) return apply_rule(sc, *t, value);
  const std::optional<std::int64_t> n = value_of(*t, value, error);
  if (!n) return error;
  if (t->peer == nullptr) {
    pool_fields[t->pool].set(sc.pool, core::Seconds{*n});  // every pool's
    for (PoolSpec& p : sc.more_pools) pool_fields[t->pool].set(p, core::Seconds{*n});
    return std::nullopt;
  }
  const bool primary_only = t->peer->holder == core::Holder::primary;
  for (std::size_t i : t->servers) {
    if (primary_only && i == 1) continue;  // ISC takes these from the primary only
    core::PeerConfig& c = sc.servers[i].config;
    c.*(t->peer->number) = *n;
    if (t->peer->unit == core::Unit::buckets) c.hba.reset();  // a split replaces the hba
    for (const core::Problem& p : core::validate(c))
      if (p.severity == core::Severity::error && p.field != "name")
        return t->key + "=" + value + ": " + p.message +
               (p.valid.empty() ? "" : " (valid: " + p.valid + ")");
  }
  if (primary_only && t->servers.size() == 1 && t->servers[0] == 1)
    return t->key + " is the primary's setting (ISC ignores the secondary's)";
  return std::nullopt;
}

}  // namespace fosim::sim
