// `fosim replay` as a user and a script see it: the flagged partner-down, the what-if table,
// the files, exit codes.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

const std::string log_file =
    std::string(FOSIM_SOURCE_DIR) + "/tests/data/replay/operator-partner-down.log";

fs::path scratch(const std::string& name) { return fosim::test::scratch_path("replay", name); }

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: the operator's partner-down is flagged, exit 1") {
    const auto r = run_fosim({"replay", log_file, "--year", "2026", "--no-dhcp"});
    CHECK(r.rc == 1);
    CHECK(r.out.find("00:42:00.000  dhcp-a  failover peer dhcp-failover: I move from "
                     "communications-interrupted to "
                     "partner-down   [operator?]") != std::string::npos);
    CHECK(
        r.out.find(
            "!! unexplained-move: dhcp-a moves from communications-interrupted to partner-down (" +
            log_file + ":21)") != std::string::npos);
    CHECK(r.out.find("!! duplicate-risk: dhcp-a in partner-down since 00:42:00.000 while dhcp-b "
                     "still answers") != std::string::npos);
    CHECK(r.out.find("time 0 = 2026-11-04 09:58:00.000 UTC") != std::string::npos);
    // The same log as one file per server, named on the command line.
    std::ifstream in(log_file);
    std::ofstream a(scratch("a.log")), b(scratch("b.log"));
    for (std::string line; std::getline(in, line);)
      (line.find(" dhcp-a ") != std::string::npos ? a : b) << line << "\n";
    a.close();
    b.close();
    const auto split =
        run_fosim({"replay", "--server", "dhcp-a=" + scratch("a.log").string(), "--server",
                   "dhcp-b=" + scratch("b.log").string(), "--year", "2026", "--no-dhcp"});
    CHECK(split.rc == 1);
    CHECK(split.out.find("[operator?]") != std::string::npos);
  }

  TEST_CASE("cli: replay --what-if: side by side with the log, files for each run") {
    const fs::path dir = scratch("out");
    const auto r = run_fosim({"replay", log_file, "--year", "2026", "--quiet", "--what-if",
                              "mclt=600", "--what-if", "auto_partner_down=600", "--out",
                              dir.string(), "--html", scratch("r.html").string()});
    CHECK(r.rc == 1);
    CHECK(r.out.find("== what if mclt=600 auto_partner_down=600") != std::string::npos);
    CHECK(r.out.find("dhcp-a (primary): first partner-down at") != std::string::npos);
    for (const char* f : {"timeline.jsonl", "summary.json", "states.dot", "scenario.json",
                          "what-if.json", "as-logged/summary.json", "what-if/summary.json"})
      CHECK_MESSAGE(fs::exists(dir / f), f);
    CHECK(fs::file_size(scratch("r.html")) > 1000);
    std::ifstream s(dir / "summary.json");
    const auto summary = nlohmann::json::parse(s);
    CHECK(summary["finding_counts"]["unexplained-move"] == 1);
    CHECK(summary["servers"][0]["host"] == "dhcp-a");
    // With auto-partner-down 600 on, the secondary times out at 00:17:31 and, 600 s later,
    // enters partner-down by itself in the what-if run.
    std::ifstream w(dir / "what-if.json");
    const auto what_if = nlohmann::json::parse(w);
    CHECK(what_if["servers"][0]["mclt"] == 600);
    CHECK(what_if["servers"][1]["auto_partner_down"] == 600);
    std::ifstream ws(dir / "what-if" / "summary.json");
    const auto run = nlohmann::json::parse(ws);
    CHECK(run["servers"][1]["time_in_state_s"].contains("partner-down"));
  }

  TEST_CASE("cli: replay: bad input is exit 2, before anything is written") {
    CHECK(run_fosim({"replay"}).rc == 2);
    CHECK(run_fosim({"replay", scratch("missing.log").string()}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--what-if", "mtu=1500"}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--what-if", "mclt"}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--format", "xml"}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--server", "noequals"}).rc == 2);
    std::ofstream(scratch("other.log")) << "Nov  4 10:00:00 host kernel: eth0 link up\n";
    const auto none = run_fosim({"replay", scratch("other.log").string()});
    CHECK(none.rc == 2);
    CHECK(none.err.find("no ISC dhcpd line") != std::string::npos);
    std::ofstream(scratch("three.log")) << "Nov  4 10:00:00 a dhcpd: peer x: disconnected\n"
                                        << "Nov  4 10:00:01 b dhcpd: peer x: disconnected\n"
                                        << "Nov  4 10:00:02 c dhcpd: peer x: disconnected\n";
    const auto three = run_fosim({"replay", scratch("three.log").string()});
    CHECK(three.rc == 2);
    CHECK(three.err.find(":3: a third server 'c'") != std::string::npos);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: --config gives the roles by failover address; local-state 1 flagged") {
    // The files make dhcp-b (its `address dhcp-b.example.net`) the primary, though the log
    // names dhcp-a first; dhcp-b's move to startup at 10:05:00 with its old pid 640 is an
    // operator's local-state 1, its move at 10:20:00 with pid 655 a restart.
    const std::string peer_block =
        "failover peer \"dhcp-failover\" {\n  %ROLE%;\n  address %SELF%;\n  peer address "
        "%PEER%;\n  max-response-delay 30;\n  load balance max seconds 3;\n%LB%}\n"
        "subnet 192.0.2.0 netmask 255.255.255.0 {\n  pool {\n    failover peer "
        "\"dhcp-failover\";\n    range 192.0.2.100 192.0.2.199;\n  }\n}\n";
    auto conf = [&](const std::string& role, const std::string& self, const std::string& other,
                    const std::string& lb) {
      std::string t = peer_block;
      for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
               {"%ROLE%", role}, {"%SELF%", self}, {"%PEER%", other}, {"%LB%", lb}})
        t.replace(t.find(from), from.size(), to);
      return t;
    };
    std::ofstream(scratch("p.conf")) << conf("primary", "dhcp-b.example.net", "dhcp-a.example.net",
                                             "  mclt 300;\n  split 128;\n");
    std::ofstream(scratch("s.conf"))
        << conf("secondary", "dhcp-a.example.net", "dhcp-b.example.net", "");
    const auto r = run_fosim(
        {"replay", std::string(FOSIM_SOURCE_DIR) + "/tests/data/replay/local-state-startup.log",
         "--year", "2026", "--no-dhcp", "--config", scratch("p.conf").string(), "--config",
         scratch("s.conf").string()});
    CHECK(r.rc == 1);
    CHECK(r.out.find("dhcp-b (primary)") != std::string::npos);
    CHECK(r.out.find("dhcp-a (secondary)") != std::string::npos);
    CHECK(r.out.find("taken to be the primary") == std::string::npos);
    CHECK(r.out.find("I move from normal to startup   [operator]") != std::string::npos);
    CHECK(r.out.find("!! operator-startup: dhcp-b moves from normal to startup without "
                     "starting") != std::string::npos);
    CHECK(r.out.find("I move from communications-interrupted to startup   [boot]") !=
          std::string::npos);
  }

  TEST_CASE(
      "cli: replay: journalctl short-iso, one file per server, a crash and a restart without "
      "storage") {
    // The secondary-lost-storage run as each server's journal would show it.
    const auto run =
        run_fosim({"run", std::string(FOSIM_SOURCE_DIR) + "/scenarios/secondary-lost-storage.json",
                   "--format", "rfc5424"});
    REQUIRE(run.rc == 0);
    std::istringstream in(run.out);
    std::ofstream a(scratch("journal-a.log")), b(scratch("journal-b.log"));
    a << "-- Logs begin at Thu 1970-01-01 00:00:00 UTC. --\n";
    for (std::string line; std::getline(in, line);) {
      // "<30>1 1970-01-01T01:00:27.252Z dhcp-a dhcpd 1000 - - MSG" -> "1970-01-01T01:00:27+0000
      // dhcp-a dhcpd[1000]: MSG"
      std::istringstream f(line);
      std::string pri, stamp, host, app, pid, msgid, sd;
      f >> pri >> stamp >> host >> app >> pid >> msgid >> sd;
      std::string msg;
      std::getline(f, msg);
      (host == "dhcp-a" ? a : b) << stamp.substr(0, 19) << "+0000 " << host << " dhcpd[" << pid
                                 << "]:" << msg << "\n";
    }
    a.close();
    b.close();
    const fs::path dir = scratch("journal-out");
    const auto r =
        run_fosim({"replay", scratch("journal-a.log").string(), scratch("journal-b.log").string(),
                   "--quiet", "--primary", "dhcp-a", "--out", dir.string()});
    CHECK(r.rc == 1);  // the operator's partner-down at 1h02m
    std::ifstream s(dir / "scenario.json");
    const auto sc = nlohmann::json::parse(s);
    const auto& script = sc["script"];
    REQUIRE(script.size() == 3);
    // dhcp-a timed out at 01:00:27: the crash is max-response-delay (20 s, ISC's default, as no
    // configuration was given) before; the restart from recover means the lease file was lost.
    CHECK(script[0]["action"] == "crash");
    CHECK(script[0]["server"] == "dhcp-b");
    CHECK(script[0]["at"] == 3607);
    CHECK(script[1]["action"] == "set-state");
    CHECK(script[1]["at"] == 3720);
    CHECK(script[2]["action"] == "start");
    CHECK(script[2]["at"] == 4200);
    CHECK(script[2]["storage"] == "lost");
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: what a log cannot say is said, not guessed") {
    // New Year in two files: Dec 31 in one, Jan 1 in the other, read in either order.
    std::ofstream(scratch("dec.log"))
        << "Dec 31 23:59:58 dhcp-a dhcpd[1]: failover peer p: I move from normal to startup\n"
        << "Dec 31 23:59:59 dhcp-a dhcpd[1]: peer p: disconnected\n";
    std::ofstream(scratch("jan.log"))
        << "Jan  1 00:00:01 dhcp-b dhcpd[2]: failover peer p: I move from normal to startup\n";
    for (const auto& order : {std::pair{"dec.log", "jan.log"}, std::pair{"jan.log", "dec.log"}}) {
      const auto r = run_fosim(
          {"replay", scratch(order.first).string(), scratch(order.second).string(), "--quiet"});
      CHECK(r.out.find("00:00:00.000 - 00:00:03.000") != std::string::npos);  // 3 s, not a year
    }
    // A second failover peer's lines are left out, and counted.
    std::ofstream(scratch("two.log"))
        << "Nov  4 10:00:00 a dhcpd: failover peer p1: I move from normal to startup\n"
        << "Nov  4 10:00:00 a dhcpd: failover peer p2: I move from normal to startup\n"
        << "Nov  4 10:00:01 b dhcpd: failover peer p1: I move from normal to startup\n";
    const auto two = run_fosim({"replay", scratch("two.log").string(), "--quiet"});
    CHECK(two.rc == 0);
    CHECK(two.out.find("1 line(s) of failover peer p2 were left out") != std::string::npos);
    // An impossible date is left out with its file and line.
    std::ofstream(scratch("feb.log"))
        << "Feb 30 10:00:00 a dhcpd: failover peer p: I move from normal to startup\n"
        << "Mar  1 10:00:00 a dhcpd: failover peer p: I move from normal to startup\n";
    const auto feb =
        run_fosim({"replay", scratch("feb.log").string(), "--quiet", "--year", "2026"});
    CHECK(feb.err.find(scratch("feb.log").string() + ":1: an impossible timestamp") !=
          std::string::npos);
  }

  TEST_CASE("cli: replay: inputs and options that cannot work are exit 2, and write nothing") {
    CHECK(run_fosim({"replay", log_file, log_file}).rc == 2);  // the same file twice
    CHECK(run_fosim({"replay", log_file, "--primary", "nobody"}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--what-if", "mclt=600", "--what-if", "mclt=700"}).rc ==
          2);
    CHECK(run_fosim({"replay", log_file, "--what-if", "mclt=0"}).rc == 2);
    CHECK(run_fosim({"replay", scratch("").string()}).rc == 2);  // a directory
    CHECK(run_fosim({"replay", log_file, "--out", ""}).rc == 2);
    CHECK(run_fosim({"replay", log_file, "--html", scratch("").string()}).rc == 2);
    // A directory of someone else's where a run would go: refused before anything is written.
    const fs::path dir = scratch("in-the-way");
    fs::create_directories(dir / "what-if" / "mine");
    const auto r = run_fosim({"replay", log_file, "--year", "2026", "--quiet", "--what-if",
                              "mclt=600", "--out", dir.string()});
    CHECK(r.rc == 2);
    CHECK(r.err.find("a directory fosim did not write is in the way") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "summary.json"));
    CHECK_FALSE(fs::exists(dir / "timeline.jsonl.tmp"));
    CHECK_FALSE(fs::exists(dir / "as-logged"));
  }
}

