// Reading scenario files: values, and every kind of error with its path, line and hint.
#include "fosim/formats/scenario_json.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "fosim/sim/isc_wording.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/sim/trace.hpp"

using fosim::sim::parse_duration;
using fosim::sim::parse_scenario;
using Ms = fosim::core::Duration;

namespace {

const std::string valid = R"({
  "relationship": "r",
  "duration": "2h",
  "servers": [
    {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1", "load_balance_max_seconds": 3},
    {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2", "mclt": "30m", "split": 128,
     "load_balance_max_seconds": 3}
  ],
  "pool": {"range": ["10.0.1.10", "10.0.1.20"], "default_lease_time": 3600},
  "clients": [{"count": 5, "reach": "primary", "arrival": {"start": "1m", "window": 90}}],
  "script": [{"at": "1h", "action": "heal"}, {"at": "30m", "action": "set-state", "server": "a", "state": "PARTNER_DOWN"}],
  "expect": {"no_duplicates": true, "states": [{"at": "1h", "server": "secondary", "state": "normal"}]}
})";

bool has_error(const fosim::sim::LoadResult& r, std::string_view path, std::string_view fragment) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const fosim::sim::ScenarioError& e) {
    return e.path == path && e.message.find(fragment) != std::string::npos;
  });
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto p = text.find(from);
  REQUIRE(p != std::string::npos);
  return text.replace(p, from.size(), to);
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("scenario_json: durations in the timelines' own format") {
    CHECK(parse_duration("01:30:00") == Ms{5400000});
    CHECK(parse_duration("1+00:00:16.35") == Ms{86416350});
    CHECK_FALSE(parse_duration("25:00:00"));
    CHECK_FALSE(parse_duration("1:30"));
  }

  TEST_CASE("scenario_json: durations") {
    CHECK(parse_duration("90s") == Ms{90000});
    CHECK(parse_duration("1h30m") == Ms{5400000});
    CHECK(parse_duration("250ms") == Ms{250});
    CHECK(parse_duration("1d") == Ms{86400000});
    CHECK(parse_duration("1.5") == Ms{1500});
    for (const char* bad : {"", "-5s", "5x", "s", "1h-2m"})
      CHECK_FALSE(parse_duration(bad).has_value());
    // 9300 parts of 1e15 ms each: the sum overflowed int64 (UBSan) and came out negative.
    std::string many;
    for (int i = 0; i < 9300; ++i) many += "11574074d";
    CHECK_FALSE(parse_duration(many).has_value());
  }

  TEST_CASE("scenario_json: a valid file, primary stored first, script sorted") {
    const auto r = parse_scenario(valid, "t.json");
    for (const auto& e : r.errors) INFO(fosim::sim::format(e));
    REQUIRE(r.scenario.has_value());
    const auto& sc = *r.scenario;
    CHECK(sc.name == "t");
    CHECK(sc.duration == Ms{7200000});
    CHECK(sc.servers[0].host == "a");
    CHECK(sc.servers[0].config.mclt_s == 1800);
    CHECK(sc.servers[1].config.role == fosim::core::Role::secondary);
    CHECK(sc.pool.last - sc.pool.first == 10);
    CHECK(sc.clients[0].reach == fosim::sim::Reach::primary_only);
    CHECK(sc.clients[0].arrival_window == Ms{90000});
    REQUIRE(sc.script.size() == 2);
    CHECK(sc.script[0].type == fosim::sim::ActionType::set_state);  // sorted by time
    CHECK(sc.script[0].state == fosim::core::State::partner_down);
    CHECK(sc.expect.states[0].server == 1);
  }

  TEST_CASE("scenario_json: errors name the path, the line and what is valid") {
    SUBCASE("unknown keys, top level and nested") {
      const auto r =
          parse_scenario(with(valid, "\"duration\"", "\"durration\": 1, \"duration\""), "t.json");
      CHECK(has_error(r, "/durration", "unknown key"));
      const auto n =
          parse_scenario(with(valid, "\"count\": 5", "\"count\": 5, \"colour\": 1"), "t.json");
      REQUIRE(has_error(n, "/clients/0/colour", "unknown key"));
      CHECK(n.errors[0].valid.find("reach") != std::string::npos);
      CHECK(n.errors[0].line == 10);
    }
    SUBCASE("missing required key, wrong type, bad address") {
      CHECK(has_error(parse_scenario(with(valid, "\"relationship\": \"r\",", ""), "t"),
                      "/relationship", "missing"));
      CHECK(has_error(parse_scenario(with(valid, "\"count\": 5", "\"count\": \"five\""), "t"),
                      "/clients/0/count", "whole number"));
      CHECK(has_error(parse_scenario(with(valid, "\"10.0.1.20\"", "\"10.0.1.256\""), "t"),
                      "/pool/range/1", "not an IPv4"));
    }
    SUBCASE("two primaries, and peer addresses that do not point at each other") {
      CHECK(
          has_error(parse_scenario(
                        with(valid, "\"secondary\", \"address\"", "\"primary\", \"address\""), "t"),
                    "/servers/1/role", "both servers are primary"));
      CHECK(has_error(
          parse_scenario(
              with(valid, "\"peer_address\": \"10.0.0.1\"", "\"peer_address\": \"10.0.0.9\""), "t"),
          "/servers/0/peer_address", "not the other server's address"));
    }
    SUBCASE("ISC's own configuration errors, with ISC's wording") {
      const auto r = parse_scenario(with(valid, "\"split\": 128", "\"split\": 300"), "t");
      REQUIRE(has_error(r, "/servers/1/split", "out of range"));
      CHECK(fosim::sim::format(r.errors[0]).find("split must be between 0 and 256, inclusive") !=
            std::string::npos);
    }
    SUBCASE("set-state with an unknown state; a 3.0.x number that means something else in 4.x") {
      CHECK(has_error(parse_scenario(with(valid, "\"PARTNER_DOWN\"", "\"partnerdown\""), "t"),
                      "/script/1/state", "not a state"));
      const auto w = parse_scenario(
          with(valid, "\"PARTNER_DOWN\"", "{\"local_state\": 1, \"numbering\": \"isc3\"}"), "t");
      REQUIRE(w.scenario.has_value());
      CHECK(w.scenario->script[0].state == fosim::core::State::partner_down);
      REQUIRE(w.warnings.size() == 1);
      CHECK(w.warnings[0].message.find("startup") != std::string::npos);
    }
    SUBCASE("a JSON syntax error names its line") {
      const auto r =
          parse_scenario("{\n  \"relationship\": \"r\",\n  \"duration\": ,\n}", "bad.json");
      REQUIRE(r.errors.size() == 1);
      CHECK(r.errors[0].line == 3);
      CHECK(fosim::sim::format(r.errors[0]).rfind("bad.json:3:", 0) == 0);
    }
    SUBCASE("a number too large for a double is an error on its line, not a crash") {
      const auto r =
          parse_scenario("{\n  \"relationship\": \"r\",\n  \"duration\": 1e400\n}", "big.json");
      REQUIRE(r.errors.size() == 1);
      CHECK(r.errors[0].line == 3);
      CHECK(r.errors[0].message.find("number overflow") != std::string::npos);
    }
    SUBCASE("times that do not fit ISC's 32 bits, or are not positive, are refused") {
      // 4294967296 s would wrap to a 0-s lease and a renewal storm.
      CHECK(has_error(parse_scenario(with(valid, "\"default_lease_time\": 3600",
                                          "\"default_lease_time\": 4294967296"),
                                     "t"),
                      "/pool/default_lease_time", "out of range"));
      CHECK(parse_scenario(
                with(valid, "\"default_lease_time\": 3600", "\"default_lease_time\": 4294967295"),
                "t")
                .errors.empty());
      CHECK(has_error(
          parse_scenario(with(valid, "\"count\": 5", "\"count\": 5, \"requested_lease_time\": -1"),
                         "t"),
          "/clients/0/requested_lease_time", "must be positive"));
      CHECK(has_error(
          parse_scenario(with(valid, "\"no_duplicates\": true", "\"first_lease_time\": 0"), "t"),
          "/expect/first_lease_time", "must be positive"));
    }
    SUBCASE("durations have a ten-year ceiling") {
      CHECK(has_error(parse_scenario(with(valid, "\"2h\"", "\"3651d\""), "t"), "/duration",
                      "longer than"));
      CHECK(parse_scenario(with(valid, "\"2h\"", "\"3650d\""), "t").errors.empty());
    }
    SUBCASE("an empty action name is an unknown action") {
      CHECK(has_error(parse_scenario(with(valid, "\"action\": \"heal\"", "\"action\": \"\""), "t"),
                      "/script/0/action", "unknown action ''"));
    }
    SUBCASE("max_time_to_normal needs a heal to measure from") {
      const std::string no_heal = with(valid, "{\"at\": \"1h\", \"action\": \"heal\"}, ", "");
      CHECK(parse_scenario(no_heal, "t").errors.empty());
      CHECK(has_error(
          parse_scenario(with(no_heal, "\"no_duplicates\": true", "\"max_time_to_normal\": \"2m\""),
                         "t"),
          "/expect/max_time_to_normal", "no heal"));
    }
    SUBCASE("config: servers and pool from a pair of dhcpd.conf files") {
      const std::string primary =
          "failover peer \"r\" {\n primary;\n address 10.0.0.1;\n peer address 10.0.0.2;\n mclt "
          "600;\n split 128;\n"
          " load balance max seconds 3;\n}\nsubnet 10.0.1.0 netmask 255.255.255.0 {\n pool {\n  "
          "failover peer \"r\";\n"
          "  default-lease-time 1200;\n  range 10.0.1.10 10.0.1.20;\n }\n}\n";
      std::string secondary = primary;
      for (const auto& [from, to] :
           {std::pair<std::string, std::string>{" primary;", " secondary;"},
            {"address 10.0.0.1;", "address 10.0.0.9;"},
            {"peer address 10.0.0.2;", "peer address 10.0.0.1;"},
            {" mclt 600;\n", ""},
            {" split 128;\n", ""}})
        secondary = with(secondary, from, to);
      secondary = with(secondary, "address 10.0.0.9;", "address 10.0.0.2;");
      const fosim::core::IncludeReader reader =
          [&](const std::string& path, std::string& error) -> std::optional<std::string> {
        if (path == "a.conf") return primary;
        if (path == "b.conf") return secondary;
        error = "no such file";
        return std::nullopt;
      };
      const std::string sc =
          R"({"duration": "1h", "config": {"primary": "a.conf", "secondary": "b.conf"}})";
      const auto r = parse_scenario(sc, "t.json", reader);
      REQUIRE_MESSAGE(r.errors.empty(), (r.errors.empty() ? "" : fosim::sim::format(r.errors[0])));
      CHECK(r.scenario->relationship == "r");
      CHECK(r.scenario->servers[0].host == "a");
      CHECK(r.scenario->servers[0].config.mclt_s == 600);
      CHECK(r.scenario->servers[1].config.role == fosim::core::Role::secondary);
      CHECK(r.scenario->pool.first == ((10u << 24) | (1u << 8) | 10u));
      CHECK(r.scenario->pool.last == ((10u << 24) | (1u << 8) | 20u));
      CHECK(r.scenario->pool.default_lease_time == fosim::core::Seconds{1200});
      // A problem in a file is reported with that file and line.
      const auto bad =
          parse_scenario(sc, "t.json", [&](const std::string& path, std::string& error) {
            return path == "b.conf"
                       ? std::optional<std::string>(
                             with(secondary, "peer address 10.0.0.1;", "peer address 10.0.0.7;"))
                       : reader(path, error);
          });
      CHECK(
          std::any_of(bad.errors.begin(), bad.errors.end(), [](const fosim::sim::ScenarioError& e) {
            return e.file == "b.conf" && e.line == 4 &&
                   e.message.find("is not the other server's address") != std::string::npos;
          }));
      CHECK(has_error(
          parse_scenario(
              R"({"duration": "1h", "config": {"primary": "a.conf", "secondary": "x.conf"}})",
              "t.json", reader),
          "/config/secondary", "no such file"));
      CHECK(has_error(parse_scenario(with(valid, "\"duration\": \"2h\",",
                                          "\"duration\": \"2h\", \"config\": {\"primary\": "
                                          "\"a.conf\", \"secondary\": \"b.conf\"},"),
                                     "t.json", reader),
                      "/servers", "given twice"));
    }
    SUBCASE("JSON nested absurdly deep is an error on its line, not a stack overflow") {
      // A million '[' crashed when the 'not a duration' message quoted the value.
      const auto r = parse_scenario(
          "{\n  \"duration\":\n" + std::string(1000000, '[') + std::string(1000000, ']') + "}",
          "deep.json");
      REQUIRE(r.errors.size() == 1);
      CHECK(r.errors[0].line == 3);
      CHECK(r.errors[0].message == "JSON nests arrays and objects more than 100 deep");
      // Brackets inside strings do not count.
      CHECK(parse_scenario(with(valid, "\"r\"", "\"" + std::string(200, '[') + "\""), "t")
                .errors.empty());
    }
    SUBCASE("a missing required key is reported, not read") {
      // Found by fuzzing: both read the absent key through a const json's [] (out of bounds).
      const auto config = parse_scenario(
          R"({"duration": 10, "config": {"primary": "a.conf"}})", "t.json",
          [](const std::string&, std::string&) { return std::optional<std::string>(""); });
      CHECK(has_error(config, "/config/secondary", "missing required key"));
      CHECK(has_error(parse_scenario(with(valid, "\"PARTNER_DOWN\"", "{}"), "t"),
                      "/script/1/state/local_state", "missing required key"));
    }
    SUBCASE("several errors are all reported") {
      const auto r = parse_scenario(
          with(with(valid, "\"count\": 5", "\"count\": -1"), "\"2h\"", "\"2x\""), "t");
      CHECK(r.errors.size() >= 2);
      CHECK_FALSE(r.scenario.has_value());
    }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("scenario_json: a server's clock phase, read, checked and written back") {
    const auto r = parse_scenario(
        with(valid, "\"host\": \"a\",", "\"host\": \"a\", \"clock_phase_ms\": 430,"), "t.json");
    REQUIRE(r.scenario);
    CHECK(r.scenario->servers[0].clock_phase == Ms{430});  // the primary is stored first
    CHECK(!r.scenario->servers[1].clock_phase);            // unset: drawn from the seed
    const std::string written = fosim::sim::write_scenario(*r.scenario);
    CHECK(written.find("\"clock_phase_ms\": 430") != std::string::npos);
    const auto back = parse_scenario(written, "w.json");
    REQUIRE(back.scenario);
    CHECK(back.scenario->servers[0].clock_phase == Ms{430});
    const auto bad = parse_scenario(
        with(valid, "\"host\": \"a\",", "\"host\": \"a\", \"clock_phase_ms\": 1000,"), "t.json");
    CHECK(has_error(bad, "/servers/1/clock_phase_ms", "below a second"));
    CHECK(!bad.errors.empty());
    if (!bad.errors.empty()) CHECK(bad.errors[0].valid == "0 to 999");
  }

  TEST_CASE("scenario_json: a written scenario reads back the same and plays the same") {
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(FOSIM_SOURCE_DIR) / "scenarios")) {
      if (entry.path().extension() != ".json") continue;
      CAPTURE(entry.path().string());
      const auto loaded = fosim::sim::load_scenario(entry.path().string());
      REQUIRE(loaded.scenario);
      const std::string once = fosim::sim::write_scenario(*loaded.scenario);
      const auto back = fosim::sim::parse_scenario(once, "written.json");
      REQUIRE(back.scenario);
      CHECK(fosim::sim::write_scenario(*back.scenario) == once);
      fosim::sim::MemoryTrace a, b;
      fosim::sim::Simulator x(*loaded.scenario, loaded.scenario->seed, &a);
      x.run();
      fosim::sim::Simulator y(*back.scenario, back.scenario->seed, &b);
      y.run();
      REQUIRE(a.events.size() == b.events.size());
      for (std::size_t i = 0; i < a.events.size(); ++i)
        CHECK(fosim::sim::render(a.events[i]) == fosim::sim::render(b.events[i]));
    }
  }
}

