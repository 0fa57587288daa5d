#include "fosim/core/pool_balance.hpp"

#include <algorithm>

namespace fosim::core {

RebalanceResult rebalance(const RebalanceInput& in) {
  RebalanceResult r;
  const auto own = static_cast<std::int64_t>(in.own.size());
  r.total = own + in.other;
  r.lts_before = (own - in.other) / 2;  // C division truncates toward zero, as here
  r.thresh = (r.total * in.max_lease_misbalance + 50) / 100;
  r.hold = (r.total * in.max_lease_ownership + 50) / 100;
  r.panic = r.thresh == 0 ? -1 : -2 * r.thresh;
  std::int64_t lts = r.lts_before;

  // Pass 1: hand over the leases whose last client hashes to the peer.
  bool stopped = false;
  for (std::size_t i = 0; i < in.own.size(); ++i) {
    if (lts <= -r.hold) {
      stopped = true;
      break;
    }
    if (!in.own[i].peer_wants) continue;
    r.transferred.push_back(i);
    ++r.pass1;
    --lts;
  }
  // Pass 2: from the head again, any lease not yet handed over, until the surplus is gone:
  // a used lease stops at lts <= hold (the owner keeps a margin), a never-used one at 0.
  if (!stopped && lts > -r.hold) {
    std::size_t next_pass1 = 0;
    for (std::size_t i = 0; i < in.own.size(); ++i) {
      if (next_pass1 < r.pass1 && r.transferred[next_pass1] == i) {
        ++next_pass1;
        continue;
      }
      const QueuedLease& lease = in.own[i];
      if ((lease.used && lts <= r.hold) || (!lease.used && lts <= 0)) break;
      r.transferred.push_back(i);
      ++r.pass2;
      --lts;
    }
  }
  r.lts_after = lts;
  r.send_poolreq = in.timer_run && r.lts_before < r.panic;
  r.imbalanced = lts > r.thresh;
  return r;
}

bool secondary_not_hoarding(std::int64_t free_count, std::int64_t backup_count,
                            std::int64_t max_lease_ownership) {
  const std::int64_t total = free_count + backup_count;
  const std::int64_t hold = (total * max_lease_ownership + 50) / 100;
  const std::int64_t lts = (free_count - backup_count) / 2;
  return lts > -hold;
}

Instant next_rebalance(const PoolCheckInput& in) {
  // Step 1: the age of the oldest lease of each queue: 0 for an empty queue or an ends not in
  // the past; a never-used lease (ends = the epoch) is as old as can be, so it sets no bound and
  // the max-balance cap decides.
  auto age = [&in](std::optional<Instant> ends) -> std::optional<std::int64_t> {
    if (!ends) return 0;
    if (*ends == Instant{}) return std::nullopt;
    const std::int64_t a = to_seconds(in.now) - to_seconds(*ends);
    return a > 0 ? a : 0;
  };
  // Step 2: scaled by the misbalance percentage; the own queue counts double.
  auto scale = [&in](std::optional<std::int64_t> e, bool own) -> std::optional<std::int64_t> {
    if (!e) return std::nullopt;
    std::int64_t v = (*e * in.max_lease_misbalance + 50) / 100;
    return own ? 2 * v : v;
  };
  const bool primary = in.role == Role::primary;
  const auto e1 = scale(age(in.oldest_free_ends), primary);
  const auto e2 = scale(age(in.oldest_backup_ends), !primary);
  // Step 3: the smaller, capped at max-balance.
  std::int64_t e = in.max_balance.count();
  if (e1) e = std::min(e, *e1);
  if (e2) e = std::min(e, *e2);
  Instant t = in.now + Seconds{e};
  // Step 4: never sooner than min-balance after the previous run.
  if (in.last_run) t = std::max(t, *in.last_run + in.min_balance);
  // Step 5: jitter; step 6: only ever move a schedule earlier.
  t += in.jitter;
  if (in.scheduled && *in.scheduled < t) return *in.scheduled;
  return t;
}

}  // namespace fosim::core
