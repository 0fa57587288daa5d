// The fingerprint of a run's state: equal where two runs stand in the same place, different where
// a fault set them apart.
#include <doctest/doctest.h>

#include "pair_fixture.hpp"

using fosim::core::Instant;
using fosim::sim::ActionType;
using fosim::sim::ScriptAction;
using fosim::sim::Simulator;
using fosim::test::field_pair;
using namespace std::chrono_literals;

namespace {

ScriptAction action(ActionType type, std::size_t server = 0) {
  ScriptAction a;
  a.type = type;
  a.server = server;
  return a;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("fingerprint: a copy stands where its original stands, and stays with it") {
    const fosim::sim::Scenario sc = field_pair(20, 30min);
    Simulator original(sc, 5, nullptr);
    original.run_before(Instant{40min});
    const auto copy = original.clone();
    CHECK(copy->fingerprint() == original.fingerprint());
    copy->run_before(Instant{90min});
    original.run_before(Instant{90min});
    CHECK(copy->fingerprint() == original.fingerprint());
  }

  TEST_CASE("fingerprint: one wait of 30 minutes and two of 10 and 20 end in the same place") {
    const fosim::sim::Scenario sc = field_pair(20, 30min);
    Simulator once(sc, 5, nullptr);
    once.run_before(Instant{10min});
    const auto twice = once.clone();
    once.run_before(Instant{40min});
    twice->run_before(Instant{20min});
    twice->run_before(Instant{40min});
    CHECK(once.fingerprint() == twice->fingerprint());
  }

  TEST_CASE("fingerprint: a partition, a crash or the same time later sets a run apart") {
    const fosim::sim::Scenario sc = field_pair(20, 30min);
    Simulator base(sc, 5, nullptr);
    base.run_before(Instant{40min});
    const auto cut = base.clone();
    cut->act(action(ActionType::partition));
    const auto crashed = base.clone();
    crashed->act(action(ActionType::crash, 1));
    const auto later = base.clone();
    later->run_before(Instant{41min});
    CHECK(cut->fingerprint() != base.fingerprint());
    CHECK(crashed->fingerprint() != base.fingerprint());
    CHECK(crashed->fingerprint() != cut->fingerprint());
    CHECK(later->fingerprint() != base.fingerprint());
    // Either way round, a partition and a crash of the secondary at one instant agree.
    const auto a = base.clone();
    a->act(action(ActionType::partition));
    a->act(action(ActionType::crash, 1));
    const auto b = base.clone();
    b->act(action(ActionType::crash, 1));
    b->act(action(ActionType::partition));
    a->run_before(Instant{45min});
    b->run_before(Instant{45min});
    CHECK(a->fingerprint() == b->fingerprint());
  }
}
