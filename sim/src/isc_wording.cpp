// The catalogue's table and its two directions: fill a template from named values, and match a
// line against a template to get the values back. Events map to values in wording_events.cpp.
#include "fosim/sim/isc_wording.hpp"

#include <algorithm>
#include <vector>

#include "wording_fields.hpp"

namespace fosim::sim {
namespace {

using W = Wording;

// clang-format off
constexpr std::array<WordingEntry, wording_count> table{{
  // ISC dhcpd 4.4 server/failover.c
  {W::i_move,                   "i-move",                   true,  "failover peer {peer}: I move from {from} to {to}"},
  {W::peer_moves,               "peer-moves",               true,  "failover peer {peer}: peer moves from {from} to {to}"},
  {W::both_normal,              "both-normal",              true,  "failover peer {peer}: Both servers normal"},
  {W::requesting_full_update,   "requesting-full-update",   true,  "failover peer {peer}: requesting full update from peer"},
  {W::invalid_peer_state,       "invalid-peer-state",       true,  "failover peer {peer}: Invalid state: {number}"},
  {W::invalid_transition,       "invalid-transition",       true,  "Peer {peer}: Invalid state transition {from} to {to}."},
  {W::normal_during_conflict,   "normal-during-conflict",   true,  "Peer {peer} moves to normal during conflict resolution - panic, shutting down."},
  {W::unexpected_conflict_done, "unexpected-conflict-done", true,  "Peer {peer}: Unexpected move to conflict-done."},
  {W::both_recover_done,        "both-recover-done",        true,  "Both servers have entered recover-done!"},
  {W::secondary_conflict_done,  "secondary-conflict-done",  true,  "Secondary is in conflict_done state after conflict resolution, this is illegal."},
  {W::spurious_update_done,     "spurious-update-done",     true,  "Spurious update-done message."},
  {W::fatal_conflict_done,      "fatal-conflict-done",      true,  "Peer {peer}: Invalid attempt to move from {from} to {to} while local state is conflict-done."},
  {W::peer_update_completed,    "peer-update-completed",    true,  "failover peer {peer}: peer update completed."},
  {W::exiting,                  "exiting",                  true,  "exiting (log_fatal)"},
  {W::link_connected,           "link-connected",           true,  "failover peer {peer}: connected to peer"},
  {W::link_disconnected,        "link-disconnected",        true,  "peer {peer}: disconnected"},
  {W::link_timeout,             "link-timeout",             true,  "timeout waiting for failover peer {peer}"},
  {W::link_rejected,            "link-rejected",            true,  "failover peer {peer}: CONNECT rejected: {reason}"},
  {W::link_peer_rejected,       "link-peer-rejected",       true,  "Failover CONNECT to {peer} rejected: {reason}"},
  {W::update_request_sent,      "update-request-sent",      true,  "Sent update request message to {peer}"},
  {W::update_request_all_sent,  "update-request-all-sent",  true,  "Sent update request all message to {peer}"},
  {W::update_done_sent,         "update-done-sent",         true,  "Sent update done message to {peer}"},
  {W::sending_updates,          "sending-updates",          true,  "Sending updates to {peer}."},
  {W::update_request_nothing,   "update-request-nothing",   true,  "Update request from {peer}: nothing pending"},
  {W::update_request_all_nothing, "update-request-all-nothing", true, "Update request all from {peer}: nothing pending"},
  {W::update_request_sending,   "update-request-sending",   true,  "Update request from {peer}: sending update"},
  {W::update_request_all_sending, "update-request-all-sending", true, "Update request all from {peer}: sending update"},
  {W::bind_update_rejected,     "bind-update-rejected",     true,  "bind update on {ip} from {peer} rejected: {reason}"},
  {W::poolreq_negative,         "poolreq-negative",         true,  "peer {peer}: Got POOLREQ, answering negatively!  Peer may be out of leases or database inconsistent."},
  {W::pool_response,            "pool-response",            true,  "pool response: {count} leases"},
  {W::pool_balancing,           "pool-balancing",           true,  "balancing pool {pool}  total {total}  free {free}  backup {backup}  lts {lts}  max-own (+/-){limit}"},
  {W::pool_balancing_requesting, "pool-balancing-requesting", true, "balancing pool {pool}  total {total}  free {free}  backup {backup}  lts {lts}  max-own (+/-){limit}  (requesting peer rebalance!)"},
  {W::pool_balanced,            "pool-balanced",            true,  "balanced pool {pool}  total {total}  free {free}  backup {backup}  lts {lts}  max-misbal {limit}"},
  {W::pool_imbalanced,          "pool-imbalanced",          true,  "IMBALANCED pool {pool}  total {total}  free {free}  backup {backup}  lts {lts}  max-misbal {limit}"},
  // ISC dhcpd 4.4 server/dhcp.c
  {W::dhcp_discover,            "dhcp-discover",            true,  "DHCPDISCOVER from {mac}"},
  {W::dhcp_discover_not_responding, "dhcp-discover-not-responding", true, "DHCPDISCOVER from {mac}: not responding{nrr}"},
  {W::dhcp_discover_load_balance, "dhcp-discover-load-balance", true, "DHCPDISCOVER from {mac}: load balance to peer {peer}"},
  {W::dhcp_discover_peer_holds, "dhcp-discover-peer-holds", true,  "DHCPDISCOVER from {mac}: peer holds all free leases"},
  {W::dhcp_discover_no_free,    "dhcp-discover-no-free",    true,  "DHCPDISCOVER from {mac}: network {pool}/pool: no free leases"},
  {W::dhcp_offer,               "dhcp-offer",               true,  "DHCPOFFER on {ip} to {mac}"},
  {W::dhcp_request_selecting,   "dhcp-request-selecting",   true,  "DHCPREQUEST for {ip} ({server_id}) from {mac}"},
  {W::dhcp_request,             "dhcp-request",             true,  "DHCPREQUEST for {ip} from {mac}"},
  {W::dhcp_request_not_responding, "dhcp-request-not-responding", true, "DHCPREQUEST for {ip} from {mac}: not responding{nrr}"},
  {W::dhcp_request_owned_by_peer, "dhcp-request-owned-by-peer", true, "DHCPREQUEST for {ip} from {mac}: lease owned by peer"},
  {W::dhcp_request_in_transition, "dhcp-request-in-transition", true, "DHCPREQUEST for {ip} from {mac}: lease in transition state"},
  {W::dhcp_request_unknown_lease, "dhcp-request-unknown-lease", true, "DHCPREQUEST for {ip} from {mac}: unknown lease {ip}."},
  {W::dhcp_ack,                 "dhcp-ack",                 true,  "DHCPACK on {ip} to {mac}"},
  {W::dhcp_nak,                 "dhcp-nak",                 true,  "DHCPNAK on {ip} to {mac}"},
  {W::dhcp_release_ignored,     "dhcp-release-ignored",     true,  "DHCPRELEASE of {ip} from {mac}: {peer}: ignored{nrr}"},
  {W::dhcp_release_found,       "dhcp-release-found",       true,  "DHCPRELEASE of {ip} from {mac} (found)"},
  {W::dhcp_decline,             "dhcp-decline",             true,  "DHCPDECLINE of {ip} from {mac}"},
  {W::dhcp_inform,              "dhcp-inform",              true,  "DHCPINFORM from {ip}"},
  {W::banner,                   "banner",                   true,  "Internet Systems Consortium DHCP Server {version}"},
  // fosim's own annotations
  {W::partition_both,           "partition",                false, "partition: failover link cut both ways"},
  {W::partition_one,            "partition",                false, "partition: {host} -> {other_host} cut"},
  {W::heal,                     "heal",                     false, "heal: failover link restored"},
  {W::stop,                     "stop",                     false, "operator: controlled shutdown of {host}{omapi}"},
  {W::crash,                    "crash",                    false, "{host} crashes (no goodbye on the failover link)"},
  {W::start,                    "start",                    false, "{host} starts{storage}"},
  {W::restart,                  "restart",                  false, "{host} restarts{graceful}{omapi}{storage}"},
  {W::set_state,                "set-state",                false, "operator: OMAPI set {host} local-state {number} ({state})"},
  {W::clock_skew,               "clock-skew",               false, "{host} clock offset now {number} s"},
  {W::clients,                  "clients",                  false, "{number} more clients arrive"},
  {W::kill,                     "kill",                     false, "{host} is killed (the kernel closes its connections at once)"},
  {W::freeze,                   "freeze",                   false, "{host} is frozen (SIGSTOP: no reads, sends or timers; its sockets stay open)"},
  {W::thaw,                     "thaw",                     false, "{host} is thawed (SIGCONT)"},
  {W::client_sends,             "client",                   false, "scripted client {host} sends {send}"},
  {W::client_skipped,           "client-skipped",           false, "scripted client {host}: {send} skipped (it holds no lease)"},
  {W::process_start,            "process-start",            false, "dhcpd starts"},
  {W::process_stop,             "process-stop",             false, "dhcpd exits after its controlled shutdown"},
  {W::process_crash,            "process-crash",            false, "dhcpd is gone with its host"},
  {W::process_kill,             "process-kill",             false, "dhcpd is killed"},
  {W::process_fatal,            "process-fatal",            false, "dhcpd exits by log_fatal"},
  {W::process_freeze,           "process-freeze",           false, "dhcpd stops running"},
  {W::process_thaw,             "process-thaw",             false, "dhcpd runs again: what fell due while frozen runs now"},
  {W::monitor_both_partner_down, "both-partner-down",       false, "monitor: both servers in partner-down while they can talk"},
  {W::monitor_mclt,             "mclt-violation",           false, "monitor: MCLT violated on {ip}"},
  {W::monitor_zero_lease,       "zero-lease",               false, "monitor: 0-second lease on {ip} from {host} (MCLT 0)"},
  {W::monitor_short_lease,      "short-lease",              false, "monitor: lease on {ip} from {host} cut below min-lease-time by the MCLT"},
  {W::monitor_duplicate,        "duplicate",                false, "monitor: DUPLICATE {ip}: {mac} (from {host}) and {other_mac} (from {other_host}, since {since})"},
  {W::unanswered_discover,      "unanswered-discover",      false, "DHCPDISCOVER from {mac}: no answer"},
  {W::unanswered_request,       "unanswered-request",       false, "DHCPREQUEST from {mac}: no answer"},
  {W::unanswered_renewing,      "unanswered-renewing",      false, "DHCPREQUEST (renewing) from {mac}: no answer"},
  {W::unanswered_rebinding,     "unanswered-rebinding",     false, "DHCPREQUEST (rebinding) from {mac}: no answer"},
  {W::message,                  "message",                  false, "received {type} from {host}{detail}"},
  {W::other,                    "other",                    false, "{line}"},
}};

// fosim's optional pieces of its own annotations.
constexpr std::string_view no_lease_file = " with no lease file";
constexpr std::string_view shutdown_first = " (controlled shutdown first)";
constexpr std::string_view no_omapi_client = " (no OMAPI connection open)";
constexpr std::string_view message_rejected = " rejected: ";
constexpr std::string_view message_startup = " (startup)";
// clang-format on

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].id) != i) return false;
  return true;
}
static_assert(table_in_order(), "the catalogue's rows follow enum Wording");

