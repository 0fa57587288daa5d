// A scenario's failover pools laid out as lease indexes: every range of every pool, in order,
// and which pools serve the same clients (the pools of one subnet).
#pragma once

#include <cstdint>
#include <vector>

#include "fosim/sim/lease_db.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// Every range of every pool (all_pools() order, each pool's ranges in order) as segments of
/// consecutive lease indexes from 0.
std::vector<AddressSegment> address_segments(const Scenario& sc);

/// Each pool's network (all_pools() order): pools of one subnet share one, numbered from 0 in
/// the order they first appear; a pool without a subnet has one of its own.
std::vector<std::uint32_t> pool_networks(const Scenario& sc);

}  // namespace fosim::sim
