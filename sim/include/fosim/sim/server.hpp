// One virtual ISC dhcpd server of a failover pair.
//
// A server owns its failover state machine view (driven by core::step), its lease database,
// its stable storage (the lease file: the last failover state record and the leases), its
// timers and its BNDUPD queues. It reacts to failover messages, link events, timers, DHCP
// packets and script actions, and asks the simulator to send, schedule and trace. Two
// instances, one per role, make a pair.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <variant>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/mclt.hpp"
#include "fosim/core/peer_config.hpp"
#include "fosim/core/service.hpp"
#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/event_queue.hpp"
#include "fosim/sim/lease_db.hpp"
#include "fosim/sim/message.hpp"
#include "fosim/sim/run_event.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/state_hash.hpp"

namespace fosim::sim {

class ClientTransport;
class Clients;
class FailoverLink;
class Kernel;
class Monitors;
class Simulator;

/// The server timers (reference: ISC server/failover.c, server/mdb.c).
enum class TimerKind : std::uint8_t {
  startup,            ///< 15 s in STARTUP
  recover_wait,       ///< stos + MCLT
  auto_partner_down,  ///< configured seconds after entering communications-interrupted
  contact,            ///< send CONTACT after floor(peer's max-response-delay / 3) of silence
  receive,            ///< own max-response-delay without a message: drop the link
  ack_flush,          ///< send batched BNDACKs (2 s)
  pool,               ///< lease expiries and partner-down reclaims
  rebalance,          ///< pool rebalance check
  connect,            ///< the next TCP SYN of a connection attempt
  shutdown_tick,      ///< controlled shutdown: dhcp_io_shutdown_countdown()'s 1-s tick
};

/// What the lease file holds about the failover relationship.
struct StateRecord {
  core::State state = core::State::recover;  ///< "my state" (the effective state)
  core::Instant stos{};
  core::State partner = core::State::unknown_state;
  core::Instant partner_stos{};
  core::Seconds mclt{0};  ///< secondary only: learned from the primary
};

/// Counters a run reports per server.
struct ServerStats {
  std::uint64_t offers = 0;
  std::uint64_t acks = 0;
  std::vector<std::uint64_t> acks_by_pool;  ///< ACKs of each pool's addresses
  std::uint64_t naks = 0;
  std::uint64_t grants_new = 0, grants_renew = 0, grants_rebind = 0;
  std::uint64_t grants_reboot = 0;  ///< INIT-REBOOT requests ACKed
  std::uint64_t dropped_not_responding = 0;
  std::uint64_t dropped_load_balance = 0;
  std::uint64_t peer_holds_all_free = 0;  ///< "peer holds all free leases"
  std::uint64_t no_free_leases = 0;       ///< "network ...: no free leases"
  std::uint64_t bndupd_sent = 0, bndupd_received = 0, bndupd_rejected = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t poolreq_sent = 0;
  std::uint64_t transitions = 0;
};

/// What a server holds, apart from its wiring to the rest of the run: copied as a whole
/// when a simulation is cloned (Simulator::clone()).
class ServerState {
 protected:
  /// A connection the kernel completed while the process accepted none.
  struct Accept {
    std::uint32_t connection;
  };
  /// A FIN that arrived while the process read nothing.
  struct Closed {
    std::uint32_t connection;
  };
  /// What waits in the kernel for a process that reads nothing.
  using HeldInput = std::variant<Message, Closed, Accept, DhcpPacket>;
  /// dhcp_io_shutdown_countdown()'s states (ISC server/dhcpd.c, enum dhcp_shutdown_state).
  enum class ShutdownStep : std::uint8_t {
    none,                    ///< no shutdown asked
    listeners,               ///< shutdown_listeners: the OMAPI listener goes
    omapi_connections,       ///< shutdown_omapi_connections: OMAPI connections closed gently
    drop_omapi_connections,  ///< shutdown_drop_omapi_connections: and then by force
    dhcp,                    ///< shutdown_dhcp: DHCP interfaces go, normal moves to shutdown
    done,                    ///< shutdown_done: recover recorded, exit
  };

  std::size_t index_ = 0;
  std::string host_;
  core::EffectiveConfig config_;
  std::vector<core::LeaseTimeConfig> lease_times_;  ///< per pool
  std::vector<std::uint32_t> networks_;             ///< each pool's network
  core::PeerView view_;
  std::optional<core::Hba> hba_;
  LeaseDb db_;
  ServerStats stats_;
  Duration clock_offset_{};
  Duration clock_phase_{};  ///< 0-999 ms

