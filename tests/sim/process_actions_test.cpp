// The process actions an operator (or a machine) takes, against what ISC dhcpd 4.4.3-P1 does
// (ISC server/dhcpd.c dhcp_io_shutdown_countdown(), server/failover.c; a real 4.4.3-P1 pair's
// runs): kill, freeze and thaw, the controlled shutdown through OMAPI with and without omshell
// waiting, and restarts. Times are worked out by hand in each test's comments.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "pair_fixture.hpp"

using fosim::core::Duration;
using fosim::core::Instant;
using fosim::core::State;
using fosim::sim::ActionType;
using fosim::sim::MemoryTrace;
using fosim::sim::RunEvent;
using fosim::test::field_pair;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

/// The first move of server `s` from `from` to `to` at or after `after`.
std::optional<Instant> move_at(const MemoryTrace& t, int s, State from, State to,
                               Instant after = Instant{}) {
  for (const RunEvent& e : t.events)
    if (const auto* m = e.as<fosim::sim::StateMove>();
        m != nullptr && e.server == s && e.at >= after && m->from == from && m->to == to)
      return e.at;
  return std::nullopt;
}

/// The first event of server `s` at or after `after` whose line is `line`.
std::optional<Instant> line_at(const MemoryTrace& t, int s, const std::string& line,
                               Instant after = Instant{}) {
  for (const RunEvent& e : t.events)
    if (e.server == s && e.at >= after && fosim::sim::render(e) == line) return e.at;
  return std::nullopt;
}

/// How many events of server `s` in [from, to) have the line `line`.
int lines_between(const MemoryTrace& t, int s, const std::string& line, Instant from, Instant to) {
  int n = 0;
  for (const RunEvent& e : t.events)
    n += e.server == s && e.at >= from && e.at < to && fosim::sim::render(e) == line;
  return n;
}

/// The first DHCPOFFER of server `s` at or after `after`.
std::optional<Instant> first_offer(const MemoryTrace& t, int s, Instant after) {
  for (const RunEvent& e : t.events)
    if (const auto* d = e.as<fosim::sim::DhcpLine>();
        d != nullptr && e.server == s && e.at >= after && d->verb == fosim::sim::DhcpVerb::offer)
      return e.at;
  return std::nullopt;
}

/// The last failover message server `s` received before `before`.
Instant last_received(const MemoryTrace& t, int s, Instant before) {
  Instant last{};
  for (const RunEvent& e : t.events)
    if (e.as<fosim::sim::ProtocolMessage>() != nullptr && e.server == s && e.at < before)
      last = e.at;
  return last;
}

Instant at_ms(std::int64_t ms) { return Instant{milliseconds(ms)}; }

void add(fosim::sim::Scenario& sc, Duration when, ActionType type, std::size_t server,
         bool omapi_connected = true, bool graceful = false) {
  fosim::test::at(sc, when, type, server);
  for (auto& a : sc.script)
    if (a.at == Instant{when} && a.type == type) a.omapi_connected = omapi_connected;
  for (auto& a : sc.script)
    if (a.at == Instant{when} && a.type == type) a.graceful = graceful;
}

/// The short timers of the real pair's runs: mclt 30, max-response-delay 6 (CONTACT every 2 s).
fosim::sim::Scenario short_timer_pair() {
  auto sc = field_pair(0);
  sc.duration = std::chrono::minutes(10);
  sc.servers[0].config.mclt_s = 30;
  for (auto& s : sc.servers) s.config.max_response_delay_s = 6;
  return sc;
}

