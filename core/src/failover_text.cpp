// Names of events and actions, and the log lines ISC writes for them.
#include <string>

#include "fosim/core/failover_machine.hpp"

namespace fosim::core {

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::boot:
      return "boot";
    case EventKind::peer_state:
      return "peer-state";
    case EventKind::link_lost:
      return "link-lost";
    case EventKind::startup_timeout:
      return "startup-timeout";
    case EventKind::update_done:
      return "update-done";
    case EventKind::recover_wait_timeout:
      return "recover-wait-timeout";
    case EventKind::auto_partner_down_timeout:
      return "auto-partner-down-timeout";
    case EventKind::operator_set_state:
      return "operator-set-state";
    case EventKind::shutdown_begin:
      return "shutdown-begin";
    case EventKind::shutdown_exit:
      return "shutdown-exit";
  }
  return "?";
}

std::string_view to_string(ActionKind k) {
  switch (k) {
    case ActionKind::moved:
      return "moved";
    case ActionKind::partner_moved:
      return "partner-moved";
    case ActionKind::both_normal:
      return "both-normal";
    case ActionKind::log:
      return "log";
    case ActionKind::write_state_record:
      return "write-state-record";
    case ActionKind::send_state:
      return "send-state";
    case ActionKind::send_update_request:
      return "send-update-request";
    case ActionKind::send_update_request_all:
      return "send-update-request-all";
    case ActionKind::send_queued_updates:
      return "send-queued-updates";
    case ActionKind::send_updates:
      return "send-updates";
    case ActionKind::rescind_updates:
      return "rescind-updates";
    case ActionKind::rebalance_pools:
      return "rebalance-pools";
    case ActionKind::schedule_pool_check:
      return "schedule-pool-check";
    case ActionKind::arm_startup_timer:
      return "arm-startup-timer";
    case ActionKind::cancel_startup_timer:
      return "cancel-startup-timer";
    case ActionKind::arm_recover_wait_timer:
      return "arm-recover-wait-timer";
    case ActionKind::arm_auto_partner_down_timer:
      return "arm-auto-partner-down-timer";
    case ActionKind::cancel_auto_partner_down_timer:
      return "cancel-auto-partner-down-timer";
    case ActionKind::reclaim_expired_leases:
      return "reclaim-expired-leases";
    case ActionKind::exit_process:
      return "exit-process";
  }
  return "?";
}

namespace {

std::string note_text(const Action& a, std::string_view name) {
  const std::string peer(name);
  const std::string from(to_string(a.from));
  const std::string to(to_string(a.to));
  switch (a.note) {
    case Note::none:
      return {};
    case Note::requesting_full_update:
      return "failover peer " + peer + ": requesting full update from peer";
    case Note::invalid_peer_state:
      return "failover peer " + peer + ": Invalid state: " + std::to_string(a.number);
    case Note::invalid_transition:
      return "Peer " + peer + ": Invalid state transition " + from + " to " + to + ".";
    case Note::normal_during_conflict:
      return "Peer " + peer + " moves to normal during conflict resolution - panic, shutting down.";
    case Note::unexpected_conflict_done:
      return "Peer " + peer + ": Unexpected move to conflict-done.";
    case Note::both_recover_done:
      return "Both servers have entered recover-done!";
    case Note::secondary_conflict_done:
      return "Secondary is in conflict_done state after conflict resolution, this is illegal.";
    case Note::spurious_update_done:
      return "Spurious update-done message.";
    case Note::fatal_conflict_done:
      return "Peer " + peer + ": Invalid attempt to move from " + from + " to " + to +
             " while local state is conflict-done.";
    case Note::peer_update_completed:
      return "failover peer " + peer + ": peer update completed.";
  }
  return {};
}

}  // namespace

std::string describe(const Action& a, std::string_view peer_name) {
  const std::string peer(peer_name);
  switch (a.kind) {
    case ActionKind::moved:
      return "failover peer " + peer + ": I move from " + std::string(to_string(a.from)) + " to " +
             std::string(to_string(a.to));
    case ActionKind::partner_moved:
      return "failover peer " + peer + ": peer moves from " + std::string(to_string(a.from)) +
             " to " + std::string(to_string(a.to));
    case ActionKind::both_normal:
      return "failover peer " + peer + ": Both servers normal";
    case ActionKind::log:
      return note_text(a, peer_name);
    default:
      return {};
  }
}

}  // namespace fosim::core
