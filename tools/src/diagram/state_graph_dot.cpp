// Writing the state graph as Graphviz dot with boost::write_graphviz: node and edge styles,
// the fixed layout hints (rows and clusters) and the legend.
#include <algorithm>
#include <array>
#include <boost/graph/graphviz.hpp>
#include <ostream>
#include <sstream>

#include "fosim/tools/escape.hpp"
#include "fosim/tools/state_graph.hpp"

namespace fosim::tools {
namespace {

using core::State;

// ---- Graphviz ----------------------------------------------------------------------------

/// Splits `text` into lines of at most about `width` characters, breaking only after ", "
/// and before " [" or " (", so a peer state or a qualifier is never cut in two.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> chunks;
  std::size_t begin = 0;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const bool after_comma = text[i - 1] == ',' && text[i] == ' ';
    const bool before_bracket = text[i] == ' ' && (text[i + 1] == '[' || text[i + 1] == '(');
    if (after_comma || before_bracket) {
      chunks.push_back(text.substr(begin, i + 1 - begin));
      begin = i + 1;
    }
  }
  chunks.push_back(text.substr(begin));
  std::vector<std::string> lines{""};
  for (const std::string& chunk : chunks) {
    if (!lines.back().empty() && lines.back().size() + chunk.size() > width + 1)
      lines.emplace_back();
    lines.back() += chunk;
  }
  for (std::string& line : lines)
    while (!line.empty() && line.back() == ' ') line.pop_back();
  return lines;
}

struct Style {
  const char* colour;
  const char* style;
  double penwidth;
};

Style style_of(CauseKind k) {
  switch (k) {
    case CauseKind::peer_state:
      return {"#000000", "solid", 1.2};
    case CauseKind::link_lost:
      return {"#c0392b", "dashed", 1.4};
    case CauseKind::timer:
      return {"#1f5fbf", "dotted", 1.8};
    case CauseKind::operator_action:
      return {"#7d3c98", "bold", 2.0};
    case CauseKind::update_done:
      return {"#1e8449", "solid", 1.6};
    case CauseKind::boot:
      return {"#666666", "dashed", 1.2};
    case CauseKind::observed:
      return {"#d35400", "dashed", 1.2};
  }
  return {"#000000", "solid", 1.0};
}

constexpr const char* faded = "#b0b0b0";

bool touched(const StateGraph& g, StateVertex v) {
  for (auto [it, end] = boost::out_edges(v, g); it != end; ++it)
    if (g[*it].taken > 0) return true;
  for (auto [it, end] = boost::in_edges(v, g); it != end; ++it)
    if (g[*it].taken > 0) return true;
  return false;
}

/// Layout hints: rows of states (rank=same groups) and an invisible chain from row to row.
/// They are hints only: dot breaks the graph's cycles and stacks the rows as it sees fit (2.43
/// draws potential-conflict above the partition pair and partner-down, where six states fall
/// on a peer's shutdown, at the bottom). This set was chosen by looking at renders: it keeps
/// startup on top, the recover family in one row, and no label over another. A row holding
/// two states joined by labelled edges both ways makes dot stack the labels, so the partition
/// pair and potential-conflict / resolution-interrupted are not rows.
struct Place {
  State state;
  int row;
};
constexpr std::array<Place, 13> layout{{
    {State::startup, 1},
    {State::recover, 2},
    {State::recover_wait, 2},
    {State::recover_done, 2},
    {State::normal, 3},
    {State::communications_interrupted, 4},
    {State::shutdown, 4},
    {State::partner_down, 5},
    {State::potential_conflict, 6},
    {State::resolution_interrupted, 7},
    {State::conflict_done, 7},
    {State::paused, 8},
    {State::unknown_state, 8},
}};
constexpr int exit_row = 8;

/// Returns (row, position in row) of a node; process start is first, the exit node last.
std::pair<int, std::size_t> place_of(const StateNode& n) {
  if (n.kind == NodeKind::process_start) return {0, 0};
  if (n.kind == NodeKind::process_exit) return {exit_row, layout.size()};
  for (std::size_t i = 0; i < layout.size(); ++i)
    if (layout[i].state == n.state) return {layout[i].row, i};
  return {exit_row, layout.size()};
}

