// Internal to Replay: what it knows of each server as the lines come (replay.cpp keeps it up
// to date, replay_check.cpp checks each move against ISC's machine with it).
#pragma once

#include <deque>
#include <optional>
#include <utility>

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
  std::optional<core::Instant> boot_at;   ///< the last "I move from ... to startup"
  bool risk_reported = false;
};

}  // namespace fosim::sim
