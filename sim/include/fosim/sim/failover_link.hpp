// The failover link between the two servers: the TCP connection model (SYN, reset, duplicate
// connection, FIN), the two directed paths with their partitions, and the messages TCP holds
// back while a path is down.
//
// A message travels on the connection it was sent on; one that arrives after its receiver has
// moved on to another connection is dropped, as data of a closed socket is.
//
// A SYN is judged when it is sent, as if it arrived at once, with two rules for what happens in
// between on a real link: a peer whose process started in the same millisecond has not called
// listen() yet (dhcp_failover_startup() connects before it listens) and resets it; and a FIN
// already on its way to the peer arrives before the SYN, so the peer has closed that
// connection when the SYN reaches it. The SYN schedule of an attempt is the scenario's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "fosim/sim/channel.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/message.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/state_hash.hpp"

namespace fosim::sim {

class Server;
class Simulator;

/// What became of one TCP SYN.
enum class ConnectResult : std::uint8_t {
  connected,  ///< the connection is up
  lost,       ///< no answer (path down, machine down, SYN-ACK lost): retransmit later
  refused,    ///< the machine answered with a reset: no dhcpd listening
  duplicate,  ///< the peer still holds a connection and refuses a second one
};

/// The waits of one connection attempt under `sc`'s SYN schedule, each `sc.syn_lateness_ppm`
/// millionths late: SYN k+1 goes `waits[k]` after SYN k, and the attempt fails (ETIMEDOUT) the
/// last wait after the last SYN.
std::vector<Duration> syn_waits(const Scenario& sc);

/// The failover link of one run.
class FailoverLink {
 public:
  /// The link of `sim`'s pair, on `kernel`'s clock.
  FailoverLink(Kernel& kernel, Simulator& sim, const Scenario& scenario);
  /// A copy of `other`'s paths, connection and messages in flight, wired to `kernel` and `sim`
  /// (a clone's).
  FailoverLink(const FailoverLink& other, Kernel& kernel, Simulator& sim);

  /// Sends a failover message from server `from` over its connection.
  void send(std::size_t from, const Message& m);
  /// Server `from` closes `connection`; the peer hears of it when `fin` and the path is up.
  void close_connection(std::size_t from, std::uint32_t connection, bool fin);
  /// One TCP SYN of server `from`'s connection attempt and what became of it.
  ConnectResult try_connect(std::size_t from);
  /// The live TCP connection (0 = none).
  std::uint32_t connection() const { return connection_; }
  /// The wait after SYN `k` of an attempt (0 = the first SYN); nothing once the attempt failed.
  std::optional<Duration> syn_wait(std::uint32_t k) const {
    return k < syn_waits_.size() ? std::optional<Duration>(syn_waits_[k]) : std::nullopt;
  }
  /// The time from sending a packet to receiving the answer: a SYN's reset arrives then.
  Duration round_trip() const { return 2 * scenario_.link_latency; }
  /// Whether failover packets get from `from` to the other server.
  bool path_up(std::size_t from) const { return path_up_[from]; }
  /// Cuts (`down`) or heals the paths `d` names; healing delivers what TCP held back.
  void partition(Direction d, bool down);

  /// The messages from server `from` that are due now arrive (an ev::Deliver ran).
  void on_deliver(std::size_t from);
  /// Adds the paths, the connection and the messages on their way to `h`.
  void fingerprint(StateHash& h) const;

 private:
  void deliver(std::size_t from, const Message& m);
  Server& server(std::size_t i);
  bool tracing() const { return kernel_.tracing(); }
  void trace(const RunEvent& e) { kernel_.trace(e); }

  Kernel& kernel_;
  Simulator& sim_;
  const Scenario& scenario_;
  const core::Instant& now_;  ///< the kernel's clock

  std::array<bool, 2> path_up_{true, true};
  std::uint32_t connection_ = 0;  ///< the live TCP connection (0 = none)
  std::uint32_t next_connection_ = 1;
  std::array<Channel<Message>, 2> in_flight_;
  std::array<std::deque<Message>, 2> held_;  ///< sent while the path is down (TCP retransmits)
  std::array<std::uint32_t, 2> fin_to_{};    ///< the connection a FIN on its way to i closes
  std::vector<Duration> syn_waits_;          ///< the SYN schedule of one connection attempt
};

}  // namespace fosim::sim
