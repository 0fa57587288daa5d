// Internal to the sweep outputs: each point's figures over its seeds, as sweep.json holds them
// and the HTML page draws them, the scale the page colours each figure on, and a list of seeds
// as the JUnit file and the page write it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools::detail {

/// One object per point: label, scenario, values, runs, complete, aggregate (min / lower
/// median / max of each figure), expectations, holds.
nlohmann::ordered_json sweep_points(const SweepResult& r);

/// One object per figure, in the order of a point's aggregate: figure, to ("one": the scale
/// is 0 to 1; "largest": 0 to the largest value in the sweep), better ("higher", "lower",
/// "zero": any value above 0 is a harm, "neither") and meaning (a phrase for the legend).
nlohmann::ordered_json figure_scales();

/// Returns the seeds separated by ", " ("1, 5, 9").
std::string seed_list(const std::vector<std::uint64_t>& seeds);

}  // namespace fosim::tools::detail
