// The lease times of each pool, from the scopes the dhcpd.conf reader recorded, looked up as
// ISC's ack_lease() (dhcp server/dhcp.c) looks them up: it executes the statements of the
// lease's subnet and its enclosing scopes (outermost first), then those of its pool up to the
// pool's shared-network, so the last one executed, the innermost, wins.
#include "dhcpd_conf_detail.hpp"

namespace fosim::core::conf_detail {
namespace {

/// The frame of the subnet whose network holds `ip`, or nothing.
std::optional<std::size_t> subnet_of(const ScopeFrames& s, std::uint32_t ip) {
  for (std::size_t f = 0; f < s.frames.size(); ++f)
    if (const auto& net = s.frames[f].subnet;
        net && (ip & net->second) == (net->first & net->second))
      return f;
  return std::nullopt;
}

/// Setting `k` of pool `p`, declared in frame `f`.
std::optional<std::int64_t> lookup(const ScopeFrames& s, std::size_t f, std::size_t k,
                                   const PoolDecl& p) {
  bool in_subnet = false;
  for (std::size_t steps = 0; steps < s.frames.size(); ++steps) {
    const ScopeFrames::Frame& frame = s.frames[f];
    in_subnet = in_subnet || frame.subnet.has_value();
    // A pool declared in a shared-network outside its subnet: the subnet's scope comes first.
    if (frame.shared_network && !in_subnet && !p.ranges.empty()) {
      if (const std::optional<std::size_t> sub = subnet_of(s, p.ranges.front().first)) {
        f = *sub;
        in_subnet = true;
        continue;
      }
    }
    if (frame.own[k]) return frame.own[k];
    if (f == 0) break;
    f = frame.parent;
  }
  return std::nullopt;
}

}  // namespace

void ScopeFrames::resolve(DhcpdConf& conf) const {
  for (std::size_t i = 0; i < conf.pools.size() && i < pool_frame.size(); ++i) {
    PoolDecl& p = conf.pools[i];
    for (std::size_t k = 0; k < pool_settings.size(); ++k)
      p.*(pool_settings[k].member) = lookup(*this, pool_frame[i], k, p);
  }
}

}  // namespace fosim::core::conf_detail
