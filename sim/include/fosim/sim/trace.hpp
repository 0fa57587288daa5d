// What a run reports, event by event.
//
// The simulator emits typed `RunEvent`s (run_event.hpp) in simulated-time order; sinks render
// them as the text timeline or syslog (words from the catalogue, isc_wording.hpp) or as JSON
// Lines (the event's fields plus its text). Output is a pure function of the events, so the
// same scenario and seed give byte-identical files.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"
#include "fosim/sim/run_event.hpp"

namespace fosim::sim {

/// Receives trace events as the run produces them.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// Takes one event.
  virtual void record(const RunEvent& e) = 0;
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
  void record(const RunEvent& e) override;
  /// Time 0 is this UTC time (ms since 1970): lines show the date and time.
  void set_start(std::optional<std::int64_t> utc_ms) { start_ = utc_ms; }

 private:
  std::optional<std::int64_t> start_;
  std::ostream& out_;
  std::vector<std::string> hosts_;
  bool include_dhcp_;
  std::size_t width_ = 0;
};

/// Writes one JSON object per event (timeline.jsonl).
class JsonlTimeline final : public TraceSink {
 public:
  JsonlTimeline(std::ostream& out, std::vector<std::string> hosts);
  void record(const RunEvent& e) override;
  /// Names the servers anew (a replay learns them as the log goes).
  void set_hosts(std::vector<std::string> hosts) { hosts_ = std::move(hosts); }
  /// Time 0 is this UTC time (ms since 1970): each line has an ISO `time` too.
  void set_start(std::optional<std::int64_t> utc_ms) { start_ = utc_ms; }

 private:
  std::optional<std::int64_t> start_;
  std::ostream& out_;
  std::vector<std::string> hosts_;
};

/// Writes the lines ISC dhcpd itself would log, as syslog would store them: classic BSD
/// syslog ("Jan  1 00:01:00 HOST dhcpd[PID]: ...", whole seconds) or RFC 5424 with
/// milliseconds. Simulated time 0 is 1970-01-01 00:00:00 UTC. fosim's own annotations
/// (script actions, monitors, grants) are left out: this is what `fosim replay` reads.
/// Server i's first process has pid 1000 + i; each later start takes a new one (2 higher), as a
/// real restart does.
class SyslogTimeline final : public TraceSink {
 public:
  SyslogTimeline(std::ostream& out, std::vector<std::string> hosts, bool rfc5424);
  void record(const RunEvent& e) override;
  /// Time 0 is this UTC time (ms since 1970) instead of 1970-01-01 00:00.
  void set_start(std::optional<std::int64_t> utc_ms) { start_ = utc_ms.value_or(0); }

 private:
  std::int64_t start_ = 0;
  std::ostream& out_;
  std::vector<std::string> hosts_;
  bool rfc5424_;
  std::vector<int> starts_;  ///< process starts seen per server
};

/// Keeps every event in memory (tests, golden traces).
class MemoryTrace final : public TraceSink {
 public:
  void record(const RunEvent& e) override { events.push_back(e); }
  std::vector<RunEvent> events;
};

/// Sends each event to several sinks.
class TeeTrace final : public TraceSink {
 public:
  void add(TraceSink* sink) { sinks_.push_back(sink); }
  void record(const RunEvent& e) override {
    for (TraceSink* s : sinks_) s->record(e);
  }

 private:
  std::vector<TraceSink*> sinks_;
};

}  // namespace fosim::sim
