// Lease ends as ISC keeps them: whole seconds (TIME cur_time in ack_lease()), the ACK carrying
// the server's end, the client's T1/T2 counted toward it; and a 0-second grant (MCLT 0) as
// dhclient's dhcpack() treats it: "no expiry time on offered lease", the server rejected.
#include <doctest/doctest.h>

#include "fosim/sim/clients.hpp"
#include "pair_fixture.hpp"

using fosim::core::at_seconds;
using fosim::core::Instant;
using fosim::core::Seconds;
using fosim::test::field_pair;
using fosim::test::ip;

namespace {

/// The field pair with a one-address pool and 60-s leases (min = default = max = 60 s, under
/// the MCLT of 1800 s, so uncapped), client A arriving at 100.400 s and leaving at 130.400 s
/// without a release, client B arriving at `b_at`.
fosim::sim::Scenario one_address(std::chrono::milliseconds b_at) {
  auto sc = field_pair(1);
  sc.duration = std::chrono::seconds(200);
  sc.pool.last = sc.pool.first;
  sc.pool.default_lease_time = sc.pool.max_lease_time = Seconds{60};
  sc.pool.min_lease_time = Seconds{60};
  sc.clients[0].arrival_start = std::chrono::milliseconds(100400);
  sc.clients[0].stay = std::chrono::seconds(30);
  fosim::sim::ClientGroup b;
  b.count = 1;
  b.macs = {"52:54:00:aa:00:01"};
  b.arrival_start = b_at;
  sc.clients.push_back(b);
  return sc;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("clients: a 60-s lease granted at 100.400 s ends at 160 s on client and server") {
    // DISCOVER 100.400, OFFER 100.402, REQUEST 100.403 at the server, ACK at cur_time 100:
    // ends = 100 + 60 = 160 on the server; the client takes that end, T1 = 100 + 30.
    auto sc = one_address(std::chrono::seconds(190));
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run(Instant{std::chrono::seconds(101)});
    REQUIRE(s.clients().lease(0) == 1);
    CHECK(s.clients().lease_end(0) == at_seconds(160));
    CHECK(s.server(0).leases()[0].ends == at_seconds(160));
  }

  TEST_CASE("clients: T1 and T2 are whole seconds: 60 s gives 30 and 52, 1 s renews after 1 s") {
    // RFC 2131 §4.4.5 defaults, truncated as TIME arithmetic does: 60 / 2 = 30,
    // 60 * 7 / 8 = 52 (52.5); 3601 s gives 1800 and 3150; 1 s gives T1 0, raised to 1.
    CHECK(fosim::sim::client_times(Seconds{60}).renewal == Seconds{30});
    CHECK(fosim::sim::client_times(Seconds{60}).rebind == Seconds{52});
    CHECK(fosim::sim::client_times(Seconds{3601}).renewal == Seconds{1800});
    CHECK(fosim::sim::client_times(Seconds{3601}).rebind == Seconds{3150});
    CHECK(fosim::sim::client_times(Seconds{1}).renewal == Seconds{1});
  }

  TEST_CASE("clients: the address re-granted at its whole-second expiry is no duplicate") {
    // A holds 192.168.102.110 until 160 s (the server's end; before, A counted to 160.403).
    // A grant of it to B at 160.100 s, once the server's pool timer freed it at 160 s, overlaps
    // nothing; a grant at 159.900 s, before that end, is a duplicate.
    auto sc = one_address(std::chrono::seconds(190));
    sc.clients[0].stay.reset();
    for (const auto& [at_ms, dup] : {std::pair{160100, false}, std::pair{159900, true}}) {
      fosim::sim::Simulator s(sc, 1, nullptr);
      s.run(Instant{std::chrono::seconds(101)});
      REQUIRE(s.clients().lease_end(0) == at_seconds(160));
      const Instant at{std::chrono::milliseconds(at_ms)};
      s.monitors().on_client_lease(1, 0, 0, at_seconds(220), fosim::sim::RequestKind::selecting,
                                   Seconds{60}, at);
      CHECK(s.stats().duplicates.size() == (dup ? 1U : 0U));
    }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("clients: MCLT 0 in partner-down: 0-second grants are findings, dhclient rejects") {
    // The primary crashes at 10 min; the secondary restarts at 20 min without its lease file
    // and without an mclt of its own, so mclt stays 0 (no CONNECT; failover.c takes it from
    // the primary's CONNECT). Forced to partner-down at 21 min it may give out every lease
    // (stos + 0 has passed), and ack_lease() grants D > mclt = 0 with tsfp <= now: 0 s. The
    // client takes the OFFER (dhcpoffer() checks no lease time), gets the ACK of 0 s, puts the
    // secondary on its reject list and restarts at INIT: one ACK, not one every 2 ms.
    auto sc = field_pair(1);
    sc.duration = std::chrono::minutes(40);
    sc.clients[0].arrival_start = std::chrono::minutes(22);
    fosim::test::at(sc, std::chrono::minutes(10), fosim::sim::ActionType::crash, 0);
    fosim::test::at(sc, std::chrono::minutes(19), fosim::sim::ActionType::crash, 1);
    fosim::test::at(sc, std::chrono::minutes(20), fosim::sim::ActionType::start, 1);
    sc.script.back().keep_storage = false;
    fosim::test::at(sc, std::chrono::minutes(21), fosim::sim::ActionType::set_state, 1,
                    fosim::core::State::partner_down);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    CHECK(s.server(1).mclt() == Seconds{0});
    CHECK(s.server(1).view().state == fosim::core::State::partner_down);
    CHECK(s.stats().zero_leases == 1);
    CHECK(s.clients().lease(0) == 0);
    CHECK(s.stats().events < 10000);
  }
}

TEST_SUITE("sim") {
  TEST_CASE("clients: secs above load balance max seconds: both servers answer the DISCOVER") {
    // load_balance_mine() (failover.c): mine when load_balance_max_secs < secs. The client's
    // bucket 91 < split 128 is the primary's: with secs 3 (not above 3) the secondary offers
    // nothing; with secs 4 both offer, at the first DISCOVER already.
    for (const auto& [secs, secondary_offers] : {std::pair{3, false}, std::pair{4, true}}) {
      auto sc = field_pair(1);
      sc.duration = std::chrono::minutes(2);
      sc.clients[0].secs = static_cast<std::uint16_t>(secs);
      fosim::sim::Simulator s(sc, 1, nullptr);
      s.run();
      CHECK(s.server(0).stats().offers == 1);
      CHECK((s.server(1).stats().offers == 1) == secondary_offers);
      CHECK(s.clients().lease(0) != 0);
    }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("clients: the client takes whichever OFFER arrives first") {
    // With secs 4 both servers offer at the DISCOVER (load_balance_mine()); the OFFER of the
    // server with the shorter reply latency arrives first, the client requests it, and only
    // that server ACKs (the other holds the address FREE or BACKUP for its peer: "lease owned by
    // peer", dropped).
    for (const std::size_t fast : {0U, 1U}) {
      auto sc = field_pair(1);
      sc.duration = std::chrono::minutes(2);
      sc.clients[0].secs = 4;
      sc.servers[fast].reply_latency = std::chrono::milliseconds(1);
      sc.servers[1 - fast].reply_latency = std::chrono::milliseconds(5);
      fosim::sim::Simulator s(sc, 1, nullptr);
      s.run();
      CHECK(s.server(0).stats().offers == 1);
      CHECK(s.server(1).stats().offers == 1);
      CHECK(s.server(fast).stats().acks == 1);
      CHECK(s.server(1 - fast).stats().acks == 0);
    }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("clients: unset reply latencies differ by 1 or 2 ms, and either server may be first") {
    // Neither server sets reply_latency: one of them, drawn from the seed, answers 1 or 2 ms
    // after the client latency (1 ms), the other at the client latency. Over 32 seeds each
    // server is the faster one at least once (all 32 the same way has odds 2 * 2^-32).
    int primary_first = 0, secondary_first = 0;
    for (std::uint64_t seed = 1; seed <= 32; ++seed) {
      auto sc = field_pair(1);
      fosim::sim::Simulator s(sc, seed, nullptr);
      const auto p = s.transport().reply_latency(0), q = s.transport().reply_latency(1);
      CHECK(std::min(p, q) == sc.client_latency);
      const auto gap = (p > q ? p - q : q - p).count();
      CHECK((gap == 1 || gap == 2));
      (p < q ? primary_first : secondary_first) += 1;
    }
    CHECK(primary_first > 0);
    CHECK(secondary_first > 0);
    // One server's own setting turns the draw off: the other keeps the client latency.
    auto sc = field_pair(1);
    sc.servers[1].reply_latency = std::chrono::milliseconds(7);
    fosim::sim::Simulator s(sc, 1, nullptr);
    CHECK(s.transport().reply_latency(0) == sc.client_latency);
    CHECK(s.transport().reply_latency(1) == std::chrono::milliseconds(7));
  }
}
