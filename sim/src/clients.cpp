// The client population: each client of the groups arrives, discovers, requests, renews,
// rebinds, leaves and comes back as dhclient does; scripted and lease-file clients are in
// clients_scripted.cpp, daily visits in clients_daily.cpp.
#include "fosim/sim/clients.hpp"

#include <array>

#include "clients_detail.hpp"
#include "fosim/core/load_balance.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using clients_detail::mac_bytes;
using clients_detail::request_timeout;

using core::Instant;
using core::Seconds;

/// dhclient's reboot timeout (dhclient.conf `reboot`, 10 s by default): an INIT-REBOOT
/// unanswered this long gives up the lease and starts at INIT.
constexpr Seconds reboot_timeout{10};
/// RENEWING and REBINDING retransmit no sooner than this (RFC 2131 §4.4.5).
constexpr Seconds min_retransmit{60};

/// dhclient restarts at INIT this long after rejecting a lease without a lease time.
constexpr Duration reject_restart{500};
/// The earliest renewal after a grant: a bound, so that a 1-second grant cannot renew in a loop.
constexpr Seconds min_renewal{1};

}  // namespace

ClientTimes client_times(Seconds granted) {
  // RFC 2131 §4.4.5's defaults in whole seconds, as integer TIME arithmetic truncates them.
  const std::int64_t g = granted.count();
  return {std::max(Seconds{g / 2}, min_renewal), Seconds{g * 7 / 8}};
}

// Every member but the wiring: keep in step with the class.
Clients::Clients(const Clients& other, Simulator& sim)
    : sim_(sim.kernel()),
      transport_(sim.transport()),
      monitors_(sim.monitors()),
      scenario_(other.scenario_),
      networks_(other.networks_),
      clients_(other.clients_),
      arrivals_(other.arrivals_),
      generation_(other.generation_),
      fixed_(other.fixed_),
      by_mac_(other.by_mac_),
      added_skips_(other.added_skips_),
      scripted_(other.scripted_),
      scripted_xids_(other.scripted_xids_) {}

Clients::Clients(Simulator& sim, const Scenario& scenario)
    : sim_(sim.kernel()),
      transport_(sim.transport()),
      monitors_(sim.monitors()),
      scenario_(scenario),
      networks_(pool_networks(scenario)) {
  for (const ClientGroup& group : scenario.clients)
    for (const std::string& text : group.macs) {
      const auto bytes = core::parse_hex_bytes(text);
      std::uint64_t mac = 0;
      if (bytes && bytes->size() == 6)
        for (std::uint8_t b : *bytes) mac = (mac << 8) | b;
      fixed_.insert(mac);
    }
  std::uint32_t generated = 0;
  for (std::size_t g = 0; g < scenario.clients.size(); ++g) {
    const ClientGroup& group = scenario.clients[g];
    for (std::uint32_t k = 0; k < group.count; ++k) {
      Client c;
      c.group = static_cast<std::uint8_t>(g);
      if (k < group.macs.size()) {
        const auto bytes = core::parse_hex_bytes(group.macs[k]);
        if (bytes && bytes->size() == 6)
          for (std::uint8_t b : *bytes) c.mac = (c.mac << 8) | b;
      } else {
        do c.mac = 0x525400000000ULL | (0x100000ULL + generated++);
        while (fixed_.contains(c.mac));  // a generated client is never a fixed one
      }
      const auto m = mac_bytes(c.mac);
      if (group.client_ids) {
        const std::array<std::uint8_t, 7> id{1, m[0], m[1], m[2], m[3], m[4], m[5]};
        c.bucket = core::rfc3074_hash(id);
      } else {
        c.bucket = core::rfc3074_hash(m);
      }
      c.network = network_for(group);
      clients_.push_back(c);
      if (group.daily_arrive && group.daily_leave) {
        const auto index = static_cast<std::uint32_t>(clients_.size() - 1);
        arrivals_.push_back(daily_next(index, group, -1, Instant{}));  // day -1: overnight
        generation_.push_back(0);
        continue;
      }
      const std::int64_t window_ms = group.arrival_window.count();
      const Instant at = Instant{group.arrival_start} +
                         Duration{window_ms > 0 ? static_cast<std::int64_t>(sim.rng().below(
                                                      static_cast<std::uint64_t>(window_ms) + 1))
                                                : 0};
      arrivals_.push_back(at);
      generation_.push_back(0);
    }
  }
  add_scripted_clients(scenario);
  add_lease_file_clients(scenario);
}

std::optional<std::vector<std::uint8_t>> Clients::uid(std::uint32_t i) const {
  const Client& c = clients_[i];
  if (c.uid) return c.uid;
  const ClientGroup* group = group_of(c);
  if (group == nullptr || !group->client_ids) return std::nullopt;
  const auto m = mac_bytes(c.mac);
  return std::vector<std::uint8_t>{1, m[0], m[1], m[2], m[3], m[4], m[5]};
}

