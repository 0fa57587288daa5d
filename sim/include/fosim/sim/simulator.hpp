// The discrete-event simulator: two virtual servers, the failover link between them, a client
// population, a script of faults and operator actions, and monitors, all in simulated time.
//
// Everything a run does derives from the scenario and its seed: events run in (time, schedule
// order), every random choice draws from the one generator, and no wall clock is read. Two
// simulators can live side by side; nothing here is global.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/event_queue.hpp"
#include "fosim/sim/message.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::sim {

/// What an event does; the payload of the future-event list.
struct SimEvent {
  enum class Kind : std::uint8_t {
    server_timer,    ///< a = server, b = TimerKind
    deliver,         ///< a = direction (0: primary to secondary): next failover message
    fin,             ///< a = receiving server, b = connection: the peer closed TCP
    dhcp_to_server,  ///< next client -> server packet
    dhcp_to_client,  ///< next server -> client packet
    client_timer,    ///< b = client, c = the client's timer generation
    script,          ///< b = script action index
    sample,          ///< record the pools' counts for the report's series
  };
  Kind kind = Kind::script;
  std::uint8_t a = 0;
  std::uint32_t b = 0;
  std::uint64_t c = 0;
};

/// One duplicate address: two clients holding unexpired leases on one address at once.
struct Duplicate {
  core::Instant at{};
  std::uint32_t ip = 0;
  std::uint32_t client = 0, other_client = 0;
  std::size_t server = 0, other_server = 0;  ///< who granted each lease
  core::Instant other_granted{};
};

/// The pools' counts of both servers, sampled at a fixed interval (the report's series).
struct PoolSample {
  core::Instant at{};
  /// Per server: FREE, BACKUP, ACTIVE, and EXPIRED + RELEASED + RESET.
  std::array<std::array<std::uint32_t, 4>, 2> counts{};
};

/// Run-wide figures.
struct RunStats {
  std::uint64_t events = 0;
  std::uint64_t attempts = 0;  ///< client exchanges started (DISCOVER, renew, rebind rounds)
  std::uint64_t answered = 0;  ///< exchanges a server answered in time
  std::uint64_t unanswered = 0;
  std::vector<Duplicate> duplicates;
  std::uint64_t mclt_violations = 0;
  std::uint64_t both_partner_down_connected = 0;
  std::map<std::int64_t, std::uint64_t> lease_times;  ///< granted seconds -> count
  std::optional<core::Seconds> first_lease_time;
  std::optional<core::Seconds> first_renewal_time;
  std::optional<core::Seconds> max_lease_time;
  std::optional<core::Instant> last_heal;
  std::optional<core::Instant> normal_after_heal;  ///< both normal, after the last heal
  std::array<std::map<core::State, Duration>, 2> time_in_state;  ///< while the process runs
  /// Time each server's process was not running, by what took it down.
  std::array<std::map<ProcessAction, Duration>, 2> time_down;
  /// Every process start and exit: (when, server, what, how many state_log entries came
  /// before it), in order.
  std::vector<std::tuple<core::Instant, std::size_t, ProcessAction, std::size_t>> process_log;
  /// Every local state change: (when, server, new state), in order.
  std::vector<std::tuple<core::Instant, std::size_t, core::State>> state_log;
  std::map<std::pair<core::State, core::State>, std::uint64_t> transitions[2];
  std::vector<PoolSample> pool_samples;  ///< every sample_interval(), from 0 to the end
  Duration sample_interval{};
  /// The moves of `transitions` that an operator forced (OMAPI local-state, set-state).
  std::map<std::pair<core::State, core::State>, std::uint64_t> operator_moves[2];
};

class Clients;

/// What became of one TCP SYN.
enum class ConnectResult : std::uint8_t {
  connected,  ///< the connection is up
  lost,       ///< no answer (path down, machine down, SYN-ACK lost): retransmit later
  refused,    ///< the machine answered with a reset: no dhcpd listening
  duplicate,  ///< the peer still holds a connection and refuses a second one
};

