// A server's lease updates to and from its peer: the BNDUPD queue and its window, batched
// BNDACKs, UPDREQ/UPDREQALL answers with UPDDONE, duelling updates, and pool rebalancing.
#include <algorithm>

#include "fosim/core/pool_balance.hpp"
#include "fosim/sim/clients.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::BindingState;
using core::Instant;
using core::Seconds;
using core::State;

/// Batched BNDACKs go out after at most 2 s (dhcp_failover_queue_ack()).
constexpr Seconds ack_batch_delay{2};

bool in_expired_queue(BindingState s) {
  return s == BindingState::expired || s == BindingState::released || s == BindingState::reset;
}

/// Appends the addresses whose state passes `in_queue` to `order`, soonest end first: the order
/// of ISC's active and expired queues (sorted by ends; fosim breaks ties by address).
template <class InQueue>
void append_by_ends(const LeaseDb& db, InQueue in_queue, std::vector<std::uint32_t>& order) {
  std::vector<std::pair<Instant, std::uint32_t>> queue;
  for (std::uint32_t i = 0; i < db.size(); ++i)
    if (in_queue(db[i].state)) queue.emplace_back(db[i].ends, i);
  std::sort(queue.begin(), queue.end());
  for (const auto& entry : queue) order.push_back(entry.second);
}

/// Every address in the order dhcp_failover_generate_update_queue() walks a pool: the free,
/// active, expired (expired, released, reset), abandoned and backup queues, each in its order.
std::vector<std::uint32_t> queue_walk(const LeaseDb& db) {
  std::vector<std::uint32_t> order = db.queue(BindingState::free);
  order.reserve(db.size());
  const auto active = [](BindingState s) { return s == BindingState::active; };
  append_by_ends(db, active, order);
  append_by_ends(db, in_expired_queue, order);
  for (BindingState s : {BindingState::abandoned, BindingState::backup}) {
    const std::vector<std::uint32_t> queue = db.queue(s);
    order.insert(order.end(), queue.begin(), queue.end());
  }
  return order;
}

}  // namespace

void Server::forget_in_flight(std::uint32_t i) {
  Lease& l = db_.at(i);
  if (!l.awaiting_ack) return;
  l.awaiting_ack = false;
  l.xid = 0;  // ISC's last_xid: a later BNDACK for it is discarded silently
  auto it = std::find(ack_queue_.begin(), ack_queue_.end(), i);
  if (it != ack_queue_.end()) ack_queue_.erase(it);
  if (unacked_ > 0) --unacked_;
}

void Server::complete_update_answer_if(std::uint32_t i, Instant now) {
  if (!upddone_after_ || *upddone_after_ != i) return;
  upddone_after_.reset();
  send_update_done(now);
}

void Server::send_update_done(Instant now) {
  Message done;
  done.type = MessageType::upddone;
  done.xid = upddone_xid_;
  send(done, now);
  if (sim_.tracing()) trace(now, update_line(UpdateStep::done_sent));
}

void Server::queue_update(std::uint32_t i) {
  Lease& l = db_.at(i);
  if (l.on_send_queue) return;
  forget_in_flight(i);  // its BNDACK no longer counts
  l.on_send_queue = true;
  send_queue_.push_back(i);
}

void Server::changed(std::uint32_t i, Instant now) {
  db_.at(i).atsfp = Instant{};
  queue_update(i);
  send_updates(now);
}

// dhcp_failover_send_updates() runs only where ISC calls it: entering normal, a partner's
// STATE that ends communications-interrupted, an UPDREQ/UPDREQALL, a BNDACK, a pool rebalance
// or POOLREQ that queued leases, MAC affinity, and a lease changed here. Never on connect: a
// partner-down server keeps its queue for a recovering peer until that peer asks.
void Server::send_updates(Instant now) {
  if (!established_ || !running_) return;
  if (!pending_acks_.empty()) flush_acks(now);
  while (peer_max_unacked_ > unacked_ && !send_queue_.empty()) {
    const std::uint32_t i = send_queue_.front();
    send_queue_.pop_front();
    Lease& l = db_.at(i);
    l.on_send_queue = false;
    Message m;
    m.type = MessageType::bndupd;
    m.xid = next_xid_++;
    m.lease = i;
    m.binding = l.state;
    m.client = l.client;
    m.ends = l.ends;
    m.potential_expiry = l.tstp;
    m.cltt = l.cltt;
    l.xid = m.xid;
    l.awaiting_ack = true;
    l.rewind = l.state;
    ack_queue_.push_back(i);
    ++unacked_;
    ++stats_.bndupd_sent;
    send(m, now);
  }
}

