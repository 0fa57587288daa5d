// `fosim replay` on what admins paste: a cut excerpt, ISC's diagnostic lines, the log's own
// clock, compressed and UTF-16 files and standard input.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli_run.hpp"

using fosim::test::run_fosim;

namespace {

const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/replay/";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: an excerpt's first moves happened before the excerpt") {
    const auto r = run_fosim({"replay", data + "excerpt-first-moves.log", "--year", "2026"});
    // The primary's startup -> normal (a STATE from a normal partner before the cut) and the
    // secondary's startup timer (15 s after its start, link down) are no operator's doing.
    CHECK(has(r.out, "I move from startup to normal   [before the excerpt]"));
    CHECK(has(r.out, "I move from startup to communications-interrupted   [before the excerpt]"));
    CHECK_FALSE(has(r.out, "unexplained-move: dhcp-a moves from startup"));
    CHECK_FALSE(has(r.out, "unexplained-move: dhcp-b moves from startup"));
    // normal -> partner-down is a move ISC's machine never makes by itself.
    CHECK(has(r.out, "I move from normal to partner-down   [operator?]"));
    CHECK(has(r.out, "findings: 1; 1 unexplained-move"));
    CHECK(r.rc == 1);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: 'Both servers normal' makes both servers normal from that line") {
    const auto r = run_fosim({"replay", data + "both-normal-first.log", "--year", "2026"});
    CHECK(r.rc == 0);
    // Neither server is drawn in startup: the primary is normal until the link closes, the
    // secondary (which logs no failover line) normal to the end.
    CHECK(has(r.out, "dhcp-b (secondary): normal at the end"));
    CHECK(has(r.out, "dhcp-a |nnnnnnnn"));
    CHECK(has(r.out, "dhcp-b |nnnnnnnn"));
    CHECK_FALSE(has(r.out, "s startup"));
    // What ISC's machine needs to explain the later move: the link was up.
    CHECK(has(r.out, "I move from normal to communications-interrupted   [link-lost]"));
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: the timeline shows the log's own clock and the time since its start") {
    const auto r = run_fosim({"replay", data + "both-normal-first.log", "--year", "2026"});
    // Line 3 at 07:13:04 is 61 s after the first line at 07:12:03.
    CHECK(has(r.out, "Nov  4 07:13:04  +00:01:01.000  dhcp-a  peer dhcp-failover: disconnected"));
    CHECK(has(r.out, "Nov  4 07:12:09  +00:00:06.000  dhcp-b  DHCPDISCOVER"));
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: ISC's diagnostic lines are recognised and explained") {
    const auto r = run_fosim({"replay", data + "diagnostics.log", "--year", "2007"});
    CHECK(r.rc == 0);
    // The listener's line twice: shown once, with the count, and what it means.
    CHECK(has(r.out, "no-matching-peer: " + data +
                         "diagnostics.log:1: \"failover: listener: no matching state\" (and 1 "
                         "more)"));
    CHECK(has(r.out, "the peer's name or addresses do not match"));
    CHECK(has(r.out, "connect-refused: " + data + "diagnostics.log:3"));
    CHECK(has(r.out, "the partner refused this server's CONNECT"));
    CHECK(has(r.out, "peer-holds-all-free: " + data + "diagnostics.log:4"));
    CHECK(has(r.out, "pool-balance: " + data + "diagnostics.log:5"));
    CHECK(has(r.out, "lts (to send to the partner; negative: to get from it)"));
  }

  TEST_CASE("cli: replay: a lease file is pointed to fosim leases") {
    const auto r = run_fosim({"replay", data + "not-a-log.leases"});
    CHECK(r.rc == 2);
    CHECK(has(r.err, "not-a-log.leases is a lease file"));
    CHECK(has(r.err, "read it with `fosim leases " + data + "not-a-log.leases`"));
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: replay: a .gz file, UTF-16 text and standard input read as the plain log") {
    // The operator's partner-down log: its partner-down at 10:40:00, line 21, is flagged.
    const std::string flagged =
        "Nov  4 10:40:00  +00:42:00.000  dhcp-a  failover peer dhcp-failover: I move from "
        "communications-interrupted to partner-down   [operator?]";
    for (const char* name : {"operator-partner-down.log.gz", "operator-partner-down.utf16.log"}) {
      const auto r = run_fosim({"replay", data + name, "--year", "2026", "--no-dhcp"});
      CHECK_MESSAGE(r.rc == 1, name);
      CHECK_MESSAGE(has(r.out, flagged), name);
      CHECK_MESSAGE(has(r.out, "(" + data + name + ":21)"), name);
    }
    std::ifstream in(data + "operator-partner-down.log");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto piped =
        fosim::test::run_fosim_with_input({"replay", "-", "--year", "2026", "--no-dhcp"}, text);
    CHECK(piped.rc == 1);
    CHECK(has(piped.out, flagged));
    CHECK(has(piped.out, "(-:21)"));
  }

  TEST_CASE("cli: replay: a damaged .gz is bad input, naming the file") {
    std::ifstream in(data + "operator-partner-down.log.gz", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes.resize(bytes.size() / 2);
    const auto r = fosim::test::run_fosim_with_input({"replay", "-", "--year", "2026"}, bytes);
    CHECK(r.rc == 2);
    CHECK(has(r.err, "cannot read -: the compressed file ends early"));
  }
}

