// Names of events and actions. The log lines ISC writes for them are in sim's catalogue
// (sim/include/fosim/sim/isc_wording.hpp).
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

}  // namespace fosim::core
