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

/// What a message says.
enum class LogEventKind : std::uint8_t {
  i_move,            ///< "failover peer P: I move from A to B"
  peer_moves,        ///< "failover peer P: peer moves from A to B"
  both_normal,       ///< "failover peer P: Both servers normal"
  disconnected,      ///< "peer P: disconnected"
  timeout,           ///< "timeout waiting for failover peer P"
  connect_rejected,  ///< "Failover CONNECT to P rejected: REASON" / "...: CONNECT rejected: ..."
  requesting_full_update,  ///< "failover peer P: requesting full update from peer"
  update_request,  ///< "Sent update request (all) message to P", "Update request (all) from P: ..."
  update_done,     ///< "Sent update done message to P", "failover peer P: peer update completed."
  sending_updates,      ///< "Sending updates to P."
  peer_holds_all_free,  ///< "<DHCP text>: peer holds all free leases"
  no_free_leases,       ///< "<DHCP text>: network N: no free leases"
  dhcp,                 ///< a DHCPDISCOVER/OFFER/REQUEST/ACK/NAK/RELEASE/DECLINE/INFORM line
  server_start,  ///< the banner dhcpd prints when it starts ("Internet Systems Consortium DHCP
                 ///< Server")
  malformed,     ///< a failover line of ISC's shape with something fosim cannot read (`problem`)
};

/// Returns the kebab-case name of `k`.
std::string_view to_string(LogEventKind k);

/// The DHCP message a `dhcp` line is about.
enum class DhcpVerb : std::uint8_t { discover, offer, request, ack, nak, release, decline, inform };

/// Returns "DHCPDISCOVER", "DHCPOFFER", ...
std::string_view to_string(DhcpVerb v);

/// One understood message.
struct LogEvent {
  LogEventKind kind = LogEventKind::dhcp;
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
