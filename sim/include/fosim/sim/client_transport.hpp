// The DHCP packets between clients and servers: one channel each way, with the scenario's
// client latency for every packet, so packets arrive in the order they were sent.
#pragma once

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
  void on_to_client();

 private:
  Kernel& kernel_;
  Simulator& sim_;
  const Scenario& scenario_;
  Channel<DhcpPacket> up_;    ///< client -> server
  Channel<DhcpPacket> down_;  ///< server -> client
};

}  // namespace fosim::sim
