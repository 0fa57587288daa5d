// A server's glue to its failover state machine: feeding core::step an event, reporting the
// moves and notes it returns, and carrying out the effects it asks for.
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::ActionKind;
using core::Event;
using core::Instant;
using core::State;

/// The failover line ISC writes for a note of the machine.
FailoverLine failover_line(const core::Action& a, const std::string& peer) {
  FailoverLine l{FailoverNote::both_normal, peer, a.from, a.to, a.number};
  if (a.kind == ActionKind::both_normal) return l;
  static constexpr std::array<FailoverNote, 11> by_note{
      FailoverNote::both_normal,  // Note::none: not logged
      FailoverNote::requesting_full_update,
      FailoverNote::invalid_peer_state,
      FailoverNote::invalid_transition,
      FailoverNote::normal_during_conflict,
      FailoverNote::unexpected_conflict_done,
      FailoverNote::both_recover_done,
      FailoverNote::secondary_conflict_done,
      FailoverNote::spurious_update_done,
      FailoverNote::fatal_conflict_done,
      FailoverNote::peer_update_completed};
  l.note = by_note[static_cast<std::size_t>(a.note)];
  return l;
}

}  // namespace

void Server::feed(const Event& ev, Instant now, Cause cause) {
  view_.updates_pending = !send_queue_.empty() || unacked_ > 0;
  // The machine reads ISC's cur_time: stos and its deadlines are this server's whole seconds.
  apply(core::step(view_, ev, whole_second(now), core::profile(scenario_.profile)), now, cause);
}

void Server::apply(const core::Step& step, Instant now, Cause cause) {
  const State before = view_.state;
  view_ = step.view;
  // Only the first move of an operator's set-state is forced; entry actions may chain more.
  bool forced = cause == Cause::operator_set_state;
  for (const core::Action& a : step.actions) {
    if (a.kind == ActionKind::exit_process) {
      log_fatal(now);
      return;
    }
    if (!report(a, now, cause, forced)) carry_out(a, now);
  }
  // A secondary leaves the expiry of ACTIVE leases to the primary only while normal.
  if (before == State::normal && view_.state != State::normal && !deferred_.empty())
    run_pool_timer(now);
}

bool Server::report(const core::Action& a, Instant now, Cause cause, bool& forced) {
  switch (a.kind) {
    case ActionKind::moved:
      ++stats_.transitions;
      if (sim_.tracing()) trace(now, StateMove{config_.name, a.from, a.to, cause});
      monitors_.on_state_change(index_, a.from, a.to, forced);
      forced = false;
      return true;
    case ActionKind::partner_moved:
      if (sim_.tracing()) trace(now, PeerStateSeen{config_.name, a.from, a.to});
      return true;
    case ActionKind::both_normal:
    case ActionKind::log:
      if (sim_.tracing()) trace(now, failover_line(a, config_.name));
      return true;
    default:
      return false;
  }
}

void Server::carry_out(const core::Action& a, Instant now) {
  switch (a.kind) {
    case ActionKind::write_state_record:
      record_state();
      break;
    case ActionKind::send_state:
      send_state(now);
      break;
    case ActionKind::send_update_request:
      send_update_request(false, now);
      break;
    case ActionKind::send_update_request_all:
      send_update_request(true, now);
      break;
    case ActionKind::send_queued_updates:
      send_queued_updates(now);
      break;
    case ActionKind::send_updates:
      send_updates(now);
      break;
    case ActionKind::rescind_updates:
      rescind_updates();
      break;
    case ActionKind::rebalance_pools:  // dhcp_failover_pool_balance(): a fresh schedule
      cancel(TimerKind::rebalance);
      rebalance_at_.reset();
      rebalance(now, false);
      break;
    case ActionKind::schedule_pool_check:
      schedule_pool_check(now);
      break;
    case ActionKind::arm_startup_timer:
      arm(TimerKind::startup, isc_timeout(a.at, now));
      break;
    case ActionKind::cancel_startup_timer:
      cancel(TimerKind::startup);
      break;
    case ActionKind::arm_recover_wait_timer:
      arm(TimerKind::recover_wait, isc_timeout(a.at, now));
      break;
    case ActionKind::arm_auto_partner_down_timer:
      arm(TimerKind::auto_partner_down, isc_timeout(a.at, now));
      break;
    case ActionKind::cancel_auto_partner_down_timer:
      cancel(TimerKind::auto_partner_down);
      break;
    case ActionKind::reclaim_expired_leases:
      reclaim_expired(now);
      break;
    case ActionKind::moved:  // report() writes the moves and notes; apply() exits
    case ActionKind::partner_moved:
    case ActionKind::both_normal:
    case ActionKind::log:
    case ActionKind::exit_process:
      break;
  }
}

void Server::send_update_request(bool all, Instant now) {
  Message m;
  m.type = all ? MessageType::updreqall : MessageType::updreq;
  m.xid = next_xid_++;
  update_request_pending_ = true;
  update_request_all_ = all;
  send(m, now);
  if (sim_.tracing())
    trace(now, update_line(all ? UpdateStep::request_all_sent : UpdateStep::request_sent));
}

}  // namespace fosim::sim
