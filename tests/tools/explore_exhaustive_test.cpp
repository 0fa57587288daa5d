// `fosim explore --exhaustive`: the shortest way to a split brain is one operator's partner-down
// while the partner still serves, no sequence of partitions and crashes with storage kept breaks
// safety, and the counter-example it writes is a scenario `fosim run` plays to the same duplicate.
#include "fosim/tools/explore_exhaustive.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

fs::path scratch(const std::string& name) {
  return fosim::test::scratch_path("explore-exhaustive", name);
}

/// A split network: MCLT 600 s, 1200-s leases, 10 addresses, 8 clients on each side arriving
/// from 20 to 25 minutes: more than either server's own share of the pool, so a server that
/// takes over its partner's free addresses hands some of them out.
std::string split_network() {
  const fs::path file = scratch("split.json");
  std::ofstream(file) << R"({
  "name": "split",
  "relationship": "dhcp-failover",
  "duration": "2h",
  "servers": [
    {"host": "dhcp-a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
     "max_response_delay": 30, "max_unacked_updates": 10, "mclt": 600, "split": 128},
    {"host": "dhcp-b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
     "max_response_delay": 30, "max_unacked_updates": 10}
  ],
  "pool": {"range": ["10.0.0.100", "10.0.0.109"], "default_lease_time": 1200,
           "max_lease_time": 3600},
  "clients": [
    {"count": 8, "reach": "primary", "arrival": {"start": "20m", "window": "5m"}},
    {"count": 8, "reach": "secondary", "arrival": {"start": "20m", "window": "5m"}}
  ]
})";
  return file.string();
}

