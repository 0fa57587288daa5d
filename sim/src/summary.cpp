// Summarising a finished run (summary.json, whose keys for settings are the scenario's) and
// checking the scenario's expectations.
#include "fosim/sim/summary.hpp"

#include <algorithm>
#include <array>

#include "fosim/core/load_balance.hpp"
#include "fosim/core/settings.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/wall_clock.hpp"

namespace fosim::sim {
namespace {

/// The version of summary.json's layout, its "format" key (docs/outputs.md lists the changes).
constexpr int summary_format = 2;

double seconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

/// A server's settings under their scenario keys, in the order of core's settings table: the
/// values it runs with, except mclt, split and hba, which are given as written (the secondary
/// learns the primary's).
nlohmann::ordered_json config_block(const core::EffectiveConfig& c,
                                    const core::PeerConfig& written) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const core::PeerSetting& s : core::peer_settings) {
    const std::string key(s.key);
    if (s.unit == core::Unit::host) {
      out[key] = (written.*(s.text)).value_or("");
    } else if (s.unit == core::Unit::bytes) {
      if (written.hba) out[key] = core::format_hex(*written.hba);
    } else if (s.effective != nullptr) {
      out[key] = *s.effective(c);
    } else if (s.number != nullptr && written.*(s.number)) {
      out[key] = *(written.*(s.number));
    }
  }
  return out;
}

/// The scenario's address pool: its range, size and the lease times it sets.
nlohmann::ordered_json pool_block(const PoolSpec& p) {
  nlohmann::ordered_json pool{{"range", {format_ip(p.first), format_ip(p.last)}},
                              {"addresses", p.last - p.first + 1}};
  for (const PoolField& f : pool_fields)
    if (const auto v = f.get(p)) pool[std::string(f.key)] = v->count();
  return pool;
}

/// Server `i`'s time in each state, with the process down as a state of its own; sets
/// "time_in_state_s" and, when it was down, "time_down_s" by what took it down.
void time_in_state(const RunStats& st, std::size_t i, nlohmann::ordered_json& o) {
  nlohmann::ordered_json time_in = nlohmann::ordered_json::object();
  for (const auto& [state, d] : st.time_in_state[i])
    if (state != core::State::unknown_state)
      time_in[std::string(core::to_string(state))] = seconds(d);
  Duration down{};
  nlohmann::ordered_json down_by = nlohmann::ordered_json::object();
  for (const auto& [why, d] : st.time_down[i]) {
    down += d;
    down_by[std::string(to_string(why))] = seconds(d);
  }
  if (down > Duration{}) time_in["down"] = seconds(down);
  o["time_in_state_s"] = time_in;
  if (down > Duration{}) o["time_down_s"] = down_by;
}

/// Server `i`'s moves between states, with how many an operator forced.
nlohmann::ordered_json transitions_block(const RunStats& st, std::size_t i) {
  nlohmann::ordered_json moves = nlohmann::ordered_json::array();
  for (const auto& [pair, n] : st.transitions[i]) {
    nlohmann::ordered_json m{
        {"from", core::to_string(pair.first)}, {"to", core::to_string(pair.second)}, {"count", n}};
    if (const auto f = st.operator_moves[i].find(pair); f != st.operator_moves[i].end())
      m["forced_by_operator"] = f->second;
    moves.push_back(m);
  }
  return moves;
}

/// A server's DHCP and update counters, and its leases by binding state at the end.
void counters(const Server& s, nlohmann::ordered_json& o) {
  const ServerStats& ss = s.stats();
  o["offers"] = ss.offers;
  o["acks"] = ss.acks;
  o["naks"] = ss.naks;
  o["grants"] = {{"new", ss.grants_new}, {"renew", ss.grants_renew}, {"rebind", ss.grants_rebind}};
  if (ss.grants_reboot != 0) o["grants"]["reboot"] = ss.grants_reboot;
  o["dropped_not_responding"] = ss.dropped_not_responding;
  o["peer_holds_all_free_leases"] = ss.peer_holds_all_free;
  o["no_free_leases"] = ss.no_free_leases;
  o["bndupd_sent"] = ss.bndupd_sent;
  o["bndupd_rejected"] = ss.bndupd_rejected;
  o["poolreq_sent"] = ss.poolreq_sent;
  const LeaseDb& db = s.leases();
  o["leases"] = {{"free", db.count(core::BindingState::free)},
                 {"backup", db.count(core::BindingState::backup)},
                 {"active", db.count(core::BindingState::active)},
                 {"expired", db.count(core::BindingState::expired)},
                 {"released", db.count(core::BindingState::released)},
                 {"abandoned", db.count(core::BindingState::abandoned)}};
}

