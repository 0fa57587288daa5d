// A cloned simulation plays the same future as the original, and an action carried out through
// run_before() and act() is the same as a script step at that time.
#include <doctest/doctest.h>

#include "fosim/sim/summary.hpp"
#include "pair_fixture.hpp"

using fosim::sim::ActionType;
using fosim::test::at;
using fosim::test::field_pair;
using namespace std::chrono_literals;

namespace {

/// Twenty clients, a partition from 20 to 80 minutes and a crash and start of the secondary.
fosim::sim::Scenario troubled_pair() {
  fosim::sim::Scenario sc = field_pair(20, 30min);
  at(sc, 20min, ActionType::partition);
  at(sc, 80min, ActionType::heal);
  at(sc, 100min, ActionType::crash, 1);
  at(sc, 110min, ActionType::start, 1);
  return sc;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("simulator clone: the copy and a run never copied end the same") {
    const fosim::sim::Scenario sc = troubled_pair();
    fosim::sim::Simulator whole(sc, 7, nullptr);
    whole.run();
    fosim::sim::Simulator original(sc, 7, nullptr);
    original.run(fosim::core::Instant{50min});  // mid-partition: messages held, timers armed
    const auto copy = original.clone();
    copy->run();
    original.run();
    const auto expected = fosim::sim::summarize(whole, 7).dump();
    CHECK(fosim::sim::summarize(*copy, 7).dump() == expected);
    CHECK(fosim::sim::summarize(original, 7).dump() == expected);
    CHECK(copy->stats().events == whole.stats().events);
  }

  TEST_CASE("simulator act: run_before then act is the script step at that time") {
    const fosim::sim::Scenario scripted = troubled_pair();
    fosim::sim::Simulator expected(scripted, 3, nullptr);
    expected.run();
    fosim::sim::Scenario plain = field_pair(20, 30min);
    fosim::sim::Simulator acted(plain, 3, nullptr);
    for (const fosim::sim::ScriptAction& a : scripted.script) {
      acted.run_before(a.at);
      acted.act(a);
    }
    acted.run();
    // The same run, but for the script steps' own four events.
    auto got = fosim::sim::summarize(acted, 3);
    auto want = fosim::sim::summarize(expected, 3);
    CHECK(got["events"].get<std::uint64_t>() + 4 == want["events"].get<std::uint64_t>());
    got.erase("events");
    want.erase("events");
    CHECK(got.dump() == want.dump());
  }
}
