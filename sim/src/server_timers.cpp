// A server's timers: arming and cancelling one per kind, and taking each that fires to what it
// times (the machine's delays, the link, BNDACK batches, the pool, connecting, shutdown).
#include <algorithm>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;

}  // namespace

void Server::arm(TimerKind k, Instant at) {
  cancel(k);
  timers_[static_cast<std::size_t>(k)] = sim_.schedule(
      std::max(at, sim_.now()), ev::ServerTimer{static_cast<std::uint8_t>(index_), k});
}

void Server::cancel(TimerKind k) {
  EventId& id = timers_[static_cast<std::size_t>(k)];
  sim_.cancel(id);
  id = EventId{};
  if (!frozen_timers_.empty()) std::erase(frozen_timers_, k);  // thawing: it no longer falls due
}

void Server::on_timer(TimerKind k, Instant now) {
  if (!running_) return;
  timers_[static_cast<std::size_t>(k)] = EventId{};
  if (frozen_) {  // it runs at the thaw
    frozen_timers_.push_back(k);
    return;
  }
  switch (k) {
    case TimerKind::startup:
      feed(Event::of(EventKind::startup_timeout), now, Cause::startup_timer);
      break;
    case TimerKind::recover_wait:
      feed(Event::of(EventKind::recover_wait_timeout), now, Cause::mclt_timer);
      break;
    case TimerKind::auto_partner_down:
      feed(Event::of(EventKind::auto_partner_down_timeout), now, Cause::auto_partner_down);
      break;
    case TimerKind::contact:
      on_contact_timer(now);
      break;
    case TimerKind::receive:
      on_receive_timer(now);
      break;
    case TimerKind::ack_flush:
      if (!pending_acks_.empty() && now < ack_flush_due_)
        arm(TimerKind::ack_flush, ack_flush_due_);
      else
        flush_acks(now);
      break;
    case TimerKind::pool:
      pool_timer_at_.reset();
      run_pool_timer(now);
      break;
    case TimerKind::rebalance:
      rebalance_at_.reset();
      rebalance(now, true);
      break;
    case TimerKind::connect:
      on_connect_timer(now);
      break;
    case TimerKind::shutdown_tick:
      on_shutdown_tick(now);
      break;
  }
}

}  // namespace fosim::sim
