// A scenario: two failover servers, their pool, a client population, a script of outages and
// operator actions, and what the run is expected to show.
//
// This is plain data. scenario_json.hpp reads it from a JSON file (every error names the file,
// the JSON path and what would be valid); the simulator plays it out. Durations are simulated
// milliseconds (`core::Duration`); configuration values keep ISC's names and units.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fosim/core/binding.hpp"
#include "fosim/core/peer_config.hpp"
#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"
#include "fosim/core/transition_table.hpp"
#include "fosim/sim/invariant.hpp"

namespace fosim::sim {

using core::Duration;
using core::Instant;

/// One address as a server's lease file holds it when the run begins (times on the run's
/// clock: negative before the start).
struct SavedLease {
  std::uint32_t address = 0;  ///< host order, inside the pool
  core::BindingState state = core::BindingState::free;
  core::BindingState rewind = core::BindingState::free;       ///< the file's, else `state`
  Instant starts{}, ends{}, tstp{}, tsfp{}, atsfp{}, cltt{};  ///< 0 = not in the file
  std::optional<std::uint64_t> mac;                           ///< 48-bit ethernet address, if any
  std::optional<std::vector<std::uint8_t>> uid;               ///< the client identifier, if any
  std::size_t line = 0;                                       ///< where the file declares it
};

/// The failover state record of a server's lease file.
struct SavedState {
  core::State state = core::State::recover;  ///< `my state`
  Instant stos{};
  core::State partner = core::State::unknown_state;
  Instant partner_stos{};
  std::optional<core::Seconds> mclt;  ///< `mclt N;` (a secondary's)
};

/// What a server's lease file holds when the run begins: its dhcpd starts from this.
struct SavedStorage {
  std::string file;                 ///< the lease file, for messages
  std::optional<SavedState> state;  ///< none: the file has no record of the relationship
  std::vector<SavedLease> leases;   ///< every address the file declares, in file order
};

/// One server of the pair.
struct ServerSpec {
  std::string host;         ///< the host name used in the timeline (e.g. "dhcp-a")
  core::PeerConfig config;  ///< its `failover peer` declaration as written
  Duration clock_offset{};  ///< its clock minus true time at the start (clock skew)
  Duration start_at{};      ///< when its dhcpd process starts, to the millisecond
  /// The sub-second phase of its clock (0-999 ms: where its whole seconds fall in true time);
  /// unset: drawn from the scenario's generator.
  std::optional<Duration> clock_phase;
  std::optional<Duration>
      reply_latency;                    ///< its replies' latency to clients; unset: client_latency
  std::string leases;                   ///< the scenario's `leases` key: its lease file, as written
  std::optional<SavedStorage> storage;  ///< the lease file it starts from; none: an empty one
};

/// An address range, host order, both ends included.
struct AddressRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};

/// A subnet: its network address (host order) and prefix length.
struct Subnet {
  std::uint32_t network = 0;
  std::uint8_t prefix = 24;
  bool operator==(const Subnet&) const = default;
};

/// A failover pool shared by the two servers (one `pool { range A B; }` referring to the
/// failover peer).
struct PoolSpec {
  std::uint32_t first = 0;                ///< first address of the range, host order
  std::uint32_t last = 0;                 ///< last address of the range (inclusive)
  std::vector<AddressRange> more_ranges;  ///< the pool's further ranges, in order
  /// The subnet its clients are on; pools of one subnet serve the same clients. Unset: a
  /// network of its own.
  std::optional<Subnet> subnet;
  core::Seconds default_lease_time{43200};
  core::Seconds max_lease_time{86400};
  std::optional<core::Seconds> min_lease_time;  ///< unset: ISC's 300 s capped at max
};

/// Which servers a client can reach with its broadcasts.
enum class Reach : std::uint8_t { both, primary_only, secondary_only };

