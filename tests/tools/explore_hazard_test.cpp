// `fosim explore` tells a violation a documented ISC hazard explains from one that none does:
// a duplicate counts the hazards of its own address and those of a whole server that came
// before it, nothing later and nothing about another address.
#include <doctest/doctest.h>

#include "fosim/tools/explore.hpp"

using fosim::core::Instant;
using fosim::sim::Hazard;
using fosim::sim::HazardMark;
using std::chrono::seconds;

TEST_SUITE("tools") {
  TEST_CASE("explore: a duplicate is explained only by hazards before it, on its address") {
    fosim::sim::RunStats st;
    const std::uint32_t a = 0x0a000064, b = 0x0a000065;
    st.hazards = {HazardMark{Instant{seconds(100)}, 1, Hazard::stale_update, b},
                  HazardMark{Instant{seconds(200)}, 0, Hazard::stale_update, a},
                  HazardMark{Instant{seconds(300)}, 0, Hazard::lost_storage, 0}};
    using V = std::vector<Hazard>;
    CHECK(fosim::tools::hazards_before(st, Instant{seconds(150)}, a) == V{});
    CHECK(fosim::tools::hazards_before(st, Instant{seconds(200)}, a) == V{Hazard::stale_update});
    CHECK(fosim::tools::hazards_before(st, Instant{seconds(300)}, a) ==
          V{Hazard::lost_storage, Hazard::stale_update});
    // Without an address (not-normal, MCLT): every hazard of the run, in table order.
    CHECK(fosim::tools::hazards_before(st, Instant::max()) ==
          V{Hazard::lost_storage, Hazard::stale_update});
  }
}
