// How a server answers a DHCPREQUEST for one address: ISC's dhcprequest() after find_lease()
// has looked the requested address up (ISC dhcp server/dhcp.c). ISC runs these rules on every
// REQUEST it hears, whichever server the client named (server-id-check is off by default), and
// never load-balances a REQUEST.
#pragma once

#include <cstdint>
#include <string_view>

#include "fosim/core/binding.hpp"

namespace fosim::core {

/// Whom the lease of the requested address is recorded for, as find_lease() compares the
/// lease's client identifier or hardware address with the request's.
enum class LeaseHolder : std::uint8_t {
  none,       ///< no client recorded
  requester,  ///< the client that asks
  other,      ///< another client
};

/// What the server knows of the requested address.
struct RequestQuery {
  BindingState state = BindingState::free;
  BindingState rewind = BindingState::free;  ///< the state the peer may know
  LeaseHolder holder = LeaseHolder::none;
  bool mine_to_reallocate = false;  ///< may_reallocate() of the lease
  bool offered_to_other = false;    ///< held for another client's OFFER (fosim's offer hold)
};

/// What the server does with the REQUEST.
enum class RequestVerdict : std::uint8_t {
  ack,                  ///< ack_lease()
  nak,                  ///< DHCPNAK
  lease_owned_by_peer,  ///< dropped: ": lease owned by peer"
  lease_in_transition,  ///< dropped: ": lease in transition state"
  unknown_lease,        ///< dropped: ": unknown lease"
};

/// Returns the verdict on a REQUEST for one address.
///
/// In ISC's order: find_lease() drops a lease recorded for another client unless it is FREE or
/// BACKUP, and dhcprequest() then NAKs if that lease was ACTIVE ("lease unavailable") and
/// ignores the request otherwise; an ABANDONED lease of the requester is reclaimed. Then the
/// failover checks: FREE or BACKUP not mine → owned by peer; EXPIRED or RELEASED whose rewind
/// state is not ACTIVE and not mine → in transition; RESET not mine → NAK. Anything left is
/// acknowledged, except a free lease held for another client's offer, which is NAKed.
constexpr RequestVerdict judge_request(const RequestQuery& q) {
  using B = BindingState;
  const bool free_or_backup = q.state == B::free || q.state == B::backup;
  if (q.holder == LeaseHolder::other && !free_or_backup)
    return q.state == B::active ? RequestVerdict::nak : RequestVerdict::unknown_lease;
  if (free_or_backup && !q.mine_to_reallocate) return RequestVerdict::lease_owned_by_peer;
  if ((q.state == B::expired || q.state == B::released) && q.rewind != B::active &&
      !q.mine_to_reallocate)
    return RequestVerdict::lease_in_transition;
  if (q.state == B::reset && !q.mine_to_reallocate) return RequestVerdict::nak;
  if (free_or_backup && q.offered_to_other) return RequestVerdict::nak;
  return RequestVerdict::ack;
}

}  // namespace fosim::core