/// A span of the day, in seconds from midnight UTC: a daily client group's arrival or
/// departure falls in it ("08:00-09:30").
struct DayWindow {
  core::Seconds from{};
  core::Seconds to{};  ///< at most 24:00; before `from`: the span crosses midnight
};

/// One group of clients.
struct ClientGroup {
  std::uint32_t count = 0;
  Reach reach = Reach::both;
  Duration arrival_start{};      ///< first arrival
  Duration arrival_window{};     ///< arrivals spread uniformly over this span
  std::optional<Duration> stay;  ///< how long a client stays before leaving; unset = forever
  std::optional<Duration>
      away;  ///< how long a departed client is gone before it returns; unset = for good
  bool release_on_departure = false;  ///< send DHCPRELEASE when leaving
  bool client_ids = false;            ///< send option 61 (01 + MAC)
  std::vector<std::string> macs;      ///< fixed MACs (first clients of the group); rest generated
  std::optional<core::Seconds> requested_lease_time;  ///< option 51, if the clients send one
  std::uint16_t secs = 0;  ///< the secs field of a first transmission; retries add to it
  /// The pool (index into all_pools()) whose network the clients are on; unset: each client
  /// on one network drawn at random (only when the scenario has more than one).
  std::optional<std::size_t> pool;
  /// Daily: each day of the run, each client arrives at a time drawn from `daily_arrive` and
  /// leaves at one drawn from `daily_leave` (the next day's when it is not after the arrival).
  std::optional<DayWindow> daily_arrive, daily_leave;
};

/// Script actions (timed faults and operator actions).
enum class ActionType : std::uint8_t {
  partition,   ///< cut the failover link (both directions or one)
  heal,        ///< restore the failover link
  stop,        ///< graceful shutdown through OMAPI (ISC's controlled shutdown)
  crash,       ///< the machine vanishes (power, cable): no FIN, SYNs unanswered
  start,       ///< a stopped, killed or crashed server starts
  restart,     ///< kill (or stop, if graceful) and start again
  set_state,   ///< OMAPI local-state (operator forces a failover state)
  clock_skew,  ///< change a server's clock offset
  clients,     ///< change a client group's arrival (add clients now)
  kill,        ///< the process dies, the machine stays up (SIGTERM, SIGKILL, OOM): FIN at once
  freeze,      ///< the process stops running (SIGSTOP, VM pause): no sends, reads or timers
  thaw,        ///< a frozen process runs again (SIGCONT): what fell due runs at once, in order
  client,      ///< a scripted client (its MAC) sends one message or exchange
};

/// What a scripted client sends (script action `client`).
enum class ClientSend : std::uint8_t {
  discover,  ///< DISCOVER, then a REQUEST for the first OFFER, waiting for the ACK
  probe,     ///< DISCOVER only: offers are recorded but never taken
  renew,     ///< REQUEST unicast to the server that granted its lease
  rebind,    ///< REQUEST broadcast to every server
  reboot,    ///< INIT-REBOOT REQUEST of its lease
  release,   ///< RELEASE of its lease
};

/// The names of ClientSend, in its order.
inline constexpr std::array<const char*, 6> client_send_names{"discover", "probe",  "renew",
                                                              "rebind",   "reboot", "release"};

/// Which way a partition cuts.
enum class Direction : std::uint8_t { both, primary_to_secondary, secondary_to_primary };

/// One timed script action.
struct ScriptAction {
  Instant at{};
  ActionType type = ActionType::partition;
  std::size_t server = 0;                 ///< 0 primary, 1 secondary (stop, kill, crash, ...)
  Direction direction = Direction::both;  ///< partition / heal
  bool keep_storage = true;               ///< start / restart: the lease file survives
  bool graceful = false;                  ///< restart: a controlled shutdown first
  bool omapi_connected = true;  ///< stop / graceful restart: an OMAPI client waits for its answer
  core::State state = core::State::partner_down;  ///< set_state
  Duration offset{};                              ///< clock_skew: the new clock offset
  std::uint32_t add_clients = 0;                  ///< clients: how many arrive
  Duration window{};                              ///< clients: over how long
  std::string mac;                                ///< client: the scripted client's MAC
  ClientSend send = ClientSend::discover;         ///< client: what it sends
  std::uint16_t secs = 0;                         ///< client: the secs field of its first packet
  std::size_t line = 0;                           ///< position in the script, for messages
};

