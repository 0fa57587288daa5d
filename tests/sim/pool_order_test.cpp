// Pools as ISC orders them (server/mdb.c lease_insert(), server/failover.c
// dhcp_failover_pool_dobalance() and peer_wants_lease(), server/dhcp.c ack_lease()), against
// what a real 4.4.3-P1 pair did with a .100-.199 pool.
#include <doctest/doctest.h>

#include "fosim/core/load_balance.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "pair_fixture.hpp"

using fosim::core::BindingState;
using fosim::core::State;
using fosim::sim::ActionType;
using fosim::test::field_pair;
using fosim::test::ip;

namespace {

/// The field pair with the pool 192.168.102.100-199 (100 addresses) and no clients.
fosim::sim::Scenario hundred_pool() {
  auto sc = field_pair(0);
  sc.pool.first = ip(192, 168, 102, 100);
  sc.pool.last = ip(192, 168, 102, 199);
  sc.clients.clear();
  return sc;
}

/// The last octets of server `s`'s OFFERs, in order.
std::vector<unsigned> offers(const fosim::sim::MemoryTrace& t, int s) {
  std::vector<unsigned> out;
  for (const auto& e : t.events)
    if (const auto* d = e.as<fosim::sim::DhcpLine>();
        d != nullptr && e.server == s && d->verb == fosim::sim::DhcpVerb::offer)
      out.push_back(d->ip & 0xff);
  return out;
}

/// Server `s`'s pool balance lines, rendered.
std::vector<std::string> balances(const fosim::sim::MemoryTrace& t, int s) {
  std::vector<std::string> out;
  for (const auto& e : t.events)
    if (e.as<fosim::sim::PoolBalance>() != nullptr && e.server == s)
      out.push_back(fosim::sim::render(e));
  return out;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("pool order: after the first balance the secondary hands out .149, .148, .147") {
    // The fresh primary queues .100-.199 (never used, ends 0) in address order. Its first
    // balance: lts = (100 - 0) / 2 = 50; pass 1 finds no lease with a client; pass 2 gives the
    // head, .100 to .149, until lts = 0. Each goes on the BACKUP queue at run time, before its
    // equals, on both servers (the secondary files the BNDUPDs in the order they come): the
    // BACKUP queue reads .149, .148 ... .100, so the secondary's first three clients are
    // offered .149, .148, .147, and the primary's FREE queue starts at .150 (the old order
    // would have offered .100, .101, .102).
    auto sc = hundred_pool();
    fosim::sim::ClientGroup g;
    g.count = 3;
    g.reach = fosim::sim::Reach::secondary_only;
    g.arrival_start = std::chrono::minutes(2);
    g.arrival_window = std::chrono::seconds(30);
    sc.clients.push_back(g);
    sc.duration = std::chrono::minutes(5);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(offers(t, 1) == std::vector<unsigned>{149, 148, 147});
    const std::vector<std::string> primary{
        "balancing pool 192.168.102.100  total 100  free 100  backup 0  lts 50  max-own (+/-)10",
        "balanced pool 192.168.102.100  total 100  free 50  backup 50  lts 0  max-misbal 15"};
    CHECK(balances(t, 0) == primary);
    const auto& db = s.server(0).leases();
    CHECK(db.head(BindingState::free) == 50u);
    CHECK(db.head(BindingState::backup) == 46u);  // .149-.147 are ACTIVE now: .146 heads
  }

  TEST_CASE(
      "pool order: the secondary gives the primary a BACKUP lease it offered a primary client") {
    // 52:54:00:12:34:00 hashes to bucket 107, the primary's (split 128). With the link cut, both
    // servers are in communications-interrupted and both offer: the primary .150, the secondary
    // the head of its BACKUP queue, .149, recording the client's MAC (ack_lease()'s
    // supersede_lease() for an OFFER). The client takes the primary's offer, the first to arrive
    // (primary 1 ms, secondary 2 ms). At the heal the
    // secondary moves to normal on the primary's first STATE, before the BNDUPD of .150 reaches
    // it: free 50, backup 50, lts = 0, hold = (100 * 10 + 50) / 100 = 10. Pass 1 gives .149,
    // whose client the peer wants (lts 0 > -10): lts -1; pass 2 stops at once, .148 being never
    // used and lts <= 0: "free 51  backup 49  lts -1", and .149 goes to the primary as FREE.
    std::array<std::uint8_t, 6> mac{0x52, 0x54, 0x00, 0x12, 0x34, 0x00};
    REQUIRE(fosim::core::rfc3074_hash(mac) == 107);
    auto sc = hundred_pool();
    fosim::sim::ClientGroup g;
    g.count = 1;
    g.macs = {"52:54:00:12:34:00"};
    g.arrival_start = std::chrono::minutes(4);
    sc.clients.push_back(g);
    sc.duration = std::chrono::minutes(8);
    sc.servers[0].reply_latency = std::chrono::milliseconds(1);
    sc.servers[1].reply_latency = std::chrono::milliseconds(2);
    fosim::test::at(sc, std::chrono::minutes(2), ActionType::partition);
    fosim::test::at(sc, std::chrono::minutes(6), ActionType::heal);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(offers(t, 0) == std::vector<unsigned>{150});
    CHECK(offers(t, 1) == std::vector<unsigned>{149});
    const std::vector<std::string> b = balances(t, 1);
    REQUIRE(b.size() >= 2);
    CHECK(b[b.size() - 2] ==
          "balancing pool 192.168.102.100  total 100  free 50  backup 50  lts 0  max-own (+/-)10");
    CHECK(b.back() ==
          "balanced pool 192.168.102.100  total 100  free 51  backup 49  lts -1  max-misbal 15");
    CHECK(s.server(0).leases()[49].state == BindingState::free);
    CHECK(s.server(1).leases()[49].state == BindingState::free);
    CHECK(s.server(1).view().state == State::normal);
  }
}
