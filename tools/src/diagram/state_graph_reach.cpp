// Which part of a transition rule reaches a state. The table is first-match, so a rule sees
// only the peer states and conditions that earlier rows leave it; reach() works that out and
// writes the conditions as the qualifiers of the rule's label ("not in startup", ...).
#include <algorithm>
#include <cstdint>

#include "state_graph_parts.hpp"

namespace fosim::tools::detail {
namespace {

using core::Guard;
using core::Role;
using core::Rule;
using core::State;
using core::StateSet;

// ---- guards as text --------------------------------------------------------------------

constexpr std::uint16_t bits(Guard g) { return static_cast<std::uint16_t>(g); }
constexpr Guard guard_of(std::uint16_t b) { return static_cast<Guard>(b); }
constexpr std::uint16_t role_bits = bits(Guard::primary | Guard::secondary);

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
    case Guard::storage_lost:
      return negated ? "lease file kept" : "lease file lost";
    case Guard::storage_kept:
      return negated ? "lease file lost" : "lease file kept";
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

StateSet peers_of(const Rule& r) { return r.peer.empty() ? StateSet::all_isc() : r.peer; }

}  // namespace

bool role_allows(Guard g, std::optional<Role> role) {
  if (!role) return true;
  if (core::includes(g, Guard::primary) && *role != Role::primary) return false;
  return !(core::includes(g, Guard::secondary) && *role != Role::secondary);
}

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

}  // namespace fosim::tools::detail
