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

const Profile& profile(ProfileId id) {
  static constexpr Profile draft{"draft-12",        draft12::overrides, isc::rules,
                                 isc::entry,        isc::repeat,        draft12::entry_overrides,
                                 draft12_service_of};
  return id == ProfileId::draft_12 ? draft : isc_profile();
}

std::string_view to_string(ProfileId id) { return profile(id).name; }

std::span<const Rule> applied_rules(ProfileId id) {
  if (id == ProfileId::isc_4_4) return isc::rules;
  static constexpr std::size_t size = [] {
    std::size_t n = 0;
    detail::applied(draft12::overrides, isc::rules, n);
    return n;
  }();
  static constexpr auto rows = detail::applied(draft12::overrides, isc::rules);
  return {rows.data(), size};
}

std::optional<ProfileId> parse_profile(std::string_view name) {
  for (ProfileId id : {ProfileId::isc_4_4, ProfileId::draft_12})
    if (profile(id).name == name) return id;
  return std::nullopt;
}

}  // namespace fosim::core
