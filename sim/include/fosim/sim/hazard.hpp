// The hazards of ISC dhcpd's failover that a run can walk into without any operator action:
// moments where ISC, by its own rules, gives up a promise the protocol makes (one address,
// one client; both servers back in normal). A server marks each moment as it happens, so a
// violation the monitors find later can be told apart from a defect: it is explained when a
// hazard came before it. docs/hazards.md teaches each one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fosim/core/time.hpp"

namespace fosim::sim {

/// A hazard of ISC's failover, in the order of `hazard_table`.
enum class Hazard : std::uint8_t {
  lost_storage,          ///< a server that had run starts with an empty lease file
  expired_within_fudge,  ///< an EXPIRED update accepted before the lease ends (65-s fudge)
  stale_update,          ///< a peer's update takes away an address a client still holds
  saved_shutdown,        ///< a server starts from a lease file whose state is shutdown
};

/// Whether a hazard concerns one address (the others concern a whole server).
constexpr bool per_address(Hazard h) {
  return h == Hazard::expired_within_fudge || h == Hazard::stale_update;
}

/// What the table says about one hazard.
struct HazardRow {
  Hazard hazard;
  std::string_view name;    ///< kebab-case, as explore prints it and docs/hazards.md heads it
  std::string_view source;  ///< the ISC function whose rule it is
  std::string_view what;    ///< one line for a report
};

inline constexpr std::array<HazardRow, 4> hazard_table{{
    {Hazard::lost_storage, "lost-storage", "dhcp_failover_startup(), server/failover.c",
     "a server started with its lease file lost and no longer knows what it granted"},
    {Hazard::expired_within_fudge, "expired-within-fudge",
     "normal_binding_state_transition_check(), server/failover.c",
     "an EXPIRED update was accepted up to 65 s before the lease ends"},
    {Hazard::stale_update, "stale-update",
     "normal_binding_state_transition_check() / failover_lease_is_better(), server/failover.c",
     "a re-sent or crossing update took away an address a client still holds"},
    {Hazard::saved_shutdown, "saved-shutdown",
     "dhcp_failover_peer_state_changed() / dhcp_failover_state_transition(), server/failover.c",
     "a server stopped during a controlled shutdown resumes shutdown and stays there"},
}};

static_assert([] {
  for (std::size_t i = 0; i < hazard_table.size(); ++i)
    if (static_cast<std::size_t>(hazard_table[i].hazard) != i) return false;
  return true;
}());

/// The name of a hazard.
constexpr std::string_view to_string(Hazard h) {
  return hazard_table[static_cast<std::size_t>(h)].name;
}

/// The hazard named `name`, if any.
constexpr std::optional<Hazard> hazard_from_name(std::string_view name) {
  for (const HazardRow& r : hazard_table)
    if (r.name == name) return r.hazard;
  return std::nullopt;
}

/// One moment a run walked into a hazard.
struct HazardMark {
  core::Instant at{};
  std::size_t server = 0;
  Hazard hazard = Hazard::lost_storage;
  std::uint32_t ip = 0;  ///< the address concerned (the update hazards), else 0
};

}  // namespace fosim::sim
