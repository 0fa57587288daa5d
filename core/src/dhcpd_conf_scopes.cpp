// The lease times of each pool, from the scopes the dhcpd.conf reader recorded, looked up as
// ISC's ack_lease() (dhcp server/dhcp.c) looks them up: it executes the statements of the
// lease's subnet and its enclosing scopes (outermost first), then those of its pool up to the
// pool's shared-network, so the last one executed, the innermost, wins.
#include <map>
#include <set>

#include "dhcpd_conf_detail.hpp"

namespace fosim::core::conf_detail {
namespace {

/// The subnets by (netmask, network), each the first declared; found for an address with one
/// lookup per distinct netmask, so that many pools and subnets cost no more than their count.
class SubnetIndex {
 public:
  explicit SubnetIndex(const ScopeFrames& s) {
    for (std::size_t f = 0; f < s.frames.size(); ++f)
      if (const auto& net = s.frames[f].subnet) {
        by_net_.emplace(std::make_pair(net->second, net->first & net->second), f);
        masks_.insert(net->second);
      }
  }
  /// The first declared subnet whose network holds `ip`, or nothing.
  std::optional<std::size_t> of(std::uint32_t ip) const {
    std::optional<std::size_t> best;
    for (const std::uint32_t mask : masks_)
      if (const auto it = by_net_.find({mask, ip & mask}); it != by_net_.end())
        if (!best || it->second < *best) best = it->second;
    return best;
  }

 private:
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> by_net_;
  std::set<std::uint32_t> masks_;
};

/// True when frame `f` lies inside frame `outer`.
bool inside(const ScopeFrames& s, std::size_t f, std::size_t outer) {
  for (std::size_t steps = 0; steps <= s.frames.size() && f != 0; ++steps) {
    f = s.frames[f].parent;
    if (f == outer) return true;
  }
  return outer == 0;
}

/// The frames whose settings pool `p`, declared in frame `f`, takes, innermost first.
std::vector<std::size_t> chain(const ScopeFrames& s, const SubnetIndex& subnets, std::size_t f,
                               const PoolDecl& p) {
  std::vector<std::size_t> out;
  bool in_subnet = false;
  for (std::size_t steps = 0; steps <= s.frames.size(); ++steps) {
    const ScopeFrames::Frame& frame = s.frames[f];
    in_subnet = in_subnet || frame.subnet.has_value();
    // A pool declared in a shared-network outside its subnet: the subnet's scope comes first.
    if (frame.shared_network && !in_subnet && !p.ranges.empty()) {
      const std::optional<std::size_t> sub = subnets.of(p.ranges.front().first);
      in_subnet = true;
      if (sub && inside(s, *sub, f)) {
        f = *sub;
        continue;
      }
    }
    out.push_back(f);
    if (f == 0) break;
    f = frame.parent;
  }
  return out;
}

}  // namespace

void ScopeFrames::resolve(DhcpdConf& conf) const {
  const SubnetIndex subnets(*this);
  for (std::size_t i = 0; i < conf.pools.size() && i < pool_frame.size(); ++i) {
    PoolDecl& p = conf.pools[i];
    const std::vector<std::size_t> frames_in_force = chain(*this, subnets, pool_frame[i], p);
    for (std::size_t f : frames_in_force)
      if (frames[f].subnet) {
        const auto [network, mask] = *frames[f].subnet;
        p.subnet = std::make_pair(network & mask, mask);
        break;
      }
    for (std::size_t k = 0; k < pool_settings.size(); ++k) {
      std::optional<std::int64_t> v;
      for (std::size_t f : frames_in_force)
        if ((v = frames[f].own[k])) break;
      p.*(pool_settings[k].member) = v;
    }
  }
}

}  // namespace fosim::core::conf_detail
