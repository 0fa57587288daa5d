// Internal to fosim replay's output: a history of both servers' states (the log's, or a
// run's), and the what-if comparison and text swimlanes drawn from them.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "fosim/core/state.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::tools::detail {

/// One history to compare: each server's state changes, in scenario order (primary first).
struct History {
  std::string label;
  std::string hosts[2];
  core::State first[2] = {core::State::startup, core::State::startup};
  std::vector<std::pair<std::int64_t, core::State>> changes[2];
  /// What each server's swimlane draws, when it is more than `changes`: a run's state changes
  /// with its process exits as down bands, as fosim run draws them (report.hpp's run_changes).
  std::vector<std::pair<std::int64_t, std::string>> lanes[2];
  std::int64_t end_ms = 0;
  std::optional<std::uint64_t> duplicates;
  std::optional<double> availability;
  std::string lease_range;  ///< "1800 s - 43200 s" (ISC does not log lease times)
  std::uint64_t forced = 0;
};

/// Returns how long server `i` of `h` spent in state `s`, in ms.
std::int64_t time_in(const History& h, std::size_t i, core::State s);
/// Returns the state server `i` of `h` ended in.
core::State final_state(const History& h, std::size_t i);
/// Returns the history the log shows.
History from_replay(const sim::Replay& r);
/// Returns the history of a finished run, labelled `label`.
History from_run(const std::string& label, const sim::Simulator& s);
/// Returns both servers' states in `h` as a text swimlane ('-' where a server is down).
std::string swimlanes(const History& h);
/// Prints `runs` side by side: first partner-down, time in each state, duplicates and more.
void comparison(std::ostream& out, const std::vector<History>& runs);

}  // namespace fosim::tools::detail
