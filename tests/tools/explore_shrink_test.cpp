// Shrinking a violating explore draw: fewer faults and clients, the same invariant broken, the
// same result every time, and a draw that keeps every promise left as it is.
#include "fosim/tools/explore_shrink.hpp"

#include <doctest/doctest.h>

#include "fosim/formats/scenario_json.hpp"

namespace {

using namespace fosim;

/// The pair of explore_test's small scenario: MCLT 600 s, 20 clients, an hour of safety.
tools::ExploreSpec small_spec(std::size_t faults, std::uint32_t lost, core::Duration settle) {
  const auto loaded = sim::parse_scenario(R"({
  "name": "small", "relationship": "dhcp-failover", "duration": "1h",
  "servers": [
    {"host": "dhcp-a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
     "max_response_delay": 30, "max_unacked_updates": 10, "mclt": 600, "split": 128},
    {"host": "dhcp-b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
     "max_response_delay": 30, "max_unacked_updates": 10}
  ],
  "pool": {"range": ["10.0.0.100", "10.0.0.150"], "default_lease_time": 1200,
           "max_lease_time": 3600},
  "clients": [{"count": 20, "arrival": {"start": "1m", "window": "10m"}}]
})",
                                          "small.json");
  REQUIRE(loaded.scenario);
  tools::ExploreSpec spec;
  spec.scenario_file = "small.json";
  spec.base = tools::prepare_base(*loaded.scenario);
  spec.draws = 4;
  spec.safety = spec.base.duration;
  spec.settle = settle;
  spec.max_faults = faults;
  spec.kinds = {tools::FaultKind::restart};
  spec.lost_storage_percent = lost;
  return spec;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("explore_shrink: a restart without its lease file keeps breaking not-normal") {
    // Every restart loses its file and 5 minutes is less than the MCLT (600 s) recover-wait
    // takes, so each draw breaks not-normal whatever the clients do. Dropping the last restart
    // leaves the bound (5 minutes after it) long after any earlier one ended: that trial fails;
    // dropping an earlier one keeps the violation. The clients play no part: the group halves
    // from 20 to 10, 5, 2 and 1.
    // (When both servers lose their files at once, both are in recover and ISC skips the wait:
    // such draws keep the promise and are skipped here.)
    tools::ExploreSpec spec = small_spec(3, 100, std::chrono::minutes(5));
    spec.draws = 12;
    std::size_t checked = 0, fewer = 0;
    for (std::size_t k = 0; k < spec.draws; ++k) {
      CAPTURE(k);
      const tools::ExploreDraw d = tools::draw_scenario(spec, k);
      const tools::DrawOutcome o = tools::check_draw(d);
      if (o.violated.empty()) continue;
      CHECK(o.violated.front() == tools::Invariant::not_normal);
      const tools::ShrinkResult r = tools::shrink_draw(d, o);
      CHECK(r.kind == tools::Invariant::not_normal);
      CHECK(r.faults_after == 1);
      CHECK(r.faults_before >= r.faults_after);
      CHECK(r.clients_before == 20);
      CHECK(r.clients_after == 1);
      // One trial per fault, four halvings, at most one per boundary to move the restart
      // earlier, one to cut the run short.
      CHECK(r.trials > r.faults_before + 4);
      CHECK(r.trials <= r.faults_before + 4 + 5 + 1);
      // The restart moved to a boundary after the servers' start at 0: 1 s, or max-response-
      // delay (30 s) plus a second, the first at which the partner has left startup; the bound
      // follows it by the 5-minute settle, and the run ends a second later.
      REQUIRE(r.draw.scenario.script.size() == 1);
      const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                          r.draw.scenario.script[0].at - core::Instant{})
                          .count();
      CAPTURE(at);
      CHECK((at == 1 || at == 31));
      CHECK(r.draw.scenario.expect.states.front().at ==
            r.draw.scenario.script[0].at + std::chrono::minutes(5));
      CHECK(r.draw.scenario.duration ==
            std::chrono::seconds(at) + std::chrono::minutes(5) + std::chrono::seconds(1));
      CHECK(tools::check_draw(r.draw).violated.front() == tools::Invariant::not_normal);
      // The same bytes every time.
      CHECK(sim::write_scenario(tools::shrink_draw(d, o).draw.scenario) ==
            sim::write_scenario(r.draw.scenario));
      ++checked;
      if (r.faults_after < r.faults_before) ++fewer;
    }
    CHECK(checked >= 2);
    CHECK(fewer >= 1);
  }

  TEST_CASE("explore_shrink: a draw that keeps every promise is left as drawn") {
    // No file lost and the default bound of 2 x 600 s + 10 min: each restart is back in normal.
    const tools::ExploreSpec spec = small_spec(1, 0, std::chrono::minutes(30));
    const tools::ExploreDraw d = tools::draw_scenario(spec, 0);
    const tools::DrawOutcome o = tools::check_draw(d);
    REQUIRE(o.violated.empty());
    const tools::ShrinkResult r = tools::shrink_draw(d, o);
    CHECK(r.trials == 0);
    CHECK(sim::write_scenario(r.draw.scenario) == sim::write_scenario(d.scenario));
  }

  TEST_CASE("explore_shrink: a cut and its heal are one fault, a restart one on its own") {
    sim::Scenario sc;
    auto act = [](sim::ActionType t, std::size_t server) {
      sim::ScriptAction a;
      a.type = t;
      a.server = server;
      return a;
    };
    sc.script = {act(sim::ActionType::partition, 0), act(sim::ActionType::crash, 1),
                 act(sim::ActionType::restart, 0),   act(sim::ActionType::heal, 0),
                 act(sim::ActionType::start, 1),     act(sim::ActionType::clients, 0)};
    const auto faults = tools::script_faults(sc);
    REQUIRE(faults.size() == 3);
    CHECK(faults[0] == std::vector<std::size_t>{0, 3});
    CHECK(faults[1] == std::vector<std::size_t>{1, 4});
    CHECK(faults[2] == std::vector<std::size_t>{2});
  }
}