struct VertexWriter {
  const StateGraph& g;
  void operator()(std::ostream& out, StateVertex v) const {
    const StateNode& n = g[v];
    if (n.kind == NodeKind::process_start) {
      out << "[label=\"process start\", shape=ellipse, style=dashed, fontsize=10]";
      return;
    }
    if (n.kind == NodeKind::process_exit) {
      out << "[label=\"exit (log_fatal)\", shape=octagon, fillcolor=\"" << n.colour
          << "\", fontsize=10]";
      return;
    }
    const std::optional<std::uint8_t> isc = core::to_isc(n.state);
    out << "[label=<<b>" << escape_html(n.name) << "</b>";
    if (isc) out << "<br/><font point-size=\"9\">ISC " << unsigned{*isc} << "</font>";
    out << ">, fillcolor=\"" << n.colour << "\"";
    if (g[boost::graph_bundle].highlighted && touched(g, v)) out << ", penwidth=2.5";
    out << "]";
  }
};

struct EdgeWriter {
  const StateGraph& g;
  void operator()(std::ostream& out, StateEdge e) const {
    const TransitionEdge& t = g[e];
    const bool fade = g[boost::graph_bundle].highlighted && t.taken == 0;
    const Style s = style_of(t.kind);
    out << "[label=<";
    bool first = true;
    for (const Cause& c : t.causes)
      for (const std::string& line : wrap(c.text, 30)) {
        out << (first ? "" : "<br/>") << "<font color=\""
            << (fade ? faded : style_of(c.kind).colour) << "\">" << escape_html(line) << "</font>";
        first = false;
      }
    if (t.taken > 0) out << (first ? "" : "<br/>") << "<b>&#215;" << t.taken << "</b>";  // ×N
    out << ">, color=\"" << (fade ? faded : s.colour) << "\", style=" << s.style;
    // A taken edge is 3 points wide, one more per doubling of its count, at most 7.
    if (t.taken > 0)
      out << ", penwidth=" << 3 + std::min(4, static_cast<int>(std::bit_width(t.taken)) - 1);
    else
      out << ", penwidth=" << s.penwidth;
    if (t.to_cluster) out << ", lhead=cluster_operating";
    out << "]";
  }
};

void write_legend(std::ostream& out, const DiagramInfo& info) {
  const auto row = [&out](std::string_view colour, std::string_view key, std::string_view text,
                          bool fill) {
    out << "    <tr><td" << (fill ? " bgcolor=\"" : "") << (fill ? colour : "")
        << (fill ? "\"" : "") << "><font color=\"" << (fill ? "#000000" : colour) << "\">" << key
        << "</font></td><td align=\"left\">" << text << "</td></tr>\n";
  };
  out << "  legend [shape=plaintext, style=\"\", fontsize=9, label=<\n"
         "    <table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">\n"
         "    <tr><td colspan=\"2\"><b>Legend</b></td></tr>\n";
  row(colour_of(ServiceClass::balanced), "balanced", "serves its load-balance half (cooperating)",
      true);
  row(colour_of(ServiceClass::responsive), "responsive",
      "serves every client (not cooperating, partner down)", true);
  row(colour_of(ServiceClass::unresponsive), "unresponsive", "answers nothing in failover pools",
      true);
  row(style_of(CauseKind::peer_state).colour, "solid black",
      "peer: STATE received with these states", false);
  row(style_of(CauseKind::link_lost).colour, "dashed red", "link lost (and the 15-s startup timer)",
      false);
  row(style_of(CauseKind::timer).colour, "dotted blue",
      "timer: MCLT (recover-wait), auto-partner-down", false);
  row(style_of(CauseKind::operator_action).colour, "bold purple",
      "operator: controlled shutdown, set-state", false);
  row(style_of(CauseKind::update_done).colour, "green", "UPDDONE received (updates finished)",
      false);
  if (info.highlighted)
    row("#000000", "thick, &#215;N", "taken N times in this run (faded: not taken)", false);
  out << "    <tr><td colspan=\"2\" align=\"left\" balign=\"left\">"
         "Not drawn: operator set-state (OMAPI local-state) forces ANY state;<br/>"
         "a peer STATE with an unknown state number sends any state to shutdown.<br/>"
         "In startup a server follows the edges of its saved state; [in startup]<br/>"
         "marks the one rule that differs. paused is entered only via OMAPI.<br/>"
         "In labels comm-int = communications-interrupted, resolution-int = "
         "resolution-interrupted.<br/>"
         "A peer in partner-down or conflict resolution silences a responsive server."
         "</td></tr>\n    </table>>];\n";
}

