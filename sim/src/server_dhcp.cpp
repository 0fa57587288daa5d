// A server's DHCP side: which requests it answers in each state (ISC server/dhcp.c), which
// lease it may hand out (lease_mine_to_reallocate()), MCLT-limited lease times and releases.
// The pool timer that expires leases is in server_pool_timer.cpp.
#include "fosim/core/request.hpp"
#include "fosim/sim/clients.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::BindingState;
using core::Instant;
using core::Seconds;
using core::Service;
using core::State;

}  // namespace

core::ServiceView Server::service() const {
  if (!running_) return {Service::not_responding, " (not running)"};
  return core::profile(scenario_.profile).service(view_.state, view_.partner);
}

std::string Server::mac(std::uint32_t client) const { return clients_.mac_text(client); }

DhcpLine Server::dhcp_line(DhcpVerb verb, DhcpOutcome outcome, std::uint32_t client,
                           std::uint32_t ip) const {
  DhcpLine d;
  d.verb = verb;
  d.outcome = outcome;
  d.mac = mac(client);
  d.client = client;
  d.ip = ip;
  return d;
}

bool Server::may_reallocate(std::uint32_t i, Instant now) const {
  const Lease& l = db_[i];
  core::OwnershipQuery q;
  q.role = config_.role;
  q.partner_down = service().service == Service::partner_down;
  q.state = l.state;
  q.rewind = l.rewind;
  q.tsfp = l.tsfp;
  q.stos = view_.stos;
  q.mclt = view_.mclt;
  q.now = now;
  return core::may_reallocate(q);
}

std::optional<std::uint32_t> Server::allocate_in(std::uint32_t pool, std::uint32_t client,
                                                 Instant now, bool& peer_has_leases) {
  const BindingState own = core::own_free_state(config_.role);
  const BindingState peer = core::peer_free_state(config_.role);
  const std::uint32_t me = client + 1;
  auto usable = [&](std::uint32_t i) {
    const Lease& l = db_[i];
    if (l.offered_to != 0 && l.offered_to != me && l.offer_until > now) return false;
    return l.ends <= now;
  };
  std::optional<std::uint32_t> candidate = db_.first_where(own, pool, usable);
  const std::optional<std::uint32_t> theirs = db_.first_where(peer, pool, usable);
  if (theirs && (!candidate || db_[*candidate].ends > db_[*theirs].ends)) {
    if (may_reallocate(*theirs, now))
      candidate = theirs;
    else
      peer_has_leases = true;
  }
  if (!candidate) {
    const auto abandoned = db_.first_where(BindingState::abandoned, pool, usable);
    if (abandoned && may_reallocate(*abandoned, now)) candidate = abandoned;
  }
  return candidate;
}

std::optional<std::uint32_t> Server::allocate(std::uint32_t client, Instant now,
                                              bool& peer_has_leases) {
  // allocate_lease() walks the pools of the client's network and takes the oldest candidate.
  std::optional<std::uint32_t> best;
  const std::uint32_t network = clients_.network(client);
  for (std::uint32_t pool = 0; pool < networks_.size(); ++pool) {
    if (networks_[pool] != network) continue;
    const auto c = allocate_in(pool, client, now, peer_has_leases);
    if (c && (!best || db_[*c].ends < db_[*best].ends)) best = c;
  }
  return best;
}

bool Server::peer_has_free(std::uint32_t client) const {
  const BindingState peer = core::peer_free_state(config_.role);
  const std::uint32_t network = clients_.network(client);
  for (std::uint32_t pool = 0; pool < networks_.size(); ++pool)
    if (networks_[pool] == network && db_.count(peer, pool) > 0) return true;
  return false;
}

std::uint32_t Server::network_address(std::uint32_t client) const {
  const std::uint32_t network = clients_.network(client);
  for (std::uint32_t pool = 0; pool < networks_.size(); ++pool)
    if (networks_[pool] == network) return db_.address(db_.first_of(pool));
  return db_.address(0);
}

void Server::reply(DhcpType type, const DhcpPacket& p, std::uint32_t lease,
                   std::uint32_t lease_time_s, Instant now) {
  DhcpPacket out;
  out.type = type;
  out.kind = p.kind;
  out.server = static_cast<std::uint8_t>(index_);
  out.client = p.client;
  out.lease = lease + 1;
  out.lease_time_s = lease_time_s;
  // ISC's cur_time is whole seconds: the lease ends at cur_time + lease time (ack_lease()).
  out.ends = core::whole(now) + Seconds{lease_time_s};
  out.xid = p.xid;
  transport_.to_client(out);
}

void Server::on_dhcp(const DhcpPacket& p, Instant now) {
  if (!running_ || dhcp_removed_) return;
  if (holds_input()) return hold(p);  // answered late, when the process reads again
  switch (p.type) {
    case DhcpType::discover:
      on_discover(p, now);
      break;
    case DhcpType::request:
      on_request(p, now);
      break;
    case DhcpType::release:
      on_release(p, now);
      break;
    default:
      break;
  }
}