void Server::generate_update_queue(bool everything) {
  // A lease already queued keeps its place and one in flight is left to its BNDACK: each goes
  // once (the ON_QUEUE test of dhcp_failover_generate_update_queue()).
  for (const std::uint32_t i : queue_walk(db_)) {
    Lease& l = db_.at(i);
    if (l.on_send_queue || l.awaiting_ack) continue;
    if (!everything && l.tstp <= l.atsfp && !in_expired_queue(l.state)) continue;
    l.on_send_queue = true;
    send_queue_.push_back(i);
  }
}

void Server::send_queued_updates(Instant now) {
  // dhcp_failover_set_state(normal): the line follows whenever the queue holds anything, even
  // when nothing new was queued.
  generate_update_queue(false);
  if (send_queue_.empty()) return;
  send_updates(now);
  if (sim_.tracing()) trace(now, update_line(UpdateStep::sending));
}

void Server::rescind_updates() {
  // Unacked BNDUPDs go back to the front of the send queue, in their order.
  for (auto it = ack_queue_.rbegin(); it != ack_queue_.rend(); ++it) {
    Lease& l = db_.at(*it);
    l.awaiting_ack = false;
    if (!l.on_send_queue) {
      l.on_send_queue = true;
      send_queue_.push_front(*it);
    }
  }
  ack_queue_.clear();
  unacked_ = 0;
}

void Server::answer_update_request(bool all, std::uint32_t xid, Instant now) {
  // A request while an answer is still flying replaces it (ISC logs "Received update request
  // while old update still flying!").
  upddone_after_.reset();
  generate_update_queue(all);
  upddone_xid_ = xid;
  if (send_queue_.empty()) {  // UPDDONE at once, even with BNDACKs outstanding
    send_update_done(now);
    if (sim_.tracing())
      trace(now, update_line(all ? UpdateStep::request_all_nothing : UpdateStep::request_nothing));
    return;
  }
  upddone_after_ = send_queue_.back();
  send_updates(now);
  if (sim_.tracing())
    trace(now, update_line(all ? UpdateStep::request_all_sending : UpdateStep::request_sending));
}

void Server::flush_acks(Instant now) {
  cancel(TimerKind::ack_flush);
  std::vector<Message> acks;
  acks.swap(pending_acks_);
  for (Message& m : acks) send(m, now);
}

void Server::on_bndupd(const Message& m, Instant now) {
  ++stats_.bndupd_received;
  if (m.lease >= db_.size()) return;
  Message ack;
  ack.type = MessageType::bndack;
  ack.xid = m.xid;
  ack.lease = m.lease;
  ack.reject = judge_bndupd(m, now);
  if (ack.reject != Reject::none) {  // a reject goes out at once, never batched
    ++stats_.bndupd_rejected;
    send(ack, now);
    return;
  }
  const bool affinity = store_bndupd(m, now);
  queue_bndack(ack, now);
  // dhcp_failover_process_bind_update() calls send_updates() only on its MAC affinity path (the
  // BNDACK first): a window slot a duel freed waits for the next trigger.
  if (affinity) maybe_affinity(m.lease, now);
}

Reject Server::judge_bndupd(const Message& m, Instant now) {
  const std::uint32_t i = m.lease;
  const Lease& l = db_[i];
  // Our own update of this lease is still in flight: the duel decides (failover_lease_is_better()).
  if (l.awaiting_ack) {
    const core::Duel duel{config_.role, l.rewind, m.binding, l.cltt, m.cltt};
    if (!core::incoming_wins(duel)) return Reject::less_critical_bind_info;
    // Its BNDACK (the peer rejects it) is then discarded but still unqueues, so an update
    // answer waiting for this lease ends when it arrives (dhcp_failover_process_bind_ack()).
    forget_in_flight(i);
  }
  core::UpdateCheck check;
  check.role = config_.role;
  check.normal = view_.state == State::normal;
  check.current = l.state;
  check.incoming = m.binding;
  check.potential_expiry = m.potential_expiry;
  check.ends = l.ends;
  check.now = now;
  return core::accepts_update(check) ? Reject::none : Reject::fatal_conflict;
}

