// The ISC dhcpd release series a configuration is checked against.
//
// Statements and defaults differ between 4.1, 4.2, 4.3 and 4.4 (auto-partner-down arrived in
// 4.2, the failover port's default of 647 too); the table of those differences is in
// core/src/dhcpd_conf_keywords.cpp. A series means its last release (4.1-ESV-R16, 4.2.8, 4.3.6,
// 4.4.3), whose source the table was taken from.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fosim::core {

/// An ISC dhcpd release series, oldest first.
enum class IscVersion : std::uint8_t { v4_1, v4_2, v4_3, v4_4 };

/// Returns "4.1" .. "4.4".
constexpr std::string_view to_string(IscVersion v) {
  constexpr std::string_view names[] = {"4.1", "4.2", "4.3", "4.4"};
  return names[static_cast<std::size_t>(v)];
}

/// Parses "4.1" .. "4.4"; nothing for anything else.
constexpr std::optional<IscVersion> parse_isc_version(std::string_view text) {
  for (std::uint8_t i = 0; i < 4; ++i)
    if (to_string(static_cast<IscVersion>(i)) == text) return static_cast<IscVersion>(i);
  return std::nullopt;
}

}  // namespace fosim::core
