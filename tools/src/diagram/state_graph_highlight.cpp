// Marking a run's transitions on the state graph: each edge the run took gets its count, and
// a move the table does not draw (a startup resumption, an operator set-state) gets an edge of
// its own, so a run's picture never loses a transition.
#include <algorithm>

#include "state_graph_parts.hpp"

namespace fosim::tools {
namespace {

using core::State;
using detail::add_state;

}  // namespace

std::optional<StateVertex> find_state(const StateGraph& g, State s) {
  for (auto [it, end] = boost::vertices(g); it != end; ++it)
    if (g[*it].kind == NodeKind::state && g[*it].state == s) return *it;
  return std::nullopt;
}

std::optional<StateVertex> find_node(const StateGraph& g, NodeKind kind) {
  for (auto [it, end] = boost::vertices(g); it != end; ++it)
    if (g[*it].kind == kind) return *it;
  return std::nullopt;
}

std::optional<StateEdge> find_transition(const StateGraph& g, State from, State to) {
  const std::optional<StateVertex> u = find_state(g, from), v = find_state(g, to);
  if (!u || !v) return std::nullopt;
  for (auto [it, end] = boost::out_edges(*u, g); it != end; ++it)
    if (boost::target(*it, g) == *v && !g[*it].to_cluster) return *it;
  return std::nullopt;
}

std::size_t highlight_transitions(StateGraph& g, const TransitionCounts& counts,
                                  const TransitionCounts& forced) {
  g[boost::graph_bundle].highlighted = true;
  std::size_t added = 0;
  const std::optional<StateVertex> start = find_node(g, NodeKind::process_start);
  const std::optional<StateVertex> startup = find_state(g, State::startup);
  for (const auto& [pair, n_forced] : forced) {
    if (n_forced == 0) continue;
    const auto [from, to] = pair;
    const StateVertex u = find_state(g, from) ? *find_state(g, from) : add_state(g, from);
    const StateVertex v = find_state(g, to) ? *find_state(g, to) : add_state(g, to);
    const StateEdge e = boost::add_edge(u, v, g).first;
    g[e].kind = CauseKind::operator_action;
    g[e].causes.push_back(
        Cause{CauseKind::operator_action, "operator: set-state (OMAPI local-state)"});
    g[e].label = g[e].causes.back().text;
    g[e].taken = n_forced;
    ++added;
  }
  for (const auto& [pair, n_all] : counts) {
    const auto f = forced.find(pair);
    const std::uint64_t n = n_all - (f != forced.end() ? std::min(f->second, n_all) : 0);
    if (n == 0) continue;
    const auto [from, to] = pair;
    if (to == State::startup && start && startup) {  // a restart: the process-start edge
      auto [e, found] = boost::edge(*start, *startup, g);
      if (found) {
        g[e].taken += n;
        continue;
      }
    }
    if (const std::optional<StateEdge> e = find_transition(g, from, to)) {
      g[*e].taken += n;
      continue;
    }
    const StateVertex u = find_state(g, from) ? *find_state(g, from) : add_state(g, from);
    const StateVertex v = find_state(g, to) ? *find_state(g, to) : add_state(g, to);
    const StateEdge e = boost::add_edge(u, v, g).first;
    g[e].kind = CauseKind::observed;
    g[e].causes.push_back(Cause{CauseKind::observed, from == State::startup
                                                         ? "left startup (saved state)"
                                                         : "observed: no table rule"});
    g[e].label = g[e].causes.back().text;
    g[e].taken = n;
    ++added;
  }
  return added;
}

}  // namespace fosim::tools
