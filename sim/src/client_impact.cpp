// The clients' figures: periods without a valid lease, lost addresses, refused renewals.
#include "fosim/sim/client_impact.hpp"

#include <algorithm>
#include <vector>

namespace fosim::sim {

core::Duration ClientImpact::worst() const {
  core::Duration w{};
  for (const auto& [client, d] : without_lease) w = std::max(w, d);
  return w;
}

core::Duration ClientImpact::median() const {
  std::vector<core::Duration> v;
  for (const auto& [client, d] : without_lease) v.push_back(d);
  if (v.empty()) return core::Duration{};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void ImpactWatch::wanting(std::uint32_t c, core::Instant now, bool expired) {
  const auto [it, fresh] = open_.try_emplace(c, Open{now, expired});
  if (!fresh) it->second.hurt = it->second.hurt || expired;
  if (expired) closed_.lost_address.insert(c);
}

void ImpactWatch::unanswered(std::uint32_t c) {
  if (const auto it = open_.find(c); it != open_.end()) it->second.hurt = true;
}

void ImpactWatch::refused(std::uint32_t c, bool nak) {
  ++(nak ? closed_.refused_nak : closed_.refused_unanswered);
  closed_.refused_clients.insert(c);
}

void ImpactWatch::ended(std::uint32_t c, core::Instant now) {
  const auto it = open_.find(c);
  if (it == open_.end()) return;
  if (it->second.hurt) {
    closed_.without_lease[c] += now - it->second.since;
    ++closed_.periods;
  }
  open_.erase(it);
}

ClientImpact ImpactWatch::figures(core::Instant now) const {
  ClientImpact out = closed_;
  for (const auto& [c, o] : open_)
    if (o.hurt) {
      out.without_lease[c] += now - o.since;
      ++out.periods;
    }
  return out;
}

}  // namespace fosim::sim
