// Reading ISC dhcpd's log lines: the syslog header (classic BSD syslog, RFC 5424, ISO-dated
// lines as rsyslog and `journalctl -o short-iso` write them, `journalctl -o short[-precise]`,
// bare `dhcpd -d` output and fosim's own text timeline) and the messages fosim understands
// (failover transitions, link events, update requests, the DHCP exchange). Pure functions of
// one line: a large file is read line by line and nothing is kept. Formats: docs/replay.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/core/state.hpp"
#include "fosim/sim/isc_wording.hpp"
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

/// The header of one line.
struct LogLine {
  LogFormat format = LogFormat::bare;
  std::optional<std::int64_t> time_ms;  ///< ms since 1970-01-01 00:00 UTC; none for bare lines
  std::string_view host;                ///< empty for bare lines
  std::string_view message;             ///< what dhcpd wrote
  bool bad_time = false;  ///< a dhcpd line whose timestamp is impossible (Feb 30, 25:00, ...)
};

/// Splits `line` into its header and message. Classic lines carry no year: `year` is used
/// (and their time is read as UTC). Lines of other programs than dhcpd, and journalctl's
/// "-- ... --" lines, give nothing.
std::optional<LogLine> parse_log_line(std::string_view line, int year);

/// What a message says, as far as replay is concerned (read with the catalogue, isc_wording.hpp:
/// `LogEvent::wording` says which entry).
enum class LogEventKind : std::uint8_t {
  i_move,                  ///< this server's state moved
  peer_moves,              ///< the partner's state moved
  both_normal,             ///< both servers normal
  disconnected,            ///< the failover link closed
  timeout,                 ///< nothing heard from the peer in time
  connect_rejected,        ///< a CONNECT or CONNECTACK was rejected (either way)
  requesting_full_update,  ///< this server asks for a full update
  update_request,          ///< an update request sent or answered
  update_done,             ///< update done sent, or the peer's update completed
  sending_updates,         ///< queued updates go out
  peer_holds_all_free,     ///< a DHCP line: the peer holds all free leases
  no_free_leases,          ///< a DHCP line: no free leases
  dhcp,                    ///< a DHCPDISCOVER/OFFER/REQUEST/ACK/NAK/RELEASE/DECLINE/INFORM line
  server_start,            ///< the banner dhcpd prints when it starts
  malformed,  ///< a failover line of ISC's shape with something fosim cannot read (`problem`)
};

/// Returns the kebab-case name of `k`.
std::string_view to_string(LogEventKind k);

/// One understood message.
struct LogEvent {
  LogEventKind kind = LogEventKind::dhcp;
  Wording wording = Wording::other;               ///< the catalogue entry (failover lines)
  std::string peer;                               ///< the failover peer name, where the line has it
  core::State from = core::State::unknown_state;  ///< i_move / peer_moves
  core::State to = core::State::unknown_state;    ///< i_move / peer_moves
  DhcpVerb verb = DhcpVerb::discover;  ///< dhcp (also peer_holds_all_free, no_free_leases)
  std::uint32_t ip = 0;                ///< dhcp: the address, host order (0 if none)
  std::string mac;                     ///< dhcp: the client's hardware address
  bool not_responding = false;         ///< dhcp: "...: not responding (...)"
  bool load_balanced_away = false;     ///< dhcp: "...: load balance to peer P"
  std::string problem;                 ///< malformed: what cannot be read
};

/// Understands one message, or gives nothing for lines fosim does not use.
std::optional<LogEvent> classify(std::string_view message);

}  // namespace fosim::sim
