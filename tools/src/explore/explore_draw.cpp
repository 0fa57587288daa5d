// Drawing the scenarios of `fosim explore`: settings within the ranges given, and a fault script
// whose every fault is undone within the safety phase.
#include <algorithm>
#include <array>
#include <stdexcept>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/tools/explore.hpp"

namespace fosim::tools {
namespace {

using core::Duration;
using core::Instant;
using sim::ActionType;
using sim::ScriptAction;

constexpr Duration second{1000};
constexpr Duration stop_takes{60000};  ///< the shortest stop fault: the shutdown ends in it

/// Whether the base scenario's action `a` stays in every draw (it is no fault and no operator
/// action: the clients and the clocks).
bool kept(const ScriptAction& a) {
  return a.type == ActionType::clients || a.type == ActionType::client ||
         a.type == ActionType::clock_skew;
}

/// A span of time one fault holds a resource (the link, or one server).
struct Hold {
  std::size_t resource = 0;  ///< 0 the link, 1 the primary, 2 the secondary
  Instant from{}, to{};
};

/// The setting's value as the primary holds it, in seconds; `fallback` when unset or 0.
std::int64_t primary_seconds(const sim::Scenario& sc,
                             std::optional<std::int64_t> core::PeerConfig::*f,
                             std::int64_t fallback) {
  const auto v = sc.servers[0].config.*f;
  return v && *v > 0 ? *v : fallback;
}

/// A fault's length: short (up to twice max-response-delay), medium (up to the MCLT) or long
/// (up to three MCLTs), each as likely, and no longer than `room`.
Duration fault_length(sim::Rng& rng, const sim::Scenario& sc, Duration room) {
  const std::int64_t mrd = primary_seconds(sc, &core::PeerConfig::max_response_delay_s, 20);
  const std::int64_t mclt = primary_seconds(sc, &core::PeerConfig::mclt_s, 3600);
  const std::int64_t bounds[4] = {1, 2 * mrd, std::max(2 * mrd, mclt), std::max(2 * mrd, 3 * mclt)};
  const std::uint64_t scale = rng.below(3);
  const std::int64_t hi = std::min(bounds[scale + 1], room.count() / 1000);
  const std::int64_t lo = std::min(bounds[scale], hi);
  return Duration{rng.between(lo, hi) * 1000};
}

/// The actions of one fault of `kind` at `at` lasting `length` (a restart is one action).
std::vector<ScriptAction> fault_actions(sim::Rng& rng, const ExploreSpec& spec, FaultKind kind,
                                        std::size_t server, Instant at, Duration length) {
  ScriptAction begin, end;
  begin.at = at;
  end.at = at + length;
  begin.server = end.server = server;
  const bool lost = rng.chance(spec.lost_storage_percent, 100);
  end.keep_storage = !lost;
  end.type = ActionType::start;
  switch (kind) {
    case FaultKind::partition: {
      const std::uint64_t way = rng.below(4);  // both ways half the time, else one way
      begin.direction = end.direction = way < 2    ? sim::Direction::both
                                        : way == 2 ? sim::Direction::primary_to_secondary
                                                   : sim::Direction::secondary_to_primary;
      begin.type = ActionType::partition;
      end.type = ActionType::heal;
      break;
    }
    case FaultKind::crash:
      begin.type = ActionType::crash;
      break;
    case FaultKind::kill:
      begin.type = ActionType::kill;
      break;
    case FaultKind::stop:
      begin.type = ActionType::stop;
      break;
    case FaultKind::freeze:
      begin.type = ActionType::freeze;
      end.type = ActionType::thaw;
      break;
    case FaultKind::restart:
      begin.type = ActionType::restart;
      begin.graceful = rng.chance(1, 2);
      begin.keep_storage = !lost;
      return {begin};
  }
  return {begin, end};
}

/// Draws up to spec.max_faults faults into `sc`'s script; returns the last recovery's time.
Instant draw_faults(sim::Rng& rng, const ExploreSpec& spec, sim::Scenario& sc) {
  Instant first{std::max(sc.servers[0].start_at, sc.servers[1].start_at) + second};
  Instant last_recovery = first - second;
  const Instant end{spec.safety};
  if (spec.kinds.empty() || first + second >= end) return last_recovery;
  const std::size_t count = static_cast<std::size_t>(
      rng.between(spec.max_faults == 0 ? 0 : 1, static_cast<std::int64_t>(spec.max_faults)));
  std::vector<Hold> holds;
  for (std::size_t f = 0; f < count; ++f) {
    const FaultKind kind = spec.kinds[rng.below(spec.kinds.size())];
    const std::size_t server = rng.below(2);
    const std::size_t resource = kind == FaultKind::partition ? 0 : server + 1;
    for (int attempt = 0; attempt < 10; ++attempt) {
      // Whole seconds, so that the scenario file reads as it was drawn.
      const Instant at{Duration{rng.between(first.time_since_epoch().count() / 1000,
                                            (end - second).time_since_epoch().count() / 1000) *
                                1000}};
      Duration length = kind == FaultKind::restart ? Duration{} : fault_length(rng, sc, end - at);
      // A start while a controlled shutdown is still running (ISC takes some 11 to 20 s) would
      // find the process up and do nothing: the server would stay down.
      if (kind == FaultKind::stop) {
        if (end - at < stop_takes) continue;
        length = std::max(length, stop_takes);
      }
      const Hold h{resource, at, at + length + second};
      const bool clash = std::any_of(holds.begin(), holds.end(), [&](const Hold& o) {
        return o.resource == h.resource && o.from < h.to && h.from < o.to;
      });
      if (clash) continue;
      holds.push_back(h);
      for (ScriptAction& a : fault_actions(rng, spec, kind, server, at, length)) {
        last_recovery = std::max(last_recovery, a.at);
        sc.script.push_back(a);
      }
      break;
    }
  }
  std::stable_sort(sc.script.begin(), sc.script.end(),
                   [](const ScriptAction& a, const ScriptAction& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < sc.script.size(); ++k) sc.script[k].line = k;
  return last_recovery;
}

}  // namespace

sim::Scenario prepare_base(const sim::Scenario& sc) {
  sim::Scenario out = sc;
  out.script.clear();
  for (const ScriptAction& a : sc.script)
    if (kept(a)) out.script.push_back(a);
  out.expect = {};
  for (sim::ServerSpec& s : out.servers) s.config.auto_partner_down_s = 0;
  return out;
}

std::vector<TimerMark> timer_marks(const sim::Scenario& sc) {
  const core::Seconds lease = sc.pool.default_lease_time;
  const std::array<TimerMark, 5> all{{
      {"max-response-delay",
       core::Seconds{primary_seconds(sc, &core::PeerConfig::max_response_delay_s, 20)}},
      {"mclt", core::Seconds{primary_seconds(sc, &core::PeerConfig::mclt_s, 0)}},
      {"renewal (T1)", lease / 2},
      {"rebinding (T2)", lease * 7 / 8},
      {"lease", lease},
  }};
  std::vector<TimerMark> out;
  for (const TimerMark& m : all)
    if (m.length.count() > 0) out.push_back(m);
  return out;
}

std::uint64_t draw_seed(std::uint64_t seed, std::size_t index) {
  // SplitMix64 of the seed and the index: neighbouring draws get unrelated seeds.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(index) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

ExploreDraw draw_scenario(const ExploreSpec& spec, std::size_t index) {
  ExploreDraw d;
  d.index = index;
  d.seed = draw_seed(spec.seed, index);
  sim::Rng rng(d.seed);
  d.scenario = spec.base;
  sim::Scenario& sc = d.scenario;
  for (const ExploreRange& r : spec.ranges) {
    const std::string setting = r.key + "=" + std::to_string(rng.between(r.from, r.to));
    if (auto error = sim::apply_what_if(sc, setting))
      throw std::runtime_error(*error);  // check_range() has ruled this out
    d.settings.push_back(setting);
  }
  d.last_recovery = draw_faults(rng, spec, sc);
  sc.seed = d.seed;
  sc.duration = spec.safety + spec.settle;
  sc.name = spec.base.name + "-draw-" + std::to_string(index);
  std::string drawn;
  for (const std::string& s : d.settings) drawn += (drawn.empty() ? "" : ", ") + s;
  sc.description = "Draw " + std::to_string(index) + " (seed " + std::to_string(d.seed) +
                   ") of: " + explore_command(spec) +
                   (drawn.empty() ? std::string() : ". Drawn settings: " + drawn) +
                   ". Expected: no duplicate address, no lease past the partner's acknowledgement "
                   "plus the MCLT, and both servers in normal " +
                   duration_text(spec.settle) + " after the last fault is undone.";
  const Instant bound = d.last_recovery + spec.settle;
  sc.expect.no_duplicates = true;
  sc.expect.no_mclt_violations = true;
  sc.expect.states = {{bound, 0, core::State::normal}, {bound, 1, core::State::normal}};
  return d;
}

}  // namespace fosim::tools
