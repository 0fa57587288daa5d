// Reading ISC dhcpd's log lines: the syslog header (classic BSD syslog, RFC 5424, ISO-dated
// lines as rsyslog and `journalctl -o short-iso` write them, `journalctl -o short[-precise]`,
// bare `dhcpd -d` output and fosim's own text timeline: dhcpd_log.cpp) and the messages fosim
// understands, read as the run's typed events (failover transitions, link events, update
// requests, the DHCP exchange: dhcpd_message.cpp). Pure functions of one line: a large file is
// read line by line and nothing is kept. Formats: docs/replay.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/sim/run_event.hpp"

namespace fosim::sim {

/// How a line's header was written.
enum class LogFormat : std::uint8_t {
  classic,  ///< "Nov  4 10:00:01 host dhcpd[123]: ..." (also journalctl short / short-precise)
  rfc5424,  ///< "<30>1 2026-11-04T10:00:01.123Z host dhcpd 123 - - ..."
  iso,    ///< "2026-11-04T10:00:01.123+01:00 host dhcpd[123]: ..." (rsyslog, journalctl short-iso)
  fosim,  ///< "01:00:16.350  host  ..." (fosim run's text timeline; time since the start)
  bare,   ///< a message with no header (dhcpd -d on stderr)
};

/// Returns "classic", "rfc5424", "iso", "fosim" or "bare".
std::string_view to_string(LogFormat f);

/// Returns `time_ms` (ms since 1970 UTC) as a header of format `f` shows a clock: "Nov  4
/// 07:12:03" (classic), "2026-11-04 07:12:03" (rfc5424, iso: in UTC), with ".mmm" when the
/// time has milliseconds; empty for formats without a clock of their own (bare, fosim).
std::string log_clock(LogFormat f, std::int64_t time_ms);

/// The header of one line.
struct LogLine {
  LogFormat format = LogFormat::bare;
  std::optional<std::int64_t> time_ms;  ///< ms since 1970-01-01 00:00 UTC; none for bare lines
  std::string_view host;                ///< empty for bare lines
  /// The process id in the header (`dhcpd[812]:`, RFC 5424's PROCID); none when the header has
  /// none (bare lines, fosim's text timeline, `dhcpd:`). A new pid on a host is a new process.
  std::optional<std::uint64_t> pid;
  std::string_view message;  ///< what dhcpd wrote
  bool bad_time = false;     ///< a dhcpd line whose timestamp is impossible (Feb 30, 25:00, ...)
};

/// Splits `line` into its header and message. Classic lines carry no year: `year` is used
/// (and their time is read as UTC). Lines of other programs than dhcpd, and journalctl's
/// "-- ... --" lines, give nothing.
std::optional<LogLine> parse_log_line(std::string_view line, int year);

/// Reads one message as the run event it reports, in the run's own vocabulary (run_event.hpp):
/// a StateMove, PeerStateSeen, LinkEvent (down), FailoverLine, UpdateLine, Banner or DhcpLine
/// (its verb, address, client and outcome); an UnreadableLine for a failover line of ISC's
/// shape whose values cannot be read; nothing for the lines replay does not use.
std::optional<RunEventBody> classify(std::string_view message);

}  // namespace fosim::sim
