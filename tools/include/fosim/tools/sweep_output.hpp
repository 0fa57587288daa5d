// What a sweep writes: sweep.csv (a row per run), sweep.json (everything, and what
// `fosim merge` reads back), JUnit XML (a test case per point and expectation), the HTML page
// and the summary on stdout. Every output is a pure function of the result, so a merged set of
// shards writes the same bytes as the sweep run in one piece. Written in tools/src/sweep/:
// sweep_points.cpp (the verdicts and per-point figures), sweep_json_csv.cpp, sweep_junit.cpp,
// sweep_page.cpp, sweep_summary.cpp and sweep_merge.cpp (reading sweep.json back and merging
// shards).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/tools/sweep.hpp"

namespace fosim::tools {

/// A sweep's result: its shape and the runs that finished, in run order.
struct SweepResult {
  SweepShape shape;
  std::vector<RunMetrics> runs;
  std::optional<Shard> shard;  ///< set when this is one shard's result
  bool interrupted = false;    ///< stopped (Ctrl-C) before every run finished
  std::string source;          ///< the file it was read from (merge messages), if any
};

/// How one expectation fared at one point, over its seeds.
struct ExpectationVerdict {
  std::string what;
  std::size_t passed = 0, runs = 0;
  std::vector<std::uint64_t> failed_seeds;
  std::string first_observed;  ///< what the first failing run showed
};

/// How one point fared.
struct PointVerdict {
  std::size_t point = 0;
  std::size_t runs = 0;  ///< finished runs (shape.seeds.size() when complete)
  std::vector<ExpectationVerdict> expectations;
  bool holds() const;  ///< every expectation held in every finished run
};

/// The verdict of every point, in point order.
std::vector<PointVerdict> verdicts(const SweepResult& r);

/// Returns sweep.json: the shape, every run, and (unless a shard's) each point's figures.
std::string sweep_json(const SweepResult& r);
/// Returns sweep.csv: a header and a row per run, in run order.
std::string sweep_csv(const SweepResult& r);
/// Returns the JUnit XML: a test suite per scenario, a test case per point and expectation.
std::string sweep_junit(const SweepResult& r);
/// Returns the self-contained HTML page: failing points, heatmap and line chart.
std::string sweep_html(const SweepResult& r);

/// Returns the summary fosim sweep and fosim merge print: the failing points first, then a
/// line per point (up to 200), then the verdict.
std::string sweep_summary(const SweepResult& r);

/// Reads a sweep.json back; nothing, with `error`, when it is not one.
std::optional<SweepResult> read_sweep_json(std::string_view text, const std::string& file,
                                           std::string& error);

/// Combines shard results of one sweep into the whole; nothing, with `error`, when they are
/// of different sweeps, overlap, or leave runs missing.
std::optional<SweepResult> merge_sweeps(const std::vector<SweepResult>& shards, std::string& error);

}  // namespace fosim::tools
