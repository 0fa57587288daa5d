// Scripted single clients: one MAC that sends exactly what the script says, when it says, as an
// engineer reproduces one incident. Expected values follow ISC dhcp 4.4's load_balance_mine()
// (failover.c) and dhcprequest() (dhcp.c) for the field pair (split 128, load balance max
// seconds 3, MCLT 1800).
#include <doctest/doctest.h>

#include "fosim/core/load_balance.hpp"
#include "fosim/sim/clients.hpp"
#include "pair_fixture.hpp"

using fosim::core::BindingState;
using fosim::sim::ActionType;
using fosim::sim::ClientSend;
using fosim::test::field_pair;

namespace {

constexpr const char* mac = "aa:bb:cc:dd:ee:ff";

void client_at(fosim::sim::Scenario& sc, int seconds, ClientSend send, std::uint16_t secs = 0) {
  fosim::sim::ScriptAction a;
  a.at = fosim::core::Instant{std::chrono::seconds(seconds)};
  a.type = ActionType::client;
  a.mac = mac;
  a.send = send;
  a.secs = secs;
  sc.script.push_back(a);
}

/// The field pair with no client population, the primary's replies 1 ms faster, and `script`.
fosim::sim::Scenario scripted_pair() {
  auto sc = field_pair(1);
  sc.clients.clear();
  sc.duration = std::chrono::minutes(10);
  sc.servers[0].reply_latency = std::chrono::milliseconds(1);
  sc.servers[1].reply_latency = std::chrono::milliseconds(2);
  return sc;
}

std::size_t skipped(const fosim::sim::MemoryTrace& t) {
  std::size_t n = 0;
  for (const auto& e : t.events)
    if (const auto* s = e.as<fosim::sim::ScriptLine>(); s != nullptr && s->skipped) ++n;
  return n;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("scripted client: probe, DISCOVER, a second DISCOVER with secs 12, release") {
    // aa:bb:cc:dd:ee:ff hashes to bucket 57 (RFC 3074's known-answer vector), the primary's
    // under split 128.
    const std::array<std::uint8_t, 6> m{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    REQUIRE(fosim::core::rfc3074_hash(m) == 57);
    auto sc = scripted_pair();
    client_at(sc, 30, ClientSend::renew);          // nothing to renew yet: skipped
    client_at(sc, 60, ClientSend::probe);          // secs 0: the primary alone offers
    client_at(sc, 70, ClientSend::discover);       // the primary offers and ACKs
    client_at(sc, 200, ClientSend::discover, 12);  // secs 12 > 3: both offer its address
    client_at(sc, 300, ClientSend::release);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);

    s.run(fosim::core::Instant{std::chrono::seconds(65)});
    CHECK(skipped(t) == 1);
    CHECK(s.server(0).stats().offers == 1);
    CHECK(s.server(1).stats().offers == 0);
    CHECK(s.server(0).stats().acks == 0);  // a probe takes no offer
    CHECK(s.clients().lease(0) == 0);

    s.run(fosim::core::Instant{std::chrono::seconds(75)});
    CHECK(s.server(0).stats().acks == 1);
    const std::uint32_t held = s.clients().lease(0);
    REQUIRE(held != 0);
    // MCLT-limited first grant: 1800 s from the ACK's whole second (70 s + latency).
    CHECK(s.clients().lease_end(0) == fosim::core::Instant{std::chrono::seconds(70 + 1800)});

    // At 200 s the address is ACTIVE for this client on both servers (the BNDUPD went through):
    // both offer it, the client takes the primary's OFFER, and the secondary, not named, still
    // ACKs: the lease is held for this very client (dhcprequest(), server-id-check off).
    s.run(fosim::core::Instant{std::chrono::seconds(205)});
    CHECK(s.server(0).stats().offers == 3);
    CHECK(s.server(1).stats().offers == 1);
    CHECK(s.server(0).stats().acks == 2);
    CHECK(s.server(1).stats().acks == 1);
    CHECK(s.clients().lease(0) == held);

    s.run();
    CHECK(s.clients().lease(0) == 0);
    CHECK(s.server(0).leases()[held - 1].state != BindingState::active);
    CHECK(s.server(0).stats().acks == 2);  // no renewal of its own
  }
}