  // stable storage: the lease file
  std::optional<StateRecord> record_;

  // process state
  bool running_ = false;
  core::Instant started_{};  ///< when the process last started
  bool host_up_ = true;
  bool frozen_ = false;
  bool io_stalled_ = false;    ///< shutdown with an OMAPI client: socket I/O waits for a new socket
  bool dhcp_removed_ = false;  ///< shutdown_dhcp removed the DHCP interfaces
  std::vector<TimerKind> frozen_timers_;  ///< fell due while frozen, in that order
  std::vector<HeldInput> held_input_;     ///< arrived while holding input, in that order
  std::vector<Message> held_sends_;       ///< written while the I/O stalled, not yet flushed
  std::uint32_t backlog_ = 0;             ///< connections the kernel queued meanwhile
  ShutdownStep shutdown_step_ = ShutdownStep::none;
  std::int64_t shutdown_time_ = 0;  ///< ISC's shutdown_time: whole seconds of this server's clock
  core::Instant omapi_until_{};     ///< the OMAPI client's connection is open before this
  std::optional<std::uint32_t> restart_after_stop_;

  // link
  std::uint32_t connection_ = 0;
  bool established_ = false;     ///< CONNECT/CONNECTACK done
  std::uint32_t syn_count_ = 0;  ///< SYNs sent in the current attempt
  core::Instant last_sent_{};
  core::Instant last_received_{};
  core::Instant last_peer_time_{};
  std::uint32_t peer_max_unacked_ = 0;
  core::Seconds peer_receive_timer_{0};
  std::uint32_t next_xid_ = 1;

  // updates
  std::deque<std::uint32_t> send_queue_;
  std::deque<std::uint32_t> ack_queue_;  ///< BNDUPDs in flight, in send order
  std::uint32_t unacked_ = 0;
  std::vector<Message> pending_acks_;
  core::Instant ack_flush_due_{};               ///< 2 s after the last queued BNDACK
  std::optional<std::uint32_t> upddone_after_;  ///< lease whose BNDACK completes an UPDREQ answer
  std::uint32_t upddone_xid_ = 0;
  bool update_request_pending_ = false;  ///< we asked (UPDREQ/UPDREQALL) and await UPDDONE
  bool update_request_all_ = false;
  std::optional<core::Instant> last_rebalance_;
  std::optional<core::Instant> rebalance_at_;

  // leases
  std::vector<std::uint32_t> last_lease_;  ///< client index -> lease index + 1
  std::priority_queue<std::pair<core::Instant, std::uint32_t>,
                      std::vector<std::pair<core::Instant, std::uint32_t>>,
                      std::greater<std::pair<core::Instant, std::uint32_t>>>
      reclaim_;                          ///< partner-down: expired-queue leases to free
  std::vector<std::uint32_t> deferred_;  ///< secondary in normal: expiries left to the primary
  std::optional<core::Instant> pool_timer_at_;

  // timers
  std::array<EventId, 10> timers_{};
};

/// One virtual server.
class Server : private ServerState {
 public:
  /// Server `index` of `sim`'s pair; it talks to `sim`'s kernel, link, transport and monitors.
  Server(Simulator& sim, std::size_t index, const Scenario& scenario);
  /// A copy of `other` (its whole state) wired to `sim`, a clone of `other`'s simulator.
  Server(const Server& other, Simulator& sim);

