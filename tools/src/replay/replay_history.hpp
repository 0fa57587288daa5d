// Internal to fosim replay's output: a history of both servers' states (the log's, or a
// run's), and the what-if comparison and text swimlanes drawn from them.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
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

/// A server's states over time: (when, ISC's name of the state, or "down"), as a swimlane
/// draws them.
using Lane = std::vector<std::pair<std::int64_t, std::string>>;

/// Returns server `i`'s lane in `h`: `lanes[i]` when set, else `changes[i]` by name.
Lane lane(const History& h, std::size_t i);
/// Returns how long server `i` of `h` spent in `state` (a state's name, or "down"), in ms.
std::int64_t time_in(const History& h, std::size_t i, std::string_view state);
/// Returns what server `i` of `h` ended in: a state's name, or "down" when it was not running.
std::string end_state(const History& h, std::size_t i);
/// Returns the spans [from, to) in ms in which both servers of `h` are in partner-down: the
/// split-brain window, since ISC leaves partner-down as soon as the two connect again.
std::vector<std::pair<std::int64_t, std::int64_t>> split_brain(const History& h);
/// Returns the history the log shows.
History from_replay(const sim::Replay& r);
/// Returns the history of a finished run, labelled `label`.
History from_run(const std::string& label, const sim::Simulator& s);
/// Returns both servers' states in `h` as a text swimlane ('-' where a server is down), and,
/// when there is a split-brain window, a third row that marks it with '!'.
std::string swimlanes(const History& h);

/// One row of a table: its name and one cell per column.
struct TableRow {
  std::string name;
  std::vector<std::string> cells;
};

/// Returns the rows that put `runs` side by side (a header of their labels first): first
/// partner-down, time in partner-down and in communications-interrupted (while running) and
/// the state at the end, per server; the split-brain window; duplicates, availability, lease
/// times, operator moves.
std::vector<TableRow> comparison_rows(const std::vector<History>& runs);
/// Prints `rows` with each column as wide as its longest text and two spaces (at least 36 for
/// the names and 24 for the cells), without trailing spaces.
void print_table(std::ostream& out, const std::vector<TableRow>& rows);
/// Prints `runs` side by side: print_table(out, comparison_rows(runs)).
void comparison(std::ostream& out, const std::vector<History>& runs);

}  // namespace fosim::tools::detail
