// One catalogue of the words a run's lines are written in, in the spirit of Kea's message files.
//
// Each entry is a template such as "failover peer {peer}: I move from {from} to {to}": ISC
// dhcpd 4.4's exact wording where ISC logs the line, fosim's own for its annotations (script
// actions, monitors, process events), marked as such. The text timeline, the syslog writer and
// the syslog reader all use it: render() fills an entry from an event, read_isc_line() reads a
// line back to its event with the same table. No other file spells these lines, nor ISC's
// names of DHCP messages, failover messages and reject reasons, which are kept here too.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/sim/message.hpp"
#include "fosim/sim/run_event.hpp"

namespace fosim::sim {

/// One entry of the catalogue.
enum class Wording : std::uint8_t {
  // ISC's failover machine
  i_move,
  peer_moves,
  both_normal,
  requesting_full_update,
  invalid_peer_state,
  invalid_transition,
  normal_during_conflict,
  unexpected_conflict_done,
  both_recover_done,
  secondary_conflict_done,
  spurious_update_done,
  fatal_conflict_done,
  peer_update_completed,
  exiting,
  // ISC's failover link
  link_connected,
  link_disconnected,
  link_timeout,
  link_rejected,
  link_peer_rejected,
  // ISC's update protocol and pool balance
  update_request_sent,
  update_request_all_sent,
  update_done_sent,
  sending_updates,
  update_request_nothing,
  update_request_all_nothing,
  update_request_sending,
  update_request_all_sending,
  bind_update_rejected,
  poolreq_negative,
  pool_response,
  pool_balancing,
  pool_balancing_requesting,
  pool_balanced,
  pool_imbalanced,
  // ISC's DHCP lines
  dhcp_discover,
  dhcp_discover_not_responding,
  dhcp_discover_load_balance,
  dhcp_discover_peer_holds,
  dhcp_discover_no_free,
  dhcp_offer,
  dhcp_request_selecting,
  dhcp_request,
  dhcp_request_not_responding,
  dhcp_request_owned_by_peer,
  dhcp_request_in_transition,
  dhcp_request_unknown_lease,
  dhcp_ack,
  dhcp_nak,
  dhcp_release_ignored,
  dhcp_release_found,
  dhcp_decline,
  dhcp_inform,
  banner,
  // fosim's annotations
  partition_both,
  partition_one,
  heal,
  stop,
  crash,
  start,
  restart,
  set_state,
  clock_skew,
  clients,
  kill,
  freeze,
  thaw,
  client_sends,
  client_skipped,
  process_start,
  process_stop,
  process_crash,
  process_kill,
  process_fatal,
  process_freeze,
  process_thaw,
  monitor_both_partner_down,
  monitor_mclt,
  monitor_zero_lease,
  monitor_short_lease,
  monitor_duplicate,
  unanswered_discover,
  unanswered_request,
  unanswered_renewing,
  unanswered_rebinding,
  message,
  other,  ///< a replayed line shown in its own words
};

/// One template.
struct WordingEntry {
  Wording id;
  std::string_view name;  ///< kebab-case, as timeline.jsonl's "event" field
  bool isc;               ///< ISC's wording (false: fosim's annotation)
  std::string_view text;  ///< the template; {name} is a field of the event
};

/// The number of entries.
inline constexpr std::size_t wording_count = static_cast<std::size_t>(Wording::other) + 1;

/// Every entry, in the order of `Wording`.
const std::array<WordingEntry, wording_count>& wording_table();

/// Returns the entry `w`.
const WordingEntry& entry(Wording w);

/// Returns the entry an event is written with.
Wording wording_of(const RunEventBody& body);

/// Returns the line of `e`: its verbatim words when it has them, else its entry filled in.
std::string render(const RunEvent& e);

/// Returns the line of `body`, filled into its entry.
std::string render(const RunEventBody& body);

/// Reads a line written with one of ISC's entries back to its event; nothing when none fits.
/// `wording` (when not null) is set to the entry that matched.
std::optional<RunEventBody> read_isc_line(std::string_view line, Wording* wording = nullptr);

/// Returns the first of ISC's entries whose shape `line` has, whether or not its values read
/// (a move between states ISC does not know still has the shape of a move).
std::optional<Wording> isc_shape(std::string_view line);

/// Returns ISC's name of a DHCP message ("DHCPDISCOVER", ...): the first word of its lines.
std::string_view isc_dhcp_verb(DhcpVerb v);

/// Returns ISC's printed name of a failover message type ("bind-update", "state", ...).
std::string_view isc_message_name(MessageType t);

/// Returns ISC's text for a reject reason ("Connection rejected, invalid MCLT.", ...).
std::string_view isc_reject_text(Reject r);

/// Returns the outcome a DHCP line's suffix (the words after ": ") names, from the catalogue.
DhcpOutcome dhcp_suffix_outcome(std::string_view suffix);

}  // namespace fosim::sim
