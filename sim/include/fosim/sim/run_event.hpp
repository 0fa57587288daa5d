// The typed vocabulary of a run: everything the simulator (or a replayed log) reports, as data.
//
// Producers build a `RunEvent` (only when a trace is attached) and sinks render it: the words
// come from one catalogue (isc_wording.hpp), the JSON fields from the event's own members.
// Nothing above the simulator parses text. Every event owns its data (no views into a server).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"

namespace fosim::sim {

/// What made a server's failover state move.
enum class Cause : std::uint8_t {
  none,
  process_start,            ///< the process started (read the lease file)
  peer_state,               ///< a STATE message from the partner
  link_lost,                ///< the failover link went down
  startup_timer,            ///< the startup delay ran out
  mclt_timer,               ///< recover-wait's MCLT ran out
  auto_partner_down,        ///< auto-partner-down's delay ran out
  update_done,              ///< UPDDONE: the partner finished its update
  operator_set_state,       ///< an operator's OMAPI local-state
  operator_shutdown,        ///< an operator's controlled shutdown
  boot,                     ///< replay: the log shows a start
  shutdown,                 ///< replay: the log shows a move to shutdown
  shutdown_exit,            ///< replay: the process left shutdown
  recover_wait_timer,       ///< replay: recover-wait's timer
  auto_partner_down_timer,  ///< replay: auto-partner-down's timer
  operator_guess,           ///< replay: nothing in the log explains it ("operator?")
  /// replay: a server's first move in the excerpt, which ISC's machine makes from a history
  /// the excerpt does not hold (what the server knew before its first line)
  before_excerpt,
};

/// Returns the kebab-case name of a cause ("peer-state", "link-lost", ...; "" for none).
std::string_view to_string(Cause c);

/// A server's own failover state changed.
struct StateMove {
  std::string peer;  ///< the failover relationship's name
  core::State from = core::State::unknown_state;
  core::State to = core::State::unknown_state;
  Cause cause = Cause::none;
  bool operator==(const StateMove&) const = default;
};

/// A server learned its partner's new state.
struct PeerStateSeen {
  std::string peer;
  core::State from = core::State::unknown_state;
  core::State to = core::State::unknown_state;
  bool operator==(const PeerStateSeen&) const = default;
};

/// Failover lines without a state move of their own: the machine's notes and errors.
enum class FailoverNote : std::uint8_t {
  both_normal,
  requesting_full_update,
  invalid_peer_state,  ///< uses `number`
  invalid_transition,  ///< uses `from`, `to`
  normal_during_conflict,
  unexpected_conflict_done,
  both_recover_done,
  secondary_conflict_done,
  spurious_update_done,
  fatal_conflict_done,  ///< uses `from`, `to`
  peer_update_completed,
  exiting,  ///< log_fatal: the daemon exits
};

/// A line of the failover machine.
struct FailoverLine {
  FailoverNote note = FailoverNote::both_normal;
  std::string peer;
  core::State from = core::State::unknown_state;
  core::State to = core::State::unknown_state;
  std::int64_t number = 0;
  bool operator==(const FailoverLine&) const = default;
};

/// What happened to the failover link.
enum class LinkChange : std::uint8_t {
  connected,      ///< up: CONNECT/CONNECTACK done
  disconnected,   ///< down: the connection closed
  timeout,        ///< down: nothing heard for max-response-delay
  rejected,       ///< down: this server rejected the peer's CONNECT (`reason`)
  peer_rejected,  ///< down: the peer rejected our CONNECT, or we its CONNECTACK (`reason`)
};

/// Returns "connected", "disconnected", "timeout", "rejected" or "peer-rejected".
std::string_view to_string(LinkChange c);

/// The failover link went up or down.
struct LinkEvent {
  std::string peer;
  LinkChange change = LinkChange::connected;
  std::string reason;  ///< rejected / peer_rejected: ISC's reject text
  /// Whether the link is up after this event.
  bool up() const { return change == LinkChange::connected; }
  bool operator==(const LinkEvent&) const = default;
};

/// Update requests, update done and sending updates.
enum class UpdateStep : std::uint8_t {
  request_sent,          ///< UPDREQ sent
  request_all_sent,      ///< UPDREQALL sent
  done_sent,             ///< UPDDONE sent
  sending,               ///< queued BNDUPDs go out
  request_nothing,       ///< an UPDREQ answered: nothing pending
  request_all_nothing,   ///< an UPDREQALL answered: nothing pending
  request_sending,       ///< an UPDREQ answered with updates
  request_all_sending,   ///< an UPDREQALL answered with updates
  bind_update_rejected,  ///< a BNDUPD was rejected (`ip`, `reason`)
  poolreq_negative,      ///< a POOLREQ answered with nothing
  pool_response,         ///< a POOLRESP arrived (`count`)
};

/// One step of the update protocol.
struct UpdateLine {
  UpdateStep step = UpdateStep::request_sent;
  std::string peer;
  std::uint32_t ip = 0;  ///< bind_update_rejected
  std::string reason;    ///< bind_update_rejected
  std::int64_t count = 0;
  bool operator==(const UpdateLine&) const = default;
};

/// A pool balance line (dhcp_failover_pool_dobalance()).
struct PoolBalance {
  enum class Phase : std::uint8_t { balancing, balanced, imbalanced };
  Phase phase = Phase::balancing;
  std::uint32_t pool = 0;  ///< the pool's first address
  std::int64_t total = 0, free = 0, backup = 0, lts = 0;
  std::int64_t limit = 0;        ///< balancing: max-own (+/-); balanced: max-misbal
  bool requesting_peer = false;  ///< balancing: a POOLREQ follows
  bool operator==(const PoolBalance&) const = default;
};

/// The DHCP message a line is about.
enum class DhcpVerb : std::uint8_t { discover, offer, request, ack, nak, release, decline, inform };

/// Returns "DHCPDISCOVER", "DHCPOFFER", ...
std::string_view to_string(DhcpVerb v);

/// What a server did with a DHCP message, when the line says more than the verb.
enum class DhcpOutcome : std::uint8_t {
  plain,                ///< nothing more
  selecting,            ///< REQUEST naming the chosen server (`server_id`)
  not_responding,       ///< ": not responding (reason)" (`nrr`)
  load_balance,         ///< ": load balance to peer P"
  peer_holds_all_free,  ///< ": peer holds all free leases"
  no_free_leases,       ///< ": network N/pool: no free leases"
  lease_owned_by_peer,  ///< ": lease owned by peer"
  lease_in_transition,  ///< ": lease in transition state"
  unknown_lease,        ///< ": unknown lease A." (held for another client, not active)
  ignored,              ///< RELEASE: ": PEER: ignored (reason)"
  found,                ///< RELEASE: " (found)"
};

/// Returns the kebab-case name of an outcome.
std::string_view to_string(DhcpOutcome o);

/// One DHCP exchange line; an ACK with a lease time is a grant.
struct DhcpLine {
  DhcpVerb verb = DhcpVerb::discover;
  DhcpOutcome outcome = DhcpOutcome::plain;
  std::string mac;
  std::uint32_t ip = 0;            ///< 0 when the line has none
  std::string server_id;           ///< selecting: the chosen server's address
  std::string nrr;                 ///< not_responding / ignored: ISC's " (reason)"
  std::string peer;                ///< load_balance / ignored: the failover peer
  std::int64_t client = -1;        ///< the client's index (not in the text)
  std::int64_t lease_time_s = -1;  ///< grants: seconds given (not in the text)
  std::string grant_kind;          ///< grants: new | renew | rebind | reboot
  bool finding = false;            ///< replay: the line shows a duplicate address
  bool operator==(const DhcpLine&) const = default;
};

/// A client's attempt that no server answered in time.
struct Unanswered {
  enum class Attempt : std::uint8_t { discover, request, renewing, rebinding };
  Attempt attempt = Attempt::discover;
  std::string mac;
  std::int64_t client = -1;
  bool operator==(const Unanswered&) const = default;
};

/// A scripted fault or operator action (fosim's annotation).
struct ScriptLine {
  enum class Action : std::uint8_t {
    partition,
    heal,
    stop,
    crash,
    start,
    restart,
    set_state,
    clock_skew,
    clients,
    kill,
    freeze,
    thaw,
    client
  };
  enum class Direction : std::uint8_t { both, primary_to_secondary, secondary_to_primary };
  Action action = Action::partition;
  Direction direction = Direction::both;           ///< partition / heal
  std::string host;                                ///< the server acted on (partition: the sender)
  std::string other_host;                          ///< partition: the receiver
  bool keep_storage = true;                        ///< start / restart
  bool graceful = false;                           ///< restart
  bool omapi_connected = true;                     ///< stop / graceful restart
  core::State state = core::State::unknown_state;  ///< set_state
  std::int64_t number = 0;  ///< set_state: ISC's number; clock_skew: s; clients: how many
  std::string send;         ///< client: what the scripted client sends (host: its MAC)
  bool skipped = false;     ///< client: it cannot apply now (no lease to renew or release)
  bool operator==(const ScriptLine&) const = default;
};

/// Returns the kebab-case name of a script action.
std::string_view to_string(ScriptLine::Action a);
/// Returns "both", "primary-to-secondary" or "secondary-to-primary".
std::string_view to_string(ScriptLine::Direction d);

/// The server process started, went away, or stopped and resumed running.
enum class ProcessAction : std::uint8_t {
  start,   ///< the process runs
  stop,    ///< it exits after a controlled shutdown
  crash,   ///< the host dies: no goodbye
  kill,    ///< the process is killed (the kernel closes its sockets)
  fatal,   ///< it exits by log_fatal
  freeze,  ///< it stops running (SIGSTOP): not down, its sockets stay open
  thaw,    ///< it runs again (SIGCONT)
};

/// Returns "start", "stop", "crash", "kill", "fatal", "freeze" or "thaw".
std::string_view to_string(ProcessAction a);

/// A server process event.
struct ProcessEvent {
  ProcessAction action = ProcessAction::start;
  bool operator==(const ProcessEvent&) const = default;
};

/// The version a simulated server's banner names: the real pair fosim is checked against.
inline constexpr std::string_view simulated_isc_version = "4.4.3-P1";

/// The banner dhcpd logs when it starts (server/dhcpd.c main(), before the configuration is
/// read, unless started with -q; again after `log-facility` is read). A simulated server logs
/// it at every start, so that a replay of its lines sees each start as one.
struct Banner {
  std::string version;
  bool operator==(const Banner&) const = default;
};

/// A monitor finding.
struct MonitorFinding {
  enum class Kind : std::uint8_t {
    duplicate,
    mclt_violation,
    both_partner_down,
    zero_lease,   ///< a 0-second grant (MCLT 0): dhclient rejects the server
    short_lease,  ///< a grant the MCLT cut below min-lease-time
  };
  Kind kind = Kind::duplicate;
  std::uint32_t ip = 0;
  std::int64_t client = -1, other_client = -1;  ///< duplicate
  std::string mac, other_mac;                   ///< duplicate
  std::string host, other_host;                 ///< duplicate: who granted each
  std::int64_t other_server = -1;               ///< duplicate
  core::Instant since{};                        ///< duplicate: the other holds it since
  bool operator==(const MonitorFinding&) const = default;
};

/// Returns "duplicate", "mclt-violation", "both-partner-down", "zero-lease" or "short-lease".
std::string_view to_string(MonitorFinding::Kind k);

/// A failover protocol message received (verbose traces only).
struct ProtocolMessage {
  std::string type;  ///< e.g. "BNDUPD"
  std::string from_host;
  std::uint32_t ip = 0;    ///< BNDUPD / BNDACK: the lease's address
  std::string binding;     ///< BNDUPD / BNDACK: the binding state, as ISC names it
  std::string reject;      ///< BNDACK: why it was rejected (empty: accepted)
  bool has_state = false;  ///< STATE
  core::State state = core::State::unknown_state;  ///< STATE: the sender's state
  bool startup = false;                            ///< STATE: the STARTUP flag
  bool operator==(const ProtocolMessage&) const = default;
};

/// A line of a log fosim read that it uses no further (replay).
struct OtherLine {
  bool operator==(const OtherLine&) const = default;
};

/// A log line of ISC's shape whose values fosim cannot read, e.g. a move to a state ISC does
/// not know (replay leaves it out and says why).
struct UnreadableLine {
  std::string problem;  ///< what cannot be read
  bool operator==(const UnreadableLine&) const = default;
};

/// What happened.
using RunEventBody =
    std::variant<StateMove, PeerStateSeen, FailoverLine, LinkEvent, UpdateLine, PoolBalance,
                 DhcpLine, Unanswered, ScriptLine, ProcessEvent, Banner, MonitorFinding,
                 ProtocolMessage, OtherLine, UnreadableLine>;

/// What kind of line an event is in the timelines.
enum class TraceKind : std::uint8_t {
  state,       ///< a server changed its failover state
  peer_state,  ///< a server learned its partner's new state
  log,         ///< another line ISC logs (both normal, update requests, errors)
  link,        ///< the failover link: connected, disconnected, timeout, rejected
  dhcp,        ///< a DHCP exchange line
  grant,       ///< a lease granted to a client (the ACK, with its lease time)
  unanswered,  ///< a client's attempt that no server answered in time
  script,      ///< a scripted fault or operator action (fosim's annotation)
  monitor,     ///< a monitor finding: duplicate address, MCLT violation, ...
  message,     ///< a failover protocol message (verbose traces only)
  process,     ///< a server process started or went away
};

/// Returns the kebab-case name of a trace kind.
std::string_view to_string(TraceKind k);

/// One event of a run: when, which server, what.
struct RunEvent {
  core::Instant at{};
  int server = -1;  ///< 0 primary, 1 secondary, -1 neither
  RunEventBody what;
  std::string verbatim;  ///< a line read from a log keeps its own words (replay)

  /// The timeline kind of this event.
  TraceKind kind() const;
  /// The event's body as `T`, or null when it is another kind.
  template <class T>
  const T* as() const {
    return std::get_if<T>(&what);
  }
};

}  // namespace fosim::sim
