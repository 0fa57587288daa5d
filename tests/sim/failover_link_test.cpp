// The failover link against ISC 4.4.3 and the Linux kernel under it: connect before listen at
// start (dhcp_failover_startup()), the 5-s retry after a reset or a drop
// (dhcp_failover_link_signal() "disconnect"), the SYN schedules of Linux before and after 6.5,
// and a killed process started again at once.
#include "fosim/sim/failover_link.hpp"

#include <doctest/doctest.h>

#include "pair_fixture.hpp"

using fosim::core::Duration;
using fosim::core::Instant;
using fosim::core::State;
using fosim::sim::ActionType;
using fosim::sim::Direction;
using fosim::sim::LinkChange;
using fosim::sim::SynSchedule;
using fosim::test::field_pair;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

/// The times at which server `s` logged `change` (e.g. "connected to peer").
std::vector<Instant> link_times(const fosim::sim::MemoryTrace& t, int s, LinkChange change) {
  std::vector<Instant> out;
  for (const fosim::sim::RunEvent& e : t.events)
    if (const auto* l = e.as<fosim::sim::LinkEvent>();
        l != nullptr && e.server == s && l->change == change)
      out.push_back(e.at);
  return out;
}

/// The first time at or after `from` at which server `s` logged `change`, if any.
std::optional<Instant> first_after(const fosim::sim::MemoryTrace& t, int s, LinkChange change,
                                   Instant from) {
  for (const Instant at : link_times(t, s, change))
    if (at >= from) return at;
  return std::nullopt;
}

Instant at_ms(std::int64_t ms) { return Instant{milliseconds(ms)}; }

/// The moments of the SYNs of one attempt starting at 0, and when the attempt fails.
std::vector<std::int64_t> syn_moments_ms(const fosim::sim::Scenario& sc) {
  std::vector<std::int64_t> out{0};
  for (const Duration d : fosim::sim::syn_waits(sc)) out.push_back(out.back() + d.count());
  return out;  // the last is the failure, not a SYN
}

/// The field pair with max-response-delay 20 (CONTACT every ⌊20/3⌋ = 6 s), the primary
/// started 1 ms after the secondary (link up at once) and one client of the secondary's half
/// (bucket 149) arriving at 60 s. Its DHCPACK makes the secondary send a BNDUPD at 60.003 and
/// the primary batch the BNDACK for 2 s, to 62.004; with nothing else to say each then sends
/// CONTACT 6 s after its last message: the secondary at 60.003 + 6k (received at .004), the
/// primary at 62.004 + 6k (received at .005), for the first 15 minutes (renewal at T1 = 900 s).
fosim::sim::Scenario phased_pair() {
  auto sc = field_pair(1);
  sc.duration = std::chrono::minutes(14);
  for (auto& s : sc.servers) s.config.max_response_delay_s = 20;
  sc.servers[0].start_at = milliseconds(1);
  sc.clients[0].macs = {"52:54:00:00:00:01"};
  return sc;
}

