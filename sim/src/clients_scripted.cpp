// Clients that do only what they are told: each distinct MAC of the script's `client`
// actions, and the holders of the bindings the servers' lease files name. No group, no draws,
// no retransmission: an exchange when the script says, bound while its lease lasts.
#include "clients_detail.hpp"
#include "fosim/core/load_balance.hpp"
#include "fosim/sim/clients.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

using clients_detail::mac_bytes;
using clients_detail::request_timeout;
using core::Instant;

void Clients::add_scripted_clients(const Scenario& scenario) {
  // Each distinct scripted MAC is one client, absent until its first action.
  for (const ScriptAction& a : scenario.script) {
    if (a.type != ActionType::client) continue;
    bool known = false;
    for (const auto& [mac, index] : scripted_) known = known || mac == a.mac;
    if (known) continue;
    Client c;
    c.scripted = true;
    const auto bytes = core::parse_hex_bytes(a.mac);
    if (bytes && bytes->size() == 6)
      for (std::uint8_t b : *bytes) c.mac = (c.mac << 8) | b;
    c.bucket = core::rfc3074_hash(mac_bytes(c.mac));
    scripted_.emplace_back(a.mac, static_cast<std::uint32_t>(clients_.size()));
    fixed_.insert(c.mac);
    clients_.push_back(c);
    arrivals_.push_back(Instant{});
    generation_.push_back(0);
  }
}

void Clients::add_lease_file_clients(const Scenario& scenario) {
  for (std::uint32_t i = 0; i < clients_.size(); ++i) by_mac_.emplace(clients_[i].mac, i);
  for (const ServerSpec& spec : scenario.servers) {
    if (!spec.storage) continue;
    for (const SavedLease& l : spec.storage->leases) {
      if (!l.mac || !by_mac_.emplace(*l.mac, size()).second) continue;
      Client c;
      c.scripted = true;
      c.mac = *l.mac;
      c.uid = l.uid;
      c.bucket = l.uid ? core::rfc3074_hash(*l.uid) : core::rfc3074_hash(mac_bytes(c.mac));
      fixed_.insert(c.mac);
      clients_.push_back(c);
      arrivals_.push_back(Instant{});
      generation_.push_back(0);
    }
  }
}

std::optional<std::uint32_t> Clients::find(std::uint64_t mac) const {
  const auto it = by_mac_.find(mac);
  if (it == by_mac_.end()) return std::nullopt;
  return it->second;
}

bool Clients::scripted(const ScriptAction& a, Instant now) {
  std::uint32_t i = 0;
  for (const auto& [mac, index] : scripted_)
    if (mac == a.mac) i = index;
  Client& c = clients_[i];
  const bool holds = c.lease != 0 && now < c.lease_end;
  if (a.send != ClientSend::discover && a.send != ClientSend::probe && !holds) return false;
  c.secs = a.secs;
  c.probing = a.send == ClientSend::probe;
  c.exchange_start = now;
  c.tries = 0;
  c.xid = 0x5c000000U + ++scripted_xids_;
  switch (a.send) {
    case ClientSend::discover:
    case ClientSend::probe:
      lose_lease(i, now);  // a DISCOVER starts from INIT
      c.state = ClientState::selecting;
      c.offer = 0;
      send(i, DhcpType::discover, RequestKind::selecting, -1, now);
      break;
    case ClientSend::renew:
      c.state = ClientState::renewing;
      send(i, DhcpType::request, RequestKind::renewing, c.server, now);
      break;
    case ClientSend::rebind:
      c.state = ClientState::rebinding;
      send(i, DhcpType::request, RequestKind::rebinding, -1, now);
      break;
    case ClientSend::reboot:
      c.state = ClientState::rebooting;
      c.offer = c.lease;
      send(i, DhcpType::request, RequestKind::init_reboot, -1, now);
      break;
    case ClientSend::release:
      send(i, DhcpType::release, RequestKind::renewing, c.server, now);
      lose_lease(i, now);
      c.state = ClientState::absent;
      ++generation_[i];
      return true;
  }
  arm(i, now + request_timeout);  // how long it waits for the answer, once
  return true;
}

void Clients::scripted_timer(std::uint32_t i, Instant now) {
  Client& c = clients_[i];
  if (c.state != ClientState::bound) end_exchange(i, now, false);
  scripted_rest(i, now);
}

void Clients::scripted_rest(std::uint32_t i, Instant now) {
  // No retransmission and no new exchange: bound while its lease lasts, else absent.
  Client& c = clients_[i];
  c.probing = false;
  if (c.lease != 0 && now < c.lease_end) {
    c.state = ClientState::bound;
    arm(i, c.lease_end);
    return;
  }
  lose_lease(i, now);
  c.state = ClientState::absent;
  ++generation_[i];
}

}  // namespace fosim::sim
