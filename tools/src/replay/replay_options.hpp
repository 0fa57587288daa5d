// Internal to fosim replay: its command line, read and checked before any log is opened, and
// the two things the options bring in before the logs are read: the dhcpd.conf pair (--config)
// and the --what-if assignments, each checked against a stand-in scenario.
//
// Every function that can refuse its input writes one line to stderr and returns the exit code
// (`exit_bad_input`, or `exit_ok` after --help); nothing means go on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fosim/core/time.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/tools/cli.hpp"

namespace fosim::tools::detail {

/// One log file named on the command line.
struct LogFile {
  std::string file;
  std::string server;  ///< the host --server NAME=FILE puts all its lines under ("" = theirs)
};

/// What `fosim replay` was asked to do, every value checked.
struct ReplayOptions {
  std::vector<LogFile> logs;          ///< the positional files first, then each --server
  std::vector<std::string> configs;   ///< none, or the primary's and the secondary's dhcpd.conf
  std::vector<std::string> what_ifs;  ///< KEY=VALUE assignments, each key once
  std::string primary;                ///< --primary HOST ("" = the configuration's or the first)
  std::string relationship;           ///< --relationship NAME ("" = the first the log names)
  std::string out_dir;                ///< --out DIR ("" = none)
  std::string html_file;              ///< --html FILE ("" = none)
  std::string format = "text";        ///< the timeline on stdout: text or jsonl
  int year = 1970;                    ///< the year of the first classic syslog line
  bool year_given = false;            ///< whether --year was given
  std::optional<core::Seconds> lease_time;  ///< --lease-time, whole seconds
  std::uint64_t seed = 1;                   ///< the seed of the what-if runs
  bool include_dhcp = true;                 ///< false with --no-dhcp
  bool quiet = false;                       ///< --quiet: the summary only
};

/// Parses and checks the command line into `o`; prints `usage` for --help.
std::optional<int> read_options(const Args& args, std::string_view usage, Io io, ReplayOptions& o);

/// Sets `config` from the options, with the --config pair read as a scenario would read it.
std::optional<int> replay_config(const ReplayOptions& o, Io io, sim::ReplayConfig& config);

/// Checks every --what-if assignment on a stand-in pair, so a typo fails before the logs are
/// read (an assignment to a host the log has not named yet passes).
std::optional<int> check_what_ifs(const std::vector<std::string>& what_ifs, Io io);

}  // namespace fosim::tools::detail
