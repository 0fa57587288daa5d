// The failover states and every numbering they are known by.
//
// One table, `state_table`, holds a row per state: the name ISC logs and writes to its lease
// file, the ISC 4.x number (which is also the OMAPI `local-state` value and the draft-12
// §12.24 wire code, with recover-wait = 254), the ISC 3.0.x number (the list in the 3.0
// dhcpd.8 and in Net::ISC::DHCPd::OMAPI::Failover), and the Windows `FSM_STATE` identifier
// and value. Every conversion below is derived from that table; a number with no counterpart
// in the asked-for scheme gives an empty optional, never a guess.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace fosim::core {

/// A failover state. The enumerator values are fosim's own indices, not any wire number.
enum class State : std::uint8_t {
  unknown_state,               ///< ISC's "partner state not yet known" (not a draft state).
  startup,                     ///< draft-12 §9.3
  normal,                      ///< draft-12 §9.4 (ISC numbering puts it at 2)
  communications_interrupted,  ///< draft-12 §9.9
  partner_down,                ///< draft-12 §9.4
  potential_conflict,          ///< draft-12 §9.10
  recover,                     ///< draft-12 §9.5
  paused,                      ///< draft-12 §9.13
  shutdown,                    ///< draft-12 §9.14
  recover_done,                ///< draft-12 §9.7
  resolution_interrupted,      ///< draft-12 §9.11
  conflict_done,               ///< draft-12 §9.12
  recover_wait,                ///< draft-12 §9.6 (no draft code; ISC uses 254)
  no_state,                    ///< Windows FSM_STATE NO_STATE: no relationship configured.
  init,                        ///< Windows FSM_STATE INIT: before STARTUP.
};

/// The number of states in `State`.
inline constexpr std::size_t state_count = 15;

/// How ISC serves DHCP in a state (dhcp: includes/failover.h `enum service_state`).
enum class Service : std::uint8_t {
  not_responding,   ///< answers nothing in failover pools
  startup,          ///< service_startup: treated as not responding
  cooperating,      ///< normal: load-balanced DISCOVERs, own pool only
  not_cooperating,  ///< communications-interrupted: every DISCOVER, own pool only
  partner_down,     ///< every request, may take the peer's leases after MCLT
};

/// The draft-12 Fig. 9.2-1 legend for a state: how the draft says it serves.
enum class DraftService : std::uint8_t { balanced, responsive, unresponsive, renew_only, none };

/// One row of the state table.
struct StateInfo {
  State state;
  std::string_view name;  ///< ISC's spelling (logs, lease file); fosim's for Windows-only rows.
  bool isc;               ///< true when ISC dhcpd knows the state
  std::optional<std::uint8_t> isc4;     ///< ISC 4.x = OMAPI local-state = draft wire code
  std::optional<std::uint8_t> isc3;     ///< ISC 3.0.x enum / OMAPI value
  std::string_view windows_id;          ///< FSM_STATE identifier, empty if none
  std::optional<std::uint8_t> windows;  ///< FSM_STATE value
  Service service;             ///< ISC service state (ISC dhcp_failover_set_service_state())
  std::string_view nrr;        ///< ISC's " (reason)" suffix for "not responding"
  DraftService draft_service;  ///< draft-12 legend (ISC dhcp_failover_set_service_state())
};

// clang-format off
/// The master table. Sources: ISC dhcp includes/failover.h and failover.c
/// (dhcp_failover_state_name_print, dhcp_failover_set_service_state); draft-12 §12.24;
/// ISC 3.0.7 includes/failover.h and 3.0 dhcpd.8; Microsoft's FSM_STATE documentation.
inline constexpr std::array<StateInfo, state_count> state_table{{
//  state                              name                          isc    isc4  isc3  windows_id            win  service                    nrr                       draft legend
  {State::unknown_state,              "unknown-state",              true,   0,    0,  "",                   {}, Service::not_responding,  " (my state unknown)",    DraftService::none},
  {State::startup,                    "startup",                    true,   1,   10,  "STARTUP",             2, Service::startup,         " (startup)",             DraftService::unresponsive},
  {State::normal,                     "normal",                     true,   2,    2,  "NORMAL",              3, Service::cooperating,     "",                       DraftService::balanced},
  {State::communications_interrupted, "communications-interrupted", true,   3,    3,  "COMMUNICATION_INT",   4, Service::not_cooperating, "",                       DraftService::responsive},
  {State::partner_down,               "partner-down",               true,   4,    1,  "PARTNER_DOWN",        5, Service::partner_down,    "",                       DraftService::responsive},
  {State::potential_conflict,         "potential-conflict",         true,   5,    5,  "POTENTIAL_CONFLICT",  6, Service::not_responding,  " (resolving conflicts)", DraftService::unresponsive},
  {State::recover,                    "recover",                    true,   6,    6,  "RECOVER",             9, Service::not_responding,  " (recovering)",          DraftService::unresponsive},
  {State::paused,                     "paused",                     true,   7,    9,  "PAUSED",             12, Service::not_responding,  " (paused)",              DraftService::none},
  {State::shutdown,                   "shutdown",                   true,   8,    8,  "SHUTDOWN",           13, Service::not_responding,  " (shut down)",           DraftService::unresponsive},
  {State::recover_done,               "recover-done",               true,   9,    7,  "RECOVER_DONE",       11, Service::not_responding,  " (recover done)",        DraftService::renew_only},
  {State::resolution_interrupted,     "resolution-interrupted",     true,  10,    4,  "RESOLUTION_INT",      8, Service::not_responding,  " (resolving conflicts)", DraftService::responsive},
  {State::conflict_done,              "conflict-done",              true,  11,   {},  "CONFLICT_DONE",       7, Service::not_responding,  " (resolving conflicts)", DraftService::responsive},
  {State::recover_wait,               "recover-wait",               true, 254,   11,  "RECOVER_WAIT",       10, Service::not_responding,  " (recover wait)",        DraftService::unresponsive},
  {State::no_state,                   "no-state",                   false, {},   {},  "NO_STATE",            0, Service::not_responding,  "",                       DraftService::none},
  {State::init,                       "init",                       false, {},   {},  "INIT",                1, Service::not_responding,  "",                       DraftService::none},
}};
// clang-format on