TEST_SUITE("sim") {
  TEST_CASE("scenario_json: no_mclt_violations is read, written back and checked") {
    // Without the operator's partner-down: the pair stays in normal, where a server grants at
    // most the MCLT beyond what its partner has acknowledged.
    const std::string quiet = with(valid,
                                   ", {\"at\": \"30m\", \"action\": \"set-state\", \"server\": "
                                   "\"a\", \"state\": \"PARTNER_DOWN\"}",
                                   "");
    const auto r = parse_scenario(
        with(quiet, "\"no_duplicates\": true", "\"no_mclt_violations\": true"), "t.json");
    REQUIRE(r.scenario);
    CHECK(r.scenario->expect.no_mclt_violations == true);
    const std::string written = fosim::sim::write_scenario(*r.scenario);
    CHECK(written.find("\"no_mclt_violations\": true") != std::string::npos);
    CHECK(has_error(
        parse_scenario(with(valid, "\"no_duplicates\": true", "\"no_mclt_violations\": 1"),
                       "t.json"),
        "/expect/no_mclt_violations", ""));
    // Five clients reaching the primary, no fault: every lease is within the MCLT, so the
    // expectation holds and says what it counted.
    fosim::sim::Simulator s(*r.scenario, 1, nullptr);
    s.run();
    const auto verdict = fosim::sim::check_expectations(s);
    const auto it = std::find_if(verdict.begin(), verdict.end(), [](const auto& e) {
      return e.what == "no lease past the partner's acknowledgement plus the MCLT";
    });
    REQUIRE(it != verdict.end());
    CHECK(it->passed);
    CHECK(it->observed == "0 MCLT violations");
  }
}