  /// 0 for the primary, 1 for the secondary.
  std::size_t index() const { return index_; }
  /// The host name used in traces.
  const std::string& host() const { return host_; }
  /// The configuration the server runs with.
  const core::EffectiveConfig& config() const { return config_; }
  /// The failover state machine's view.
  const core::PeerView& view() const { return view_; }
  /// The lease database.
  const LeaseDb& leases() const { return db_; }
  /// Counters.
  const ServerStats& stats() const { return stats_; }
  /// The failover state record of its lease file; none before it wrote one.
  const std::optional<StateRecord>& state_record() const { return record_; }
  /// Whether the dhcpd process runs.
  bool running() const { return running_; }
  /// Whether a SYN sent at `t` finds dhcpd listening: it runs and started before `t` (it
  /// connects before it listens, so a SYN in the millisecond it started is reset).
  bool listening(core::Instant t) const { return running_ && t > started_; }
  /// Whether the machine is up (a crashed machine answers nothing, not even TCP resets).
  bool host_up() const { return host_up_; }
  /// The TCP connection this server believes it has (0 = none).
  std::uint32_t connection() const { return connection_; }
  /// The MCLT as this server knows it.
  core::Seconds mclt() const { return view_.mclt; }
  /// The HBA this server balances with (secondary: learned from CONNECT), if known.
  const core::Hba* hba() const { return hba_ ? &*hba_ : nullptr; }
  /// The clock offset (clock skew) of this server.
  Duration clock_offset() const { return clock_offset_; }
  /// Sets the clock offset.
  void set_clock_offset(Duration d) { clock_offset_ = d; }
  /// The sub-second phase of this server's clock (where its whole seconds fall).
  Duration clock_phase() const { return clock_phase_; }
  /// BNDUPDs sent and not yet acknowledged.
  std::uint32_t unacked_updates() const { return unacked_; }
  /// The last time a failover message was sent / a timestamp was received (OMAPI view).
  core::Instant last_sent() const { return last_sent_; }
  core::Instant last_timestamp_received() const { return last_peer_time_; }
  /// Adds what this server holds, apart from its leases and its timers (the simulator hashes
  /// those with the partner's and the queue's), to `h`.
  void fingerprint(StateHash& h) const;

  // ---- script -------------------------------------------------------------------------
  /// Starts the process; `keep_storage` false starts with no lease file.
  void start(core::Instant now, bool keep_storage);
  /// The machine vanishes: no goodbye on the link.
  void crash(core::Instant now);
  /// The process is killed on a running machine: the kernel closes its sockets (FIN at once)
  /// and answers later SYNs with a reset.
  void kill(core::Instant now);
  /// SIGSTOP: the process stops running. Its timers, the failover input and the DHCP packets
  /// that arrive wait for thaw(); its kernel keeps the sockets open and queues connections.
  void freeze(core::Instant now);
  /// SIGCONT: the timers that fell due run at once, in order, then the input that waited.
  void thaw(core::Instant now);
  /// Whether the process is frozen (running, as far as the partner's kernel can tell).
  bool frozen() const { return frozen_; }
  /// Whether a controlled shutdown is under way (from the OMAPI stop until the process starts
  /// again).
  bool shutting_down() const { return shutdown_step_ != ShutdownStep::none; }
  /// ISC's controlled shutdown (OMAPI control object `state = 2`). `omapi_client`: the OMAPI
  /// connection that asked (omshell) stays open until its answer is written.
  void begin_shutdown(core::Instant now, bool omapi_client);
  /// Starts the process again, as script action `index` asks, once its controlled shutdown
  /// has ended (a graceful restart).
  void restart_after_stop(std::uint32_t index) { restart_after_stop_ = index; }
  /// OMAPI local-state.
  void operator_set_state(core::State s, core::Instant now);

  // ---- link ---------------------------------------------------------------------------
  /// Whether the process reads nothing now (frozen, or its socket I/O stalled in a controlled
  /// shutdown): its kernel queues what arrives, connections included.
  bool holds_input() const { return frozen_ || io_stalled_; }
  /// Whether the kernel's listen queue still takes a connection (ISC listens with backlog 1,
  /// which Linux rounds to 2) while the process accepts none.
  bool backlog_has_room() const { return backlog_ < 2; }
  /// TCP came up on `connection`; the primary sends CONNECT.
  void on_tcp_up(core::Instant now, std::uint32_t connection);
  /// The peer closed `connection` (FIN or RST arrived).
  void on_tcp_closed(core::Instant now, std::uint32_t connection);
  /// A connection attempt failed; retry after `retry`.
  void on_connect_failed(core::Instant now, Duration retry);
  /// A failover message arrived.
  void on_message(const Message& m, core::Instant now);
  /// A timer fired.
  void on_timer(TimerKind k, core::Instant now);

  // ---- DHCP ---------------------------------------------------------------------------
  /// A DHCP packet from a client arrived.
  void on_dhcp(const DhcpPacket& p, core::Instant now);