/// The first word of an entry's template: the name of the DHCP message its lines are about.
constexpr std::string_view first_word(Wording w) {
  const std::string_view t = table[static_cast<std::size_t>(w)].text;
  return t.substr(0, t.find(' '));
}

/// ISC's names of the DHCP messages, in the order of enum DhcpVerb.
constexpr std::array<std::string_view, 8> verb_names{
    first_word(W::dhcp_discover), first_word(W::dhcp_offer), first_word(W::dhcp_request),
    first_word(W::dhcp_ack),      first_word(W::dhcp_nak),   first_word(W::dhcp_release_found),
    first_word(W::dhcp_decline),  first_word(W::dhcp_inform)};
static_assert(verb_names[0] == "DHCPDISCOVER" && verb_names[7] == "DHCPINFORM");

/// The ISC entries whose template starts with `c`, longest literal text first.
const std::vector<Wording>& entries_starting_with(unsigned char c) {
  static const std::array<std::vector<Wording>, 256> buckets = [] {
    std::array<std::vector<Wording>, 256> b;
    for (const WordingEntry& e : table)
      if (e.isc && !e.text.empty() && e.text[0] != '{')
        b[static_cast<unsigned char>(e.text[0])].push_back(e.id);
    auto literal = [](Wording w) {
      std::size_t n = 0;
      bool in = false;
      for (char ch : table[static_cast<std::size_t>(w)].text) {
        if (ch == '{') in = true;
        if (!in) ++n;
        if (ch == '}') in = false;
      }
      return n;
    };
    for (auto& v : b)
      std::stable_sort(v.begin(), v.end(),
                       [&](Wording x, Wording y) { return literal(x) > literal(y); });
    return b;
  }();
  return buckets[c];
}

}  // namespace

