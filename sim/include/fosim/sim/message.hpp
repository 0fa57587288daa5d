// Failover protocol messages as values (draft-12 §6-§7, as ISC dhcpd 4.4 sends them).
//
// One struct carries every message type; each type uses the fields its options need. Times are
// the sender's clock. A BNDUPD carries one binding, as ISC sends them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/core/binding.hpp"
#include "fosim/core/load_balance.hpp"
#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"

namespace fosim::sim {

/// Message types with their draft-12 codes.
enum class MessageType : std::uint8_t {
  poolreq = 1,
  poolresp = 2,
  bndupd = 3,
  bndack = 4,
  connect = 5,
  connectack = 6,
  updreqall = 7,
  upddone = 8,
  updreq = 9,
  state = 10,
  contact = 11,
  disconnect = 12,
};

/// Returns ISC's printed name of a message type ("bind-update", "state", ...; isc_wording.hpp).
std::string_view to_string(MessageType t);

/// BNDACK / CONNECTACK / DISCONNECT reject reasons (ISC includes/failover.h).
enum class Reject : std::uint8_t {
  none = 0,
  illegal_ip_addr = 1,
  fatal_conflict = 2,
  missing_bind_info = 3,
  time_mismatch = 4,
  invalid_mclt = 5,
  dup_connection = 7,
  invalid_partner = 8,
  less_critical_bind_info = 16,
  hba_conflict = 18,
};

/// Returns ISC's text for a reject reason (dhcp_failover_reject_reason_print(); isc_wording.hpp).
std::string_view to_string(Reject r);

/// One failover message.
struct Message {
  MessageType type = MessageType::contact;
  std::uint32_t xid = 0;
  core::Instant time{};          ///< sender's clock when sent (CONNECT skew check)
  std::uint32_t connection = 0;  ///< the TCP connection it travels on

  // STATE
  core::State state = core::State::unknown_state;
  bool startup_flag = false;
  core::Instant stos{};

  // BNDUPD / BNDACK
  std::uint32_t lease = 0;  ///< address index in the pool
  core::BindingState binding = core::BindingState::free;
  std::uint32_t client = 0;  ///< client index + 1; 0 = none (no chaddr)
  core::Instant ends{};
  core::Instant potential_expiry{};
  core::Instant cltt{};
  Reject reject = Reject::none;

  // CONNECT / CONNECTACK
  // A message owns what it carries: it outlives its sender when a run is copied (explore).
  std::string relationship;  ///< relationship-name option
  core::Seconds mclt{0};
  std::optional<core::Hba> hba;    ///< hash-bucket-assignment (primary's map)
  std::uint32_t max_unacked = 0;   ///< max-unacked-bndupd
  core::Seconds receive_timer{0};  ///< receive-timer (sender's max-response-delay)

  // POOLRESP
  std::uint32_t count = 0;  ///< addresses-transferred
};

}  // namespace fosim::sim
