// The breadth-first fault search (explore_exhaustive.hpp).
#include "fosim/tools/explore_exhaustive.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::tools {
namespace {

using core::Instant;
using sim::ActionType;
using sim::Simulator;

constexpr std::array<const char*, 2> server_names{"primary", "secondary"};

/// A sequence being searched: the run where it stands and how it got there.
struct Node {
  std::unique_ptr<Simulator> run;
  std::vector<SearchStep> steps;
  bool faulted = false;  ///< some action was taken
};

SearchStep act(ActionType type, std::size_t server, std::string name, bool keep = true) {
  SearchStep s;
  s.kind = SearchStep::Kind::act;
  s.action.type = type;
  s.action.server = server;
  s.action.keep_storage = keep;
  s.action.state = core::State::partner_down;
  s.name = std::move(name);
  return s;
}

bool has(const SearchSpec& spec, FaultKind k) {
  return std::find(spec.kinds.begin(), spec.kinds.end(), k) != spec.kinds.end();
}

/// The waits worth taking: to each boundary the configuration sets, plus a second.
std::vector<SearchStep> waits(const SearchSpec& spec) {
  std::vector<SearchStep> out;
  for (const TimerMark& m : timer_marks(spec.base)) {
    SearchStep s;
    s.wait = m.length + core::Seconds{1};
    s.name = "wait " + std::string(m.name) + " (" + duration_text(s.wait) + ")";
    if (std::none_of(out.begin(), out.end(), [&](const SearchStep& o) { return o.wait == s.wait; }))
      out.push_back(std::move(s));
  }
  return out;
}

/// Every step that applies where `run` stands, in a fixed order.
std::vector<SearchStep> steps_from(const SearchSpec& spec, Simulator& run) {
  std::vector<SearchStep> out;
  if (has(spec, FaultKind::partition)) {
    if (run.link().path_up(0) && run.link().path_up(1))
      out.push_back(act(ActionType::partition, 0, "partition"));
    else
      out.push_back(act(ActionType::heal, 0, "heal"));
  }
  for (std::size_t i = 0; i < 2; ++i) {
    const sim::Server& s = run.server(i);
    const std::string who = server_names[i];
    if (s.running() && !s.frozen()) {
      if (has(spec, FaultKind::stop) && !s.shutting_down())
        out.push_back(act(ActionType::stop, i, "stop " + who));
      if (has(spec, FaultKind::crash)) out.push_back(act(ActionType::crash, i, "crash " + who));
      if (has(spec, FaultKind::kill)) out.push_back(act(ActionType::kill, i, "kill " + who));
      if (has(spec, FaultKind::freeze)) out.push_back(act(ActionType::freeze, i, "freeze " + who));
      if (spec.partner_down && s.view().state == core::State::communications_interrupted)
        out.push_back(act(ActionType::set_state, i, "partner-down " + who));
    } else if (s.frozen()) {
      out.push_back(act(ActionType::thaw, i, "thaw " + who));
    } else {
      out.push_back(act(ActionType::start, i, "start " + who));
      if (spec.lost_storage)
        out.push_back(act(ActionType::start, i, "start " + who + " (lease file lost)", false));
    }
  }
  for (SearchStep& w : waits(spec)) out.push_back(std::move(w));
  return out;
}

/// Plays a stopped server's controlled shutdown on to the boundary inside it: the move to
/// shutdown (ISC's shutdown_dhcp step, the moment a kill leaves `shutdown` in the lease file),
/// or the exit if it never moves; a minute at most.
void into_shutdown(Simulator& run, std::size_t server) {
  const Instant limit = run.now() + core::Seconds{60};
  while (run.now() < limit && run.server(server).running() &&
         run.server(server).view().state != core::State::shutdown)
    run.run_before(run.now() + core::Duration{100});
}

bool whole(Simulator& run) {
  if (!run.link().path_up(0) || !run.link().path_up(1)) return false;
  for (std::size_t i = 0; i < 2; ++i)
    if (!run.server(i).running() || run.server(i).frozen() || run.server(i).shutting_down())
      return false;
  return true;
}

bool both_normal(const Simulator& run) {
  return run.server(0).view().state == core::State::normal &&
         run.server(1).view().state == core::State::normal;
}

/// The instant after the sequence's last step.
Instant sequence_end(const SearchResult& r, const CounterExample& ce) {
  Instant t = r.root;
  for (const SearchStep& s : ce.steps)
    if (s.kind == SearchStep::Kind::wait) t += s.wait;
  return t;
}

/// "partition at 5s, wait mclt (1801s), partner-down primary at 36s"
std::string spelled_out(const CounterExample& ce) {
  std::string out;
  for (const SearchStep& s : ce.steps) {
    if (!out.empty()) out += ", ";
    out += s.name;
    if (s.kind == SearchStep::Kind::act) out += " at " + duration_text(s.action.at - Instant{});
  }
  return out;
}

bool needs_operator(const CounterExample& ce) {
  return std::any_of(ce.steps.begin(), ce.steps.end(), [](const SearchStep& s) {
    return s.kind == SearchStep::Kind::act && s.action.type == ActionType::set_state;
  });
}

/// "; explained by lost-storage", "; the split brain of partner-down" (an operator's
/// partner-down and no other hazard) or "; not a documented ISC hazard".
std::string explanation(const CounterExample& ce) {
  if (ce.hazards.empty() && needs_operator(ce)) return "; the split brain of partner-down";
  if (ce.hazards.empty()) return "; not a documented ISC hazard";
  return "; explained by " + hazard_list(ce.hazards);
}

/// The steps of `ce` by name, comma-separated, "then the settle bound" when it showed there.
std::string step_names(const CounterExample& ce) {
  std::string out;
  for (std::size_t i = 0; i < ce.steps.size(); ++i) out += (i == 0 ? "" : ", ") + ce.steps[i].name;
  if (ce.after_settle) out += ", then the settle bound";
  return out;
}

/// The first invariant `run` has broken so far, if any.
std::optional<Invariant> broken(const Simulator& run) {
  if (!run.stats().duplicates.empty()) return Invariant::duplicate;
  if (run.stats().mclt_violations > 0) return Invariant::mclt;
  return std::nullopt;
}

}  // namespace