/// A whole simulation of one scenario.
class Simulator {
 public:
  /// Prepares a run of `scenario` with `seed`, reporting to `trace` (may be null).
  Simulator(const Scenario& scenario, std::uint64_t seed, TraceSink* trace);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Runs until `until` (default: the scenario's duration).
  void run(std::optional<core::Instant> until = {});

  /// The current simulated time.
  core::Instant now() const { return now_; }
  /// The scenario.
  const Scenario& scenario() const { return scenario_; }
  /// Server 0 (primary) or 1 (secondary).
  Server& server(std::size_t i) { return *servers_[i]; }
  const Server& server(std::size_t i) const { return *servers_[i]; }
  /// Run-wide figures.
  const RunStats& stats() const { return stats_; }
  RunStats& stats() { return stats_; }
  /// The run's random generator.
  Rng& rng() { return rng_; }
  /// The client population.
  Clients& clients() { return *clients_; }

  // ---- services for servers and clients ---------------------------------------------
  /// Schedules `e` at `at` (never in the past); the id can cancel it.
  EventId schedule(core::Instant at, SimEvent e);
  /// Schedules `e` at `at` (never in the past) for good: no id, no cancelling, less work.
  void post(core::Instant at, SimEvent e);
  /// Cancels a scheduled event; false when it is not pending.
  bool cancel(EventId id) { return queue_.cancel(id); }
  /// Reports an event to the trace, if any.
  void trace(const RunEvent& e);
  /// Whether a trace is attached (skip building text when not).
  bool tracing() const { return trace_ != nullptr; }

  /// Sends a failover message from server `from` over its connection.
  void send(std::size_t from, const Message& m);
  /// Server `from` closes `connection`; the peer hears of it when `fin` and the path is up.
  void close_connection(std::size_t from, std::uint32_t connection, bool fin);
  /// One TCP SYN of server `from`'s connection attempt and what became of it.
  ConnectResult try_connect(std::size_t from);
  /// Whether failover packets get from `from` to the other server.
  bool path_up(std::size_t from) const { return path_up_[from]; }

  /// A client sends `p` to server `p.server`.
  void to_server(const DhcpPacket& p);
  /// A server sends `p` to client `p.client`.
  void to_client(const DhcpPacket& p);

  /// Called by a server after each local state change (monitors, statistics); `forced` when an
  /// operator's set-state made it.
  void on_state_change(std::size_t server, core::State from, core::State to, bool forced);
  /// Called by a server whose process starts or goes away (time down, statistics).
  void on_process(std::size_t server, ProcessAction what);
  /// A client took a lease (checks for duplicates, records the grant).
  void on_client_lease(std::uint32_t client, std::uint32_t lease, std::size_t server,
                       core::Instant ends, RequestKind kind, core::Seconds granted,
                       core::Instant now);
  /// A client stopped holding its lease (expired, NAKed, released, left).
  void on_client_lease_lost(std::uint32_t client, std::uint32_t lease, core::Instant now);
  /// Called by a server that ACKed: checks the MCLT invariant.
  void check_mclt(std::size_t server, std::uint32_t lease, core::Instant ends, core::Instant tsfp,
                  core::Seconds mclt);

 private:
  void dispatch(const SimEvent& e);
  void sample_pools();
  void deliver(std::size_t from, const Message& m);
  void run_script(std::size_t index);
  void partition(Direction d, bool down);
  void finish();

  const Scenario& scenario_;
  TraceSink* trace_;
  Rng rng_;
  EventQueue<SimEvent> queue_;
  core::Instant now_{};
  std::array<std::unique_ptr<Server>, 2> servers_;
  std::unique_ptr<Clients> clients_;
  RunStats stats_;

  // the failover link
  std::array<bool, 2> path_up_{true, true};
  std::uint32_t connection_ = 0;  ///< the live TCP connection (0 = none)
  std::uint32_t next_connection_ = 1;
  /// Items in flight on one path with one latency, in send order. Everything due at one instant
  /// arrives in one event (as one TCP read or one burst of frames): the event drains the
  /// channel up to its time, so a burst of BNDACKs costs one event, not one each.
  template <class T>
  struct Channel {
    std::deque<std::pair<core::Instant, T>> items;  ///< (arrival, item)
    std::optional<core::Instant> pending;           ///< arrival of the event not yet run, if any
  };
  template <class T>
  void send_on(Channel<T>& ch, T item, core::Instant arrival, SimEvent event);
  /// Hands every item of `ch` due by now to `handle`, in send order (the channel's event ran).
  template <class T, class Handle>
  void receive_on(Channel<T>& ch, Handle handle) {
    ch.pending.reset();
    while (!ch.items.empty() && ch.items.front().first <= now_) {
      const T item = ch.items.front().second;
      ch.items.pop_front();
      handle(item);
    }
  }

  std::array<Channel<Message>, 2> in_flight_;
  std::array<std::deque<Message>, 2> held_;  ///< sent while the path is down (TCP retransmits)

  // client <-> server packets, in send order (latency is the same for all)
  Channel<DhcpPacket> up_;    ///< client -> server
  Channel<DhcpPacket> down_;  ///< server -> client

  // who holds each address, as the clients see it
  struct Holder {
    std::uint32_t client = 0;  ///< client index + 1; 0 = nobody
    std::uint8_t server = 0;
    core::Instant ends{};
    core::Instant since{};
  };
  std::vector<Holder> holders_;
  std::map<std::uint32_t, std::vector<Holder>> overlap_;  ///< addresses held by 2+ clients
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> reported_;  ///< (ip, a, b)

  // state-time bookkeeping
  std::array<core::Instant, 2> state_since_{};
  std::array<core::State, 2> state_now_{core::State::unknown_state, core::State::unknown_state};
  std::array<std::optional<ProcessAction>, 2>
      process_down_{};  ///< what took the process down, if down
};

}  // namespace fosim::sim
