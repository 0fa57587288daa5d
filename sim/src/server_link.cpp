// A server's side of the failover link: TCP connection attempts and their SYN retries, the
// CONNECT/CONNECTACK handshake and its rejects, the CONTACT and receive timers that keep the
// link alive or drop it, and closing it.
#include <algorithm>
#include <optional>

#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;
using core::Seconds;

/// ISC's limit on the clock difference in CONNECT/CONNECTACK (dhcp_failover_process_connect()).
constexpr Seconds max_clock_skew{60};
/// The next connection attempt after a drop, a reset or a timed-out attempt: every one ends
/// in omapi_disconnect() and the link's "disconnect" signal (dhcp_failover_link_signal()).
/// (ISC's 90-s retry follows only a connect() that fails at once, e.g. with no route to the
/// peer, which fosim's link does not model.)
constexpr Seconds reconnect_after_drop{5};
/// The link start-up timer: no CONNECT/CONNECTACK within 15 s drops the connection.
constexpr Seconds handshake_timeout{15};

/// Whether two clocks differ by more than ISC accepts.
bool skewed(Duration skew) { return skew > max_clock_skew || -skew > max_clock_skew; }

}  // namespace

// ---- TCP ---------------------------------------------------------------------------------

void Server::schedule_connect(Instant at) {
  syn_count_ = 0;
  arm(TimerKind::connect, at);
}

void Server::on_connect_timer(Instant now) {
  if (connection_ != 0 || (syn_count_ == 0 && new_socket(now))) return;
  const std::optional<Duration> wait = link_.syn_wait(syn_count_);
  if (!wait) {  // the attempt timed out (ETIMEDOUT)
    schedule_connect(now + reconnect_after_drop);
    return;
  }
  const ConnectResult r = link_.try_connect(index_);
  if (r == ConnectResult::lost) {
    arm(TimerKind::connect, now + *wait);
    ++syn_count_;
  } else if (r == ConnectResult::refused) {
    // The reset arrives a round trip after the SYN (ECONNREFUSED, asynchronously).
    schedule_connect(now + link_.round_trip() + reconnect_after_drop);
  } else if (r == ConnectResult::duplicate) {
    schedule_connect(now + reconnect_after_drop);
  }
}

void Server::on_tcp_up(Instant now, std::uint32_t connection) {
  if (holds_input()) return hold(Accept{connection});  // in the listen queue until read
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
    m.hba = hba_;
    send(m, now);
  }
  arm(TimerKind::receive, now + handshake_timeout);
}

void Server::on_connect_failed(Instant now, Duration retry) { schedule_connect(now + retry); }

void Server::on_tcp_closed(Instant now, std::uint32_t connection) {
  if (holds_input()) return hold(Closed{connection});
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

// ---- keeping the link alive --------------------------------------------------------------

void Server::on_contact_timer(Instant now) {
  if (!established_) return;
  const Seconds interval{std::max<std::int64_t>(peer_receive_timer_.count() / 3, 1)};
  if (now - last_sent_ >= interval) {
    Message m;
    m.type = MessageType::contact;
    send(m, now);
  }
  arm(TimerKind::contact, last_sent_ + interval);
}

void Server::on_receive_timer(Instant now) {
  if (connection_ == 0) return;
  const Duration limit =
      established_ ? Duration{config_.max_response_delay} : Duration{handshake_timeout};
  if (now - last_received_ >= limit) {
    if (sim_.tracing() && established_)
      trace(now, LinkEvent{config_.name, LinkChange::timeout, {}});
    close_link(now, "timeout", true, true);
  } else {
    arm(TimerKind::receive, last_received_ + limit);
  }
}

// ---- the handshake -----------------------------------------------------------------------

void Server::link_established(Instant now) {
  established_ = true;
  view_.connected = true;
  if (sim_.tracing()) trace(now, LinkEvent{config_.name, LinkChange::connected, {}});
  send_state(now);
  const Seconds contact{std::max<std::int64_t>(peer_receive_timer_.count() / 3, 1)};
  arm(TimerKind::contact, last_sent_ + contact);
  arm(TimerKind::receive, now + config_.max_response_delay);
}

void Server::handle_connect(const Message& m, Instant now) {
  Message ack;
  ack.type = MessageType::connectack;
  ack.xid = m.xid;
  ack.relationship = config_.name;
  ack.max_unacked = config_.max_unacked_updates;
  ack.receive_timer = config_.max_response_delay;
  if (m.relationship != config_.name)
    ack.reject = Reject::invalid_partner;
  else if (skewed(local(now) - m.time))
    ack.reject = Reject::time_mismatch;
  else if (!m.hba)
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
  Reject reason = m.reject;
  if (reason == Reject::none && m.relationship != config_.name) reason = Reject::invalid_partner;
  if (reason == Reject::none && skewed(local(now) - m.time)) reason = Reject::time_mismatch;
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

}  // namespace fosim::sim
