// Replaying a real outage from two ISC dhcpd servers' logs.
//
// `Replay` takes the understood lines of both servers in time order, one at a time (a large log
// streams through; what it keeps grows with the number of clients and state changes, not
// with the number of lines). It rebuilds the timeline as trace events, checks every
// transition against ISC's state machine (core::step) given what the server knew at that
// moment, flags the moves the machine cannot make with their likely explanation, flags every
// moment both servers could have handed out the same address, and turns the outage into a
// scenario (partitions, restarts, operator actions, clients) that can be played again with
// other settings.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/sim/run_event.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::sim {

/// What the replay is told beyond the logs.
struct ReplayConfig {
  std::string primary;  ///< host of the primary; empty: the first host seen (a note says so)
  /// The failover peer to replay; empty: the first one the log names. Lines of other peers
  /// are left out (a note counts them).
  std::string relationship;
  /// The servers' configuration, when known (from their dhcpd.conf files): roles, mclt,
  /// auto-partner-down, max-response-delay and the pool. Matched to the logs by host name,
  /// else by role.
  std::optional<Scenario> known;
  /// How long an acknowledged lease is assumed to last when looking for one address given to
  /// two clients (the log does not say): the known default-lease-time, else twice the most
  /// common gap between a client's renewals in the log, else ISC's default 43200 s.
  std::optional<core::Seconds> lease_time;
};

/// Something the replay found.
struct ReplayFinding {
  enum class Kind : std::uint8_t {
    unexplained_move,   ///< a move ISC's machine cannot make from what the server knew
    inconsistent,       ///< "I move from A" while the last known state was not A
    duplicate_risk,     ///< one server in partner-down while the other still answered clients
    duplicate_address,  ///< one address acknowledged to two clients by the two servers
    /// A move to startup without the lines of a start before it (no banner, the same pid): an
    /// operator's OMAPI local-state 1, not a restart.
    operator_startup,
  };
  Kind kind = Kind::unexplained_move;
  core::Instant at{};
  int server = -1;
  std::string what;  ///< what happened
  std::string why;   ///< the likely explanation
  std::string file;
  std::size_t line = 0;
};

/// Returns "unexplained-move", "inconsistent", "duplicate-risk", "duplicate-address" or
/// "operator-startup".
std::string_view to_string(ReplayFinding::Kind k);

/// One server's reconstructed history.
struct ReplayServer {
  std::string host;
  core::Role role = core::Role::primary;
  std::vector<std::pair<core::Instant, core::State>> states;  ///< every state entered, in order
  std::optional<core::State> first_state;                     ///< the state before the first move
  std::uint64_t lines = 0, acks = 0, offers = 0, naks = 0;
};

/// Rebuilds an outage from log lines (see the file comment).
class Replay {
 public:
  /// Events go to `sink` (may be null) as they are rebuilt.
  Replay(ReplayConfig config, TraceSink* sink);
  ~Replay();
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  /// Takes one line of server `host` at `time_ms` (ms since 1970; the first line is time 0),
  /// read as `e` (classify()); `text` is the line's message, shown as it was logged; `pid` the
  /// process id of its header, when it has one. A later move to startup counts as a start only
  /// after a banner or a new pid. Lines must come in time order. A line equal to an earlier one
  /// in time, host, pid and text is left out (a note counts them) when it comes from another
  /// file or after its own file went back in time: a second, overlapping excerpt of the same
  /// log. Gives false, with `error`, when a third server appears.
  bool add(std::string_view host, std::int64_t time_ms, const RunEventBody& e,
           std::string_view text, const std::string& file, std::size_t line, std::string& error,
           std::optional<std::uint64_t> pid = std::nullopt);
  /// Closes open windows; call once after the last line.
  void finish();

  /// The servers seen, in order of appearance (at most two).
  const std::vector<ReplayServer>& servers() const { return servers_; }
  const std::vector<ReplayFinding>& findings() const { return findings_; }
  /// How many findings of each kind there were (findings() keeps the first 1000 of each).
  const std::map<ReplayFinding::Kind, std::uint64_t>& finding_counts() const {
    return finding_counts_;
  }
  /// Notes about assumptions the replay made (e.g. which server is the primary).
  const std::vector<std::string>& notes() const { return notes_; }
  /// The failover peer name the lines carry.
  const std::string& relationship() const { return relationship_; }
  /// ms since 1970 of time 0 (the first line), and the time of the last line.
  std::int64_t origin_ms() const { return origin_ms_.value_or(0); }
  core::Instant end() const { return last_; }
  std::uint64_t lines() const { return lines_; }

  /// The outage as a scenario: the two servers (known configuration, or ISC's defaults with a
  /// note), the pool (known, or the addresses seen), the clients seen, and a script of the
  /// partitions, crashes, restarts and operator actions that explain the logs. `notes` gets
  /// every assumption made. Nothing (the reason is the last note) unless both servers were
  /// seen, with distinct roles, within ten years.
  std::optional<Scenario> scenario(std::vector<std::string>& notes) const;