bool Server::store_bndupd(const Message& m, Instant now) {
  const std::uint32_t i = m.lease;
  Lease& l = db_.at(i);
  const BindingState before = l.state;
  const BindingState stored = core::stored_state(m.binding);
  if (before == BindingState::active && (stored != BindingState::active || m.client != l.client))
    monitors_.on_binding_taken(index_, i, m.binding == BindingState::expired);
  if (stored == BindingState::active) {
    db_.activate(i, m.client, m.ends);
    if (m.client != 0) {
      if (last_lease_.size() < m.client) last_lease_.resize(m.client, 0);
      last_lease_[m.client - 1] = i + 1;
    }
  } else {
    db_.set_state(i, stored);
    if (m.client != 0) l.client = m.client;
    db_.set_ends(i, m.ends);
  }
  l.tsfp = l.atsfp = m.potential_expiry;
  l.cltt = m.cltt;
  l.rewind = stored;
  l.offered_to = 0;
  note_expiry(i, now);
  left_queue(before, stored, now);
  return config_.role == core::Role::primary && stored == BindingState::free &&
         in_expired_queue(m.binding);
}

void Server::queue_bndack(const Message& ack, Instant now) {
  pending_acks_.push_back(ack);
  if (pending_acks_.size() >= std::max<std::uint32_t>(peer_max_unacked_ / 2, 1)) {
    flush_acks(now);
    return;
  }
  // dhcp_failover_queue_ack() re-adds its 2-s timeout with every ack, so the flush comes 2 s
  // after the last one; the armed timer is moved on lazily when it fires.
  ack_flush_due_ = now + ack_batch_delay;
  if (timers_[static_cast<std::size_t>(TimerKind::ack_flush)] == EventId{})
    arm(TimerKind::ack_flush, ack_flush_due_);
}

void Server::on_bndack(const Message& m, Instant now) {
  if (m.lease >= db_.size()) return;
  const std::uint32_t i = m.lease;
  Lease& l = db_.at(i);
  // dhcp_failover_process_bind_ack(): a reject, or an ack of a lease not in flight (already
  // acked, or its update lost a duel), only unqueues; a wrong xid is dropped (ISC logs "xid
  // mismatch") and sends nothing.
  bool affinity = false;
  if (m.reject != Reject::none) {
    ++stats_.bndupd_rejected;
    if (sim_.tracing()) {
      UpdateLine u = update_line(UpdateStep::bind_update_rejected);
      u.ip = db_.address(i);
      u.reason = to_string(m.reject);
      trace(now, std::move(u));
    }
  } else if (l.xid != 0 && l.xid != m.xid) {
    return;
  } else if (l.xid != 0) {
    l.tsfp = l.atsfp = l.tstp;
    if (in_expired_queue(l.state)) {
      db_.set_state(i, BindingState::free);
      l.rewind = BindingState::free;
      affinity = config_.role == core::Role::primary;
    }
  }
  forget_in_flight(i);
  complete_update_answer_if(i, now);
  // Off the ack queue, the lease may go back on the update queue for MAC affinity.
  if (affinity) maybe_affinity(i, now);
  send_updates(now);
}

void Server::maybe_affinity(std::uint32_t i, Instant now) {
  Lease& l = db_.at(i);
  if (l.client == 0 || !hba_ || l.state != BindingState::free) return;
  const bool peer_wants = !core::primary_serves(*hba_, clients_.bucket(l.client - 1));
  if (!peer_wants) return;
  const std::uint32_t pool = db_.pool_of(i);
  if (!core::secondary_not_hoarding(db_.count(BindingState::free, pool),
                                    db_.count(BindingState::backup, pool),
                                    config_.max_lease_ownership))
    return;
  db_.set_state(i, BindingState::backup);
  l.tstp = l.starts = now;
  changed(i, now);
  left_queue(BindingState::free, BindingState::backup, now);
}

std::uint32_t Server::rebalance(Instant now, bool timer_run) {
  if (view_.state != State::normal || !running_) return 0;
  // dhcp_failover_pool_dobalance() balances each pool of the peer in turn, then sends one
  // POOLREQ if any of them asked for one.
  std::uint32_t transferred = 0;
  bool send_poolreq = false;
  for (std::uint32_t pool = 0; pool < db_.pools(); ++pool)
    transferred += rebalance_pool(pool, now, timer_run, send_poolreq);
  last_rebalance_ = now;
  // dhcp_failover_pool_rebalance() sends what it queued, then the POOLREQ; the other callers
  // (entering normal, a POOLREQ) send later themselves.
  if (timer_run && transferred != 0) send_updates(now);
  if (send_poolreq) {
    Message m;
    m.type = MessageType::poolreq;
    m.xid = next_xid_++;
    ++stats_.poolreq_sent;
    send(m, now);
  }
  schedule_pool_check(now);
  return transferred;
}