/// Server `i`: who it is, how it ran, where it ended and what it did.
nlohmann::ordered_json server_block(const Simulator& sim, std::size_t i) {
  const Server& s = sim.server(i);
  nlohmann::ordered_json o;
  o["host"] = s.host();
  o["role"] = core::to_string(s.config().role);
  o["config"] = config_block(s.config(), sim.scenario().servers[i].config);
  o["final_state"] = core::to_string(s.view().state);
  o["partner_state"] = core::to_string(s.view().partner);
  time_in_state(sim.stats(), i, o);
  o["transitions"] = transitions_block(sim.stats(), i);
  counters(s, o);
  return o;
}

/// The lease times granted, and the first grant and first renewal.
void lease_times(const RunStats& st, nlohmann::ordered_json& j) {
  nlohmann::ordered_json lt = nlohmann::ordered_json::object();
  for (const auto& [secs, n] : st.lease_times) lt[std::to_string(secs)] = n;
  j["lease_times_s"] = lt;
  j["first_lease_time_s"] = st.first_lease_time
                                ? nlohmann::ordered_json(st.first_lease_time->count())
                                : nlohmann::ordered_json(nullptr);
  j["first_renewal_time_s"] = st.first_renewal_time
                                  ? nlohmann::ordered_json(st.first_renewal_time->count())
                                  : nlohmann::ordered_json(nullptr);
}

/// Every address two clients held at once, with who granted each.
nlohmann::ordered_json duplicates_block(const Simulator& sim) {
  nlohmann::ordered_json dups = nlohmann::ordered_json::array();
  for (const Duplicate& d : sim.stats().duplicates)
    dups.push_back({{"t_ms", d.at.time_since_epoch().count()},
                    {"ip", format_ip(d.ip)},
                    {"client", d.client},
                    {"server", sim.server(d.server).host()},
                    {"other_client", d.other_client},
                    {"other_server", sim.server(d.other_server).host()},
                    {"other_since_ms", d.other_granted.time_since_epoch().count()}});
  return dups;
}

/// The clients' figures next to the exchanges': who went without a valid lease and for how
/// long, whose address ran out, and the renewals refused while the lease held.
void impact_figures(const ClientImpact& im, nlohmann::ordered_json& clients) {
  Duration total{};
  for (const auto& [client, d] : im.without_lease) total += d;
  clients["without_lease"] = {
      {"clients", im.without_lease.size()},     {"periods", im.periods},
      {"lost_address", im.lost_address.size()}, {"worst_s", seconds(im.worst())},
      {"median_s", seconds(im.median())},       {"total_s", seconds(total)}};
  clients["renewals_refused"] = {{"clients", im.refused_clients.size()},
                                 {"nak", im.refused_nak},
                                 {"unanswered", im.refused_unanswered}};
}

/// The safety findings and the time to normal after the last heal.
void safety(const RunStats& st, nlohmann::ordered_json& j) {
  j["mclt_violations"] = st.mclt_violations;
  j["zero_leases"] = st.zero_leases;
  j["short_leases"] = st.short_leases;
  j["both_partner_down_while_connected"] = st.both_partner_down_connected;
  if (st.last_heal && st.normal_after_heal)
    j["time_to_normal_after_heal_s"] = seconds(*st.normal_after_heal - *st.last_heal);
  else
    j["time_to_normal_after_heal_s"] = nullptr;
}

/// Every recovery of the script, with the time from it to both servers in normal.
nlohmann::ordered_json recoveries_block(const Simulator& sim) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Recovery& r : sim.stats().recoveries) {
    nlohmann::ordered_json o{{"t_s", seconds(r.at.time_since_epoch())},
                             {"action", to_string(r.action)}};
    o["server"] =
        r.server < 0
            ? nlohmann::ordered_json(nullptr)
            : nlohmann::ordered_json(sim.server(static_cast<std::size_t>(r.server)).host());
    o["time_to_normal_s"] = r.normal ? nlohmann::ordered_json(seconds(*r.normal - r.at))
                                     : nlohmann::ordered_json(nullptr);
    out.push_back(o);
  }
  return out;
}

/// Each server's lease counts by binding state, sampled at a fixed interval.
nlohmann::ordered_json pool_series(const RunStats& st) {
  nlohmann::ordered_json series;
  series["interval_s"] = seconds(st.sample_interval);
  nlohmann::ordered_json times = nlohmann::ordered_json::array();
  for (const PoolSample& p : st.pool_samples) times.push_back(seconds(p.at.time_since_epoch()));
  series["t_s"] = times;
  nlohmann::ordered_json per_server = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < 2; ++i) {
    static constexpr std::array<const char*, 4> names{"free", "backup", "active", "expired"};
    nlohmann::ordered_json o;
    for (std::size_t k = 0; k < names.size(); ++k) {
      nlohmann::ordered_json v = nlohmann::ordered_json::array();
      for (const PoolSample& p : st.pool_samples) v.push_back(p.counts[i][k]);
      o[names[k]] = v;
    }
    per_server.push_back(o);
  }
  series["servers"] = per_server;
  return series;
}

}  // namespace