 private:
  // process life (server_process.cpp)
  /// Takes the lease file `st` as its stable storage: the leases and the state record.
  void load_storage(const SavedStorage& st);
  /// Starts from the lease file's failover state record, or fresh without one.
  void read_state_record(core::Instant now);
  /// Empties what a process keeps in memory only and requeues the unacknowledged changes.
  void forget_in_memory_queues();
  void record_state();
  void exit_process(core::Instant now, bool send_fin, ProcessAction why);
  /// Writes ISC's log_fatal line and exits.
  void log_fatal(core::Instant now);
  /// Keeps `in` until the process reads again (frozen, or its I/O stalled).
  void hold(HeldInput in);
  /// Reads what arrived while the process held its input, in arrival order.
  void read_held_input(core::Instant now);
  /// Forgets the held timers, input and sends, closing the connections the kernel queued.
  void drop_held(bool send_fin);

  // the controlled shutdown (server_shutdown.cpp)
  /// One run of dhcp_io_shutdown_countdown(): its steps, the failover move, the exit.
  void on_shutdown_tick(core::Instant now);
  /// dhcp_io_shutdown() over every object for this tick's step; returns the OMAPI
  /// connections still open.
  int shutdown_io(core::Instant now);
  /// The step after `shutdown_step_` when `cur_time - shutdown_time > 4`, if any.
  void advance_shutdown(core::Instant now, bool& again);
  void set_shutdown_step(ShutdownStep s, core::Instant now);
  /// ISC's cur_time: the whole seconds of this server's clock at `now`.
  std::int64_t cur_time(core::Instant now) const;
  /// The true time at which this server's clock last read a whole second (its cur_time).
  core::Instant whole_second(core::Instant now) const;
  /// When a timer ISC arms with add_timeout(tv_sec = `at`, tv_usec = 0) at `now` fires:
  /// add_timeout() runs the whole seconds `at - cur_time` from the moment it is armed.
  core::Instant isc_timeout(core::Instant at, core::Instant now) const;
  /// shutdown_done: drops the link without a STATE, records recover if in shutdown, exits.
  void finish_shutdown(core::Instant now);
  /// A new socket: a stalled process's I/O resumes (held sends go out, held input is read, the
  /// OMAPI answer is written). Returns whether the input read brought a connection.
  bool new_socket(core::Instant now);
  /// An update-protocol line of this server's relationship.
  UpdateLine update_line(UpdateStep step, std::int64_t count = 0) const;
  /// Reports `body` as this server's event at `now` (call only when tracing).
  void trace(core::Instant now, RunEventBody body);
  core::Instant local(core::Instant now) const { return now + clock_offset_ + clock_phase_; }

  // the state machine's glue (server_machine.cpp)
  void feed(const core::Event& ev, core::Instant now, Cause cause);
  void apply(const core::Step& step, core::Instant now, Cause cause);
  /// Counts, traces and monitors a move or note of the machine; false for other actions.
  bool report(const core::Action& a, core::Instant now, Cause cause, bool& forced);
  /// Carries out an effect of the machine (sending, timers, updates, the pools).
  void carry_out(const core::Action& a, core::Instant now);
  void send_update_request(bool all, core::Instant now);

  // the link (server_link.cpp)
  void schedule_connect(core::Instant at);
  /// Sends the next SYN of a connection attempt, or schedules the next attempt.
  void on_connect_timer(core::Instant now);
  void close_link(core::Instant now, const char* why, bool tell_core, bool send_fin);
  /// Sends CONTACT after a third of the peer's receive timer without sending anything.
  void on_contact_timer(core::Instant now);
  /// Drops the link after max-response-delay (15 s before the handshake) without a message.
  void on_receive_timer(core::Instant now);
  void link_established(core::Instant now);
  void handle_connect(const Message& m, core::Instant now);
  void handle_connectack(const Message& m, core::Instant now);

  // messages and timers (server_messages.cpp, server_timers.cpp)
  void send(Message m, core::Instant now);
  void send_state(core::Instant now);
  void on_upddone(core::Instant now);
  /// Answers a POOLREQ with a rebalance and a POOLRESP counting the leases it gives.
  void answer_pool_request(const Message& m, core::Instant now);
  void arm(TimerKind k, core::Instant at);
  void cancel(TimerKind k);

