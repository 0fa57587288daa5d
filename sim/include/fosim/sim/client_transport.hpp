// The DHCP packets between clients and servers: one channel up, and one down from each server
// with its reply latency (the scenario's client latency unless set), each in send order.
#pragma once

#include <array>

#include "fosim/sim/channel.hpp"
#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

class Simulator;

/// The client <-> server packet channels of one run.
class ClientTransport {
 public:
  /// The transport between `sim`'s clients and servers, on `kernel`'s clock.
  ClientTransport(Kernel& kernel, Simulator& sim, const Scenario& scenario)
      : kernel_(kernel), sim_(sim), scenario_(scenario) {}

  /// A client sends `p` to server `p.server`.
  void to_server(const DhcpPacket& p);
  /// A server sends `p` to client `p.client`.
  void to_client(const DhcpPacket& p);

  /// The client -> server packets due now arrive (an ev::DhcpToServer ran).
  void on_to_server();
  /// The server -> client packets due now arrive (an ev::DhcpToClient ran).
  void on_to_client(std::uint8_t server);

 private:
  Kernel& kernel_;
  Simulator& sim_;
  const Scenario& scenario_;
  Channel<DhcpPacket> up_;                   ///< client -> server
  std::array<Channel<DhcpPacket>, 2> down_;  ///< server -> client, one path per server
};

}  // namespace fosim::sim
