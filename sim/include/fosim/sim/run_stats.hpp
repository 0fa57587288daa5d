// The figures a run reports as a whole: exchanges, duplicates, MCLT violations, lease times,
// time in each state, transitions and the pools' series. The monitors fill them in.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"
#include "fosim/sim/client_impact.hpp"
#include "fosim/sim/hazard.hpp"
#include "fosim/sim/run_event.hpp"

namespace fosim::sim {

using core::Duration;

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

/// One recovery of the script (heal, start, restart, thaw) and when both servers were next
/// in normal at once, at or after it.
struct Recovery {
  core::Instant at{};
  ScriptLine::Action action = ScriptLine::Action::heal;
  int server = -1;                      ///< the server started or thawed; -1 for a heal
  std::optional<core::Instant> normal;  ///< unset: not both normal before the run ended
};

/// How many moments of each hazard a run keeps with their time (all are counted).
inline constexpr std::uint64_t hazard_marks_kept = 64;

/// Run-wide figures.
struct RunStats {
  std::uint64_t events = 0;
  std::uint64_t attempts = 0;  ///< client exchanges started (DISCOVER, renew, rebind rounds)
  std::uint64_t answered = 0;  ///< exchanges a server answered in time
  std::uint64_t unanswered = 0;
  std::vector<Duplicate> duplicates;
  std::uint64_t mclt_violations = 0;
  std::vector<HazardMark> hazards;  ///< the first moments of each kind (hazard_marks_kept)
  std::array<std::uint64_t, hazard_table.size()> hazard_counts{};  ///< every moment, by kind
  std::uint64_t zero_leases = 0;                                   ///< ACKs of 0 seconds (MCLT 0)
  std::uint64_t short_leases = 0;  ///< ACKs the MCLT cut below min-lease-time
  std::uint64_t both_partner_down_connected = 0;
  std::map<std::int64_t, std::uint64_t> lease_times;  ///< granted seconds -> count
  std::optional<core::Seconds> first_lease_time;
  std::optional<core::Seconds> first_renewal_time;
  std::optional<core::Seconds> max_lease_time;
  std::optional<core::Instant> last_heal;
  std::optional<core::Instant> normal_after_heal;  ///< both normal, after the last heal
  std::vector<Recovery> recoveries;                ///< every recovery of the script, in order
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
  /// What the clients noticed: time without a lease, lost addresses, refused renewals (as at
  /// the end of the run).
  ClientImpact impact;
};

}  // namespace fosim::sim
