#include "fosim/core/binding.hpp"

#include <array>
#include <initializer_list>

namespace fosim::core {
namespace {

constexpr std::array<std::string_view, 8> names{"",         "free",      "active", "expired",
                                                "released", "abandoned", "reset",  "backup"};

Instant later(Instant a, Instant b) { return a < b ? b : a; }

bool one_of(BindingState s, std::initializer_list<BindingState> set) {
  for (BindingState x : set)
    if (s == x) return true;
  return false;
}

}  // namespace

std::string_view to_string(BindingState s) { return names[to_code(s)]; }

std::optional<BindingState> parse_binding_state(std::string_view text) {
  for (unsigned code = 1; code <= 7; ++code) {
    const std::string_view name = names[code];
    if (name.size() != text.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size(); ++i) {
      const char c =
          text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
      same = same && c == name[i];
    }
    if (same) return from_code(code);
  }
  return std::nullopt;
}

bool may_reallocate(const OwnershipQuery& q) {
  // After partner-down began (or the partner's promise ran out), plus MCLT.
  const bool peer_lease_usable = q.partner_down && q.now > later(q.stos, q.tsfp) + q.mclt;
  const bool transition_usable = q.partner_down && q.tsfp < q.now;
  const bool primary = q.role == Role::primary;
  switch (q.state) {
    case BindingState::active:
      return false;
    case BindingState::free:
    case BindingState::abandoned:
      return primary || peer_lease_usable;
    case BindingState::backup:
      return !primary || peer_lease_usable;
    case BindingState::expired:
    case BindingState::released:
      if (q.rewind == own_free_state(q.role)) return true;
      return transition_usable;
    case BindingState::reset:
      return transition_usable;
  }
  return false;
}

bool accepts_update(const UpdateCheck& c) {
  using B = BindingState;
  const B l = c.current;
  const B n = c.incoming;
  const bool promise_over = c.potential_expiry <= c.now;
  const bool expiry_plausible = c.ends - expiry_skew_allowance <= c.now;
  if (!c.normal) {
    if (l == B::active && one_of(n, {B::free, B::backup})) return false;
    if (l == B::active && n == B::expired && !expiry_plausible) return false;
    return true;
  }
  if (n == l) return true;
  switch (l) {
    case B::free:
    case B::abandoned:
    case B::backup:
    case B::released:
      return true;
    case B::active:
      if (c.role == Role::primary) return one_of(n, {B::released, B::abandoned});
      if (one_of(n, {B::free, B::backup})) return promise_over;
      if (n == B::expired) return expiry_plausible;
      return true;  // released, abandoned, reset
    case B::expired:
    case B::reset:
      if (one_of(n, {B::free, B::backup})) return promise_over;
      return true;
  }
  return false;
}

bool incoming_wins(const Duel& d) {
  using B = BindingState;
  const bool primary = d.role == Role::primary;
  if (d.ours == B::active) {
    if (d.theirs == B::active) {
      if (d.their_cltt != d.our_cltt) return d.their_cltt > d.our_cltt;
      return !primary;  // equal: the primary's copy wins
    }
    if (d.theirs == B::expired) return true;
    return !primary;
  }
  if (d.theirs == B::active) return true;
  return !primary;
}

}  // namespace fosim::core
