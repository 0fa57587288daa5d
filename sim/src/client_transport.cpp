// The client transport: packets onto their channel, and off it to their receiver.
#include "fosim/sim/client_transport.hpp"

#include "fosim/sim/clients.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

void ClientTransport::to_server(const DhcpPacket& p) {
  up_.send(kernel_, p, kernel_.now() + scenario_.client_latency, ev::DhcpToServer{});
}

void ClientTransport::to_client(const DhcpPacket& p) {
  const Duration latency =
      scenario_.servers[p.server].reply_latency.value_or(scenario_.client_latency);
  down_[p.server].send(kernel_, p, kernel_.now() + latency, ev::DhcpToClient{p.server});
}

void ClientTransport::on_to_server() {
  const core::Instant now = kernel_.now();
  up_.receive(now, [this, now](const DhcpPacket& p) { sim_.server(p.server).on_dhcp(p, now); });
}

void ClientTransport::on_to_client(std::uint8_t server) {
  const core::Instant now = kernel_.now();
  down_[server].receive(now, [this, now](const DhcpPacket& p) { sim_.clients().on_reply(p, now); });
}

}  // namespace fosim::sim
