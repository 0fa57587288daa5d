// The failover peer declaration of one server, as given, and what ISC runs with.
//
// `PeerConfig` keeps every parameter of ISC's `failover peer "NAME" { ... }` statement as the
// user gave it (each optional, so an omitted value differs from 0; numbers are signed 64-bit
// so that a negative or absurd input can be reported rather than wrapped). `validate()`
// returns every problem at once, each naming the field and what would be valid, with ISC's
// own wording where ISC has a message. `effective()` gives the values a server runs with,
// applying ISC's defaults (which ISC also substitutes for a configured 0). Each setting's key,
// keyword, range and default are declared once, in settings.hpp.
// Sources: ISC dhcpd 4.4 (dhcp server/confpars.c parse_failover_peer(),
// server/failover.c dhcp_failover_sanity_check()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/load_balance.hpp"

namespace fosim::core {

/// A failover peer declaration as written.
struct PeerConfig {
  std::string name;                         ///< the relationship name
  std::optional<Role> role;                 ///< `primary;` / `secondary;` (ISC default primary)
  std::optional<std::string> address;       ///< this server's failover address
  std::optional<std::int64_t> port;         ///< port this server listens on (647)
  std::optional<std::string> peer_address;  ///< required
  std::optional<std::int64_t> peer_port;    ///< port of the peer (647)
  std::optional<std::int64_t> max_response_delay_s;      ///< 20
  std::optional<std::int64_t> max_unacked_updates;       ///< 100
  std::optional<std::int64_t> mclt_s;                    ///< required on the primary
  std::optional<std::int64_t> split;                     ///< 0..256, primary only
  std::optional<std::vector<std::uint8_t>> hba;          ///< 32 bytes, primary only
  std::optional<std::int64_t> load_balance_max_seconds;  ///< 0 / omitted = load balancing off
  std::optional<std::int64_t> auto_partner_down_s;       ///< 0 / omitted = off
  std::optional<std::int64_t> max_lease_misbalance;      ///< percent, 15
  std::optional<std::int64_t> max_lease_ownership;       ///< percent, 10
  std::optional<std::int64_t> min_balance_s;             ///< 60
  std::optional<std::int64_t> max_balance_s;             ///< 3600
};

/// The values a server runs with, after ISC's defaults.
struct EffectiveConfig {
  std::string name;
  Role role = Role::primary;
  std::string address;
  std::string peer_address;
  std::uint16_t port = 647;
  std::uint16_t peer_port = 647;
  Seconds max_response_delay{20};
  std::uint32_t max_unacked_updates = 100;
  Seconds mclt{0};         ///< secondary: 0 until learned from the primary's CONNECT
  std::optional<Hba> hba;  ///< primary: from split or hba; secondary: learned later
  std::uint32_t load_balance_max_seconds = 0;
  Seconds auto_partner_down{0};
  std::uint32_t max_lease_misbalance = 15;
  std::uint32_t max_lease_ownership = 10;
  Seconds min_balance{60};
  Seconds max_balance{3600};
};

/// Returns the values ISC runs `config` with. Call it on a configuration that validate()
/// found free of errors (warnings are fine); out-of-range numbers are clamped, not checked.
EffectiveConfig effective(const PeerConfig& config);

/// How bad a problem is.
enum class Severity : std::uint8_t { error, warning };

/// Returns "error" or "warning".
constexpr std::string_view to_string(Severity s) {
  return s == Severity::error ? "error" : "warning";
}

/// One problem of a configuration.
struct Problem {
  Severity severity = Severity::error;
  std::string field;        ///< the snake_case key, e.g. "split"
  std::string message;      ///< what is wrong, naming the field
  std::string valid;        ///< what would be valid
  std::string isc_message;  ///< ISC's exact wording where it has one, else empty
};

/// Returns every problem of `config`, errors and warnings, in field order.
std::vector<Problem> validate(const PeerConfig& config);

/// Returns true when `problems` holds an error.
bool has_errors(const std::vector<Problem>& problems);

}  // namespace fosim::core
