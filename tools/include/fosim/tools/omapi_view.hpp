// The OMAPI failover-state object of a simulated server, printed the way omshell shows it.
#pragma once

#include <string>

#include "fosim/core/state.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::tools {

/// The `failover-state` object of server `index` of `sim` at its current time: one
/// `attribute = value` line per attribute of dhcpd.8, values as omshell prints them (strings
/// quoted, integers and addresses as colon-separated hex bytes), each followed by what it
/// means. States are numbered in `numbering` (ISC 4.x or 3.0.x).
std::string omapi_failover_state(const sim::Simulator& sim, std::size_t index,
                                 core::Numbering numbering);

}  // namespace fosim::tools
