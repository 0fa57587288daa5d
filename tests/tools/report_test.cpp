// The run report: its data, its page and the text swimlanes, with values worked out by hand.
#include "fosim/tools/report.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli_run.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;
using fosim::tools::Band;

namespace {

const std::string library = std::string(FOSIM_SOURCE_DIR) + "/scenarios/";

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("fosim-report-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

/// `line` with its keys in another order (reversed, then the first key moved last).
std::string shuffled(const std::string& line) {
  const auto j = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(keys.begin(), k);
  if (keys.size() > 2) std::rotate(keys.begin(), keys.begin() + 1, keys.end());
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const std::string& k : keys) out[k] = j[k];
  return out.dump();
}

// A hand-made run directory, read back the way `fosim report` reads one: 100 s, buckets of
// 10 s, a partition 20-50 s, the link down 25-55 s, b crashed 60-80 s. `shuffle` writes each
// timeline line with its keys in another order.
fosim::tools::RunFiles small_run(bool shuffle = false) {
  const fs::path dir = scratch("small-run");
  fs::create_directories(dir);
  std::ofstream(dir / "summary.json") << R"({
    "scenario": "hand", "description": "a </script> in the text", "relationship": "r", "seed": 7,
    "simulated_s": 100.0, "events": 1,
    "servers": [{"host": "a", "role": "primary"}, {"host": "b", "role": "secondary"}],
    "pool_series": {"interval_s": 10.0, "t_s": [0, 10], "servers": []},
    "lease_times_s": {"1800": 2}
  })";
  std::ofstream(dir / "states.dot") << "digraph g {}\n";
  std::ofstream timeline(dir / "timeline.jsonl");
  auto ev = [&timeline, shuffle](const std::string& line) {
    timeline << (shuffle ? shuffled(line) : line) << "\n";
  };
  ev(R"({"t_ms":0,"server":"a","kind":"state","from":"recover","to":"startup","text":""})");
  ev(R"({"t_ms":5,"server":"a","kind":"link","link":"up","why":"connected","text":"r up"})");
  ev(R"({"t_ms":10,"server":"a","kind":"state","from":"startup","to":"normal","text":""})");
  ev(R"({"t_ms":12000,"server":"a","kind":"grant","grant":"new","text":""})");
  ev(R"({"t_ms":19999,"server":"b","kind":"grant","grant":"renew","text":""})");
  ev(R"({"t_ms":20000,"server":null,"kind":"script","action":"partition","direction":"both","text":"cut"})");
  ev(R"({"t_ms":25000,"server":"b","kind":"link","link":"down","why":"disconnected","text":"r down"})");
  ev(R"({"t_ms":30000,"server":"a","kind":"state","from":"normal","to":"communications-interrupted","text":""})");
  ev(R"({"t_ms":31000,"server":"a","kind":"dhcp","message":"DHCPDISCOVER","text":"x"})");
  ev(R"({"t_ms":40000,"server":null,"kind":"script","action":"set-state","target":"a","text":"set"})");
  ev(R"({"t_ms":50000,"server":null,"kind":"script","action":"heal","direction":"both","text":"heal"})");
  ev(R"({"t_ms":55000,"server":"a","kind":"link","link":"up","why":"connected","text":"r up"})");
  ev(R"({"t_ms":60000,"server":"b","kind":"process","action":"crash","text":"gone"})");
  ev(R"({"t_ms":80000,"server":"b","kind":"process","action":"start","text":"starts"})");
  ev(R"({"t_ms":80000,"server":"b","kind":"state","from":"recover","to":"startup","text":""})");
  ev(R"({"t_ms":99999,"server":"b","kind":"grant","grant":"rebind","text":""})");
  timeline.close();
  std::string error;
  const auto run = fosim::tools::read_run_dir(dir, error);
  REQUIRE_MESSAGE(run.has_value(), error);
  fs::remove_all(dir);
  return *run;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("report: bands: from state changes, to the end of the run") {
    const auto bands =
        fosim::tools::bands_from_changes("recover", {{0, "startup"}, {10, "normal"}}, 100);
    REQUIRE(bands.size() == 2);  // the zero-length recover at t = 0 is left out
    CHECK(bands[0].start_ms == 0);
    CHECK(bands[0].end_ms == 10);
    CHECK(bands[0].state == "startup");
    CHECK(bands[1].start_ms == 10);
    CHECK(bands[1].end_ms == 100);
    CHECK(bands[1].state == "normal");
  }

  TEST_CASE("report: data: lanes, link, partitions, marks and grant buckets") {
    const auto d = fosim::tools::report_data(small_run(), "9.9");
    CHECK(d["version"] == "9.9");
    CHECK(d["end_ms"] == 100000);
    const auto& lane = d["lanes"][0];
    REQUIRE(lane.size() == 3);
    CHECK(lane[0]["state"] == "startup");
    CHECK(lane[1]["state"] == "normal");
    CHECK(lane[1]["s"] == 10);
    CHECK(lane[2]["state"] == "communications-interrupted");
    CHECK(lane[2]["e"] == 100000);
    // b: the state its first move is from, down 60-80 s (crash), then startup.
    const auto& b = d["lanes"][1];
    REQUIRE(b.size() == 3);
    CHECK(b[0]["state"] == "recover");
    CHECK(b[0]["e"] == 60000);
    CHECK(b[1]["state"] == "down");
    CHECK(b[1]["s"] == 60000);
    CHECK(b[1]["e"] == 80000);
    CHECK(b[1]["cause"] == "crash");
    CHECK(b[2]["state"] == "startup");
    CHECK(b[2]["s"] == 80000);
    CHECK(d["colours"].contains("down"));
    // The link: up 5 ms - 25 s, then again from 55 s to the end.
    REQUIRE(d["link"].size() == 2);
    CHECK(d["link"][0]["s"] == 5);
    CHECK(d["link"][0]["e"] == 25000);
    CHECK(d["link"][1]["s"] == 55000);
    CHECK(d["link"][1]["e"] == 100000);
    REQUIRE(d["partitions"].size() == 1);
    CHECK(d["partitions"][0]["s"] == 20000);
    CHECK(d["partitions"][0]["e"] == 50000);
    REQUIRE(d["marks"].size() == 1);
    CHECK(d["marks"][0]["t"] == 40000);
    // 10-s buckets: 12 s and 19.999 s both fall in bucket 1; 99.999 s in bucket 9.
    CHECK(d["grants"]["bucket_ms"] == 10000);
    CHECK(d["grants"]["servers"][0]["new"][1] == 1);
    CHECK(d["grants"]["servers"][1]["renew"][1] == 1);
    CHECK(d["grants"]["servers"][1]["rebind"][9] == 1);
    CHECK(d["grants"]["servers"][0]["new"].size() == 11);
    // DHCP lines and grants stay out of the page's timeline: 16 events, 4 grants/dhcp.
    CHECK(d["events"].size() == 12);
  }

  TEST_CASE("report: data: the same whatever the key order of timeline.jsonl") {
    CHECK(fosim::tools::report_data(small_run(true), "9.9").dump() ==
          fosim::tools::report_data(small_run(false), "9.9").dump());
    // A real run, every line's keys reordered.
    const fs::path dir = scratch("order"), mixed = scratch("order-mixed");
    REQUIRE(run_fosim({"run", library + "graceful-restart.json", "--quiet", "--out", dir.string()})
                .rc == 0);
    fs::create_directories(mixed);
    fs::copy_file(dir / "summary.json", mixed / "summary.json");
    fs::copy_file(dir / "states.dot", mixed / "states.dot");
    std::ifstream in(dir / "timeline.jsonl");
    std::ofstream out(mixed / "timeline.jsonl");
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line); ++lines) out << shuffled(line) << "\n";
    out.close();
    CHECK(lines > 100);
    std::string error;
    const auto a = fosim::tools::read_run_dir(dir, error);
    const auto b = fosim::tools::read_run_dir(mixed, error);
    REQUIRE(a);
    REQUIRE(b);
    const auto da = fosim::tools::report_data(*a, "1"), db = fosim::tools::report_data(*b, "1");
    CHECK(da["lanes"] == db["lanes"]);
    CHECK(da["link"] == db["link"]);
    CHECK(da["partitions"] == db["partitions"]);
    CHECK(da["marks"] == db["marks"]);
    CHECK(da["grants"] == db["grants"]);
    CHECK(da.dump() == db.dump());
    CHECK_FALSE(da["link"].empty());
    fs::remove_all(dir);
    fs::remove_all(mixed);
  }

  TEST_CASE("report: page: one file, data that cannot close its script") {
    const auto d = fosim::tools::report_data(small_run(), "9.9");
    const std::string page = fosim::tools::report_html(d, "", "No state diagram: dot is missing.");
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("<title>fosim report: hand</title>") != std::string::npos);
    // The description's "</script>" must not end the data block early.
    CHECK(page.find("a </script> in the text") == std::string::npos);
    CHECK(page.find("a \\u003c/script> in the text") != std::string::npos);
    CHECK(page.find("id=\"diagram-missing\">No state diagram: dot is missing.") !=
          std::string::npos);
    // Nothing is fetched: no external script, style sheet, font or image.
    CHECK(page.find("src=\"http") == std::string::npos);
    CHECK(page.find("href=\"http") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);
    // url() only ever names a fragment of the page itself (the hatch pattern), never a file.
    std::size_t urls = 0, local = 0;
    for (std::size_t at = page.find("url("); at != std::string::npos;
         at = page.find("url(", at + 4)) {
      ++urls;
      if (page.compare(at + 4, 1, "#") == 0) ++local;
    }
    CHECK(urls == local);
  }

  TEST_CASE("report: ascii swimlanes: 100 columns, the longest state in each slice") {
    // 200 s over 100 - 6 - 3 = 91 columns: ceil(200000 / 91) = 2198 ms a column.
    const std::vector<std::vector<Band>> lanes{
        {{0, 20000, "normal"}, {20000, 200000, "partner-down"}}, {{0, 200000, "normal"}}};
    const std::string text =
        fosim::tools::ascii_swimlanes({"dhcp-a", "dhcp-b"}, lanes, 200000, 100);
    std::istringstream lines(text);
    std::string axis, a, b, legend;
    std::getline(lines, axis);
    std::getline(lines, a);
    std::getline(lines, b);
    std::getline(lines, legend);
    CHECK(a.size() == 100);
    CHECK(b.size() == 100);
    CHECK(a.rfind("dhcp-a |", 0) == 0);
    // Columns 0..8 end by 19.782 s (normal); column 9 covers 19.782-21.980 s, of which only
    // 218 ms are normal: partner-down.
    CHECK(a.substr(8, 10) == "nnnnnnnnnP");
    CHECK(b.substr(8, 91) == std::string(91, 'n'));
    CHECK(legend.find("one column = 2.198 s") != std::string::npos);
    CHECK(legend.find("P partner-down") != std::string::npos);
  }

  TEST_CASE("report: ascii swimlanes: a server that is down has its own glyph") {
    // 100 s over 91 columns: ceil(100000 / 91) = 1099 ms a column; down 30-60 s covers
    // columns 28..53 whole (30.772 s to 59.373 s), and most of 27 and 54.
    const std::vector<std::vector<Band>> lanes{
        {{0, 30000, "normal"}, {30000, 60000, "down"}, {60000, 100000, "recover"}},
        {{0, 100000, "normal"}}};
    const std::string text = fosim::tools::ascii_swimlanes({"dhcp-a", "dhcp-b"}, lanes, 100000);
    std::istringstream lines(text);
    std::string axis, a, b, legend;
    std::getline(lines, axis);
    std::getline(lines, a);
    std::getline(lines, b);
    std::getline(lines, legend);
    const std::string row = a.substr(8, 91);
    CHECK(row.substr(0, 27) == std::string(27, 'n'));
    CHECK(row.substr(28, 26) == std::string(26, '-'));
    CHECK(row.find('-') == 27);
    CHECK(row.rfind('-') == 54);
    CHECK(b.substr(8, 91) == std::string(91, 'n'));
    CHECK(legend.find("- down") != std::string::npos);
  }

  TEST_CASE("report: a crashed server is down in the text swimlane of fosim run") {
    const auto r = run_fosim({"run", library + "graceful-restart.json"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("- down") != std::string::npos);
  }

  TEST_CASE("cli: report: the page of a run directory, and its errors") {
    const fs::path dir = scratch("run");
    REQUIRE(
        run_fosim({"run", library + "field-report.json", "--quiet", "--out", dir.string()}).rc ==
        0);
    const fs::path page = scratch("field-report.html");
    const auto r = run_fosim({"report", dir.string(), "-o", page.string()});
    CHECK(r.rc == 0);
    std::ifstream in(page);
    std::stringstream s;
    s << in.rdbuf();
    CHECK(s.str().find("<title>fosim report: field-report</title>") != std::string::npos);
    CHECK_FALSE(fs::exists(page.string() + ".tmp"));
    CHECK(run_fosim({"report", dir.string()}).rc == 2);  // no -o
    const auto missing = run_fosim({"report", (dir / "nothing").string(), "-o", page.string()});
    CHECK(missing.rc == 2);
    CHECK(missing.err.find("summary.json") != std::string::npos);
    fs::remove_all(dir.parent_path());
  }

  TEST_CASE("cli: report: without Graphviz the page and stderr say so") {
    const fs::path dir = scratch("run-nodot");
    REQUIRE(
        run_fosim({"run", library + "field-report.json", "--quiet", "--out", dir.string()}).rc ==
        0);
    const fs::path page = scratch("nodot.html");
    const std::string saved = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    ::setenv("PATH", "/nonexistent", 1);  // no `dot` to be found
    const auto r = run_fosim({"report", dir.string(), "-o", page.string()});
    ::setenv("PATH", saved.c_str(), 1);
    CHECK(r.rc == 0);
    CHECK(r.err.find("warning: No state diagram: Graphviz 'dot' is not installed") !=
          std::string::npos);
    std::ifstream in(page);
    std::stringstream s;
    s << in.rdbuf();
    CHECK(s.str().find("id=\"diagram-missing\">No state diagram") != std::string::npos);
    CHECK(s.str().find("<div class=\"diagram\">") == std::string::npos);
    fs::remove_all(dir.parent_path());
  }

  TEST_CASE("cli: run: --html writes the report without a run directory") {
    const fs::path page = scratch("split-brain.html");
    const auto r =
        run_fosim({"run", library + "split-brain.json", "--quiet", "--html", page.string()});
    CHECK(r.rc == 0);
    CHECK(fs::file_size(page) > 10000);
    CHECK(
        run_fosim({"run", library + "split-brain.json", "--html", "/nonexistent/dir/x.html"}).rc ==
        2);
    // --out makes DIR only, never its missing parent: refused, and nothing is made.
    const fs::path out = page.parent_path() / "new" / "run";
    CHECK(run_fosim({"run", library + "field-report.json", "--quiet", "--out", out.string()}).rc ==
          2);
    CHECK_FALSE(fs::exists(page.parent_path() / "new"));
    // The README's quick start (after mkdir -p out): --html beside the directory --out makes.
    fs::create_directory(page.parent_path() / "new");
    CHECK(run_fosim({"run", library + "field-report.json", "--quiet", "--out", out.string(),
                     "--html", (page.parent_path() / "new" / "report.html").string()})
              .rc == 0);
    CHECK(fs::exists(page.parent_path() / "new" / "report.html"));
    fs::remove_all(page.parent_path());
  }
}