bool in_cluster(const StateNode& n) {
  return n.kind == NodeKind::state && n.state != State::startup;
}

/// The nodes of each row, left to right.
std::vector<std::vector<StateVertex>> rows_of(const StateGraph& g) {
  std::vector<std::pair<std::pair<int, std::size_t>, StateVertex>> nodes;
  for (auto [it, end] = boost::vertices(g); it != end; ++it)
    nodes.emplace_back(place_of(g[*it]), *it);
  std::sort(nodes.begin(), nodes.end());
  std::vector<std::vector<StateVertex>> rows;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i == 0 || nodes[i].first.first != nodes[i - 1].first.first) rows.emplace_back();
    rows.back().push_back(nodes[i].second);
  }
  return rows;
}

/// Writes `{ rank=same; ... }` for a row, with invisible edges that keep its left-to-right
/// order (only between neighbours with no real edge: dot 2.43 can lose a labelled flat edge
/// that has an invisible twin).
void write_row(std::ostream& out, const StateGraph& g, const std::vector<StateVertex>& row,
               std::string_view indent) {
  out << indent << "{ rank=same;";
  for (StateVertex v : row) out << " " << g[v].id << ";";
  for (std::size_t k = 1; k < row.size(); ++k)
    if (!boost::edge(row[k - 1], row[k], g).second && !boost::edge(row[k], row[k - 1], g).second)
      out << " " << g[row[k - 1]].id << " -> " << g[row[k]].id << " [style=invis];";
  out << " }\n";
}

/// Writes the cluster of operating states and the rows. A row inside the cluster is ranked
/// inside it (without newrank, dot honours a row's order only there); a row that straddles
/// the cluster border is left to the edges. An invisible chain stacks the rows, legend last.
void write_layout(std::ostream& out, const StateGraph& g) {
  const std::vector<std::vector<StateVertex>> rows = rows_of(g);
  const auto all_in = [&g](const std::vector<StateVertex>& row, bool inside) {
    return std::all_of(row.begin(), row.end(),
                       [&](StateVertex v) { return in_cluster(g[v]) == inside; });
  };
  out << "  subgraph cluster_operating {\n    label=\"operating states (saved in the lease "
         "file)\"; labeljust=l; fontsize=10; style=\"dashed,rounded\"; color=\"#999999\";\n";
  for (const std::vector<StateVertex>& row : rows) {
    if (all_in(row, true))
      write_row(out, g, row, "    ");
    else
      for (StateVertex v : row)
        if (in_cluster(g[v])) out << "    " << g[v].id << ";\n";
  }
  out << "  }\n";
  for (const std::vector<StateVertex>& row : rows)
    if (all_in(row, false) && row.size() > 1) write_row(out, g, row, "  ");
  for (std::size_t k = 1; k <= rows.size(); ++k)
    out << "  " << g[rows[k - 1].front()].id << " -> "
        << (k < rows.size() ? g[rows[k].front()].id : std::string("legend")) << " [style=invis];\n";
}

struct GraphWriter {
  const StateGraph& g;
  void operator()(std::ostream& out) const {
    const DiagramInfo& info = g[boost::graph_bundle];
    const std::string who = info.role ? std::string(core::to_string(*info.role)) : "both roles";
    out << "  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", labelloc=t, "
           "fontsize=16, nodesep=0.5, ranksep=0.6, "
        << "label=<<b>"
        << (info.profile == core::ProfileId::isc_4_4 ? "ISC dhcpd 4.4"
                                                     : "draft-12 (the draft's own rules)")
        << " failover states</b> (" << who << ")>];\n"
        << "  node [fontname=\"Helvetica\", fontsize=11, shape=box, style=\"rounded,filled\"];\n"
        << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
    write_layout(out, g);
    write_legend(out, info);
  }
};

}  // namespace

void write_dot(std::ostream& out, const StateGraph& g) {
  boost::write_graphviz(out, g, VertexWriter{g}, EdgeWriter{g}, GraphWriter{g},
                        boost::get(&StateNode::id, g));
}

std::string to_dot(const StateGraph& g) {
  std::ostringstream out;
  write_dot(out, g);
  return out.str();
}

}  // namespace fosim::tools
