// A server's failover messages: sending one on its connection, STATE, and taking each message
// that arrives to the part of the server that handles it.

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;
using core::State;

}  // namespace

void Server::send(Message m, Instant now) {
  if (connection_ == 0 || !running_) return;
  m.connection = connection_;
  m.time = local(now);
  last_sent_ = now;
  ++stats_.messages_sent;
  if (io_stalled_) {  // written, not flushed: it goes out when the I/O resumes
    held_sends_.push_back(m);
    return;
  }
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

void Server::on_message(const Message& m, Instant now) {
  if (holds_input()) return hold(m);
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
      on_upddone(now);
      break;
    case MessageType::poolreq:
      answer_pool_request(m, now);
      break;
    case MessageType::poolresp:
      if (sim_.tracing()) trace(now, update_line(UpdateStep::pool_response, m.count));
      break;
  }
}

void Server::on_upddone(Instant now) {
  if (sim_.tracing())
    trace(now, FailoverLine{FailoverNote::peer_update_completed, config_.name, State::unknown_state,
                            State::unknown_state, 0});
  update_request_pending_ = false;
  feed(Event::of(EventKind::update_done), now, Cause::update_done);
}

void Server::answer_pool_request(const Message& m, Instant now) {
  cancel(TimerKind::rebalance);
  rebalance_at_.reset();
  Message r;
  r.type = MessageType::poolresp;
  r.xid = m.xid;
  r.count = rebalance(now, false);
  send(r, now);
  // dhcp_failover_pool_reqbalance(): the POOLRESP first, then the leases it queued.
  if (r.count > 0)
    send_updates(now);
  else if (sim_.tracing())
    trace(now, update_line(UpdateStep::poolreq_negative));
}

}  // namespace fosim::sim