void Server::on_discover(const DhcpPacket& p, Instant now) {
  const std::uint32_t me = p.client + 1;
  if (sim_.tracing()) trace(now, dhcp_line(DhcpVerb::discover, DhcpOutcome::plain, p.client, 0));
  // 1-2: the client's own lease, if this server may give it again.
  std::optional<std::uint32_t> lease = db_.lease_of(me);
  if (!lease && p.client < last_lease_.size() && last_lease_[p.client] != 0) {
    const std::uint32_t i = last_lease_[p.client] - 1;
    const Lease& l = db_[i];
    if (l.client == me && (l.rewind == BindingState::active || may_reallocate(i, now)) &&
        (l.offered_to == 0 || l.offered_to == me || l.offer_until <= now))
      lease = i;
  }
  // 3: otherwise a free lease.
  bool peer_has_leases = peer_has_free(p.client);
  if (!lease) lease = allocate(p.client, now, peer_has_leases);
  const core::ServiceView service = this->service();
  if (!lease) {
    if (peer_has_leases)
      ++stats_.peer_holds_all_free;
    else
      ++stats_.no_free_leases;
    if (sim_.tracing())
      trace(now, dhcp_line(DhcpVerb::discover,
                           peer_has_leases ? DhcpOutcome::peer_holds_all_free
                                           : DhcpOutcome::no_free_leases,
                           p.client, peer_has_leases ? 0 : network_address(p.client)));
    return;
  }
  // 4: the gate (draft-12's recover-done answers renewals only).
  if (!core::answers_all(service)) {
    ++stats_.dropped_not_responding;
    if (sim_.tracing()) {
      DhcpLine d = dhcp_line(DhcpVerb::discover, DhcpOutcome::not_responding, p.client, 0);
      d.nrr = service.nrr;
      trace(now, std::move(d));
    }
    return;
  }
  // 5: load balancing, in normal only.
  if (core::load_balanced(service.service) &&
      !core::load_balance_mine(config_.role, hba(), clients_.bucket(p.client), p.secs,
                               config_.load_balance_max_seconds)) {
    if (peer_has_leases) {
      ++stats_.dropped_load_balance;
      return;
    }
  }
  // 6: OFFER, MCLT-limited; the lease is held for the client for 120 s. ack_lease()'s
  // supersede_lease() records the client's MAC on the lease even for an offer, so pool
  // balancing's MAC affinity counts it.
  Lease& l = db_.at(*lease);
  l.client = me;
  const Seconds desired = core::desired_lease_time(lease_times_[db_.pool_of(*lease)],
                                                   clients_.requested_lease_time(p.client));
  const core::Grant g = core::grant_lease_time(desired, view_.mclt, l.tsfp, now);
  l.offered_to = me;
  l.offer_until = now + core::offer_hold_time;
  if (last_lease_.size() <= p.client) last_lease_.resize(p.client + 1, 0);
  last_lease_[p.client] = *lease + 1;
  ++stats_.offers;
  if (sim_.tracing())
    trace(now, dhcp_line(DhcpVerb::offer, DhcpOutcome::plain, p.client, db_.address(*lease)));
  reply(DhcpType::offer, p, *lease, static_cast<std::uint32_t>(g.lease_time.count()), now);
}

void Server::on_request(const DhcpPacket& p, Instant now) {
  if (p.lease == 0 || p.lease > db_.size()) return;
  const std::uint32_t i = p.lease - 1;
  const bool tracing = sim_.tracing();
  const std::uint32_t ip = db_.address(i);
  // ISC answers a REQUEST whichever server it names: server-id-check is off by default.
  if (tracing) {
    const bool selecting = p.kind == RequestKind::selecting;
    DhcpLine d = dhcp_line(DhcpVerb::request,
                           selecting ? DhcpOutcome::selecting : DhcpOutcome::plain, p.client, ip);
    if (selecting) d.server_id = server_identifier(p.server_id);
    trace(now, std::move(d));
  }
  const core::ServiceView service = this->service();
  const bool renewal = p.kind == RequestKind::renewing || p.kind == RequestKind::rebinding;
  if (!core::responds(service.service) || (service.renew_only && !renewal)) {
    ++stats_.dropped_not_responding;
    if (tracing) {
      DhcpLine d = dhcp_line(DhcpVerb::request, DhcpOutcome::not_responding, p.client, ip);
      d.nrr = service.nrr;
      trace(now, std::move(d));
    }
    return;
  }
  if (!refuse_request(p, i, now)) ack(p, i, now);
}

std::string Server::server_identifier(std::size_t server) const {
  const std::string address = core::effective(scenario_.servers[server].config).address;
  return address.empty() ? scenario_.servers[server].host : address;
}

