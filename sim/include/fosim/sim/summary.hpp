// What a finished run amounts to: the summary figures (summary.json) and the verdict on the
// scenario's `expect` block.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

/// Returns the state server `server` was in at `at` (unknown-state before it started).
core::State state_at(const Simulator& sim, std::size_t server, core::Instant at);

/// Returns the availability of the run: answered / attempted exchanges (1 when none).
double availability(const RunStats& stats);

/// Returns the summary of a finished run (summary.json), keys in a fixed order.
nlohmann::ordered_json summarize(const Simulator& sim, std::uint64_t seed);

/// One checked expectation.
struct ExpectationResult {
  std::string what;  ///< e.g. "state of dhcp-a at 00:15:00.000 is communications-interrupted"
  bool passed = false;
  std::string observed;  ///< what the run showed
};

/// Checks every expectation of the scenario against the finished run; a state expectation
/// after the point where the run stopped is left out.
std::vector<ExpectationResult> check_expectations(const Simulator& sim);

}  // namespace fosim::sim
