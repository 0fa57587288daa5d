// The DHCP packets between clients and servers: one channel up, and one down from each server
// with its reply latency, each in send order. A server's reply latency is the scenario's own
// when set; when neither server sets one, one of them, drawn from the seed, answers 1 or 2 ms
// later than the client latency, so that neither is always first to OFFER.
#pragma once

#include <array>

#include "fosim/sim/channel.hpp"
#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

class Simulator;

/// The client <-> server packet channels of one run.
class ClientTransport {
 public:
  /// The transport between `sim`'s clients and servers, on `kernel`'s clock.
  ClientTransport(Kernel& kernel, Simulator& sim, const Scenario& scenario);
  /// A copy of `other`'s packets in flight, wired to `kernel` and `sim` (a clone's).
  ClientTransport(const ClientTransport& other, Kernel& kernel, Simulator& sim);

  /// Draws the servers' reply latencies that the scenario leaves open (one draw of `rng`, or
  /// none when a server sets its own).
  void draw_reply_latencies(Rng& rng);
  /// The latency of server `server`'s replies to the clients.
  Duration reply_latency(std::size_t server) const { return reply_latency_[server]; }

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
  std::array<Duration, 2> reply_latency_{};  ///< per server
};

}  // namespace fosim::sim
