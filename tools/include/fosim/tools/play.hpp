// Playing a scenario into a run directory, as a library call.
//
// `fosim run --out`, `fosim replay --what-if --out` and their --html all need the same thing:
// a scenario played with a seed, its timeline streamed to DIR/timeline.jsonl as the run goes,
// and DIR/summary.json, DIR/states.dot (the state diagram with the run's moves highlighted) and
// each server's lease file as dhcpd would hold it at the end (DIR/dhcpd-primary.leases,
// DIR/dhcpd-secondary.leases) written when it ends, all of them or none (see
// output_files.hpp), then the HTML report when asked. These functions do that and hand back what
// happened as values: the finished simulator for the caller's own printing, the verdict on the
// scenario's `expect` block, and the file that could not be written. They never print and never
// exit.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/output_files.hpp"

namespace fosim::tools {

/// What to play besides the scenario and its seed, and where its files go.
struct PlayOptions {
  std::optional<core::Instant> until;  ///< where the run stops (default: the scenario's end)
  std::filesystem::path out_dir;       ///< the run directory, made if missing; empty for none
  std::filesystem::path html_file;     ///< the HTML report (`fosim report`); empty for none
  sim::TraceSink* trace = nullptr;     ///< also given every event as the run goes (may be null)
  const std::atomic<bool>* stop = nullptr;  ///< when it turns true, the run stops, nothing written
};

struct PlayTraces;

/// What a play did.
struct PlayResult {
  std::shared_ptr<PlayTraces> traces;           ///< where the run reported, kept as long as it
  std::unique_ptr<sim::Simulator> run;          ///< the finished run; null if it never started
  std::vector<sim::ExpectationResult> verdict;  ///< the scenario's expectations, checked
  std::optional<FileError> error;               ///< what could not be written (then nothing was)
  std::string report_note;   ///< why the HTML report has no state diagram; empty when it has one
  bool interrupted = false;  ///< the run was stopped before its end; no file was written
};

/// The names of a run directory's files, in the order they are written.
inline constexpr const char* run_dir_files[] = {"timeline.jsonl", "summary.json", "states.dot",
                                                "dhcpd-primary.leases", "dhcpd-secondary.leases"};

/// Checks the outputs `options` asks for before anything runs: the run directory (never made
/// here), each of its files and the HTML file (absent or a
/// regular file, in a directory).
std::optional<FileError> check_play_outputs(const PlayOptions& options);

/// Plays `scenario` with `seed` into `options.out_dir` and `options.html_file` (the report of
/// a run with no directory is made from a scratch one). `scenario` must outlive the result.
PlayResult play(const sim::Scenario& scenario, std::uint64_t seed, const PlayOptions& options);

/// Plays `scenario` with `seed` to `until`, its run directory files going into `dir` as part
/// of `files`, which the caller commits with its own outputs. `trace` may be null.
PlayResult play_into(const sim::Scenario& scenario, std::uint64_t seed,
                     std::optional<core::Instant> until, const std::filesystem::path& dir,
                     OutputFiles& files, sim::TraceSink* trace = nullptr,
                     const std::atomic<bool>* stop = nullptr);

/// Writes the HTML report of run directory `run_dir` to `output`; `note` says why the page has
/// no state diagram (Graphviz missing), empty when it has one.
std::optional<FileError> write_report_file(const std::filesystem::path& run_dir,
                                           const std::filesystem::path& output, std::string& note);

}  // namespace fosim::tools
