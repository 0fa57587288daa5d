// The hazards a server marks as it walks into them (sim/hazard.hpp): a start that lost the
// lease file, and a start from a lease file a killed controlled shutdown left saying
// "shutdown" (ISC server/failover.c dhcp_failover_state_transition(): a server in startup
// resumes its saved state, and shutdown reacts to nothing).
#include <doctest/doctest.h>

#include "fosim/sim/simulator.hpp"
#include "pair_fixture.hpp"

using fosim::core::Instant;
using fosim::core::State;
using fosim::sim::ActionType;
using fosim::sim::Hazard;
using std::chrono::milliseconds;
using std::chrono::minutes;

namespace {

std::uint64_t count(const fosim::sim::RunStats& st, Hazard h) {
  return st.hazard_counts[static_cast<std::size_t>(h)];
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("hazards: a start without the lease file is marked, a start with it is not") {
    auto sc = fosim::test::field_pair(1);
    sc.duration = minutes(40);
    fosim::test::at(sc, minutes(10), ActionType::kill, 1);
    fosim::test::at(sc, minutes(15), ActionType::start, 1);
    fosim::test::at(sc, minutes(20), ActionType::kill, 1);
    fosim::test::at(sc, minutes(25), ActionType::start, 1);
    sc.script.back().keep_storage = false;
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto& st = s.stats();
    REQUIRE(count(st, Hazard::lost_storage) == 1);
    CHECK(st.hazards.front().server == 1);
    CHECK(st.hazards.front().at == Instant{minutes(25)});
    CHECK(count(st, Hazard::saved_shutdown) == 0);
  }

  TEST_CASE("hazards: a kill inside the controlled shutdown leaves a server stuck in shutdown") {
    // Without an OMAPI client the countdown reaches shutdown_dhcp at once: the primary moves to
    // shutdown at 10:00 and records it; its exit (with recover) waits for the next 1-s tick.
    // Killed half a second in, its lease file says shutdown; started at 12:00 it resumes
    // shutdown, which no peer state moves, and the secondary stays in partner-down.
    auto sc = fosim::test::field_pair(1);
    sc.duration = minutes(30);
    fosim::test::at(sc, minutes(10), ActionType::stop, 0);
    sc.script.back().omapi_connected = false;
    fosim::test::at(sc, minutes(10) + milliseconds(500), ActionType::kill, 0);
    fosim::test::at(sc, minutes(12), ActionType::start, 0);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto& st = s.stats();
    CHECK(count(st, Hazard::saved_shutdown) == 1);
    CHECK(s.server(0).view().state == State::shutdown);
    CHECK(s.server(1).view().state == State::partner_down);
  }
}
