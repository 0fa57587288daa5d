// The simulated pair against what ISC dhcpd 4.4 does (ISC server/failover.c, server/dhcp.c)
// and the published field report of a real pair: mclt 1800, default-lease-time 3600, the
// client 52:54:00:02:bf:f8 served by the primary with 1800 s first and 3600 s at renewal.
#include <doctest/doctest.h>

#include <sstream>

#include "fosim/sim/clients.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "fosim/sim/summary.hpp"
#include "pair_fixture.hpp"

using fosim::core::State;
using fosim::sim::ActionType;
using fosim::test::field_pair;
using fosim::test::moves;

namespace {

std::string text_of(const fosim::sim::Scenario& sc, std::uint64_t seed) {
  std::ostringstream out;
  fosim::sim::TextTimeline tl(out, {"dhcp-a", "dhcp-b"});
  fosim::sim::Simulator s(sc, seed, &tl);
  s.run();
  return out.str();
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE(
      "simulator: fresh pair start: startup, recover, recover-done, normal, no recover-wait") {
    auto sc = field_pair(0);
    sc.duration = std::chrono::minutes(1);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
    const std::vector<std::string> primary{"recover>startup", "startup>recover",
                                           "recover>recover-done", "recover-done>normal"};
    CHECK(moves(t, 0) == primary);
    CHECK(moves(t, 1) == primary);
    // The first to reach recover-done sees the other's recover-done: ISC's error line.
    bool both_recover_done = false;
    for (const auto& e : t.events)
      both_recover_done =
          both_recover_done || fosim::sim::render(e) == "Both servers have entered recover-done!";
    CHECK(both_recover_done);
    // The primary's first rebalance hands half the never-used pool (101) to the secondary.
    CHECK(s.server(0).leases().count(fosim::core::BindingState::free) == 51);
    CHECK(s.server(0).leases().count(fosim::core::BindingState::backup) == 50);
    CHECK(s.server(1).leases().count(fosim::core::BindingState::backup) == 50);
  }

  TEST_CASE("simulator: field report: primary answers, 1800 s first, 3600 s at T1") {
    auto sc = field_pair(1);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    REQUIRE(s.stats().first_lease_time.has_value());
    CHECK(*s.stats().first_lease_time == fosim::core::Seconds{1800});
    REQUIRE(s.stats().first_renewal_time.has_value());
    CHECK(*s.stats().first_renewal_time == fosim::core::Seconds{3600});
    int acks_a = 0, acks_b = 0;
    for (const auto& e : t.events)
      if (e.kind() == fosim::sim::TraceKind::grant) (e.server == 0 ? acks_a : acks_b)++;
    CHECK(acks_a > 0);  // bucket 91 < split 128: the primary's client
    CHECK(acks_b == 0);
    // The first renewal happens at T1 = 900 s after the first ACK.
    std::vector<fosim::core::Instant> grants;
    for (const auto& e : t.events)
      if (e.kind() == fosim::sim::TraceKind::grant) grants.push_back(e.at);
    REQUIRE(grants.size() >= 2);
    CHECK(fosim::core::to_seconds(grants[1]) - fosim::core::to_seconds(grants[0]) == 900);
    CHECK(s.stats().duplicates.empty());
    CHECK(s.stats().mclt_violations == 0);
  }

  TEST_CASE(
      "simulator: partition longer than max-response-delay: comm-int, then normal after heal") {
    auto sc = field_pair(20, std::chrono::minutes(10));
    fosim::test::at(sc, std::chrono::hours(1), ActionType::partition);
    fosim::test::at(sc, std::chrono::minutes(70), ActionType::heal);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run(fosim::core::Instant{std::chrono::minutes(65)});
    CHECK(s.server(0).view().state == State::communications_interrupted);
    CHECK(s.server(1).view().state == State::communications_interrupted);
    s.run();
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
    CHECK(s.stats().duplicates.empty());
    // Detection falls between max-response-delay - contact interval and max-response-delay.
    for (int srv = 0; srv < 2; ++srv) {
      for (const auto& e : t.events)
        if (e.kind() == fosim::sim::TraceKind::state && e.server == srv &&
            e.as<fosim::sim::StateMove>()->to == State::communications_interrupted) {
          const auto after =
              std::chrono::duration_cast<std::chrono::seconds>(e.at.time_since_epoch()).count() -
              3600;
          CHECK(after >= 20);
          CHECK(after <= 30);
        }
    }
  }

  TEST_CASE("simulator: partition shorter than max-response-delay: nothing happens") {
    auto sc = field_pair(5);
    fosim::test::at(sc, std::chrono::hours(1), ActionType::partition);
    fosim::test::at(sc, std::chrono::hours(1) + std::chrono::seconds(15), ActionType::heal);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(moves(t, 0).size() == 4);  // only the start-up moves
    CHECK(moves(t, 1).size() == 4);
  }

  TEST_CASE("simulator: split brain: both partner-down while apart hand out the same addresses") {
    auto sc = field_pair(0);
    sc.duration = std::chrono::hours(5);
    fosim::sim::ClientGroup left, right;
    left.count = 60;
    left.reach = fosim::sim::Reach::primary_only;
    left.arrival_start = std::chrono::minutes(70);
    left.arrival_window = std::chrono::minutes(30);
    right = left;
    right.reach = fosim::sim::Reach::secondary_only;
    sc.clients = {left, right};
    fosim::test::at(sc, std::chrono::minutes(10), ActionType::partition);
    fosim::test::at(sc, std::chrono::minutes(15), ActionType::set_state, 0);
    fosim::test::at(sc, std::chrono::minutes(15), ActionType::set_state, 1);
    fosim::sim::Simulator s(sc, 7, nullptr);
    s.run();
    CHECK(s.server(0).view().state == State::partner_down);
    CHECK(s.server(1).view().state == State::partner_down);
    CHECK_FALSE(s.stats().duplicates.empty());
  }

  TEST_CASE("simulator: determinism: same scenario and seed, byte-identical timeline") {
    auto sc = field_pair(30, std::chrono::minutes(20));
    fosim::test::at(sc, std::chrono::minutes(50), ActionType::partition);
    fosim::test::at(sc, std::chrono::minutes(80), ActionType::heal);
    const std::string a = text_of(sc, 42), b = text_of(sc, 42), c = text_of(sc, 43);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a.size() > 1000);
  }

