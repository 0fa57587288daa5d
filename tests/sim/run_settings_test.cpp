// Each row of the client and run settings table as a scenario file and a what-if see it: its key
// reads into its field, writes back out, reads again, and a value out of its range is an error
// at its path naming the range. The values are worked out by hand from the scenario format.
#include "fosim/sim/run_settings.hpp"

#include <doctest/doctest.h>

#include <string>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/scenario_settings.hpp"

using namespace fosim;

namespace {

/// A scenario with two client groups; `run` and `group` are added to the top level and to the
/// first group (a key given twice takes its later value).
std::string scenario(const std::string& run, const std::string& group = "") {
  return R"({"relationship": "r", "duration": "2h", "servers": [
  {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
   "load_balance_max_seconds": 3, "split": 128, "mclt": 1800},
  {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
   "load_balance_max_seconds": 3}],
 "pool": {"range": ["10.0.1.10", "10.0.1.20"]},
 "clients": [{"count": 5)" +
         (group.empty() ? "" : ", " + group) + R"(}, {"count": 2, "macs": ["52:54:00:00:00:01"]}],
 "expect": {"states": [{"at": "90m", "server": "a", "state": "normal"}]})" +
         (run.empty() ? "" : ", " + run) + "}";
}

/// The first error of `r`, formatted; "" when there is none.
std::string first_error(const sim::LoadResult& r) {
  return r.errors.empty() ? "" : sim::format(r.errors[0]);
}

