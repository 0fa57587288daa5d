// Lease times under the maximum client lead time (ISC dhcp server/dhcp.c ack_lease()).
//
// A failover server may promise a client at most MCLT beyond what its partner has
// acknowledged. ISC applies the rule to every OFFER and ACK in a failover pool, in every
// failover state (partner-down included): with D the desired time, M the MCLT, T the lease's
// tsfp (the potential expiry the partner acknowledged) and n now, the grant is
//   D              if D <= M
//   M              if T <= n          (nothing acknowledged beyond now)
//   T + M - n      if n + D > T + M   (the acknowledged expiry plus MCLT is the limit)
//   D              otherwise          (the partner already knows a late enough expiry)
// The ACK then tells the partner a potential expiry tstp = n + D + G/2. Protocol arithmetic is
// in whole seconds, as in ISC; instants stay simulated-millisecond `Instant`s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fosim/core/time.hpp"

namespace fosim::core {

/// ISC's min-lease-time when not configured (dhcp: server/dhcp.c, ack_lease()).
inline constexpr Seconds default_min_lease_time{300};

/// How long an OFFERed lease is held for the client (dhcp: server/dhcp.c, dhcpdiscover()).
inline constexpr Seconds offer_hold_time{120};

/// The lease-time settings of a pool or scope.
struct LeaseTimeConfig {
  Seconds default_lease_time{43200};        ///< ISC default-lease-time default
  Seconds max_lease_time{86400};            ///< ISC max-lease-time default
  std::optional<Seconds> min_lease_time{};  ///< unset: 300 s capped at max-lease-time
};

/// Returns min-lease-time in force: the configured one, else 300 s capped at max-lease-time.
Seconds min_lease_time(const LeaseTimeConfig& config);

/// Returns the desired lease time D before the MCLT rule: the client's request (or the
/// default-lease-time), capped at max-lease-time, then raised to min-lease-time.
Seconds desired_lease_time(const LeaseTimeConfig& config, std::optional<Seconds> requested = {});

/// Why a grant has the length it has.
enum class GrantReason : std::uint8_t {
  uncapped,        ///< D <= MCLT
  capped_at_mclt,  ///< tsfp <= now: the partner acknowledged nothing beyond now
  partner_bound,   ///< tsfp + MCLT - now: limited by what the partner acknowledged
  full_after_ack,  ///< D: the partner already acknowledged a late enough expiry
};

/// A grant: the lease time the client receives, and why.
struct Grant {
  Seconds lease_time;
  GrantReason reason;
};

/// Returns the lease time a failover server grants (dhcp: server/dhcp.c, ack_lease()).
Grant grant_lease_time(Seconds desired, Seconds mclt, Instant tsfp, Instant now);

/// Returns the potential expiry an ACK records and sends to the partner: now + D + G/2.
Instant ack_tstp(Seconds desired, Seconds granted, Instant now);

/// Returns a one-line explanation of `reason`, e.g. "capped at MCLT: ...".
std::string describe(GrantReason reason);

/// The failover timestamps of one lease (ISC supersede_lease()).
struct LeaseTimes {
  Instant ends{};   ///< when the lease expires for the client (0: never used)
  Instant tstp{};   ///< potential expiry sent (or to be sent) to the partner
  Instant tsfp{};   ///< potential expiry acknowledged by / received from the partner
  Instant atsfp{};  ///< the last value the partner really acknowledged
  Instant cltt{};   ///< client's last transaction time
};

/// Returns the lease after an OFFER: held until max(now + 120 s, old ends), tstp unchanged.
LeaseTimes on_offer(LeaseTimes lease, Instant now);

/// Returns the lease after an ACK of `granted` for desired `desired`: ends, tstp, cltt, and
/// tsfp lowered to tstp when tstp is earlier (a shortened promise cannot be exploited).
LeaseTimes on_ack(LeaseTimes lease, Seconds desired, Seconds granted, Instant now);

/// Returns the lease after the partner acknowledged our BNDUPD: tsfp = atsfp = tstp.
LeaseTimes on_bndack(LeaseTimes lease);

/// Returns the lease after accepting the partner's BNDUPD with `potential_expiry`.
LeaseTimes on_peer_update(LeaseTimes lease, Instant ends, Instant potential_expiry);

/// Returns true when the lease holds a change the partner has not acknowledged (tstp > atsfp).
constexpr bool unacked(const LeaseTimes& lease) { return lease.tstp > lease.atsfp; }

}  // namespace fosim::core
