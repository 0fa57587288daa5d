// A what-if: one `key=value` change to a scenario, read with the scenario file's own rules.
//
// `fosim replay --what-if` and `fosim sweep --vary` change a scenario this way; the key is a
// scenario key of the settings tables (core/settings.hpp, sim/run_settings.hpp) and the value is
// checked as the scenario reader checks it, so an error reads the same as in a scenario file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// Applies `key=value` to a scenario: a server parameter (mclt, split, auto_partner_down,
/// max_response_delay, load_balance_max_seconds, max_unacked_updates, ... as in scenario
/// files) on both servers where ISC allows it, or a pool parameter (default_lease_time,
/// max_lease_time, min_lease_time), or a number of run_settings.hpp (duration, link.latency,
/// clients.count, clients.N.stay, ...). Gives an error message when the key or value is not valid.
std::optional<std::string> apply_what_if(Scenario& sc, std::string_view assignment);

}  // namespace fosim::sim
