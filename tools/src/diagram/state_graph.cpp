// Building the state graph from the transition table: one loop over the rules, one vertex
// per state a server can be in, one merged edge per (from, to) pair. Which part of a rule
// reaches a state is state_graph_reach.cpp, its label line state_graph_labels.cpp, marking a
// run's moves state_graph_highlight.cpp and the Graphviz writer state_graph_dot.cpp.
#include <algorithm>
#include <array>

#include "state_graph_parts.hpp"

namespace fosim::tools {
namespace {

using core::Outcome;
using core::Role;
using core::Rule;
using core::State;
using core::StateSet;
using core::Trigger;
using detail::add_state;
using detail::Line;
using detail::line_of;
using detail::Reach;
using detail::reach;
using detail::role_allows;
using detail::style_rank;
using detail::text_of;

// ---- building ----------------------------------------------------------------------------

ServiceClass class_of(core::Service s) {
  switch (s) {
    case core::Service::cooperating:
      return ServiceClass::balanced;
    case core::Service::not_cooperating:
    case core::Service::partner_down:
      return ServiceClass::responsive;
    case core::Service::not_responding:
    case core::Service::startup:
      return ServiceClass::unresponsive;
  }
  return ServiceClass::unresponsive;
}

std::string id_of(std::string_view name) {
  std::string id(name);
  std::replace(id.begin(), id.end(), '-', '_');
  return id;
}

}  // namespace

StateVertex detail::add_state(StateGraph& g, State s) {
  // With the partner in normal, nothing the partner does silences the state's own service.
  const core::Profile& profile = core::profile(g[boost::graph_bundle].profile);
  const ServiceClass c = class_of(profile.service(s, State::normal).service);
  const std::string name(core::to_string(s));
  return boost::add_vertex(StateNode{NodeKind::state, s, id_of(name), name, c, colour_of(c)}, g);
}

namespace {

StateVertex add_special(StateGraph& g, NodeKind kind) {
  const bool start = kind == NodeKind::process_start;
  const std::string name = start ? "process start" : "exit (log_fatal)";
  return boost::add_vertex(
      StateNode{kind, State::unknown_state, start ? "process_start" : "fatal_exit", name,
                ServiceClass::unresponsive, start ? "#ffffff" : "#f5b7b1"},
      g);
}

/// The states a server can be in: every ISC state but unknown-state, which only counts when
/// some rule moves there.
StateSet drawn_states(std::span<const Rule> rules) {
  StateSet set = StateSet::all_isc().minus({State::unknown_state});
  for (const Rule& r : rules)
    if (r.outcome == Outcome::move && r.to == State::unknown_state)
      set = set.with({State::unknown_state});
  return set;
}

/// The label lines of every edge while the graph is built, keyed by (from, to).
using LineMap = std::map<std::pair<StateVertex, StateVertex>, std::vector<Line>>;

/// Adds `line` to the edge `from` -> `to`, creating the edge or merging into it.
void add_cause(StateGraph& g, LineMap& lines, StateVertex from, StateVertex to, const Line& line) {
  auto [e, found] = boost::edge(from, to, g);
  if (!found) e = boost::add_edge(from, to, TransitionEdge{}, g).first;
  TransitionEdge& edge = g[e];
  if (edge.rule_count++ == 0 || style_rank(line.kind) > style_rank(edge.kind))
    edge.kind = line.kind;
  std::vector<Line>& mine = lines[{from, to}];
  for (Line& l : mine) {
    if (l.kind != line.kind || l.head != line.head || l.suffix != line.suffix) continue;
    for (const std::string& item : line.items)  // peer lines absorb the new peer states
      if (std::find(l.items.begin(), l.items.end(), item) == l.items.end()) l.items.push_back(item);
    return;
  }
  mine.push_back(line);
}

/// Turns the collected lines into the edges' causes and labels.
void finish_labels(StateGraph& g, const LineMap& lines) {
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    TransitionEdge& e = g[*it];
    const auto found = lines.find({boost::source(*it, g), boost::target(*it, g)});
    if (found != lines.end())
      for (const Line& l : found->second) e.causes.push_back(Cause{l.kind, text_of(l)});
    e.label.clear();
    for (std::size_t k = 0; k < e.causes.size(); ++k) e.label += (k ? "\n" : "") + e.causes[k].text;
  }
}

}  // namespace

std::string colour_of(ServiceClass c) {
  switch (c) {
    case ServiceClass::balanced:
      return "#a9dfbf";
    case ServiceClass::responsive:
      return "#f8c471";
    case ServiceClass::unresponsive:
      return "#d5d8dc";
  }
  return "#ffffff";
}

std::string_view to_string(ServiceClass c) {
  switch (c) {
    case ServiceClass::balanced:
      return "balanced";
    case ServiceClass::responsive:
      return "responsive";
    case ServiceClass::unresponsive:
      return "unresponsive";
  }
  return "?";
}

StateGraph build_state_graph(const GraphOptions& options) {
  const std::optional<Role> role = options.role;
  const std::span<const Rule> rules =
      options.rules.empty() ? core::applied_rules(options.profile) : options.rules;
  StateGraph g;
  g[boost::graph_bundle].role = role;
  g[boost::graph_bundle].profile = options.profile;
  const StateSet drawn = drawn_states(rules);
  std::array<std::optional<StateVertex>, core::state_count> vertex{};
  for (State s : core::all_states())
    if (drawn.contains(s)) vertex[static_cast<std::size_t>(s)] = add_state(g, s);
  const auto at = [&](State s) { return vertex[static_cast<std::size_t>(s)]; };

  LineMap lines;
  std::optional<StateVertex> start, exit;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (!role_allows(r.guard, role)) continue;
    if (r.outcome != Outcome::move && r.outcome != Outcome::exit_process) continue;
    if (r.trigger == Trigger::boot) {  // one edge from "process start", not one per state
      if (!at(r.to)) continue;
      if (!start) start = add_special(g, NodeKind::process_start);
      add_cause(
          g, lines, *start, *at(r.to),
          Line{CauseKind::boot, "saved state := lease-file state (no record: recover)", {}, ""});
      continue;
    }
    for (State from : core::all_states()) {
      if (!r.from.contains(from) || from == State::startup || !at(from)) continue;
      const Reach reached = reach(rules, i, from, role);
      if (reached.peers.empty()) continue;  // earlier rows take every case
      if (r.outcome == Outcome::exit_process && !exit)
        exit = add_special(g, NodeKind::process_exit);
      const std::optional<StateVertex> to = r.outcome == Outcome::move ? at(r.to) : exit;
      if (to) add_cause(g, lines, *at(from), *to, line_of(r, reached, role));
    }
  }
  // Leaving startup: the saved state's rules apply. One edge into the operating cluster,
  // drawn to recover (where a server without a lease-file record resumes).
  if (at(State::startup) && at(State::recover)) {
    const StateEdge e = boost::add_edge(*at(State::startup), *at(State::recover), g).first;
    g[e].kind = CauseKind::boot;
    g[e].to_cluster = true;
    g[e].causes.push_back(
        Cause{CauseKind::boot, "resume saved state (first peer STATE, or 15 s: link-lost rule)"});
  }
  finish_labels(g, lines);
  return g;
}

ServiceClass service_class(State s) { return class_of(core::info(s).service); }

}  // namespace fosim::tools
