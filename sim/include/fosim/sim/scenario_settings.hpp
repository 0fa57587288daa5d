// Where a scenario keeps each pool setting of core's settings table.
//
// core/settings.hpp declares every peer and pool setting once (key, keyword, range, default).
// A scenario's servers hold a core::PeerConfig, so the peer rows say where their values live;
// its pool is a PoolSpec, which keeps the lease times as core::Seconds, so this table gives,
// row for row, how to read and write each pool setting of a PoolSpec. A compile-time check
// keeps the two tables in the same order. Adding a pool setting means a row in each, and the
// PoolSpec member.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/settings.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// How a PoolSpec holds one of core::pool_settings.
struct PoolField {
  std::string_view key;                                  ///< the row's key in core's table
  std::optional<core::Seconds> (*get)(const PoolSpec&);  ///< nothing when it is not set
  void (*set)(PoolSpec&, core::Seconds);
};

// clang-format off
/// The PoolSpec member of each row of core::pool_settings, in the same order.
inline constexpr std::array<PoolField, core::pool_settings.size()> pool_fields{{
  {"default_lease_time", [](const PoolSpec& p) -> std::optional<core::Seconds> { return p.default_lease_time; },
                         [](PoolSpec& p, core::Seconds s) { p.default_lease_time = s; }},
  {"max_lease_time",     [](const PoolSpec& p) -> std::optional<core::Seconds> { return p.max_lease_time; },
                         [](PoolSpec& p, core::Seconds s) { p.max_lease_time = s; }},
  {"min_lease_time",     [](const PoolSpec& p) -> std::optional<core::Seconds> { return p.min_lease_time; },
                         [](PoolSpec& p, core::Seconds s) { p.min_lease_time = s; }},
}};
// clang-format on

namespace settings_detail {
/// True when pool_fields follows core::pool_settings row for row.
constexpr bool same_rows() {
  for (std::size_t i = 0; i < pool_fields.size(); ++i)
    if (pool_fields[i].key != core::pool_settings[i].key) return false;
  return true;
}
}  // namespace settings_detail

static_assert(settings_detail::same_rows(), "pool_fields must follow core::pool_settings");

/// Returns the PoolSpec accessors of the pool setting `key`, or nullptr.
constexpr const PoolField* find_pool_field(std::string_view key) {
  for (const PoolField& f : pool_fields)
    if (f.key == key) return &f;
  return nullptr;
}

/// Returns the values the setting `key` (as `fosim replay --what-if` and `fosim sweep --vary`
/// name it: a key of core's table, optionally after "primary.", "secondary." or "HOST.") has in
/// `sc`, one per server it applies to, or the pool's; nothing, with `error` set, for a key that
/// names no setting a what-if may change. Two what-ifs of one key play the same iff these agree.
std::optional<std::vector<std::optional<std::int64_t>>> setting_values(const Scenario& sc,
                                                                       std::string_view key,
                                                                       std::string& error);

/// Returns the keys a what-if may change, in table order, joined with ", ".
std::string what_if_keys();

}  // namespace fosim::sim
