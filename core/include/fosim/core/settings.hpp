// The one table of failover peer and pool settings.
//
// Every setting of ISC's `failover peer` statement and of a failover pool is declared here once:
// its scenario key (which summary.json, `--what-if` and `sweep --vary` use too), its dhcpd.conf
// keyword, its OMAPI failover-state attribute where ISC has one, its unit, the range ISC
// accepts, ISC's default, ISC's message for a value that is not a number, what would be valid,
// and where the value lives (a member of PeerConfig or PoolDecl, and of EffectiveConfig).
// The scenario reader and writer, the what-if and sweep parsers, summary.json, the importers,
// the dhcpd.conf reader, `fosim export-conf` and the OMAPI view all read this table, so adding
// a setting means adding one row (and the member it names). Keys and keywords are checked to be
// unique at compile time.
// Sources: ISC dhcpd 4.4 (dhcp server/confpars.c parse_failover_peer(), server/failover.c,
// server/dhcp.c for the lease times; the OMAPI names are those of server/failover.c
// dhcp_failover_state_get_value()).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/peer_config.hpp"

namespace fosim::core {

/// What a setting's value is, and what its number counts.
enum class Unit : std::uint8_t {
  seconds,  ///< whole seconds (a scenario may write a duration such as "10m")
  count,    ///< a plain count
  percent,  ///< a percentage 0..100
  port,     ///< a TCP port
  buckets,  ///< hash buckets of 256 (split)
  host,     ///< an IPv4 address or host name (text)
  bytes,    ///< colon-separated hex bytes (hba)
  role,     ///< `primary;` or `secondary;`
};

/// Returns the unit's short name: "s", "count", "%", "port", "buckets", "host", "32 bytes", "".
constexpr std::string_view to_string(Unit u) {
  constexpr std::array<std::string_view, 8> names{"s",       "count", "%",        "port",
                                                  "buckets", "host",  "32 bytes", ""};
  return names[static_cast<std::size_t>(u)];
}

/// Which server's value ISC uses.
enum class Holder : std::uint8_t {
  each,     ///< each server runs with its own value
  primary,  ///< the primary's (the secondary learns it in CONNECT and ignores its own)
};

/// One setting of the `failover peer` statement.
struct PeerSetting {
  std::string_view key;      ///< snake_case scenario key, e.g. "max_response_delay"
  std::string_view keyword;  ///< dhcpd.conf statement, e.g. "max-response-delay"
  std::string_view omapi;    ///< OMAPI failover-state attribute, or empty when ISC has none
  Unit unit = Unit::count;
  std::int64_t min = 0;                     ///< the smallest value ISC accepts (numbers only)
  std::int64_t max = 0;                     ///< the largest
  std::optional<std::int64_t> isc_default;  ///< what ISC runs with when it is not set (or 0)
  Holder holder = Holder::each;
  std::optional<std::int64_t> PeerConfig::*number = nullptr;  ///< numbers: where it is written
  std::optional<std::string> PeerConfig::*text = nullptr;     ///< hosts: where it is written
  /// Numbers: the value a server runs with (nothing for mclt and split, which summary.json
  /// reports as written because the secondary learns them from the primary).
  std::optional<std::int64_t> (*effective)(const EffectiveConfig&) = nullptr;
  std::string_view not_a_number;  ///< confpars.c's message for a non-number ("expecting number")
  std::string_view valid;         ///< what would be valid, for range errors
};

/// One setting of a failover pool (dhcpd.conf's lease times; a scenario's `pool` block).
struct PoolSetting {
  std::string_view key;      ///< snake_case scenario key, e.g. "default_lease_time"
  std::string_view keyword;  ///< dhcpd.conf statement, e.g. "default-lease-time"
  Unit unit = Unit::seconds;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::optional<std::int64_t> isc_default;  ///< nothing: ISC derives it (min-lease-time)
  std::optional<std::int64_t> PoolDecl::*member = nullptr;  ///< where dhcpd.conf's value goes
  std::string_view valid;
};

namespace settings_detail {
using E = EffectiveConfig;
using V = std::optional<std::int64_t>;
constexpr std::int64_t u32 = 4294967295;
constexpr V port(const E& e) { return e.port; }
constexpr V peer_port(const E& e) { return e.peer_port; }
constexpr V mrd(const E& e) { return e.max_response_delay.count(); }
constexpr V mau(const E& e) { return e.max_unacked_updates; }
constexpr V lbms(const E& e) { return e.load_balance_max_seconds; }
constexpr V apd(const E& e) { return e.auto_partner_down.count(); }
constexpr V mlm(const E& e) { return e.max_lease_misbalance; }
constexpr V mlo(const E& e) { return e.max_lease_ownership; }
constexpr V min_b(const E& e) { return e.min_balance.count(); }
constexpr V max_b(const E& e) { return e.max_balance.count(); }
using P = PeerConfig;
using D = PoolDecl;
constexpr auto each = Holder::each;
constexpr auto primary = Holder::primary;
}  // namespace settings_detail

// clang-format off
/// Every setting of `failover peer` (the relationship's name aside), in the order scenario files,
/// summary.json and export-conf write them. ISC reads the numbers with atoi(): a negative one is
/// "expecting number."; the ranges are those dhcp_failover_sanity_check() and the wire allow.
inline constexpr std::array<PeerSetting, 16> peer_settings = [] {
  using namespace settings_detail;
  return std::array<PeerSetting, 16>{{
  // key                        keyword                      omapi                      unit            min max    default  holder   written                          written text      effective  not a number          valid
  {"role",                     "primary; | secondary;",     "hierarchy",               Unit::role,     0, 0,      {},      each,    nullptr,                         nullptr,          nullptr,   "",                   "primary, secondary"},
  {"address",                  "address",                   "local-address",           Unit::host,     0, 0,      {},      each,    nullptr,                         &P::address,      nullptr,   "",                   "the IP address or host name this server listens on for its peer"},
  {"port",                     "port",                      "local-port",              Unit::port,     1, 65535,  647,     each,    &P::port,                        nullptr,          port,      "expecting number",   "a TCP port from 1 to 65535 (ISC default 647)"},
  {"peer_address",             "peer address",              "partner-address",         Unit::host,     0, 0,      {},      each,    nullptr,                         &P::peer_address, nullptr,   "",                   "the partner's failover IP address or host name"},
  {"peer_port",                "peer port",                 "partner-port",            Unit::port,     1, 65535,  647,     each,    &P::peer_port,                   nullptr,          peer_port, "expecting number",   "a TCP port from 1 to 65535 (ISC default 647)"},
  {"max_response_delay",       "max-response-delay",        "max-response-delay",      Unit::seconds,  0, u32,    20,      each,    &P::max_response_delay_s,        nullptr,          mrd,       "expecting number.",  "seconds, e.g. 30 (ISC default 20; 0 means the default)"},
  {"max_unacked_updates",      "max-unacked-updates",       "max-outstanding-updates", Unit::count,    0, u32,    100,     each,    &P::max_unacked_updates,         nullptr,          mau,       "expecting number.",  "a count, e.g. 10 (ISC default 100; 0 means the default)"},
  {"mclt",                     "mclt",                      "mclt",                    Unit::seconds,  1, u32,    {},      primary, &P::mclt_s,                      nullptr,          nullptr,   "expecting number.",  "seconds > 0, e.g. 1800"},
  {"split",                    "split",                     "",                        Unit::buckets,  0, 256,    {},      primary, &P::split,                       nullptr,          nullptr,   "expecting number",   "0 to 256"},
  {"hba",                      "hba",                       "load-balance-hba",        Unit::bytes,    0, 0,      {},      primary, nullptr,                         nullptr,          nullptr,   "",                   "exactly 32 colon-separated hex bytes"},
  {"load_balance_max_seconds", "load balance max seconds",  "load-balance-max-secs",   Unit::seconds,  0, 65535,  0,       each,    &P::load_balance_max_seconds,    nullptr,          lbms,      "expecting number",   "seconds, 3 or 5 as the dhcpd.conf manual recommends"},
  {"auto_partner_down",        "auto-partner-down",         "",                        Unit::seconds,  0, u32,    0,       each,    &P::auto_partner_down_s,         nullptr,          apd,       "expecting number.",  "seconds, or 0 to leave it off (the default)"},
  {"max_lease_misbalance",     "max-lease-misbalance",      "",                        Unit::percent,  0, 100,    15,      each,    &P::max_lease_misbalance,        nullptr,          mlm,       "expecting number.",  "a percentage 0 to 100 (default 15)"},
  {"max_lease_ownership",      "max-lease-ownership",       "",                        Unit::percent,  0, 100,    10,      each,    &P::max_lease_ownership,         nullptr,          mlo,       "expecting number.",  "a percentage 0 to 100 (default 10)"},
  {"min_balance",              "min-balance",               "",                        Unit::seconds,  0, u32,    60,      each,    &P::min_balance_s,               nullptr,          min_b,     "expecting number.",  "seconds (default 60)"},
  {"max_balance",              "max-balance",               "",                        Unit::seconds,  0, u32,    3600,    each,    &P::max_balance_s,               nullptr,          max_b,     "expecting number.",  "seconds (default 3600)"},
  }};
}();

/// The lease times of a failover pool (dhcp server/dhcp.c ack_lease()); ISC keeps them in 32 bits.
inline constexpr std::array<PoolSetting, 3> pool_settings = [] {
  using namespace settings_detail;
  return std::array<PoolSetting, 3>{{
  // key                  keyword               unit           min max  default  member                      valid
  {"default_lease_time", "default-lease-time", Unit::seconds, 1, u32,  43200,   &D::default_lease_time_s,   "seconds, e.g. 3600"},
  {"max_lease_time",     "max-lease-time",     Unit::seconds, 1, u32,  86400,   &D::max_lease_time_s,       "seconds, e.g. 3600"},
  {"min_lease_time",     "min-lease-time",     Unit::seconds, 1, u32,  {},      &D::min_lease_time_s,       "seconds, e.g. 3600"},
  }};
}();
// clang-format on

/// Returns the row number of the peer setting with scenario key `key`, or peer_settings.size().
/// Compile-time checks use this form: GCC's -fsanitize=undefined rejects comparing a pointer
/// into the table with nullptr in a constant expression.
constexpr std::size_t peer_setting_index(std::string_view key) {
  std::size_t i = 0;
  while (i < peer_settings.size() && peer_settings[i].key != key) ++i;
  return i;
}

/// Returns the peer setting with scenario key `key`, or nullptr.
constexpr const PeerSetting* find_peer_setting(std::string_view key) {
  const std::size_t i = peer_setting_index(key);
  return i < peer_settings.size() ? &peer_settings[i] : nullptr;
}

/// Returns the peer setting whose dhcpd.conf keyword is `keyword` (lower case), or nullptr.
constexpr const PeerSetting* find_peer_keyword(std::string_view keyword) {
  for (const PeerSetting& s : peer_settings)
    if (s.keyword == keyword) return &s;
  return nullptr;
}

/// Returns the pool setting with scenario key `key`, or nullptr.
constexpr const PoolSetting* find_pool_setting(std::string_view key) {
  for (const PoolSetting& s : pool_settings)
    if (s.key == key) return &s;
  return nullptr;
}

/// Returns the pool setting whose dhcpd.conf keyword is `keyword` (lower case), or nullptr.
constexpr const PoolSetting* find_pool_keyword(std::string_view keyword) {
  for (const PoolSetting& s : pool_settings)
    if (s.keyword == keyword) return &s;
  return nullptr;
}

/// Returns the peer setting `key`, which must exist (checked where it is used at compile time).
constexpr const PeerSetting& peer_setting(std::string_view key) { return *find_peer_setting(key); }

/// Returns true when `what-if` and `sweep --vary` may change the setting: every number but the
/// ports, which only say where the servers listen.
constexpr bool tunable(const PeerSetting& s) { return s.number != nullptr && s.unit != Unit::port; }

namespace settings_detail {
/// True when no two rows share a key, nor a keyword, nor a (non-empty) OMAPI name.
constexpr bool unique() {
  for (std::size_t i = 0; i < peer_settings.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const PeerSetting &a = peer_settings[i], &b = peer_settings[j];
      if (a.key == b.key || a.keyword == b.keyword || (!a.omapi.empty() && a.omapi == b.omapi))
        return false;
    }
  for (std::size_t i = 0; i < pool_settings.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (pool_settings[i].key == pool_settings[j].key ||
          pool_settings[i].keyword == pool_settings[j].keyword)
        return false;
    if (find_peer_setting(pool_settings[i].key) || find_peer_keyword(pool_settings[i].keyword))
      return false;
  }
  return true;
}
/// True when every row is complete: numbers have a member, a range and ISC's message; hosts a
/// text member; a default lies in the range.
constexpr bool complete() {
  for (const PeerSetting& s : peer_settings) {
    const bool number = s.unit != Unit::host && s.unit != Unit::bytes && s.unit != Unit::role;
    if (number != (s.number != nullptr) || (s.unit == Unit::host) != (s.text != nullptr))
      return false;
    if (number && (s.min > s.max || s.not_a_number.empty())) return false;
    if (s.isc_default && (*s.isc_default < s.min || *s.isc_default > s.max)) return false;
    if (s.key.empty() || s.keyword.empty() || s.valid.empty()) return false;
  }
  for (const PoolSetting& s : pool_settings)
    if (s.member == nullptr || s.min > s.max || s.key.empty() || s.keyword.empty()) return false;
  return true;
}
}  // namespace settings_detail

static_assert(settings_detail::unique(), "a settings key, keyword or OMAPI name appears twice");
static_assert(settings_detail::complete(), "a settings row lacks its member, range or message");

}  // namespace fosim::core
