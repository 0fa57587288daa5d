#include "fosim/core/mclt.hpp"

#include <algorithm>

namespace fosim::core {
Seconds min_lease_time(const LeaseTimeConfig& config) {
  return config.min_lease_time.value_or(std::min(default_min_lease_time, config.max_lease_time));
}

Seconds desired_lease_time(const LeaseTimeConfig& config, std::optional<Seconds> requested) {
  Seconds d = requested.value_or(config.default_lease_time);
  d = std::min(d, config.max_lease_time);
  return std::max(d, min_lease_time(config));
}

Grant grant_lease_time(Seconds desired, Seconds mclt, Instant tsfp, Instant now) {
  const Instant n = whole(now);
  const Instant t = whole(tsfp);
  if (desired <= mclt) return {desired, GrantReason::uncapped};
  if (t <= n) return {mclt, GrantReason::capped_at_mclt};
  if (n + desired > t + mclt)
    return {std::chrono::duration_cast<Seconds>(t - n) + mclt, GrantReason::partner_bound};
  return {desired, GrantReason::full_after_ack};
}

Instant ack_tstp(Seconds desired, Seconds granted, Instant now) {
  return whole(now) + desired + Seconds{granted.count() / 2};
}

std::string describe(GrantReason reason) {
  switch (reason) {
    case GrantReason::uncapped:
      return "uncapped: the desired time does not exceed the MCLT";
    case GrantReason::capped_at_mclt:
      return "capped at MCLT: the partner has acknowledged no expiry later than now (tsfp <= now)";
    case GrantReason::partner_bound:
      return "limited to tsfp + MCLT - now: the partner's acknowledged expiry plus the MCLT";
    case GrantReason::full_after_ack:
      return "full time: the partner already acknowledged an expiry within MCLT of it";
  }
  return {};
}

LeaseTimes on_offer(LeaseTimes lease, Instant now) {
  lease.ends = std::max(whole(now) + offer_hold_time, lease.ends);
  lease.cltt = whole(now);
  return lease;
}

LeaseTimes on_ack(LeaseTimes lease, Seconds desired, Seconds granted, Instant now) {
  lease.ends = whole(now) + granted;
  lease.cltt = whole(now);
  lease.tstp = ack_tstp(desired, granted, now);
  if (lease.tstp < lease.tsfp) lease.tsfp = lease.tstp;
  return lease;
}

LeaseTimes on_bndack(LeaseTimes lease) {
  lease.tsfp = lease.tstp;
  lease.atsfp = lease.tstp;
  return lease;
}

LeaseTimes on_peer_update(LeaseTimes lease, Instant ends, Instant potential_expiry) {
  lease.ends = ends;
  lease.tsfp = potential_expiry;
  lease.atsfp = potential_expiry;
  return lease;
}

}  // namespace fosim::core
