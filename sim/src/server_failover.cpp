// A server's life and its side of the failover link: start, crash, controlled shutdown, TCP
// connection attempts, CONNECT/CONNECTACK, STATE, CONTACT and the receive timer, and carrying
// out the actions core::step returns.
#include <cstdlib>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::ActionKind;
using core::Event;
using core::EventKind;
using core::Instant;
using core::Seconds;
using core::State;

/// ISC's limit on the clock difference in CONNECT/CONNECTACK (dhcp_failover_process_connect()).
constexpr Seconds max_clock_skew{60};
/// Reconnect after a link drop (dhcp_failover_link_signal() "disconnect").
constexpr Seconds reconnect_after_drop{5};
/// Retry after a connection attempt that failed at once (dhcp_failover_reconnect()).
constexpr Seconds reconnect_after_refusal{90};
/// Gaps between the SYNs of one connection attempt (Linux: 1 s doubling, 6 retries).
constexpr std::array<std::int64_t, 7> syn_gaps_s{1, 2, 4, 8, 16, 32, 64};

/// The failover line ISC writes for a note of the machine.
FailoverLine failover_line(const core::Action& a, const std::string& peer) {
  FailoverLine l{FailoverNote::both_normal, peer, a.from, a.to, a.number};
  if (a.kind == ActionKind::both_normal) return l;
  static constexpr std::array<FailoverNote, 11> by_note{
      FailoverNote::both_normal,  // Note::none: not logged
      FailoverNote::requesting_full_update,
      FailoverNote::invalid_peer_state,
      FailoverNote::invalid_transition,
      FailoverNote::normal_during_conflict,
      FailoverNote::unexpected_conflict_done,
      FailoverNote::both_recover_done,
      FailoverNote::secondary_conflict_done,
      FailoverNote::spurious_update_done,
      FailoverNote::fatal_conflict_done,
      FailoverNote::peer_update_completed};
  l.note = by_note[static_cast<std::size_t>(a.note)];
  return l;
}

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

// ---- lifecycle ---------------------------------------------------------------------------