  TEST_CASE("simulator: a client whose stay runs out releases once and sends nothing more") {
    // Arrives at 1 min, stays 40 min: leaves at 41 min, between its renewals, and releases.
    auto sc = field_pair(1);
    sc.duration = std::chrono::hours(2);
    sc.clients[0].stay = std::chrono::minutes(40);
    sc.clients[0].release_on_departure = true;
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const fosim::core::Instant left{std::chrono::minutes(41)};
    int releases = 0, later = 0;
    for (const auto& e : t.events) {
      const auto* d = e.as<fosim::sim::DhcpLine>();
      if (d == nullptr) continue;
      if (d->verb == fosim::sim::DhcpVerb::release) {
        ++releases;
        CHECK(e.at >= left);
        CHECK(e.at < left + std::chrono::seconds(1));
      } else if (e.at >= left) {
        ++later;
      }
    }
    CHECK(releases == 1);
    CHECK(later == 0);
    CHECK(s.clients().state(0) == fosim::sim::ClientState::absent);
    CHECK(s.clients().lease(0) == 0);
  }

  TEST_CASE("simulator: two runs side by side do not disturb each other") {
    auto sc = field_pair(30, std::chrono::minutes(20));
    fosim::test::at(sc, std::chrono::minutes(50), ActionType::partition);
    fosim::test::at(sc, std::chrono::minutes(80), ActionType::heal);
    const std::string alone = text_of(sc, 42);
    std::ostringstream a, b;
    fosim::sim::TextTimeline ta(a, {"dhcp-a", "dhcp-b"}), tb(b, {"dhcp-a", "dhcp-b"});
    fosim::sim::Simulator x(sc, 42, &ta), y(sc, 42, &tb);
    // Interleaved in slices: each run keeps its own clock, queue and generator.
    for (int m = 10; m < 180; m += 10) {
      x.run(fosim::core::Instant{std::chrono::minutes(m)});
      y.run(fosim::core::Instant{std::chrono::minutes(m + 5)});
    }
    x.run();
    y.run();
    CHECK(a.str() == alone);
    CHECK(b.str() == alone);
  }
}

TEST_SUITE("sim") {
  TEST_CASE("simulator: a crashed server is down, not in its last state, until it starts") {
    // The secondary crashes at 3 h and starts again at 7 h of a 12-h run: 4 h = 14,400 s down.
    auto sc = field_pair(5);
    sc.duration = std::chrono::hours(12);
    fosim::test::at(sc, std::chrono::hours(3), ActionType::crash, 1);
    fosim::test::at(sc, std::chrono::hours(7), ActionType::start, 1);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    const auto& down = s.stats().time_down[1];
    REQUIRE(down.count(fosim::sim::ProcessAction::crash) == 1);
    CHECK(down.at(fosim::sim::ProcessAction::crash) == std::chrono::seconds(14400));
    CHECK(s.stats().time_down[0].empty());
    // Up 3 h + 5 h = 8 h in all its states together.
    fosim::sim::Duration up{};
    for (const auto& [state, d] : s.stats().time_in_state[1]) up += d;
    CHECK(up == std::chrono::hours(8));
    const auto summary = fosim::sim::summarize(s, 1);
    CHECK(summary["servers"][1]["time_in_state_s"]["down"] == 14400.0);
    CHECK(summary["servers"][1]["time_down_s"]["crash"] == 14400.0);
    CHECK(summary["servers"][1]["time_in_state_s"]["normal"].get<double>() < 8 * 3600.0);
    CHECK_FALSE(summary["servers"][0]["time_in_state_s"].contains("down"));
  }
}