bool Server::refuse_request(const DhcpPacket& p, std::uint32_t i, Instant now) {
  const Lease& l = db_[i];
  const std::uint32_t me = p.client + 1;
  core::RequestQuery q;
  q.state = l.state;
  q.rewind = l.rewind;
  q.holder = l.client == 0    ? core::LeaseHolder::none
             : l.client == me ? core::LeaseHolder::requester
                              : core::LeaseHolder::other;
  q.mine_to_reallocate = may_reallocate(i, now);
  q.offered_to_other = l.offered_to != 0 && l.offered_to != me && l.offer_until > now;
  auto ignore = [&](DhcpOutcome why) {
    if (sim_.tracing()) trace(now, dhcp_line(DhcpVerb::request, why, p.client, db_.address(i)));
    return true;
  };
  switch (core::judge_request(q)) {
    case core::RequestVerdict::ack:
      return false;
    case core::RequestVerdict::nak:
      nak(p, i, now);
      return true;
    case core::RequestVerdict::lease_owned_by_peer:
      return ignore(DhcpOutcome::lease_owned_by_peer);
    case core::RequestVerdict::lease_in_transition:
      return ignore(DhcpOutcome::lease_in_transition);
    case core::RequestVerdict::unknown_lease:
      return ignore(DhcpOutcome::unknown_lease);
  }
  return false;
}

void Server::nak(const DhcpPacket& p, std::uint32_t i, Instant now) {
  ++stats_.naks;
  if (sim_.tracing())
    trace(now, dhcp_line(DhcpVerb::nak, DhcpOutcome::plain, p.client, db_.address(i)));
  reply(DhcpType::nak, p, i, 0, now);
}

void Server::ack(const DhcpPacket& p, std::uint32_t i, Instant now) {
  // MCLT-limited lease time, lazy BNDUPD (the ACK does not wait for the BNDACK).
  const std::uint32_t me = p.client + 1;
  Lease& lease = db_.at(i);
  const Seconds desired = core::desired_lease_time(lease_times_[db_.pool_of(i)],
                                                   clients_.requested_lease_time(p.client));
  const Instant tsfp_before = lease.tsfp;
  const core::Grant g = core::grant_lease_time(desired, view_.mclt, lease.tsfp, now);
  core::LeaseTimes t{lease.ends, lease.tstp, lease.tsfp, lease.atsfp, lease.cltt};
  t = core::on_ack(t, desired, g.lease_time, now);
  if (lease.state != BindingState::active || lease.client != me) lease.starts = now;
  lease.tstp = t.tstp;
  lease.tsfp = t.tsfp;
  lease.cltt = t.cltt;
  lease.offered_to = 0;
  const BindingState before = lease.state;
  db_.activate(i, me, t.ends);
  left_queue(before, BindingState::active, now);
  if (last_lease_.size() <= p.client) last_lease_.resize(p.client + 1, 0);
  last_lease_[p.client] = i + 1;
  monitors_.check_mclt(index_, i, t.ends, tsfp_before, view_.mclt);
  monitors_.check_lease_time(index_, i, g.lease_time,
                             core::min_lease_time(lease_times_[db_.pool_of(i)]));
  ++stats_.acks;
  if (stats_.acks_by_pool.size() < db_.pools()) stats_.acks_by_pool.resize(db_.pools(), 0);
  ++stats_.acks_by_pool[db_.pool_of(i)];
  if (p.kind == RequestKind::selecting)
    ++stats_.grants_new;
  else if (p.kind == RequestKind::renewing)
    ++stats_.grants_renew;
  else if (p.kind == RequestKind::rebinding)
    ++stats_.grants_rebind;
  else
    ++stats_.grants_reboot;
  if (sim_.tracing()) {
    DhcpLine d = dhcp_line(DhcpVerb::ack, DhcpOutcome::plain, p.client, db_.address(i));
    d.lease_time_s = g.lease_time.count();
    d.grant_kind = grant_kind(p.kind);
    trace(now, std::move(d));
  }
  reply(DhcpType::ack, p, i, static_cast<std::uint32_t>(g.lease_time.count()), now);
  changed(i, now);
  note_expiry(i, now);
}

void Server::on_release(const DhcpPacket& p, Instant now) {
  if (p.lease == 0 || p.lease > db_.size()) return;
  const std::uint32_t i = p.lease - 1;
  const Lease& l = db_[i];
  if (l.state != BindingState::active || l.client != p.client + 1) return;
  const core::ServiceView service = this->service();
  if (!core::responds(service.service)) {
    if (sim_.tracing()) {
      DhcpLine d = dhcp_line(DhcpVerb::release, DhcpOutcome::ignored, p.client, db_.address(i));
      d.peer = config_.name;
      d.nrr = service.nrr;
      trace(now, std::move(d));
    }
    return;
  }
  const BindingState own = core::own_free_state(config_.role);
  if (service.service == Service::not_cooperating && l.rewind == own)
    db_.set_state(i, own);
  else
    db_.set_state(i, BindingState::released);
  db_.at(i).tstp = now;
  db_.set_ends(i, now);
  if (service.service == Service::partner_down && db_[i].state == BindingState::released) {
    db_.at(i).tsfp = view_.stos + view_.mclt;
    reclaim_.push({std::max(db_[i].tsfp, db_[i].ends), i});
  }
  if (sim_.tracing())
    trace(now, dhcp_line(DhcpVerb::release, DhcpOutcome::found, p.client, db_.address(i)));
  changed(i, now);
  schedule_pool_timer(now);
}

}  // namespace fosim::sim
