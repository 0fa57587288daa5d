// `fosim run` as a user and a script see it: exit codes, outputs, files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"

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
    CHECK(r.out.find("failover peer dhcp-failover: I move from recover-done to normal") != std::string::npos);
    CHECK(r.out.find("DHCPACK on 192.168.102.160 to 52:54:00:02:bf:f8") != std::string::npos);
    CHECK(r.out.find("expectations: all 6 of 6 hold") != std::string::npos);
  }

  TEST_CASE("cli: run: --out writes the timeline, the summary and the highlighted diagram") {
    const fs::path dir = scratch("out");
    const auto r = run_fosim({"run", library + "field-report.json", "--quiet", "--out", dir.string()});
    REQUIRE(r.rc == 0);
    std::ifstream summary(dir / "summary.json");
    const auto j = nlohmann::json::parse(summary);
    CHECK(j["first_lease_time_s"] == 1800);
    CHECK(j["first_renewal_time_s"] == 3600);
    CHECK(j["servers"][0]["final_state"] == "normal");
    std::ifstream timeline(dir / "timeline.jsonl");
    std::string first;
    std::getline(timeline, first);
    const auto e = nlohmann::json::parse(first);
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
    CHECK(r.err.find("expectation failed: first lease time is 3600 s (observed: 1800 s)") != std::string::npos);
    fs::remove_all(file.parent_path());
  }

  TEST_CASE("cli: run: bad input is exit 2 with file, line and path") {
    const fs::path file = scratch("bad.json");
    std::ofstream(file) << "{\n  \"relationship\": \"r\",\n  \"duration\": \"2h\",\n  \"colour\": 1\n}\n";
    const auto r = run_fosim({"run", file.string()});
    CHECK(r.rc == 2);
    CHECK(r.err.find(file.string() + ":4: /colour: unknown key") != std::string::npos);
    CHECK(run_fosim({"run", "/nonexistent.json"}).rc == 2);
    CHECK(run_fosim({"run"}).rc == 2);
    CHECK(run_fosim({"run", library + "field-report.json", "--until", "soon"}).rc == 2);
    fs::remove_all(file.parent_path());
  }

  TEST_CASE("cli: run: same seed, same bytes; --seed changes the run") {
    const auto a = run_fosim({"run", library + "partition-long.json", "--format", "jsonl"});
    const auto b = run_fosim({"run", library + "partition-long.json", "--format", "jsonl"});
    const auto c = run_fosim({"run", library + "partition-long.json", "--format", "jsonl", "--seed", "9"});
    CHECK(a.out == b.out);
    CHECK(a.out != c.out);
  }
}
