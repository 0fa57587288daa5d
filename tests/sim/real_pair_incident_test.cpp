// One client's incident on the pair measured against real ISC dhcpd 4.4.3-P1 servers (short
// timers: mclt 30, max-response-delay 6, split 128, load balance max seconds 3), scripted as an
// engineer would reproduce it, with every figure worked out by hand from the rules that pair
// showed: the first grant is the MCLT; a renewal in normal gets the full time; the partner is
// found gone between max-response-delay - CONTACT interval and max-response-delay after the
// cut; cut off, both servers offer to every client; a renewal cut off gets the full time only
// as far as the partner acknowledged plus the MCLT; after the heal the link comes back at the
// next SYN of the connect attempt in flight.
#include <doctest/doctest.h>

#include "fosim/core/load_balance.hpp"
#include "fosim/sim/clients.hpp"
#include "pair_fixture.hpp"

using fosim::core::Instant;
using fosim::core::State;
using fosim::sim::ActionType;
using fosim::sim::ClientSend;

namespace {

Instant second(int s) { return Instant{std::chrono::seconds(s)}; }

void client_at(fosim::sim::Scenario& sc, int seconds, ClientSend send,
               const char* mac = "aa:bb:cc:dd:ee:ff") {
  fosim::sim::ScriptAction a;
  a.at = second(seconds);
  a.type = ActionType::client;
  a.mac = mac;
  a.send = send;
  sc.script.push_back(a);
}

/// The measured pair: the field pair's addresses with the real run's short timers, a pool of
/// 600-second leases and no client population.
fosim::sim::Scenario measured_pair() {
  auto sc = fosim::test::field_pair(1);
  sc.clients.clear();
  sc.duration = std::chrono::minutes(10);
  for (auto& server : sc.servers) {
    server.config.max_response_delay_s = 6;
    server.reply_latency =
        std::chrono::milliseconds(server.config.role == fosim::core::Role::primary ? 1 : 2);
  }
  sc.servers[0].config.mclt_s = 30;
  sc.pool.default_lease_time = fosim::core::Seconds{600};
  sc.pool.max_lease_time = fosim::core::Seconds{7200};
  return sc;
}

/// The scripted client's lease end, in seconds of the run.
std::int64_t lease_end_s(fosim::sim::Simulator& s) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             s.clients().lease_end(0).time_since_epoch())
      .count();
}

State state_of(const fosim::sim::Simulator& s, std::size_t server) {
  return s.server(server).view().state;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("a scripted incident on the measured pair: grant, renewals cut off, heal") {
    // aa:bb:cc:dd:ee:ff is in bucket 57 (RFC 3074's known answer): the primary's under split 128.
    const std::array<std::uint8_t, 6> m{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    REQUIRE(fosim::core::rfc3074_hash(m) == 57);
    auto sc = measured_pair();
    client_at(sc, 10, ClientSend::discover);
    client_at(sc, 20, ClientSend::renew);
    fosim::test::at(sc, std::chrono::seconds(25), ActionType::partition);
    client_at(sc, 35, ClientSend::probe, "52:54:00:02:bf:f8");  // another client
    client_at(sc, 40, ClientSend::renew);
    client_at(sc, 400, ClientSend::renew);
    fosim::test::at(sc, std::chrono::seconds(100), ActionType::heal);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);

    // 10 s: only the primary offers; the first grant is the MCLT, 30 s. The ACK tells the
    // partner a potential expiry of 10 + 600 + 30/2 = 625 s, acknowledged at once.
    s.run(second(11));
    REQUIRE(state_of(s, 0) == State::normal);
    CHECK(s.server(0).stats().offers == 1);
    CHECK(s.server(1).stats().offers == 0);
    CHECK(lease_end_s(s) == 10 + 30);

    // 20 s: 20 + 600 = 620 <= 625 + 30, so the full 600 s; the partner acknowledges
    // 20 + 600 + 300 = 920 s.
    s.run(second(21));
    CHECK(lease_end_s(s) == 20 + 600);

    // Cut at 25 s; CONTACT goes every floor(6 / 3) = 2 s, so each server last heard its
    // partner between 23 and 25 s and drops the link 6 s later: between 29 and 31 s.
    s.run(second(28) + std::chrono::milliseconds(999));
    CHECK(state_of(s, 0) == State::normal);
    CHECK(state_of(s, 1) == State::normal);
    s.run(second(31) + std::chrono::milliseconds(100));
    CHECK(state_of(s, 0) == State::communications_interrupted);
    CHECK(state_of(s, 1) == State::communications_interrupted);

    // 35 s: cut off, both servers offer to every client (here another one, whatever its bucket).
    s.run(second(36));
    CHECK(s.server(0).stats().offers == 2);
    CHECK(s.server(1).stats().offers == 1);

    // 40 s: 40 + 600 = 640 <= 920 + 30: the full 600 s, on what the partner acknowledged before
    // the cut.
    s.run(second(41));
    CHECK(lease_end_s(s) == 40 + 600);

    // After the drop (29-31 s) the reconnect fires 5 s later (34-36 s) and its SYNs go at
    // +0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s; the heal at 100 s is answered by the one at
    // +67 s: the link is back between 101 and 103 s and both servers are normal.
    s.run(second(100));
    CHECK(state_of(s, 0) == State::communications_interrupted);
    CHECK(state_of(s, 1) == State::communications_interrupted);
    s.run(second(101));
    CHECK(state_of(s, 0) == State::communications_interrupted);
    s.run(second(104));
    CHECK(state_of(s, 0) == State::normal);
    CHECK(state_of(s, 1) == State::normal);

    // 400 s, in normal again: the renewal of 40 s (potential expiry 40 + 600 + 300 = 940 s)
    // went to the partner with the updates after the heal, so 400 + 600 = 1000 <= 940 + 30 is
    // false and the grant is bound by it: 940 + 30 - 400 = 570 s.
    s.run(second(401));
    CHECK(lease_end_s(s) == 400 + 570);
  }
}