std::uint32_t Server::rebalance_pool(std::uint32_t pool, Instant now, bool timer_run,
                                     bool& send_poolreq) {
  const BindingState own = core::own_free_state(config_.role);
  const BindingState other = core::peer_free_state(config_.role);
  const std::vector<std::uint32_t> queue = db_.queue(own, pool);
  std::vector<core::QueuedLease> described(queue.size());
  for (std::size_t k = 0; k < queue.size(); ++k) {
    const Lease& l = db_[queue[k]];
    bool peer_wants = false;
    if (l.client != 0 && hba_) {
      const bool primary_bucket = core::primary_serves(*hba_, clients_.bucket(l.client - 1));
      peer_wants = config_.role == core::Role::primary ? !primary_bucket : primary_bucket;
    }
    described[k] = {l.ends != Instant{}, peer_wants};
  }
  core::RebalanceInput in;
  in.own = described;
  in.other = db_.count(other, pool);
  in.max_lease_misbalance = config_.max_lease_misbalance;
  in.max_lease_ownership = config_.max_lease_ownership;
  in.timer_run = timer_run;
  const core::RebalanceResult r = core::rebalance(in);
  // dhcp_failover_pool_dobalance() logs on every run: the counts before the transfer, then the
  // verdict with the counts after it. "total" is the pool's size; fosim names the pool by its
  // first address where ISC prints its memory address and shared-network name.
  const bool tracing = sim_.tracing();
  auto balance = [&](PoolBalance::Phase phase, std::int64_t lts, std::int64_t limit) {
    return PoolBalance{phase,
                       db_.address(db_.first_of(pool)),
                       static_cast<std::int64_t>(db_.pool_size(pool)),
                       static_cast<std::int64_t>(db_.count(BindingState::free, pool)),
                       static_cast<std::int64_t>(db_.count(BindingState::backup, pool)),
                       lts,
                       limit,
                       phase == PoolBalance::Phase::balancing && r.send_poolreq};
  };
  if (tracing) trace(now, balance(PoolBalance::Phase::balancing, r.lts_before, r.hold));
  for (std::size_t k : r.transferred) {
    const std::uint32_t i = queue[k];
    db_.set_state(i, other);
    db_.at(i).tstp = db_.at(i).starts = now;
    db_.at(i).atsfp = Instant{};
    queue_update(i);
  }
  if (tracing)
    trace(now, balance(r.imbalanced ? PoolBalance::Phase::imbalanced : PoolBalance::Phase::balanced,
                       r.lts_after, r.thresh));
  send_poolreq = send_poolreq || r.send_poolreq;
  return static_cast<std::uint32_t>(r.transferred.size());
}

void Server::left_queue(BindingState before, BindingState after, Instant now) {
  if (before != after && (before == BindingState::free || before == BindingState::backup))
    schedule_pool_check(now);
}

void Server::schedule_pool_check(Instant now) {
  if (view_.state != State::normal || !running_) return;
  // dhcp_failover_pool_check() per pool: the one rebalance timer runs at the earliest.
  std::optional<Instant> t;
  for (std::uint32_t pool = 0; pool < db_.pools(); ++pool) {
    core::PoolCheckInput in;
    in.role = config_.role;
    in.now = now;
    if (auto h = db_.head(BindingState::free, pool)) in.oldest_free_ends = db_[*h].ends;
    if (auto h = db_.head(BindingState::backup, pool)) in.oldest_backup_ends = db_[*h].ends;
    in.max_lease_misbalance = config_.max_lease_misbalance;
    in.min_balance = config_.min_balance;
    in.max_balance = config_.max_balance;
    in.last_run = last_rebalance_;
    in.jitter = Seconds{static_cast<std::int64_t>(sim_.rng().below(5))};
    in.scheduled = t ? t : rebalance_at_;
    t = core::next_rebalance(in);
  }
  if (!t) return;
  if (rebalance_at_ && *rebalance_at_ == *t) return;
  rebalance_at_ = t;
  arm(TimerKind::rebalance, *t);
}

}  // namespace fosim::sim
