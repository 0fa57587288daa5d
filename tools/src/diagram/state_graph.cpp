// Building the state graph from the transition table (one loop over the rules) and
// highlighting a run's transitions. The Graphviz writer is state_graph_dot.cpp.
#include "fosim/tools/state_graph.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/graph/graphviz.hpp>
#include <ostream>
#include <sstream>

namespace fosim::tools {
namespace {

using core::Guard;
using core::Outcome;
using core::Role;
using core::Rule;
using core::State;
using core::StateSet;
using core::Trigger;

// ---- guards as text --------------------------------------------------------------------

constexpr std::uint16_t bits(Guard g) { return static_cast<std::uint16_t>(g); }
constexpr Guard guard_of(std::uint16_t b) { return static_cast<Guard>(b); }
constexpr std::uint16_t role_bits = bits(Guard::primary | Guard::secondary);

bool role_allows(Guard g, std::optional<Role> role) {
  if (!role) return true;
  if (core::includes(g, Guard::primary) && *role != Role::primary) return false;
  return !(core::includes(g, Guard::secondary) && *role != Role::secondary);
}

/// Returns true when one guard needs the primary and the other the secondary.
bool exclusive_roles(Guard a, Guard b) {
  const auto both = [](Guard x, Guard y) {
    return core::includes(x, Guard::primary) && core::includes(y, Guard::secondary);
  };
  return both(a, b) || both(b, a);
}

/// With a role filter the role bits are settled, so they no longer qualify a rule.
Guard settled(Guard g, std::optional<Role> role) {
  return role ? guard_of(static_cast<std::uint16_t>(bits(g) & ~role_bits)) : g;
}

std::string guard_text(Guard bit, bool negated) {
  switch (bit) {
    case Guard::in_startup:
      return negated ? "not in startup" : "in startup";
    case Guard::not_in_startup:
      return negated ? "in startup" : "not in startup";
    case Guard::peer_startup_flag:
      return negated ? "no STARTUP bit" : "STARTUP bit";
    case Guard::pold_potential_conflict:
      return negated ? "peer was not potential-conflict" : "peer was potential-conflict";
    case Guard::primary:
      return negated ? "secondary" : "primary";
    case Guard::secondary:
      return negated ? "primary" : "secondary";
    case Guard::partner_conflict_done:
      return negated ? "peer not conflict-done" : "peer conflict-done";
    case Guard::mclt_wait_needed:
      return negated ? "no MCLT wait" : "MCLT wait needed";
    case Guard::recover_wait_pending:
      return negated ? "MCLT passed" : "MCLT not passed";
    case Guard::recover_wait_elapsed:
      return negated ? "MCLT not passed" : "MCLT passed";
    case Guard::connected:
      return negated ? "not connected" : "connected";
    case Guard::auto_partner_down_on:
      return negated ? "auto-partner-down off" : "auto-partner-down on";
    case Guard::always:
      break;
  }
  return "?";
}

/// Returns the single-bit guards of `g`, lowest bit first.
std::vector<Guard> split(Guard g) {
  std::vector<Guard> out;
  for (unsigned i = 0; i < 16; ++i) {
    const auto b = static_cast<std::uint16_t>(1U << i);
    if ((bits(g) & b) != 0) out.push_back(guard_of(b));
  }
  return out;
}

// ---- which peer states and conditions really reach a rule (first match) -------------------

struct Reach {
  StateSet peers;                       ///< the peer states this rule still sees
  bool any_other = false;               ///< the rule lists every state, earlier rows took some
  std::vector<std::string> qualifiers;  ///< "in startup", "no STARTUP bit", ...
};

StateSet peers_of(const Rule& r) { return r.peer.empty() ? StateSet::all_isc() : r.peer; }

/// Works out which part of rule `i` is left for state `from` once earlier rows have matched.
Reach reach(std::span<const Rule> rules, std::size_t i, State from, std::optional<Role> role) {
  const Rule& r = rules[i];
  const Guard mine = settled(r.guard, role);
  Reach out{peers_of(r), false, {}};
  for (Guard b : split(mine))
    if ((bits(b) & role_bits) == 0) out.qualifiers.push_back(guard_text(b, false));
  for (std::size_t j = 0; j < i; ++j) {
    const Rule& e = rules[j];
    if (e.trigger != r.trigger || !e.from.contains(from) || !role_allows(e.guard, role)) continue;
    if (exclusive_roles(e.guard, r.guard))
      continue;  // a primary row never pre-empts a secondary one
    const Guard theirs = settled(e.guard, role);
    if (core::includes(mine, theirs)) {
      out.peers = out.peers.minus(peers_of(e));  // e always wins for its peer states
    } else if (out.peers.minus(peers_of(e)).empty()) {
      // e wins whenever its extra conditions hold: this rule needs one of them to fail.
      const auto extra = guard_of(static_cast<std::uint16_t>(bits(theirs) & ~bits(mine)));
      const std::vector<Guard> parts = split(extra);
      std::string text;
      for (Guard b : parts) text += (text.empty() ? "" : " and ") + guard_text(b, false);
      text = parts.size() == 1 ? guard_text(parts[0], true) : "not (" + text + ")";
      if (std::find(out.qualifiers.begin(), out.qualifiers.end(), text) == out.qualifiers.end())
        out.qualifiers.push_back(text);
    }
  }
  out.any_other = peers_of(r) == StateSet::all_isc() && out.peers != StateSet::all_isc();
  return out;
}

// ---- causes ------------------------------------------------------------------------------

CauseKind kind_of(Trigger t) {
  switch (t) {
    case Trigger::peer_state:
      return CauseKind::peer_state;
    case Trigger::link_lost:
      return CauseKind::link_lost;
    case Trigger::update_done:
      return CauseKind::update_done;
    case Trigger::recover_wait_timeout:
    case Trigger::auto_partner_down_timeout:
      return CauseKind::timer;
    case Trigger::operator_set_state:
    case Trigger::shutdown_begin:
    case Trigger::shutdown_exit:
      return CauseKind::operator_action;
    case Trigger::boot:
      return CauseKind::boot;
  }
  return CauseKind::observed;
}

std::string trigger_text(Trigger t) {
  switch (t) {
    case Trigger::link_lost:
      return "link lost";
    case Trigger::update_done:
      return "UPDDONE";
    case Trigger::recover_wait_timeout:
      return "timer: MCLT";
    case Trigger::auto_partner_down_timeout:
      return "timer: auto-partner-down";
    case Trigger::shutdown_begin:
      return "operator: shutdown";
    case Trigger::shutdown_exit:
      return "operator: exit after shutdown";
    case Trigger::operator_set_state:
      return "operator: set-state";
    case Trigger::boot:
      return "process start";
    case Trigger::peer_state:
      return "peer";
  }
  return "?";
}

/// One label line under construction; peer lines of equal qualifiers are merged.
struct Line {
  CauseKind kind;
  std::string head;                ///< "peer", "link lost", "UPDDONE", ...
  std::vector<std::string> items;  ///< peer states (peer lines only)
  std::string suffix;              ///< " (primary) [in startup]"
};

std::string suffix_of(const Rule& r, const Reach& reached, std::optional<Role> role) {
  std::string s;
  if (!role && core::includes(r.guard, Guard::primary)) s += " (primary)";
  if (!role && core::includes(r.guard, Guard::secondary)) s += " (secondary)";
  if (reached.qualifiers.empty()) return s;
  s += " [";
  for (std::size_t k = 0; k < reached.qualifiers.size(); ++k)
    s += (k ? ", " : "") + reached.qualifiers[k];
  return s + "]";
}

/// The name of a peer state in an edge label: the two longest names are shortened.
std::string short_name(State s) {
  if (s == State::communications_interrupted) return "comm-int";
  if (s == State::resolution_interrupted) return "resolution-int";
  return std::string(core::to_string(s));
}

Line line_of(const Rule& r, const Reach& reached, std::optional<Role> role) {
  Line line{kind_of(r.trigger), trigger_text(r.trigger), {}, suffix_of(r, reached, role)};
  if (r.trigger != Trigger::peer_state) return line;
  if (reached.any_other) {
    line.items.emplace_back("any other");
    return line;
  }
  for (State p : core::all_states())
    if (reached.peers.contains(p)) line.items.emplace_back(short_name(p));
  return line;
}

std::string text_of(const Line& line) {
  if (line.items.empty()) return line.head + line.suffix;
  std::string s = line.head + ": ";
  for (std::size_t k = 0; k < line.items.size(); ++k) s += (k ? ", " : "") + line.items[k];
  return s + line.suffix;
}

/// The kind that draws a mixed edge: anything but a peer STATE is the rarer, telling cause.
int style_rank(CauseKind k) {
  switch (k) {
    case CauseKind::link_lost:
      return 6;
    case CauseKind::timer:
      return 5;
    case CauseKind::operator_action:
      return 4;
    case CauseKind::update_done:
      return 3;
    case CauseKind::observed:
      return 2;
    case CauseKind::boot:
      return 1;
    case CauseKind::peer_state:
      return 0;
  }
  return 0;
}

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

StateVertex add_state(StateGraph& g, State s) {
  const ServiceClass c = class_of(core::info(s).service);
  const std::string name(core::to_string(s));
  return boost::add_vertex(StateNode{NodeKind::state, s, id_of(name), name, c, colour_of(c)}, g);
}

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

std::string_view to_string(CauseKind k) {
  switch (k) {
    case CauseKind::peer_state:
      return "peer";
    case CauseKind::link_lost:
      return "link lost";
    case CauseKind::timer:
      return "timer";
    case CauseKind::operator_action:
      return "operator";
    case CauseKind::update_done:
      return "UPDDONE";
    case CauseKind::boot:
      return "boot";
    case CauseKind::observed:
      return "observed";
  }
  return "?";
}

StateGraph build_state_graph(const GraphOptions& options) {
  const std::optional<Role> role = options.role;
  const std::span<const Rule> rules = options.rules;
  StateGraph g;
  g[boost::graph_bundle].role = role;
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

ServiceClass service_class(State s) { return class_of(core::info(s).service); }

}  // namespace fosim::tools
