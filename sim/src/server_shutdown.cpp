// ISC's controlled shutdown (OMAPI control object `state = 2`): dhcp_io_shutdown_countdown()
// (ISC server/dhcpd.c) once at the request and then every second, its steps, the move of a
// normal relationship to shutdown at the shutdown_dhcp step, and the exit with recover.
//
// While the OMAPI client that asked waits for its answer, the stopping server's socket I/O
// stalls: it reads nothing and flushes nothing (its timers, close() and a new connect() still
// work) until it opens a new socket. This is the reading of ISC's source that explains the
// sequence a real 4.4.3-P1 pair showed (link quiet from the request, dropped by the
// receive timer, back 5 s later, shutdown at +10 s, exit at +11 s): omapi_listener_destroy()
// closes the listener's descriptor while libisc still watches it. The source alone does not
// prove it; without an OMAPI client fosim follows the source alone.
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;
using core::Seconds;
using core::State;

/// `cur_time - shutdown_time > 4`: a step waits five ticks for its OMAPI connections.
constexpr std::int64_t step_wait_s = 4;

}  // namespace

void Server::begin_shutdown(Instant now, bool omapi_client) {
  if (!running_ || frozen_ || shutdown_step_ != ShutdownStep::none) return;
  // dhcp_set_control_state(): shutdown_time = cur_time, shutdown_listeners, one run at once.
  set_shutdown_step(ShutdownStep::listeners, now);
  // The answer to the OMAPI update is written after the countdown's first run has destroyed
  // the listener: it waits for the I/O to resume.
  omapi_until_ = omapi_client ? Instant::max() : Instant{};
  io_stalled_ = omapi_client;
  on_shutdown_tick(now);
}

void Server::set_shutdown_step(ShutdownStep s, Instant now) {
  shutdown_step_ = s;
  shutdown_time_ = cur_time(now);
}

std::int64_t Server::cur_time(Instant now) const { return core::to_seconds(local(now)); }

Instant Server::whole_second(Instant now) const {
  return Instant{Seconds{cur_time(now)}} - (local(now) - now);
}

Instant Server::isc_timeout(Instant at, Instant now) const {
  return now + (at - whole_second(now));
}

int Server::shutdown_io(Instant now) {
  // The OMAPI client's connection: counted while open, closed by force at the drop step (and
  // still counted at that tick, as dhcp_io_shutdown() counts after omapi_disconnect()). The
  // gentle close of the step before completes only once the answer is written.
  const bool open = now < omapi_until_;
  if (open && shutdown_step_ == ShutdownStep::drop_omapi_connections) omapi_until_ = now;
  if (shutdown_step_ == ShutdownStep::dhcp) dhcp_removed_ = true;  // service stops here
  return open ? 1 : 0;
}

void Server::advance_shutdown(Instant now, bool& again) {
  // The ticks are exactly 1 s apart, so this is the fifth tick of a step (or the first after
  // a freeze that outlasted it).
  if (cur_time(now) - shutdown_time_ <= step_wait_s) return;
  switch (shutdown_step_) {
    case ShutdownStep::listeners:
      set_shutdown_step(ShutdownStep::omapi_connections, now);
      break;
    case ShutdownStep::omapi_connections:
      set_shutdown_step(ShutdownStep::drop_omapi_connections, now);
      break;
    case ShutdownStep::drop_omapi_connections:
      set_shutdown_step(ShutdownStep::dhcp, now);
      again = true;
      break;
    case ShutdownStep::dhcp:
      set_shutdown_step(ShutdownStep::done, now);
      break;
    case ShutdownStep::none:
    case ShutdownStep::done:
      break;
  }
}

void Server::on_shutdown_tick(Instant now) {
  for (bool again = true; again;) {  // ISC's "goto oncemore"
    again = false;
    const bool omapi_step = shutdown_step_ == ShutdownStep::listeners ||
                            shutdown_step_ == ShutdownStep::omapi_connections ||
                            shutdown_step_ == ShutdownStep::drop_omapi_connections;
    const int omapi = omapi_step || shutdown_step_ == ShutdownStep::dhcp ? shutdown_io(now) : 0;
    if (omapi_step && omapi == 0) {
      set_shutdown_step(ShutdownStep::dhcp, now);
      again = true;
      continue;
    }
    advance_shutdown(now, again);
    if (again) continue;
    // shutdown_dhcp: a relationship in normal moves to shutdown (and sends STATE); the
    // countdown waits while one is in shutdown and its partner not yet in partner-down.
    bool waiting = false;
    if (shutdown_step_ == ShutdownStep::dhcp) {
      if (view_.state == State::normal) {
        feed(Event::of(EventKind::shutdown_begin), now, Cause::operator_shutdown);
        waiting = true;
      }
      waiting = waiting || (view_.state == State::shutdown && view_.partner != State::partner_down);
    }
    if (shutdown_step_ == ShutdownStep::done) {
      finish_shutdown(now);
      return;
    }
    if (shutdown_step_ == ShutdownStep::dhcp && !waiting) {
      set_shutdown_step(ShutdownStep::done, now);
      again = true;
    }
  }
  arm(TimerKind::shutdown_tick, now + Seconds{1});  // cur_tv + 1 s: the phase is kept
}

void Server::finish_shutdown(Instant now) {
  // dhcp_io_shutdown_countdown() drops link_to_peer before it records recover, so the peer
  // hears nothing more than the close when the process exits.
  if (view_.state == State::shutdown) {
    if (connection_ != 0) link_.close_connection(index_, connection_, true);
    connection_ = 0;
    established_ = false;
    view_.connected = false;
    feed(Event::of(EventKind::shutdown_exit), now, Cause::operator_shutdown);
  }
  exit_process(now, true, ProcessAction::stop);
}

bool Server::new_socket(Instant now) {
  if (!io_stalled_) return false;
  io_stalled_ = false;
  // The OMAPI answer goes out; its client reads it and closes (one round trip).
  if (omapi_until_ == Instant::max()) omapi_until_ = now + 2 * scenario_.client_latency;
  std::vector<Message> out;
  out.swap(held_sends_);
  for (const Message& m : out)  // what was written on a connection closed since is gone
    if (connection_ != 0 && m.connection == connection_) link_.send(index_, m);
  if (!frozen_) read_held_input(now);
  return connection_ != 0;
}

}  // namespace fosim::sim