void Clients::start() {
  for (std::uint32_t i = 0; i < clients_.size(); ++i) {
    if (!clients_[i].scripted) arm(i, arrivals_[i]);
  }
}

void Clients::add(std::uint32_t count, Duration window) {
  const Instant now = sim_.now();
  for (std::uint32_t k = 0; k < count; ++k) {
    Client c;
    c.group = 0;
    if (!scenario_.clients.empty()) c.network = network_for(scenario_.clients[0]);
    do
      c.mac = 0x525400000000ULL |
              (0x800000ULL + static_cast<std::uint64_t>(clients_.size()) + added_skips_++);
    while (fixed_.contains(c.mac));
    --added_skips_;  // only the skipped MACs move the next ones on
    c.bucket = core::rfc3074_hash(mac_bytes(c.mac));
    const std::int64_t w = window.count();
    const Instant at = now + Duration{w > 0 ? static_cast<std::int64_t>(sim_.rng().below(
                                                  static_cast<std::uint64_t>(w) + 1))
                                            : 0};
    clients_.push_back(c);
    arrivals_.push_back(at);
    generation_.push_back(0);
    const auto i = static_cast<std::uint32_t>(clients_.size() - 1);
    arm(i, at);
  }
}

std::uint32_t Clients::network_for(const ClientGroup& group) {
  // A group on no named network: each client on one drawn at random (with one network,
  // nothing is drawn).
  if (group.pool && *group.pool < networks_.size()) return networks_[*group.pool];
  const std::uint32_t count = networks_.back() + 1;
  return count > 1 ? static_cast<std::uint32_t>(sim_.rng().below(count)) : 0;
}

std::string Clients::mac_text(std::uint32_t i) const {
  const auto b = mac_bytes(clients_[i].mac);
  return core::format_hex(b);
}

const ClientGroup* Clients::group_of(const Client& c) const {
  if (c.scripted || scenario_.clients.empty()) return nullptr;
  return &scenario_.clients[c.group];
}

std::optional<core::Seconds> Clients::requested_lease_time(std::uint32_t i) const {
  const ClientGroup* group = group_of(clients_[i]);
  if (group == nullptr) return std::nullopt;
  return group->requested_lease_time;
}

bool Clients::reaches(const Client& c, std::size_t server) const {
  const ClientGroup* group = group_of(c);
  if (group == nullptr) return true;
  switch (group->reach) {
    case Reach::both:
      return true;
    case Reach::primary_only:
      return server == 0;
    case Reach::secondary_only:
      return server == 1;
  }
  return true;
}

void Clients::arm(std::uint32_t i, Instant at) {
  sim_.post(at, ev::ClientTimer{i, ++generation_[i]});
}

void Clients::send(std::uint32_t i, DhcpType type, RequestKind kind, int server, Instant now) {
  Client& c = clients_[i];
  DhcpPacket p;
  p.type = type;
  p.kind = kind;
  p.client = i;
  p.xid = c.xid;
  const ClientGroup* group = group_of(c);
  const std::int64_t base = c.scripted ? c.secs : group == nullptr ? 0 : group->secs;
  p.secs = static_cast<std::uint16_t>(std::min<std::int64_t>(
      base + std::chrono::duration_cast<Seconds>(now - c.exchange_start).count(), 65535));
  p.server_id = c.server;
  const bool asks_offer = kind == RequestKind::selecting || kind == RequestKind::init_reboot;
  p.lease = type == DhcpType::discover ? 0 : (asks_offer ? c.offer : c.lease);
  for (std::size_t s = 0; s < 2; ++s) {
    if (server >= 0 && static_cast<std::size_t>(server) != s) continue;
    if (!reaches(c, s)) continue;
    p.server = static_cast<std::uint8_t>(s);
    transport_.to_server(p);
  }
  if (type != DhcpType::release) {
    ++monitors_.stats().attempts;
    c.answered = false;
  }
}

void Clients::end_exchange(std::uint32_t i, Instant now, bool answered) {
  Client& c = clients_[i];
  if (answered || c.answered) return;
  ++monitors_.stats().unanswered;
  if (!c.scripted) {
    const bool renewal = c.state == ClientState::renewing || c.state == ClientState::rebinding;
    if (renewal && c.lease != 0)  // sent while its lease held (never past its end)
      monitors_.impact().refused(i, false);
    else
      monitors_.impact().unanswered(i);
  }
  if (sim_.tracing()) {
    using A = Unanswered::Attempt;
    static constexpr std::array<A, 7> attempt{A::discover, A::discover,  A::request, A::request,
                                              A::renewing, A::rebinding, A::request};
    sim_.trace(
        {now, -1, Unanswered{attempt[static_cast<std::size_t>(c.state)], mac_text(i), i}, {}});
  }
  c.answered = true;  // counted once
}

