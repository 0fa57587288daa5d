// Time to normal after every recovery of the script (heal, start, restart, thaw), one entry per
// recovery in summary.json, worked out from what ISC does at each (see process_actions_test.cpp
// for the same runs' state moves).
#include <doctest/doctest.h>

#include "fosim/sim/summary.hpp"
#include "pair_fixture.hpp"

using fosim::sim::ActionType;
using fosim::test::field_pair;
using std::chrono::seconds;

TEST_SUITE("sim") {
  TEST_CASE("recoveries: a thaw whose pending work brings both back in the same ms") {
    // max-response-delay 20, link latency 0: the primary frozen at 100 s and thawed at 150 s.
    // At the thaw its queued connection is accepted and both are normal in the thaw's ms.
    auto sc = field_pair(0);
    sc.duration = std::chrono::minutes(5);
    sc.link_latency = fosim::core::Duration{0};
    for (auto& srv : sc.servers) srv.config.max_response_delay_s = 20;
    fosim::test::at(sc, seconds(100), ActionType::freeze, 0);
    fosim::test::at(sc, seconds(150), ActionType::thaw, 0);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto r = fosim::sim::summarize(s, 1)["recoveries"];
    REQUIRE(r.size() == 1);
    CHECK(r[0]["t_s"] == 150.0);
    CHECK(r[0]["action"] == "thaw");
    CHECK(r[0]["server"] == "dhcp-a");
    CHECK(r[0]["time_to_normal_s"] == 0.0);
  }

  TEST_CASE("recoveries: a start with the partner dead never reaches normal") {
    // The primary crashes at 60 s; the secondary is killed at 120 s and started at 180 s. With
    // its partner gone it cannot return to normal: not reached (null), and the heal-only figure
    // has no heal to measure from.
    auto sc = field_pair(0);
    sc.duration = std::chrono::minutes(10);
    fosim::test::at(sc, seconds(60), ActionType::crash, 0);
    fosim::test::at(sc, seconds(120), ActionType::kill, 1);
    fosim::test::at(sc, seconds(180), ActionType::start, 1);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto j = fosim::sim::summarize(s, 1);
    REQUIRE(j["recoveries"].size() == 1);
    CHECK(j["recoveries"][0]["action"] == "start");
    CHECK(j["recoveries"][0]["server"] == "dhcp-b");
    CHECK(j["recoveries"][0]["t_s"] == 180.0);
    CHECK(j["recoveries"][0]["time_to_normal_s"].is_null());
    CHECK(j["time_to_normal_after_heal_s"].is_null());
  }

  TEST_CASE("recoveries: each recovery is measured on its own, a heal as before") {
    // A partition from 10 to 20 min and a restart of the secondary at 40 min: two entries in
    // order, the heal's the same figure as time_to_normal_after_heal_s, and both reached.
    auto sc = field_pair(0);
    sc.duration = std::chrono::hours(1);
    fosim::test::at(sc, std::chrono::minutes(10), ActionType::partition, 0);
    fosim::test::at(sc, std::chrono::minutes(20), ActionType::heal, 0);
    fosim::test::at(sc, std::chrono::minutes(40), ActionType::restart, 1);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto j = fosim::sim::summarize(s, 1);
    REQUIRE(j["recoveries"].size() == 2);
    CHECK(j["recoveries"][0]["action"] == "heal");
    CHECK(j["recoveries"][0]["server"].is_null());
    CHECK(j["recoveries"][0]["time_to_normal_s"] == j["time_to_normal_after_heal_s"]);
    CHECK(j["recoveries"][1]["action"] == "restart");
    CHECK(j["recoveries"][1]["t_s"] == 2400.0);
    CHECK(j["recoveries"][1]["time_to_normal_s"].get<double>() < 0.010);  // kill + start, ms
  }
}
