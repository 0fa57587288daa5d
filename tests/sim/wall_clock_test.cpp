// A scenario's wall clock ("start": the UTC time its time 0 stands for) in the timelines, and
// daily client groups ("daily": arrive in a morning span, leave in an evening one, each day).
// Epoch values are from the civil calendar: 2026-11-04 is day 20761 since 1970-01-01
// (56 years, 14 of them leap, plus the 307 days of 2026 before 4 November).
#include "fosim/sim/wall_clock.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/clients.hpp"
#include "pair_fixture.hpp"

using fosim::core::Instant;
using fosim::core::Seconds;
using fosim::sim::DayWindow;
using std::chrono::hours;

namespace {

/// 2026-11-04T07:00:00Z in ms: (20761 days * 86400 + 7 * 3600) s.
constexpr std::int64_t nov4_7am = (std::int64_t{20761} * 86400 + 7 * 3600) * 1000;

/// The field pair, time 0 at 2026-11-04 07:00 UTC, with `count` clients arriving 08:00-09:30
/// and leaving 17:00-18:30 each day, releasing when they leave, for two days.
fosim::sim::Scenario office(std::uint32_t count) {
  auto sc = fosim::test::field_pair(count);
  sc.duration = hours(48);
  sc.start_utc_ms = nov4_7am;
  auto& g = sc.clients[0];
  g.arrival_start = {};
  g.release_on_departure = true;
  g.daily_arrive = DayWindow{Seconds{8 * 3600}, Seconds{9 * 3600 + 1800}};
  g.daily_leave = DayWindow{Seconds{17 * 3600}, Seconds{18 * 3600 + 1800}};
  return sc;
}

/// The jsonl timeline of a run of `sc` with `seed`.
std::string jsonl(const fosim::sim::Scenario& sc, std::uint64_t seed) {
  std::ostringstream out;
  fosim::sim::JsonlTimeline t(out, {sc.servers[0].host, sc.servers[1].host});
  t.set_start(sc.start_utc_ms);
  fosim::sim::Simulator s(sc, seed, &t);
  s.run();
  return out.str();
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("wall clock: UTC times and spans of the day are read as written") {
    CHECK(fosim::sim::parse_utc("2026-11-04T07:00:00Z") == nov4_7am);
    CHECK(fosim::sim::parse_utc("2026-11-04 07:00") == nov4_7am);
    CHECK(fosim::sim::parse_utc("1970-01-01T00:00:00.250Z") == 250);
    CHECK(fosim::sim::parse_utc("2024-02-29T00:00:00Z").has_value());  // a leap day
    CHECK_FALSE(fosim::sim::parse_utc("2026-02-29T00:00:00Z"));        // 2026 has none
    CHECK_FALSE(fosim::sim::parse_utc("2026-11-04T24:00:00Z"));
    CHECK_FALSE(fosim::sim::parse_utc("2026-11-04T07:00:00+01:00"));  // UTC only
    CHECK_FALSE(fosim::sim::parse_utc("07:00"));
    CHECK(fosim::sim::format_iso(nov4_7am + 28) == "2026-11-04T07:00:00.028Z");
    const auto w = fosim::sim::parse_day_window("08:00-09:30");
    REQUIRE(w.has_value());
    CHECK(w->from == Seconds{28800});
    CHECK(w->to == Seconds{34200});
    CHECK(fosim::sim::format_day_window(*w) == "08:00-09:30");
    CHECK(fosim::sim::parse_day_window("22:00-24:00").has_value());
    CHECK_FALSE(fosim::sim::parse_day_window("8:00-9:30"));
    CHECK_FALSE(fosim::sim::parse_day_window("24:00-01:00"));
    CHECK_FALSE(fosim::sim::parse_day_window("08:60-09:00"));
  }

  TEST_CASE("wall clock: the text and jsonl timelines show the date and time") {
    // A partition at 1 h is at 08:00 on 4 November.
    auto sc = fosim::test::field_pair(0);
    sc.duration = hours(2);
    sc.start_utc_ms = nov4_7am;
    fosim::test::at(sc, hours(1), fosim::sim::ActionType::partition);
    std::ostringstream text;
    fosim::sim::TextTimeline t(text, {"dhcp-a", "dhcp-b"});
    t.set_start(sc.start_utc_ms);
    fosim::sim::Simulator s(sc, 1, &t);
    s.run();
    CHECK(text.str().find("\n2026-11-04 08:00:00.000  fosim   partition") != std::string::npos);
    const std::string j = jsonl(sc, 1);
    CHECK(
        j.find(
            R"("t_ms":3600000,"time":"2026-11-04T08:00:00.000Z","server":null,"kind":"script")") !=
        std::string::npos);
  }

  TEST_CASE("wall clock: a daily group arrives each morning and leaves each evening") {
    // Time 0 is 07:00: the mornings' spans are 1 h to 2.5 h and 25 h to 26.5 h of the run, the
    // evenings' 10 h to 11.5 h and 34 h to 35.5 h. Each client's first grant of a day and its
    // release fall in them, twice each in two days.
    const auto sc = office(20);
    fosim::sim::MemoryTrace t;
    fosim::sim::Simulator s(sc, 7, &t);
    s.run();
    std::vector<int> arrivals(2), releases(2);
    std::vector<std::vector<bool>> served(2, std::vector<bool>(20));
    auto within = [](Instant at, int day, double from_h, double to_h) {
      const double h = static_cast<double>(at.time_since_epoch().count()) / 3.6e6 - 24.0 * day;
      return h >= from_h && h <= to_h;
    };
    for (const fosim::sim::RunEvent& e : t.events) {
      const auto* d = e.as<fosim::sim::DhcpLine>();
      if (d == nullptr) continue;
      const int day = e.at < Instant{hours(24)} ? 0 : 1;
      const auto k = static_cast<std::size_t>(day);
      if (d->lease_time_s >= 0 && d->client >= 0 &&
          !served[k][static_cast<std::size_t>(d->client)]) {
        served[k][static_cast<std::size_t>(d->client)] = true;  // the day's first grant
        arrivals[k] += within(e.at, day, 1.0, 2.5 + 0.001);     // a few ms after the arrival
      }
      if (d->verb == fosim::sim::DhcpVerb::release) releases[k] += within(e.at, day, 10.0, 11.5);
    }
    CHECK(arrivals == std::vector<int>{20, 20});
    CHECK(releases == std::vector<int>{20, 20});  // each to the server that granted the lease
    for (std::uint32_t i = 0; i < 20; ++i)
      CHECK(s.clients().state(i) == fosim::sim::ClientState::absent);  // 07:00 on day 3
  }

  TEST_CASE("wall clock: the same seed gives the same day, another seed another") {
    const auto sc = office(20);
    const std::string a = jsonl(sc, 3), b = jsonl(sc, 3), c = jsonl(sc, 4);
    CHECK(a == b);
    CHECK(a != c);
  }

  TEST_CASE("wall clock: scenario keys start and daily, read and written back") {
    const std::string text = R"({
  "relationship": "r", "duration": "2d", "start": "2026-11-04T07:00:00Z",
  "servers": [
    {"host": "a", "role": "primary", "address": "10.0.0.1", "peer_address": "10.0.0.2", "mclt": "30m", "split": 128},
    {"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1"}
  ],
  "pool": {"range": ["10.0.1.10", "10.0.1.20"]},
  "clients": [{"count": 5, "daily": {"arrive": "08:00-09:30", "leave": "17:00-18:30"}}]
})";
    const auto r = fosim::sim::parse_scenario(text, "office.json");
    REQUIRE(r.errors.empty());
    const fosim::sim::Scenario& sc = *r.scenario;
    CHECK(sc.start_utc_ms == nov4_7am);
    REQUIRE(sc.clients[0].daily_leave.has_value());
    CHECK(sc.clients[0].daily_leave->from == Seconds{61200});
    const std::string written = fosim::sim::write_scenario(sc);
    CHECK(written.find(R"("start": "2026-11-04T07:00:00Z")") != std::string::npos);
    CHECK(written.find(R"("arrive": "08:00-09:30")") != std::string::npos);
    const auto back = fosim::sim::parse_scenario(written, "office.json");
    REQUIRE(back.errors.empty());
    CHECK(back.scenario->clients[0].daily_arrive->to == Seconds{34200});

    auto error_of = [&](const std::string& from, const std::string& to) {
      std::string t = text;
      t.replace(t.find(from), from.size(), to);
      const auto bad = fosim::sim::parse_scenario(t, "office.json");
      return bad.errors.empty() ? std::string() : fosim::sim::format(bad.errors[0]);
    };
    CHECK(error_of("2026-11-04T07:00:00Z", "4 Nov 2026")
              .find("/start: '4 Nov 2026' is not a UTC "
                    "date and time") != std::string::npos);
    CHECK(error_of("\"08:00-09:30\"", "\"8-9\"").find("/clients/0/daily/arrive") !=
          std::string::npos);
    CHECK(error_of(", \"leave\": \"17:00-18:30\"", "").find("needs both") != std::string::npos);
    CHECK(error_of("\"count\": 5,", "\"count\": 5, \"stay\": \"8h\",").find("do not apply") !=
          std::string::npos);
  }
}