SearchResult search_faults(const SearchSpec& spec) {
  SearchResult result;
  auto root = std::make_unique<Simulator>(spec.base, spec.base.seed, nullptr);
  const Instant end{spec.base.duration};
  for (Instant t = Instant{} + core::Seconds{1};; t += core::Seconds{1}) {
    if (t > end) throw std::runtime_error("the servers never both reach normal; nothing to search");
    root->run_before(t);
    if (both_normal(*root)) break;
  }
  result.root = root->now();
  // Breadth first, so the first sequence noted for an invariant or a hazard is a shortest one.
  auto note = [&](Invariant inv, const std::vector<SearchStep>& steps, bool settle,
                  const Simulator& run) {
    const CounterExample ce{inv, steps, settle, hazards_explaining(run.stats(), inv)};
    auto& slot = result.shortest[static_cast<std::size_t>(inv)];
    if (!slot) slot = ce;
    for (const sim::Hazard h : ce.hazards) {
      auto& by = result.by_hazard[static_cast<std::size_t>(h)];
      if (!by) by = ce;
    }
  };

  std::unordered_set<std::uint64_t> seen{root->fingerprint()};
  std::vector<Node> frontier;
  frontier.push_back({std::move(root), {}, false});
  for (std::size_t depth = 1; depth <= spec.depth && !frontier.empty(); ++depth) {
    std::vector<Node> next;
    std::size_t fresh = 0;
    for (Node& node : frontier) {
      for (SearchStep& step : steps_from(spec, *node.run)) {
        Node child{node.run->clone(), node.steps, node.faulted};
        ++result.runs;
        if (step.kind == SearchStep::Kind::act) {
          step.action.at = child.run->now();
          child.run->act(step.action);
          if (step.action.type == ActionType::stop) into_shutdown(*child.run, step.action.server);
          child.faulted = true;
        } else {
          child.run->run_before(child.run->now() + step.wait);
        }
        child.steps.push_back(step);
        if (auto inv = broken(*child.run)) {
          note(*inv, child.steps, false, *child.run);
          continue;
        }
        if (!seen.insert(child.run->fingerprint()).second) continue;
        ++fresh;
        if (child.faulted && step.kind == SearchStep::Kind::act && whole(*child.run)) {
          const auto settled = child.run->clone();
          settled->run_before(settled->now() + spec.settle);
          ++result.settles;
          if (auto inv = broken(*settled))
            note(*inv, child.steps, true, *settled);
          else if (!both_normal(*settled))
            note(Invariant::not_normal, child.steps, true, *settled);
        }
        if (depth < spec.depth) next.push_back(std::move(child));
        if (seen.size() > spec.max_states) {
          result.complete = false;
          break;
        }
      }
      node.run.reset();
      if (!result.complete) break;
    }
    result.new_states.push_back(fresh);
    if (!result.complete) break;
    frontier = std::move(next);
  }
  return result;
}

