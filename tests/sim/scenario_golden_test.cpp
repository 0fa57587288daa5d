// Every library scenario, and every hazard in scenarios/hazards/: it loads, meets its own `expect`
// block, runs twice to the same bytes, and matches its golden trace (golden/NAME.trace.jsonl beside
// it). Set FOSIM_UPDATE_GOLDEN=1 to rewrite the golden traces after a deliberate change.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/summary.hpp"

namespace fs = std::filesystem;

namespace {

std::string run_jsonl(const fosim::sim::Scenario& sc,
                      std::vector<fosim::sim::ExpectationResult>* verdict) {
  std::ostringstream out;
  fosim::sim::JsonlTimeline tl(out, {sc.servers[0].host, sc.servers[1].host});
  fosim::sim::Simulator s(sc, sc.seed, &tl);
  s.run();
  if (verdict != nullptr) *verdict = fosim::sim::check_expectations(s);
  return out.str();
}

std::vector<fs::path> library() {
  std::vector<fs::path> files;
  const fs::path root = fs::path(FOSIM_SOURCE_DIR) / "scenarios";
  for (const fs::path& dir : {root, root / "hazards"})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("scenarios: library: expectations, determinism, golden traces") {
    const bool update = std::getenv("FOSIM_UPDATE_GOLDEN") != nullptr;
    const auto files = library();
    REQUIRE(files.size() >= 10);
    std::size_t checked = 0;
    for (const fs::path& file : files) {
      CAPTURE(file.string());
      const fosim::sim::LoadResult loaded = fosim::sim::load_scenario(file.string());
      for (const auto& e : loaded.errors) INFO(fosim::sim::format(e));
      REQUIRE(loaded.scenario.has_value());
      CHECK(loaded.warnings.empty());
      CHECK_FALSE(loaded.scenario->description.empty());
      std::vector<fosim::sim::ExpectationResult> verdict;
      const std::string first = run_jsonl(*loaded.scenario, &verdict);
      CHECK_FALSE(verdict.empty());
      for (const auto& r : verdict) {
        CAPTURE(r.what);
        CAPTURE(r.observed);
        CHECK(r.passed);
      }
      CHECK(first == run_jsonl(*loaded.scenario, nullptr));
      const fs::path golden =
          file.parent_path() / "golden" / (file.stem().string() + ".trace.jsonl");
      if (update) {
        fs::create_directories(golden.parent_path());
        std::ofstream(golden, std::ios::binary) << first;
      }
      std::ifstream in(golden, std::ios::binary);
      REQUIRE_MESSAGE(in.good(), "no golden trace; run with FOSIM_UPDATE_GOLDEN=1");
      std::ostringstream want;
      want << in.rdbuf();
      CHECK(first == want.str());
      ++checked;
    }
    CHECK(checked == files.size());
  }
}
