#include "fosim/core/failover_machine.hpp"

#include <string>

#include "fosim/core/transition_table.hpp"

namespace fosim::core {
namespace {

/// The 15-s STARTUP timer (dhcp: server/failover.c, dhcp_failover_set_state()).
constexpr Seconds startup_interval{15};

/// Everything a guard may look at.
struct Context {
  const PeerView& view;
  Instant now;
  State pold;         ///< partner state recorded before this event
  bool peer_startup;  ///< STARTUP bit of the STATE being processed
};

bool holds(Guard guard, const Context& c) {
  const PeerView& v = c.view;
  const Instant recover_wait_end = v.stos + v.mclt;
  auto need = [guard](Guard g) { return includes(guard, g); };
  if (need(Guard::in_startup) && v.state != State::startup) return false;
  if (need(Guard::not_in_startup) && v.state == State::startup) return false;
  if (need(Guard::peer_startup_flag) && !c.peer_startup) return false;
  if (need(Guard::pold_potential_conflict) && c.pold != State::potential_conflict) return false;
  if (need(Guard::primary) && v.role != Role::primary) return false;
  if (need(Guard::secondary) && v.role != Role::secondary) return false;
  if (need(Guard::partner_conflict_done) && v.partner != State::conflict_done) return false;
  if (need(Guard::mclt_wait_needed) && !(recover_wait_end > c.now && v.partner != State::recover &&
                                         v.partner != State::recover_done))
    return false;
  if (need(Guard::recover_wait_pending) && !(recover_wait_end > c.now)) return false;
  if (need(Guard::recover_wait_elapsed) && recover_wait_end > c.now) return false;
  if (need(Guard::connected) && !v.connected) return false;
  if (need(Guard::auto_partner_down_on) && v.auto_partner_down <= Seconds{0}) return false;
  if (need(Guard::storage_lost) && !v.storage_lost) return false;
  if (need(Guard::storage_kept) && v.storage_lost) return false;
  return true;
}

const Rule* find_rule(std::span<const Rule> rules, Trigger t, State e, const State* peer,
                      const Context& c) {
  for (const Rule& r : rules) {
    if (r.trigger != t || !r.from.contains(e)) continue;
    if (peer != nullptr && !r.peer.empty() && !r.peer.contains(*peer)) continue;
    if (holds(r.guard, c)) return &r;
  }
  return nullptr;
}

const Rule* lookup(const Profile& p, Trigger t, State e, const State* peer, const Context& c) {
  if (const Rule* r = find_rule(p.overrides, t, e, peer, c)) return r;
  return find_rule(p.rules, t, e, peer, c);
}

Action act(ActionKind k) {
  return Action{k, State::unknown_state, State::unknown_state, {}, Note::none, 0};
}
Action act_at(ActionKind k, Instant at) {
  Action a = act(k);
  a.at = at;
  return a;
}
Action note(Note n, State from = State::unknown_state, State to = State::unknown_state) {
  Action a = act(ActionKind::log);
  a.note = n;
  a.from = from;
  a.to = to;
  return a;
}

/// Carries out dhcp_failover_set_state(): the generic work of every move, then the
/// target state's entry rules (ISC dhcp_failover_set_state()).
void set_state(Step& s, State next, Instant now, const Profile& profile) {
  PeerView& v = s.view;
  const State old = v.state;
  ActionList& out = s.actions;

  // 1. leaving a state that sends updates: unacked BNDUPDs go back to the send queue.
  if (old == State::normal || old == State::potential_conflict || old == State::partner_down)
    out.push_back(act(ActionKind::rescind_updates));
  // 2. stos, with the graceful-shutdown special case that skips the next MCLT wait.
  if (next == State::recover && old == State::shutdown && v.partner == State::partner_down &&
      !v.updates_pending)
    v.stos = now - v.mclt;
  else if (next != State::recover_wait && next != State::startup && old != State::startup)
    v.stos = now;
  // 3. entering startup remembers where to resume.
  if (next == State::startup && old != State::startup) v.saved = old;
  v.state = next;
  // 4-5. record, log.
  out.push_back(act(ActionKind::write_state_record));
  Action moved = act(ActionKind::moved);
  moved.from = old;
  moved.to = next;
  out.push_back(moved);
  if (next == State::normal && v.partner == State::normal)
    out.push_back(act(ActionKind::both_normal));
  // 6. timers tied to the old state.
  if (old == State::startup && next != State::startup)
    out.push_back(act(ActionKind::cancel_startup_timer));
  out.push_back(act(ActionKind::cancel_auto_partner_down_timer));
  // 8. tell the peer.
  if (v.connected) out.push_back(act(ActionKind::send_state));
  // 9. entry work of the new state.
  const Context c{v, now, v.partner, false};
  bool overridden = false;
  for (const EntryRule& e : profile.entry_overrides) overridden = overridden || e.state == next;
  for (const EntryRule& e : overridden ? profile.entry_overrides : profile.entry) {
    if (e.state != next || !holds(e.guard, c)) continue;
    switch (e.effect) {
      case EntryEffect::arm_auto_partner_down:
        out.push_back(act_at(ActionKind::arm_auto_partner_down_timer, now + v.auto_partner_down));
        break;
      case EntryEffect::rebalance_and_send:
        out.push_back(act(ActionKind::rebalance_pools));
        out.push_back(act(ActionKind::send_queued_updates));
        break;
      case EntryEffect::send_update_request:
        out.push_back(act(ActionKind::send_update_request));
        break;
      case EntryEffect::send_update_request_all:
        out.push_back(act(ActionKind::send_update_request_all));
        break;
      case EntryEffect::arm_startup_timer:
        out.push_back(act_at(ActionKind::arm_startup_timer, now + startup_interval));
        break;
      case EntryEffect::arm_recover_wait_timer:
        out.push_back(act_at(ActionKind::arm_recover_wait_timer, v.stos + v.mclt));
        break;
      case EntryEffect::finish_recover_wait:
        set_state(s, State::recover_done, now, profile);
        return;
      case EntryEffect::reclaim_expired_leases:
        out.push_back(act(ActionKind::reclaim_expired_leases));
        break;
    }
  }
}

void apply_effects(Step& s, Effect effects, State pold, State p) {
  ActionList& out = s.actions;
  if (has(effects, Effect::note_invalid_transition))
    out.push_back(note(Note::invalid_transition, pold, p));
  if (has(effects, Effect::note_normal_during_conflict))
    out.push_back(note(Note::normal_during_conflict));
  if (has(effects, Effect::note_unexpected_conflict_done))
    out.push_back(note(Note::unexpected_conflict_done));
  if (has(effects, Effect::note_both_recover_done)) out.push_back(note(Note::both_recover_done));
  if (has(effects, Effect::note_secondary_conflict_done))
    out.push_back(note(Note::secondary_conflict_done));
  if (has(effects, Effect::note_spurious_update_done))
    out.push_back(note(Note::spurious_update_done));
  if (has(effects, Effect::note_fatal_conflict_done))
    out.push_back(note(Note::fatal_conflict_done, pold, p));
  if (has(effects, Effect::log_requesting_full_update))
    out.push_back(note(Note::requesting_full_update));
  if (has(effects, Effect::send_update_request_all))
    out.push_back(act(ActionKind::send_update_request_all));
  if (has(effects, Effect::send_update_request))
    out.push_back(act(ActionKind::send_update_request));
  if (has(effects, Effect::send_updates)) out.push_back(act(ActionKind::send_updates));
  if (has(effects, Effect::schedule_pool_check))
    out.push_back(act(ActionKind::schedule_pool_check));
  if (has(effects, Effect::rescind_updates)) out.push_back(act(ActionKind::rescind_updates));
}

/// Looks up and applies the rule for `t`. `resume_on_stay`: in STARTUP, a "stay" resumes
/// the saved state (peer STATE and link-lost rows, as ISC does).
void react(Step& s, Trigger t, const State* peer, const Context& c, Instant now,
           const Profile& profile, bool resume_on_stay) {
  const State e = s.view.effective();
  const Rule* rule = lookup(profile, t, e, peer, c);
  const State p = peer ? *peer : State::unknown_state;
  if (rule != nullptr) {
    apply_effects(s, rule->effects, c.pold, p);
    switch (rule->outcome) {
      case Outcome::move:
        set_state(s, rule->to, now, profile);
        return;
      case Outcome::move_requested:
        return;  // handled by the caller, which knows the requested state
      case Outcome::exit_process:
        s.actions.push_back(act(ActionKind::exit_process));
        return;
      case Outcome::stay:
        break;
    }
  }
  if (resume_on_stay && s.view.state == State::startup) set_state(s, s.view.saved, now, profile);
}

void on_peer_state(Step& s, const Event& ev, Instant now, const Profile& profile) {
  PeerView& v = s.view;
  const std::optional<State> p = from_isc(ev.peer_wire);
  // Step A: the same partner state again.
  if (p && *p == v.partner && v.state != State::unknown_state) {
    switch (profile.repeat[static_cast<std::size_t>(v.state)]) {
      case RepeatPolicy::ignore:
        return;
      case RepeatPolicy::leave_startup:
        set_state(s, v.saved == State::resolution_interrupted ? State::potential_conflict : v.saved,
                  now, profile);
        return;
      case RepeatPolicy::process:
        break;
    }
  }
  // A number that names no state: ISC logs it and shuts down.
  if (!p) {
    Action a = note(Note::invalid_peer_state);
    a.number = ev.peer_wire;
    s.actions.push_back(a);
    set_state(s, State::shutdown, now, profile);
    return;
  }
  // Step B: record the partner's state.
  const State pold = v.partner;
  v.partner = *p;
  v.partner_stos = now;
  Action moved = act(ActionKind::partner_moved);
  moved.from = pold;
  moved.to = *p;
  s.actions.push_back(moved);
  s.actions.push_back(act(ActionKind::write_state_record));
  if (v.state == State::normal && *p == State::normal)
    s.actions.push_back(act(ActionKind::both_normal));
  // Steps C and D.
  const Context c{v, now, pold, ev.peer_startup};
  react(s, Trigger::peer_state, &*p, c, now, profile, true);
}

}  // namespace

PeerView fresh_view(Role role, Instant now, Seconds mclt, Seconds auto_partner_down) {
  PeerView v;
  v.role = role;
  v.state = State::recover;
  v.saved = State::recover;
  v.partner = State::unknown_state;
  v.stos = now;
  v.partner_stos = now;
  v.mclt = mclt;
  v.auto_partner_down = auto_partner_down;
  v.storage_lost = true;
  return v;
}

Event Event::peer(State p, bool startup_flag) {
  const std::optional<std::uint8_t> wire = to_isc(p);
  // A state ISC has no number for cannot be sent; 255 is a number no state has.
  return peer_number(wire ? *wire : std::uint8_t{255}, startup_flag);
}

Step step(const PeerView& view, const Event& ev, Instant now, const Profile& profile) {
  Step s{view, {}};
  const Context c{s.view, now, view.partner, false};
  switch (ev.kind) {
    case EventKind::peer_state:
      on_peer_state(s, ev, now, profile);
      break;
    case EventKind::link_lost:
      s.view.connected = false;
      react(s, Trigger::link_lost, nullptr, c, now, profile, true);
      break;
    case EventKind::startup_timeout:
      // A stale timer (startup already left) does nothing.
      if (view.state == State::startup)
        react(s, Trigger::link_lost, nullptr, c, now, profile, true);
      break;
    case EventKind::boot:
      react(s, Trigger::boot, nullptr, c, now, profile, false);
      break;
    case EventKind::update_done:
      react(s, Trigger::update_done, nullptr, c, now, profile, false);
      break;
    case EventKind::recover_wait_timeout:
      react(s, Trigger::recover_wait_timeout, nullptr, c, now, profile, false);
      break;
    case EventKind::auto_partner_down_timeout:
      react(s, Trigger::auto_partner_down_timeout, nullptr, c, now, profile, false);
      break;
    case EventKind::operator_set_state: {
      const Rule* r = lookup(profile, Trigger::operator_set_state, view.effective(), nullptr, c);
      if (r != nullptr && r->outcome == Outcome::move_requested && info(ev.requested).isc)
        set_state(s, ev.requested, now, profile);
      break;
    }
    case EventKind::shutdown_begin:
      react(s, Trigger::shutdown_begin, nullptr, c, now, profile, false);
      break;
    case EventKind::shutdown_exit:
      react(s, Trigger::shutdown_exit, nullptr, c, now, profile, false);
      break;
  }
  return s;
}

}  // namespace fosim::core
