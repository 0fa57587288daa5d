// Internal to fosim replay: the log files read line by line, merged in time order and fed to
// the replay engine, with what was left out counted for the warnings and notes.
//
// Every function that can refuse its input writes one line to stderr and returns
// `exit_bad_input`; nothing means go on.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fosim/formats/dhcpd_diagnosis.hpp"
#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/replay_output.hpp"
#include "log_reader.hpp"
#include "replay_options.hpp"

namespace fosim::tools::detail {

/// One log file being read.
struct Source {
  std::string file;
  std::string server;  ///< forced host name ("" = the lines' own)
  LogReader in;
  std::size_t line = 0;
  int year = 1970;
  std::optional<std::int64_t> last_ms;
  std::string text;  ///< the current line
  // The next understood line, when there is one.
  bool ready = false;
  std::int64_t time_ms = 0;
  std::string host;
  sim::LogFormat format = sim::LogFormat::bare;  ///< how the line's header was written
  std::optional<std::uint64_t> pid;              ///< the line's process id, when its header has one
  sim::RunEventBody event;
  std::string message;
  std::size_t event_line = 0;
  std::vector<std::string> hosts_in_lines;  ///< the hosts the lines name (up to 3)
  std::uint64_t understood = 0;
  std::uint64_t lease_lines = 0;  ///< lines written as a lease file writes them
};

/// The first line of one of ISC's diagnoses, and how many lines carried it.
struct DiagnosisSeen {
  std::uint64_t count = 0;
  std::string where;    ///< FILE:LINE of the first
  std::string message;  ///< its words
};

/// What reading all the files came to.
struct LogCounts {
  std::uint64_t read = 0, understood = 0, other = 0, bad_time = 0, malformed = 0;
  bool classic = false, bare = false, timed = false;
  std::vector<std::string> warnings;  ///< the first few lines left out, FILE:LINE: why
  std::map<sim::Diagnosis, DiagnosisSeen> diagnoses;
};

/// Opens every log of `o` into `sources`, refusing a directory and the same file twice.
std::optional<int> open_logs(const ReplayOptions& o, Io io, std::vector<Source>& sources);

/// Feeds every understood line of `sources` to `replay`, earliest first, printing the findings
/// as they come, then finishes the replay and prints the warnings.
std::optional<int> read_logs(std::vector<Source>& sources, sim::Replay& replay, ReplayOutput& out,
                             LogCounts& counts, Io io);

/// Refuses logs that held no dhcpd line, and a --primary that is not one of their servers.
std::optional<int> check_logs_read(const std::vector<Source>& sources, const LogCounts& counts,
                                   const sim::Replay& replay, const ReplayOptions& o, Io io);

/// Returns the replay's notes with what the reading adds: lines left out, files that held
/// nothing, host names --server overrode, and the times the lines could not give.
std::vector<std::string> log_notes(const std::vector<Source>& sources, const LogCounts& counts,
                                   const sim::Replay& replay, const ReplayOptions& o);

}  // namespace fosim::tools::detail
