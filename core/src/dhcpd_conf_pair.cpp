// check_pair(): what is wrong with two servers' dhcpd.conf taken together. First each file on
// its own (its syntax problems, core's validation of each peer declaration, a peer no pool
// refers to, auto-partner-down shorter than max-response-delay), then, per failover peer name,
// the checks ISC never makes across the two servers: declared on both, one primary and one
// secondary, addresses and ports that point at each other, mclt on the primary only, the same
// ranges, and the same lease times for the same pool.
#include <algorithm>
#include <set>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/settings.hpp"

namespace fosim::core {
namespace {

using Problems = std::vector<ConfProblem>;

/// ISC's failover port when `port` or `peer port` is not set.
constexpr std::int64_t isc_port = 647;
/// ISC's max-response-delay in seconds when it is not set.
constexpr std::int64_t isc_max_response_delay_s = 20;

std::string ip_text(std::uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
         std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

/// "10.0.0.10-10.0.0.20, ...", or "none".
std::string ranges_text(const std::vector<ConfRange>& r) {
  std::string out;
  for (const ConfRange& x : r)
    out += (out.empty() ? "" : ", ") + ip_text(x.first) + "-" + ip_text(x.last);
  return out.empty() ? "none" : out;
}

/// "default-lease-time, max-lease-time and min-lease-time": the pool's settings, for messages.
std::string lease_time_keywords() {
  std::string out;
  for (std::size_t k = 0; k < pool_settings.size(); ++k)
    out += std::string(k == 0                          ? ""
                       : k + 1 == pool_settings.size() ? " and "
                                                       : ", ") +
           std::string(pool_settings[k].keyword);
  return out;
}

/// Every range of the pools of `c` that name `peer`, lowest first.
std::vector<ConfRange> ranges_of(const DhcpdConf& c, const std::string& peer) {
  std::vector<ConfRange> out;
  for (const PoolDecl& p : c.pools)
    if (p.peer == peer) out.insert(out.end(), p.ranges.begin(), p.ranges.end());
  std::sort(out.begin(), out.end(),
            [](const ConfRange& a, const ConfRange& b) { return a.first < b.first; });
  return out;
}

const PeerDecl* find_peer(const DhcpdConf& c, const std::string& name) {
  for (const PeerDecl& p : c.peers)
    if (p.config.name == name) return &p;
  return nullptr;
}

/// The role a declaration runs with: a missing `primary;`/`secondary;` means primary.
Role role_of(const PeerDecl& d) { return d.config.role.value_or(Role::primary); }

// ---- each file on its own ------------------------------------------------------------------

/// core's validation of one declaration, placed at the line of the field it names.
void validate_peer(const PeerDecl& d, Problems& out) {
  for (const Problem& p : validate(d.config))
    out.push_back({p.severity, d.place_of(p.field),
                   "failover peer " + d.config.name + ": " + p.message +
                       (p.isc_message.empty() ? "" : " (ISC: \"" + p.isc_message + "\")"),
                   p.valid});
}

/// ISC's refusal to start with a peer that no pool refers to.
void referring_pool(const DhcpdConf& c, const PeerDecl& d, Problems& out) {
  const bool referred = std::any_of(c.pools.begin(), c.pools.end(),
                                    [&](const PoolDecl& p) { return p.peer == d.config.name; });
  if (!referred)
    out.push_back({Severity::error, d.place,
                   "ERROR: Failover peer, " + d.config.name +
                       ", has no referring pools. You must refer to each peer in at least one "
                       "pool declaration.",
                   "a pool with failover peer \"" + d.config.name + "\";"});
}

/// auto-partner-down shorter than max-response-delay: partner-down before the link could fail.
void auto_partner_down(const PeerDecl& d, Problems& out) {
  const auto& cfg = d.config;
  const std::int64_t mrd_s = cfg.max_response_delay_s.value_or(isc_max_response_delay_s);
  if (cfg.auto_partner_down_s && *cfg.auto_partner_down_s > 0 && *cfg.auto_partner_down_s < mrd_s)
    out.push_back({Severity::warning, d.place_of("auto_partner_down"),
                   "failover peer " + cfg.name + ": auto-partner-down " +
                       std::to_string(*cfg.auto_partner_down_s) +
                       " s is shorter than max-response-delay " + std::to_string(mrd_s) +
                       " s: the server may declare its partner down before it could notice the "
                       "link is gone",
                   "auto-partner-down well above max-response-delay (ISC's examples use hours)"});
}

void own_checks(const DhcpdConf& c, Problems& out) {
  out.insert(out.end(), c.problems.begin(), c.problems.end());
  for (const PeerDecl& d : c.peers) {
    validate_peer(d, out);
    referring_pool(c, d, out);
    auto_partner_down(d, out);
  }
}

// ---- one peer name across the two servers --------------------------------------------------

/// A peer `have` declares that `other` (the other server's file) does not.
void one_sided(const std::string& name, const PeerDecl& have, const DhcpdConf& other,
               Problems& out) {
  std::string others;
  for (const PeerDecl& d : other.peers) others += (others.empty() ? "" : ", ") + d.config.name;
  out.push_back({Severity::error, have.place,
                 "failover peer " + name +
                     " is declared on one server only: the other server's CONNECT would be "
                     "rejected (invalid failover partner)",
                 others.empty()
                     ? "the same failover peer name on both servers"
                     : "the same name on both servers (the other declares " + others + ")"});
}

void roles(const std::string& name, const PeerDecl& pa, const PeerDecl& pb, Problems& out) {
  const Role rx = role_of(pa);
  if (rx == role_of(pb))
    out.push_back({Severity::error, pb.place_of("role"),
                   "failover peer " + name + ": both servers are " + std::string(to_string(rx)) +
                       " (a missing primary;/secondary; means primary)",
                   "primary; on one server and secondary; on the other"});
}

/// `peer address` of `connector` that is not the `address` of `server`.
void peer_address(const std::string& name, const PeerDecl& server, const PeerDecl& connector,
                  Problems& out) {
  const PeerConfig& x = server.config;
  const PeerConfig& y = connector.config;
  if (x.address && y.peer_address && *x.address != *y.peer_address)
    out.push_back({Severity::error, connector.place_of("peer_address"),
                   "failover peer " + name + ": peer address " + *y.peer_address +
                       " is not the other server's address " + *x.address,
                   "peer address " + *x.address + ";"});
}

/// `peer port` of `connector` that is not the `port` `listener` listens on.
void peer_port(const std::string& name, const PeerDecl& listener, const PeerDecl& connector,
               Problems& out) {
  const std::int64_t port = listener.config.port.value_or(isc_port);
  const std::int64_t peer_port = connector.config.peer_port.value_or(isc_port);
  if (port != peer_port)
    out.push_back({Severity::error, connector.place_of("peer_port"),
                   "failover peer " + name + ": peer port " + std::to_string(peer_port) +
                       " is not the port the other server listens on (" + std::to_string(port) +
                       ")",
                   "peer port " + std::to_string(port) + ";"});
}

/// The ranges of the peer's pools, which must be the same on both servers.
void same_ranges(const std::string& name, const DhcpdConf& a, const DhcpdConf& b,
                 const PeerDecl& pb, Problems& out) {
  const std::vector<ConfRange> ra = ranges_of(a, name), rb = ranges_of(b, name);
  if (ra != rb)
    out.push_back({Severity::error, pb.place,
                   "failover peer " + name + ": the pools differ: " + ranges_text(ra) +
                       " on one server, " + ranges_text(rb) +
                       " on the other; addresses only one server knows are never balanced "
                       "or updated",
                   "the same ranges in the failover pools of both servers"});
}

/// The lease times of each pool both servers have (the same ranges), which should agree.
void same_lease_times(const std::string& name, const DhcpdConf& a, const DhcpdConf& b,
                      Problems& out) {
  for (const PoolDecl& p : a.pools) {
    if (p.peer != name) continue;
    for (const PoolDecl& q : b.pools) {
      if (q.peer != name || q.ranges != p.ranges) continue;
      if (std::any_of(pool_settings.begin(), pool_settings.end(),
                      [&](const PoolSetting& s) { return p.*(s.member) != q.*(s.member); }))
        out.push_back({Severity::warning, q.place,
                       "failover peer " + name + ": the lease times of pool " +
                           ranges_text(p.ranges) +
                           " differ between the servers: clients get different leases from each",
                       "the same " + lease_time_keywords() + " on both"});
    }
  }
}

/// Every cross-server check of the peer `name`, declared as `pa` in `a` and `pb` in `b`.
void check_peer(const std::string& name, const DhcpdConf& a, const PeerDecl& pa, const DhcpdConf& b,
                const PeerDecl& pb, Problems& out) {
  roles(name, pa, pb, out);
  peer_address(name, pa, pb, out);
  peer_address(name, pb, pa, out);
  peer_port(name, pa, pb, out);
  peer_port(name, pb, pa, out);
  same_ranges(name, a, b, pb, out);
  same_lease_times(name, a, b, out);
}

/// Errors first, each group in file order.
void errors_first(Problems& out) {
  std::stable_sort(out.begin(), out.end(), [](const ConfProblem& l, const ConfProblem& r) {
    return l.severity == Severity::error && r.severity != Severity::error;
  });
}

}  // namespace

std::vector<ConfProblem> check_one(const DhcpdConf& c) {
  Problems out;
  own_checks(c, out);
  errors_first(out);
  return out;
}

std::vector<ConfProblem> check_pair(const DhcpdConf& a, const DhcpdConf& b) {
  Problems out;
  own_checks(a, out);
  own_checks(b, out);
  std::set<std::string> names;
  for (const DhcpdConf* c : {&a, &b})
    for (const PeerDecl& d : c->peers) names.insert(d.config.name);
  for (const std::string& name : names) {
    const PeerDecl* pa = find_peer(a, name);
    const PeerDecl* pb = find_peer(b, name);
    if (pa == nullptr)
      one_sided(name, *pb, a, out);
    else if (pb == nullptr)
      one_sided(name, *pa, b, out);
    else
      check_peer(name, a, *pa, b, *pb, out);
  }
  errors_first(out);
  return out;
}

}  // namespace fosim::core
