// play() and OutputFiles as a program calling them sees them: errors as values naming the file,
// nothing left behind on failure, and the files fosim run --out writes.
#include "fosim/tools/play.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/output_files.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;
using fosim::tools::OutputFiles;
using fosim::tools::play;
using fosim::tools::PlayOptions;
using fosim::tools::PlayResult;

namespace {

const std::string library = std::string(FOSIM_SOURCE_DIR) + "/scenarios/";

/// A fresh, empty directory for one test, removed at its end.
struct TempDir {
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "fosim-play-test-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() { fs::remove_all(path); }
  /// Returns the names in `dir` (this directory by default), sorted.
  std::vector<std::string> names(const fs::path& dir = {}) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir.empty() ? path : dir))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path path;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fosim::sim::Scenario load(const std::string& name) {
  const fosim::sim::LoadResult loaded = fosim::sim::load_scenario(library + name);
  REQUIRE(loaded.scenario);
  return *loaded.scenario;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("play: a run directory under a regular file is an error value naming it") {
    TempDir tmp;
    std::ofstream(tmp.path / "plain") << "x";
    const fosim::sim::Scenario sc = load("partition-short.json");
    PlayOptions options;
    options.out_dir = tmp.path / "plain" / "run";
    const PlayResult r = play(sc, 1, options);
    REQUIRE(r.error);
    CHECK(r.error->file == options.out_dir);
    CHECK(r.error->message.find((tmp.path / "plain" / "run").string()) != std::string::npos);
    CHECK_FALSE(r.run);  // refused before the scenario was played
    CHECK(tmp.names() == std::vector<std::string>{"plain"});
    CHECK(slurp(tmp.path / "plain") == "x");
  }

  TEST_CASE("play: a directory in the way of one file refuses the run before it starts") {
    TempDir tmp;
    fs::create_directories(tmp.path / "states.dot");
    const fosim::sim::Scenario sc = load("partition-short.json");
    PlayOptions options;
    options.out_dir = tmp.path;
    const PlayResult r = play(sc, 1, options);
    REQUIRE(r.error);
    CHECK(r.error->file == tmp.path / "states.dot");
    CHECK(r.error->message.find("it is a directory") != std::string::npos);
    CHECK_FALSE(r.run);
    CHECK(tmp.names() == std::vector<std::string>{"states.dot"});
  }

  TEST_CASE("play: one output failing at the end leaves none of them, nor a .tmp") {
    TempDir tmp;
    const fosim::sim::Scenario sc = load("partition-short.json");
    const fs::path dir = tmp.path / "run";
    OutputFiles files;
    REQUIRE_FALSE(files.make_dir(dir));
    const PlayResult r = fosim::tools::play_into(sc, 1, std::nullopt, dir, files);
    REQUIRE_FALSE(r.error);
    REQUIRE(r.run);
    // While the run was going, something else took the place of its diagram.
    fs::create_directories(dir / "states.dot");
    const auto error = files.commit();
    REQUIRE(error);
    CHECK(error->file == dir / "states.dot");
    CHECK(tmp.names(dir) == std::vector<std::string>{"states.dot"});  // no timeline, no .tmp
  }

  TEST_CASE("play: the same bytes as fosim run --out, and the verdict of its expectations") {
    TempDir tmp;
    const fosim::sim::Scenario sc = load("partition-short.json");
    PlayOptions options;
    options.out_dir = tmp.path / "library";
    const PlayResult r = play(sc, 7, options);
    REQUIRE_FALSE(r.error);
    REQUIRE(run_fosim({"run", library + "partition-short.json", "--seed", "7", "--quiet", "--out",
                       (tmp.path / "cli").string()})
                .rc == 0);
    for (const char* name : {"timeline.jsonl", "summary.json", "states.dot", "dhcpd-primary.leases",
                             "dhcpd-secondary.leases"}) {
      CAPTURE(name);
      CHECK(slurp(tmp.path / "library" / name) == slurp(tmp.path / "cli" / name));
    }
    CHECK(tmp.names(tmp.path / "library") ==
          std::vector<std::string>{"dhcpd-primary.leases", "dhcpd-secondary.leases", "states.dot",
                                   "summary.json", "timeline.jsonl"});
    const auto summary = nlohmann::json::parse(slurp(tmp.path / "library" / "summary.json"));
    CHECK(summary["seed"] == 7);
    CHECK(summary["scenario"] == sc.name);
    REQUIRE_FALSE(r.verdict.empty());
    for (const auto& e : r.verdict) CHECK_MESSAGE(e.passed, e.what);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("output files: only a regular file is replaced, and it keeps its permissions") {
    TempDir tmp;
    fs::create_symlink("/dev/null", tmp.path / "link");
    const auto link = fosim::tools::check_output(tmp.path / "link");
    REQUIRE(link);
    CHECK(link->message.find("a symbolic link") != std::string::npos);
    const auto missing = fosim::tools::check_output(tmp.path / "no" / "file");
    REQUIRE(missing);
    CHECK(missing->message == "cannot write " + (tmp.path / "no" / "file").string() + ": " +
                                  (tmp.path / "no").string() +
                                  " does not exist (fosim makes no directories but --out DIR)");
    CHECK_FALSE(fs::exists(tmp.path / "no"));

    const fs::path kept = tmp.path / "kept.txt";
    std::ofstream(kept) << "old";
    ::chmod(kept.c_str(), 0600);
    {
      OutputFiles files;
      REQUIRE_FALSE(files.add(kept));
      files.set(kept, "new");
      REQUIRE_FALSE(files.open(tmp.path / "streamed.txt"));
      files.stream(tmp.path / "streamed.txt") << "line 1\n"
                                              << "line 2\n";
      REQUIRE_FALSE(files.commit());
    }
    CHECK(slurp(kept) == "new");
    CHECK((fs::status(kept).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(slurp(tmp.path / "streamed.txt") == "line 1\nline 2\n");
    CHECK(tmp.names() == std::vector<std::string>{"kept.txt", "link", "streamed.txt"});
  }

  TEST_CASE("output files: a set dropped before commit leaves every file as it was") {
    TempDir tmp;
    std::ofstream(tmp.path / "a.txt") << "old";
    {
      OutputFiles files;
      REQUIRE_FALSE(files.make_dir(tmp.path / "new"));
      files.set(tmp.path / "a.txt", "new");
      REQUIRE_FALSE(files.open(tmp.path / "new" / "b.txt"));
      files.stream(tmp.path / "new" / "b.txt") << "half";
    }
    CHECK(slurp(tmp.path / "a.txt") == "old");
    CHECK(tmp.names() == std::vector<std::string>{"a.txt"});  // the made directory too
  }

  TEST_CASE("output files: only the output directory itself is made, in one that exists") {
    TempDir tmp;
    OutputFiles files;
    const auto error = files.make_dir(tmp.path / "typo" / "run");
    REQUIRE(error);
    CHECK(error->message.find((tmp.path / "typo").string() + " does not exist") !=
          std::string::npos);
    CHECK(tmp.names().empty());
    CHECK(fosim::tools::make_output_dir(tmp.path / "typo" / "run").has_value());
    CHECK(tmp.names().empty());
  }

  TEST_CASE("output files: when the second of two outputs fails, the first is not written") {
    TempDir tmp;
    std::ofstream(tmp.path / "first.txt") << "old";
    fs::create_directory(tmp.path / "gone");
    OutputFiles files;
    files.set(tmp.path / "first.txt", "new");
    REQUIRE_FALSE(files.add(tmp.path / "gone" / "second.txt"));
    files.set(tmp.path / "gone" / "second.txt", "new");
    // The second's directory disappears while the command works, as on a volume unmounted.
    fs::remove(tmp.path / "gone");
    const auto error = files.commit();
    REQUIRE(error);
    CHECK(error->file == tmp.path / "gone" / "second.txt");
    CHECK(slurp(tmp.path / "first.txt") == "old");
    CHECK(tmp.names() == std::vector<std::string>{"first.txt"});  // no first.txt.tmp left
  }
}
