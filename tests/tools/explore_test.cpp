// `fosim explore`: draws that do not depend on the threads, a liveness bound too short for a
// server that lost its lease file, bad ranges refused, and reproducers that fosim run plays.
#include "fosim/tools/explore.hpp"

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

fs::path scratch(const std::string& name) { return fosim::test::scratch_path("explore", name); }

std::string read(const fs::path& p) { return fosim::test::read_file(p); }

/// A small pair: MCLT 600 s, 20 clients on a pool of 51 addresses, an hour long, with a
/// partition in its script (which explore takes out) and an auto-partner-down (turned off).
std::string small_scenario() {
  const fs::path file = scratch("small.json");
  std::ofstream(file) << R"({
  "name": "small",
  "relationship": "dhcp-failover",
  "duration": "1h",
  "servers": [
    {"host": "dhcp-a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
     "max_response_delay": 30, "max_unacked_updates": 10, "mclt": 600, "split": 128,
     "auto_partner_down": 60},
    {"host": "dhcp-b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
     "max_response_delay": 30, "max_unacked_updates": 10}
  ],
  "pool": {"range": ["10.0.0.100", "10.0.0.150"], "default_lease_time": 1200,
           "max_lease_time": 3600},
  "clients": [{"count": 20, "arrival": {"start": "1m", "window": "10m"}}],
  "script": [{"at": "20m", "action": "partition"}, {"at": "21m", "action": "heal"}]
})";
  return file.string();
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("explore: the first line spells out every option that plays it again") {
    const std::string file = small_scenario();
    const auto r = run_fosim({"explore", file, "--random", "2", "--seed", "7", "--range",
                              "mclt=60..900", "--faults", "0", "--threads", "1"});
    // Settle: twice the largest MCLT a draw can have (900 s) plus 10 minutes = 40 minutes;
    // safety: the scenario's hour.
    const std::string first = r.out.substr(0, r.out.find('\n'));
    CHECK(first == "fosim explore " + file +
                       " --random 2 --seed 7 --range mclt=60..900 --safety 1h --settle 40m "
                       "--faults 0 --actions partition,crash,kill,stop,freeze,restart "
                       "--lost-storage 25");
    CHECK(r.rc == 0);
    // The scenario's auto-partner-down is turned off, and the user told so.
    CHECK(r.err.find("dhcp-a's auto_partner_down is off in every draw") != std::string::npos);
  }

  TEST_CASE("explore: the same seed gives the same bytes on 1 and 2 threads") {
    const std::string file = small_scenario();
    auto run = [&](const std::string& threads, const std::string& out) {
      std::vector<std::string> args{
          "explore",  file,      "--random",      "12",      "--seed",
          "3",        "--range", "mclt=300..900", "--range", "max_response_delay=5..60",
          "--settle", "2m",      "--threads",     threads};
      if (!out.empty()) args.insert(args.end(), {"--out", out});
      std::ostringstream o, e;
      const int rc = fosim::tools::run_cli(args, {o, e});
      return std::pair{rc, o.str()};
    };
    const auto one = run("1", ""), two = run("2", "");
    CHECK(one.first == two.first);
    CHECK(one.second == two.second);
    CHECK(one.second.find("12 draws, ") != std::string::npos);
    // The files too: explore.json names the reproducers relative to its directory.
    run("1", scratch("det-1").string());
    run("2", scratch("det-2").string());
    const std::string json = read(scratch("det-1") / "explore.json");
    CHECK(json.find("\"draws\": 12") != std::string::npos);
    CHECK(json == read(scratch("det-2") / "explore.json"));
    // A settle bound of 2 minutes is shorter than a recovery from a lost lease file or a
    // long partition, so some draws violate and have reproducers to compare.
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(scratch("det-1"))) {
      CHECK(read(entry.path()) == read(scratch("det-2") / entry.path().filename()));
      ++files;
    }
    CHECK(files >= 2);
    CHECK(files == static_cast<std::size_t>(std::distance(fs::directory_iterator(scratch("det-2")),
                                                          fs::directory_iterator())));
  }

  TEST_CASE("explore: without faults, 20 draws of settings keep every promise") {
    // Nothing goes wrong: the pair starts, reaches normal within seconds and stays there,
    // whatever MCLT and max-response-delay are drawn.
    const auto r =
        run_fosim({"explore", small_scenario(), "--random", "20", "--faults", "0", "--range",
                   "mclt=60..1800", "--range", "max_response_delay=5..60", "--settle", "10m"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("duplicate-address                 0           -") != std::string::npos);
    CHECK(r.out.find("mclt-violation                    0           -") != std::string::npos);
    CHECK(r.out.find("not-normal                        0           -") != std::string::npos);
    CHECK(r.out.find("20 draws, 0 violate an invariant") != std::string::npos);
  }

  TEST_CASE("explore: one server losing its lease file while its partner keeps its own is safe") {
    // The server comes back in recover, asks its partner (which moved to partner-down) for
    // every lease (UPDREQALL), grants nothing until recover-wait has run MCLT (600 s), and is
    // back in normal well within the settle bound, 2 x 600 s + 10 min = 30 min.
    const auto r = run_fosim({"explore", small_scenario(), "--random", "20", "--faults", "1",
                              "--actions", "crash,kill,stop,restart", "--lost-storage", "100"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("--settle 30m") != std::string::npos);
    CHECK(r.out.find("20 draws, 0 violate an invariant") != std::string::npos);
  }

  TEST_CASE("explore: a restart that loses the lease file cannot be back in normal within MCLT") {
    // One fault per draw: one server restarts without its lease file while its partner, in
    // normal, keeps its own. The restarted server starts in recover, its partner moves to
    // partner-down, and it waits in recover-wait until MCLT (600 s) has passed since it entered
    // recover (draft section 9.6; ISC arms the timer at stos + mclt), so 5 minutes after the
    // restart the pair is not in normal, in every draw. (When both lose their files at once,
    // both are in recover and ISC skips the wait: hence one fault.)
    const fs::path out = scratch("lost");
    const auto r =
        run_fosim({"explore", small_scenario(), "--random", "4", "--faults", "1", "--actions",
                   "restart", "--lost-storage", "100", "--settle", "5m", "--out", out.string()});
    CHECK(r.rc == 1);
    CHECK(r.out.find("not-normal                        4           0") != std::string::npos);
    CHECK(r.out.find("4 draws, 4 violate an invariant") != std::string::npos);
    const auto j = nlohmann::json::parse(read(out / "explore.json"));
    CHECK(j["seed"] == 1);
    CHECK(j["settle_s"] == 300);
    CHECK(j["invariants"][2]["kind"] == "not-normal");
    CHECK(j["invariants"][2]["draws"] == 4);
    REQUIRE(j["violations"].size() >= 4);
    CHECK(j["violations"][0]["draw"] == 0);
    CHECK(j["violations"][0]["file"] == "violation-0.json");
    CHECK(fs::exists(out / "violation-0.html"));

    SUBCASE("the reproducer states every invariant as an expectation") {
      const auto sc = nlohmann::json::parse(read(out / "violation-0.json"));
      CHECK(sc["expect"]["no_duplicates"] == true);
      CHECK(sc["expect"]["no_mclt_violations"] == true);
      CHECK(sc["expect"]["states"].size() == 2);
    }
    SUBCASE("the reproducer plays the same violation with fosim run") {
      const auto played = run_fosim({"run", (out / "violation-0.json").string(), "--quiet"});
      CHECK(played.rc == 1);
      CHECK(played.err.find("expectation failed: state of ") != std::string::npos);
      CHECK(played.err.find("is normal (observed: recover") != std::string::npos);
    }
  }

  TEST_CASE("explore: what a scenario accepts is reported and does not fail the run") {
    // clock-skew.json: the secondary's clock is 90 s ahead, past the 60 s ISC accepts, so every
    // CONNECT is refused and neither server leaves recover; the scenario accepts not-normal.
    const std::string accepting = std::string(FOSIM_SOURCE_DIR) + "/scenarios/clock-skew.json";
    const auto r =
        run_fosim({"explore", accepting, "--random", "3", "--faults", "0", "--settle", "10m"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("not-normal                        3           0  (acceptable to the "
                     "scenario)") != std::string::npos);
    CHECK(r.out.find("3 draws, 3 violate an invariant, 3 of them only as the scenario accepts\n") !=
          std::string::npos);
    // explore.json says so too, for a CI job that reads it.
    const fs::path dir = scratch("accepting");
    CHECK(run_fosim({"explore", accepting, "--random", "3", "--faults", "0", "--settle", "10m",
                     "--out", dir.string()})
              .rc == 0);
    const auto j = nlohmann::json::parse(read(dir / "explore.json"));
    CHECK(j["profile"] == "isc-4.4");
    CHECK(j["invariants"][2]["kind"] == "not-normal");
    CHECK(j["invariants"][2]["draws"] == 3);
    CHECK(j["invariants"][2]["acceptable"] == true);
    CHECK(j["invariants"][0]["acceptable"] == false);
    // The same pair without the key: the same three draws now fail the run.
    auto sc = nlohmann::json::parse(read(accepting));
    REQUIRE(sc["acceptable"] == nlohmann::json::array({"not-normal"}));
    sc.erase("acceptable");
    const fs::path strict = scratch("clock-skew-strict.json");
    std::ofstream(strict) << sc.dump(2);
    const auto s = run_fosim(
        {"explore", strict.string(), "--random", "3", "--faults", "0", "--settle", "10m"});
    CHECK(s.rc == 1);
    CHECK(s.out.find("not-normal                        3           0\n") != std::string::npos);
  }

  TEST_CASE("explore: --compare-profiles plays the same draws under ISC's rules and the draft's") {
    // No faults and no lease files: both servers start in recover. ISC skips recover-wait when
    // the partner is recovering too and is normal within a minute; the draft (section 9.6) keeps
    // each in recover-wait for the MCLT, 600 s here, so a 5-minute bound finds draft-12 alone
    // not normal, in every draw, and a 15-minute bound finds both normal.
    const std::string sc = small_scenario();
    const auto r = run_fosim(
        {"explore", sc, "--random", "3", "--faults", "0", "--settle", "5m", "--compare-profiles"});
    CHECK(r.rc == 1);
    CHECK(r.out.find("--lost-storage 25 --compare-profiles\n") != std::string::npos);
    CHECK(r.out.find("invariant          isc-4.4  draft-12  isc-4.4 only  draft-12 only\n"
                     "duplicate-address        0         0             0              0\n"
                     "mclt-violation           0         0             0              0\n"
                     "not-normal               0         3             0              3\n"
                     "3 draws differ between the profiles:\n") != std::string::npos);
    CHECK(r.out.find("): isc-4.4 keeps every promise; draft-12 not-normal\n") != std::string::npos);
    const auto later = run_fosim(
        {"explore", sc, "--random", "3", "--faults", "0", "--settle", "15m", "--compare-profiles"});
    CHECK(later.rc == 0);
    CHECK(later.out.find("0 draws differ between the profiles") != std::string::npos);
    // One profile, and no files: refused before anything runs.
    const auto both =
        run_fosim({"explore", sc, "--random", "3", "--compare-profiles", "--profile", "draft-12"});
    CHECK(both.rc == 2);
    CHECK(both.out.empty());
    const auto out = run_fosim({"explore", sc, "--random", "3", "--compare-profiles", "--out",
                                scratch("compare").string()});
    CHECK(out.rc == 2);
    CHECK_FALSE(fs::exists(scratch("compare")));
    const auto bad = run_fosim({"explore", sc, "--random", "3", "--profile", "draft-13"});
    CHECK(bad.rc == 2);
    CHECK(bad.err ==
          "fosim explore: --profile 'draft-13' is not valid; valid: isc-4.4, draft-12\n");
  }

  TEST_CASE("explore: a violating draw is written shrunk, beside the draw as drawn") {
    // As above: each restart loses its file, so each draw breaks not-normal whatever the
    // clients do, and the 20 clients shrink to 1 (20, 10, 5, 2, 1: four halvings, after the
    // one trial that drops the only fault and loses the violation). The restart then moves to
    // the first boundary after the start where it still breaks: at 1 s the partner is in
    // recover too and ISC skips the wait, at max-response-delay + 1 s = 31 s the partner is
    // out of startup and the restarted primary waits its 600-s MCLT. The bound follows, 5
    // minutes on (331 s), and the run ends a second later: 8 trials.
    const fs::path out = scratch("shrunk"), kept = scratch("kept");
    const std::vector<std::string> args{
        "explore",   small_scenario(), "--random",       "1",   "--faults", "1",
        "--actions", "restart",        "--lost-storage", "100", "--settle", "5m"};
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> a = args;
      a.insert(a.end(), extra.begin(), extra.end());
      std::ostringstream o, e;
      const int rc = fosim::tools::run_cli(a, {o, e});
      return fosim::test::CliRun{rc, o.str(), e.str()};
    };
    const auto r = with({"--out", out.string()});
    CHECK(r.rc == 1);
    CHECK(r.out.find("draw 0 shrunk (not-normal): 1 faults -> 1, 20 clients -> 1, run 1h5m -> "
                     "5m32s, 8 trial runs") != std::string::npos);
    const auto summary = nlohmann::json::parse(read(out / "explore.json"));
    REQUIRE(summary["shrunk"].size() == 1);
    CHECK(summary["shrunk"][0]["kind"] == "not-normal");
    CHECK(summary["shrunk"][0]["clients"]["drawn"] == 20);
    CHECK(summary["shrunk"][0]["clients"]["shrunk"] == 1);
    CHECK(summary["shrunk"][0]["trials"] == 8);
    CHECK(summary["shrunk"][0]["duration_s"]["drawn"] == 3900);
    CHECK(summary["shrunk"][0]["duration_s"]["shrunk"] == 332);
    CHECK(summary["shrunk"][0]["drawn_file"] == "violation-0-drawn.json");
    const auto shrunk = nlohmann::json::parse(read(out / "violation-0.json"));
    const auto drawn = nlohmann::json::parse(read(out / "violation-0-drawn.json"));
    CHECK(shrunk["clients"][0]["count"] == 1);
    CHECK(shrunk["script"][0]["at"] == 31);
    CHECK(shrunk["expect"]["states"][0]["at"] == 331);
    CHECK(shrunk["duration"] == 332);
    const std::string says = shrunk["description"];
    CHECK(says.find("restarts") != std::string::npos);
    CHECK(says.find("with an empty lease file") != std::string::npos);
    CHECK(says.find("not both normal") != std::string::npos);
    CHECK(drawn["clients"][0]["count"] == 20);
    const auto played = run_fosim({"run", (out / "violation-0.json").string(), "--quiet"});
    CHECK(played.rc == 1);
    CHECK(played.err.find("is normal (observed: recover") != std::string::npos);

    SUBCASE("--no-shrink writes the draw as drawn") {
      const auto n = with({"--out", kept.string(), "--no-shrink"});
      CHECK(n.rc == 1);
      CHECK(n.out.find("draw 0 kept as drawn") != std::string::npos);
      CHECK(read(kept / "violation-0.json") == read(out / "violation-0-drawn.json"));
      CHECK(!fs::exists(kept / "violation-0-drawn.json"));
    }
  }

  TEST_CASE("explore: bad input is exit 2 and names what would be valid") {
    const std::string file = small_scenario();
    auto refused = [&](const std::string& range) {
      return run_fosim({"explore", file, "--random", "3", "--range", range});
    };
    const auto split = refused("split=0..300");
    CHECK(split.rc == 2);
    CHECK(split.err.find("split=300") != std::string::npos);
    CHECK(split.err.find("0 to 256") != std::string::npos);
    const auto unknown = refused("nosuch=1..5");
    CHECK(unknown.rc == 2);
    CHECK(unknown.err.find("unknown setting 'nosuch'; valid: ") != std::string::npos);
    CHECK(unknown.err.find("mclt") != std::string::npos);
    CHECK(refused("mclt=0..60").rc == 2);
    CHECK(refused("auto_partner_down=0..60").rc == 2);
    CHECK(refused("mclt=600..60").rc == 2);
    CHECK(refused("mclt").rc == 2);
    CHECK(run_fosim({"explore", file}).rc == 2);
    CHECK(run_fosim({"explore", file, "--random", "2", "--actions", "crash,nap"})
              .err.find("valid: partition, crash, kill, stop, freeze, restart") !=
          std::string::npos);
    const auto help = run_fosim({"explore", "--help"});
    CHECK(help.rc == 0);
    CHECK(help.out.find("--range") != std::string::npos);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("explore: the reproducing line quotes a path the shell would split") {
    using fosim::tools::shell_word;
    CHECK(shell_word("scenarios/partition-long.json") == "scenarios/partition-long.json");
    CHECK(shell_word("mclt=60..3600") == "mclt=60..3600");
    CHECK(shell_word("my scenarios/a.json") == "'my scenarios/a.json'");
    // A quote inside: close, escaped quote, reopen.
    CHECK(shell_word("bob's.json") == "'bob'\\''s.json'");
    CHECK(shell_word("") == "''");
  }
}
