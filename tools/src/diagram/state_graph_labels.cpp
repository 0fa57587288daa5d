// The label line a transition rule adds to its edge: the cause ("peer", "link lost",
// "timer: MCLT", ...), the peer states that reach the rule and its qualifiers, and the kind
// that sets the edge's line style.
#include <string>

#include "state_graph_parts.hpp"

namespace fosim::tools {
namespace detail {
namespace {

using core::Guard;
using core::Role;
using core::Rule;
using core::State;
using core::Trigger;

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

}  // namespace

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

}  // namespace detail

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

}  // namespace fosim::tools