  // updates (server_updates.cpp)
  /// Queues lease's BNDUPD at the tail unless queued; one in flight is forgotten and resent.
  void queue_update(std::uint32_t lease);
  void forget_in_flight(std::uint32_t lease);
  void complete_update_answer_if(std::uint32_t lease, core::Instant now);
  void send_update_done(core::Instant now);
  void send_updates(core::Instant now);
  /// Queues, in ISC's queue order, every lease neither queued nor in flight that has an
  /// unacknowledged change or sits in the expired queue (`everything`: any lease).
  void generate_update_queue(bool everything);
  void send_queued_updates(core::Instant now);
  void rescind_updates();
  void answer_update_request(bool all, std::uint32_t xid, core::Instant now);
  void on_bndupd(const Message& m, core::Instant now);
  /// Decides a BNDUPD: a duel with our own update in flight, then ISC's conflict check.
  Reject judge_bndupd(const Message& m, core::Instant now);
  /// Stores the binding an accepted BNDUPD carries; true when MAC affinity may move it on.
  bool store_bndupd(const Message& m, core::Instant now);
  /// Batches a positive BNDACK: sent when half the peer's window waits, or 2 s after the last.
  void queue_bndack(const Message& ack, core::Instant now);
  void on_bndack(const Message& m, core::Instant now);
  void flush_acks(core::Instant now);
  /// Runs dhcp_failover_pool_dobalance(); returns how many leases it queued for the peer.
  std::uint32_t rebalance(core::Instant now, bool timer_run);
  /// Balances pool `pool` (its share of rebalance()); sets `send_poolreq` when it asks for one.
  std::uint32_t rebalance_pool(std::uint32_t pool, core::Instant now, bool timer_run,
                               bool& send_poolreq);
  void schedule_pool_check(core::Instant now);
  /// Re-runs the pool check when a lease left the FREE or BACKUP queue (supersede_lease()).
  void left_queue(core::BindingState before, core::BindingState after, core::Instant now);
  void maybe_affinity(std::uint32_t lease, core::Instant now);

  // leases and DHCP (server_dhcp.cpp, server_pool_timer.cpp)
  bool may_reallocate(std::uint32_t lease, core::Instant now) const;
  std::optional<std::uint32_t> allocate(std::uint32_t client, core::Instant now,
                                        bool& peer_has_leases);
  /// allocate()'s candidate in one pool.
  std::optional<std::uint32_t> allocate_in(std::uint32_t pool, std::uint32_t client,
                                           core::Instant now, bool& peer_has_leases);
  /// Whether the peer holds free leases in a pool of client `client`'s network.
  bool peer_has_free(std::uint32_t client) const;
  /// The first address of the first pool of client `client`'s network (names it in the log).
  std::uint32_t network_address(std::uint32_t client) const;
  void on_discover(const DhcpPacket& p, core::Instant now);
  void on_request(const DhcpPacket& p, core::Instant now);
  /// Ignores or NAKs a REQUEST for lease `i` this server may not ACK; false when it may.
  bool refuse_request(const DhcpPacket& p, std::uint32_t i, core::Instant now);
  /// The server identifier server `server` sends: its address, else its host name.
  std::string server_identifier(std::size_t server) const;
  void nak(const DhcpPacket& p, std::uint32_t i, core::Instant now);
  /// ACKs a REQUEST for lease `i` with an MCLT-limited lease time and queues its BNDUPD.
  void ack(const DhcpPacket& p, std::uint32_t i, core::Instant now);
  void on_release(const DhcpPacket& p, core::Instant now);
  void run_pool_timer(core::Instant now);
  void schedule_pool_timer(core::Instant now);
  /// The same as schedule_pool_timer() after a change to lease `i` alone, in O(1): the armed
  /// timer is never later than any other live expiry, so only `i`'s own ends can be earlier.
  void note_expiry(std::uint32_t i, core::Instant now);
  void reclaim_expired(core::Instant now);
  void changed(std::uint32_t lease, core::Instant now);
  void expire(std::uint32_t lease, core::Instant now);
  core::ServiceView service() const;
  void reply(DhcpType type, const DhcpPacket& p, std::uint32_t lease, std::uint32_t lease_time_s,
             core::Instant now);
  std::string mac(std::uint32_t client) const;
  /// A DHCP line about `client` (and address `ip`, 0 for none), for the trace.
  DhcpLine dhcp_line(DhcpVerb verb, DhcpOutcome outcome, std::uint32_t client,
                     std::uint32_t ip) const;

  Kernel& sim_;  ///< the kernel: clock, queue, random generator, trace
  FailoverLink& link_;
  ClientTransport& transport_;
  Monitors& monitors_;
  const Clients& clients_;
  const Scenario& scenario_;
};

}  // namespace fosim::sim