const std::array<WordingEntry, wording_count>& wording_table() { return table; }

const WordingEntry& entry(Wording w) { return table[static_cast<std::size_t>(w)]; }

std::string fill(std::string_view tpl, const Fields& f) {
  std::string out;
  out.reserve(tpl.size() + 48);
  std::size_t i = 0;
  while (i < tpl.size()) {
    const std::size_t open = tpl.find('{', i);
    if (open == std::string_view::npos) {
      out.append(tpl.substr(i));
      break;
    }
    out.append(tpl.substr(i, open - i));
    const std::size_t close = tpl.find('}', open);
    out.append(f.get(tpl.substr(open + 1, close - open - 1)));
    i = close + 1;
  }
  return out;
}

bool unfill(std::string_view tpl, std::string_view line, Fields& f) {
  std::size_t i = 0;
  while (i < tpl.size()) {
    const std::size_t open = tpl.find('{', i);
    const std::string_view lead =
        tpl.substr(i, open == std::string_view::npos ? tpl.npos : open - i);
    if (line.substr(0, lead.size()) != lead) return false;
    line.remove_prefix(lead.size());
    if (open == std::string_view::npos) return line.empty();
    const std::size_t close = tpl.find('}', open);
    const std::string_view name = tpl.substr(open + 1, close - open - 1);
    i = close + 1;
    // The value runs up to the next literal text (or to the end).
    const std::size_t next = tpl.find('{', i);
    const std::string_view after =
        tpl.substr(i, next == std::string_view::npos ? tpl.npos : next - i);
    std::size_t end = line.size();
    if (!after.empty()) {
      end =
          i == tpl.size() || next == std::string_view::npos ? line.rfind(after) : line.find(after);
      if (end == std::string_view::npos) return false;
    }
    f.set(name, std::string(line.substr(0, end)));
    line.remove_prefix(end);
  }
  return line.empty();
}

