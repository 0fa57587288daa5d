// Internal to the sweep outputs: each point's figures over its seeds, as sweep.json holds them
// and the HTML page draws them.
#pragma once

#include <nlohmann/json.hpp>

#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools::detail {

/// One object per point: label, scenario, values, runs, complete, aggregate (min / lower
/// median / max of each figure), expectations, holds.
nlohmann::ordered_json sweep_points(const SweepResult& r);

}  // namespace fosim::tools::detail