namespace {

/// The row of `host` in the swimlane that follows the heading `label:` in `out` (between the
/// bars), or empty.
std::string lane(const std::string& out, const std::string& label, const std::string& host) {
  const std::size_t at = out.find("\n" + label + ":\n");
  if (at == std::string::npos) return {};
  const std::size_t row = out.find("\n" + host + " |", at);
  if (row == std::string::npos) return {};
  const std::size_t start = row + host.size() + 3;
  return out.substr(start, out.find('|', start) - start);
}

/// Writes a log in which dhcp-b restarts at 10:20:00 (20 min in) and dhcp-a timed out waiting
/// for it at 10:10:00; the last line is at 10:44:30. Returns its path.
fs::path restart_log(const std::string& name) {
  std::ofstream(scratch(name))
      << "Nov  4 10:00:00 dhcp-a dhcpd[1]: failover peer p: I move from normal to startup\n"
      << "Nov  4 10:00:00 dhcp-b dhcpd[2]: failover peer p: I move from normal to startup\n"
      << "Nov  4 10:00:01 dhcp-a dhcpd[1]: failover peer p: peer moves from normal to normal\n"
      << "Nov  4 10:00:01 dhcp-a dhcpd[1]: failover peer p: I move from startup to normal\n"
      << "Nov  4 10:00:01 dhcp-b dhcpd[2]: failover peer p: peer moves from normal to normal\n"
      << "Nov  4 10:00:01 dhcp-b dhcpd[2]: failover peer p: I move from startup to normal\n"
      << "Nov  4 10:10:00 dhcp-a dhcpd[1]: timeout waiting for failover peer p\n"
      << "Nov  4 10:10:00 dhcp-a dhcpd[1]: failover peer p: I move from normal to "
         "communications-interrupted\n"
      << "Nov  4 10:20:00 dhcp-b dhcpd[3]: failover peer p: I move from normal to startup\n"
      << "Nov  4 10:44:30 dhcp-a dhcpd[1]: failover peer p: Both servers normal\n";
  return scratch(name);
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: replay --what-if: a server that is not running is drawn down in the runs") {
    // The rebuilt script crashes dhcp-b max-response-delay (20 s) before, at 580 s, and starts
    // it at 1200 s. The last line is at 44:30, so the runs last 2730 s: 91 columns of 30 s.
    const fs::path log = restart_log("restart.log");
    const auto r =
        run_fosim({"replay", log.string(), "--year", "2026", "--no-dhcp", "--what-if", "mclt=600"});
    REQUIRE(r.rc <= 1);
    // Column 19 is 570-600 s: down for 20 s of its 30. Columns 20-39 are 600-1200 s: down.
    // Column 40 starts at 1200 s, when dhcp-b runs again.
    const std::string down(21, '-');
    for (const std::string label : {"replayed as logged", "mclt=600"}) {
      CAPTURE(label);
      const std::string b = lane(r.out, label, "dhcp-b");
      REQUIRE(b.size() == 91);
      CHECK(b.substr(19, 21) == down);
      CHECK(b[18] != '-');
      CHECK(b[40] != '-');
      CHECK(b.find('-', 41) == std::string::npos);
      CHECK(lane(r.out, label, "dhcp-a").find('-') == std::string::npos);
    }
    // The log itself shows no process: its lane holds the states logged.
    CHECK(lane(r.out, "logged", "dhcp-b").find('-') == std::string::npos);
    CHECK(r.out.find("one column = 30 s;") != std::string::npos);
  }

  TEST_CASE("cli: replay --what-if: a server not running at the end of a run ends down") {
    // The restart log played to 1000 s only: dhcp-b crashes at 580 s and starts again at
    // 1200 s, after the end of the what-if run. The log's own last word for dhcp-b is startup;
    // the run as logged brings it back to normal.
    const fs::path log = restart_log("restart-end.log");
    const auto r = run_fosim(
        {"replay", log.string(), "--year", "2026", "--no-dhcp", "--what-if", "duration=1000s"});
    REQUIRE(r.rc <= 1);
    // The names are 46 wide (the longest is 44); the log's column 28, for dhcp-a's
    // "communications-interrupted" (26); the run as logged's the 24 of a short table.
    CHECK(r.out.find("\ndhcp-a (primary): state at the end            communications-interrupted  "
                     "normal                  communications-interrupted\n") != std::string::npos);
    CHECK(r.out.find("\ndhcp-b (secondary): state at the end          startup                     "
                     "normal                  down\n") != std::string::npos);
  }
}
