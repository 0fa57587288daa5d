// Binding (lease) states and the pure rules that move a lease between them in a failover pool
// (ISC dhcp server/failover.c: lease_mine_to_reallocate(), failover_lease_is_better(),
// dhcp_failover_process_bind_update(); server/mdb.c).
//
// The codes are ISC's (dhcp includes/dhcpd.h FTS_*), which are also draft-12's binding-status
// values. ISC 3.0.x had two more states, reserved (8) and bootp (9); in 4.x they are flags on
// a lease (IP-flags bits on the wire), so `from_code(8)` and `from_code(9)` give nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/time.hpp"

namespace fosim::core {

/// A lease's binding state; the values are ISC's codes.
enum class BindingState : std::uint8_t {
  free = 1,  ///< available to the primary
  active = 2,
  expired = 3,
  released = 4,
  abandoned = 5,
  reset = 6,   ///< set by an operator
  backup = 7,  ///< available to the secondary
};

/// Returns ISC's name ("free", "active", ..., "backup").
std::string_view to_string(BindingState s);

/// Returns the ISC code of `s` (1..7).
constexpr std::uint8_t to_code(BindingState s) { return static_cast<std::uint8_t>(s); }

/// Returns the state with ISC code `code`, or nothing (3.0.x's 8 reserved / 9 bootp are
/// flags in 4.x, not states).
constexpr std::optional<BindingState> from_code(unsigned code) {
  if (code < 1 || code > 7) return std::nullopt;
  return static_cast<BindingState>(code);
}

/// Parses a binding state name in any case ("FREE", "backup"); nothing if unknown.
std::optional<BindingState> parse_binding_state(std::string_view text);

/// Returns the binding state a server keeps for its own free leases: FREE on the primary,
/// BACKUP on the secondary.
constexpr BindingState own_free_state(Role role) {
  return role == Role::primary ? BindingState::free : BindingState::backup;
}

/// Returns the binding state of the partner's free leases: BACKUP seen from the primary, FREE
/// seen from the secondary.
constexpr BindingState peer_free_state(Role role) {
  return role == Role::primary ? BindingState::backup : BindingState::free;
}

/// What a server needs to decide whether it may hand out a lease again.
struct OwnershipQuery {
  Role role = Role::primary;
  bool partner_down = false;  ///< the service state is partner-down
  BindingState state = BindingState::free;
  BindingState rewind = BindingState::free;  ///< the state the peer may know
  Instant tsfp{};                            ///< potential expiry acknowledged by the partner
  Instant stos{};  ///< when this server entered its current failover state
  Seconds mclt{0};
  Instant now{};
};

/// Returns whether the server may (re)allocate the lease (ISC lease_mine_to_reallocate(),
/// ISC dhcp server/failover.c). All comparisons are strict: in partner-down a server takes its
/// peer's free leases only once now > max(stos, tsfp) + MCLT.
bool may_reallocate(const OwnershipQuery& q);

/// Why a BNDUPD is refused (the BNDACK reject reason; ISC dhcp_failover_reject_reason_print()).
enum class RejectReason : std::uint8_t {
  none = 0,
  fatal_conflict = 2,       ///< "Fatal conflict exists: address in use by other client."
  less_critical_info = 16,  ///< "Less critical binding information."
};

/// What a server knows when a partner's BNDUPD for one lease arrives.
struct UpdateCheck {
  Role role = Role::primary;                   ///< the receiving server's role
  bool normal = false;                         ///< the receiver's failover state is normal
  BindingState current = BindingState::free;   ///< L: the receiver's binding state
  BindingState incoming = BindingState::free;  ///< N: the state in the BNDUPD
  Instant potential_expiry{};                  ///< the BNDUPD's potential-expiration-time
  Instant ends{};                              ///< the receiver's lease end
  Instant now{};
};

/// The clock-skew allowance ISC adds when a secondary accepts an early EXPIRED (60 s + fudge).
inline constexpr Seconds expiry_skew_allowance{65};

/// Returns whether the receiver accepts the binding-state transition L -> N (ISC's
/// normal_/conflict_binding_state_transition_check(), ISC dhcp_failover_process_bind_update()); a
/// refusal is answered with reject reason 2 ("<ip>: invalid state transition: L to N").
bool accepts_update(const UpdateCheck& c);

/// Returns the state the receiver stores after accepting N: EXPIRED, RELEASED and RESET
/// become FREE on both servers (ISC dhcp_failover_process_bind_update()).
constexpr BindingState stored_state(BindingState incoming) {
  switch (incoming) {
    case BindingState::expired:
    case BindingState::released:
    case BindingState::reset:
      return BindingState::free;
    default:
      return incoming;
  }
}

/// Two servers updated the same lease and their BNDUPDs crossed (ISC failover_lease_is_better()).
struct Duel {
  Role role = Role::primary;                   ///< the receiving server's role
  BindingState ours = BindingState::active;    ///< our unacked update's state
  BindingState theirs = BindingState::active;  ///< the incoming update's state
  Instant our_cltt{};
  Instant their_cltt{};
};

/// Returns true when the incoming update wins the duel (ISC failover_lease_is_better());
/// the loser's sender gets reject reason 16.
bool incoming_wins(const Duel& d);

}  // namespace fosim::core
