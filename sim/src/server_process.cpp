// A server's process life: construction, start (reading the lease file back), crash, kill,
// ISC's controlled shutdown and its countdown, and exits by log_fatal.
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;
using core::Seconds;
using core::State;

}  // namespace

UpdateLine Server::update_line(UpdateStep step, std::int64_t count) const {
  UpdateLine u;
  u.step = step;
  u.peer = config_.name;
  u.count = count;
  return u;
}

void Server::trace(Instant now, RunEventBody body) {
  sim_.trace({now, static_cast<int>(index_), std::move(body), {}});
}

Server::Server(Simulator& sim, std::size_t index, const Scenario& scenario)
    : sim_(sim.kernel()),
      link_(sim.link()),
      transport_(sim.transport()),
      monitors_(sim.monitors()),
      clients_(sim.clients()),
      index_(index),
      host_(scenario.servers[index].host),
      scenario_(scenario),
      config_(core::effective(scenario.servers[index].config)),
      db_(scenario.pool.last - scenario.pool.first + 1),
      clock_offset_(scenario.servers[index].clock_offset) {
  lease_times_.default_lease_time = scenario.pool.default_lease_time;
  lease_times_.max_lease_time = scenario.pool.max_lease_time;
  lease_times_.min_lease_time = scenario.pool.min_lease_time;
  view_ = core::fresh_view(config_.role, Instant{}, config_.mclt, config_.auto_partner_down);
  hba_ = config_.hba;
}

void Server::start(Instant now, bool keep_storage) {
  if (running_) return;
  running_ = true;
  started_ = now;
  host_up_ = true;
  shutting_down_ = false;
  if (!keep_storage) {
    record_.reset();
    db_ = LeaseDb(db_.size());
    last_lease_.clear();
    deferred_.clear();
    reclaim_ = {};
  }
  read_state_record(now);
  forget_in_memory_queues();
  if (sim_.tracing()) trace(now, ProcessEvent{ProcessAction::start});
  monitors_.on_process(index_, ProcessAction::start);
  feed(Event::of(EventKind::boot), now, Cause::process_start);
  schedule_connect(now);
  schedule_pool_timer(now);
}

void Server::read_state_record(Instant now) {
  view_ = core::fresh_view(config_.role, now, config_.mclt, config_.auto_partner_down);
  if (config_.role == core::Role::secondary) hba_.reset();
  if (!record_) return;
  view_.state = view_.saved = record_->state;
  view_.stos = record_->stos;
  view_.partner = record_->partner;
  view_.partner_stos = record_->partner_stos;
  if (config_.role == core::Role::secondary) view_.mclt = record_->mclt;
}

void Server::forget_in_memory_queues() {
  // In-memory queues die with the process; ISC requeues unacknowledged changes at startup.
  connection_ = 0;
  established_ = false;
  send_queue_.clear();
  ack_queue_.clear();
  unacked_ = 0;
  pending_acks_.clear();
  upddone_after_.reset();
  update_request_pending_ = false;
  peer_max_unacked_ = 0;
  last_rebalance_.reset();
  rebalance_at_.reset();
  pool_timer_at_.reset();
  for (std::uint32_t i = 0; i < db_.size(); ++i) {
    Lease& l = db_.at(i);
    l.on_send_queue = false;
    l.awaiting_ack = false;
    if (l.tstp > l.atsfp) queue_update(i);
  }
}

void Server::record_state() {
  record_ =
      StateRecord{view_.effective(), view_.stos, view_.partner, view_.partner_stos, view_.mclt};
}

void Server::exit_process(Instant now, bool send_fin, ProcessAction why) {
  if (!running_) return;
  running_ = false;
  if (sim_.tracing()) trace(now, ProcessEvent{why});
  monitors_.on_process(index_, why);
  if (connection_ != 0) link_.close_connection(index_, connection_, send_fin);
  connection_ = 0;
  established_ = false;
  view_.connected = false;
  for (EventId& t : timers_) {
    sim_.cancel(t);
    t = EventId{};
  }
}

void Server::log_fatal(Instant now) {
  if (sim_.tracing())
    trace(now, FailoverLine{FailoverNote::exiting, config_.name, State::unknown_state,
                            State::unknown_state, 0});
  exit_process(now, true, ProcessAction::fatal);
}

void Server::crash(Instant now) {
  host_up_ = false;
  exit_process(now, false, ProcessAction::crash);
}

void Server::kill(Instant now) { exit_process(now, true, ProcessAction::kill); }

void Server::begin_shutdown(Instant now) {
  if (!running_ || shutting_down_) return;
  shutting_down_ = true;
  shutdown_started_ = now;
  feed(Event::of(EventKind::shutdown_begin), now, Cause::operator_shutdown);
  arm(TimerKind::shutdown_tick, now + Seconds{1});
}

void Server::on_shutdown_tick(Instant now) {
  if (view_.state == State::shutdown && view_.partner != State::partner_down &&
      now - shutdown_started_ <= Seconds{4}) {
    arm(TimerKind::shutdown_tick, now + Seconds{1});
    return;
  }
  // dhcp_io_shutdown_countdown() drops the link before it records recover, so the peer hears
  // nothing more than the close.
  if (connection_ != 0) link_.close_connection(index_, connection_, true);
  connection_ = 0;
  established_ = false;
  view_.connected = false;
  feed(Event::of(EventKind::shutdown_exit), now, Cause::operator_shutdown);
  exit_process(now, true, ProcessAction::stop);
}

void Server::operator_set_state(State s, Instant now) {
  if (!running_) return;
  feed(Event::set_state(s), now, Cause::operator_set_state);
}

}  // namespace fosim::sim