std::string search_table(const SearchSpec& spec, const SearchResult& r) {
  std::ostringstream out;
  out << "what it takes to break this configuration (searched to depth " << spec.depth
      << (r.complete ? "" : ", stopped early at the state limit") << "):\n";
  for (std::size_t k = 0; k < invariant_names.size(); ++k) {
    out << "  " << invariant_names[k] << ": ";
    const auto& ce = r.shortest[k];
    if (!ce) {
      out << (r.complete ? "none within " + std::to_string(spec.depth) + " steps"
                         : "none found before the limit")
          << "\n";
      continue;
    }
    out << step_names(*ce) << " (" << ce->steps.size()
        << (ce->steps.size() == 1 ? " step" : " steps")
        << (needs_operator(*ce) ? "; needs an operator's partner-down" : "; no operator action")
        << explanation(*ce)
        << (acceptable(spec.base, ce->invariant) ? "; acceptable to the scenario" : "") << ")\n";
  }
  out << "what each documented hazard takes (docs/hazards.md):\n";
  for (std::size_t k = 0; k < sim::hazard_table.size(); ++k) {
    out << "  " << sim::hazard_table[k].name << ": ";
    const auto& ce = r.by_hazard[k];
    if (!ce) {
      out << (r.complete ? "no violation within " + std::to_string(spec.depth) + " steps"
                         : "no violation before the limit")
          << "\n";
      continue;
    }
    out << step_names(*ce) << " (" << invariant_names[static_cast<std::size_t>(ce->invariant)]
        << ", " << ce->steps.size() << (ce->steps.size() == 1 ? " step" : " steps")
        << (needs_operator(*ce) ? "; needs an operator's partner-down" : "") << ")\n";
  }
  std::size_t states = 1;
  for (std::size_t n : r.new_states) states += n;
  out << "distinct states: " << states << "; steps played: " << r.runs
      << "; settle checks: " << r.settles << "\n";
  return out.str();
}

