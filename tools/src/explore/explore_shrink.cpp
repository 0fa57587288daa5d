// Shrinking a violating draw: whole faults dropped, client groups halved, scripted clients
// dropped, faults shortened and moved to the timers' boundaries, the run cut after its bound;
// each step kept while the same invariant still breaks.
#include "fosim/tools/explore_shrink.hpp"

#include <algorithm>
#include <optional>

#include "fosim/sim/trace.hpp"

namespace fosim::tools {
namespace {

using core::Instant;
using sim::ActionType;
using sim::ScriptAction;

/// The action that undoes a fault begun by `a`, if `a` begins one.
std::optional<ActionType> undone_by(const ScriptAction& a) {
  switch (a.type) {
    case ActionType::partition:
      return ActionType::heal;
    case ActionType::crash:
    case ActionType::kill:
    case ActionType::stop:
      return ActionType::start;
    case ActionType::freeze:
      return ActionType::thaw;
    default:
      return std::nullopt;
  }
}

bool breaks(const DrawOutcome& o, Invariant kind) {
  return std::find(o.violated.begin(), o.violated.end(), kind) != o.violated.end();
}

std::uint64_t client_count(const sim::Scenario& sc) {
  std::uint64_t n = 0;
  for (const sim::ClientGroup& g : sc.clients) n += g.count;
  return n;
}

/// `sc` without the actions at `drop`, renumbered.
sim::Scenario without(const sim::Scenario& sc, const std::vector<std::size_t>& drop) {
  sim::Scenario out = sc;
  out.script.clear();
  for (std::size_t k = 0; k < sc.script.size(); ++k)
    if (std::find(drop.begin(), drop.end(), k) == drop.end()) out.script.push_back(sc.script[k]);
  for (std::size_t k = 0; k < out.script.size(); ++k) out.script[k].line = k;
  return out;
}

/// `sc` with its script sorted by time again (stably) and renumbered.
sim::Scenario resorted(sim::Scenario sc) {
  std::stable_sort(sc.script.begin(), sc.script.end(),
                   [](const ScriptAction& a, const ScriptAction& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < sc.script.size(); ++k) sc.script[k].line = k;
  return sc;
}

bool undoes_a_fault(ActionType t) {
  return t == ActionType::heal || t == ActionType::start || t == ActionType::thaw ||
         t == ActionType::restart;
}

/// When the last fault of `sc` is undone: its last heal, start, thaw or restart, else the
/// later server's start.
Instant last_recovery(const sim::Scenario& sc) {
  Instant t = Instant{} + std::max(sc.servers[0].start_at, sc.servers[1].start_at);
  for (const ScriptAction& a : sc.script)
    if (undoes_a_fault(a.type)) t = std::max(t, a.at);
  return t;
}

/// The lengths a shortened span may take, shortest first: a second, then each timer mark plus
/// a second.
std::vector<core::Duration> span_candidates(const sim::Scenario& sc) {
  std::vector<core::Duration> out{core::Seconds{1}};
  for (const TimerMark& m : timer_marks(sc)) out.push_back(m.length + core::Seconds{1});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// What action `a` does, in plain words ("the link is cut", "dhcp-a restarts with an empty
/// lease file"); empty for actions that are no fault.
std::string in_words(const sim::Scenario& sc, const ScriptAction& a) {
  const std::string host = sc.servers[a.server].host;
  const std::string file = a.keep_storage ? " keeping its lease file" : " with an empty lease file";
  const std::string way = a.direction == sim::Direction::both ? ""
                          : a.direction == sim::Direction::primary_to_secondary
                              ? " from the primary to the secondary"
                              : " from the secondary to the primary";
  switch (a.type) {
    case ActionType::partition:
      return "the link is cut" + way;
    case ActionType::heal:
      return "the link is healed" + way;
    case ActionType::crash:
      return host + "'s machine crashes";
    case ActionType::kill:
      return host + "'s dhcpd is killed";
    case ActionType::stop:
      return host + " is shut down through OMAPI";
    case ActionType::start:
      return host + " starts" + file;
    case ActionType::freeze:
      return host + " is frozen";
    case ActionType::thaw:
      return host + " is thawed";
    case ActionType::restart:
      return host + " restarts" + std::string(a.graceful ? " gracefully" : "") + file;
    default:
      return {};
  }
}

/// The shrunk scenario's faults and what breaks, in plain words.
/// "ISC's own behaviour: the documented hazard lost-storage (docs/hazards.md). " (under the
/// draft-12 profile, a hazard its shared binding rules keep) or, when no hazard explains it, a
/// request to report it.
std::string explained(const DrawOutcome& o, core::ProfileId profile) {
  if (o.hazards.empty())
    return "No documented ISC hazard explains it: a defect of the configuration or of fosim. ";
  const std::string names = hazard_list(o.hazards);
  const std::string whose = profile == core::ProfileId::isc_4_4
                                ? "ISC's own behaviour"
                                : "Kept by the draft-12 profile, which shares ISC's binding rules";
  return whose + ": the documented hazard" + std::string(o.hazards.size() > 1 ? "s " : " ") +
         names + " (docs/hazards.md). ";
}

std::string shrunk_description(const ShrinkResult& r) {
  const sim::Scenario& sc = r.draw.scenario;
  std::string faults;
  for (const ScriptAction& a : sc.script) {
    const std::string words = in_words(sc, a);
    if (!words.empty())
      faults +=
          (faults.empty() ? "" : "; ") + std::string("at ") + sim::format_time(a.at) + " " + words;
  }
  std::string broken;
  switch (r.kind) {
    case Invariant::duplicate:
      broken = std::to_string(r.outcome.duplicates) + " addresses are held by two clients at once";
      if (const auto& d = r.outcome.first_duplicate)
        broken += ", the first " + sim::format_ip(d->ip) + " from " + sim::format_time(d->at) +
                  ": client " + std::to_string(d->client) + " (granted by " +
                  sc.servers[d->server].host + ") while client " + std::to_string(d->other_client) +
                  " (granted by " + sc.servers[d->other_server].host + " at " +
                  sim::format_time(d->other_granted) + ") still held it";
      break;
    case Invariant::mclt:
      broken = std::to_string(r.outcome.mclt_violations) +
               " leases end past the partner's acknowledgement plus the MCLT";
      break;
    case Invariant::not_normal:
      broken = "at the bound " + sc.servers[0].host + " is in " +
               std::string(core::to_string(r.outcome.states_at_bound[0])) + " and " +
               sc.servers[1].host + " in " +
               std::string(core::to_string(r.outcome.states_at_bound[1])) + ", not both normal";
      break;
  }
  return "Shrunk from draw " + std::to_string(r.draw.index) + " (" +
         std::to_string(r.faults_before) + " faults, " + std::to_string(r.clients_before) +
         " clients; " + std::to_string(r.trials) + " trial runs) to " +
         std::to_string(r.faults_after) + " faults and " + std::to_string(r.clients_after) +
         " clients: " + (faults.empty() ? std::string("no fault") : faults) + ". Then " + broken +
         ". " + explained(r.outcome, sc.profile);
}

}  // namespace

std::vector<std::vector<std::size_t>> script_faults(const sim::Scenario& sc) {
  std::vector<std::vector<std::size_t>> faults;
  std::vector<bool> used(sc.script.size(), false);
  for (std::size_t k = 0; k < sc.script.size(); ++k) {
    const ScriptAction& a = sc.script[k];
    if (used[k]) continue;
    if (a.type == ActionType::restart) {
      faults.push_back({k});
      continue;
    }
    const auto end = undone_by(a);
    if (!end) continue;
    std::vector<std::size_t> fault{k};
    for (std::size_t j = k + 1; j < sc.script.size(); ++j) {
      const ScriptAction& b = sc.script[j];
      const bool same =
          a.type == ActionType::partition ? b.direction == a.direction : b.server == a.server;
      if (!used[j] && b.type == *end && same) {
        used[j] = true;
        fault.push_back(j);
        break;
      }
    }
    faults.push_back(fault);
  }
  return faults;
}

ShrinkResult shrink_draw(const ExploreDraw& drawn, const DrawOutcome& outcome,
                         std::size_t max_trials) {
  ShrinkResult r;
  r.draw = drawn;
  r.outcome = outcome;
  r.kind = outcome.violated.empty() ? Invariant::duplicate : outcome.violated.front();
  r.faults_before = script_faults(drawn.scenario).size();
  r.clients_before = client_count(drawn.scenario);
  r.duration_before = drawn.scenario.duration;
  auto attempt = [&](sim::Scenario candidate) {
    if (outcome.violated.empty() || r.trials >= max_trials) return false;
    ++r.trials;
    ExploreDraw d = r.draw;
    d.scenario = std::move(candidate);
    DrawOutcome o = check_draw(d);
    if (!breaks(o, r.kind)) return false;
    r.draw = std::move(d);
    r.outcome = std::move(o);
    return true;
  };
  // Whole faults, the last first; a dropped fault shifts no other's indices before it.
  for (std::size_t f = script_faults(r.draw.scenario).size(); f-- > 0;) {
    const auto faults = script_faults(r.draw.scenario);
    if (f < faults.size()) attempt(without(r.draw.scenario, faults[f]));
  }
  // Each client group halved while it still breaks.
  for (std::size_t g = 0; g < r.draw.scenario.clients.size(); ++g)
    while (r.draw.scenario.clients[g].count > 1) {
      sim::Scenario candidate = r.draw.scenario;
      candidate.clients[g].count /= 2;
      if (!attempt(std::move(candidate))) break;
    }
  // The scripted clients (`client` and `clients` actions), the last first.
  for (std::size_t k = r.draw.scenario.script.size(); k-- > 0;) {
    const ActionType t = r.draw.scenario.script[k].type;
    if (t == ActionType::client || t == ActionType::clients) attempt(without(r.draw.scenario, {k}));
  }
  // Times to the boundaries the timers set. The liveness bound now follows the last fault, as
  // a draw's does: each candidate is judged the settle bound after its own last recovery.
  const core::Duration settle =
      r.draw.scenario.expect.states.empty()
          ? core::Duration{}
          : r.draw.scenario.expect.states.front().at - drawn.last_recovery;
  const auto try_timed = [&](sim::Scenario sc) {
    sc = resorted(std::move(sc));
    const Instant recovered = last_recovery(sc);
    for (sim::StateExpectation& e : sc.expect.states) e.at = recovered + settle;
    if (!attempt(std::move(sc))) return false;
    r.draw.last_recovery = recovered;
    return true;
  };
  const std::vector<core::Duration> spans = span_candidates(r.draw.scenario);
  // Each fault as short as the first boundary that still breaks the invariant...
  for (std::size_t f = 0; f < script_faults(r.draw.scenario).size(); ++f) {
    const auto fault = script_faults(r.draw.scenario)[f];
    if (fault.size() != 2) continue;
    const ScriptAction begin = r.draw.scenario.script[fault[0]];
    const core::Duration length = r.draw.scenario.script[fault[1]].at - begin.at;
    for (const core::Duration d : spans) {
      if (d >= length) break;
      // A start within ISC's controlled shutdown (11 to 20 s) finds the process up: no fault.
      if (begin.type == ActionType::stop && d < std::chrono::minutes(1)) continue;
      sim::Scenario candidate = r.draw.scenario;
      candidate.script[fault[1]].at = begin.at + d;
      if (try_timed(std::move(candidate))) break;
    }
  }
  // ... and begun as soon after the action before it (or the later server's start).
  for (std::size_t f = 0; f < script_faults(r.draw.scenario).size(); ++f) {
    const auto fault = script_faults(r.draw.scenario)[f];
    const sim::Scenario sc = r.draw.scenario;
    Instant before = Instant{} + std::max(sc.servers[0].start_at, sc.servers[1].start_at);
    if (fault[0] > 0) before = std::max(before, sc.script[fault[0] - 1].at);
    const core::Duration gap = sc.script[fault[0]].at - before;
    for (const core::Duration d : spans) {
      if (d >= gap) break;
      sim::Scenario candidate = sc;
      for (const std::size_t k : fault) candidate.script[k].at -= gap - d;
      if (try_timed(std::move(candidate))) break;
    }
  }
  // The run cut to end a second after the bound.
  if (!r.draw.scenario.expect.states.empty()) {
    sim::Scenario candidate = r.draw.scenario;
    const core::Duration end = (candidate.expect.states.front().at - Instant{}) + core::Seconds{1};
    if (end < candidate.duration) {
      candidate.duration = end;
      attempt(std::move(candidate));
    }
  }
  r.faults_after = script_faults(r.draw.scenario).size();
  r.clients_after = client_count(r.draw.scenario);
  r.duration_after = r.draw.scenario.duration;
  if (r.trials > 0)
    r.draw.scenario.description = shrunk_description(r) + drawn.scenario.description;
  return r;
}

std::string drawn_file(std::size_t draw) {
  return "violation-" + std::to_string(draw) + "-drawn.json";
}

std::string shrink_line(const ShrinkResult& r) {
  const std::string head = "draw " + std::to_string(r.draw.index);
  if (r.trials == 0) return head + " kept as drawn";
  return head + " shrunk (" + std::string(invariant_names[static_cast<std::size_t>(r.kind)]) +
         "): " + std::to_string(r.faults_before) + " faults -> " + std::to_string(r.faults_after) +
         ", " + std::to_string(r.clients_before) + " clients -> " +
         std::to_string(r.clients_after) + ", run " + duration_text(r.duration_before) + " -> " +
         duration_text(r.duration_after) + ", " + std::to_string(r.trials) + " trial runs";
}

}  // namespace fosim::tools