void Server::start(Instant now, bool keep_storage) {
  if (running_) return;
  running_ = true;
  host_up_ = true;
  shutting_down_ = false;
  if (!keep_storage) {
    record_.reset();
    db_ = LeaseDb(db_.size());
    last_lease_.clear();
    deferred_.clear();
    reclaim_ = {};
  }
  view_ = core::fresh_view(config_.role, now, config_.mclt, config_.auto_partner_down);
  if (config_.role == core::Role::secondary) hba_.reset();
  if (record_) {
    view_.state = view_.saved = record_->state;
    view_.stos = record_->stos;
    view_.partner = record_->partner;
    view_.partner_stos = record_->partner_stos;
    if (config_.role == core::Role::secondary) view_.mclt = record_->mclt;
  }
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
  if (sim_.tracing()) trace(now, ProcessEvent{ProcessAction::start});
  monitors_.on_process(index_, ProcessAction::start);
  feed(Event::of(EventKind::boot), now, Cause::process_start);
  schedule_connect(now);
  schedule_pool_timer(now);
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

void Server::operator_set_state(State s, Instant now) {
  if (!running_) return;
  feed(Event::set_state(s), now, Cause::operator_set_state);
}

// ---- the state machine -------------------------------------------------------------------

void Server::feed(const Event& ev, Instant now, Cause cause) {
  view_.updates_pending = !send_queue_.empty() || unacked_ > 0;
  apply(core::step(view_, ev, now), now, cause);
}

void Server::record_state() {
  record_ =
      StateRecord{view_.effective(), view_.stos, view_.partner, view_.partner_stos, view_.mclt};
}

void Server::apply(const core::Step& step, Instant now, Cause cause) {
  const State before = view_.state;
  view_ = step.view;
  // Only the first move of an operator's set-state is forced; entry actions may chain more.
  bool forced = cause == Cause::operator_set_state;
  for (const core::Action& a : step.actions) {
    switch (a.kind) {
      case ActionKind::moved: {
        ++stats_.transitions;
        if (sim_.tracing()) trace(now, StateMove{config_.name, a.from, a.to, cause});
        monitors_.on_state_change(index_, a.from, a.to, forced);
        forced = false;
        break;
      }
      case ActionKind::partner_moved:
        if (sim_.tracing()) trace(now, PeerStateSeen{config_.name, a.from, a.to});
        break;
      case ActionKind::both_normal:
      case ActionKind::log:
        if (sim_.tracing()) trace(now, failover_line(a, config_.name));
        break;
      case ActionKind::write_state_record:
        record_state();
        break;
      case ActionKind::send_state:
        send_state(now);
        break;
      case ActionKind::send_update_request:
      case ActionKind::send_update_request_all: {
        const bool all = a.kind == ActionKind::send_update_request_all;
        Message m;
        m.type = all ? MessageType::updreqall : MessageType::updreq;
        m.xid = next_xid_++;
        update_request_pending_ = true;
        update_request_all_ = all;
        send(m, now);
        if (sim_.tracing())
          trace(now, update_line(all ? UpdateStep::request_all_sent : UpdateStep::request_sent));
        break;
      }
      case ActionKind::send_queued_updates:
        send_queued_updates(now);
        break;
      case ActionKind::send_updates:
        send_updates(now);
        break;
      case ActionKind::rescind_updates:
        rescind_updates();
        break;
      case ActionKind::rebalance_pools:  // dhcp_failover_pool_balance(): a fresh schedule
        cancel(TimerKind::rebalance);
        rebalance_at_.reset();
        rebalance(now, false);
        break;
      case ActionKind::schedule_pool_check:
        schedule_pool_check(now);
        break;
      case ActionKind::arm_startup_timer:
        arm(TimerKind::startup, a.at);
        break;
      case ActionKind::cancel_startup_timer:
        cancel(TimerKind::startup);
        break;
      case ActionKind::arm_recover_wait_timer:
        arm(TimerKind::recover_wait, a.at);
        break;
      case ActionKind::arm_auto_partner_down_timer:
        arm(TimerKind::auto_partner_down, a.at);
        break;
      case ActionKind::cancel_auto_partner_down_timer:
        cancel(TimerKind::auto_partner_down);
        break;
      case ActionKind::reclaim_expired_leases:
        reclaim_expired(now);
        break;
      case ActionKind::exit_process:
        if (sim_.tracing())
          trace(now, FailoverLine{FailoverNote::exiting, config_.name, State::unknown_state,
                                  State::unknown_state, 0});
        exit_process(now, true, ProcessAction::fatal);
        return;
    }
  }
  // A secondary leaves the expiry of ACTIVE leases to the primary only while normal.
  if (before == State::normal && view_.state != State::normal && !deferred_.empty())
    run_pool_timer(now);
}

// ---- the link ----------------------------------------------------------------------------

void Server::send(Message m, Instant now) {
  if (connection_ == 0 || !running_) return;
  m.connection = connection_;
  m.time = local(now);
  last_sent_ = now;
  ++stats_.messages_sent;
  link_.send(index_, m);
}

void Server::send_state(Instant now) {
  if (!established_) return;
  Message m;
  m.type = MessageType::state;
  m.xid = next_xid_++;
  m.state = view_.effective();
  m.startup_flag = view_.state == State::startup;
  m.stos = view_.stos;
  send(m, now);
}

void Server::schedule_connect(Instant at) {
  syn_count_ = 0;
  arm(TimerKind::connect, at);
}

void Server::on_tcp_up(Instant now, std::uint32_t connection) {
  cancel(TimerKind::connect);
  connection_ = connection;
  established_ = false;
  last_received_ = now;
  if (config_.role == core::Role::primary) {
    Message m;
    m.type = MessageType::connect;
    m.xid = next_xid_++;
    m.relationship = config_.name;
    m.max_unacked = config_.max_unacked_updates;
    m.receive_timer = config_.max_response_delay;
    m.mclt = config_.mclt;
    m.hba = hba();
    send(m, now);
  }
  // The link start-up timer: no CONNECT/CONNECTACK within 15 s drops the connection.
  arm(TimerKind::receive, now + Seconds{15});
}

void Server::on_connect_failed(Instant now, Duration retry) { schedule_connect(now + retry); }

void Server::on_tcp_closed(Instant now, std::uint32_t connection) {
  if (connection != connection_ || connection_ == 0) return;
  close_link(now, "closed", true, false);
}

void Server::close_link(Instant now, const char* why, bool tell_core, bool send_fin) {
  (void)why;
  const bool was_connected = view_.connected;
  if (connection_ != 0) link_.close_connection(index_, connection_, send_fin);
  connection_ = 0;
  established_ = false;
  cancel(TimerKind::contact);
  cancel(TimerKind::receive);
  if (sim_.tracing()) trace(now, LinkEvent{config_.name, LinkChange::disconnected, {}});
  if (tell_core && was_connected) {
    feed(Event::of(EventKind::link_lost), now, Cause::link_lost);
  } else {
    view_.connected = false;
  }
  if (running_) schedule_connect(now + reconnect_after_drop);
}

void Server::link_established(Instant now) {
  established_ = true;
  view_.connected = true;
  if (sim_.tracing()) trace(now, LinkEvent{config_.name, LinkChange::connected, {}});
  send_state(now);
  const Seconds contact{std::max<std::int64_t>(peer_receive_timer_.count() / 3, 1)};
  arm(TimerKind::contact, last_sent_ + contact);
  arm(TimerKind::receive, now + config_.max_response_delay);
  send_updates(now);
}

void Server::handle_connect(const Message& m, Instant now) {
  Message ack;
  ack.type = MessageType::connectack;
  ack.xid = m.xid;
  ack.relationship = config_.name;
  ack.max_unacked = config_.max_unacked_updates;
  ack.receive_timer = config_.max_response_delay;
  const Duration skew = local(now) - m.time;
  if (m.relationship != config_.name)
    ack.reject = Reject::invalid_partner;
  else if (skew > max_clock_skew || -skew > max_clock_skew)
    ack.reject = Reject::time_mismatch;
  else if (m.hba == nullptr)
    ack.reject = Reject::hba_conflict;
  else if (m.mclt <= Seconds{0})
    ack.reject = Reject::invalid_mclt;
  send(ack, now);
  if (ack.reject != Reject::none) {
    if (sim_.tracing())
      trace(now, LinkEvent{config_.name, LinkChange::rejected, std::string(to_string(ack.reject))});
    close_link(now, "rejected", false, true);
    return;
  }
  hba_ = *m.hba;
  view_.mclt = m.mclt;
  peer_max_unacked_ = m.max_unacked;
  peer_receive_timer_ = m.receive_timer;
  record_state();
  link_established(now);
}

void Server::handle_connectack(const Message& m, Instant now) {
  const Duration skew = local(now) - m.time;
  Reject reason = m.reject;
  if (reason == Reject::none && m.relationship != config_.name) reason = Reject::invalid_partner;
  if (reason == Reject::none && (skew > max_clock_skew || -skew > max_clock_skew))
    reason = Reject::time_mismatch;
  if (reason != Reject::none) {
    if (sim_.tracing())
      trace(now,
            LinkEvent{config_.name, LinkChange::peer_rejected, std::string(to_string(reason))});
    if (m.reject == Reject::none) {
      Message d;
      d.type = MessageType::disconnect;
      d.reject = reason;
      send(d, now);
    }
    close_link(now, "rejected", false, true);
    return;
  }
  peer_max_unacked_ = m.max_unacked;
  peer_receive_timer_ = m.receive_timer;
  link_established(now);
}

void Server::on_message(const Message& m, Instant now) {
  if (!running_ || m.connection != connection_) return;
  last_received_ = now;
  last_peer_time_ = m.time;
  switch (m.type) {
    case MessageType::connect:
      if (config_.role == core::Role::secondary && !established_) handle_connect(m, now);
      break;
    case MessageType::connectack:
      if (config_.role == core::Role::primary && !established_) handle_connectack(m, now);
      break;
    case MessageType::disconnect:
      close_link(now, "disconnect", true, false);
      break;
    case MessageType::state:
      if (!established_) break;
      feed(Event::peer_number(core::to_isc(m.state).value_or(255), m.startup_flag), now,
           Cause::peer_state);
      break;
    case MessageType::contact:
      break;
    case MessageType::bndupd:
      on_bndupd(m, now);
      break;
    case MessageType::bndack:
      on_bndack(m, now);
      break;
    case MessageType::updreq:
    case MessageType::updreqall:
      answer_update_request(m.type == MessageType::updreqall, m.xid, now);
      break;
    case MessageType::upddone:
      if (sim_.tracing())
        trace(now, FailoverLine{FailoverNote::peer_update_completed, config_.name,
                                State::unknown_state, State::unknown_state, 0});
      update_request_pending_ = false;
      feed(Event::of(EventKind::update_done), now, Cause::update_done);
      break;
    case MessageType::poolreq: {
      cancel(TimerKind::rebalance);
      rebalance_at_.reset();
      const std::size_t before = send_queue_.size();
      rebalance(now, false);
      Message r;
      r.type = MessageType::poolresp;
      r.xid = m.xid;
      r.count =
          static_cast<std::uint32_t>(send_queue_.size() - std::min(before, send_queue_.size()));
      if (r.count == 0 && sim_.tracing()) trace(now, update_line(UpdateStep::poolreq_negative));
      send(r, now);
      send_updates(now);
      break;
    }
    case MessageType::poolresp:
      if (sim_.tracing()) trace(now, update_line(UpdateStep::pool_response, m.count));
      break;
  }
}

// ---- timers ------------------------------------------------------------------------------

void Server::arm(TimerKind k, Instant at) {
  cancel(k);
  timers_[static_cast<std::size_t>(k)] = sim_.schedule(
      std::max(at, sim_.now()), ev::ServerTimer{static_cast<std::uint8_t>(index_), k});
}

void Server::cancel(TimerKind k) {
  EventId& id = timers_[static_cast<std::size_t>(k)];
  sim_.cancel(id);
  id = EventId{};
}

void Server::on_timer(TimerKind k, Instant now) {
  if (!running_) return;
  timers_[static_cast<std::size_t>(k)] = EventId{};
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
    case TimerKind::contact: {
      if (!established_) break;
      const Seconds interval{std::max<std::int64_t>(peer_receive_timer_.count() / 3, 1)};
      if (now - last_sent_ >= interval) {
        Message m;
        m.type = MessageType::contact;
        send(m, now);
      }
      arm(TimerKind::contact, last_sent_ + interval);
      break;
    }
    case TimerKind::receive: {
      if (connection_ == 0) break;
      const Duration limit =
          established_ ? Duration{config_.max_response_delay} : Duration{Seconds{15}};
      if (now - last_received_ >= limit) {
        if (sim_.tracing() && established_)
          trace(now, LinkEvent{config_.name, LinkChange::timeout, {}});
        close_link(now, "timeout", true, true);
      } else {
        arm(TimerKind::receive, last_received_ + limit);
      }
      break;
    }
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
    case TimerKind::connect: {
      if (connection_ != 0) break;
      if (syn_count_ >= syn_gaps_s.size()) {  // the attempt timed out
        schedule_connect(now + reconnect_after_drop);
        break;
      }
      const ConnectResult r = link_.try_connect(index_);
      if (r == ConnectResult::lost) {
        arm(TimerKind::connect, now + Seconds{syn_gaps_s[syn_count_]});
        ++syn_count_;
      } else if (r == ConnectResult::refused) {
        schedule_connect(now + reconnect_after_refusal);
      } else if (r == ConnectResult::duplicate) {
        schedule_connect(now + reconnect_after_drop);
      }
      break;
    }
    case TimerKind::shutdown_tick:
      if (view_.state == State::shutdown && view_.partner != State::partner_down &&
          now - shutdown_started_ <= Seconds{4}) {
        arm(TimerKind::shutdown_tick, now + Seconds{1});
      } else {
        // dhcp_io_shutdown_countdown() drops the link before it records recover, so the peer
        // hears nothing more than the close.
        if (connection_ != 0) link_.close_connection(index_, connection_, true);
        connection_ = 0;
        established_ = false;
        view_.connected = false;
        feed(Event::of(EventKind::shutdown_exit), now, Cause::operator_shutdown);
        exit_process(now, true, ProcessAction::stop);
      }
      break;
  }
}

}  // namespace fosim::sim
