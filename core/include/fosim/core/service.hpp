// What a server answers in each failover state (ISC dhcp server/failover.c
// dhcp_failover_set_service_state(), server/dhcp.c).
//
// ISC collapses its failover state, and the partner's, into a service state that the DHCP
// code consults. This header derives it from the state table and says which free-lease pool
// each service state may allocate from. Which individual lease may be reused is the finer
// ownership rule in binding.hpp.
#pragma once

#include <string_view>

#include "fosim/core/state.hpp"

namespace fosim::core {

/// The service state ISC computes, with the suffix it appends to "not responding" log lines.
struct ServiceView {
  Service service;
  std::string_view nrr;     ///< e.g. " (recovering)", " (peer demands: resolving conflicts)"
  bool renew_only = false;  ///< answers only DHCPREQUEST/RENEWING and /REBINDING
};

/// Returns the service of a server in `mine` whose partner was last seen in `partner`
/// (dhcp_failover_set_service_state(): a partner in partner-down or in conflict resolution
/// silences a server that would otherwise answer).
constexpr ServiceView service_of(State mine, State partner) {
  const StateInfo& row = info(mine);
  if (row.service == Service::not_responding) return {row.service, row.nrr};
  if (partner == State::partner_down)
    return {Service::not_responding, " (peer demands: recovering)"};
  if (partner == State::potential_conflict || partner == State::conflict_done ||
      partner == State::resolution_interrupted)
    return {Service::not_responding, " (peer demands: resolving conflicts)"};
  return {row.service, row.nrr};
}

/// Returns the service of a server in `mine` as draft-12 says it operates there; the states
/// not named below serve as in ISC (service_of()).
/// - resolution-interrupted: responds to every client, own pool, no load balancing (§9.11.2);
/// - conflict-done: fully responsive, as in communications-interrupted (§9.12.2);
/// - recover-done: responds only to DHCPREQUEST/RENEWING and /REBINDING (§9.7.1).
constexpr ServiceView draft12_service_of(State mine, State partner) {
  switch (mine) {
    case State::resolution_interrupted:
    case State::conflict_done:
      return {Service::not_cooperating, ""};
    case State::recover_done:
      return {Service::not_cooperating, " (recover done)", true};
    default:
      return service_of(mine, partner);
  }
}

/// Whether a service state answers DHCP at all (startup and not_responding do not).
constexpr bool responds(Service s) {
  return s == Service::cooperating || s == Service::not_cooperating || s == Service::partner_down;
}

/// Whether a server with service `v` answers every kind of request, not only renewals.
constexpr bool answers_all(const ServiceView& v) { return responds(v.service) && !v.renew_only; }

/// Whether DISCOVERs are load-balanced (only when cooperating, i.e. normal; ISC dhcpdiscover()).
constexpr bool load_balanced(Service s) { return s == Service::cooperating; }

/// The free-lease pools a service state may allocate new leases from (ISC pool_timer()).
struct AllocationPools {
  bool own;              ///< FREE on the primary, BACKUP on the secondary
  bool peer_after_mclt;  ///< the peer's free leases, once max(stos, tsfp) + MCLT has passed
};

/// Returns the pools a server with service `s` may allocate from.
constexpr AllocationPools allocation_pools(Service s) {
  switch (s) {
    case Service::cooperating:
    case Service::not_cooperating:
      return {true, false};
    case Service::partner_down:
      return {true, true};
    case Service::not_responding:
    case Service::startup:
      return {false, false};
  }
  return {false, false};
}

}  // namespace fosim::core