/// A state one server must be in at a given time.
struct StateExpectation {
  Instant at{};
  std::size_t server = 0;
  core::State state = core::State::normal;
};

/// What the run must show; checked at the end (fosim run exits 1 when one fails).
struct Expectations {
  std::vector<StateExpectation> states;
  std::optional<bool> no_duplicates;            ///< true: no duplicate address at any time
  std::optional<std::uint64_t> min_duplicates;  ///< at least this many duplicates (training runs)
  /// true: no ACK gave a lease ending past the partner's acknowledged time plus the MCLT
  std::optional<bool> no_mclt_violations;
  std::optional<double> min_availability;               ///< answered / attempted, 0..1
  std::optional<Duration> max_time_to_normal;           ///< from the last heal to both normal
  std::optional<core::Seconds> first_lease_time;        ///< the first grant's lease time
  std::optional<core::Seconds> renewal_lease_time;      ///< the first renewal's lease time
  std::optional<core::Seconds> max_lease_time_granted;  ///< no grant longer than this
};

/// How the machines' TCP retransmits an unanswered SYN of a failover connection attempt.
enum class SynSchedule : std::uint8_t {
  linux_current,  ///< Linux 6.5 and later: 1 s apart five times, then 2, 4, ... 64 s (131 s)
  linux_pre_6_5,  ///< Linux before 6.5: 1, 2, 4, ... 64 s (127 s)
  list,           ///< the scenario's own waits (`Scenario::syn_waits`)
};

/// A whole scenario.
struct Scenario {
  std::string name;          ///< from the file name unless given
  std::string description;   ///< what the scenario teaches
  std::string relationship;  ///< the failover peer name (both servers use it)
  std::uint64_t seed = 1;
  Duration duration{};                       ///< how long to simulate
  std::optional<std::int64_t> start_utc_ms;  ///< the UTC time time 0 stands for, ms since 1970
  Duration link_latency{Duration{1}};        ///< one-way failover link latency
  SynSchedule syn_schedule = SynSchedule::linux_current;  ///< the SYN retransmission schedule
  std::vector<Duration> syn_waits;    ///< list: the wait after each SYN; the last ends the attempt
  std::int64_t syn_lateness_ppm = 0;  ///< each SYN wait runs this many millionths late
  Duration client_latency{Duration{1}};  ///< one-way client <-> server latency
  ServerSpec servers[2];                 ///< [0] primary, [1] secondary
  PoolSpec pool;                         ///< the (first) failover pool
  std::vector<PoolSpec> more_pools;      ///< further failover pools of the relationship, in order
  std::vector<ClientGroup> clients;
  std::vector<ScriptAction> script;  ///< sorted by time, stable
  Expectations expect;
  /// The semantics both servers run: ISC dhcpd 4.4's (the default) or draft-12's own rules.
  core::ProfileId profile = core::ProfileId::isc_4_4;
  /// The invariants `fosim explore` may find broken around this scenario without failing (a
  /// configuration known to break them, documented in its description); in Invariant order.
  std::vector<Invariant> acceptable;
  /// The UTC second (since 1970) that simulated time 0 stands for in the lease files read and
  /// written: 0 unless the run starts from lease files.
  std::int64_t lease_clock_base_s = 0;
};

/// Every failover pool of the scenario: `pool`, then `more_pools`.
inline std::vector<PoolSpec> all_pools(const Scenario& sc) {
  std::vector<PoolSpec> out{sc.pool};
  out.insert(out.end(), sc.more_pools.begin(), sc.more_pools.end());
  return out;
}

}  // namespace fosim::sim
