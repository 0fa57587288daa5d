// Rebuilding an outage from logs: a hand-written log of an operator's partner-down, and the
// logs the simulator writes for every library scenario, which must replay to the same moves.
#include "fosim/replay/replay.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/sim/simulator.hpp"

namespace fs = std::filesystem;
using fosim::core::State;
using fosim::sim::Replay;
using fosim::sim::ReplayFinding;

namespace {

/// Feeds every understood line of `text` to `r`.
void feed(Replay& r, const std::string& text, const std::string& file, int year) {
  std::istringstream in(text);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto header = fosim::sim::parse_log_line(line, year);
    if (!header || !header->time_ms) continue;
    const auto event = fosim::sim::classify(header->message);
    if (!event) continue;
    std::string error;
    REQUIRE(r.add(header->host, *header->time_ms, *event, header->message, file, n, error,
                  header->pid));
  }
  r.finish();
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const Replay& r, ReplayFinding::Kind k) {
  const auto it = r.finding_counts().find(k);
  return it == r.finding_counts().end() ? 0 : it->second;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("replay: a hand-written outage with an operator's partner-down") {
    Replay r({}, nullptr);
    feed(r, read(fs::path(FOSIM_SOURCE_DIR) / "tests/data/replay/operator-partner-down.log"),
         "opd.log", 2026);
    REQUIRE(r.servers().size() == 2);
    CHECK(r.relationship() == "dhcp-failover");
    // The partner-down at 10:40:00 follows nothing ISC reacts to: flagged, line 21.
    REQUIRE(count(r, ReplayFinding::Kind::unexplained_move) == 1);
    const ReplayFinding& f = r.findings().front();
    CHECK(f.kind == ReplayFinding::Kind::unexplained_move);
    CHECK(f.line == 21);
    CHECK(f.at == fosim::core::Instant{std::chrono::minutes(42)});  // 10:40:00 - 09:58:00
    CHECK(f.why.find("operator's OMAPI local-state 4") != std::string::npos);
    // 10:40:00 - 10:15:30 = 1470 s in communications-interrupted.
    CHECK(f.why.find("auto-partner-down is set to 1470 s") != std::string::npos);
    // dhcp-b still answered at 10:52:08 while dhcp-a was in partner-down; at 11:20:01 dhcp-a gave
    // the same address to another client.
    CHECK(count(r, ReplayFinding::Kind::duplicate_risk) == 1);
    CHECK(count(r, ReplayFinding::Kind::duplicate_address) == 1);
    // The ACK that shows it is quoted in the catalogue's wording, without the line's "via eth0".
    std::size_t risks = 0;
    for (const ReplayFinding& risk : r.findings()) {
      if (risk.kind != ReplayFinding::Kind::duplicate_risk) continue;
      ++risks;
      CHECK(risk.what ==
            "dhcp-a in partner-down since 00:42:00.000 while dhcp-b still answers clients "
            "(DHCPACK on 192.168.102.180 to 52:54:00:11:22:33)");
    }
    CHECK(risks == 1);
    CHECK(count(r, ReplayFinding::Kind::inconsistent) == 0);
    // Every other move is one ISC's machine makes: startup, link loss, the conflict resolution.
    const auto& a = r.servers()[0];
    CHECK(a.host == "dhcp-a");
    REQUIRE(a.states.size() == 7);
    CHECK(a.states.back().second == State::normal);

    // The outage as a scenario: a partition from max-response-delay (20 s, ISC's default)
    // before the first timeout to 1 s before the link came back, and the operator's move.
    std::vector<std::string> notes;
    const auto sc = r.scenario(notes);
    REQUIRE(sc);
    REQUIRE(sc->script.size() == 3);
    CHECK(sc->script[0].type == fosim::sim::ActionType::partition);
    CHECK(sc->script[0].at == fosim::core::Instant{std::chrono::seconds(17 * 60 + 30 - 20)});
    CHECK(sc->script[1].type == fosim::sim::ActionType::set_state);
    CHECK(sc->script[1].state == State::partner_down);
    CHECK(sc->script[1].at == fosim::core::Instant{std::chrono::minutes(42)});
    CHECK(sc->script[2].type == fosim::sim::ActionType::heal);
    CHECK(sc->script[2].at == fosim::core::Instant{std::chrono::seconds(93 * 60 + 2 - 1)});
    REQUIRE(sc->clients.size() == 1);
    CHECK(sc->clients[0].count == 3);
    CHECK(sc->pool.first == 0xc0a86678);  // 192.168.102.120 .. .180, the addresses seen
    CHECK(sc->pool.last == 0xc0a866b4);
    // It is a valid scenario file.
    const auto back = fosim::sim::parse_scenario(fosim::sim::write_scenario(*sc), "replay.json");
    CHECK(back.errors.empty());

    auto changed = *sc;
    CHECK_FALSE(fosim::sim::apply_what_if(changed, "mclt=600"));
    CHECK(changed.servers[0].config.mclt_s == 600);
    CHECK_FALSE(fosim::sim::apply_what_if(changed, "auto_partner_down=1h"));
    CHECK(changed.servers[1].config.auto_partner_down_s == 3600);
    CHECK_FALSE(fosim::sim::apply_what_if(changed, "secondary.max_response_delay=10"));
    CHECK(changed.servers[1].config.max_response_delay_s == 10);
    CHECK_FALSE(changed.servers[0].config.max_response_delay_s);
    CHECK(fosim::sim::apply_what_if(changed, "mtu=1500"));
    CHECK(fosim::sim::apply_what_if(changed, "split=300"));
    CHECK(fosim::sim::apply_what_if(changed, "mclt"));
  }

  TEST_CASE("replay: a move to startup is a start only after the lines of one") {
    SUBCASE("classic syslog: the same pid is an operator's local-state 1, a new pid a restart") {
      // dhcp-b logs `normal to startup` at 10:05:00 with pid 640 as before and no banner: an
      // OMAPI local-state 1, not a restart (line 8). At 10:20:00 it logs with pid 655 and no
      // banner, as Debian's `dhcpd -q` starts: a restart.
      Replay r({}, nullptr);
      feed(r, read(fs::path(FOSIM_SOURCE_DIR) / "tests/data/replay/local-state-startup.log"),
           "ls1.log", 2026);
      REQUIRE(count(r, ReplayFinding::Kind::operator_startup) == 1);
      const ReplayFinding& f = r.findings().front();
      CHECK(f.line == 8);
      CHECK(f.server == 1);
      CHECK(f.at == fosim::core::Instant{std::chrono::minutes(7)});  // 10:05:00 - 09:58:00
      CHECK(f.what ==
            "dhcp-b moves from normal to startup without starting: no banner and the "
            "same pid 640 since its last move");
      CHECK(f.why.find("OMAPI local-state 1") != std::string::npos);
      CHECK(count(r, ReplayFinding::Kind::unexplained_move) == 0);
      CHECK(count(r, ReplayFinding::Kind::inconsistent) == 0);
      // As a scenario: the operator's set-state at 7 min; the restart a crash at dhcp-b's last
      // line of pid 640 (10:05:15: 7 min 15 s) and a start at 22 min keeping the lease file.
      std::vector<std::string> notes;
      const auto sc = r.scenario(notes);
      REQUIRE(sc);
      REQUIRE(sc->script.size() == 3);
      CHECK(sc->script[0].type == fosim::sim::ActionType::set_state);
      CHECK(sc->script[0].state == State::startup);
      CHECK(sc->script[0].server == 1);
      CHECK(sc->script[0].at == fosim::core::Instant{std::chrono::minutes(7)});
      CHECK(sc->script[1].type == fosim::sim::ActionType::crash);
      CHECK(sc->script[1].at == fosim::core::Instant{std::chrono::seconds(7 * 60 + 15)});
      CHECK(sc->script[2].type == fosim::sim::ActionType::start);
      CHECK(sc->script[2].at == fosim::core::Instant{std::chrono::minutes(22)});
      CHECK(sc->script[2].keep_storage);
    }
    SUBCASE("fosim's text timeline, no pids: only the banner marks a start") {
      const std::string log =
          "00:00:00.000  dhcp-a  Internet Systems Consortium DHCP Server 4.4.3-P1\n"
          "00:00:00.000  dhcp-a  failover peer dhcp-failover: I move from normal to startup\n"
          "00:00:15.000  dhcp-a  failover peer dhcp-failover: I move from startup to "
          "communications-interrupted\n"
          "00:10:00.000  dhcp-a  failover peer dhcp-failover: I move from "
          "communications-interrupted to startup\n"
          "00:10:15.000  dhcp-a  failover peer dhcp-failover: I move from startup to "
          "communications-interrupted\n"
          "00:20:00.000  dhcp-a  Internet Systems Consortium DHCP Server 4.4.3-P1\n"
          "00:20:00.000  dhcp-a  failover peer dhcp-failover: I move from "
          "communications-interrupted to startup\n";
      Replay r({}, nullptr);
      feed(r, log, "text.log", 1970);
      // The move at 10 min (line 4) has no banner before it; the one at 20 min has.
      REQUIRE(count(r, ReplayFinding::Kind::operator_startup) == 1);
      CHECK(r.findings().front().line == 4);
      CHECK(r.findings().front().what ==
            "dhcp-a moves from communications-interrupted to startup without starting: no "
            "banner since its last move");
      CHECK(count(r, ReplayFinding::Kind::unexplained_move) == 0);
      REQUIRE(r.servers()[0].states.size() == 5);
    }
  }

  TEST_CASE("replay: roles come from the configuration's failover addresses") {
    // The primary declares `address 10.0.0.1; peer address dhcp-b.example.net;`, the
    // secondary `address dhcp-b.example.net; peer address 10.0.0.1;`. The log's hosts are
    // dhcp-b (syslog's short name), seen first, and 10.0.0.1 (a remote syslog's address).
    fosim::sim::Scenario known;
    known.servers[0].host = "primary-conf";
    known.servers[0].config.role = fosim::core::Role::primary;
    known.servers[0].config.address = "10.0.0.1";
    known.servers[0].config.peer_address = "dhcp-b.example.net";
    known.servers[1].host = "secondary-conf";
    known.servers[1].config.role = fosim::core::Role::secondary;
    known.servers[1].config.address = "dhcp-b.example.net";
    known.servers[1].config.peer_address = "10.0.0.1";
    const std::string log =
        "Nov  4 09:58:00 dhcp-b dhcpd[640]: failover peer dhcp-failover: I move from normal to "
        "startup\n"
        "Nov  4 09:58:00 10.0.0.1 dhcpd[812]: failover peer dhcp-failover: I move from normal "
        "to startup\n";
    SUBCASE("with the configuration: dhcp-b is the secondary though it comes first") {
      fosim::sim::ReplayConfig config;
      config.known = known;
      Replay r(config, nullptr);
      feed(r, log, "roles.log", 2026);
      REQUIRE(r.servers().size() == 2);
      CHECK(r.servers()[0].host == "dhcp-b");
      CHECK(r.servers()[0].role == fosim::core::Role::secondary);
      CHECK(r.servers()[1].role == fosim::core::Role::primary);
      CHECK(r.notes().empty());
    }
    SUBCASE("without it: the first host is guessed to be the primary, with a note") {
      Replay r({}, nullptr);
      feed(r, log, "roles.log", 2026);
      CHECK(r.servers()[0].role == fosim::core::Role::primary);
      REQUIRE(r.notes().size() == 1);
    }
    SUBCASE("a host the configuration does not name is guessed, with a note") {
      known.servers[1].config.address = "192.0.2.9";
      known.servers[0].config.peer_address = "192.0.2.9";
      fosim::sim::ReplayConfig config;
      config.known = known;
      Replay r(config, nullptr);
      feed(r, log, "roles.log", 2026);
      CHECK(r.servers()[1].role == fosim::core::Role::primary);    // 10.0.0.1, by its address
      CHECK(r.servers()[0].role == fosim::core::Role::secondary);  // the one left
      CHECK(r.notes().front().find("dhcp-b is neither server's failover address") == 0);
    }
  }

  TEST_CASE(
      "replay: what the simulator logs replays to the same moves, for every library scenario") {
    // Once as RFC 5424 (a new pid at each start) and once as fosim's text timeline, which has no
    // pid: there the banner each start logs is what makes a move to startup a start.
    for (const bool text : {false, true})
      for (const auto& entry : fs::directory_iterator(fs::path(FOSIM_SOURCE_DIR) / "scenarios")) {
        if (entry.path().extension() != ".json") continue;
        CAPTURE(entry.path().string());
        CAPTURE(text);
        const auto loaded = fosim::sim::load_scenario(entry.path().string());
        REQUIRE(loaded.scenario);
        const fosim::sim::Scenario& sc = *loaded.scenario;
        std::ostringstream log;
        fosim::sim::SyslogTimeline syslog(log, {sc.servers[0].host, sc.servers[1].host}, true);
        fosim::sim::TextTimeline timeline(log, {sc.servers[0].host, sc.servers[1].host});
        fosim::sim::Simulator sim(sc, sc.seed,
                                  text ? static_cast<fosim::sim::TraceSink*>(&timeline) : &syslog);
        sim.run();

        fosim::sim::ReplayConfig config;
        config.primary = sc.servers[0].host;
        config.known = sc;
        Replay r(config, nullptr);
        feed(r, log.str(), entry.path().filename().string(), 1970);
        // Each server's moves, in order, as the simulator made them.
        for (std::size_t i = 0; i < 2; ++i) {
          std::vector<State> simulated, replayed;
          for (const auto& [when, who, to] : sim.stats().state_log)
            if (who == i) simulated.push_back(to);
          for (const auto& s : r.servers())
            if (s.host == sc.servers[i].host)
              for (const auto& [at, state] : s.states) replayed.push_back(state);
          CHECK(replayed == simulated);
        }
        // The only moves the model cannot explain are the operator's set-state actions; every
        // start (restarts included) is a boot, never an operator's local-state 1.
        std::uint64_t forced = 0, to_startup = 0;
        for (std::size_t i = 0; i < 2; ++i)
          for (const auto& [pair, n] : sim.stats().operator_moves[i])
            (pair.second == State::startup ? to_startup : forced) += n;
        for (const auto& f : r.findings())
          if (f.kind == ReplayFinding::Kind::unexplained_move)
            INFO(f.what, " ", f.file, ":", f.line);
        CHECK(count(r, ReplayFinding::Kind::unexplained_move) == forced);
        CHECK(count(r, ReplayFinding::Kind::operator_startup) == to_startup);
        CHECK(count(r, ReplayFinding::Kind::inconsistent) == 0);
        // Every duplicate the simulator's monitor saw is found in the log (split-brain: 19).
        CHECK(count(r, ReplayFinding::Kind::duplicate_address) == sim.stats().duplicates.size());
      }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("replay: overlapping pasted excerpts") {
    SUBCASE("systemctl status after journalctl: its lines are left out, not replayed again") {
      // journalctl shows 11 dhcpd lines; systemctl status then repeats the last 7 of them
      // (same time, host, pid and text). Replayed: 11 lines, one OFFER, two moves; the two
      // DHCPDISCOVERs logged within 10:16:10 in the journalctl part are a client's retry, kept.
      Replay r({}, nullptr);
      feed(r, read(fs::path(FOSIM_SOURCE_DIR) / "tests/data/replay/journalctl-then-status.log"),
           "paste.log", 2026);
      REQUIRE(r.servers().size() == 1);
      CHECK(r.lines() == 11);
      CHECK(r.servers()[0].offers == 1);
      CHECK(r.servers()[0].states.size() == 2);
      CHECK(r.end() == fosim::core::Instant{std::chrono::seconds(160)});  // 10:14:00 to 10:16:40
      bool noted = false, out_of_order = false;
      for (const std::string& n : r.notes()) {
        noted = noted || n.rfind("7 line(s) repeated an earlier line", 0) == 0;
        out_of_order = out_of_order || n.find("earlier than the line before") != std::string::npos;
      }
      CHECK(noted);
      CHECK_FALSE(out_of_order);
    }
    SUBCASE("equal words at another time are a line of their own") {
      // A renewal logs the same words later. Lines at 10:00, 10:20, then a step back to a
      // second excerpt: its 10:00 line repeats the first (left out), its 10:30 line has
      // another time and is new. 3 lines replayed, 3 ACKs.
      Replay r({}, nullptr);
      const std::string ack =
          " dhcp-a dhcpd[812]: DHCPACK on 10.0.0.5 to 52:54:00:aa:bb:cc via eth0\n";
      feed(r,
           "Nov  4 10:00:00" + ack + "Nov  4 10:20:00" + ack + "Nov  4 10:00:00" + ack +
               "Nov  4 10:30:00" + ack,
           "twice.log", 2026);
      CHECK(r.lines() == 3);
      CHECK(r.servers()[0].acks == 3);
    }
  }
}
