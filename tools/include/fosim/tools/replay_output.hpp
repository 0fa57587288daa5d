// What `fosim replay` prints and writes: the rebuilt timeline with its findings as the log is
// read, the summary, the what-if comparison, and the run directory files.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/trace.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/output_files.hpp"
#include "fosim/tools/play.hpp"

namespace fosim::tools {

class ReplayOutput {
 public:
  ReplayOutput(Io io, std::string out_dir, std::string html_file, std::string format,
               bool include_dhcp, bool quiet);
  ~ReplayOutput();
  ReplayOutput(const ReplayOutput&) = delete;
  ReplayOutput& operator=(const ReplayOutput&) = delete;

  /// Checks and creates the output directory and opens the streamed timeline; an exit code
  /// when that fails.
  std::optional<int> open();
  /// Where the replay sends its events.
  sim::TraceSink* sink();
  /// The replay whose hosts name the events.
  void attach(const sim::Replay& replay) { replay_ = &replay; }
  /// Prints the findings the last line brought.
  void after_line();
  /// The next line's header is of format `f`: its events are shown at the log's own clock
  /// (classic syslog's "Nov  4 07:12:03", an ISO date in UTC) and the time since the first line;
  /// lines without a clock of their own (bare, fosim's timeline) at the time since the first.
  void before_line(sim::LogFormat f) { line_format_ = f; }
  /// Prints the summary of what the logs show.
  void summary(const sim::Replay& replay, std::uint64_t read, std::uint64_t understood,
               const std::vector<std::string>& notes);
  /// Plays the outage as logged and with `what_ifs`, prints them side by side with the log,
  /// and writes the scenarios and runs under the output directory. Exit code.
  int what_if(sim::Scenario sc, const std::vector<std::string>& notes,
              const std::vector<std::string>& what_ifs, const sim::Replay& replay);
  /// Writes summary.json, states.dot, the timeline and the HTML report; an exit code on failure.
  std::optional<int> finish(const sim::Replay& replay);

 private:
  class Sink;
  /// Refuses a file, or a directory fosim did not write, where a what-if run would go.
  std::optional<int> check_run_dirs();
  /// Plays one what-if run, into the output directory's `name` when it keeps runs.
  PlayResult play_run(const char* name, const sim::Scenario& sc);
  Io io_;
  std::string out_dir_, html_file_, format_;
  bool include_dhcp_, quiet_;
  std::optional<std::filesystem::path> scratch_;
  OutputFiles files_;  ///< everything under the output directory, committed by finish()
  std::unique_ptr<Sink> sink_;
  const sim::Replay* replay_ = nullptr;
  sim::LogFormat line_format_ = sim::LogFormat::bare;
  std::size_t findings_shown_ = 0;
  std::vector<std::string> notes_;
  std::optional<std::string> scenario_json_, what_if_json_;
};

}  // namespace fosim::tools
