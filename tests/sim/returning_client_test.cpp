// A client that leaves and comes back (`away`) is the same client, its MAC: with an unexpired
// lease it asks for it again by INIT-REBOOT, as dhclient's state_reboot() does, and every server
// holding the lease active for it ACKs (ISC's dhcprequest(): no load balancing for a REQUEST);
// after a release its DISCOVER gets its old address again from the server's record.
#include <doctest/doctest.h>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/clients.hpp"
#include "pair_fixture.hpp"

using fosim::core::Seconds;
using fosim::test::field_pair;

namespace {

/// The grants (ACKs with a lease time) of a memory trace.
std::vector<std::pair<int, fosim::sim::DhcpLine>> grants(const fosim::sim::MemoryTrace& t) {
  std::vector<std::pair<int, fosim::sim::DhcpLine>> out;
  for (const fosim::sim::RunEvent& e : t.events)
    if (const auto* d = e.as<fosim::sim::DhcpLine>(); d != nullptr && d->lease_time_s >= 0)
      out.emplace_back(e.server, *d);
  return out;
}

/// The field pair's one client staying 10 min and away 5 min: it arrives at 60 s, leaves at
/// 660 s and comes back at 960 s.
fosim::sim::Scenario returning(bool release) {
  auto sc = field_pair(1);
  sc.duration = std::chrono::seconds(1000);
  sc.clients[0].stay = std::chrono::minutes(10);
  sc.clients[0].away = std::chrono::minutes(5);
  sc.clients[0].release_on_departure = release;
  return sc;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("returning client: INIT-REBOOT of an unexpired lease is ACKed by both servers") {
    // First grant at cur_time 60: default-lease-time 3600 > mclt 1800 and no tsfp yet, so it
    // is capped at the MCLT: 1800 s, ends 1860. Its BNDUPD carries tstp = 60 + 3600 + 1800/2
    // = 4560; the BNDACK makes that the granting server's tsfp and the partner records it as
    // its tsfp too. The client leaves at 660 s without a release (the lease runs to 1860) and
    // is back at 960 s: INIT-REBOOT to both. At cur_time 960, 960 + 3600 = 4560 is not past
    // tsfp + mclt = 6360, so each server gives the full 3600 s: two "reboot" grants, ends 4560.
    fosim::sim::MemoryTrace t;
    const fosim::sim::Scenario sc = returning(false);  // the simulator keeps a reference
    fosim::sim::Simulator s(sc, 1, &t);
    s.run(fosim::core::Instant{std::chrono::seconds(1000)});
    const auto g = grants(t);
    REQUIRE(g.size() == 3);
    CHECK(g[0].second.grant_kind == "new");
    CHECK(g[0].second.lease_time_s == 1800);
    int servers = 0;
    for (std::size_t k = 1; k < 3; ++k) {
      CHECK(g[k].second.grant_kind == "reboot");
      CHECK(g[k].second.lease_time_s == 3600);
      CHECK(g[k].second.ip == g[0].second.ip);
      servers |= 1 << g[k].first;
    }
    CHECK(servers == 3);  // one from each server
    CHECK(s.clients().state(0) == fosim::sim::ClientState::bound);
    CHECK(s.clients().lease_end(0) == fosim::core::at_seconds(4560));
  }

  TEST_CASE("returning client: after a release its DISCOVER gets its old address again") {
    // Released at 660 s, back at 960 s with no lease: DISCOVER. The lease keeps the client's
    // MAC (released, then free on both), and on_discover's "client's own lease" rule offers
    // that address before any other free one; a second client arriving while it is away takes
    // the next free address, not this one.
    auto sc = returning(true);
    fosim::sim::ClientGroup other;
    other.count = 1;
    other.macs = {"52:54:00:aa:00:02"};
    other.arrival_start = std::chrono::seconds(700);
    sc.clients.push_back(other);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run(fosim::core::Instant{std::chrono::seconds(1000)});
    const auto g = grants(t);
    REQUIRE(g.size() == 3);
    CHECK(g[0].second.client == 0);
    CHECK(g[1].second.client == 1);
    CHECK(g[2].second.client == 0);
    CHECK(g[2].second.grant_kind == "new");
    CHECK(g[2].second.ip == g[0].second.ip);
    CHECK(g[1].second.ip != g[0].second.ip);
    CHECK(s.clients().lease(0) == g[0].second.ip - fosim::test::ip(192, 168, 102, 110) + 1);
  }

  TEST_CASE("returning client: equal fixed MACs and 'away' without 'stay' are reader errors") {
    const std::string head = R"({"relationship": "r", "duration": "2h", "servers": [
  {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
   "split": 128, "mclt": 1800},
  {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1"}],
 "pool": {"range": ["10.0.1.10", "10.0.1.20"]}, "clients": )";
    const auto dup = fosim::sim::parse_scenario(
        head +
            R"([{"count": 2, "macs": ["52:54:00:aa:bb:cc"]}, {"count": 1, "macs": ["52:54:00:AA:BB:CC"]}]})",
        "t.json");
    REQUIRE(!dup.errors.empty());
    CHECK(dup.errors[0].path == "/clients/1/macs/0");
    CHECK(dup.errors[0].message.find("/clients/0/macs/0") != std::string::npos);
    const auto away =
        fosim::sim::parse_scenario(head + R"([{"count": 1, "away": "5m"}]})", "t.json");
    REQUIRE(!away.errors.empty());
    CHECK(away.errors[0].path == "/clients/0/away");
  }
}