core::State state_at(const Simulator& sim, std::size_t server, core::Instant at) {
  core::State s = core::State::unknown_state;
  for (const auto& [when, who, to] : sim.stats().state_log) {
    if (when > at) break;
    if (who == server) s = to;
  }
  return s;
}

double availability(const RunStats& stats) {
  if (stats.attempts == 0) return 1.0;
  return static_cast<double>(stats.answered) / static_cast<double>(stats.attempts);
}

nlohmann::ordered_json summarize(const Simulator& sim, std::uint64_t seed) {
  const RunStats& st = sim.stats();
  const Scenario& sc = sim.scenario();
  nlohmann::ordered_json j;
  j["format"] = summary_format;
  j["scenario"] = sc.name;
  j["description"] = sc.description;
  j["relationship"] = sc.relationship;
  j["seed"] = seed;
  // Named only when the run departs from ISC's rules, the default.
  if (sc.profile != core::ProfileId::isc_4_4) j["profile"] = core::to_string(sc.profile);
  j["duration_s"] = seconds(sc.duration);
  if (sc.start_utc_ms) j["start"] = format_iso(*sc.start_utc_ms);
  j["pool"] = pool_block(sc.pool);
  if (!sc.more_pools.empty()) j["pools"] = pools_block(sim);
  j["simulated_s"] = seconds(sim.now().time_since_epoch());
  j["events"] = st.events;
  nlohmann::ordered_json servers = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < 2; ++i) servers.push_back(server_block(sim, i));
  j["servers"] = servers;
  j["clients"] = {{"attempts", st.attempts},
                  {"answered", st.answered},
                  {"unanswered", st.unanswered},
                  {"availability", availability(st)}};
  impact_figures(st.impact, j["clients"]);
  lease_times(st, j);
  j["duplicates"] = duplicates_block(sim);
  safety(st, j);
  j["recoveries"] = recoveries_block(sim);
  j["pool_series"] = pool_series(st);
  return j;
}

std::vector<ExpectationResult> check_expectations(const Simulator& sim) {
  const Expectations& ex = sim.scenario().expect;
  const RunStats& st = sim.stats();
  std::vector<ExpectationResult> out;
  for (const StateExpectation& se : ex.states) {
    if (se.at > sim.now()) continue;  // the run was stopped before (fosim run --until)
    const core::State seen = state_at(sim, se.server, se.at);
    out.push_back({"state of " + sim.server(se.server).host() + " at " + format_time(se.at) +
                       " is " + std::string(core::to_string(se.state)),
                   seen == se.state, std::string(core::to_string(seen))});
  }
  if (ex.no_duplicates && *ex.no_duplicates)
    out.push_back({"no duplicate addresses", st.duplicates.empty(),
                   std::to_string(st.duplicates.size()) + " duplicates"});
  if (ex.min_duplicates)
    out.push_back({"at least " + std::to_string(*ex.min_duplicates) + " duplicate addresses",
                   st.duplicates.size() >= *ex.min_duplicates,
                   std::to_string(st.duplicates.size()) + " duplicates"});
  if (ex.no_mclt_violations && *ex.no_mclt_violations)
    out.push_back({"no lease past the partner's acknowledgement plus the MCLT",
                   st.mclt_violations == 0,
                   std::to_string(st.mclt_violations) + " MCLT violations"});
  if (ex.min_availability) {
    const double a = availability(st);
    out.push_back({"availability >= " + std::to_string(*ex.min_availability),
                   a >= *ex.min_availability, std::to_string(a)});
  }
  if (ex.max_time_to_normal) {
    const bool ok = st.last_heal && st.normal_after_heal &&
                    *st.normal_after_heal - *st.last_heal <= *ex.max_time_to_normal;
    out.push_back({"both normal within " + std::to_string(ex.max_time_to_normal->count() / 1000) +
                       " s of the last heal",
                   ok,
                   st.normal_after_heal && st.last_heal
                       ? std::to_string(seconds(*st.normal_after_heal - *st.last_heal)) + " s"
                       : std::string("not both normal after the heal")});
  }
  auto lease_check = [&](const char* what, const std::optional<core::Seconds>& want,
                         const std::optional<core::Seconds>& got) {
    if (!want) return;
    out.push_back({std::string(what) + " is " + std::to_string(want->count()) + " s",
                   got && *got == *want,
                   got ? std::to_string(got->count()) + " s" : std::string("none")});
  };
  lease_check("first lease time", ex.first_lease_time, st.first_lease_time);
  lease_check("first renewal lease time", ex.renewal_lease_time, st.first_renewal_time);
  if (ex.max_lease_time_granted)
    out.push_back(
        {"no grant longer than " + std::to_string(ex.max_lease_time_granted->count()) + " s",
         !st.max_lease_time || *st.max_lease_time <= *ex.max_lease_time_granted,
         st.max_lease_time ? std::to_string(st.max_lease_time->count()) + " s"
                           : std::string("none")});
  return out;
}

}  // namespace fosim::sim
