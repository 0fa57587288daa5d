// The failover link: sending, delivering, connecting, closing and partitioning.
#include "fosim/sim/failover_link.hpp"

#include <span>
#include <string>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

/// Linux 6.5 and later (commit ccce324dabfe "tcp: make the first N SYN RTO backoffs linear":
/// tcp_syn_linear_timeouts 4, tcp_syn_retries 6): SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s,
/// the attempt fails at 131 s.
constexpr std::array<std::int64_t, 11> linux_current_s{1, 1, 1, 1, 1, 2, 4, 8, 16, 32, 64};
/// Linux before 6.5 (tcp_syn_retries 6, the RTO doubling from 1 s): SYNs at 0, 1, 3, 7, 15, 31,
/// 63 s, the attempt fails at 127 s.
constexpr std::array<std::int64_t, 7> linux_pre_6_5_s{1, 2, 4, 8, 16, 32, 64};

}  // namespace

std::vector<Duration> syn_waits(const Scenario& sc) {
  std::vector<Duration> out;
  if (sc.syn_schedule == SynSchedule::list) {
    out = sc.syn_waits;
  } else {
    const bool old = sc.syn_schedule == SynSchedule::linux_pre_6_5;
    for (const std::int64_t s : old ? std::span<const std::int64_t>(linux_pre_6_5_s)
                                    : std::span<const std::int64_t>(linux_current_s))
      out.push_back(core::Seconds{s});
  }
  // The kernel's timers run late on long back-offs; the wait grows by its share, rounded down.
  for (Duration& d : out) d += Duration{d.count() * sc.syn_lateness_ppm / 1000000};
  return out;
}

FailoverLink::FailoverLink(Kernel& kernel, Simulator& sim, const Scenario& scenario)
    : kernel_(kernel),
      sim_(sim),
      scenario_(scenario),
      now_(kernel.clock()),
      syn_waits_(syn_waits(scenario)) {}

// Every member but the wiring: keep in step with the class.
FailoverLink::FailoverLink(const FailoverLink& other, Kernel& kernel, Simulator& sim)
    : kernel_(kernel),
      sim_(sim),
      scenario_(other.scenario_),
      now_(kernel.clock()),
      path_up_(other.path_up_),
      connection_(other.connection_),
      next_connection_(other.next_connection_),
      in_flight_(other.in_flight_),
      held_(other.held_),
      fin_to_(other.fin_to_),
      syn_waits_(other.syn_waits_) {}

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
      p.ip = server(from).leases().address(m.lease);
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
  if (fin && path_up_[from] && server(from).host_up()) {
    kernel_.post(now_ + scenario_.link_latency,
                 ev::Fin{static_cast<std::uint8_t>(1 - from), connection});
    fin_to_[1 - from] = connection;
  }
}

ConnectResult FailoverLink::try_connect(std::size_t from) {
  const std::size_t to = 1 - from;
  Server& peer = server(to);
  if (!path_up_[from] || !peer.host_up()) return ConnectResult::lost;  // SYN lost
  if (!peer.listening(now_))  // no dhcpd, or one that has not called listen() yet: a reset
    return path_up_[to] ? ConnectResult::refused : ConnectResult::lost;
  if (!path_up_[to]) return ConnectResult::lost;  // SYN-ACK lost
  // A process that reads nothing (frozen, stalled) has its kernel complete the handshake
  // into the listen queue, up to its length; later SYNs are dropped.
  if (peer.holds_input() && !peer.backlog_has_room()) return ConnectResult::lost;
  // A FIN sent before this SYN reaches the peer first (a killed process started again at once).
  if (!peer.holds_input() && peer.connection() != 0 && peer.connection() == fin_to_[to])
    peer.on_tcp_closed(now_, fin_to_[to]);
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
