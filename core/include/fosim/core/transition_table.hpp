// ISC dhcpd 4.4's failover transitions as data.
//
// Each `Rule` says: when a server whose effective state (the saved state while in STARTUP) is
// in `from` meets `trigger` (and, for a peer STATE, the peer reports a state in `peer`) and
// every condition of `guard` holds, then `outcome` happens (stay, move to `to`, move to the
// state the operator asked for, or the daemon exits) after the row's own `effects`. The first
// matching row wins, as in a firewall rule list; the compile-time checks at the end of this
// file prove that no row is shadowed by an earlier one, that every (state, peer state) pair
// has an answer, and that every state ISC can reach by itself is reachable from a cold start.
//
// What every move does (rescind, stos, state record, STATE to the peer) is generic and lives
// in failover_machine.cpp; what a move does for its *target* state is the `EntryRule` table.
// Sources, all in ISC dhcp server/failover.c: dhcp_failover_set_state() (entry work),
// dhcp_failover_state_transition() (link lost), dhcp_failover_peer_state_changed() (peer
// STATE), dhcp_failover_process_update_done() (UPDDONE), the startup, recover-wait and
// auto-partner-down timeouts, dhcp_failover_state_set_value() (OMAPI); server/dhcpd.c for the
// controlled shutdown.
//
// A second semantics profile (draft-12's own rules; docs/state-machine.md lists where they differ)
// is a `Profile` whose `overrides` rows are consulted before this table: it changes only the rows
// that differ.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fosim/core/service.hpp"
#include "fosim/core/state.hpp"