/// The row of `table` for `invariant`, without its name.
std::string row(const std::string& out, const std::string& invariant) {
  const std::size_t at = out.find("  " + invariant + ": ");
  REQUIRE(at != std::string::npos);
  const std::size_t from = at + invariant.size() + 4;
  return out.substr(from, out.find('\n', from) - from);
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE(
      "explore --exhaustive: one operator's partner-down on a live partner is enough for "
      "a duplicate, and it takes four steps") {
    // Without partner-down the protocol promises safety, so a duplicate needs a server that
    // hands out its partner's addresses: one in partner-down, which is offered only in
    // communications-interrupted, which takes a partition and a wait past
    // max-response-delay; the takeover then waits out the MCLT, a step of its own after the
    // operator's. Meanwhile the partner, alive on its side of the cut, goes on granting its
    // own free addresses, which the server in partner-down believes still free. At least four
    // steps, so three find nothing.
    const std::string file = split_network();
    const auto three = run_fosim(
        {"explore", file, "--exhaustive", "--depth", "3", "--actions", "partition,partner-down"});
    CHECK(three.rc == 0);
    CHECK(row(three.out, "duplicate-address") == "none within 3 steps");

    const auto five = run_fosim(
        {"explore", file, "--exhaustive", "--depth", "5", "--actions", "partition,partner-down"});
    CHECK(five.rc == 1);
    const std::string dup = row(five.out, "duplicate-address");
    CHECK(dup.rfind("partition, wait ", 0) == 0);
    CHECK(dup.find("partner-down") != std::string::npos);
    CHECK(
        dup.find("(4 steps; needs an operator's partner-down; the split brain of partner-down)") !=
        std::string::npos);
    // Partitions and partner-down alone never keep a lease past ack + MCLT, and every heal
    // brings both back to normal.
    CHECK(row(five.out, "mclt-violation") == "none within 5 steps");
    CHECK(row(five.out, "not-normal") == "none within 5 steps");
  }

  TEST_CASE(
      "explore --exhaustive: partitions and crashes with the lease files kept break "
      "nothing") {
    const std::string file = split_network();
    const auto r = run_fosim({"explore", file, "--exhaustive", "--depth", "4", "--actions",
                              "partition,crash", "--lost-storage", "0"});
    CHECK(r.rc == 0);
    CHECK(row(r.out, "duplicate-address") == "none within 4 steps");
    CHECK(row(r.out, "mclt-violation") == "none within 4 steps");
    CHECK(row(r.out, "not-normal") == "none within 4 steps");
  }

  TEST_CASE(
      "explore --exhaustive: crashes that lose both lease files deadlock ISC in five steps, "
      "and not the draft") {
    // The primary crashes and starts without its file: recover, UPDREQALL to the partner,
    // UPDDONE, then recover-wait for its 600-s MCLT. One max-response-delay later the
    // secondary crashes and starts without its file too. It enters recover before the link is
    // back, so it never sends UPDREQALL, and in ISC's table recover meeting recover-wait or
    // recover-done does nothing: the primary's MCLT timer takes it to recover-done and the
    // pair stays recover-done / recover (the hazard recover-done-meets-recover, marked
    // lost-storage). Draft-12 section 9.5.2 has the recovering server ask whatever the
    // partner's state, so the same search under draft-12 finds no not-normal at all.
    const std::string file = split_network();
    const auto r = run_fosim({"explore", file, "--exhaustive", "--depth", "5", "--actions", "crash",
                              "--compare-profiles"});
    CHECK(r.rc == 1);
    const std::size_t draft = r.out.find("under draft-12: ");
    REQUIRE(draft != std::string::npos);
    const std::string isc = r.out.substr(0, draft), d12 = r.out.substr(draft);
    CHECK(row(isc, "not-normal") ==
          "crash primary, start primary (lease file lost), wait max-response-delay (31s), crash "
          "secondary, start secondary (lease file lost), then the settle bound (5 steps; no "
          "operator action; explained by lost-storage)");
    CHECK(row(isc, "lost-storage").rfind("crash primary, start primary (lease file lost)", 0) == 0);
    CHECK(row(d12, "not-normal") == "none within 5 steps");
    CHECK(row(isc, "saved-shutdown") == "no violation within 5 steps");
  }

  TEST_CASE(
      "explore --exhaustive: a kill inside a controlled shutdown leaves a server in shutdown") {
    // A stop plays on to the server's move to shutdown; a kill there leaves `my state
    // shutdown` in its lease file (the move is written at once, recover only at the exit), and
    // the start resumes shutdown, which answers no peer state: the pair never returns to
    // normal. Three steps, the shortest way into the hazard saved-shutdown (docs/hazards.md,
    // kill-during-shutdown).
    const std::string file = split_network();
    const auto r = run_fosim({"explore", file, "--exhaustive", "--depth", "3", "--actions",
                              "stop,kill", "--lost-storage", "0"});
    CHECK(r.rc == 1);
    CHECK(row(r.out, "saved-shutdown") ==
          "stop primary, kill primary, start primary, then the settle bound (not-normal, 3 steps)");
    CHECK(row(r.out, "not-normal").find("explained by saved-shutdown") != std::string::npos);
    CHECK(row(r.out, "duplicate-address") == "none within 3 steps");
  }

  TEST_CASE("explore --exhaustive --out: fosim run plays the shortest split brain again") {
    const std::string file = split_network();
    const fs::path dir = scratch("out");
    fs::remove_all(dir);
    const auto r = run_fosim({"explore", file, "--exhaustive", "--depth", "4", "--actions",
                              "partition,partner-down", "--out", dir.string()});
    REQUIRE(r.rc == 1);
    const fs::path scenario = dir / "shortest-duplicate-address.json";
    CHECK(r.out.find("fosim run " + scenario.string()) != std::string::npos);
    CHECK(fs::exists(dir / "shortest-duplicate-address.html"));
    CHECK_FALSE(fs::exists(dir / "shortest-not-normal.json"));
    const auto j = nlohmann::json::parse(fosim::test::read_file(dir / "explore.json"));
    CHECK(j["complete"] == true);
    CHECK(j["shortest"]["duplicate-address"]["steps"].size() == 4);
    CHECK(j["shortest"]["duplicate-address"]["needs_operator"] == true);
    CHECK(j["shortest"]["not-normal"].is_null());
    CHECK(j["shortest"]["duplicate-address"]["hazards"].empty());
    CHECK(j["by_hazard"]["lost-storage"].is_null());
    CHECK(j["by_hazard"].size() == 4);
    // The scenario states the promise it breaks, so the run fails on it.
    const auto played = run_fosim({"run", scenario.string(), "--quiet"});
    CHECK(played.rc == 1);
    CHECK(played.err.find("expectation failed: no duplicate addresses") != std::string::npos);
  }

  TEST_CASE("explore --exhaustive: what it cannot search is refused") {
    const std::string file = split_network();
    CHECK(run_fosim({"explore", file, "--exhaustive"}).rc == 2);
    CHECK(run_fosim({"explore", file, "--exhaustive", "--depth", "13"}).rc == 2);
    CHECK(run_fosim({"explore", file, "--exhaustive", "--depth", "2", "--random", "5"}).rc == 2);
    const auto restart = run_fosim(
        {"explore", file, "--exhaustive", "--depth", "2", "--actions", "partition,restart"});
    CHECK(restart.rc == 2);
    CHECK(restart.err.find("not restart") != std::string::npos);
  }
}