/// One row's hand-worked case: the value as written, as held, and as written back.
struct Case {
  std::string key;
  std::string json;       ///< the value in the scenario file
  std::int64_t held = 0;  ///< what get() returns (ms for durations)
  std::string written;    ///< how the writer writes it back
};

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("run settings: every client key reads, writes back and reads again") {
    // Durations are held in ms and written in seconds: "2m" is 120000 ms, written 120.
    const std::vector<Case> cases{
        {"count", "7", 7, "\"count\": 7"},
        {"reach", "\"secondary\"", 2, "\"reach\": \"secondary\""},
        {"arrival.start", "\"2m\"", 120000, "\"start\": 120"},
        {"arrival.window", "\"250ms\"", 250, "\"window\": 0.25"},
        {"stay", "\"1h\"", 3600000, "\"stay\": 3600"},
        {"release_on_departure", "true", 1, "\"release_on_departure\": true"},
        {"client_ids", "true", 1, "\"client_ids\": true"},
        {"requested_lease_time", "\"10m\"", 600, "\"requested_lease_time\": 600"},
        {"secs", "12", 12, "\"secs\": 12"},
        {"pool", "0", 0, "\"pool\": 0"},
        // 'away' needs a 'stay': the case writes one after it.
        {"away", "\"90s\", \"stay\": 60", 90000, "\"away\": 90"},
        // A span of the day is held as from * 100000 + to, in seconds of the day; a daily
        // pattern needs both spans, so each case writes the other after it.
        {"daily.arrive", "\"08:00-09:30\", \"leave\": \"17:00-18:30\"", 2880034200,
         "\"arrive\": \"08:00-09:30\""},
        {"daily.leave", "\"17:00-18:30\", \"arrive\": \"08:00-09:00\"", 6120066600,
         "\"leave\": \"17:00-18:30\""},
    };
    std::size_t checked = 0;
    for (const Case& c : cases) {
      CAPTURE(c.key);
      const sim::RunSetting<sim::ClientGroup>* s =
          sim::find_run_setting(sim::client_settings, c.key);
      REQUIRE(s != nullptr);
      const std::string head(sim::key_head(c.key)), tail(sim::key_tail(c.key));
      const std::string json = tail.empty()
                                   ? "\"" + head + "\": " + c.json
                                   : "\"" + head + "\": {\"" + tail + "\": " + c.json + "}";
      const sim::LoadResult r = sim::parse_scenario(scenario("", json), "t.json");
      REQUIRE(first_error(r) == "");
      CHECK(s->get(r.scenario->clients[0]) == c.held);
      const std::string written = sim::write_scenario(*r.scenario);
      CHECK(written.find(c.written) != std::string::npos);
      const sim::LoadResult again = sim::parse_scenario(written, "w.json");
      REQUIRE(again.scenario);
      CHECK(s->get(again.scenario->clients[0]) == c.held);
      ++checked;
    }
    // Every row but the MACs (a list, read in the second group above) has a case.
    CHECK(checked + 1 == sim::client_settings.size());
  }

  TEST_CASE("run settings: every run key reads, writes back and reads again") {
    const std::vector<Case> cases{
        {"duration", "\"90m\"", 5400000, "\"duration\": 5400"},
        {"link.latency", "\"20ms\"", 20, "\"latency\": 0.02"},
        {"link.syn_schedule", "\"linux-pre-6.5\"", 1, "\"syn_schedule\": \"linux-pre-6.5\""},
        // 2 % late: 20000 millionths, written back as the fraction
        {"link.syn_lateness", "\"2%\"", 20000, "\"syn_lateness\": 0.02"},
        {"client_latency", "3", 3000, "\"client_latency\": 3"},
        // 2026-11-04 is day 20761 since 1970: (20761 * 86400 + 7 * 3600) s, in ms
        {"start", "\"2026-11-04 07:00\"", 1793775600000, "\"start\": \"2026-11-04T07:00:00Z\""},
    };
    std::size_t checked = 0;
    for (const Case& c : cases) {
      CAPTURE(c.key);
      const sim::RunSetting<sim::Scenario>* s = sim::find_run_setting(sim::run_settings, c.key);
      REQUIRE(s != nullptr);
      const std::string head(sim::key_head(c.key)), tail(sim::key_tail(c.key));
      const std::string json = tail.empty()
                                   ? "\"" + head + "\": " + c.json
                                   : "\"" + head + "\": {\"" + tail + "\": " + c.json + "}";
      // A key given twice takes its later value; the expectation at 90m still fits in 90m.
      const sim::LoadResult r = sim::parse_scenario(scenario(json), "t.json");
      REQUIRE(first_error(r) == "");
      CHECK(s->get(*r.scenario) == c.held);
      const std::string written = sim::write_scenario(*r.scenario);
      CHECK(written.find(c.written) != std::string::npos);
      const sim::LoadResult again = sim::parse_scenario(written, "w.json");
      REQUIRE(again.scenario);
      CHECK(s->get(*again.scenario) == c.held);
      ++checked;
    }
    CHECK(checked == sim::run_settings.size());
  }

  TEST_CASE("run settings: a value out of range is an error at its path naming the range") {
    CHECK(first_error(sim::parse_scenario(scenario("", "\"count\": 2000001"), "t.json")) ==
          "t.json:7: /clients/0/count: value 2000001 is out of range (valid: 0 to 2000000)");
    CHECK(first_error(sim::parse_scenario(scenario("", "\"reach\": \"everyone\""), "t.json")) ==
          "t.json:7: /clients/0/reach: unknown reach 'everyone' (valid: both, primary, secondary)");
    CHECK(
        first_error(sim::parse_scenario(scenario("", "\"requested_lease_time\": 0"), "t.json")) ==
        "t.json:7: /clients/0/requested_lease_time: must be positive (valid: seconds, e.g. 3600)");
    CHECK(first_error(sim::parse_scenario(scenario("", "\"arrival\": {\"begin\": 1}"), "t.json")) ==
          "t.json:7: /clients/0/arrival/begin: unknown key 'begin' (valid: start, window)");
    CHECK(first_error(sim::parse_scenario(scenario("\"duration\": 0"), "t.json")) ==
          "t.json:1: /duration: the duration must be positive (valid: e.g. \"2h\")");
    CHECK(first_error(
              sim::parse_scenario(scenario("\"link\": {\"latency\": \"3651d\"}"), "t.json")) ==
          "t.json:8: /link/latency: duration \"3651d\" is longer than fosim plays (valid: 0 to "
          "3650d (ten years))");
  }

  TEST_CASE("run settings: the SYN schedule as a list of waits, and each server's start time") {
    // [1, "500ms", 2]: held as 1000, 500, 2000 ms, written back in seconds.
    const sim::LoadResult r =
        sim::parse_scenario(scenario("\"link\": {\"syn_schedule\": [1, \"500ms\", 2]}"), "t.json");
    REQUIRE(first_error(r) == "");
    CHECK(r.scenario->syn_schedule == sim::SynSchedule::list);
    CHECK(r.scenario->syn_waits == std::vector<core::Duration>{core::Duration{1000},
                                                               core::Duration{500},
                                                               core::Duration{2000}});
    const std::string written = sim::write_scenario(*r.scenario);
    CHECK(written.find("\"syn_schedule\": [\n      1,\n      0.5,\n      2\n    ]") !=
          std::string::npos);
    const sim::LoadResult again = sim::parse_scenario(written, "w.json");
    REQUIRE(again.scenario);
    CHECK(again.scenario->syn_waits == r.scenario->syn_waits);
    // A start time to the millisecond, on one server.
    std::string text = scenario("");
    text.replace(text.find("\"role\": \"secondary\""), 0, "\"start_at\": \"1ms\", ");
    const sim::LoadResult started = sim::parse_scenario(text, "t.json");
    REQUIRE(first_error(started) == "");
    CHECK(started.scenario->servers[1].start_at == core::Duration{1});
    CHECK(sim::write_scenario(*started.scenario).find("\"start_at\": 0.001") != std::string::npos);
  }

  TEST_CASE("run settings: a bad SYN schedule or start time is an error naming what is valid") {
    CHECK(first_error(sim::parse_scenario(scenario("\"link\": {\"syn_schedule\": \"windows\"}"),
                                          "t.json")) ==
          "t.json:8: /link/syn_schedule: unknown link.syn_schedule 'windows' (valid: linux, "
          "linux-pre-6.5, or a list of waits in seconds such as [1, 2, 4])");
    CHECK(
        first_error(sim::parse_scenario(scenario("\"link\": {\"syn_schedule\": []}"), "t.json")) ==
        "t.json:8: /link/syn_schedule: a list of 0 waits (valid: linux, linux-pre-6.5, or a "
        "list of 1 to 64 waits in seconds such as [1, 2, 4])");
    CHECK(first_error(sim::parse_scenario(scenario("\"link\": {\"syn_schedule\": 3}"), "t.json")) ==
          "t.json:8: /link/syn_schedule: expected a schedule's name or a list of waits (valid: "
          "linux, linux-pre-6.5, or a list of 1 to 64 waits in seconds such as [1, 2, 4])");
    CHECK(first_error(
              sim::parse_scenario(scenario("\"link\": {\"syn_schedule\": [1, 0]}"), "t.json")) ==
          "t.json:8: /link/syn_schedule/1: a wait must be positive (valid: e.g. 1 or \"500ms\")");
    CHECK(
        first_error(sim::parse_scenario(scenario("\"link\": {\"syn_lateness\": 1.5}"), "t.json")) ==
        "t.json:8: /link/syn_lateness: not a fraction: 1.5 (valid: 0 to 1, e.g. 0.02 (2 % "
        "late))");
    std::string text = scenario("");
    text.replace(text.find("\"role\": \"secondary\""), 0, "\"start_at\": \"3h\", ");
    CHECK(first_error(sim::parse_scenario(text, "t.json")) ==
          "t.json:4: /servers/1/start_at: the server would start after the end of the run "
          "(valid: a time within duration)");
  }

  TEST_CASE("run settings: what-if and sweep change the numbers of the run and the clients") {
    const sim::LoadResult r = sim::parse_scenario(scenario(""), "t.json");
    REQUIRE(r.scenario);
    sim::Scenario sc = *r.scenario;
    std::string error;
    using Values = std::vector<std::optional<std::int64_t>>;
    SUBCASE("clients.KEY changes every group, clients.N.KEY one") {
      CHECK(!sim::apply_what_if(sc, "clients.count=40"));
      CHECK(*sim::setting_values(sc, "clients.count", error) == Values{40, 40});
      CHECK(!sim::apply_what_if(sc, "clients.1.count=3"));
      CHECK(*sim::setting_values(sc, "clients.count", error) == Values{40, 3});
      // "10m" and 600 are the same stay: 600000 ms.
      CHECK(!sim::apply_what_if(sc, "clients.stay=10m"));
      CHECK(*sim::setting_values(sc, "clients.stay", error) == Values{600000, 600000});
      CHECK(!sim::apply_what_if(sc, "clients.0.arrival.window=600"));
      CHECK(sc.clients[0].arrival_window == core::Duration{600000});
    }
    SUBCASE("the run's duration and latencies") {
      CHECK(!sim::apply_what_if(sc, "duration=3h"));
      CHECK(sc.duration == core::Duration{10800000});
      CHECK(!sim::apply_what_if(sc, "link.latency=250ms"));
      CHECK(*sim::setting_values(sc, "link.latency", error) == Values{250});
      // 0.02 of each SYN wait: 20000 millionths.
      CHECK(!sim::apply_what_if(sc, "link.syn_lateness=0.02"));
      CHECK(*sim::setting_values(sc, "link.syn_lateness", error) == Values{20000});
    }
    SUBCASE("out of range, and what the reader checks across sections") {
      CHECK(sim::apply_what_if(sc, "clients.count=2000001") ==
            "clients.count=2000001: value 2000001 is out of range (valid: 0 to 2000000)");
      CHECK(sim::apply_what_if(sc, "duration=0") ==
            "duration=0: the duration must be positive (valid: e.g. \"2h\")");
      CHECK(sim::apply_what_if(sc, "clients.requested_lease_time=0") ==
            "clients.requested_lease_time=0: must be positive (valid: seconds, e.g. 3600)");
      // Group 1 names one MAC, so it needs at least one client.
      CHECK(sim::apply_what_if(sc, "clients.1.count=0") ==
            "clients.1.count=0: client group 1 has more MACs than clients (valid: at most count "
            "MACs)");
      // The expectation at 90 minutes is after a one-hour run.
      CHECK(sim::apply_what_if(sc, "duration=1h") ==
            "duration=1h: /expect/states/0 is after the end of the run (valid: a time within "
            "duration)");
      CHECK(sim::apply_what_if(sc, "clients.2.count=1") == "no client group 2; the scenario has 2");
      // Flags and choices are no numbers to vary.
      CHECK(sim::apply_what_if(sc, "clients.reach=both")
                ->rfind("unknown setting 'clients.reach'; ", 0) == 0);
    }
  }
}

TEST_CASE("run settings: every row but the MAC list reads and writes its member") {
  // The MAC list is read and written by the clients section itself; every other row must name
  // its member both ways, or the reader would drop the value silently.
  for (const auto& s : sim::client_settings) {
    CAPTURE(s.key);
    CHECK((s.rule.kind == sim::Kind::macs) == (s.get == nullptr && s.set == nullptr));
  }
  for (const auto& s : sim::run_settings) {
    CAPTURE(s.key);
    CHECK(s.rule.kind != sim::Kind::macs);
    CHECK((s.get != nullptr && s.set != nullptr));
  }
}
