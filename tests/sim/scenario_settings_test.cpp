// Each row of the settings table as a scenario file, a what-if and a sweep see it: its key reads
// into its field, writes back out under the same key, and its range is an error naming the key.
#include "fosim/sim/scenario_settings.hpp"

#include <doctest/doctest.h>

#include <string>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"

using namespace fosim;

namespace {

/// A scenario whose primary (servers/1) has `extra` among its keys and whose pool has `pool`.
std::string scenario(const std::string& extra, const std::string& pool = "") {
  return R"({"relationship": "r", "duration": "1h", "servers": [
  {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
   "load_balance_max_seconds": 3},
  {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2",
   "load_balance_max_seconds": 3, "split": 128, "mclt": 1800)" +
         (extra.empty() ? "" : ", " + extra) + R"(}],
 "pool": {"range": ["10.0.1.10", "10.0.1.20"])" +
         (pool.empty() ? "" : ", " + pool) + "}}";
}

bool has_error(const sim::LoadResult& r, const std::string& path) {
  for (const sim::ScenarioError& e : r.errors)
    if (e.path == path) return true;
  return false;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("scenario settings: every number's key reads, writes back and reads again") {
    std::size_t checked = 0;
    for (const core::PeerSetting& s : core::peer_settings) {
      if (s.number == nullptr) continue;
      CAPTURE(s.key);
      const std::string key(s.key);
      // Times are given as "2m" (120 s), the rest as 7. A key the base already has (mclt,
      // split, load_balance_max_seconds) is given twice: JSON readers keep the later value.
      const bool time = s.unit == core::Unit::seconds;
      const std::int64_t want = time ? 120 : 7;
      const std::string text = scenario("\"" + key + "\": " + (time ? "\"2m\"" : "7"));
      const sim::LoadResult r = sim::parse_scenario(text, "t.json");
      REQUIRE(r.scenario);
      CHECK(r.scenario->servers[0].config.*(s.number) == want);
      const std::string written = sim::write_scenario(*r.scenario);
      CHECK(written.find("\"" + key + "\": " + std::to_string(want)) != std::string::npos);
      const sim::LoadResult again = sim::parse_scenario(written, "w.json");
      REQUIRE(again.scenario);
      CHECK(again.scenario->servers[0].config.*(s.number) == want);
      ++checked;
    }
    CHECK(checked == 12);
  }

  TEST_CASE("scenario settings: every pool key reads, writes back and reads again") {
    std::size_t checked = 0;
    for (const sim::PoolField& f : sim::pool_fields) {
      CAPTURE(f.key);
      const std::string key(f.key);
      const sim::LoadResult r = sim::parse_scenario(scenario("", "\"" + key + "\": \"10m\""), "t");
      REQUIRE(r.scenario);
      CHECK(f.get(r.scenario->pool) == core::Seconds{600});
      const std::string written = sim::write_scenario(*r.scenario);
      CHECK(written.find("\"" + key + "\": 600") != std::string::npos);
      const sim::LoadResult again = sim::parse_scenario(written, "w.json");
      REQUIRE(again.scenario);
      CHECK(f.get(again.scenario->pool) == core::Seconds{600});
      // The range starts at 1 second.
      CHECK(
          has_error(sim::parse_scenario(scenario("", "\"" + key + "\": 0"), "t"), "/pool/" + key));
      ++checked;
    }
    CHECK(checked == 3);
  }

  TEST_CASE("scenario settings: a value past a row's range is an error at its path") {
    std::size_t checked = 0;
    for (const core::PeerSetting& s : core::peer_settings) {
      if (s.number == nullptr) continue;
      CAPTURE(s.key);
      const std::string key(s.key);
      // As above, a key given twice takes its later value.
      const sim::LoadResult r =
          sim::parse_scenario(scenario("\"" + key + "\": " + std::to_string(s.max + 1)), "t");
      CHECK(has_error(r, "/servers/1/" + key));
      ++checked;
    }
    CHECK(checked == 12);
    // By hand: mclt is read as whole seconds, at most 2^32 - 1.
    const sim::LoadResult r = sim::parse_scenario(scenario(R"("mclt": 4294967296)"), "t");
    REQUIRE(!r.errors.empty());
    CHECK(
        sim::format(r.errors[0])
            .find(
                "/servers/1/mclt: value 4294967296 is out of range (valid: whole seconds, at most "
                "4294967295)") != std::string::npos);
  }

  TEST_CASE("scenario settings: what-if and sweep keys are the table's") {
    const sim::LoadResult r = sim::parse_scenario(scenario(""), "t.json");
    REQUIRE(r.scenario);
    std::string error;
    SUBCASE("a primary-only setting changes the primary only") {
      sim::Scenario sc = *r.scenario;
      CHECK(!sim::apply_what_if(sc, "mclt=10m"));
      CHECK(sc.servers[0].config.mclt_s == 600);
      CHECK(!sc.servers[1].config.mclt_s);
      const auto v = sim::setting_values(sc, "mclt", error);
      REQUIRE(v);
      CHECK(*v == std::vector<std::optional<std::int64_t>>{600});
      CHECK(sim::apply_what_if(sc, "secondary.mclt=600") ==
            "mclt is the primary's setting (ISC ignores the secondary's)");
    }
    SUBCASE("a setting of each server changes both, or the one named") {
      sim::Scenario sc = *r.scenario;
      CHECK(!sim::apply_what_if(sc, "max_response_delay=45"));
      CHECK(*sim::setting_values(sc, "max_response_delay", error) ==
            std::vector<std::optional<std::int64_t>>{45, 45});
      CHECK(!sim::apply_what_if(sc, "b.max_response_delay=1m"));
      CHECK(*sim::setting_values(sc, "max_response_delay", error) ==
            std::vector<std::optional<std::int64_t>>{45, 60});
    }
    SUBCASE("pool settings, and 0 is below their range") {
      sim::Scenario sc = *r.scenario;
      CHECK(!sim::apply_what_if(sc, "min_lease_time=5m"));
      CHECK(sc.pool.min_lease_time == core::Seconds{300});
      CHECK(sim::apply_what_if(sc, "default_lease_time=0") ==
            "default_lease_time=0: must be at least 1 second");
    }
    SUBCASE("ports are no what-if; the message lists every key that is") {
      sim::Scenario sc = *r.scenario;
      CHECK(sim::apply_what_if(sc, "port=648") ==
            "unknown setting 'port'; valid: max_response_delay, max_unacked_updates, mclt, split, "
            "load_balance_max_seconds, auto_partner_down, max_lease_misbalance, "
            "max_lease_ownership, min_balance, max_balance, default_lease_time, max_lease_time, "
            "min_lease_time, clients.count, clients.arrival.start, clients.arrival.window, "
            "clients.stay, clients.away, clients.requested_lease_time, clients.secs, duration, "
            "link.latency, "
            "link.syn_lateness, "
            "client_latency");
      CHECK(!sim::setting_values(sc, "port", error));
    }
  }

  TEST_CASE("scenario settings: summary.json names settings by the scenario's keys") {
    const sim::LoadResult r = sim::parse_scenario(scenario(""), "t.json");
    REQUIRE(r.scenario);
    sim::Simulator s(*r.scenario, 1, nullptr);
    s.run();
    const auto j = sim::summarize(s, 1);
    CHECK(j["format"] == 2);
    const auto& primary = j["servers"][0]["config"];
    CHECK(primary["mclt"] == 1800);
    CHECK(primary["split"] == 128);
    CHECK(primary["load_balance_max_seconds"] == 3);
    CHECK(primary["max_response_delay"] == 20);  // ISC's default, as the server runs
    CHECK(primary["port"] == 647);
    CHECK(primary["address"] == "10.0.0.1");
    CHECK(!primary.contains("mclt_s"));
    CHECK(!j["servers"][1]["config"].contains("mclt"));  // the secondary sets none
    CHECK(j["pool"]["default_lease_time"] == 43200);     // dhcpd's 12 hours
    CHECK(j["pool"]["max_lease_time"] == 86400);
    CHECK(!j["pool"].contains("min_lease_time"));
    CHECK(!j["pool"].contains("default_lease_time_s"));
  }
}
