// Pool balancing between FREE (the primary's) and BACKUP (the secondary's) leases, as ISC's
// dhcp_failover_pool_dobalance() and dhcp_failover_pool_check() do it (dhcp
// server/failover.c). Pure arithmetic over counts and a queue description; the simulator
// applies the result to its lease database. All divisions truncate toward zero, as in C.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/time.hpp"

namespace fosim::core {

/// One lease of a server's own free-state queue (FREE on the primary, BACKUP on the
/// secondary), oldest first.
struct QueuedLease {
  bool used = false;        ///< it has been bound before (ends != 0)
  bool peer_wants = false;  ///< its last client hashes to the peer's buckets
};

/// The inputs of one rebalance run of one pool.
struct RebalanceInput {
  std::span<const QueuedLease> own;        ///< own free-state queue, oldest first
  std::int64_t other = 0;                  ///< the peer's free-state lease count
  std::int64_t max_lease_misbalance = 15;  ///< percent (ISC default 15)
  std::int64_t max_lease_ownership = 10;   ///< percent (ISC default 10)
  bool timer_run = false;                  ///< started by the rebalance timer (may send POOLREQ)
};

/// What one rebalance run does.
struct RebalanceResult {
  std::vector<std::size_t> transferred;  ///< queue positions handed to the peer, in order
  std::size_t pass1 = 0;                 ///< transfers of leases the peer's clients hash to
  std::size_t pass2 = 0;                 ///< transfers of any lease
  std::int64_t lts_before = 0;           ///< leases to send: (own - other) / 2
  std::int64_t lts_after = 0;
  std::int64_t total = 0;     ///< FREE + BACKUP
  std::int64_t thresh = 0;    ///< (total * misbalance + 50) / 100
  std::int64_t hold = 0;      ///< (total * ownership + 50) / 100
  std::int64_t panic = 0;     ///< -2 * thresh, or -1 when that is 0
  bool send_poolreq = false;  ///< a timer run found lts < panic
  bool imbalanced = false;    ///< lts > thresh afterwards ("IMBALANCED pool")
};

/// Runs the two-pass transfer of dhcp_failover_pool_dobalance() over one pool.
RebalanceResult rebalance(const RebalanceInput& in);

/// Returns whether the secondary is "not hoarding" (ISC secondary_not_hoarding()): with lts = (FREE
/// - BACKUP) / 2 and hold from the pool total, lts > -hold. The primary moves a freed lease whose
/// client hashes to the secondary straight to BACKUP only then.
bool secondary_not_hoarding(std::int64_t free_count, std::int64_t backup_count,
                            std::int64_t max_lease_ownership);

/// The inputs of the next rebalance time (ISC dhcp_failover_pool_check()).
struct PoolCheckInput {
  Role role = Role::primary;
  Instant now{};
  /// ends of the oldest FREE lease (empty: the queue is empty). The epoch, Instant{}, is a lease
  /// never used (ISC's ends = 0): its age counts as unbounded, so max-balance decides.
  std::optional<Instant> oldest_free_ends;
  std::optional<Instant> oldest_backup_ends;  ///< ends of the oldest BACKUP lease
  std::int64_t max_lease_misbalance = 15;
  Seconds min_balance{60};
  Seconds max_balance{3600};
  std::optional<Instant> last_run;   ///< the previous rebalance run, if any
  Seconds jitter{0};                 ///< ISC adds 0-4 s at random: the caller draws it
  std::optional<Instant> scheduled;  ///< an already scheduled run (kept if earlier)
};

/// Returns when the next rebalance run happens (dhcp_failover_pool_check()). As in ISC, an empty
/// queue estimates 0 s (the run comes after min-balance), and a never-used oldest lease puts no
/// bound on the delay (max-balance decides).
Instant next_rebalance(const PoolCheckInput& in);

}  // namespace fosim::core
