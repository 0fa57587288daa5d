// The promises the failover protocol makes, which `fosim explore` checks every run against and
// a scenario may declare it accepts breaking (its `acceptable` list).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fosim::sim {

/// The invariants a run is checked against.
enum class Invariant : std::uint8_t {
  duplicate,   ///< an address held by two clients at once
  mclt,        ///< a lease past the partner's acknowledgement plus the MCLT
  not_normal,  ///< the servers not both in normal the settle bound after the last fault
};

/// The names of Invariant, in its order.
inline constexpr std::array<std::string_view, 3> invariant_names{"duplicate-address",
                                                                 "mclt-violation", "not-normal"};

/// The invariant called `name`, if any.
constexpr std::optional<Invariant> parse_invariant(std::string_view name) {
  for (std::size_t k = 0; k < invariant_names.size(); ++k)
    if (invariant_names[k] == name) return static_cast<Invariant>(k);
  return std::nullopt;
}

constexpr std::string_view to_string(Invariant i) {
  return invariant_names[static_cast<std::size_t>(i)];
}

}  // namespace fosim::sim
