// `fosim explore --exhaustive --depth K`: a breadth-first search over fault sequences from the
// moment both servers of the scenario first stand in normal.
//
// A step is an action of the vocabulary that applies where the run stands (a partition of the
// whole link or its heal; a crash, kill or freeze of a running server and its start or thaw, the
// start keeping or losing the lease file; an operator's partner-down on a server in
// communications-interrupted) or a wait to a boundary that matters (max-response-delay, the
// MCLT, the client's T1 and T2, the lease time; each plus a second). Runs that stand in the same
// place (Simulator::fingerprint()) are explored once, so the first sequence found to each kind of
// violation is a shortest one. Whenever a step leaves the link whole and both servers running,
// the sequence is also played on to the settle bound, which checks liveness (both in normal) and
// safety on the way there.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fosim/sim/scenario.hpp"
#include "fosim/tools/explore.hpp"

namespace fosim::tools {

/// One step of a searched sequence.
struct SearchStep {
  enum class Kind : std::uint8_t { act, wait };
  Kind kind = Kind::wait;
  sim::ScriptAction action;  ///< act: what is done (its time is when the step comes)
  core::Duration wait{};     ///< wait: how long
  std::string name;          ///< e.g. "partition", "crash secondary", "wait mclt (1801s)"
};

/// What the search is asked for.
struct SearchSpec {
  sim::Scenario base;               ///< prepare_base()'s scenario
  std::size_t depth = 4;            ///< steps per sequence, at most
  std::vector<FaultKind> kinds;     ///< partition, crash, kill, freeze (others are not searched)
  bool partner_down = false;        ///< the operator's partner-down is a step
  bool lost_storage = true;         ///< a start may lose the lease file
  core::Duration settle{};          ///< the liveness bound
  std::size_t max_states = 100000;  ///< the search stops (incomplete) past this many
};

/// The shortest sequence found to one kind of violation.
struct CounterExample {
  Invariant invariant = Invariant::duplicate;
  std::vector<SearchStep> steps;
  bool after_settle = false;  ///< found while playing on to the settle bound
  /// The documented hazards that explain the violation (hazards_before(), as for a draw).
  std::vector<sim::Hazard> hazards;
};

/// What the search found.
struct SearchResult {
  core::Instant root{};                 ///< when both servers first stood in normal
  std::vector<std::size_t> new_states;  ///< distinct states first reached at each depth
  std::size_t runs = 0;                 ///< steps played (each a copy of the run)
  std::size_t settles = 0;              ///< plays on to the settle bound
  bool complete = true;                 ///< false: stopped at max_states
  std::array<std::optional<CounterExample>, 3> shortest;  ///< per Invariant
  /// Per Hazard: the shortest sequence to a violation that hazard explains.
  std::array<std::optional<CounterExample>, sim::hazard_table.size()> by_hazard;
};

/// Searches `spec`; throws std::runtime_error when the servers never both reach normal.
SearchResult search_faults(const SearchSpec& spec);

/// The table "what it takes to break this configuration", one row per invariant, then one per
/// documented hazard.
std::string search_table(const SearchSpec& spec, const SearchResult& r);

/// The counter-example as a scenario `fosim run` plays: the base scenario with the sequence's
/// actions in its script at the times the search took them, ending a minute after its last
/// step (after the settle bound when the violation showed while settling), and a description
/// that spells the sequence out. Its expectations are the promises (no duplicate, no lease past
/// ack + MCLT, and, when the sequence ends whole, both in normal at the settle bound), so
/// `fosim run` exits 1 naming the one broken.
sim::Scenario counter_example_scenario(const SearchSpec& spec, const SearchResult& r,
                                       const CounterExample& ce);

/// The counter-example's file name, e.g. "shortest-duplicate-address.json".
std::string counter_example_file(Invariant invariant);

/// DIR/explore.json of a search: the options, the figures and each shortest sequence with its
/// steps' times; `written` says the counter-example files were written beside it.
std::string search_json(const SearchSpec& spec, const SearchResult& r, bool written);

}  // namespace fosim::tools
