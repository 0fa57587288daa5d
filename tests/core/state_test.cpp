// The state table, typed in again by hand from its sources (ISC includes/failover.h, the 3.0
// dhcpd.8, Microsoft's FSM_STATE page) rather than from state.hpp, and every conversion both ways.
#include "fosim/core/state.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string_view>

namespace {

using fosim::core::Numbering;
using fosim::core::State;

struct Row {
  State state;
  std::string_view name;
  int isc;   // -1: no counterpart
  int isc3;  // -1: no counterpart
  std::string_view windows_id;
  int windows;  // -1: no counterpart
};

// clang-format off
// ISC enum, dhcpd.8 3.0 list, FSM_STATE documentation.
constexpr Row expected[] = {
  {State::unknown_state,              "unknown-state",               0,  0, "",                   -1},
  {State::startup,                    "startup",                     1, 10, "STARTUP",             2},
  {State::normal,                     "normal",                      2,  2, "NORMAL",              3},
  {State::communications_interrupted, "communications-interrupted",  3,  3, "COMMUNICATION_INT",   4},
  {State::partner_down,               "partner-down",                4,  1, "PARTNER_DOWN",        5},
  {State::potential_conflict,         "potential-conflict",          5,  5, "POTENTIAL_CONFLICT",  6},
  {State::recover,                    "recover",                     6,  6, "RECOVER",             9},
  {State::paused,                     "paused",                      7,  9, "PAUSED",             12},
  {State::shutdown,                   "shutdown",                    8,  8, "SHUTDOWN",           13},
  {State::recover_done,               "recover-done",                9,  7, "RECOVER_DONE",       11},
  {State::resolution_interrupted,     "resolution-interrupted",     10,  4, "RESOLUTION_INT",      8},
  {State::conflict_done,              "conflict-done",              11, -1, "CONFLICT_DONE",       7},
  {State::recover_wait,               "recover-wait",              254, 11, "RECOVER_WAIT",       10},
  {State::no_state,                   "no-state",                   -1, -1, "NO_STATE",            0},
  {State::init,                       "init",                       -1, -1, "INIT",                1},
};
// clang-format on

std::optional<std::uint8_t> opt(int v) {
  if (v < 0) return std::nullopt;
  return static_cast<std::uint8_t>(v);
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<State> {
  static String convert(State s) { return String(fosim::core::to_string(s).data()); }
};
}  // namespace doctest

TEST_SUITE("core") {
  TEST_CASE("state: numbering table: every row both ways") {
    int checked = 0;
    for (const Row& row : expected) {
      CAPTURE(row.name);
      CHECK(fosim::core::to_string(row.state) == row.name);
      CHECK(fosim::core::to_number(row.state, Numbering::isc) == opt(row.isc));
      CHECK(fosim::core::to_number(row.state, Numbering::isc3) == opt(row.isc3));
      CHECK(fosim::core::to_number(row.state, Numbering::windows) == opt(row.windows));
      CHECK(fosim::core::info(row.state).windows_id == row.windows_id);
      if (row.isc >= 0)
        CHECK(fosim::core::from_number(static_cast<unsigned>(row.isc), Numbering::isc) ==
              row.state);
      if (row.isc3 >= 0)
        CHECK(fosim::core::from_number(static_cast<unsigned>(row.isc3), Numbering::isc3) ==
              row.state);
      if (row.windows >= 0)
        CHECK(fosim::core::from_number(static_cast<unsigned>(row.windows), Numbering::windows) ==
              row.state);
      ++checked;
    }
    CHECK(checked == 15);
    CHECK(std::size(expected) == fosim::core::state_count);
  }

  TEST_CASE("state: numbering table: numbers with no counterpart give nothing") {
    // ISC 4.x has 0-11 and 254 only; 3.0.x has 0-11; Windows 0-13.
    for (unsigned n : {12u, 13u, 100u, 253u, 255u})
      CHECK_FALSE(fosim::core::from_number(n, Numbering::isc).has_value());
    for (unsigned n : {12u, 254u})
      CHECK_FALSE(fosim::core::from_number(n, Numbering::isc3).has_value());
    for (unsigned n : {14u, 254u})
      CHECK_FALSE(fosim::core::from_number(n, Numbering::windows).has_value());
    // conflict-done did not exist in 3.0.x; INIT and NO_STATE exist only on Windows.
    CHECK_FALSE(fosim::core::to_number(State::conflict_done, Numbering::isc3).has_value());
    CHECK_FALSE(fosim::core::to_isc(State::init).has_value());
    CHECK_FALSE(fosim::core::to_isc(State::no_state).has_value());
    // ISC's unknown-state is not Windows' NO_STATE: no guess.
    CHECK_FALSE(fosim::core::to_number(State::unknown_state, Numbering::windows).has_value());
  }

  TEST_CASE("state: numbering table: the same number means different states across schemes") {
    // The trap: OMAPI local-state 1 is partner-down in 3.0.x but startup in 4.x.
    CHECK(fosim::core::from_number(1, Numbering::isc3) == State::partner_down);
    CHECK(fosim::core::from_number(1, Numbering::isc) == State::startup);
    CHECK(fosim::core::from_number(1, Numbering::windows) == State::init);
    // Windows is not an offset of ISC: recover 6 <-> 9, resolution-interrupted 10 <-> 8.
    CHECK(fosim::core::from_number(9, Numbering::windows) == State::recover);
    CHECK(fosim::core::from_number(8, Numbering::windows) == State::resolution_interrupted);
    CHECK(fosim::core::from_number(7, Numbering::windows) == State::conflict_done);
  }

  TEST_CASE("state: parse: every spelling a user pastes") {
    SUBCASE("ISC names") {
      for (const Row& row : expected) CHECK(fosim::core::parse_state(row.name) == row.state);
    }
    SUBCASE("Windows identifiers") {
      for (const Row& row : expected)
        CHECK(fosim::core::parse_state(row.windows_id.empty() ? row.name : row.windows_id) ==
              row.state);
      CHECK(fosim::core::parse_state("COMMUNICATION_INT") == State::communications_interrupted);
      CHECK(fosim::core::parse_state("RESOLUTION_INT") == State::resolution_interrupted);
    }
    SUBCASE("spaces, underscores, case, padding") {
      CHECK(fosim::core::parse_state("partner down") == State::partner_down);
      CHECK(fosim::core::parse_state("PARTNER_DOWN") == State::partner_down);
      CHECK(fosim::core::parse_state("Partner-Down") == State::partner_down);
      CHECK(fosim::core::parse_state("  partner   down ") == State::partner_down);
      CHECK(fosim::core::parse_state("communications interrupted") ==
            State::communications_interrupted);
      CHECK(fosim::core::parse_state("recover wait") == State::recover_wait);
      CHECK(fosim::core::parse_state("shut_down") == State::shutdown);
      CHECK(fosim::core::parse_state("unknown_state") == State::unknown_state);
    }
    SUBCASE("unknown names") {
      CHECK_FALSE(fosim::core::parse_state("").has_value());
      CHECK_FALSE(fosim::core::parse_state("   ").has_value());
      CHECK_FALSE(fosim::core::parse_state("partner").has_value());
      CHECK_FALSE(fosim::core::parse_state("partnerdown").has_value());
      CHECK_FALSE(fosim::core::parse_state("4").has_value());
    }
  }

  TEST_CASE("state: service: ISC service state and draft legend") {
    using fosim::core::DraftService;
    using fosim::core::Service;
    CHECK(fosim::core::info(State::normal).service == Service::cooperating);
    CHECK(fosim::core::info(State::communications_interrupted).service == Service::not_cooperating);
    CHECK(fosim::core::info(State::partner_down).service == Service::partner_down);
    CHECK(fosim::core::info(State::startup).service == Service::startup);
    for (State s : {State::potential_conflict, State::resolution_interrupted, State::conflict_done,
                    State::recover, State::recover_wait, State::recover_done, State::paused,
                    State::shutdown, State::unknown_state})
      CHECK(fosim::core::info(s).service == Service::not_responding);
    // Where ISC is stricter than the draft.
    CHECK(fosim::core::info(State::resolution_interrupted).draft_service ==
          DraftService::responsive);
    CHECK(fosim::core::info(State::recover_done).draft_service == DraftService::renew_only);
    CHECK(fosim::core::info(State::recover).nrr == " (recovering)");
    CHECK(fosim::core::info(State::shutdown).nrr == " (shut down)");
  }
}

#include "fosim/core/service.hpp"

TEST_SUITE("core") {
  TEST_CASE("service: peer overrides") {
    using fosim::core::Service;
    using fosim::core::service_of;
    SUBCASE("a partner in partner-down silences a server that would answer") {
      CHECK(service_of(State::normal, State::partner_down).service == Service::not_responding);
      CHECK(service_of(State::normal, State::partner_down).nrr == " (peer demands: recovering)");
      CHECK(service_of(State::communications_interrupted, State::partner_down).service ==
            Service::not_responding);
    }
    SUBCASE("a partner resolving conflicts silences it too") {
      for (State p :
           {State::potential_conflict, State::conflict_done, State::resolution_interrupted}) {
        CHECK(service_of(State::partner_down, p).service == Service::not_responding);
        CHECK(service_of(State::partner_down, p).nrr == " (peer demands: resolving conflicts)");
      }
    }
    SUBCASE("a server that answers nothing keeps its own reason") {
      CHECK(service_of(State::recover, State::partner_down).nrr == " (recovering)");
    }
    SUBCASE("otherwise the own state decides") {
      CHECK(service_of(State::normal, State::normal).service == Service::cooperating);
      CHECK(service_of(State::communications_interrupted, State::normal).service ==
            Service::not_cooperating);
      CHECK(service_of(State::partner_down, State::communications_interrupted).service ==
            Service::partner_down);
    }
  }

  TEST_CASE("service: allocation pools per service") {
    using fosim::core::Service;
    CHECK(fosim::core::allocation_pools(Service::cooperating).own);
    CHECK_FALSE(fosim::core::allocation_pools(Service::cooperating).peer_after_mclt);
    CHECK_FALSE(fosim::core::allocation_pools(Service::not_cooperating).peer_after_mclt);
    CHECK(fosim::core::allocation_pools(Service::partner_down).peer_after_mclt);
    CHECK_FALSE(fosim::core::allocation_pools(Service::not_responding).own);
    CHECK_FALSE(fosim::core::allocation_pools(Service::startup).own);
  }
}
