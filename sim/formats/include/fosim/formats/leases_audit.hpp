// What one or two servers' lease files say about their failover pair: the pool counts dhcpd
// balances, what a rebalance run would hand to the partner, and what is wrong between the two
// files: an address active on both for different clients, a lease that ends later than the
// MCLT allows, and leases the two servers disagree on. Pure functions over read files
// (dhcpd_leases.hpp); the rules are written out in docs/leases.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/pool_balance.hpp"
#include "fosim/formats/dhcpd_leases.hpp"

namespace fosim::sim {

/// How many leases of a file are in each binding state.
struct BindingCounts {
  std::array<std::size_t, 8> by_code{};  ///< indexed by ISC code (1 free .. 7 backup)
  std::size_t unstated = 0;              ///< leases without a binding state
  /// Returns the count of `s`.
  std::size_t of(core::BindingState s) const { return by_code[core::to_code(s)]; }
};

/// Counts the file's leases (one per address) by binding state.
BindingCounts count_bindings(const LeasesFile& leases);

/// Returns the role a failover record shows: dhcpd writes `mclt` on the secondary only (dhcp
/// server/db.c write_failover_state()), so a record with it is the secondary's and one without
/// it the primary's.
core::Role recorded_role(const PeerStateRecord& record);

/// The pool-balancing settings of the failover peer declaration (ISC defaults).
struct BalanceSettings {
  std::int64_t max_lease_misbalance = 15;  ///< percent
  std::int64_t max_lease_ownership = 10;   ///< percent
};

/// What one rebalance run of the file's leases, taken as one pool, hands to the partner.
struct PoolBalance {
  core::Role role = core::Role::primary;
  core::BindingState own = core::BindingState::free;     ///< the state the server gives away
  core::BindingState peer = core::BindingState::backup;  ///< the state the leases get
  core::RebalanceResult result;
};

/// Runs dhcp_failover_pool_dobalance() (core::rebalance()) over the file's own free-state queue
/// in ISC's order (oldest `ends` first, never-bound leases first). The split is not in a lease
/// file, so no lease counts as hashing to the partner: only the second pass moves leases.
PoolBalance balance_pool(const LeasesFile& leases, core::Role role, BalanceSettings settings = {});

/// What kind of problem a finding is.
enum class FindingKind : std::uint8_t {
  duplicate,     ///< active on both servers for different clients
  mclt_overrun,  ///< ends > max(tsfp, cltt) + MCLT on an active lease
  disagreement,  ///< the two files hold states that cannot both stand once the servers sync
};

/// How two servers' records of one lease disagree.
enum class Disagreement : std::uint8_t {
  none,
  active_one_side,     ///< active in one file, free/backup/expired/... in the other
  both_may_allocate,   ///< free in one, backup in the other: each thinks it may hand it out
  abandoned_one_side,  ///< abandoned in one file only (and not active in the other)
  different_ends,      ///< active for the same client on both, with different ends
};

/// Returns a short name: "active on one side", "both may allocate", ...
std::string_view to_string(Disagreement d);

/// One finding, with the positions of the lease in each file's `leases` (npos: not there).
struct LeaseFinding {
  FindingKind kind = FindingKind::duplicate;
  std::uint32_t address = 0;
  std::size_t side = 0;  ///< mclt_overrun: the file; disagreement: the file with the active side
  std::array<std::size_t, 2> index{npos, npos};
  Disagreement disagreement = Disagreement::none;
  LeaseTime bound{};  ///< mclt_overrun: the latest end the MCLT allows
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

/// Where the MCLT of the checks came from.
enum class McltSource : std::uint8_t { none, option, file_a, file_b };

/// The findings over one or two lease files.
struct LeasesAudit {
  std::optional<std::int64_t> mclt_s;  ///< empty: no MCLT known, no MCLT check made
  McltSource mclt_source = McltSource::none;
  std::vector<LeaseFinding> findings;    ///< by address, duplicates and overruns first
  std::array<std::size_t, 2> only_in{};  ///< addresses only one of two files holds
  /// Returns how many findings are of `kind`.
  std::size_t count(FindingKind kind) const;
};

/// Checks one or two files (`files.size()` 1 or 2). `mclt_s` overrides the MCLT the files record
/// (only a secondary's file does). Files without a failover record get no MCLT check.
LeasesAudit audit_leases(std::span<const LeasesFile> files, std::optional<std::int64_t> mclt_s);

/// Returns the end the MCLT allows a lease: max(tsfp, cltt) + MCLT (starts when cltt is not
/// written), never when tsfp is
/// never; nothing when none of the three is known.
std::optional<LeaseTime> mclt_bound(const IscLease& lease, std::int64_t mclt_s);

}  // namespace fosim::sim
