#include "fosim/core/transition_table.hpp"

#include "fosim/core/failover_machine.hpp"

namespace fosim::core {

std::string_view to_string(Trigger t) {
  switch (t) {
    case Trigger::boot:
      return "boot";
    case Trigger::peer_state:
      return "peer-state";
    case Trigger::link_lost:
      return "link-lost";
    case Trigger::update_done:
      return "update-done";
    case Trigger::recover_wait_timeout:
      return "recover-wait-timeout";
    case Trigger::auto_partner_down_timeout:
      return "auto-partner-down-timeout";
    case Trigger::operator_set_state:
      return "operator-set-state";
    case Trigger::shutdown_begin:
      return "shutdown-begin";
    case Trigger::shutdown_exit:
      return "shutdown-exit";
  }
  return "?";
}

const Profile& isc_profile() {
  static constexpr Profile profile{"isc-4.4", {}, isc::rules, isc::entry, isc::repeat};
  return profile;
}

}  // namespace fosim::core
