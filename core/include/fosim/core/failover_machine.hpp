// The failover state machine of one server, as a pure step function.
//
// `step(view, event, now)` returns the server's next view and the effects to carry out, as
// data: send a STATE, ask the peer for updates, arm or cancel a timer, rebalance the pools,
// write the state record, log a line. It never reads a clock, never sends anything and keeps
// no state of its own; the simulator executes the actions, the diagram and the tests read the
// same rules (transition_table.hpp).
//
// The semantics are ISC dhcpd 4.4's (dhcp server/failover.c), including where ISC
// departs from draft-12. A step follows dhcp_failover_peer_state_changed() and
// dhcp_failover_set_state(): the "same state again" filter, recording the partner's state,
// the reaction looked up in the rules, leaving STARTUP for the saved state, and for every
// move the generic entry work (rescind, stos, state record, STATE to the peer, per-state
// entry actions).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"

namespace fosim::core {

/// The role of a server in a failover relationship.
enum class Role : std::uint8_t { primary, secondary };

/// Returns "primary" or "secondary".
constexpr std::string_view to_string(Role r) {
  return r == Role::primary ? "primary" : "secondary";
}

/// What one server's failover state machine knows about itself and its partner.
struct PeerView {
  Role role = Role::primary;
  State state = State::recover;          ///< current local state (may be startup)
  State saved = State::recover;          ///< state to resume when startup ends
  State partner = State::unknown_state;  ///< partner state last recorded
  Instant stos{};                        ///< when the local state was entered (ISC me.stos)
  Instant partner_stos{};                ///< when the partner state was recorded (receive time)
  bool connected = false;                ///< CONNECT/CONNECTACK done, STATEs flow
  bool updates_pending = false;          ///< BNDUPDs queued or unacked (shutdown stos rule)
  Seconds mclt{0};                       ///< MCLT as known here (secondary: learned)
  Seconds auto_partner_down{0};          ///< 0 = off
  bool storage_lost = false;             ///< the lease file held no failover record at start

  /// Returns the state ISC reasons with: the saved state in startup, else the state ("E").
  constexpr State effective() const { return state == State::startup ? saved : state; }
};

/// Returns the view of a server whose lease file holds no failover record: ISC's config parse
/// sets my state recover, stos now, partner unknown-state (ISC dhcp_failover_startup()), and
/// `storage_lost` (draft-12 §9.5.2; ISC does not look at it).
PeerView fresh_view(Role role, Instant now, Seconds mclt, Seconds auto_partner_down = Seconds{0});

/// What can happen to a server's failover state machine.
enum class EventKind : std::uint8_t {
  boot,                       ///< the process starts: move to startup
  peer_state,                 ///< a STATE message arrived
  link_lost,                  ///< TCP closed, receive timer expired, connect failed
  startup_timeout,            ///< the 15-s startup timer fired
  update_done,                ///< an UPDDONE message arrived
  recover_wait_timeout,       ///< the recover-wait timer (stos + MCLT) fired
  auto_partner_down_timeout,  ///< the auto-partner-down timer fired
  operator_set_state,         ///< OMAPI set of failover-state local-state
  shutdown_begin,             ///< controlled shutdown starts (OMAPI control object)
  shutdown_exit,              ///< controlled shutdown ends: the process is about to exit
};

/// Returns the kebab-case name of an event kind ("peer-state", "link-lost", ...).
std::string_view to_string(EventKind k);

/// One event for the state machine.
struct Event {
  EventKind kind = EventKind::boot;
  std::uint8_t peer_wire = 0;              ///< peer_state: server-state option (ISC 4.x number)
  bool peer_startup = false;               ///< peer_state: STARTUP bit of server-flags
  State requested = State::unknown_state;  ///< operator_set_state: the state asked for

