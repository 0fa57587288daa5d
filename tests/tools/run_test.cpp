// `fosim run` as a user and a script see it: exit codes, outputs, files.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

const std::string library = std::string(FOSIM_SOURCE_DIR) + "/scenarios/";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("fosim-run-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: run: the field report holds its expectations, exit 0") {
    const auto r = run_fosim({"run", library + "field-report.json"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("failover peer dhcp-failover: I move from recover-done to normal") !=
          std::string::npos);
    CHECK(r.out.find("DHCPACK on 192.168.102.160 to 52:54:00:02:bf:f8") != std::string::npos);
    CHECK(r.out.find("expectations: all 6 of 6 hold") != std::string::npos);
  }

  TEST_CASE("cli: run: --out writes the timeline, the summary and the highlighted diagram") {
    const fs::path dir = scratch("out");
    const auto r =
        run_fosim({"run", library + "field-report.json", "--quiet", "--out", dir.string()});
    REQUIRE(r.rc == 0);
    std::ifstream summary(dir / "summary.json");
    const auto j = nlohmann::json::parse(summary);
    CHECK(j["first_lease_time_s"] == 1800);
    CHECK(j["first_renewal_time_s"] == 3600);
    CHECK(j["servers"][0]["final_state"] == "normal");
    std::ifstream timeline(dir / "timeline.jsonl");
    std::string first, banner, second;
    std::getline(timeline, first);
    std::getline(timeline, banner);
    std::getline(timeline, second);
    // The primary's process starts, logs dhcpd's banner (server/dhcpd.c main()), then moves out
    // of the state its lease file recorded.
    const auto p = nlohmann::json::parse(first);
    CHECK(p["kind"] == "process");
    CHECK(p["action"] == "start");
    const auto b = nlohmann::json::parse(banner);
    CHECK(b["kind"] == "log");
    CHECK(b["text"] == "Internet Systems Consortium DHCP Server 4.4.3-P1");
    const auto e = nlohmann::json::parse(second);
    CHECK(e["kind"] == "state");
    CHECK(e["from"] == "recover");
    CHECK(e["to"] == "startup");
    CHECK(fs::file_size(dir / "states.dot") > 1000);
    fs::remove_all(dir.parent_path());
  }

  TEST_CASE("cli: run: a failed expectation is exit 1 and names itself") {
    const fs::path file = scratch("fail.json");
    std::ifstream in(library + "field-report.json");
    auto j = nlohmann::json::parse(in);
    j["expect"] = {{"first_lease_time", 3600}};
    std::ofstream(file) << j.dump();
    const auto r = run_fosim({"run", file.string(), "--quiet"});
    CHECK(r.rc == 1);
    CHECK(r.err.find("expectation failed: first lease time is 3600 s (observed: 1800 s)") !=
          std::string::npos);
    fs::remove_all(file.parent_path());
  }

  TEST_CASE("cli: run: bad input is exit 2 with file, line and path") {
    const fs::path file = scratch("bad.json");
    std::ofstream(file)
        << "{\n  \"relationship\": \"r\",\n  \"duration\": \"2h\",\n  \"colour\": 1\n}\n";
    const auto r = run_fosim({"run", file.string()});
    CHECK(r.rc == 2);
    CHECK(r.err.find(file.string() + ":4: /colour: unknown key") != std::string::npos);
    CHECK(run_fosim({"run", "/nonexistent.json"}).rc == 2);
    CHECK(run_fosim({"run"}).rc == 2);
    CHECK(run_fosim({"run", library + "field-report.json", "--until", "soon"}).rc == 2);
    fs::remove_all(file.parent_path());
  }

  TEST_CASE("cli: run: --profile draft-12 plays the draft's rules and says so") {
    // partition-short.json starts both servers without lease files. Under ISC they pass
    // recover straight to recover-done; under draft-12 section 9.5.2 each goes to recover-wait
    // and (section 9.6) serves no new client for the 30-minute MCLT, so the scenario's
    // availability of 0.99 fails.
    const std::string sc = library + "partition-short.json";
    const auto isc = run_fosim({"run", sc});
    CHECK(isc.rc == 0);
    CHECK(isc.out.rfind("fosim run partition-short seed 1\n", 0) == 0);
    CHECK(isc.out.find("I move from recover to recover-wait") == std::string::npos);
    const auto draft = run_fosim({"run", sc, "--profile", "draft-12"});
    CHECK(draft.rc == 1);
    CHECK(draft.out.rfind("fosim run partition-short seed 1 profile draft-12\n", 0) == 0);
    CHECK(draft.out.find("I move from recover to recover-wait") != std::string::npos);
    CHECK(draft.err.find("expectation failed: availability") != std::string::npos);
    const fs::path dir = scratch("draft-12");
    CHECK(run_fosim({"run", sc, "--profile", "draft-12", "--quiet", "--out", dir.string()}).rc ==
          1);
    const auto summary = nlohmann::json::parse(fosim::test::read_file(dir / "summary.json"));
    CHECK(summary["profile"] == "draft-12");
    const auto bad = run_fosim({"run", sc, "--profile", "draft-13"});
    CHECK(bad.rc == 2);
    CHECK(bad.out.empty());
    CHECK(bad.err == "fosim run: --profile 'draft-13' is not valid; valid: isc-4.4, draft-12\n");
    fs::remove_all(dir);
  }

  TEST_CASE("cli: run: options a script could get wrong are exit 2, before anything runs") {
    const std::string sc = library + "partition-short.json";
    CHECK(run_fosim({"run", sc, "--seed", "-1"}).rc == 2);
    CHECK(run_fosim({"run", sc, "--seed", "18446744073709551616"}).rc == 2);  // 2^64
    CHECK(run_fosim({"run", sc, "--seed", "18446744073709551615", "--quiet"}).rc == 0);
    CHECK(run_fosim({"run", sc, "--until", ""}).rc == 2);
    CHECK(run_fosim({"run", sc, "--until", "0"}).rc == 2);
    const auto late = run_fosim({"run", sc, "--until", "3h"});  // the scenario lasts 2 h
    CHECK(late.rc == 2);
    CHECK(late.err.find("after the scenario's end") != std::string::npos);
    CHECK(run_fosim({"run", sc, "--out", ""}).rc == 2);
    // A regular file where the directory should be: refused before the run, nothing printed.
    const fs::path file = scratch("not-a-dir");
    std::ofstream(file) << "x";
    const auto r = run_fosim({"run", sc, "--out", file.string()});
    CHECK(r.rc == 2);
    CHECK(r.out.empty());
    fs::remove_all(file.parent_path());
  }

  TEST_CASE("cli: run: --out writes all three files or none") {
    const fs::path dir = scratch("blocked");
    fs::create_directories(dir / "summary.json");  // a directory in the way of one file
    const auto r =
        run_fosim({"run", library + "partition-short.json", "--quiet", "--out", dir.string()});
    CHECK(r.rc == 2);
    CHECK(r.err.find("summary.json") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "timeline.jsonl"));
    CHECK_FALSE(fs::exists(dir / "states.dot"));
    CHECK_FALSE(fs::exists(dir / "timeline.jsonl.tmp"));
    CHECK_FALSE(fs::exists(dir / "summary.json.tmp"));
    CHECK_FALSE(fs::exists(dir / "states.dot.tmp"));
    fs::remove_all(dir.parent_path());
  }

  TEST_CASE("cli: run: --until stops early and checks only what it reached") {
    // partition-short expects states at 1h1m; stopping at 30m leaves those out.
    const auto r = run_fosim({"run", library + "partition-short.json", "--until", "30m"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("00:30:00.000 simulated") != std::string::npos);
  }

  TEST_CASE("cli: run: same seed, same bytes; --seed changes the run") {
    const auto a = run_fosim({"run", library + "partition-long.json", "--format", "jsonl"});
    const auto b = run_fosim({"run", library + "partition-long.json", "--format", "jsonl"});
    const auto c =
        run_fosim({"run", library + "partition-long.json", "--format", "jsonl", "--seed", "9"});
    CHECK(a.out == b.out);
    CHECK(a.out != c.out);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: run --omapi-at: the failover-state object as omshell shows it") {
    // operator-partner-down: dhcp-a 192.168.102.100 primary, dhcp-b .101, mclt 1800, port 647,
    // max-unacked-updates 10, max-response-delay 30, split 128.
    const auto start =
        run_fosim({"run", library + "operator-partner-down.json", "--omapi-at", "0"});
    REQUIRE(start.rc == 0);
    const std::string primary = start.out.substr(0, start.out.find("\n\n"));
    const std::string secondary = start.out.substr(start.out.find("\n\n") + 2);
    CHECK(primary.find("name = \"dhcp-failover\"") != std::string::npos);
    CHECK(primary.find("partner-address = c0:a8:66:65") != std::string::npos);  // 192.168.102.101
    CHECK(primary.find("local-address = c0:a8:66:64") != std::string::npos);
    CHECK(primary.find("partner-port = 00:00:02:87") != std::string::npos);  // 647
    CHECK(primary.find("max-outstanding-updates = 00:00:00:0a") != std::string::npos);
    CHECK(primary.find("mclt = 00:00:07:08") != std::string::npos);                // 1800
    CHECK(primary.find("max-response-delay = 00:00:00:1e") != std::string::npos);  // 30
    CHECK(primary.find("hierarchy = 00:00:00:00") != std::string::npos);
    CHECK(secondary.find("hierarchy = 00:00:00:01") != std::string::npos);
    // split 128: buckets 0..127 are the primary's, the first 16 bytes of the HBA all ones.
    CHECK(
        primary.find("load-balance-hba = ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:00:00") !=
        std::string::npos);
    // At 0 both are in startup: 1 in ISC 4.x, 10 in ISC 3.0.x (dhcpd.8 of 3.0).
    CHECK(primary.find("local-state = 00:00:00:01") != std::string::npos);
    const auto isc3 = run_fosim(
        {"run", library + "operator-partner-down.json", "--omapi-at", "0", "--numbering", "isc3"});
    CHECK(isc3.out.find("local-state = 00:00:00:0a") != std::string::npos);
    // The secondary has no MCLT until the primary's CONNECT tells it.
    CHECK(secondary.find("mclt = 00:00:00:00") != std::string::npos);

    // By 2 h both are normal (2) again.
    const auto later =
        run_fosim({"run", library + "operator-partner-down.json", "--omapi-at", "2h"});
    CHECK(later.out.find("local-state = 00:00:00:02") != std::string::npos);
    CHECK(later.out.find("partner-state = 00:00:00:02") != std::string::npos);

    CHECK(run_fosim({"run", library + "operator-partner-down.json", "--omapi-at", "99h"}).rc == 2);
    CHECK(run_fosim({"run", library + "operator-partner-down.json", "--omapi-at", "1h",
                     "--numbering", "win"})
              .rc == 2);
    CHECK(
        run_fosim({"run", library + "operator-partner-down.json", "--omapi-at", "1h", "--out", "x"})
            .rc == 2);
  }

  TEST_CASE("cli: run --omapi-at: a crashed server's OMAPI does not answer") {
    const auto r = run_fosim({"run", library + "auto-partner-down.json", "--omapi-at", "2h"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("# dhcp-b at 02:00:00.000: dhcpd is not running") != std::string::npos);
    CHECK(r.out.find("local-state = 00:00:00:04") != std::string::npos);  // dhcp-a in partner-down
  }
}