std::string render(const RunEventBody& body) {
  Fields f;
  const Wording w = fields_of(body, f);
  return fill(entry(w).text, f);
}

std::string render(const RunEvent& e) { return e.verbatim.empty() ? render(e.what) : e.verbatim; }

std::optional<RunEventBody> read_isc_line(std::string_view line, Wording* wording) {
  if (line.empty()) return std::nullopt;
  for (const Wording w : entries_starting_with(static_cast<unsigned char>(line[0]))) {
    Fields f;
    if (!unfill(entry(w).text, line, f)) continue;
    if (auto body = body_of(w, f)) {
      if (wording != nullptr) *wording = w;
      return body;
    }
  }
  return std::nullopt;
}

DhcpOutcome dhcp_suffix_outcome(std::string_view suffix) {
  struct Suffix {
    std::string_view lead;   ///< the template's words after "{mac}: ", up to its next field
    std::string_view words;  ///< words that must follow later ("no free leases")
    DhcpOutcome outcome;
  };
  static const std::array<Suffix, 7> suffixes = [] {
    constexpr std::array<std::pair<W, DhcpOutcome>, 7> rows{{
        {W::dhcp_discover_not_responding, DhcpOutcome::not_responding},
        {W::dhcp_discover_load_balance, DhcpOutcome::load_balance},
        {W::dhcp_discover_peer_holds, DhcpOutcome::peer_holds_all_free},
        {W::dhcp_discover_no_free, DhcpOutcome::no_free_leases},
        {W::dhcp_request_owned_by_peer, DhcpOutcome::lease_owned_by_peer},
        {W::dhcp_request_in_transition, DhcpOutcome::lease_in_transition},
        {W::dhcp_request_unknown_lease, DhcpOutcome::unknown_lease},
    }};
    std::array<Suffix, 7> out{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::string_view t = entry(rows[i].first).text;
      t.remove_prefix(t.find("}: ") + 3);
      const std::size_t open = t.find('{');
      out[i].lead = t.substr(0, open);
      if (open != std::string_view::npos) {
        const std::string_view tail = t.substr(t.find('}', open) + 1);
        if (const std::size_t colon = tail.find(": "); colon != std::string_view::npos)
          out[i].words = tail.substr(colon + 2);
      }
      out[i].outcome = rows[i].second;
    }
    return out;
  }();
  for (const Suffix& s : suffixes)
    if (suffix.substr(0, s.lead.size()) == s.lead &&
        (s.words.empty() || suffix.find(s.words) != std::string_view::npos))
      return s.outcome;
  return DhcpOutcome::plain;
}

std::optional<Wording> isc_shape(std::string_view line) {
  if (line.empty()) return std::nullopt;
  for (const Wording w : entries_starting_with(static_cast<unsigned char>(line[0]))) {
    Fields f;
    if (unfill(entry(w).text, line, f)) return w;
  }
  return std::nullopt;
}

std::string_view isc_dhcp_verb(DhcpVerb v) {
  const auto i = static_cast<std::size_t>(v);
  return i < verb_names.size() ? verb_names[i] : std::string_view("?");
}

// fosim's pieces, for wording_events.cpp.
std::string_view piece_no_lease_file() { return no_lease_file; }
std::string_view piece_shutdown_first() { return shutdown_first; }
std::string_view piece_no_omapi_client() { return no_omapi_client; }
std::string_view piece_message_rejected() { return message_rejected; }
std::string_view piece_message_startup() { return message_startup; }

}  // namespace fosim::sim