  /// A STATE message carrying `p` (sent as its ISC 4.x number) and the STARTUP bit.
  static Event peer(State p, bool startup_flag = false);
  /// A STATE message carrying a raw server-state number, valid or not.
  static constexpr Event peer_number(std::uint8_t wire, bool startup_flag = false) {
    return Event{EventKind::peer_state, wire, startup_flag, State::unknown_state};
  }
  /// An event that needs no data.
  static constexpr Event of(EventKind k) { return Event{k, 0, false, State::unknown_state}; }
  /// The operator sets local-state to `s`.
  static constexpr Event set_state(State s) {
    return Event{EventKind::operator_set_state, 0, false, s};
  }
};

/// Log lines and errors ISC writes while stepping (their words: sim's catalogue).
enum class Note : std::uint8_t {
  none,
  requesting_full_update,    ///< this server asks its peer for a full update
  invalid_peer_state,        ///< the peer sent a state number ISC does not know (`number`)
  invalid_transition,        ///< the peer moved between two states it may not (`from`, `to`)
  normal_during_conflict,    ///< the peer went normal during conflict resolution: panic
  unexpected_conflict_done,  ///< the peer moved to conflict-done unexpectedly
  both_recover_done,         ///< both servers entered recover-done
  secondary_conflict_done,   ///< a secondary in conflict-done after the resolution: illegal
  spurious_update_done,      ///< an UPDDONE nothing asked for
  fatal_conflict_done,       ///< the peer moved (`from`, `to`) while this one is conflict-done
  peer_update_completed,     ///< the peer finished the update this server asked for
};

/// The effects a step asks its caller to carry out, in order.
enum class ActionKind : std::uint8_t {
  moved,                    ///< local state changed `from` -> `to`
  partner_moved,            ///< partner state recorded `from` -> `to`
  both_normal,              ///< both servers are now normal
  log,                      ///< write the log line `note` (with `from`/`to` where it has them)
  write_state_record,       ///< append the failover state record to the lease file
  send_state,               ///< send STATE (effective state, STARTUP flag, stos) if connected
  send_update_request,      ///< send UPDREQ
  send_update_request_all,  ///< send UPDREQALL
  send_queued_updates,      ///< queue unacked and expired/released/reset leases, send them
  send_updates,             ///< send the BNDUPDs already queued (dhcp_failover_send_updates())
  rescind_updates,          ///< move sent-but-unacked BNDUPDs back to the send queue
  rebalance_pools,          ///< run the pool rebalance now (ISC dhcp_failover_pool_dobalance())
  schedule_pool_check,      ///< recompute the next rebalance time (ISC dhcp_failover_pool_check())
  arm_startup_timer,        ///< arm the startup timer at `at`
  cancel_startup_timer,     ///< cancel the startup timer
  arm_recover_wait_timer,   ///< arm the recover-wait timer at `at`
  arm_auto_partner_down_timer,     ///< arm the auto-partner-down timer at `at`
  cancel_auto_partner_down_timer,  ///< cancel the auto-partner-down timer
  reclaim_expired_leases,          ///< partner-down entry: tsfp := stos + MCLT on the expired queue
  exit_process,                    ///< ISC calls log_fatal: the daemon exits
};

/// Returns the kebab-case name of an action kind ("send-state", "arm-startup-timer", ...).
std::string_view to_string(ActionKind k);

/// One effect, with the data it needs.
struct Action {
  ActionKind kind = ActionKind::log;
  State from = State::unknown_state;  ///< moved / partner_moved / some notes
  State to = State::unknown_state;    ///< moved / partner_moved / some notes
  Instant at{};                       ///< timers: when they fire
  Note note = Note::none;             ///< log: which line
  std::uint8_t number = 0;            ///< invalid_peer_state: the number received

  constexpr bool operator==(const Action&) const = default;
};

/// A short list of actions held inline: a step never allocates.
class ActionList {
 public:
  static constexpr std::size_t capacity = 32;
  /// Appends `a`; the list never holds more than `capacity` (a step needs far fewer).
  constexpr void push_back(const Action& a) {
    if (size_ < capacity) items_[size_++] = a;
  }
  constexpr std::size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr const Action& operator[](std::size_t i) const { return items_[i]; }
  constexpr const Action* begin() const { return items_.data(); }
  constexpr const Action* end() const { return items_.data() + size_; }
  /// Returns true when an action of kind `k` is in the list.
  constexpr bool contains(ActionKind k) const {
    for (const Action& a : *this)
      if (a.kind == k) return true;
    return false;
  }

 private:
  std::array<Action, capacity> items_{};
  std::size_t size_ = 0;
};

/// The result of one step: the next view and what to do.
struct Step {
  PeerView view;
  ActionList actions;
};

struct Profile;

/// Returns the profile of ISC dhcpd 4.4 (the default).
const Profile& isc_profile();

/// Feeds `event` to a server whose machine is `view`, at simulated time `now`.
Step step(const PeerView& view, const Event& event, Instant now,
          const Profile& profile = isc_profile());

}  // namespace fosim::core
