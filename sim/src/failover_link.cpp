// The failover link: sending, delivering, connecting, closing and partitioning.
#include "fosim/sim/failover_link.hpp"

#include <string>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

FailoverLink::FailoverLink(Kernel& kernel, Simulator& sim, const Scenario& scenario)
    : kernel_(kernel), sim_(sim), scenario_(scenario), now_(kernel.clock()) {}

Server& FailoverLink::server(std::size_t i) { return sim_.server(i); }

void FailoverLink::on_deliver(std::size_t from) {
  in_flight_[from].receive(now_, [this, from](const Message& m) { deliver(from, m); });
}

void FailoverLink::deliver(std::size_t from, const Message& m) {
  // Data sent before a close still arrives while the receiver holds that connection (the FIN
  // comes after it); a receiver that has moved on drops it.
  // A receiver that reads nothing now finds it in its socket later (a connection it has not
  // accepted yet included).
  const Server& to = server(1 - from);
  if (m.connection != to.connection() && !to.holds_input()) return;
  if (tracing()) {
    ProtocolMessage p;
    p.type = to_string(m.type);
    p.from_host = server(from).host();
    if (m.type == MessageType::bndupd || m.type == MessageType::bndack) {
      p.ip = scenario_.pool.first + m.lease;
      p.binding = core::to_string(m.binding);
      p.reject = to_string(m.reject);
    }
    p.has_state = m.type == MessageType::state;
    p.state = m.state;
    p.startup = m.startup_flag;
    trace({now_, static_cast<int>(1 - from), std::move(p), {}});
  }
  server(1 - from).on_message(m, now_);
}

void FailoverLink::send(std::size_t from, const Message& m) {
  if (m.connection != connection_ || connection_ == 0) return;
  if (path_up_[from]) {
    in_flight_[from].send(kernel_, m, now_ + scenario_.link_latency,
                          ev::Deliver{static_cast<std::uint8_t>(from)});
  } else {
    held_[from].push_back(m);  // TCP keeps retransmitting; delivered if the path heals in time
  }
}

void FailoverLink::close_connection(std::size_t from, std::uint32_t connection, bool fin) {
  if (connection != connection_) return;
  connection_ = 0;
  held_[0].clear();
  held_[1].clear();
  if (fin && path_up_[from] && server(from).host_up())
    kernel_.post(now_ + scenario_.link_latency,
                 ev::Fin{static_cast<std::uint8_t>(1 - from), connection});
}

ConnectResult FailoverLink::try_connect(std::size_t from) {
  const std::size_t to = 1 - from;
  Server& peer = server(to);
  if (!path_up_[from] || !peer.host_up()) return ConnectResult::lost;  // SYN lost
  if (!peer.running()) return path_up_[to] ? ConnectResult::refused : ConnectResult::lost;  // RST
  if (!path_up_[to]) return ConnectResult::lost;  // SYN-ACK lost
  // A process that reads nothing (frozen, stalled) has its kernel complete the handshake
  // into the listen queue, up to its length; later SYNs are dropped.
  if (peer.holds_input() && !peer.backlog_has_room()) return ConnectResult::lost;
  if ((peer.connection() != 0 && !peer.holds_input()) || connection_ != 0)
    return ConnectResult::duplicate;
  connection_ = next_connection_++;  // messages of older connections are dropped on arrival
  server(from).on_tcp_up(now_, connection_);
  peer.on_tcp_up(now_, connection_);
  return ConnectResult::connected;
}

void FailoverLink::partition(Direction d, bool down) {
  for (std::size_t from = 0; from < 2; ++from) {
    const bool affected = d == Direction::both ||
                          (d == Direction::primary_to_secondary && from == 0) ||
                          (d == Direction::secondary_to_primary && from == 1);
    if (!affected) continue;
    path_up_[from] = !down;
    if (!down) {
      // Healed: what TCP held back arrives now, in order.
      while (!held_[from].empty()) {
        in_flight_[from].send(kernel_, held_[from].front(), now_ + scenario_.link_latency,
                              ev::Deliver{static_cast<std::uint8_t>(from)});
        held_[from].pop_front();
      }
    }
  }
}

}  // namespace fosim::sim
