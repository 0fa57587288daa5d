// DHCP messages between clients and servers, reduced to what failover decisions depend on.
#pragma once

#include <cstdint>

#include "fosim/core/time.hpp"

namespace fosim::sim {

/// DHCP message types (RFC 2131) that the simulation exchanges.
enum class DhcpType : std::uint8_t { discover, offer, request, ack, nak, release };

/// Why a client sends a DHCPREQUEST (RFC 2131 §4.3.2).
enum class RequestKind : std::uint8_t {
  selecting,    ///< answering an OFFER (broadcast, with the chosen server's identifier)
  renewing,     ///< at T1, unicast to the server that granted the lease
  rebinding,    ///< at T2, broadcast to every server
  init_reboot,  ///< a returning client's INIT-REBOOT: broadcast, its lease, no server id, ciaddr 0
};

/// Returns "new", "renew", "rebind" or "reboot": how a grant is reported.
constexpr const char* grant_kind(RequestKind k) {
  return k == RequestKind::selecting   ? "new"
         : k == RequestKind::renewing  ? "renew"
         : k == RequestKind::rebinding ? "rebind"
                                       : "reboot";
}

/// One DHCP message. `server` is the receiver for client messages and the sender for replies.
struct DhcpPacket {
  DhcpType type = DhcpType::discover;
  RequestKind kind = RequestKind::selecting;
  std::uint8_t server = 0;         ///< 0 primary, 1 secondary
  std::uint8_t server_id = 0;      ///< REQUEST (selecting): the server whose OFFER was taken
  std::uint16_t secs = 0;          ///< seconds since the client began this exchange
  std::uint32_t client = 0;        ///< client index
  std::uint32_t lease = 0;         ///< address index + 1; 0 = none
  std::uint32_t lease_time_s = 0;  ///< OFFER / ACK: lease time granted
  core::Instant ends{};            ///< OFFER / ACK: the server's end, whole seconds (ISC TIME)
  std::uint32_t xid = 0;           ///< the client's transaction
};

}  // namespace fosim::sim