TEST_SUITE("sim") {
  TEST_CASE("scenario_json: profile and acceptable, read, checked and written back") {
    using fosim::sim::Invariant;
    const auto r = parse_scenario(with(valid, "\"duration\": \"2h\",",
                                       "\"duration\": \"2h\", \"profile\": \"draft-12\", "
                                       "\"acceptable\": [\"not-normal\", \"duplicate-address\"],"),
                                  "t.json");
    REQUIRE(r.errors.empty());
    CHECK(r.scenario->profile == fosim::core::ProfileId::draft_12);
    // Kept in the invariants' own order, whatever order the file lists them in.
    CHECK(r.scenario->acceptable ==
          std::vector<Invariant>{Invariant::duplicate, Invariant::not_normal});
    const std::string written = fosim::sim::write_scenario(*r.scenario);
    CHECK(written.find("\"profile\": \"draft-12\"") != std::string::npos);
    const auto back = parse_scenario(written, "written.json");
    REQUIRE(back.scenario);
    CHECK(back.scenario->profile == fosim::core::ProfileId::draft_12);
    CHECK(back.scenario->acceptable == r.scenario->acceptable);
    // The default profile is ISC's, and a file that does not name one is written without it.
    const auto plain = parse_scenario(valid, "t.json");
    REQUIRE(plain.scenario);
    CHECK(plain.scenario->profile == fosim::core::ProfileId::isc_4_4);
    CHECK(fosim::sim::write_scenario(*plain.scenario).find("profile") == std::string::npos);

    const auto bad = [&](const std::string& keys) {
      return parse_scenario(with(valid, "\"duration\": \"2h\",", "\"duration\": \"2h\", " + keys),
                            "t.json");
    };
    const auto unknown_profile = bad("\"profile\": \"isc-3.0\",");
    REQUIRE(has_error(unknown_profile, "/profile", "unknown profile 'isc-3.0'"));
    CHECK(unknown_profile.errors[0].valid == "isc-4.4, draft-12");
    const auto unknown_invariant = bad("\"acceptable\": [\"not-normal\", \"split-brain\"],");
    REQUIRE(has_error(unknown_invariant, "/acceptable/1", "unknown invariant 'split-brain'"));
    CHECK(unknown_invariant.errors[0].valid == "duplicate-address, mclt-violation, not-normal");
    CHECK(has_error(bad("\"acceptable\": \"not-normal\","), "/acceptable", "expected a list"));
    CHECK(has_error(bad("\"acceptable\": [\"not-normal\", \"not-normal\"],"), "/acceptable/1",
                    "given twice"));
  }
}
