// What a run reports, event by event.
//
// The simulator emits `TraceEvent`s in simulated-time order; sinks render them as the text
// timeline (ISC's own wording plus fosim's annotations) or as JSON Lines. Output is a pure
// function of the events, so the same scenario and seed give byte-identical files.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"

namespace fosim::sim {

/// What kind of thing happened.
enum class TraceKind : std::uint8_t {
  state,       ///< a server changed its failover state ("I move from ... to ...")
  peer_state,  ///< a server learned its partner's new state ("peer moves from ... to ...")
  log,         ///< another line ISC logs (both normal, update requests, errors)
  link,        ///< the failover link: connected, disconnected, timeout, rejected
  dhcp,        ///< a DHCP exchange line (DISCOVER, OFFER, REQUEST, ACK, NAK, RELEASE)
  grant,       ///< a lease granted to a client (the ACK, with its lease time)
  unanswered,  ///< a client's attempt that no server answered in time
  script,      ///< a scripted fault or operator action (fosim's annotation)
  monitor,     ///< a monitor finding: duplicate address, MCLT violation, ...
  message,     ///< a failover protocol message (verbose traces only)
};

/// Returns the kebab-case name of a trace kind.
std::string_view to_string(TraceKind k);

/// One traced event.
struct TraceEvent {
  TraceEvent() = default;
  /// An event with a line of text; the other fields keep their "absent" values.
  TraceEvent(core::Instant at_, int server_, TraceKind kind_, std::string text_)
      : at(at_), server(server_), kind(kind_), text(std::move(text_)) {}

  core::Instant at{};
  int server = -1;  ///< 0 primary, 1 secondary, -1 neither
  TraceKind kind = TraceKind::log;
  std::string text;                               ///< the line as ISC (or fosim) would log it
  core::State from = core::State::unknown_state;  ///< state / peer_state
  core::State to = core::State::unknown_state;    ///< state / peer_state
  std::string cause;               ///< state: what made it move (peer-state, link-lost, timer, ...)
  std::int64_t client = -1;        ///< dhcp / grant / monitor: client index
  std::int64_t other_client = -1;  ///< monitor (duplicate): the other client
  std::int64_t other_server = -1;  ///< monitor (duplicate): the server that granted the other
  std::uint32_t ip = 0;            ///< dhcp / grant / monitor: address, host order
  std::int64_t lease_time_s = -1;  ///< grant: seconds given to the client
  std::string grant_kind;          ///< grant: new | renew | rebind
};

/// Receives trace events as the run produces them.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// Takes one event.
  virtual void record(const TraceEvent& e) = 0;
};

/// Formats an instant as "D+HH:MM:SS.mmm" (days only when non-zero: "HH:MM:SS.mmm").
std::string format_time(core::Instant t);

/// Formats ms since 1970-01-01 00:00 UTC as "YYYY-MM-DD HH:MM:SS.mmm".
std::string format_utc(std::int64_t ms);

/// Formats an IPv4 address held in host order.
std::string format_ip(std::uint32_t ip);

/// Writes the text timeline: time, server host, line.
class TextTimeline final : public TraceSink {
 public:
  /// Writes to `out`; `hosts` names servers 0 and 1.
  TextTimeline(std::ostream& out, std::vector<std::string> hosts, bool include_dhcp = true);
  void record(const TraceEvent& e) override;

 private:
  std::ostream& out_;
  std::vector<std::string> hosts_;
  bool include_dhcp_;
  std::size_t width_ = 0;
};

/// Writes one JSON object per event (timeline.jsonl).
class JsonlTimeline final : public TraceSink {
 public:
  JsonlTimeline(std::ostream& out, std::vector<std::string> hosts);
  void record(const TraceEvent& e) override;
  /// Names the servers anew (a replay learns them as the log goes).
  void set_hosts(std::vector<std::string> hosts) { hosts_ = std::move(hosts); }

 private:
  std::ostream& out_;
  std::vector<std::string> hosts_;
};

/// Writes the lines ISC dhcpd itself would log, as syslog would store them: classic BSD
/// syslog ("Jan  1 00:01:00 HOST dhcpd[PID]: ...", whole seconds) or RFC 5424 with
/// milliseconds. Simulated time 0 is 1970-01-01 00:00:00 UTC. fosim's own annotations
/// (script actions, monitors, grants) are left out: this is what `fosim replay` reads.
class SyslogTimeline final : public TraceSink {
 public:
  SyslogTimeline(std::ostream& out, std::vector<std::string> hosts, bool rfc5424);
  void record(const TraceEvent& e) override;

 private:
  std::ostream& out_;
  std::vector<std::string> hosts_;
  bool rfc5424_;
};

/// Keeps every event in memory (tests, golden traces).
class MemoryTrace final : public TraceSink {
 public:
  void record(const TraceEvent& e) override { events.push_back(e); }
  std::vector<TraceEvent> events;
};

/// Sends each event to several sinks.
class TeeTrace final : public TraceSink {
 public:
  void add(TraceSink* sink) { sinks_.push_back(sink); }
  void record(const TraceEvent& e) override {
    for (TraceSink* s : sinks_) s->record(e);
  }

 private:
  std::vector<TraceSink*> sinks_;
};

}  // namespace fosim::sim