/// Returns the table row of `s`.
constexpr const StateInfo& info(State s) { return state_table[static_cast<std::size_t>(s)]; }

/// Returns the name ISC logs for `s` (fosim's spelling for the Windows-only states).
constexpr std::string_view to_string(State s) { return info(s).name; }

/// The numbering schemes a state number can be given in.
enum class Numbering : std::uint8_t {
  isc,      ///< ISC 4.x / OMAPI / draft-12 wire code
  isc3,     ///< ISC 3.0.x
  windows,  ///< Windows FSM_STATE
};

/// Returns the number of `s` in `scheme`, or nothing when the scheme has no such state.
constexpr std::optional<std::uint8_t> to_number(State s, Numbering scheme) {
  const StateInfo& row = info(s);
  switch (scheme) {
    case Numbering::isc:
      return row.isc4;
    case Numbering::isc3:
      return row.isc3;
    case Numbering::windows:
      return row.windows;
  }
  return std::nullopt;
}

/// Returns the state numbered `value` in `scheme`, or nothing when no state has that number.
constexpr std::optional<State> from_number(unsigned value, Numbering scheme) {
  for (const StateInfo& row : state_table) {
    const std::optional<std::uint8_t> n = to_number(row.state, scheme);
    if (n && *n == value) return row.state;
  }
  return std::nullopt;
}

/// Returns the ISC 4.x number (= wire code = OMAPI value) of `s`, if ISC has the state.
constexpr std::optional<std::uint8_t> to_isc(State s) { return to_number(s, Numbering::isc); }

/// Returns the state with ISC 4.x number `value` (0–11, 254), or nothing.
constexpr std::optional<State> from_isc(unsigned value) {
  return from_number(value, Numbering::isc);
}

/// Parses a state name in any spelling a user pastes: ISC's (`partner-down`), with spaces
/// (`partner down`), the Windows identifier (`PARTNER_DOWN`, `COMMUNICATION_INT`), ISC's C
/// enumerator (`shut_down`), in any case. Returns nothing for an unknown name.
std::optional<State> parse_state(std::string_view text);

/// A set of states as a bit mask, usable in constexpr tables.
class StateSet {
 public:
  constexpr StateSet() = default;
  constexpr StateSet(std::initializer_list<State> states) {
    for (State s : states) bits_ |= bit(s);
  }
  /// Returns the set of every state ISC knows (the 13 values a STATE message may carry).
  static constexpr StateSet all_isc() {
    StateSet set;
    for (const StateInfo& row : state_table)
      if (row.isc) set.bits_ |= bit(row.state);
    return set;
  }
  /// Returns true when `s` is in the set.
  constexpr bool contains(State s) const { return (bits_ & bit(s)) != 0; }
  /// Returns true when the two sets share a state.
  constexpr bool intersects(StateSet other) const { return (bits_ & other.bits_) != 0; }
  /// Returns true when the set is empty.
  constexpr bool empty() const { return bits_ == 0; }
  /// Returns the set with `other`'s states removed.
  constexpr StateSet minus(StateSet other) const { return from_bits(bits_ & ~other.bits_); }
  /// Returns the union of the two sets.
  constexpr StateSet with(StateSet other) const { return from_bits(bits_ | other.bits_); }
  constexpr bool operator==(const StateSet&) const = default;

 private:
  static constexpr std::uint32_t bit(State s) {
    return std::uint32_t{1} << static_cast<unsigned>(s);
  }
  static constexpr StateSet from_bits(std::uint32_t b) {
    StateSet set;
    set.bits_ = b;
    return set;
  }
  std::uint32_t bits_ = 0;
};

/// Every state, in table order; handy for loops over the whole machine.
constexpr std::array<State, state_count> all_states() {
  std::array<State, state_count> out{};
  for (std::size_t i = 0; i < state_count; ++i) out[i] = state_table[i].state;
  return out;
}

// The table is indexed by the enumerator: check that the rows are in enumerator order.
static_assert(
    [] {
      for (std::size_t i = 0; i < state_count; ++i)
        if (static_cast<std::size_t>(state_table[i].state) != i) return false;
      return true;
    }(),
    "state_table rows must be in State enumerator order");

// Within one scheme no number may name two states, or conversions would be ambiguous.
static_assert(
    [] {
      for (Numbering scheme : {Numbering::isc, Numbering::isc3, Numbering::windows})
        for (std::size_t i = 0; i < state_count; ++i)
          for (std::size_t j = i + 1; j < state_count; ++j) {
            auto a = to_number(state_table[i].state, scheme);
            auto b = to_number(state_table[j].state, scheme);
            if (a && b && *a == *b) return false;
          }
      return true;
    }(),
    "a state number is used twice within one numbering");

}  // namespace fosim::core