namespace fosim::core {

/// What a rule reacts to. The 15-s startup timer uses the `link_lost` rows (ISC
/// dhcp_failover_startup()).
enum class Trigger : std::uint8_t {
  boot,
  peer_state,
  link_lost,
  update_done,
  recover_wait_timeout,
  auto_partner_down_timeout,
  operator_set_state,
  shutdown_begin,
  shutdown_exit,
};

/// Returns the kebab-case name of a trigger.
std::string_view to_string(Trigger t);

/// Conditions a rule may require; a rule's guard is the conjunction of its bits.
enum class Guard : std::uint16_t {
  always = 0,
  in_startup = 1 << 0,               ///< the server is in STARTUP right now
  not_in_startup = 1 << 1,           ///< the server is not in STARTUP
  peer_startup_flag = 1 << 2,        ///< the STATE carried the STARTUP bit
  pold_potential_conflict = 1 << 3,  ///< the partner state recorded before was potential-conflict
  primary = 1 << 4,                  ///< this server is the primary
  secondary = 1 << 5,                ///< this server is the secondary
  partner_conflict_done = 1 << 6,    ///< the recorded partner state is conflict-done
  mclt_wait_needed = 1 << 7,         ///< stos + MCLT > now and partner not recover/recover-done
  recover_wait_pending = 1 << 8,     ///< stos + MCLT > now
  recover_wait_elapsed = 1 << 9,     ///< stos + MCLT <= now
  connected = 1 << 10,               ///< the failover link is up
  auto_partner_down_on = 1 << 11,    ///< auto-partner-down > 0
  storage_lost = 1 << 12,            ///< the lease file held no failover record at start
  storage_kept = 1 << 13,            ///< the lease file held a failover record at start
};

/// Returns the conjunction of two guards.
constexpr Guard operator|(Guard a, Guard b) {
  return static_cast<Guard>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
/// Returns true when every condition of `part` is also in `whole`.
constexpr bool includes(Guard whole, Guard part) {
  return (static_cast<std::uint16_t>(whole) & static_cast<std::uint16_t>(part)) ==
         static_cast<std::uint16_t>(part);
}

/// What a matching rule does with the state.
enum class Outcome : std::uint8_t {
  stay,            ///< no move (in STARTUP, peer STATE and link-lost rows resume the saved state)
  move,            ///< move to the rule's `to`
  move_requested,  ///< move to the state the operator asked for
  exit_process,    ///< ISC calls log_fatal: the daemon exits
};

/// Row-specific effects, carried out before the move (bit set).
enum class Effect : std::uint16_t {
  none = 0,
  log_requesting_full_update = 1 << 0,
  send_update_request_all = 1 << 1,
  send_update_request = 1 << 2,
  send_updates = 1 << 3,
  schedule_pool_check = 1 << 4,
  rescind_updates = 1 << 5,
  note_invalid_transition = 1 << 6,
  note_normal_during_conflict = 1 << 7,
  note_unexpected_conflict_done = 1 << 8,
  note_both_recover_done = 1 << 9,
  note_secondary_conflict_done = 1 << 10,
  note_spurious_update_done = 1 << 11,
  note_fatal_conflict_done = 1 << 12,
};

/// Returns the union of two effect sets.
constexpr Effect operator|(Effect a, Effect b) {
  return static_cast<Effect>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
/// Returns true when `set` contains `e`.
constexpr bool has(Effect set, Effect e) {
  return (static_cast<std::uint16_t>(set) & static_cast<std::uint16_t>(e)) != 0;
}

/// One transition rule.
struct Rule {
  StateSet from;    ///< effective states the rule applies to
  Trigger trigger;  ///< what happened
  StateSet peer;    ///< peer_state rows: the peer states; empty = any (other triggers: empty)
  Guard guard;      ///< conditions that must all hold
  Outcome outcome;  ///< what happens to the state
  State to;         ///< target of `move`
  Effect effects;   ///< row-specific effects, before the move
};

/// What entering a state does, beyond the generic work of every move (ISC dhcp_failover_set_state()
/// step 9).
enum class EntryEffect : std::uint8_t {
  arm_auto_partner_down,    ///< arm the auto-partner-down timer at now + configured seconds
  rebalance_and_send,       ///< rebalance the pools and send every unacked change
  send_update_request,      ///< send UPDREQ
  send_update_request_all,  ///< send UPDREQALL
  arm_startup_timer,        ///< arm the 15-s startup timer
  arm_recover_wait_timer,   ///< arm the recover-wait timer at stos + MCLT
  finish_recover_wait,      ///< move on to recover-done at once (the MCLT has already passed)
  reclaim_expired_leases,   ///< expired/released/reset leases: tsfp := stos + MCLT
};

/// One entry rule: entering `state` with `guard` holding does `effect`.
struct EntryRule {
  State state;
  Guard guard;
  EntryEffect effect;
};

/// How a server treats a STATE that repeats the partner state it already recorded
/// (ISC dhcp_failover_peer_state_changed() step A).
enum class RepeatPolicy : std::uint8_t {
  process,        ///< handle it like any other STATE
  ignore,         ///< drop it: no log, no record, no reaction
  leave_startup,  ///< leave STARTUP (resolution-interrupted resumes as potential-conflict)
};

/// A semantics profile: the rules, consulted overrides first, and the per-state tables.
/// `entry_overrides` replace every `entry` row of the states they name. `service` says what a
/// server answers in a state (service.hpp).
struct Profile {
  std::string_view name;
  std::span<const Rule> overrides;
  std::span<const Rule> rules;
  std::span<const EntryRule> entry;
  std::array<RepeatPolicy, state_count> repeat;
  std::span<const EntryRule> entry_overrides = {};
  ServiceView (*service)(State mine, State partner) = service_of;
};

namespace isc {

using S = State;
using T = Trigger;
using G = Guard;
using O = Outcome;
using E = Effect;

// Shorthands for the table below.
inline constexpr StateSet any{};
inline constexpr StateSet all_isc = StateSet::all_isc();
inline constexpr S no_target = S::unknown_state;

// Named state sets for the table below, so that each of its rows stays one short line.

/// The conflict-resolution states (draft-12 sections 9.10 to 9.12).
inline constexpr StateSet conflict{S::potential_conflict, S::resolution_interrupted,
                                   S::conflict_done};
/// The conflict states but conflict-done: the peer is still resolving the conflict.
inline constexpr StateSet resolving{S::potential_conflict, S::resolution_interrupted};
/// The conflict states an UPDDONE can arrive in (resolution-interrupted has no link).
inline constexpr StateSet conflict_updates{S::potential_conflict, S::conflict_done};
/// The states in which a server answers clients without its partner (ISC service states
/// "not cooperating" and "partner down").
inline constexpr StateSet serving_alone{S::partner_down, S::communications_interrupted};

/// A peer in normal or in a conflict state: a recovering server goes to potential-conflict.
inline constexpr StateSet normal_or_conflict = conflict.with({S::normal});
/// A peer in partner-down or in a conflict state, so both servers may have allocated the same
/// addresses: a communications-interrupted server goes to potential-conflict.
inline constexpr StateSet may_conflict = conflict.with({S::partner_down});
/// A peer that answers clients (normal, communications-interrupted, partner-down) or is
/// resolving a conflict: a partner-down server goes to potential-conflict.
inline constexpr StateSet serving_or_conflict = conflict.with({S::normal}).with(serving_alone);
/// A peer back in a state compatible with normal (normal, communications-interrupted, or
/// finishing its recovery): a communications-interrupted server sends its queued updates and
/// returns to normal.
inline constexpr StateSet compatible{S::normal, S::communications_interrupted, S::recover_wait,
                                     S::recover_done};

/// The peer states that leave a normal server where it is: the peer still reports
/// communications-interrupted, is finishing its recovery, is starting, or is not known yet.
inline constexpr StateSet normal_ignores{S::communications_interrupted, S::recover_wait,
                                         S::recover_done, S::startup, S::unknown_state};
/// The peer states that leave a recovering server where it is: the peer is paused, is
/// finishing its recovery, is starting, or is not known yet.
inline constexpr StateSet recover_ignores{S::paused, S::recover_wait, S::recover_done, S::startup,
                                          S::unknown_state};
/// The peer states that leave a partner-down server where it is: the peer is shut down or
/// paused, is starting, or is not known yet.
inline constexpr StateSet partner_down_ignores{S::shutdown, S::paused, S::startup,
                                               S::unknown_state};
/// The states no peer STATE moves: recover-wait waits for its timer alone; shutdown, paused
/// and unknown-state ignore the peer.
inline constexpr StateSet ignore_peer{S::recover_wait, S::shutdown, S::paused, S::unknown_state};

/// What a recovering server does outside startup when its peer recovers too: it logs that it
/// requests a full update and sends UPDREQALL.
inline constexpr Effect ask_full_update =
    E::log_requesting_full_update | E::send_update_request_all;

// clang-format off
/// ISC dhcpd 4.4's transition rules, in match order. Each row is {from (effective state),
/// trigger, peer states, guard, outcome, to, effects}; the columns are aligned within each block
/// of rows, so that every row stays one short line.
inline constexpr std::array rules = std::to_array<Rule>({
  // process start (ISC dhcp_failover_startup()): every relationship enters startup
  {all_isc, T::boot, any, G::always, O::move, S::startup, E::none},

  // peer STATE received (ISC dhcp_failover_peer_state_changed() step C)
  {{S::normal}, T::peer_state, {S::normal},               G::always,     O::stay, no_target,                     E::schedule_pool_check},
  {{S::normal}, T::peer_state, {S::partner_down},         G::in_startup, O::move, S::recover,                    E::none},
  {{S::normal}, T::peer_state, {S::partner_down},         G::always,     O::move, S::potential_conflict,         E::none},
  {{S::normal}, T::peer_state, conflict,                  G::always,     O::move, S::shutdown,                   E::note_invalid_transition},
  {{S::normal}, T::peer_state, {S::recover, S::shutdown}, G::always,     O::move, S::partner_down,               E::none},
  {{S::normal}, T::peer_state, {S::paused},               G::always,     O::move, S::communications_interrupted, E::none},
  {{S::normal}, T::peer_state, normal_ignores,            G::always,     O::stay, no_target,                     E::none},

  {{S::recover}, T::peer_state, {S::recover},       G::not_in_startup, O::stay, no_target,             ask_full_update},
  {{S::recover}, T::peer_state, {S::recover},       G::always,         O::stay, no_target,             E::log_requesting_full_update},
  {{S::recover}, T::peer_state, normal_or_conflict, G::always,         O::move, S::potential_conflict, E::none},
  {{S::recover}, T::peer_state, serving_alone,      G::not_in_startup, O::stay, no_target,             E::send_update_request_all},
  {{S::recover}, T::peer_state, serving_alone,      G::always,         O::stay, no_target,             E::none},
  {{S::recover}, T::peer_state, {S::shutdown},      G::always,         O::move, S::partner_down,       E::none},
  {{S::recover}, T::peer_state, recover_ignores,    G::always,         O::stay, no_target,             E::none},

  {{S::potential_conflict}, T::peer_state, {S::normal},        G::always,                  O::move, S::shutdown,     E::note_normal_during_conflict},
  {{S::potential_conflict}, T::peer_state, {S::conflict_done}, G::pold_potential_conflict, O::stay, no_target,       E::send_update_request},
  {{S::potential_conflict}, T::peer_state, {S::conflict_done}, G::always,                  O::stay, no_target,       E::note_unexpected_conflict_done},
  {{S::potential_conflict}, T::peer_state, {S::recover},       G::always,                  O::move, S::recover,      E::none},
  {{S::potential_conflict}, T::peer_state, {S::shutdown},      G::always,                  O::move, S::partner_down, E::none},
  {{S::potential_conflict}, T::peer_state, all_isc,            G::always,                  O::stay, no_target,       E::none},

  {{S::conflict_done}, T::peer_state, {S::normal},   G::always, O::move,         S::normal,   E::none},
  {{S::conflict_done}, T::peer_state, {S::shutdown}, G::always, O::move,         S::shutdown, E::none},
  {{S::conflict_done}, T::peer_state, resolving,     G::always, O::stay,         no_target,   E::none},
  {{S::conflict_done}, T::peer_state, all_isc,       G::always, O::exit_process, no_target,   E::note_fatal_conflict_done},

  {{S::partner_down}, T::peer_state, all_isc,                       G::peer_startup_flag, O::stay, no_target,             E::none},
  {{S::partner_down}, T::peer_state, {S::recover, S::recover_wait}, G::always,            O::stay, no_target,             E::none},
  {{S::partner_down}, T::peer_state, {S::recover_done},             G::always,            O::move, S::normal,             E::none},
  {{S::partner_down}, T::peer_state, serving_or_conflict,           G::always,            O::move, S::potential_conflict, E::none},
  {{S::partner_down}, T::peer_state, partner_down_ignores,          G::always,            O::stay, no_target,             E::none},

  {{S::communications_interrupted}, T::peer_state, {S::paused},                    G::always, O::stay, no_target,             E::none},
  {{S::communications_interrupted}, T::peer_state, {S::recover},                   G::always, O::move, S::partner_down,       E::none},
  {{S::communications_interrupted}, T::peer_state, compatible,                     G::always, O::move, S::normal,             E::send_updates},
  {{S::communications_interrupted}, T::peer_state, may_conflict,                   G::always, O::move, S::potential_conflict, E::none},
  {{S::communications_interrupted}, T::peer_state, {S::shutdown},                  G::always, O::move, S::partner_down,       E::none},
  {{S::communications_interrupted}, T::peer_state, {S::startup, S::unknown_state}, G::always, O::stay, no_target,             E::none},

  {{S::resolution_interrupted}, T::peer_state, {S::shutdown},                             G::always, O::move, S::partner_down,       E::none},
  {{S::resolution_interrupted}, T::peer_state, {S::paused, S::startup, S::unknown_state}, G::always, O::stay, no_target,             E::none},
  {{S::resolution_interrupted}, T::peer_state, all_isc,                                   G::always, O::move, S::potential_conflict, E::none},

  {{S::recover_done}, T::peer_state, {S::recover_done}, G::always, O::move, S::normal,       E::note_both_recover_done},
  {{S::recover_done}, T::peer_state, {S::normal},       G::always, O::move, S::normal,       E::none},
  {{S::recover_done}, T::peer_state, {S::shutdown},     G::always, O::move, S::partner_down, E::none},
  {{S::recover_done}, T::peer_state, all_isc,           G::always, O::stay, no_target,       E::none},

  // recover-wait waits for its timer alone; shutdown, paused and unknown-state ignore the peer
  {ignore_peer, T::peer_state, all_isc, G::always, O::stay, no_target, E::none},

  // communications lost, and the 15-s startup timer (ISC dhcp_failover_state_transition())
  {{S::normal},                               T::link_lost, any, G::always, O::move, S::communications_interrupted, E::none},
  {{S::potential_conflict, S::unknown_state}, T::link_lost, any, G::always, O::move, S::resolution_interrupted,     E::none},
  {{S::conflict_done},                        T::link_lost, any, G::always, O::stay, no_target,                     E::rescind_updates},
  {all_isc,                                   T::link_lost, any, G::always, O::stay, no_target,                     E::none},

  // UPDDONE received (ISC dhcp_failover_process_update_done())
  {{S::recover},            T::update_done, any, G::mclt_wait_needed,                     O::move, S::recover_wait,  E::none},
  {{S::recover},            T::update_done, any, G::always,                               O::move, S::recover_done,  E::none},
  {{S::potential_conflict}, T::update_done, any, G::primary | G::partner_conflict_done,   O::move, S::shutdown,      E::note_secondary_conflict_done},
  {{S::potential_conflict}, T::update_done, any, G::primary,                              O::move, S::conflict_done, E::none},
  {{S::potential_conflict}, T::update_done, any, G::secondary | G::partner_conflict_done, O::move, S::normal,        E::none},
  {conflict_updates,        T::update_done, any, G::always,                               O::stay, no_target,        E::note_spurious_update_done},
  {all_isc,                 T::update_done, any, G::always,                               O::stay, no_target,        E::none},

  // timers
  {{S::recover_wait},               T::recover_wait_timeout,      any, G::always, O::move, S::recover_done, E::none},
  {all_isc,                         T::recover_wait_timeout,      any, G::always, O::stay, no_target,       E::none},
  {{S::communications_interrupted}, T::auto_partner_down_timeout, any, G::always, O::move, S::partner_down, E::none},
  {all_isc,                         T::auto_partner_down_timeout, any, G::always, O::stay, no_target,       E::none},

  // operator actions: OMAPI local-state forces any state; controlled shutdown
  {all_isc,       T::operator_set_state, any, G::always, O::move_requested, no_target,   E::none},
  {{S::normal},   T::shutdown_begin,     any, G::always, O::move,           S::shutdown, E::none},
  {all_isc,       T::shutdown_begin,     any, G::always, O::stay,           no_target,   E::none},
  {{S::shutdown}, T::shutdown_exit,      any, G::always, O::move,           S::recover,  E::none},
  {all_isc,       T::shutdown_exit,      any, G::always, O::stay,           no_target,   E::none},
});

/// What entering a state does (ISC dhcp_failover_set_state() step 9). Every matching row applies, in order.
inline constexpr std::array entry = std::to_array<EntryRule>({
//  state                              guard                                    effect
  {S::communications_interrupted,      G::auto_partner_down_on,                 EntryEffect::arm_auto_partner_down},
  {S::normal,                          G::always,                               EntryEffect::rebalance_and_send},
  {S::potential_conflict,              G::primary,                              EntryEffect::send_update_request},
  {S::potential_conflict,              G::secondary | G::partner_conflict_done, EntryEffect::send_update_request},
  {S::startup,                         G::always,                               EntryEffect::arm_startup_timer},
  {S::recover_wait,                    G::recover_wait_pending,                 EntryEffect::arm_recover_wait_timer},
  {S::recover_wait,                    G::recover_wait_elapsed,                 EntryEffect::finish_recover_wait},
  {S::recover,                         G::connected,                            EntryEffect::send_update_request_all},
  {S::partner_down,                    G::always,                               EntryEffect::reclaim_expired_leases},
});
// clang-format on

/// How each state treats a repeated peer state (ISC dhcp_failover_peer_state_changed() step A), by
/// State index.
inline constexpr std::array<RepeatPolicy, state_count> repeat = [] {
  std::array<RepeatPolicy, state_count> out{};
  for (State s :
       {S::normal, S::potential_conflict, S::recover_done, S::shutdown, S::paused, S::recover_wait})
    out[static_cast<std::size_t>(s)] = RepeatPolicy::ignore;
  out[static_cast<std::size_t>(S::startup)] = RepeatPolicy::leave_startup;
  return out;
}();

}  // namespace isc

/// draft-12's own rules (draft-ietf-dhc-failover-12, March 2003), as the rows where they
/// differ from ISC's table above; the rest of the table is shared.
///
/// Not modelled: draft §9.3.2 decides STARTUP with a partner in PARTNER-DOWN by comparing the
/// partner's start-time-of-state with this server's last recorded time of operation. A step
/// sees neither (the STATE event carries no stos, and the lease file records no time of
/// operation), so this profile keeps ISC's rule by saved state.
namespace draft12 {

using S = State;
using T = Trigger;
using G = Guard;
using O = Outcome;
using E = Effect;
using isc::any;
using isc::no_target;

/// The peer states a recovering server asks for missing bindings from (draft §9.5.2: every
/// state but the conflict states, which it meets in potential-conflict).
inline constexpr StateSet recover_asks{S::recover, S::partner_down, S::communications_interrupted,
                                       S::recover_wait, S::recover_done};
/// The peer states ISC meets in silence where the draft asks (ISC's recover_ignores): a partner
/// still finishing its own recovery.
inline constexpr StateSet recovering_peer{S::recover_wait, S::recover_done};

// clang-format off
/// The rows that differ from ISC's, consulted before its table.
inline constexpr std::array overrides = std::to_array<Rule>({
  // §9.5.2: a recovering server sends UPDREQ; UPDREQALL only when it lost its storage
  {{S::recover}, T::peer_state, recover_asks, G::not_in_startup | G::storage_kept, O::stay, no_target, E::send_update_request},
  // ... and UPDREQALL when the storage was lost, also of a partner ISC leaves unasked, which
  // would otherwise wait in recover-done for a recovery that never starts
  {{S::recover}, T::peer_state, recovering_peer, G::not_in_startup | G::storage_lost, O::stay, no_target, E::send_update_request_all},
  // §9.5.2: "upon receipt of [UPDDONE] it will transition to RECOVER-WAIT state", always
  {{S::recover}, T::update_done, any, G::always, O::move, S::recover_wait, E::none},
  // §9.9.3: "partner in RECOVER: Stay in COMMUNICATIONS-INTERRUPTED state"; its list leaves out
  // RECOVER-WAIT, the same recovery's next step, which Figure 9.5.2-1 has the partner sit out
  // until RECOVER-DONE (ISC's move to NORMAL there leaves a RECOVER-DONE partner no STATE to
  // meet, §9.7.2, and the pair stuck)
  {{S::communications_interrupted}, T::peer_state, {S::recover, S::recover_wait}, G::always, O::stay, no_target, E::none},
  // §9.12.3: a lost link leaves CONFLICT-DONE where it is, and only a NORMAL secondary moves it
  {{S::conflict_done}, T::peer_state, {S::shutdown},                      G::always, O::stay, no_target, E::none},
  {{S::conflict_done}, T::peer_state, StateSet::all_isc().minus({S::normal}), G::always, O::stay, no_target, E::none},
});

/// §9.5.2: entering RECOVER asks for missing bindings with UPDREQ, UPDREQALL when the storage
/// was lost. These replace ISC's RECOVER entry rows.
inline constexpr std::array entry_overrides = std::to_array<EntryRule>({
  {S::recover, G::connected | G::storage_lost, EntryEffect::send_update_request_all},
  {S::recover, G::connected | G::storage_kept, EntryEffect::send_update_request},
});
// clang-format on

}  // namespace draft12

// ---- compile-time checks of the ISC table ----------------------------------------------

namespace detail {

// A row is shadowed when an earlier row matches whenever it does: the same trigger, a
// superset of its states and peer states, and a guard that is a subset of its conditions.
constexpr bool covers(StateSet outer, StateSet inner) {
  return outer.empty() || (!inner.empty() && inner.minus(outer).empty());
}

template <std::size_t N>
constexpr bool no_shadowed_rows(const std::array<Rule, N>& rules) {
  for (std::size_t j = 0; j < N; ++j)
    for (std::size_t i = 0; i < j; ++i) {
      const Rule& a = rules[i];
      const Rule& b = rules[j];
      if (a.trigger == b.trigger && b.from.minus(a.from).empty() && covers(a.peer, b.peer) &&
          includes(b.guard, a.guard))
        return false;
    }
  return true;
}

// Every effective state ISC can be in, with every peer state ISC can send, has an
// unconditional answer, and so has every other trigger.
template <std::size_t N>
constexpr bool complete(const std::array<Rule, N>& rules) {
  const StateSet effective = StateSet::all_isc().minus({State::startup});
  for (Trigger t : {Trigger::boot, Trigger::peer_state, Trigger::link_lost, Trigger::update_done,
                    Trigger::recover_wait_timeout, Trigger::auto_partner_down_timeout,
                    Trigger::operator_set_state, Trigger::shutdown_begin, Trigger::shutdown_exit})
    for (State e : all_states()) {
      if (!effective.contains(e)) continue;
      for (State p : all_states()) {
        if (t == Trigger::peer_state && !StateSet::all_isc().contains(p)) continue;
        if (t != Trigger::peer_state && p != State::unknown_state) continue;
        bool answered = false;
        for (const Rule& r : rules)
          if (r.trigger == t && r.from.contains(e) && r.guard == Guard::always &&
              (r.peer.empty() || r.peer.contains(p)))
            answered = true;
        if (!answered) return false;
      }
    }
  return true;
}

// Every state ISC enters by itself is reachable from a cold start (startup resuming recover)
// without operator rules. paused is the exception: ISC enters it only through OMAPI.
template <std::size_t N>
constexpr bool reachable_from_cold_start(const std::array<Rule, N>& rules) {
  StateSet seen{State::startup, State::recover};
  for (bool grew = true; grew;) {
    grew = false;
    for (const Rule& r : rules) {
      if (r.outcome != Outcome::move || r.trigger == Trigger::operator_set_state) continue;
      for (State s : all_states())
        if (seen.contains(s) && r.from.contains(s) && !seen.contains(r.to)) {
          seen = seen.with({r.to});
          grew = true;
        }
    }
  }
  const StateSet wanted = StateSet::all_isc().minus({State::paused, State::unknown_state});
  return wanted.minus(seen).empty();
}

// Every state has a way out other than the operator, except paused (ISC: only via OMAPI).
template <std::size_t N>
constexpr bool every_state_has_exit(const std::array<Rule, N>& rules) {
  for (State s : all_states()) {
    if (!StateSet::all_isc().contains(s) || s == State::paused || s == State::startup) continue;
    bool exit = false;
    for (const Rule& r : rules)
      if (r.from.contains(s) && r.trigger != Trigger::operator_set_state &&
          r.trigger != Trigger::boot &&
          (r.outcome == Outcome::move || r.outcome == Outcome::exit_process) && r.to != s)
        exit = true;
    if (!exit) return false;
  }
  return true;
}

// The rules as a profile applies them: its overrides, then every row of `rules` that no
// override shadows.
template <std::size_t M, std::size_t N>
constexpr std::array<Rule, M + N> applied(const std::array<Rule, M>& overrides,
                                          const std::array<Rule, N>& rules, std::size_t& size) {
  std::array<Rule, M + N> out{};
  size = 0;
  for (const Rule& o : overrides) out[size++] = o;
  for (const Rule& r : rules) {
    bool shadowed = false;
    for (const Rule& o : overrides)
      if (o.trigger == r.trigger && r.from.minus(o.from).empty() && covers(o.peer, r.peer) &&
          includes(r.guard, o.guard))
        shadowed = true;
    if (!shadowed) out[size++] = r;
  }
  // Pad with copies of the first row: repeating a row changes no check but no_shadowed_rows.
  for (std::size_t i = size; i < M + N; ++i) out[i] = out[0];
  return out;
}

template <std::size_t M, std::size_t N>
constexpr std::array<Rule, M + N> applied(const std::array<Rule, M>& overrides,
                                          const std::array<Rule, N>& rules) {
  std::size_t size = 0;
  return applied(overrides, rules, size);
}

}  // namespace detail

static_assert(detail::no_shadowed_rows(isc::rules), "a transition rule can never match");
static_assert(detail::complete(isc::rules), "a (state, peer state, trigger) has no answer");
static_assert(detail::reachable_from_cold_start(isc::rules), "a state is unreachable");
static_assert(detail::every_state_has_exit(isc::rules), "a state has no exit");

// The same checks for draft-12's rules as applied (its overrides may not shadow one another).
static_assert(detail::no_shadowed_rows(draft12::overrides), "a draft-12 row can never match");
static_assert(detail::complete(detail::applied(draft12::overrides, isc::rules)),
              "a draft-12 (state, peer state, trigger) has no answer");
static_assert(detail::reachable_from_cold_start(detail::applied(draft12::overrides, isc::rules)),
              "a state is unreachable under draft-12");
static_assert(detail::every_state_has_exit(detail::applied(draft12::overrides, isc::rules)),
              "a state has no exit under draft-12");

/// The semantics profiles fosim knows; `--profile` and the scenario key name them.
enum class ProfileId : std::uint8_t { isc_4_4, draft_12 };

/// Returns the profile `id` names.
const Profile& profile(ProfileId id);
/// Returns "isc-4.4" or "draft-12".
std::string_view to_string(ProfileId id);
/// The rules of profile `id` in match order: its overrides, then ISC's rows they leave
/// reachable (what a diagram of the profile draws).
std::span<const Rule> applied_rules(ProfileId id);
/// Returns the profile named `name`, or nothing.
std::optional<ProfileId> parse_profile(std::string_view name);
/// The valid profile names, for error messages: "isc-4.4, draft-12".
inline constexpr std::string_view profile_names = "isc-4.4, draft-12";

}  // namespace fosim::core
