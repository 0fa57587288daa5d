// What a finished run amounts to: the summary figures (summary.json) and the verdict on the
// scenario's `expect` block.
#pragma once

#include <array>
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

/// The binding states the per-pool figures count, in their order.
inline constexpr std::array<core::BindingState, 6> pool_figure_states{
    core::BindingState::free,    core::BindingState::backup,   core::BindingState::active,
    core::BindingState::expired, core::BindingState::released, core::BindingState::abandoned};

/// One failover pool at the end of a run.
struct PoolFigures {
  PoolSpec spec;
  std::uint32_t addresses = 0;
  struct PerServer {
    std::uint64_t acks = 0;  ///< ACKs of the pool's addresses
    std::array<std::uint32_t, pool_figure_states.size()> leases{};  ///< pool_figure_states
  };
  std::array<PerServer, 2> servers;
};

/// Each pool's figures, in all_pools() order.
std::vector<PoolFigures> pool_figures(const Simulator& sim);
/// A pool as the summaries name it: its ranges and subnet.
std::string pool_name(const PoolSpec& p);
/// summary.json's "pools" (written when the scenario has several).
nlohmann::ordered_json pools_block(const Simulator& sim);

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
