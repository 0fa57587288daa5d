// Internal to Replay: what it knows of each server as the lines come (replay.cpp keeps it up
// to date, replay_check.cpp checks each move against ISC's machine with it).
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/failover_machine.hpp"
#include "fosim/replay/replay.hpp"

namespace fosim::sim {

struct Replay::Peer {
  core::PeerView view;
  bool known = false;        ///< a state line has been seen
  bool has_partner = false;  ///< a "peer moves" line has been seen
  /// The partner's state before the last "peer moves".
  core::State partner_before = core::State::unknown_state;
  bool connected = false;  ///< the link is up, as far as the log says
  std::optional<core::Instant> link_lost_at;
  std::optional<core::Instant> update_done_at;
  std::deque<std::pair<core::State, core::State>> expected;  ///< further moves of the last step
  Cause expected_cause = Cause::none;
  std::optional<core::Instant> last_line;
  std::optional<core::Instant> shutdown_at;
  std::optional<core::Instant> pd_since;  ///< in partner-down since (duplicate-risk window)
  std::optional<core::Instant> boot_at;   ///< the last start ("I move from ... to startup")
  std::optional<std::uint64_t> pid;       ///< the process id of its last line, when known
  bool start_lines = false;  ///< a banner or a new pid since its last move: a process started
  std::optional<core::Instant> last_line_before_start;  ///< the old process's last line
  bool risk_reported = false;
  bool role_guessed = false;  ///< its role is a guess that a later configured server may correct
};

/// The role of the server that logs as `host`, by the known configuration (replay_roles.cpp):
/// the server whose own failover `address` is `host`, or whose partner's `peer address` is (an
/// address, or a host name also without its domain), or whose scenario host name it is; nothing
/// when none is.
std::optional<core::Role> configured_role(const Scenario& known, std::string_view host);

}  // namespace fosim::sim
