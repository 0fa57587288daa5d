// `fosim sweep` and `fosim merge`: the grid, the figures per point, determinism whatever the
// threads, shards that merge into the bytes of one sweep, exit codes.
#include "fosim/tools/sweep.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "fosim/tools/sweep_output.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

const std::string sweeps = std::string(FOSIM_SOURCE_DIR) + "/scenarios/sweeps/";

fs::path scratch(const std::string& name) { return fosim::test::scratch_path("sweep", name); }

std::string read(const fs::path& p) { return fosim::test::read_file(p); }

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("sweep: --vary and --seeds") {
    std::string error;
    const auto list = fosim::tools::parse_vary("mclt=300,900,1800", error);
    REQUIRE(list);
    CHECK(list->key == "mclt");
    CHECK(list->values == std::vector<std::string>{"300", "900", "1800"});
    // 0..256:32 is nine values, 256 included.
    const auto range = fosim::tools::parse_vary("split=0..256:32", error);
    REQUIRE(range);
    CHECK(range->values.size() == 9);
    CHECK(range->values.back() == "256");
    const auto minutes = fosim::tools::parse_vary("auto_partner_down=10m..1h:25m", error);
    REQUIRE(minutes);
    CHECK(minutes->values == std::vector<std::string>{"600", "2100", "3600"});
    CHECK_FALSE(fosim::tools::parse_vary("mclt", error));
    CHECK_FALSE(fosim::tools::parse_vary("mclt=300,,900", error));
    CHECK_FALSE(fosim::tools::parse_vary("mclt=300,300", error));
    CHECK_FALSE(fosim::tools::parse_vary("split=256..0:32", error));
    CHECK_FALSE(fosim::tools::parse_vary("split=0..256:0", error));
    CHECK(fosim::tools::parse_seeds("1..20", error)->size() == 20);
    CHECK(*fosim::tools::parse_seeds("7", error) == std::vector<std::uint64_t>{7});
    CHECK(*fosim::tools::parse_seeds("1,5,9", error) == std::vector<std::uint64_t>{1, 5, 9});
    CHECK_FALSE(fosim::tools::parse_seeds("5..1", error));
    CHECK_FALSE(fosim::tools::parse_seeds("-1", error));
    CHECK(fosim::tools::parse_shard("2/4")->index == 2);
    CHECK_FALSE(fosim::tools::parse_shard("0/4"));
    CHECK_FALSE(fosim::tools::parse_shard("5/4"));
  }

  TEST_CASE("sweep: the grid's order, and a point's figures over its seeds") {
    fosim::tools::SweepShape shape;
    shape.scenario_names = {"a", "b"};
    shape.parameters = {{"mclt", {"300", "900", "1800"}}, {"split", {"0", "256"}}};
    shape.seeds = {1, 2, 3, 4};
    CHECK(shape.point_count() == 12);  // 2 scenarios x 3 x 2
    CHECK(shape.run_count() == 48);
    // The last parameter varies fastest: point 7 is scenario b, mclt=300, split=256.
    CHECK(shape.scenario_of(7) == 1);
    CHECK(shape.values_of(7) == std::vector<std::size_t>{0, 1});
    CHECK(shape.label(7) == "b mclt=300 split=256");

    const fs::path dir = scratch("one");
    const auto r =
        run_fosim({"sweep", sweeps + "apd-partner-dead.json", "--vary", "auto_partner_down=0,600",
                   "--seeds", "1..3", "--out", dir.string(), "--no-progress"});
    // Without auto-partner-down the primary cannot use the dead partner's addresses: the
    // availability expectation (0.9) fails at that point, for every seed.
    CHECK(r.rc == 1);
    // The failing points come first, right after the line saying what ran.
    CHECK(r.out.find("\nFAILING:\n  auto_partner_down=0: availability >= 0.900000: failed for 3 of "
                     "3 seeds (1, 2, 3)") == r.out.find('\n'));
    std::ifstream s(dir / "sweep.json");
    const auto j = nlohmann::json::parse(s);
    REQUIRE(j["runs"].size() == 6);
    REQUIRE(j["points"].size() == 2);
    // The aggregate is the min / lower median / max of the runs' own figures.
    for (std::size_t p = 0; p < 2; ++p) {
      std::vector<double> v;
      for (const auto& run : j["runs"])
        if (run["point"] == p) v.push_back(run["availability"].get<double>());
      std::sort(v.begin(), v.end());
      CHECK(j["points"][p]["aggregate"]["availability"]["min"].get<double>() == v[0]);
      CHECK(j["points"][p]["aggregate"]["availability"]["median"].get<double>() == v[1]);
      CHECK(j["points"][p]["aggregate"]["availability"]["max"].get<double>() == v[2]);
    }
    CHECK(j["points"][0]["holds"] == false);
    CHECK(j["points"][1]["holds"] == true);
    // One CSV row per run, after the header.
    const std::string csv = read(dir / "sweep.csv");
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
    CHECK(csv.rfind("scenario,point,auto_partner_down,seed,availability,", 0) == 0);
  }

  TEST_CASE(
      "sweep: the output does not depend on the threads, and shards merge into the same bytes") {
    const std::vector<std::string> grid{sweeps + "apd-partner-unreachable.json",
                                        sweeps + "apd-partner-dead.json",
                                        "--vary",
                                        "auto_partner_down=0,1800",
                                        "--vary",
                                        "mclt=600,1800",
                                        "--seeds",
                                        "1..3",
                                        "--no-progress"};
    auto sweep = [&](std::vector<std::string> extra) {
      std::vector<std::string> args{"sweep"};
      args.insert(args.end(), grid.begin(), grid.end());
      args.insert(args.end(), extra.begin(), extra.end());
      std::ostringstream out, err;
      return fosim::tools::run_cli(fosim::tools::Args(args.begin(), args.end()), {out, err});
    };
    const fs::path one = scratch("j1"), two = scratch("j2");
    CHECK(sweep({"--jobs", "1", "--out", one.string(), "--junit", (one / "junit.xml").string()}) ==
          1);
    CHECK(sweep({"--jobs", "2", "--out", two.string(), "--junit", (two / "junit.xml").string()}) ==
          1);
    for (const char* f : {"sweep.json", "sweep.csv", "sweep.html", "junit.xml"})
      CHECK_MESSAGE(read(one / f) == read(two / f), f);

    std::vector<std::string> shards;
    for (int k = 1; k <= 3; ++k) {
      const fs::path d = scratch("shard" + std::to_string(k));
      // Every shard holds some runs of the failing points: exit 1, as the whole sweep.
      CHECK(sweep({"--shard", std::to_string(k) + "/3", "--out", d.string()}) == 1);
      shards.push_back(d.string());
    }
    const fs::path merged = scratch("merged");
    auto merge = run_fosim({"merge", shards[2], shards[0], shards[1], "--out", merged.string(),
                            "--junit", (merged / "junit.xml").string()});
    CHECK(merge.rc == 1);
    for (const char* f : {"sweep.json", "sweep.csv", "sweep.html", "junit.xml"})
      CHECK_MESSAGE(read(one / f) == read(merged / f), f);
    // A shard missing, or the same shard twice: refused.
    CHECK(run_fosim({"merge", shards[0], shards[1], "--out", scratch("m2").string()})
              .err.find("missing (shard 3/3)") != std::string::npos);
    CHECK(run_fosim({"merge", shards[0], shards[0], shards[1], shards[2], "--out",
                     scratch("m3").string()})
              .rc == 2);
    // A shard of a sweep over an edited scenario is of another sweep.
    std::ifstream in(fs::path(shards[1]) / "sweep.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string edited = text.str();
    const std::size_t at = edited.find("\"scenario_fingerprints\": [\n  \"") + 30;
    edited[at] = edited[at] == '0' ? '1' : '0';
    fs::create_directories(scratch("edited"));
    std::ofstream(scratch("edited") / "sweep.json") << edited;
    CHECK(run_fosim({"merge", shards[0], scratch("edited").string(), shards[2], "--out",
                     scratch("m4").string()})
              .err.find("scenario contents") != std::string::npos);
  }

  TEST_CASE("sweep: the page colours each figure on the scale its meaning gives it") {
    fosim::tools::SweepResult r;
    r.shape.scenario_names = {"cut"};
    r.shape.scenario_fingerprints = {"0"};
    r.shape.parameters = {{"mclt", {"600", "1800"}}};
    r.shape.seeds = {1};
    r.runs.resize(2);
    r.runs[0].availability = 0.566;
    r.runs[1].point = 1;
    r.runs[1].availability = 0.581;
    const std::string html = fosim::tools::sweep_html(r);
    // A share runs from 0 to 1, whatever the values in the sweep: 0.566 and 0.581 are close.
    CHECK(html.find(R"({"figure":"availability","to":"one","better":"higher")") !=
          std::string::npos);
    // One duplicate address is a harm, not a little less good than none.
    CHECK(html.find(R"({"figure":"duplicates","to":"largest","better":"zero")") !=
          std::string::npos);
    CHECK(html.find(R"({"figure":"time_to_normal_s","to":"largest","better":"lower")") !=
          std::string::npos);
    // Longer leases are neither better nor worse in themselves.
    CHECK(html.find(R"({"figure":"lease_max_s","to":"largest","better":"neither")") !=
          std::string::npos);
    // A client left without a lease is a harm too.
    CHECK(html.find(R"({"figure":"clients_without_lease","to":"largest","better":"zero")") !=
          std::string::npos);
    // Every figure a point aggregates has its scale.
    std::size_t scales = 0;
    for (std::size_t at = html.find("{\"figure\":"); at != std::string::npos;
         at = html.find("{\"figure\":", at + 1))
      ++scales;
    CHECK(scales == 12);
  }

  TEST_CASE("sweep: JUnit has a test case per point and expectation, failures with their seeds") {
    const fs::path dir = scratch("junit");
    fs::create_directories(dir);
    run_fosim({"sweep", sweeps + "apd-partner-unreachable.json", "--vary",
               "auto_partner_down=0,600", "--seeds", "1,2", "--junit", (dir / "j.xml").string(),
               "--no-progress"});
    const std::string xml = read(dir / "j.xml");
    // Two points x one expectation (no duplicates); auto-partner-down 600 makes duplicates.
    CHECK(xml.find("<testsuites name=\"fosim sweep\" tests=\"2\" failures=\"1\"") !=
          std::string::npos);
    CHECK(xml.find("name=\"auto_partner_down=0: no duplicate addresses\"/>") != std::string::npos);
    CHECK(xml.find("name=\"auto_partner_down=600: no duplicate addresses\">\n      <failure "
                   "type=\"expectation\" "
                   "message=\"failed for 2 of 2 seeds\">seeds 1, 2; first observed:") !=
          std::string::npos);
  }

  TEST_CASE("sweep: a client setting varies like a server's") {
    const fs::path dir = scratch("clients");
    const auto r =
        run_fosim({"sweep", sweeps + "apd-partner-dead.json", "--vary", "clients.count=0,4",
                   "--seeds", "1", "--out", dir.string(), "--no-progress"});
    CHECK(r.rc != 2);
    std::ifstream s(dir / "sweep.json");
    const auto j = nlohmann::json::parse(s);
    REQUIRE(j["runs"].size() == 2);
    // With no clients at all nothing asks for an address; with four per group something does.
    CHECK(j["runs"][0]["attempts"] == 0);
    CHECK(j["runs"][1]["attempts"].get<std::uint64_t>() > 0);
    CHECK(read(dir / "sweep.csv").rfind("scenario,point,clients.count,seed,", 0) == 0);
    // A start of 60 s and of 1m are one setting.
    CHECK(run_fosim(
              {"sweep", sweeps + "apd-partner-dead.json", "--vary", "clients.arrival.start=60,1m"})
              .err.find("60 and 1m are the same setting") != std::string::npos);
  }

  TEST_CASE("sweep: bad input is exit 2 before anything runs") {
    CHECK(run_fosim({"sweep"}).rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--vary", "mtu=1500"}).rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--vary", "split=0..300:100"}).rc ==
          2);  // 300 > 256
    CHECK(
        run_fosim({"sweep", sweeps + "what-mclt.json", "--vary", "mclt=300", "--vary", "mclt=600"})
            .rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--seeds", "x"}).rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--jobs", "0"}).rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--shard", "1/2"}).rc ==
          2);  // needs --out
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--shard", "1/2", "--out",
                     scratch("s").string(), "--junit", scratch("j").string()})
              .rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", sweeps + "what-mclt.json"}).rc ==
          2);  // two of one name
    CHECK(
        run_fosim({"merge", scratch("nothing-here").string(), "--out", scratch("m").string()}).rc ==
        2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--vary", "mclt=60,1m"})
              .err.find("60 and 1m are the same setting") != std::string::npos);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--junit", ""}).rc == 2);
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--junit", "/dev/null"}).rc ==
          2);  // never replaced
    CHECK(run_fosim({"sweep", sweeps + "what-mclt.json", "--vary", "mclt=1..10000:1", "--vary",
                     "split=0..255:1", "--seeds", "1..10"})
              .err.find("more than 10000000 runs") != std::string::npos);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("sweep: a sweep.json fosim merge cannot trust is refused with the file named") {
    const fs::path dir = scratch("reader");
    run_fosim({"sweep", sweeps + "apd-partner-dead.json", "--seeds", "1", "--out", dir.string(),
               "--no-progress"});
    const std::string text = read(dir / "sweep.json");
    std::string error;
    REQUIRE(fosim::tools::read_sweep_json(text, "s.json", error));
    // A count written as a float, a point that is negative, a format from elsewhere.
    std::string bad = text;
    bad.replace(bad.find("\"attempts\": ") + 12, 1, "1.5e300,\"x\":");
    CHECK_FALSE(fosim::tools::read_sweep_json(bad, "s.json", error));
    CHECK(error.rfind("s.json: ", 0) == 0);
    bad = text;
    bad.replace(bad.find("\"point\": 0"), 10, "\"point\": -1");
    CHECK_FALSE(fosim::tools::read_sweep_json(bad, "s.json", error));
    bad = text;
    bad.replace(bad.find("\"fosim_sweep\": 1"), 16, "\"fosim_sweep\": 2");
    CHECK_FALSE(fosim::tools::read_sweep_json(bad, "s.json", error));
    CHECK(error.find("format 2 is not one this fosim reads") != std::string::npos);
  }
}