namespace {

/// The cells of the comparison row that starts with `name`, split at runs of two spaces.
std::vector<std::string> table_row(const std::string& out, const std::string& name) {
  std::vector<std::string> cells;
  const std::size_t at = out.find("\n" + name);
  if (at == std::string::npos) return cells;
  const std::string line = out.substr(at + 1, out.find('\n', at + 1) - at - 1);
  for (std::size_t i = name.size(); i < line.size();) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t end = std::min(line.find("  ", i), line.size());
    if (end > i) cells.push_back(line.substr(i, end - i));
    i = end;
  }
  return cells;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE(
      "cli: replay: an outage still open at the end stays open, and the what-if shows the "
      "split-brain window") {
    // Both servers time out at 10:00:27 / 10:00:29 and log on in communications-interrupted to
    // 10:04:30; the link never comes back. With auto-partner-down 60 each server moves to
    // partner-down 60 s after it entered communications-interrupted: both from about 10:01:27
    // (01:27 after the first line) to the end, apart.
    const auto r = run_fosim({"replay", data + "open-partition.log", "--year", "2026", "--what-if",
                              "auto_partner_down=60"});
    CHECK(has(r.out,
              "the link is still down at the end of the log: the partition from "
              "00:00:07.000 is kept to the end"));
    const std::string row = "both in partner-down (split-brain)";
    const auto cells = table_row(r.out, row);
    REQUIRE(cells.size() == 3);
    CHECK(cells[0] == "never");  // the log
    CHECK(cells[1] == "never");  // replayed as logged: communications-interrupted to the end
    CHECK(cells[2].find(" from 00:01:2") != std::string::npos);
    CHECK(table_row(r.out, "dhcp-a (primary): state at the end")[1] ==
          "communications-interrupted");
    CHECK(table_row(r.out, "dhcp-b (secondary): state at the end")[2] == "partner-down");
    // The what-if's swimlanes mark the window on a row of its own.
    CHECK(has(r.out, "split-brain |"));
    CHECK(has(r.out, "! both in partner-down"));
  }

  TEST_CASE("cli: replay: a server whose lines end at an open outage stays down to the end") {
    // The secondary's last line is a DHCPACK at 10:00:09; the primary times out at 10:00:29
    // (max-response-delay 20 s later) and serves on alone. A partition would let the secondary
    // serve and reach partner-down too; a dead secondary does neither.
    const auto r = run_fosim({"replay", data + "dead-secondary.log", "--year", "2026", "--what-if",
                              "auto_partner_down=60"});
    CHECK(has(r.out,
              "dhcp-b logs nothing after 00:00:09.000 while its partner logs on: taken "
              "to have crashed (its partner timed out) at 00:00:09.000 and to stay down "
              "to the end"));
    const auto end = table_row(r.out, "dhcp-b (secondary): state at the end");
    REQUIRE(end.size() == 3);
    CHECK(end[1] == "down");
    CHECK(end[2] == "down");
    CHECK(table_row(r.out, "dhcp-a (primary): state at the end")[2] == "partner-down");
    CHECK(table_row(r.out, "both in partner-down (split-brain)")[2] == "never");
    CHECK_FALSE(has(r.out, "split-brain |"));
  }
}
