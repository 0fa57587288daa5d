// The output estimate behind `fosim run --max-output`: exchanges counted by hand from the client
// model, the estimate held against what real runs wrote, and a run too large refused up front.
#include "fosim/tools/output_estimate.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "fosim/formats/scenario_json.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;
using fosim::tools::estimate_output;
using fosim::tools::parse_size;

namespace {

const std::string library = std::string(FOSIM_SOURCE_DIR) + "/scenarios/";

fosim::sim::Scenario load(const std::string& name) {
  auto loaded = fosim::sim::load_scenario(library + name);
  REQUIRE(loaded.scenario);
  return *loaded.scenario;
}

fosim::core::Instant at_hours(int h) {
  return fosim::core::Instant{fosim::sim::Duration{h * 3'600'000}};
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("output estimate: a first lease and a renewal every half lease, per client") {
    fosim::sim::Scenario sc = load("partition-long.json");
    sc.script.clear();
    sc.pool.default_lease_time = fosim::core::Seconds{3600};
    fosim::sim::ClientGroup g;
    g.count = 100;  // all arrive at 0
    sc.clients = {g};
    // 2 h present, a renewal each 1800 s: 1 + 7200 / 1800 = 5 exchanges each, 500 in all.
    CHECK(estimate_output(sc, at_hours(2)).exchanges == doctest::Approx(500));
    // Staying 1 h and away 1 h for 4 h: two stays of 1 + 3600 / 1800 = 3 exchanges: 600.
    sc.clients[0].stay = fosim::sim::Duration{3'600'000};
    sc.clients[0].away = fosim::sim::Duration{3'600'000};
    CHECK(estimate_output(sc, at_hours(4)).exchanges == doctest::Approx(600));
    // Staying 1 h for good: 3 exchanges each whatever the run's length.
    sc.clients[0].away.reset();
    CHECK(estimate_output(sc, at_hours(4)).exchanges == doctest::Approx(300));
  }

  TEST_CASE("output estimate: within a factor of two of what the library's runs write") {
    for (const char* name : {"partition-long.json", "split-brain.json", "kill.json"}) {
      CAPTURE(name);
      const fs::path dir = fs::temp_directory_path() / "fosim-estimate-test";
      fs::remove_all(dir);
      REQUIRE(run_fosim({"run", library + name, "--quiet", "--out", dir.string()}).rc != 2);
      const fosim::sim::Scenario sc = load(name);
      const auto e = estimate_output(sc, fosim::core::Instant{sc.duration});
      const double written = static_cast<double>(fs::file_size(dir / "timeline.jsonl"));
      // An outage adds events the model does not price (retries, both servers answering), so
      // the estimate is a guard against runs orders of magnitude too large, not a forecast.
      CHECK(static_cast<double>(e.jsonl_bytes) > written / 2);
      CHECK(static_cast<double>(e.jsonl_bytes) < written * 2);
      fs::remove_all(dir);
    }
  }

  TEST_CASE("cli: run: an output larger than --max-output is refused before the run") {
    // The field pair with a million clients for a day of 1-hour leases: some 49 million
    // exchanges (1 + 24 h / 30 min each), tens of GB of timeline.
    auto j = nlohmann::json::parse(std::ifstream(library + "partition-long.json"));
    j.erase("expect");
    j["duration"] = "1d";
    j["pool"]["range"] = {"10.0.0.1", "10.15.255.254"};
    j["clients"] = {{{"count", 1000000}, {"arrival", {{"start", "10s"}, {"window", "1h"}}}}};
    const fs::path file = fs::temp_directory_path() / "fosim-estimate-huge.json";
    std::ofstream(file) << j.dump();
    const fs::path dir = fs::temp_directory_path() / "fosim-estimate-huge";
    fs::remove_all(dir);
    const auto r = run_fosim({"run", file.string(), "--out", dir.string()});
    CHECK(r.rc == 2);
    CHECK(r.err.find("GB of timeline.jsonl") != std::string::npos);
    CHECK(r.err.find("more than --max-output 1G allows; nothing was run") != std::string::npos);
    CHECK(r.err.find("Allow it with --max-output ") != std::string::npos);
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(dir));
    // Allowed, but given a size that is not one: exit 2 naming what would be valid.
    const auto bad = run_fosim({"run", file.string(), "--quiet", "--max-output", "lots"});
    CHECK(bad.rc == 2);
    CHECK(bad.err.find("give bytes or K, M, G, T") != std::string::npos);
    fs::remove(file);
  }

  TEST_CASE("output estimate: sizes as a user types them") {
    CHECK(parse_size("500M") == 500'000'000u);
    CHECK(parse_size("1.5GB") == 1'500'000'000u);
    CHECK(parse_size("2g") == 2'000'000'000u);
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("unlimited") == std::numeric_limits<std::uint64_t>::max());
    CHECK_FALSE(parse_size("lots"));
    CHECK_FALSE(parse_size("-1G"));
    CHECK_FALSE(parse_size("5X"));
    CHECK(fosim::tools::format_size(38'100'000'000) == "38.1 GB");
    CHECK(fosim::tools::format_size(950) == "950 B");
  }
}