 private:
  struct Lease {
    int server = -1;
    std::string mac;
    core::Instant at{};
  };
  struct Peer;  // per-server model state
  int server_index(std::string_view host, std::string& error);
  // Overlapping excerpts (replay_duplicates.cpp).
  bool repeated_line(std::string_view host, std::int64_t time_ms, std::optional<std::uint64_t> pid,
                     std::string_view text, const std::string& file);
  void on_line(int s, RunEvent t, const RunEventBody& e, const std::string& file, std::size_t line);
  void on_link(Peer& p, RunEvent t, const LinkEvent& l);
  /// "Both servers normal" from server `s`: both servers' states are normal.
  void both_normal(int s, core::Instant at);
  // The model check (replay_check.cpp).
  void on_move(int s, core::Instant at, const StateMove& m, const std::string& file,
               std::size_t line);
  Cause explain_move(Peer& p, const core::PeerView& v, const StateMove& m, core::Instant at,
                     std::int64_t apd, std::optional<core::Instant>& model_stos);
  void flag_unexplained(int s, core::Instant at, const StateMove& m, std::int64_t apd,
                        const std::string& file, std::size_t line);
  void flag_operator_startup(int s, core::Instant at, const StateMove& m, const std::string& file,
                             std::size_t line);
  void partner_down_window(int s, core::Instant at, const StateMove& m, const std::string& file,
                           std::size_t line);
  // The DHCP exchange.
  void on_dhcp(int s, RunEvent t, const DhcpLine& d, const std::string& file, std::size_t line);
  bool on_ack(int s, core::Instant at, const DhcpLine& d, const std::string& file,
              std::size_t line);
  void find(ReplayFinding f);
  void emit(RunEvent e);
  core::Seconds lease_time() const;
  // The scenario (replay_scenario.cpp); `index_of` maps log order to scenario order.
  using ServerOrder = std::array<std::size_t, 2>;
  void scenario_servers(Scenario& sc, const ServerOrder& index_of,
                        std::vector<std::string>& notes) const;
  void scenario_pool(Scenario& sc, std::vector<std::string>& notes) const;
  void scenario_clients(Scenario& sc, std::vector<std::string>& notes) const;
  void scenario_restarts(Scenario& sc, const ServerOrder& index_of,
                         std::vector<std::string>& notes) const;
  void scenario_outages(Scenario& sc, const ServerOrder& index_of,
                        std::vector<std::string>& notes) const;
  /// The server (log order) that fell silent at the outage `o` still open at the end of the
  /// log: its last line before the partner noticed, while the partner logged on for longer
  /// than the silent one's max-response-delay. Nothing when both logged on (a partition).
  std::optional<int> silent_server(const Scenario& sc, const ServerOrder& index_of,
                                   core::Instant down) const;

  ReplayConfig config_;
  TraceSink* sink_;
  std::vector<ReplayServer> servers_;
  std::vector<Peer> peers_;
  std::vector<ReplayFinding> findings_;
  std::map<ReplayFinding::Kind, std::uint64_t> finding_counts_;
  std::vector<std::string> notes_;
  std::string relationship_;
  std::optional<std::int64_t> origin_ms_;
  core::Instant last_{};
  std::uint64_t lines_ = 0;
  bool both_normal_pending_ = false;  ///< the partner, not seen yet, is normal
  std::uint64_t out_of_order_ = 0;    ///< lines earlier than the line before
  /// What is kept to find a line a second excerpt repeats (replay_duplicates.cpp).
  struct FileHistory {
    std::int64_t latest_ms = 0;    ///< the latest time of the file's lines
    std::uint64_t step_backs = 0;  ///< lines earlier than that latest time
  };
  struct LineSeen {
    std::uint32_t file = 0;        ///< index in files_
    std::uint64_t step_backs = 0;  ///< the file's step_backs when the line came
  };
  std::vector<std::pair<std::string, FileHistory>> files_;
  std::unordered_map<std::uint64_t, LineSeen> lines_seen_;  ///< by a hash of time, host, pid, text
  std::uint64_t repeated_ = 0;                              ///< lines left out as repeated
  std::map<std::string, std::uint64_t> other_peers_;  ///< lines of other failover peers, left out
  std::unordered_map<std::uint32_t, Lease> leases_;   ///< last ACK of each address
  std::unordered_set<std::string> duplicates_seen_;   ///< "ip mac mac" pairs already reported
  std::unordered_map<std::string, core::Instant> first_seen_;  ///< client MAC -> first line
  /// Each client's last DHCPACK (address, time), and how often each gap between two ACKs of
  /// the same address to the same client (a renewal, at half the lease time) was seen.
  std::unordered_map<std::string, std::pair<std::uint32_t, core::Instant>> last_ack_;
  std::map<std::int64_t, std::uint64_t> renewal_gaps_s_;
  std::int64_t common_gap_s_ = 0;
  std::uint64_t common_gap_count_ = 0;
  std::vector<std::string> mac_order_;  ///< MACs in order of first appearance
  std::uint32_t min_ip_ = 0xffffffffu, max_ip_ = 0;
  // What the scenario is made of.
  struct Restart {
    int server;
    core::Instant at;
    core::Instant last_before;  ///< the server's last line before it
    bool after_shutdown;
    std::optional<core::Instant> shutdown_at;
    bool storage_lost;  ///< it started from recover though it was in another state: no lease file
  };
  struct Outage {
    core::Instant down{};
    bool timeout = false;  ///< found by the receive timer, not a closed connection
    std::optional<core::Instant> up;
  };
  std::vector<Restart> restarts_;
  std::vector<Outage> outages_;
  std::vector<std::tuple<core::Instant, int, core::State>> operator_moves_;
};

}  // namespace fosim::sim
