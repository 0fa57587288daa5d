// A server's pool timer (ISC server/mdb.c pool_timer()): it expires ACTIVE leases at their
// ends (a secondary in normal leaves that to the primary), and in partner-down returns
// expired, released and reset leases to FREE once MCLT has passed since the partner went away.
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::BindingState;
using core::Instant;
using core::Service;
using core::State;

}  // namespace

void Server::expire(std::uint32_t i, Instant now) {
  const BindingState own = core::own_free_state(config_.role);
  const Lease& l = db_[i];
  // The rewind shortcut (mdb.c pool_timer(), release_lease()) applies only while
  // not_cooperating, i.e. in communications-interrupted.
  if (service().service == Service::not_cooperating && l.rewind == own) {
    db_.set_state(i, own);
    db_.at(i).tstp = l.ends;
  } else {
    db_.set_state(i, BindingState::expired);
    if (service().service == Service::partner_down) {
      db_.at(i).tsfp = view_.stos + view_.mclt;
      reclaim_.push({std::max(db_[i].tsfp, db_[i].ends), i});
    }
  }
  changed(i, now);
}

void Server::run_pool_timer(Instant now) {
  if (!running_) return;
  const bool defer = config_.role == core::Role::secondary && view_.state == State::normal;
  std::vector<std::uint32_t> due = db_.due_expiries(now);
  if (!defer && !deferred_.empty()) {
    for (std::uint32_t i : deferred_)
      if (db_[i].state == BindingState::active && db_[i].ends <= now) due.push_back(i);
    deferred_.clear();
  }
  for (std::uint32_t i : due) {
    if (defer)
      deferred_.push_back(i);
    else if (db_[i].state == BindingState::active)
      expire(i, now);
  }
  // Partner-down: expired, released and reset leases return to FREE at max(tsfp, ends).
  while (!reclaim_.empty() && reclaim_.top().first <= now) {
    const std::uint32_t i = reclaim_.top().second;
    reclaim_.pop();
    const BindingState s = db_[i].state;
    if (service().service == Service::partner_down &&
        (s == BindingState::expired || s == BindingState::released || s == BindingState::reset)) {
      db_.set_state(i, BindingState::free);
      db_.at(i).rewind = BindingState::free;
      changed(i, now);
    }
  }
  schedule_pool_timer(now);
}

void Server::schedule_pool_timer(Instant now) {
  if (!running_) return;
  std::optional<Instant> next = db_.next_expiry();
  if (!reclaim_.empty() && (!next || reclaim_.top().first < *next)) next = reclaim_.top().first;
  if (!next) return;
  const Instant at = std::max(*next, now);
  if (pool_timer_at_ && *pool_timer_at_ <= at) return;
  pool_timer_at_ = at;
  arm(TimerKind::pool, at);
}

void Server::note_expiry(std::uint32_t i, Instant now) {
  if (!running_ || db_[i].state != BindingState::active) return;
  const Instant at = std::max(db_[i].ends, now);
  if (pool_timer_at_ && *pool_timer_at_ <= at) return;
  pool_timer_at_ = at;
  arm(TimerKind::pool, at);
}

void Server::reclaim_expired(Instant now) {
  const Instant tsfp = view_.stos + view_.mclt;
  for (std::uint32_t i = 0; i < db_.size(); ++i) {
    const BindingState s = db_[i].state;
    if (s == BindingState::expired || s == BindingState::released || s == BindingState::reset) {
      db_.at(i).tsfp = tsfp;
      reclaim_.push({std::max(tsfp, db_[i].ends), i});
    }
  }
  schedule_pool_timer(now);
}

}  // namespace fosim::sim
