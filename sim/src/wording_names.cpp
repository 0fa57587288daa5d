// ISC's names in the catalogue that are not whole lines: the printed names of failover message
// types (dhcp_failover_message_name()) and the texts of reject reasons
// (dhcp_failover_reject_reason_print()), as ISC dhcpd 4.4's server/failover.c spells them.
#include <array>
#include <utility>

#include "fosim/sim/isc_wording.hpp"

namespace fosim::sim {
namespace {

// clang-format off
/// Indexed by the draft-12 message code (1-12).
constexpr std::array<std::string_view, 13> message_names{
  "?",                   // 0: no such message
  "pool-request",        // POOLREQ
  "pool-response",       // POOLRESP
  "bind-update",         // BNDUPD
  "bind-ack",            // BNDACK
  "connect",             // CONNECT
  "connect-ack",         // CONNECTACK
  "update-request-all",  // UPDREQALL
  "update-done",         // UPDDONE
  "update-request",      // UPDREQ
  "state",               // STATE
  "contact",             // CONTACT
  "disconnect",          // DISCONNECT
};

constexpr std::array<std::pair<Reject, std::string_view>, 10> reject_texts{{
  {Reject::none,                    ""},
  {Reject::illegal_ip_addr,         "Illegal IP address (not part of any address pool)."},
  {Reject::fatal_conflict,          "Fatal conflict exists: address in use by other client."},
  {Reject::missing_bind_info,       "Missing binding information."},
  {Reject::time_mismatch,           "Connection rejected, time mismatch too great."},
  {Reject::invalid_mclt,            "Connection rejected, invalid MCLT."},
  {Reject::dup_connection,          "Connection rejected, duplicate connection."},
  {Reject::invalid_partner,         "Connection rejected, invalid failover partner."},
  {Reject::less_critical_bind_info, "Less critical binding information."},
  {Reject::hba_conflict,            "Hash bucket assignment conflict."},
}};
// clang-format on

}  // namespace

std::string_view isc_message_name(MessageType t) {
  const auto i = static_cast<std::size_t>(t);
  return i < message_names.size() ? message_names[i] : message_names[0];
}

std::string_view isc_reject_text(Reject r) {
  for (const auto& [reason, text] : reject_texts)
    if (reason == r) return text;
  return "Unknown Error.";
}

}  // namespace fosim::sim
