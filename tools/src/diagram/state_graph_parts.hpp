// Internal to the state graph: the parts its source files share. state_graph_reach.cpp works
// out which part of a rule the first-match table leaves for a state, state_graph_labels.cpp
// turns that into one line of an edge label, state_graph.cpp builds the graph from both, and
// state_graph_highlight.cpp marks a run's moves on it (adding states with add_state()).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fosim/tools/state_graph.hpp"

namespace fosim::tools::detail {

/// Which peer states and conditions really reach a rule (first match).
struct Reach {
  core::StateSet peers;                 ///< the peer states this rule still sees
  bool any_other = false;               ///< the rule lists every state, earlier rows took some
  std::vector<std::string> qualifiers;  ///< "in startup", "no STARTUP bit", ...
};

/// Returns true when guard `g` lets a server of `role` use the rule (always without a role).
bool role_allows(core::Guard g, std::optional<core::Role> role);

/// Works out which part of rule `i` is left for state `from` once earlier rows have matched.
Reach reach(std::span<const core::Rule> rules, std::size_t i, core::State from,
            std::optional<core::Role> role);

/// One label line under construction; peer lines of equal qualifiers are merged.
struct Line {
  CauseKind kind;
  std::string head;                ///< "peer", "link lost", "UPDDONE", ...
  std::vector<std::string> items;  ///< peer states (peer lines only)
  std::string suffix;              ///< " (primary) [in startup]"
};

/// Returns the label line of rule `r` for the part of it that `reached` describes.
Line line_of(const core::Rule& r, const Reach& reached, std::optional<core::Role> role);

/// Returns a label line as text: "head: item, item suffix".
std::string text_of(const Line& line);

/// Returns the rank of a cause kind; the highest-ranked kind of a mixed edge draws it.
int style_rank(CauseKind k);

/// Adds the vertex of state `s`, coloured by its service class.
StateVertex add_state(StateGraph& g, core::State s);

}  // namespace fosim::tools::detail
