// The client transport: packets onto their channel, and off it to their receiver.
#include "fosim/sim/client_transport.hpp"

#include "fosim/sim/clients.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

ClientTransport::ClientTransport(Kernel& kernel, Simulator& sim, const Scenario& scenario)
    : kernel_(kernel), sim_(sim), scenario_(scenario) {
  for (std::size_t s = 0; s < 2; ++s)
    reply_latency_[s] = scenario.servers[s].reply_latency.value_or(scenario.client_latency);
}

// Every member but the wiring: keep in step with the class.
ClientTransport::ClientTransport(const ClientTransport& other, Kernel& kernel, Simulator& sim)
    : kernel_(kernel),
      sim_(sim),
      scenario_(other.scenario_),
      up_(other.up_),
      down_(other.down_),
      reply_latency_(other.reply_latency_) {}

void ClientTransport::draw_reply_latencies(Rng& rng) {
  if (scenario_.servers[0].reply_latency || scenario_.servers[1].reply_latency) return;
  // One draw: which server is slower (bit 0) and by how much, 1 or 2 ms (bit 1).
  const std::uint64_t x = rng.below(4);
  reply_latency_[x & 1U] += Duration{1 + static_cast<std::int64_t>(x >> 1U)};
}

void ClientTransport::to_server(const DhcpPacket& p) {
  up_.send(kernel_, p, kernel_.now() + scenario_.client_latency, ev::DhcpToServer{});
}

void ClientTransport::to_client(const DhcpPacket& p) {
  down_[p.server].send(kernel_, p, kernel_.now() + reply_latency_[p.server],
                       ev::DhcpToClient{p.server});
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