/// Adds a partition of `d` at `cut` and its heal at `heal`.
void cut(fosim::sim::Scenario& sc, Duration cut_at, Duration heal_at, Direction d) {
  fosim::test::at(sc, cut_at, ActionType::partition);
  fosim::test::at(sc, heal_at, ActionType::heal);
  for (auto& a : sc.script) a.direction = d;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("link: SYN schedules: Linux 6.5 and later, before 6.5, a list, timer lateness") {
    fosim::sim::Scenario sc;
    // 1,1,1,1,1,2,4,8,16,32,64: SYNs at 0,1,2,3,4,5,7,11,19,35,67 s; fails at 131 s.
    CHECK(syn_moments_ms(sc) == std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000, 7000,
                                                          11000, 19000, 35000, 67000, 131000});
    // 1,2,4,8,16,32,64: SYNs at 0,1,3,7,15,31,63 s; fails at 127 s.
    sc.syn_schedule = SynSchedule::linux_pre_6_5;
    CHECK(syn_moments_ms(sc) ==
          std::vector<std::int64_t>{0, 1000, 3000, 7000, 15000, 31000, 63000, 127000});
    // 2 % late: each wait × 1.02 — 1020, 2040, 4080 ms.
    sc.syn_schedule = SynSchedule::list;
    sc.syn_waits = {seconds(1), seconds(2), seconds(4)};
    sc.syn_lateness_ppm = 20000;
    CHECK(syn_moments_ms(sc) == std::vector<std::int64_t>{0, 1020, 3060, 7140});
  }

  TEST_CASE("link: two servers started in the same millisecond are both refused, up 5 s later") {
    // Each connects before it listens: the primary's SYN at 0 finds no secondary, the
    // secondary's SYN at 0 finds a primary that has not called listen() yet. Both resets arrive
    // at 0 + 2 ms (round trip); both retry 5 s later, at 5.002. The primary's SYN goes first;
    // its CONNECT reaches the secondary at 5.003, the CONNECTACK the primary at 5.004.
    auto sc = field_pair(0);
    sc.duration = std::chrono::minutes(1);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(link_times(t, 1, LinkChange::connected) == std::vector<Instant>{at_ms(5003)});
    CHECK(link_times(t, 0, LinkChange::connected) == std::vector<Instant>{at_ms(5004)});
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
  }

  TEST_CASE("link: a server started after its peer listens connects at once") {
    SUBCASE("the primary 1 ms after the secondary") {
      // Secondary at 0: its SYN is reset (no primary). Primary at 0.001: the secondary
      // listens since 0, so the SYN at 0.001 connects; CONNECT arrives 0.002, CONNECTACK
      // 0.003. The secondary's retry at 5.002 finds the link up and does nothing.
      auto sc = field_pair(0);
      sc.duration = std::chrono::minutes(1);
      sc.servers[0].start_at = milliseconds(1);
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(sc, 1, &t);
      s.run();
      CHECK(link_times(t, 1, LinkChange::connected) == std::vector<Instant>{at_ms(2)});
      CHECK(link_times(t, 0, LinkChange::connected) == std::vector<Instant>{at_ms(3)});
    }
    SUBCASE("the secondary 1 ms after the primary") {
      // The secondary's SYN at 0.001 connects; the primary sends CONNECT at once (0.001),
      // which arrives 0.002; the CONNECTACK arrives 0.003.
      auto sc = field_pair(0);
      sc.duration = std::chrono::minutes(1);
      sc.servers[1].start_at = milliseconds(1);
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(sc, 1, &t);
      s.run();
      CHECK(link_times(t, 1, LinkChange::connected) == std::vector<Instant>{at_ms(2)});
      CHECK(link_times(t, 0, LinkChange::connected) == std::vector<Instant>{at_ms(3)});
    }
  }

  TEST_CASE("link: the keepalive phase follows the link's start") {
    // mrd 30: CONTACT ⌊30/3⌋ = 10 s after the last message sent. Started in the same ms the
    // link is up at 5.002 instead of 0.001, and every CONTACT comes 5.001 s later.
    auto contacts = [](std::int64_t start_at_ms) {
      auto sc = field_pair(0);
      sc.duration = std::chrono::minutes(2);
      sc.servers[0].start_at = milliseconds(start_at_ms);
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(sc, 1, &t);
      s.run();
      std::vector<Instant> out;
      for (const fosim::sim::RunEvent& e : t.events)
        if (const auto* m = e.as<fosim::sim::ProtocolMessage>();
            m != nullptr && m->type == "contact" && e.server == 1)
          out.push_back(e.at);
      return out;
    };
    const std::vector<Instant> early = contacts(1), late = contacts(0);
    REQUIRE(early.size() >= 5);
    REQUIRE(late.size() >= 5);
    for (std::size_t k = 0; k < 5; ++k) CHECK(late[k] - early[k] == milliseconds(5001));
    for (std::size_t k = 1; k < 5; ++k) CHECK(early[k] - early[k - 1] == seconds(10));
  }

  TEST_CASE("link: a partition healed 21 s after the drop comes back at the next SYN") {
    // Cut primary -> secondary at 603. The secondary last heard the primary at 602.005, drops
    // the link at D = 622.005 (20 s) and its FIN reaches the primary at 622.006, so both
    // attempt from D + 5 s: SYNs lost (no path one way) until the heal at D + 21 = 643.005.
    // The secondary's SYN comes first; the primary's CONNECT reaches it 1 ms later.
    auto sc = phased_pair();
    cut(sc, seconds(603), milliseconds(643005), Direction::primary_to_secondary);
    auto connected_after_heal = [&](const fosim::sim::Scenario& run) {
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(run, 1, &t);
      s.run();
      CHECK(first_after(t, 1, LinkChange::disconnected, at_ms(600000)) == at_ms(622005));
      CHECK(first_after(t, 0, LinkChange::disconnected, at_ms(600000)) == at_ms(622006));
      return first_after(t, 1, LinkChange::connected, at_ms(643005));
    };
    SUBCASE("Linux 6.5 and later: D + 5, 6, 7, 8, 9, 10, 12, 16, 24: up at D + 24") {
      CHECK(connected_after_heal(sc) == at_ms(622005 + 24000 + 1));
    }
    SUBCASE("before 6.5: D + 5, 6, 8, 12, 20, 36: up at D + 36") {
      sc.syn_schedule = SynSchedule::linux_pre_6_5;
      CHECK(connected_after_heal(sc) == at_ms(622005 + 36000 + 1));
    }
    SUBCASE("timers 2 % late: D + 5 + 19 × 1.02 = D + 24.38") {
      sc.syn_lateness_ppm = 20000;
      CHECK(connected_after_heal(sc) == at_ms(622005 + 24380 + 1));
    }
  }

  TEST_CASE("link: after a heal the first SYN of either side brings the link back") {
    // Cut both ways at T = 603. The primary last heard the secondary at 600.004 and drops at
    // T + 17.004; the secondary last heard the primary at 602.005 and drops at T + 19.005.
    // Heal at T + 38 = 641.
    auto sc = phased_pair();
    cut(sc, seconds(603), seconds(641), Direction::both);
    auto run = [](const fosim::sim::Scenario& played) {
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(played, 1, &t);
      s.run();
      CHECK(first_after(t, 0, LinkChange::disconnected, at_ms(600000)) == at_ms(620004));
      CHECK(first_after(t, 1, LinkChange::disconnected, at_ms(600000)) == at_ms(622005));
      CHECK(s.server(0).view().state == State::normal);
      CHECK(s.server(1).view().state == State::normal);
      return first_after(t, 1, LinkChange::connected, at_ms(641000));
    };
    SUBCASE("Linux 6.5 and later: the primary's SYN at T + 41") {
      // Primary: T + 22..27, 29, 33, 41.004; secondary: T + 24..29, 31, 35, 43.005.
      CHECK(run(sc) == at_ms(644004 + 1));
    }
    SUBCASE("before 6.5: the secondary's SYN at T + 39") {
      // Primary: T + 22, 23, 25, 29, 37, 53.004; secondary: T + 24, 25, 27, 31, 39.005.
      sc.syn_schedule = SynSchedule::linux_pre_6_5;
      CHECK(run(sc) == at_ms(642005 + 1));
    }
  }

  TEST_CASE("link: a process killed and started again at once is no duplicate connection") {
    // restart at 600 = kill + start in the same ms. The kill's FIN reaches the primary before
    // the new process's SYN can, so the primary has closed the old connection (normal ->
    // communications-interrupted at 600) and takes the new one: CONNECT arrives at 600.001,
    // the CONNECTACK at 600.002 — not 5 s later as a refused duplicate.
    auto sc = phased_pair();
    fosim::test::at(sc, seconds(600), ActionType::restart, 1);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(first_after(t, 0, LinkChange::disconnected, at_ms(600000)) == at_ms(600000));
    CHECK(first_after(t, 1, LinkChange::connected, at_ms(600000)) == at_ms(600001));
    CHECK(first_after(t, 0, LinkChange::connected, at_ms(600000)) == at_ms(600002));
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
  }
}
