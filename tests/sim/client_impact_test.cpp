// What the clients noticed of an outage, as summary.json reports it next to availability:
// clients without a valid lease (how many, worst and median time), lost addresses, and the
// renewals refused while the lease still held. Every figure is worked out by hand from RFC
// 2131's timers as the clients run them (T1 = g/2, T2 = 7g/8, retransmissions after half the
// time left, at least 60 s, never past T2 or the lease's end).
#include <doctest/doctest.h>

#include "fosim/sim/summary.hpp"
#include "pair_fixture.hpp"

using fosim::test::field_pair;

namespace {

/// The field pair with one client arriving at 60 s for a 600 s lease (under the MCLT, so
/// granted whole): the servers' whole seconds fall on true seconds, so it ends at 660 s. Both
/// servers crash at 100 s; the run lasts 1000 s.
fosim::sim::Scenario both_dead() {
  auto sc = field_pair(1);
  sc.duration = std::chrono::seconds(1000);
  sc.pool.default_lease_time = fosim::core::Seconds{600};
  for (auto& s : sc.servers) s.clock_phase = fosim::core::Duration{0};
  fosim::test::at(sc, std::chrono::seconds(100), fosim::sim::ActionType::crash, 0);
  fosim::test::at(sc, std::chrono::seconds(100), fosim::sim::ActionType::crash, 1);
  return sc;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("client impact: a lease that runs out while both servers are dead") {
    // Lease 60..660 s: T1 = 360, T2 = 585. Renewing: sent at 360, 472.5 (360 + 225/2) and
    // 532.5 (472.5 + max(56.25, 60)); rebinding at 585 and 645 (585 + max(37.5, 60)); each is
    // sent while the lease holds and goes unanswered: 5 refusals, none a NAK. The last rebind ends
    // with the lease at 660 s: the address is lost and the client goes without one to the end, 1000
    // - 660 = 340 s.
    const fosim::sim::Scenario sc = both_dead();
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run(fosim::core::Instant{sc.duration});
    const auto j = fosim::sim::summarize(s, 1)["clients"];
    CHECK(j["without_lease"]["clients"] == 1);
    CHECK(j["without_lease"]["periods"] == 1);
    CHECK(j["without_lease"]["lost_address"] == 1);
    CHECK(j["without_lease"]["worst_s"] == 340.0);
    CHECK(j["without_lease"]["median_s"] == 340.0);
    CHECK(j["renewals_refused"]["clients"] == 1);
    CHECK(j["renewals_refused"]["nak"] == 0);
    CHECK(j["renewals_refused"]["unanswered"] == 5);
  }

  TEST_CASE("client impact: a client that arrives during the outage never lost an address") {
    // A second client arrives at 400 s, with both servers dead: its first DISCOVER goes
    // unanswered, so it is without a lease from 400 s to the end, 600 s. Two clients: worst
    // 600 s, median (340 + 600) / 2 = 470 s; only the first lost an address and had renewals
    // refused.
    auto sc = both_dead();
    fosim::sim::ClientGroup late;
    late.count = 1;
    late.macs = {"52:54:00:aa:00:02"};
    late.arrival_start = std::chrono::seconds(400);
    sc.clients.push_back(late);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run(fosim::core::Instant{sc.duration});
    const auto j = fosim::sim::summarize(s, 1)["clients"];
    CHECK(j["without_lease"]["clients"] == 2);
    CHECK(j["without_lease"]["lost_address"] == 1);
    CHECK(j["without_lease"]["worst_s"] == 600.0);
    CHECK(j["without_lease"]["median_s"] == 470.0);
    CHECK(j["without_lease"]["total_s"] == 940.0);
    CHECK(j["renewals_refused"]["clients"] == 1);
  }

  TEST_CASE("client impact: a quiet run hurts nobody") {
    // The field pair's client arrives, is served at once and renews with the server: no
    // period without a lease, no refusal.
    const fosim::sim::Scenario sc = field_pair(5, std::chrono::minutes(5));
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run(fosim::core::Instant{sc.duration});
    const auto j = fosim::sim::summarize(s, 1)["clients"];
    CHECK(j["without_lease"]["clients"] == 0);
    CHECK(j["without_lease"]["worst_s"] == 0.0);
    CHECK(j["renewals_refused"]["unanswered"] == 0);
    CHECK(j["renewals_refused"]["nak"] == 0);
  }
}