const std::string disconnected = "peer dhcp-failover: disconnected";

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("process: kill: the partner moves to communications-interrupted in the same ms") {
    // SIGTERM (Debian's build has no gentle shutdown), SIGKILL or OOM at T = 1 h: the kernel
    // sends the FIN at once; it arrives after the link latency (1 ms), and the secondary logs
    // "disconnected" and moves normal -> communications-interrupted at T + 1 ms, both.
    auto sc = field_pair(0);
    sc.duration = std::chrono::hours(2);
    add(sc, std::chrono::hours(1), ActionType::kill, 0);
    add(sc, std::chrono::minutes(70), ActionType::start, 0);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant kill = Instant{std::chrono::hours(1)};
    CHECK(line_at(t, 1, disconnected, kill) == kill + milliseconds(1));
    CHECK(move_at(t, 1, State::normal, State::communications_interrupted) ==
          kill + milliseconds(1));
    // Nothing is recorded at a kill: the lease file still says normal, so the start at 70 min
    // goes startup -> normal (as on the real pair), and the secondary follows back to normal.
    const Instant start = Instant{std::chrono::minutes(70)};
    CHECK(move_at(t, 0, State::normal, State::startup, start) == start);
    CHECK(move_at(t, 0, State::startup, State::normal, start).has_value());
    CHECK(move_at(t, 1, State::communications_interrupted, State::normal, start).has_value());
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
    CHECK(s.stats().time_down[0].at(fosim::sim::ProcessAction::kill) == std::chrono::minutes(10));
  }

  TEST_CASE("process: restart is a kill and a start in the same ms, and no duplicate") {
    // Restart at T = 1 h: kill and start at T. The kill's FIN reaches the secondary before the
    // new process's SYN does, so the new connection is taken: the secondary is normal again a
    // few ms later, not 5 s later as after a refused duplicate.
    auto sc = field_pair(0);
    sc.duration = std::chrono::hours(2);
    add(sc, std::chrono::hours(1), ActionType::restart, 0);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant kill = Instant{std::chrono::hours(1)};
    CHECK(line_at(t, 0, "dhcpd starts", kill) == kill);
    const auto back = move_at(t, 1, State::communications_interrupted, State::normal, kill);
    REQUIRE(back.has_value());
    CHECK(*back - kill < milliseconds(10));
  }

  TEST_CASE("process: freeze: normal, communications-interrupted, normal at the thaw") {
    // max-response-delay 20 (CONTACT every 6 s), link latency 0 (a LAN's round trip is far
    // under a millisecond). The primary freezes at F = 100 s and thaws at F + 50 s.
    auto sc = field_pair(1);
    sc.duration = std::chrono::minutes(5);
    sc.link_latency = Duration{0};
    sc.clients[0].reach = fosim::sim::Reach::primary_only;
    sc.clients[0].arrival_start = seconds(110);  // its DISCOVERs reach only the frozen primary
    for (auto& srv : sc.servers) srv.config.max_response_delay_s = 20;
    add(sc, seconds(100), ActionType::freeze, 0);
    add(sc, seconds(150), ActionType::thaw, 0);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant freeze = at_ms(100000), thaw = at_ms(150000);
    // The secondary hears nothing more: its receive timer fires 20 s after the last message
    // it received, which the frozen primary sent within the 6 s before F.
    const Instant heard = last_received(t, 1, freeze);
    CHECK(freeze - heard <= seconds(6));
    const auto drop = move_at(t, 1, State::normal, State::communications_interrupted);
    REQUIRE(drop.has_value());
    CHECK(*drop == heard + seconds(20));
    // Its connects go into the frozen primary's listen queue: #1 at drop + 5 s, closed by the
    // link start-up timeout at drop + 20 s ("disconnected"); #2 at drop + 25 s, live until
    // drop + 40 s >= F + 54 s, past the thaw.
    CHECK(lines_between(t, 1, disconnected, *drop + milliseconds(1), thaw) == 1);
    CHECK(line_at(t, 1, disconnected, *drop + milliseconds(1)) == *drop + seconds(20));
    // At the thaw the primary's own receive timer (due within 20 s of F) runs first, then it
    // accepts #2 (#1 reads as EOF) and sends CONNECT: both are normal in the thaw's ms.
    CHECK(move_at(t, 0, State::normal, State::communications_interrupted) == thaw);
    CHECK(move_at(t, 0, State::communications_interrupted, State::normal) == thaw);
    CHECK(move_at(t, 1, State::communications_interrupted, State::normal) == thaw);
    // The DISCOVERs the client sent meanwhile waited in the socket: answered at the thaw.
    CHECK(lines_between(t, 0, "DHCPDISCOVER from 52:54:00:02:bf:f8", freeze, thaw) == 0);
    CHECK(first_offer(t, 0, freeze) == thaw);
    // A frozen server is not down.
    CHECK(s.stats().time_down[0].empty());
  }

  TEST_CASE("process: OMAPI shutdown with omshell waiting: shutdown 10 s after the request") {
    // The real pair's short timers (mrd 6: CONTACT every 2 s). The stop comes at S = 122.140 s, 1.1
    // s after the primary last heard the secondary. From the request the primary's socket I/O
    // stalls (omshell's answer unsent), so:
    //   S + 4.9  its receive timer (last heard + 6 s) drops the link: communications-interrupted
    //   S + 9.9  its 5-s reconnect is a new socket: the I/O resumes, the answer goes out,
    //            omshell closes; the link comes back and both are normal
    //   S + 10   tick 10: shutdown_omapi_connections (since tick 5) counts no OMAPI connection
    //            -> shutdown_dhcp: normal -> shutdown; the secondary answers partner-down
    //   S + 11   tick 11: the partner is in partner-down -> recover recorded, exit (as on the real
    //   pair).
    auto sc = short_timer_pair();
    add(sc, milliseconds(122140), ActionType::stop, 0);
    add(sc, seconds(180), ActionType::start, 0);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant stop = at_ms(122140);
    REQUIRE(last_received(t, 0, stop) == stop - milliseconds(1100));
    CHECK(move_at(t, 0, State::normal, State::communications_interrupted, stop) ==
          stop + milliseconds(4900));
    const auto back = move_at(t, 0, State::communications_interrupted, State::normal, stop);
    REQUIRE(back.has_value());
    CHECK(*back >= stop + milliseconds(9900));
    CHECK(*back < stop + milliseconds(9910));
    CHECK(move_at(t, 0, State::normal, State::shutdown) == stop + seconds(10));
    CHECK(move_at(t, 1, State::normal, State::partner_down) == stop + milliseconds(10001));
    CHECK(move_at(t, 0, State::shutdown, State::recover) == stop + seconds(11));
    CHECK(line_at(t, 0, "dhcpd exits after its controlled shutdown") == stop + seconds(11));
    // The start at 180 s: recover was recorded with stos = exit - MCLT (partner-down, nothing
    // pending), so stos + MCLT has passed: startup -> recover -> recover-done -> normal, no
    // recover-wait (as on the real pair).
    const Instant start = at_ms(180000);
    CHECK(move_at(t, 0, State::recover, State::startup, start) == start);
    CHECK(move_at(t, 0, State::startup, State::recover, start).has_value());
    CHECK(move_at(t, 0, State::recover, State::recover_done, start).has_value());
    CHECK(move_at(t, 0, State::recover_done, State::normal, start).has_value());
    CHECK_FALSE(move_at(t, 0, State::recover, State::recover_wait, start).has_value());
  }

  TEST_CASE("process: OMAPI shutdown without an OMAPI connection: shutdown at once") {
    // No OMAPI connection counted at tick 0: shutdown_dhcp at once, normal -> shutdown at S;
    // the secondary moves to partner-down at S + 1 ms (its STATE is back at S + 2 ms); tick 1
    // (S + 1 s) finds the partner in partner-down: recover recorded, exit.
    auto sc = short_timer_pair();
    add(sc, milliseconds(122140), ActionType::stop, 0, false);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant stop = at_ms(122140);
    CHECK(move_at(t, 0, State::normal, State::shutdown) == stop);
    CHECK(move_at(t, 1, State::normal, State::partner_down) == stop + milliseconds(1));
    CHECK(move_at(t, 0, State::shutdown, State::recover) == stop + seconds(1));
    CHECK_FALSE(move_at(t, 0, State::normal, State::communications_interrupted).has_value());
  }

  TEST_CASE("process: a controlled shutdown moves only from normal") {
    // In communications-interrupted the shutdown_dhcp step moves nothing and counts nothing:
    // the process exits at once (no OMAPI connection), recording nothing new.
    auto sc = short_timer_pair();
    fosim::test::at(sc, seconds(60), ActionType::partition, 0);
    add(sc, seconds(100), ActionType::stop, 0, false);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(line_at(t, 0, "dhcpd exits after its controlled shutdown") == at_ms(100000));
    CHECK_FALSE(move_at(t, 0, State::communications_interrupted, State::shutdown).has_value());
    CHECK_FALSE(move_at(t, 1, State::communications_interrupted, State::partner_down).has_value());
  }

  TEST_CASE("process: a graceful restart starts again once the shutdown has ended") {
    // No OMAPI connection: exit at S + 1 s (as above), and the start in the same ms.
    auto sc = short_timer_pair();
    add(sc, milliseconds(122140), ActionType::restart, 0, false, true);
    MemoryTrace t;
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    const Instant stop = at_ms(122140);
    CHECK(line_at(t, 0, "dhcpd exits after its controlled shutdown") == stop + seconds(1));
    CHECK(line_at(t, 0, "dhcpd starts", stop) == stop + seconds(1));
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
  }

  TEST_CASE("process: a server killed while frozen closes its queued connections too") {
    auto sc = field_pair(0);
    sc.duration = std::chrono::minutes(5);
    add(sc, seconds(60), ActionType::freeze, 1);
    add(sc, seconds(120), ActionType::kill, 1);
    add(sc, seconds(130), ActionType::start, 1);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    CHECK_FALSE(s.server(1).frozen());
    CHECK(s.server(0).view().state == State::normal);
    CHECK(s.server(1).view().state == State::normal);
  }

  TEST_CASE("process: reading kill, freeze, thaw and stop's omapi_connected") {
    const auto read = [](const std::string& script) {
      return fosim::sim::parse_scenario(R"({
  "relationship": "r", "duration": "1h",
  "servers": [
    {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2", "mclt": 30, "split": 128,
     "load_balance_max_seconds": 3},
    {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
     "load_balance_max_seconds": 3}],
  "pool": {"range": ["10.0.1.10", "10.0.1.20"]},
  "script": )" + script + "}",
                                        "t.json");
    };
    const auto ok = read(R"([{"at": "1m", "action": "kill", "server": "a"},
      {"at": "2m", "action": "freeze", "server": "b"}, {"at": "3m", "action": "thaw", "server": "b"},
      {"at": "4m", "action": "stop", "server": "a", "omapi_connected": false},
      {"at": "5m", "action": "restart", "server": "b", "graceful": true}])");
    REQUIRE(ok.scenario.has_value());
    CHECK(ok.warnings.empty());
    const auto& s = ok.scenario->script;
    REQUIRE(s.size() == 5);
    CHECK(s[0].type == ActionType::kill);
    CHECK(s[1].type == ActionType::freeze);
    CHECK(s[1].server == 1);
    CHECK(s[2].type == ActionType::thaw);
    CHECK(s[3].type == ActionType::stop);
    CHECK_FALSE(s[3].omapi_connected);
    CHECK(s[4].omapi_connected);  // omshell waits for its answer unless told otherwise
    // The scenario writer keeps them.
    const auto again = fosim::sim::parse_scenario(fosim::sim::write_scenario(*ok.scenario), "w");
    REQUIRE(again.scenario.has_value());
    CHECK(again.scenario->script[1].type == ActionType::freeze);
    CHECK_FALSE(again.scenario->script[3].omapi_connected);

    const auto bad =
        read(R"([{"at": "1m", "action": "restart", "server": "a", "omapi_connected": true},
      {"at": "2m", "action": "kill", "server": "a", "storage": "lost"}])");
    CHECK_FALSE(bad.scenario.has_value());
    REQUIRE(bad.errors.size() == 2);
    CHECK(bad.errors[0].path == "/script/0/omapi_connected");
    CHECK(bad.errors[1].path == "/script/1/storage");

    const auto odd = read(R"([{"at": "1m", "action": "thaw", "server": "a"},
      {"at": "2m", "action": "freeze", "server": "a"}, {"at": "3m", "action": "stop", "server": "a"}])");
    REQUIRE(odd.scenario.has_value());
    REQUIRE(odd.warnings.size() == 2);
    CHECK(odd.warnings[0].path == "/script/0/action");
    CHECK(odd.warnings[0].message.find("not frozen") != std::string::npos);
    CHECK(odd.warnings[1].path == "/script/2/action");
    CHECK(odd.warnings[1].message.find("OMAPI") != std::string::npos);
  }
}
