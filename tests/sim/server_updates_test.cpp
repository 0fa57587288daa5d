// The BNDUPD queues as ISC keeps them (server/failover.c): updates go out only where
// dhcp_failover_send_updates() is called, an update request queues each lease once
// (dhcp_failover_generate_update_queue() skips a lease on the update or ack queue), BNDACKs
// are batched by half the peer's max-unacked-updates and flushed 2 s after the last one.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <utility>

#include "fosim/formats/scenario_json.hpp"
#include "pair_fixture.hpp"

using fosim::core::Instant;
using fosim::core::State;
using fosim::sim::MessageType;
using fosim::sim::ProtocolMessage;
using fosim::sim::RunEvent;

namespace {

/// One failover message as the trace saw it arrive: when, at which server, about which address.
struct Arrival {
  std::int64_t at_ms = 0;
  int to = -1;
  std::uint32_t ip = 0;
  std::string binding;
};

/// Every message of `type` that arrived, in order.
std::vector<Arrival> arrivals(const fosim::sim::MemoryTrace& t, MessageType type) {
  std::vector<Arrival> out;
  for (const RunEvent& e : t.events)
    if (const auto* m = e.as<ProtocolMessage>(); m != nullptr && m->type == to_string(type))
      out.push_back({e.at.time_since_epoch().count(), e.server, m->ip, m->binding});
  return out;
}

/// How many BNDUPDs to server `to` carried each (address, binding state), before `until_ms`.
std::map<std::pair<std::uint32_t, std::string>, int> updates_to(const fosim::sim::MemoryTrace& t,
                                                                int to, std::int64_t until_ms) {
  std::map<std::pair<std::uint32_t, std::string>, int> n;
  for (const Arrival& a : arrivals(t, MessageType::bndupd))
    if (a.to == to && a.at_ms < until_ms) ++n[{a.ip, a.binding}];
  return n;
}

/// The time of server `s`'s move to `to`, in ms (-1: none).
std::int64_t move_at(const fosim::sim::MemoryTrace& t, int s, State to) {
  for (const RunEvent& e : t.events)
    if (const auto* m = e.as<fosim::sim::StateMove>(); m && e.server == s && m->to == to)
      return e.at.time_since_epoch().count();
  return -1;
}

/// When server `s` first had the link up, in ms (-1: never).
std::int64_t link_up_ms(const fosim::sim::MemoryTrace& t, int s) {
  for (const RunEvent& e : t.events)
    if (const auto* l = e.as<fosim::sim::LinkEvent>(); l && e.server == s && l->up())
      return e.at.time_since_epoch().count();
  return -1;
}

fosim::sim::ScriptAction action(std::chrono::milliseconds at, fosim::sim::ActionType type,
                                std::size_t server) {
  fosim::sim::ScriptAction a;
  a.at = Instant{at};
  a.type = type;
  a.server = server;
  return a;
}

/// The §12 run: a pool of 100, the primary crashes at 10 min, the secondary is put in
/// partner-down at 11 min and grants one lease at 12 min, the primary starts again without its
/// lease file at 20 min and asks with UPDREQALL; max-unacked-updates as given per server.
fosim::sim::Scenario amnesic_primary_restart(std::uint32_t primary_window,
                                             std::uint32_t secondary_window) {
  auto sc = fosim::test::field_pair(1);
  sc.pool.last = fosim::test::ip(192, 168, 102, 209);  // .110-.209: 100 addresses
  sc.clients[0].arrival_start = std::chrono::minutes(12);
  sc.duration = std::chrono::minutes(25);
  sc.servers[0].config.max_unacked_updates = primary_window;
  sc.servers[1].config.max_unacked_updates = secondary_window;
  sc.script.push_back(action(std::chrono::minutes(10), fosim::sim::ActionType::crash, 0));
  sc.script.push_back(action(std::chrono::minutes(11), fosim::sim::ActionType::set_state, 1));
  auto start = action(std::chrono::minutes(20), fosim::sim::ActionType::start, 0);
  start.keep_storage = false;
  sc.script.push_back(start);
  return sc;
}

/// When the first UPDREQALL at or after `after_ms` reached the secondary; -1 if none did.
std::int64_t updreqall_arrival(const fosim::sim::MemoryTrace& t, std::int64_t after_ms) {
  for (const Arrival& a : arrivals(t, MessageType::updreqall))
    if (a.to == 1 && a.at_ms >= after_ms) return a.at_ms;
  return -1;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("updates: field report cold start: each address once per binding in the first second") {
    const auto loaded =
        fosim::sim::load_scenario(std::string(FOSIM_SOURCE_DIR) + "/scenarios/field-report.json");
    REQUIRE(loaded.scenario.has_value());
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(*loaded.scenario, loaded.scenario->seed, &t);
    s.run(Instant{std::chrono::seconds(30)});
    const std::int64_t up = link_up_ms(t, 0);
    REQUIRE(up >= 0);
    // Each server answers the other's UPDREQALL with its 101 FREE leases, once each (before:
    // 10 addresses twice each way, the answer to the second UPDREQALL requeueing the ten in
    // flight). The primary then moves lts = 101 / 2 = 50 to BACKUP on entering normal and
    // sends each once (before: 10 of them twice, requeued while awaiting their BNDACK).
    // Counted over the first second of the link (it comes up at 2 ms).
    const auto to_primary = updates_to(t, 0, up + 1000);
    const auto to_secondary = updates_to(t, 1, up + 1000);
    CHECK(to_primary.size() == 101);
    CHECK(to_secondary.size() == 101 + 50);
    int checked = 0;
    for (const auto& [key, n] : to_primary) {
      CAPTURE(key.first);
      CHECK(key.second == "free");
      CHECK(n == 1);
      ++checked;
    }
    int backup = 0;
    for (const auto& [key, n] : to_secondary) {
      CAPTURE(key.first);
      CHECK(n == 1);
      backup += key.second == "backup" ? 1 : 0;
      ++checked;
    }
    CHECK(backup == 50);
    CHECK(checked == 101 + 151);
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
  }

  TEST_CASE("updates: a partner-down secondary answers a recovering primary's UPDREQALL") {
    // The §12 run: a pool of 100, the primary crashes at 10 min, the secondary is put in
    // partner-down at 11 min and grants one lease at 12 min (its one pending update), the
    // primary starts again without its lease file at 20 min and asks with UPDREQALL.
    // The secondary may send all 100 at once; the primary acks in batches of 30 / 2.
    const auto sc = amnesic_primary_restart(100, 30);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();

    const std::int64_t restart_ms = 20 * 60 * 1000;
    const std::int64_t asked = updreqall_arrival(t, restart_ms);
    REQUIRE(asked > 0);
    std::vector<Arrival> updates, acks;
    for (const Arrival& a : arrivals(t, MessageType::bndupd))
      if (a.to == 0 && a.at_ms >= restart_ms) updates.push_back(a);
    for (const Arrival& a : arrivals(t, MessageType::bndack))
      if (a.to == 1 && a.at_ms >= restart_ms) acks.push_back(a);

    // Nothing before the request: all 100 leave at `asked` and arrive 1 ms later (latency 1 ms),
    // each once (before: 101, the pending one sent at connect and again in the answer).
    REQUIRE(updates.size() == 100);
    std::set<std::uint32_t> addresses;
    for (const Arrival& a : updates) {
      CHECK(a.at_ms == asked + 1);
      addresses.insert(a.ip);
    }
    CHECK(addresses.size() == 100);
    // The pending grant keeps its place at the head; then the queues in ISC's order: the 50
    // FREE leases, then the 49 BACKUP leases left.
    CHECK(updates.front().binding == "active");
    for (std::size_t k = 1; k < updates.size(); ++k)
      CHECK(updates[k].binding == (k <= 50 ? "free" : "backup"));

    // The primary acks in batches of 30 / 2 = 15: six batches (90) at once, arriving at
    // asked + 2; the last 10 wait for the 2-s flush (queued at asked + 1, sent at asked + 2001)
    // and arrive at asked + 2002.
    REQUIRE(acks.size() == 100);
    int early = 0, late = 0;
    for (const Arrival& a : acks) {
      early += a.at_ms == asked + 2 ? 1 : 0;
      late += a.at_ms == asked + 2002 ? 1 : 0;
    }
    CHECK(early == 90);
    CHECK(late == 10);
    // UPDDONE follows the last BNDACK (the tail of the queue): sent at asked + 2002, and the
    // primary, 20 min into its 30-min MCLT, moves recover -> recover-wait when it arrives.
    const auto done = arrivals(t, MessageType::upddone);
    REQUIRE_FALSE(done.empty());
    CHECK(done.back().to == 0);
    CHECK(done.back().at_ms == asked + 2003);
    CHECK(move_at(t, 0, State::recover_wait) == asked + 2003);
  }

  TEST_CASE("updates: with a window of 3 every BNDUPD is acked at once, so 100 drain in 69 ms") {
    // The run above with max-unacked-updates 3 on both servers. The secondary sends while fewer
    // than the primary's 3 are unacked (dhcp_failover_send_updates()); the primary flushes its
    // acks when pending_acks >= the secondary's 3 / 2 = 1 (dhcp_failover_queue_ack()), so each
    // at once, and each BNDACK lets the secondary send the next. With 1 ms each way: 3 updates
    // leave at asked + 2k for k = 0..32 and the 100th alone at asked + 66; its BNDACK arrives at
    // asked + 68, and UPDDONE, sent then, at asked + 69. No 2-s flush is ever waited for.
    const auto sc = amnesic_primary_restart(3, 3);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();

    const std::int64_t restart_ms = 20 * 60 * 1000;
    const std::int64_t asked = updreqall_arrival(t, restart_ms);
    REQUIRE(asked > 0);
    std::vector<std::int64_t> updates, acks;
    for (const Arrival& a : arrivals(t, MessageType::bndupd))
      if (a.to == 0 && a.at_ms >= restart_ms) updates.push_back(a.at_ms - asked);
    for (const Arrival& a : arrivals(t, MessageType::bndack))
      if (a.to == 1 && a.at_ms >= restart_ms) acks.push_back(a.at_ms - asked);
    REQUIRE(updates.size() == 100);
    REQUIRE(acks.size() == 100);
    for (std::size_t k = 0; k < updates.size(); ++k) {
      CAPTURE(k);
      const auto round = static_cast<std::int64_t>(k / 3);
      CHECK(updates[k] == 2 * round + 1);
      CHECK(acks[k] == 2 * round + 2);
    }
    const auto done = arrivals(t, MessageType::upddone);
    REQUIRE_FALSE(done.empty());
    CHECK(done.back().to == 0);
    CHECK(done.back().at_ms == asked + 69);
  }

  TEST_CASE("updates: an UPDREQALL with every lease in flight gets UPDDONE at once") {
    // With a window of 200 the primary's answer to the secondary's first UPDREQALL (arriving
    // 2 ms after the link is up at the primary: CONNECTACK + STATE, then the secondary's
    // UPDREQALLs) sends all 101 leases at once; the second UPDREQALL of the same millisecond
    // finds nothing to queue and is answered with UPDDONE at once, 101 BNDACKs outstanding. The
    // secondary gets it 1 ms later, after the 101 BNDUPDs, and moves to recover-done.
    auto sc = fosim::test::field_pair(0);
    sc.duration = std::chrono::seconds(30);
    for (auto& server : sc.servers) server.config.max_unacked_updates = 200;
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const std::int64_t up = link_up_ms(t, 0);
    REQUIRE(up >= 0);
    std::vector<fosim::sim::UpdateStep> answers;
    for (const RunEvent& e : t.events)
      if (const auto* u = e.as<fosim::sim::UpdateLine>();
          u && e.server == 0 && e.at.time_since_epoch().count() == up + 2)
        answers.push_back(u->step);
    using Step = fosim::sim::UpdateStep;
    const std::vector<Step> want{Step::request_all_sent, Step::request_all_sending, Step::done_sent,
                                 Step::request_all_nothing};
    CHECK(answers == want);
    const auto done = arrivals(t, MessageType::upddone);
    REQUIRE_FALSE(done.empty());
    CHECK(done.front().to == 1);
    CHECK(done.front().at_ms == up + 3);
    CHECK(move_at(t, 1, State::recover_done) == up + 3);
  }

  TEST_CASE("updates: a stale BACKUP copy no longer undoes the secondary's first grants") {
    // 20 clients arriving over 10 ms from 2 ms before the primary enters normal (at 28 ms:
    // arrivals 26-36 ms). When each BNDUPD in flight at the primary's entry to normal was
    // requeued, a second BACKUP copy of .112-.114 reached the secondary at 37 ms, after it had
    // granted them at 35-36 ms; it took them back to BACKUP and granted them again 3 s later:
    // three duplicate addresses.
    auto sc = fosim::test::field_pair(0);
    sc.duration = std::chrono::minutes(1);
    fosim::sim::MemoryTrace probe;
    fosim::sim::Simulator(sc, 1, &probe).run();
    const std::int64_t normal = move_at(probe, 0, State::normal);
    REQUIRE(normal > 2);
    sc = fosim::test::field_pair(20, std::chrono::milliseconds(10));
    sc.clients[0].macs.clear();
    sc.clients[0].arrival_start = std::chrono::milliseconds(normal - 2);
    sc.duration = std::chrono::minutes(10);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    // The run still exercises the crossing: the secondary grants within 10 ms of normal.
    int early_grants = 0;
    for (const RunEvent& e : t.events)
      if (e.kind() == fosim::sim::TraceKind::grant && e.server == 1 &&
          e.at.time_since_epoch().count() < normal + 10)
        ++early_grants;
    CHECK(early_grants >= 3);
    CHECK(s.stats().duplicates.empty());
    int checked = 0;
    for (const auto& [key, n] : updates_to(t, 1, normal + 1000)) {
      CAPTURE(key.first);
      CAPTURE(key.second);
      CHECK(n == 1);
      ++checked;
    }
    CHECK(checked > 101);
  }
}
