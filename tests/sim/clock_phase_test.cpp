// Each server's clock has its own sub-second phase, and ISC's timers follow add_timeout()
// (common/dispatch.c): a caller that sets tv_usec = 0 gets an interval of the whole seconds
// tv_sec - cur_tv.tv_sec, run from the moment it is armed. The failover machine reads cur_time,
// the whole seconds of the server's clock: dhcp_failover_set_state() sets stos = cur_time on
// entering recover and keeps it into recover-wait, and the UPDDONE that ends recover arms
// dhcp_failover_recover_done at tv_sec = stos + mclt (server/failover.c).
#include <doctest/doctest.h>

#include "fosim/sim/isc_wording.hpp"
#include "pair_fixture.hpp"

using fosim::core::Duration;
using fosim::core::Instant;
using fosim::sim::ActionType;
using fosim::test::field_pair;

namespace {

/// The primary (mclt 30, a pool of 5) crashed at 100 s and started without its lease file at
/// 140 s, its clock's phase `phase`; returns how long it stays in recover-wait, in
/// milliseconds, and when it entered recover.
std::pair<std::int64_t, Instant> recover_wait_ms(std::int64_t phase) {
  auto sc = field_pair(0);
  sc.duration = std::chrono::minutes(5);
  sc.pool.last = sc.pool.first + 4;
  sc.servers[0].config.mclt_s = 30;
  sc.servers[0].clock_phase = Duration{phase};
  sc.servers[1].clock_phase = Duration{0};
  fosim::test::at(sc, std::chrono::seconds(100), ActionType::crash);
  fosim::test::at(sc, std::chrono::seconds(140), ActionType::start);
  sc.script.back().keep_storage = false;
  fosim::sim::MemoryTrace t;
  fosim::sim::Simulator s(sc, 1, &t);
  s.run();
  Instant recover{}, wait{}, done{};
  for (const auto& e : t.events)
    if (const auto* m = e.as<fosim::sim::StateMove>(); m != nullptr && e.server == 0) {
      if (m->to == fosim::core::State::recover) recover = e.at;
      if (m->to == fosim::core::State::recover_wait) wait = e.at;
      if (m->from == fosim::core::State::recover_wait) done = e.at;
    }
  REQUIRE(wait > recover);
  REQUIRE(done > wait);
  // The UPDDONE comes a few milliseconds after the start: recover's updates take round trips.
  CHECK(wait - recover < Duration{500});
  return {(done - wait).count(), recover};
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("clock phase: recover-wait lasts 30.0 s or 29.0 s as the phase puts a second between") {
    // The process starts at 140.000 s true time with nothing saved: stos = cur_time then, kept
    // through startup into recover (dhcp_failover_set_state() keeps stos in and out of
    // startup). The secondary, in communications-interrupted since 130 s, takes the connect at
    // once; its 5 leases fit one BNDUPD window, so the UPDDONE comes a few ms after 140.000.
    // Phase 0: the clock reads 140.000 and 140.0xx: cur_time is 140 both times, the timer is
    // armed at tv_sec = stos + 30 = 170 with cur_time 140: 30 whole seconds from the UPDDONE,
    // and recover-wait lasts exactly 30.0 s.
    // Phase 999 ms: the clock reads 140.999 at the start (stos 140) and 141.0xx at the
    // UPDDONE (cur_time 141): 170 - 141 = 29 s from the UPDDONE: exactly 29.0 s.
    const auto [even, at0] = recover_wait_ms(0);
    const auto [late, at999] = recover_wait_ms(999);
    for (Instant at : {at0, at999}) {  // recover on the secondary's first STATE, in ms
      CHECK(at > Instant{std::chrono::seconds(140)});
      CHECK(at < Instant{std::chrono::milliseconds(140100)});
    }
    CHECK(even == 30000);
    CHECK(late == 29000);
  }

  TEST_CASE("clock phase: relative timers keep the phase they were armed at") {
    // startup's 15 s (tv_sec = cur_time + 15, tv_usec = 0) is 15 s after the move whatever the
    // phase: add_timeout() drops the negative microseconds rather than borrowing a second.
    for (std::int64_t phase : {0, 500, 999}) {
      auto sc = field_pair(0);
      sc.duration = std::chrono::minutes(1);
      sc.servers[0].clock_phase = Duration{phase};
      sc.servers[1].start_at = std::chrono::minutes(2);  // never starts: no peer to leave startup
      sc.duration = std::chrono::seconds(30);
      fosim::sim::MemoryTrace t;
      fosim::sim::Simulator s(sc, 1, &t);
      s.run();
      std::vector<Instant> startup_moves;
      for (const auto& e : t.events)
        if (const auto* m = e.as<fosim::sim::StateMove>(); m != nullptr && e.server == 0)
          startup_moves.push_back(e.at);
      REQUIRE(startup_moves.size() >= 2);
      CHECK(startup_moves[1] - startup_moves[0] == Duration{15000});
    }
  }
}