void Clients::arrive(std::uint32_t i, Instant now) {
  Client& c = clients_[i];
  const ClientGroup* group = group_of(c);
  if (group != nullptr && group->stay) {
    c.depart_at = now + *group->stay;
    sim_.post(c.depart_at, ev::ClientDeparts{i});
  } else if (group != nullptr && group->daily_arrive) {
    c.depart_at = c.leave_at;
    sim_.post(c.depart_at, ev::ClientDeparts{i});
  }
  // dhclient's state_reboot(): a lease it still holds is asked for again before any DISCOVER.
  if (c.kept != 0 && now < c.lease_end) return reboot(i, now);
  c.kept = 0;
  monitors_.impact().wanting(i, now, false);
  discover(i, now, true);
}

void Clients::reboot(std::uint32_t i, Instant now) {
  Client& c = clients_[i];
  if (c.state != ClientState::rebooting) {
    c.exchange_start = now;
    c.tries = 0;
    c.offer = c.kept;
    c.xid = static_cast<std::uint32_t>(sim_.rng().next());
  }
  c.state = ClientState::rebooting;
  send(i, DhcpType::request, RequestKind::init_reboot, -1, now);
  ++c.tries;
  arm(i, std::min(now + request_timeout, c.exchange_start + reboot_timeout));
}

void Clients::discover(std::uint32_t i, Instant now, bool fresh) {
  Client& c = clients_[i];
  if (fresh) {
    c.exchange_start = now;
    c.tries = 0;
  }
  c.state = ClientState::selecting;
  c.offer = 0;
  c.xid = static_cast<std::uint32_t>(sim_.rng().next());
  send(i, DhcpType::discover, RequestKind::selecting, -1, now);
  // RFC 2131 §4.1: 4 s, doubling to 64 s, randomised by +-1 s.
  const std::int64_t base_s = std::min<std::int64_t>(4LL << std::min<int>(c.tries, 4), 64);
  ++c.tries;
  arm(i, now + Seconds{base_s} + Duration{sim_.rng().between(-1000, 1000)});
}

void Clients::request(std::uint32_t i, RequestKind kind, Instant now) {
  Client& c = clients_[i];
  if (kind == RequestKind::selecting) {
    c.state = ClientState::requesting;
    send(i, DhcpType::request, kind, -1, now);
    arm(i, now + request_timeout);
    return;
  }
  if (kind == RequestKind::renewing) {
    c.state = ClientState::renewing;
    send(i, DhcpType::request, kind, c.server, now);
    const Duration half = (c.t2 - now) / 2;
    arm(i, std::min(c.t2, now + std::max<Duration>(half, min_retransmit)));
    return;
  }
  c.state = ClientState::rebinding;
  send(i, DhcpType::request, kind, -1, now);
  const Duration half = (c.lease_end - now) / 2;
  arm(i, std::min(c.lease_end, now + std::max<Duration>(half, min_retransmit)));
}

void Clients::lose_lease(std::uint32_t i, Instant now) {
  Client& c = clients_[i];
  if (c.lease != 0) monitors_.on_client_lease_lost(i, c.lease - 1, now);
  c.lease = 0;
}

void Clients::depart(std::uint32_t i, Instant now) {
  Client& c = clients_[i];
  const ClientGroup* group = group_of(c);
  const bool releases =
      c.lease != 0 && now < c.lease_end && group != nullptr && group->release_on_departure;
  if (releases) send(i, DhcpType::release, RequestKind::renewing, c.server, now);
  c.kept = releases || now >= c.lease_end ? 0 : c.lease;
  lose_lease(i, now);
  monitors_.impact().ended(i, now);
  c.state = ClientState::absent;
  ++generation_[i];                       // no further timers
  if (group != nullptr && group->away) {  // it comes back, and stays `stay` again
    c.depart_at = Instant{};
    arm(i, now + *group->away);
  } else if (group != nullptr && group->daily_arrive) {  // back the next day
    c.depart_at = Instant{};
    arm(i, daily_next(i, *group, c.day + 1, now));
  }
}

void Clients::on_departure(std::uint32_t i, Instant now) {
  if (clients_[i].state != ClientState::absent) depart(i, now);
}

