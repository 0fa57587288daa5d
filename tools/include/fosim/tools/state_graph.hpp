// The failover state machine as a Boost.Graph, and its Graphviz rendering.
//
// `build_state_graph()` walks the ISC transition table (core/transition_table.hpp) once and
// turns every rule that moves the state into an edge. Rules that share a (from, to) pair are
// merged into ONE edge whose label lists their causes compactly ("peer: recover, shutdown",
// "link lost", "UPDDONE (primary)"), so the picture has at most one arrow between two states.
// The table is first-match, so a rule's label names only the peer states that reach it, and a
// rule that an earlier, more specific row pre-empts carries the negation ("[not in startup]").
//
// Three things are deliberately not edges between states: the operator's OMAPI `local-state`
// (it can force any state, so it is a note in the legend), process start (one edge from a
// "process start" node into startup) and leaving startup (one edge "resume saved state" into
// the cluster of operating states, because the rules of the saved state then apply). The
// rows where ISC calls log_fatal end in a small "exit (log_fatal)" node.
//
// `highlight_transitions()` marks the edges a run took, with a count per edge, so that a
// simulator run can write its own `states.dot`; a move the static table does not draw (a
// startup resumption, an operator `set-state`) is added as an extra "observed" edge, so a run's
// picture never loses a transition. `write_dot()` writes the graph with boost::write_graphviz.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/state.hpp"
#include "fosim/core/transition_table.hpp"

namespace fosim::tools {

/// What a vertex stands for.
enum class NodeKind : std::uint8_t {
  state,          ///< an ISC failover state
  process_start,  ///< the daemon starts: every relationship enters startup
  process_exit,   ///< ISC calls log_fatal and the daemon exits
};

/// The colour class of a state, from ISC's service state (ISC dhcp_failover_set_service_state()).
enum class ServiceClass : std::uint8_t {
  balanced,      ///< cooperating (normal): answers its half of the clients
  responsive,    ///< not cooperating / partner down: answers every client
  unresponsive,  ///< not responding / startup: answers nothing in failover pools
};

/// Returns the fill colour of a service class (the diagram and the report use the same).
std::string colour_of(ServiceClass c);

/// Returns the colour class of failover state `s`.
ServiceClass service_class(core::State s);

/// Returns "balanced", "responsive" or "unresponsive".
std::string_view to_string(ServiceClass c);

/// What made a transition happen; one kind per line of an edge label.
enum class CauseKind : std::uint8_t {
  peer_state,       ///< a STATE message from the peer
  link_lost,        ///< the failover link dropped (also the 15-s startup timer)
  timer,            ///< the recover-wait (MCLT) or auto-partner-down timer
  operator_action,  ///< controlled shutdown through OMAPI
  update_done,      ///< an UPDDONE message arrived
  boot,             ///< process start, or leaving startup for the saved state
  observed,         ///< added by highlight_transitions(): a move the table does not draw
};

/// Returns the short name of a cause kind ("peer", "link lost", "UPDDONE", ...).
std::string_view to_string(CauseKind k);

/// Bundled vertex properties.
struct StateNode {
  NodeKind kind = NodeKind::state;
  core::State state = core::State::unknown_state;  ///< meaningful for NodeKind::state only
  std::string id;                                  ///< dot identifier, e.g. "partner_down"
  std::string name;                                ///< ISC spelling, e.g. "partner-down"
  ServiceClass service = ServiceClass::unresponsive;
  std::string colour;  ///< fill colour, "#rrggbb"
};

/// One cause of a merged edge, e.g. kind peer_state, text "peer: recover, shutdown".
struct Cause {
  CauseKind kind = CauseKind::peer_state;
  std::string text;
};

/// Bundled edge properties.
struct TransitionEdge {
  std::vector<Cause> causes;               ///< one entry per label line, in table order
  std::string label;                       ///< the causes' texts joined by newlines
  CauseKind kind = CauseKind::peer_state;  ///< the kind that sets the line style
  std::size_t rule_count = 0;              ///< transition-table rows merged into this edge
  bool to_cluster = false;  ///< the head is the operating-state cluster (startup resume)
  std::uint64_t taken = 0;  ///< times a run took this edge (0 = not highlighted)
};

/// Bundled graph properties.
struct DiagramInfo {
  std::optional<core::Role> role;  ///< the role the graph was filtered for, if any
  bool highlighted = false;        ///< highlight_transitions() was applied
  core::ProfileId profile = core::ProfileId::isc_4_4;  ///< whose rules and service it draws
};

/// The state machine graph.
using StateGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, StateNode,
                                         TransitionEdge, DiagramInfo>;
using StateVertex = boost::graph_traits<StateGraph>::vertex_descriptor;
using StateEdge = boost::graph_traits<StateGraph>::edge_descriptor;

/// Options for build_state_graph().
struct GraphOptions {
  /// Keep only rules whose guard allows this role; empty = both, with the role in labels.
  std::optional<core::Role> role;
  /// The rules to draw, in match order (default: the profile's, core::applied_rules()).
  std::span<const core::Rule> rules = {};
  /// Whose semantics: the rules (unless given) and the service each state is coloured by.
  core::ProfileId profile = core::ProfileId::isc_4_4;
};

/// Builds the graph: one vertex per state a server can be in, one merged edge per (from, to).
StateGraph build_state_graph(const GraphOptions& options = {});

/// Returns the vertex of state `s`, if the graph has one.
std::optional<StateVertex> find_state(const StateGraph& g, core::State s);

/// Returns the vertex of the given non-state kind (process start or exit), if present.
std::optional<StateVertex> find_node(const StateGraph& g, NodeKind kind);

/// Returns the edge `from` -> `to` drawn for the transition table (not the startup resume).
std::optional<StateEdge> find_transition(const StateGraph& g, core::State from, core::State to);

/// How often a run moved from one state to another, as ISC logs "I move from A to B".
using TransitionCounts = std::map<std::pair<core::State, core::State>, std::uint64_t>;

/// Marks the edges of `counts` as taken, with their counts. A move into startup counts on the
/// process-start edge; a move the graph has no edge for (startup -> saved state) becomes an
/// extra edge of kind `observed`. The moves of `forced` (operator set-state, part of `counts`)
/// get an edge of their own, kind `operator_action`, so that an operator's partner-down is never
/// drawn as if a timer or the peer had caused it. Returns how many edges were added.
std::size_t highlight_transitions(StateGraph& g, const TransitionCounts& counts,
                                  const TransitionCounts& forced = {});

/// Writes `g` as Graphviz dot (boost::write_graphviz), with styles, ranks and a legend.
void write_dot(std::ostream& out, const StateGraph& g);

/// Returns write_dot()'s output as a string.
std::string to_dot(const StateGraph& g);

}  // namespace fosim::tools
