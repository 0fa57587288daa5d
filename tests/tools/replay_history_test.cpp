// fosim replay's what-if table from histories written by hand: a server that is not running
// counts as down, and each column is as wide as its longest text.
#include "replay/replay_history.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using fosim::core::State;
using fosim::tools::detail::History;

namespace {

constexpr std::int64_t hour_ms = 3600000;

/// Two servers, dhcp-a and dhcp-b, both normal from 1 s, for one hour.
History pair(std::string label) {
  History h;
  h.label = std::move(label);
  h.hosts[0] = "dhcp-a";
  h.hosts[1] = "dhcp-b";
  h.end_ms = hour_ms;
  h.duplicates = 0;
  return h;
}

/// The log: dhcp-a in communications-interrupted from 10 min to the end.
History logged() {
  History h = pair("logged");
  h.changes[0] = {{1000, State::normal}, {600000, State::communications_interrupted}};
  h.changes[1] = {{1000, State::normal}};
  h.forced = 1;
  return h;
}

/// A run: dhcp-a in partner-down from 40 min; dhcp-b down from 9m40s to 20 min.
History as_logged() {
  History h = pair("replayed as logged");
  h.changes[0] = {{1000, State::normal},
                  {600000, State::communications_interrupted},
                  {2400000, State::partner_down}};
  h.changes[1] = {{1000, State::normal}, {1200000, State::startup}, {1201000, State::normal}};
  h.lanes[1] = {{1000, "normal"}, {580000, "down"}, {1200000, "startup"}, {1201000, "normal"}};
  h.availability = 0.75;
  h.lease_range = "1800 s - 43200 s";
  h.forced = 1;
  return h;
}

/// A run whose servers are down while in the states the table times: dhcp-a enters
/// partner-down at 20 min and is down from 30 min to the end; dhcp-b, in
/// communications-interrupted from 10m20s, is down from 15 min to 25 min and comes back to it.
History what_if() {
  History h = pair("mclt=600 auto_partner_down=600 split=0");
  h.changes[0] = {{1000, State::normal},
                  {600000, State::communications_interrupted},
                  {1200000, State::partner_down}};
  h.lanes[0] = {{1000, "normal"},
                {600000, "communications-interrupted"},
                {1200000, "partner-down"},
                {1800000, "down"}};
  h.changes[1] = {{1000, State::normal},
                  {620000, State::communications_interrupted},
                  {1500000, State::startup},
                  {1501000, State::communications_interrupted}};
  h.lanes[1] = {{1000, "normal"},
                {620000, "communications-interrupted"},
                {900000, "down"},
                {1500000, "startup"},
                {1501000, "communications-interrupted"}};
  h.duplicates = 2;
  h.availability = 0.5;
  h.lease_range = "600 s - 43200 s";
  return h;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("replay: what-if table: a server that is not running counts as down") {
    const History h = what_if();
    // dhcp-a: partner-down from 1200 s until it goes down at 1800 s: 600 s, not the 2400 s to
    // the end; it ends down, not in partner-down.
    CHECK(time_in(h, 0, "partner-down") == 600000);
    CHECK(time_in(h, 0, "down") == 1800000);
    CHECK(end_state(h, 0) == "down");
    // dhcp-b: communications-interrupted 620-900 s and 1501-3600 s: 280 s + 2099 s = 2379 s.
    CHECK(time_in(h, 1, "communications-interrupted") == 2379000);
    CHECK(time_in(h, 1, "down") == 600000);
    CHECK(end_state(h, 1) == "communications-interrupted");
    // Without a lane (the log), the state changes alone.
    CHECK(end_state(logged(), 0) == "communications-interrupted");
    CHECK(time_in(logged(), 0, "communications-interrupted") == 3000000);
  }

  TEST_CASE("replay: what-if table: each column as wide as its longest text and two spaces") {
    // Names: the longest, "dhcp-b (secondary): time in comm-interrupted", is 44: 46 wide.
    // Logged: "communications-interrupted" is 26: 28 wide. Replayed as logged: its longest,
    // "replayed as logged", is 18: the 24 of a short table. The last column ends the line.
    std::ostringstream out;
    fosim::tools::detail::comparison(out, {logged(), as_logged(), what_if()});
    const std::string expected =
        "                                              logged                      "
        "replayed as logged      mclt=600 auto_partner_down=600 split=0\n"
        "dhcp-a (primary): first partner-down at       never                       "
        "00:40:00.000            00:20:00.000\n"
        "dhcp-a (primary): time in partner-down        0 s                         "
        "20m00s                  10m00s\n"
        "dhcp-a (primary): time in comm-interrupted    50m00s                      "
        "30m00s                  10m00s\n"
        "dhcp-a (primary): state at the end            communications-interrupted  "
        "partner-down            down\n"
        "dhcp-b (secondary): first partner-down at     never                       "
        "never                   never\n"
        "dhcp-b (secondary): time in partner-down      0 s                         "
        "0 s                     0 s\n"
        "dhcp-b (secondary): time in comm-interrupted  0 s                         "
        "0 s                     39m39s\n"
        "dhcp-b (secondary): state at the end          normal                      "
        "normal                  communications-interrupted\n"
        "both in partner-down (split-brain)            never                       "
        "never                   never\n"
        "addresses given to two clients                0                           "
        "0                       2\n"
        "availability (answered / attempted)           -                           "
        "0.7500                  0.5000\n"
        "lease times granted (shortest - longest)      -                           "
        "1800 s - 43200 s        600 s - 43200 s\n"
        "operator moves                                1                           "
        "1                       0\n";
    CHECK(out.str() == expected);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("replay: the split-brain window is where both servers are in partner-down") {
    // dhcp-a in partner-down from 20 min, down from 30 min to 40 min, then partner-down again;
    // dhcp-b in partner-down from 25 min to 50 min. Both: 25-30 min and 40-50 min.
    History h = pair("run");
    h.changes[0] = {{1000, State::normal}, {1200000, State::partner_down}};
    h.lanes[0] = {
        {1000, "normal"}, {1200000, "partner-down"}, {1800000, "down"}, {2400000, "partner-down"}};
    h.changes[1] = {
        {1000, State::normal}, {1500000, State::partner_down}, {3000000, State::normal}};
    using Span = std::pair<std::int64_t, std::int64_t>;
    CHECK(fosim::tools::detail::split_brain(h) ==
          std::vector<Span>{{1500000, 1800000}, {2400000, 3000000}});
    const std::string lanes = fosim::tools::detail::swimlanes(h);
    CHECK(lanes.find("split-brain |") != std::string::npos);
    CHECK(fosim::tools::detail::split_brain(logged()).empty());
  }
}