void Clients::on_timer(std::uint32_t i, std::uint32_t generation, Instant now) {
  // Most stale timers end here, on the dense array, without a miss on the client's record.
  if (generation != generation_[i]) return;
  Client& c = clients_[i];
  if (c.scripted) return scripted_timer(i, now);
  switch (c.state) {
    case ClientState::absent:
      if (c.depart_at == Instant{} || now < c.depart_at) arrive(i, now);
      break;
    case ClientState::selecting:
      end_exchange(i, now, false);
      discover(i, now, false);
      break;
    case ClientState::requesting:
      end_exchange(i, now, false);
      discover(i, now, true);
      break;
    case ClientState::bound:
      c.exchange_start = now;
      request(i, RequestKind::renewing, now);
      break;
    case ClientState::renewing:
      end_exchange(i, now, false);
      if (now >= c.t2) {
        c.exchange_start = now;
        request(i, RequestKind::rebinding, now);
      } else {
        request(i, RequestKind::renewing, now);
      }
      break;
    case ClientState::rebinding:
      end_exchange(i, now, false);
      if (now >= c.lease_end) {
        lose_lease(i, now);
        monitors_.impact().wanting(i, now, true);  // its address is gone
        discover(i, now, true);
      } else {
        request(i, RequestKind::rebinding, now);
      }
      break;
    case ClientState::rebooting:
      end_exchange(i, now, false);
      if (now >= c.exchange_start + reboot_timeout || now >= c.lease_end) {
        monitors_.impact().wanting(i, now, now >= c.lease_end);
        c.kept = 0;
        discover(i, now, true);
      } else {
        reboot(i, now);
      }
      break;
  }
}

void Clients::reject_server(std::uint32_t i, std::uint8_t server, Instant now) {
  // dhclient's dhcpack(): "no expiry time on offered lease", add_reject() of the server for
  // good, and state_init() half a second later.
  Client& c = clients_[i];
  c.rejected = static_cast<std::uint8_t>(c.rejected | (1U << server));
  lose_lease(i, now);
  if (!c.scripted) monitors_.impact().wanting(i, now, false);
  c.state = ClientState::requesting;  // its timer restarts the exchange at INIT
  arm(i, now + reject_restart);
}

void Clients::on_reply(const DhcpPacket& p, Instant now) {
  Client& c = clients_[p.client];
  if (p.xid != c.xid || c.state == ClientState::absent) return;
  if ((c.rejected & (1U << p.server)) != 0) return;  // dhclient's reject list
  switch (p.type) {
    case DhcpType::offer:
      if (c.state != ClientState::selecting) return;
      if (!c.answered) ++monitors_.stats().answered;
      c.answered = true;
      if (c.probing) return;  // a probe's offers are recorded by the servers, never taken
      c.offer = p.lease;
      c.server = p.server;
      c.tries = 0;
      request(p.client, RequestKind::selecting, now);
      if (c.scripted) arm(p.client, now + request_timeout);
      break;
    case DhcpType::ack: {
      if (c.state == ClientState::bound || c.state == ClientState::selecting) return;
      if (!c.answered) ++monitors_.stats().answered;
      c.answered = true;
      const RequestKind kind = c.state == ClientState::requesting  ? RequestKind::selecting
                               : c.state == ClientState::renewing  ? RequestKind::renewing
                               : c.state == ClientState::rebooting ? RequestKind::init_reboot
                                                                   : RequestKind::rebinding;
      c.kept = 0;
      if (c.lease != 0 && c.lease != p.lease) lose_lease(p.client, now);
      if (p.lease_time_s == 0) return reject_server(p.client, p.server, now);
      const Seconds g{p.lease_time_s};
      c.lease = p.lease;
      c.server = p.server;
      // The server's whole-second end; T1 and T2 in whole seconds from the same start.
      c.lease_end = p.ends;
      const Instant start = p.ends - g;
      const ClientTimes t = client_times(g);
      c.t1 = start + t.renewal;
      c.t2 = start + t.rebind;
      c.state = ClientState::bound;
      monitors_.impact().ended(p.client, now);
      monitors_.on_client_lease(p.client, p.lease - 1, p.server, c.lease_end, kind, g, now);
      arm(p.client, c.scripted ? c.lease_end : c.t1);  // a scripted client renews when told
      break;
    }
    case DhcpType::nak:
      if (c.state == ClientState::bound || c.state == ClientState::selecting) return;
      if (!c.answered) ++monitors_.stats().answered;
      c.answered = true;
      c.kept = 0;
      if (c.scripted) {
        lose_lease(p.client, now);
        return scripted_rest(p.client, now);
      }
      if ((c.state == ClientState::renewing || c.state == ClientState::rebinding) && c.lease != 0 &&
          now < c.lease_end)
        monitors_.impact().refused(p.client, true);
      lose_lease(p.client, now);
      monitors_.impact().wanting(p.client, now, false);
      discover(p.client, now, true);
      break;
    default:
      break;
  }
}

}  // namespace fosim::sim