sim::Scenario counter_example_scenario(const SearchSpec& spec, const SearchResult& r,
                                       const CounterExample& ce) {
  sim::Scenario sc = spec.base;
  const std::string kind(invariant_names[static_cast<std::size_t>(ce.invariant)]);
  sc.name = spec.base.name + "-shortest-" + kind;
  for (const SearchStep& s : ce.steps)
    if (s.kind == SearchStep::Kind::act) sc.script.push_back(s.action);
  std::stable_sort(
      sc.script.begin(), sc.script.end(),
      [](const sim::ScriptAction& a, const sim::ScriptAction& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < sc.script.size(); ++k) sc.script[k].line = k;
  // Like a random draw's reproducer, it states the promises as expectations, so `fosim run`
  // fails (exit 1) naming the one the sequence breaks.
  const Instant last = sequence_end(r, ce);
  const bool settles = ce.after_settle || ce.invariant == Invariant::not_normal;
  const Instant bound = last + spec.settle;
  sc.duration = ((settles ? bound : last) - Instant{}) + core::Seconds{60};
  sc.expect = {};
  sc.expect.no_duplicates = true;
  sc.expect.no_mclt_violations = true;
  if (settles)
    sc.expect.states = {{bound, 0, core::State::normal}, {bound, 1, core::State::normal}};
  std::string what = ce.invariant == Invariant::duplicate ? "one address held by two clients"
                     : ce.invariant == Invariant::mclt
                         ? "a lease past the partner's acknowledgement plus the MCLT"
                         : "the servers not both back in normal";
  sc.description =
      "The shortest sequence fosim explore --exhaustive found to " + what + " (" + kind +
      "), from " + duration_text(r.root - Instant{}) +
      ", when both servers first stood in normal: " + spelled_out(ce) +
      (ce.after_settle ? "; then " + duration_text(spec.settle) + " with nothing broken" : "") +
      (needs_operator(ce) ? ". It needs an operator's partner-down."
                          : ". It needs no operator action.") +
      (spec.base.description.empty() ? ""
                                     : " The scenario it starts from: " + spec.base.description);
  return sc;
}

std::string counter_example_file(Invariant invariant) {
  return "shortest-" + std::string(invariant_names[static_cast<std::size_t>(invariant)]) + ".json";
}

std::string search_json(const SearchSpec& spec, const SearchResult& r, bool written) {
  nlohmann::ordered_json j;
  j["depth"] = spec.depth;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::array();
  for (const FaultKind k : spec.kinds)
    kinds.push_back(std::string(fault_kind_names[static_cast<std::size_t>(k)]));
  if (spec.partner_down) kinds.push_back("partner-down");
  j["actions"] = kinds;
  j["lost_storage"] = spec.lost_storage;
  j["profile"] = core::to_string(spec.base.profile);
  j["settle_s"] = std::chrono::duration_cast<core::Seconds>(spec.settle).count();
  j["max_states"] = spec.max_states;
  j["root_s"] = std::chrono::duration_cast<core::Seconds>(r.root - Instant{}).count();
  j["complete"] = r.complete;
  std::size_t states = 1;
  for (std::size_t n : r.new_states) states += n;
  j["distinct_states"] = states;
  j["new_states_per_depth"] = r.new_states;
  j["steps_played"] = r.runs;
  j["settle_checks"] = r.settles;
  const auto sequence = [&](const CounterExample& ce) {
    nlohmann::ordered_json c;
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    Instant t = r.root;
    for (const SearchStep& s : ce.steps) {
      steps.push_back({{"at_s", std::chrono::duration_cast<core::Seconds>(t - Instant{}).count()},
                       {"step", s.name}});
      if (s.kind == SearchStep::Kind::wait) t += s.wait;
    }
    c["steps"] = steps;
    c["after_settle"] = ce.after_settle;
    c["needs_operator"] = needs_operator(ce);
    nlohmann::ordered_json hazards = nlohmann::ordered_json::array();
    for (const sim::Hazard h : ce.hazards) hazards.push_back(sim::to_string(h));
    c["hazards"] = hazards;
    return c;
  };
  nlohmann::ordered_json shortest = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < invariant_names.size(); ++k) {
    const auto& ce = r.shortest[k];
    const std::string name(invariant_names[k]);
    if (!ce) {
      shortest[name] = nullptr;
      continue;
    }
    nlohmann::ordered_json c = sequence(*ce);
    c["acceptable"] = acceptable(spec.base, ce->invariant);
    if (written) c["scenario"] = counter_example_file(ce->invariant);
    shortest[name] = c;
  }
  nlohmann::ordered_json by_hazard = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < sim::hazard_table.size(); ++k) {
    const auto& ce = r.by_hazard[k];
    const std::string name(sim::hazard_table[k].name);
    if (!ce) {
      by_hazard[name] = nullptr;
      continue;
    }
    nlohmann::ordered_json c;
    c["invariant"] = invariant_names[static_cast<std::size_t>(ce->invariant)];
    c.update(sequence(*ce));
    by_hazard[name] = c;
  }
  j["shortest"] = shortest;
  j["by_hazard"] = by_hazard;
  return j.dump(2) + "\n";
}

}  // namespace fosim::tools
