// Which configured server a log's host is: by the failover addresses of the dhcpd.conf files.
#include <algorithm>
#include <cctype>

#include "replay_peer.hpp"

namespace fosim::sim {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// The first label of a host name ("dhcp-a" of "dhcp-a.example.net"); an IPv4 address whole.
std::string short_name(std::string_view name) {
  const std::string n = lower(name);
  if (core::parse_ipv4(n)) return n;
  return n.substr(0, n.find('.'));
}

/// True when the log's `host` names the failover address `address` (the same address or name,
/// or the same host name without its domain: syslog writes the short name).
bool names(std::string_view host, const std::optional<std::string>& address) {
  if (!address || address->empty() || host.empty()) return false;
  return lower(host) == lower(*address) || short_name(host) == short_name(*address);
}

}  // namespace

std::optional<core::Role> configured_role(const Scenario& known, std::string_view host) {
  for (std::size_t i = 0; i < 2; ++i) {
    const ServerSpec& self = known.servers[i];
    const ServerSpec& other = known.servers[1 - i];
    // Its own `address`, or the `peer address` its partner connects to.
    if (names(host, self.config.address) || names(host, other.config.peer_address) ||
        self.host == host)
      return self.config.role.value_or(core::Role::primary);
  }
  return std::nullopt;
}

}  // namespace fosim::sim
