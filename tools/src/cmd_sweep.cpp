// `fosim sweep` and `fosim merge`: regression-test configuration choices over many runs.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/interrupt.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"
#include "fosim/tools/sweep.hpp"
#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view sweep_usage =
    "usage: fosim sweep SCENARIO.json... [--vary KEY=VALUES ...] [--seeds SEEDS] [--jobs N]\n"
    "                   [--out DIR] [--junit FILE] [--html FILE] [--shard K/N] [--no-progress]\n"
    "                   [--profile P]\n\n"
    "Plays every scenario at every point of the grid of varied settings (the cartesian product\n"
    "of the --vary values) with every seed, on N threads, and reports per point, over the seeds\n"
    "(min / median / max): availability, unanswered client attempts, duplicate addresses, time\n"
    "to normal after the last heal, time in partner-down, lease times granted, pool exhaustion,\n"
    "the primary's share of the ACKs, and how many seeds met each of the scenario's `expect`s.\n"
    "Each run is deterministic and has a fixed place in the sweep, so the output does not\n"
    "depend on --jobs, and shards merged with fosim merge give the bytes of an unsharded sweep.\n\n"
    "  --vary K=V,V,...   a setting and its values: mclt, split, auto_partner_down,\n"
    "  --vary K=A..B:S    max_response_delay, load_balance_max_seconds, max_unacked_updates,\n"
    "                     ..., default_lease_time (as fosim replay --what-if; primary.K for one\n"
    "                     server); a range runs from A to B in steps of S (1 if left out;\n"
    "                     durations allowed)\n"
    "  --seeds S          7, 1,5,9 or 1..20 (default 1)\n"
    "  --jobs N           threads (default: every core)\n"
    "  --out DIR          DIR/sweep.csv (a row per run), DIR/sweep.json, DIR/sweep.html\n"
    "  --junit FILE       JUnit XML: a test case per point and expectation\n"
    "  --html FILE        the HTML page (heatmaps, line charts) elsewhere than DIR\n"
    "  --shard K/N        play only the K-th of N slices (run i when i mod N = K-1); its\n"
    "                     DIR/sweep.json is for fosim merge\n"
    "  --no-progress      no progress on stderr (a bar on a terminal, else a line per 10 %)\n"
    "  --profile P        whose rules both servers follow in every run: isc-4.4 (ISC dhcpd\n"
    "                     4.4's, the default) or draft-12 (the draft's own); overrides each\n"
    "                     scenario's \"profile\"\n\n"
    "Exit codes: 0 every expectation held at every point; 1 some did not (the failing points\n"
    "are listed first; a shard, for its own runs); 2 bad input; 130 interrupted (Ctrl-C):\n"
    "what finished is written.";

constexpr std::string_view merge_usage =
    "usage: fosim merge DIR... --out DIR [--junit FILE] [--html FILE]\n\n"
    "Combines the DIR/sweep.json of every shard of one sweep (fosim sweep --shard K/N) into the\n"
    "result of the whole sweep, written as fosim sweep writes it: the same bytes as the sweep run\n"
    "in one piece. Refuses results of different sweeps, overlapping shards and missing runs.\n\n"
    "Exit codes: 0 every expectation held at every point; 1 some did not; 2 bad input.";

/// The whole of file `p`; nothing when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Writes the outputs a result asks for; an error message when one cannot be written.
std::optional<std::string> write_outputs(const SweepResult& r, const std::string& out_dir,
                                         const std::string& junit, const std::string& html) {
  OutputFiles files;
  if (!out_dir.empty()) {
    const std::filesystem::path dir(out_dir);
    files.set(dir / "sweep.json", sweep_json(r));
    files.set(dir / "sweep.csv", sweep_csv(r));
    if (!r.shard) files.set(dir / "sweep.html", sweep_html(r));
  }
  if (!junit.empty()) files.set(junit, sweep_junit(r));
  if (!html.empty()) files.set(html, sweep_html(r));
  if (auto error = files.commit()) return error->message;
  return std::nullopt;
}

/// Checks that DIR can be made and every output written (a file to create or replace, in a
/// directory that exists), before a long sweep starts.
std::optional<std::string> check_destinations(const std::string& out_dir,
                                              const std::vector<std::string>& files) {
  std::vector<std::filesystem::path> outputs;
  if (!out_dir.empty()) {
    if (auto error = make_output_dir(out_dir)) return error->message;
    for (const char* name : {"sweep.json", "sweep.csv", "sweep.html"})
      outputs.push_back(std::filesystem::path(out_dir) / name);
  }
  for (const std::string& f : files)
    if (!f.empty()) outputs.emplace_back(f);
  for (const std::filesystem::path& f : outputs)
    if (auto error = check_output(f)) return error->message;
  return std::nullopt;
}

/// 0 when every expectation holds at every point, else 1.
int verdict_code(const SweepResult& r) {
  for (const PointVerdict& v : verdicts(r))
    if (!v.holds()) return exit_no;
  return exit_ok;
}

/// What `fosim sweep` is asked for on its command line.
struct SweepOptions {
  std::vector<std::string> files;          ///< the scenario files
  std::vector<std::string> vary;           ///< each --vary KEY=VALUES, as given
  std::string seeds_text = "1";            ///< --seeds, as given
  std::string out_dir, junit, html;        ///< where the outputs go; empty when not asked for
  std::string shard_text;                  ///< --shard K/N, as given
  bool sharded = false;                    ///< --shard was given
  bool progress = true;                    ///< progress on stderr (no --no-progress)
  std::optional<core::ProfileId> profile;  ///< --profile, when given
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());  ///< threads
};

/// Parses the command line into `o`; an exit code when the command ends here (--help, or
/// options that are wrong on their own).
std::optional<int> parse_sweep_options(const Args& args, Io io, SweepOptions& o) {
  po::options_description opts("options");
  opts.add_options()("scenarios", po::value(&o.files), "scenario files")(
      "vary", po::value(&o.vary), "KEY=VALUES")("seeds", po::value(&o.seeds_text), "seeds")(
      "jobs", po::value(&o.jobs), "threads")("out", po::value(&o.out_dir), "directory")(
      "junit", po::value(&o.junit), "JUnit XML file")("html", po::value(&o.html), "HTML file")(
      "shard", po::value(&o.shard_text), "K/N")("no-progress", "no progress on stderr")(
      "profile", po::value<std::string>(), "isc-4.4 or draft-12");
  po::positional_options_description pos;
  pos.add("scenarios", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "sweep", sweep_usage, io)) return *rc;
  if (o.files.empty())
    return bad_input(io, "sweep", "give one or more scenario files (see fosim sweep --help)");
  for (const char* option : {"out", "junit", "html"})
    if (vm.count(option) != 0 && vm[option].as<std::string>().empty())
      return bad_input(io, "sweep", "--" + std::string(option) + " needs a path");
  if (o.jobs == 0 || o.jobs > 1024) return bad_input(io, "sweep", "--jobs must be 1 to 1024");
  o.sharded = vm.count("shard") != 0;
  o.progress = vm.count("no-progress") == 0;
  if (vm.count("profile") != 0) {
    core::ProfileId id{};
    if (auto rc = read_profile_option(vm, "sweep", io, id)) return *rc;
    o.profile = id;
  }
  return std::nullopt;
}

/// Reads the varied settings and the seeds into `shape`; what is wrong with them, if anything.
std::optional<std::string> read_grid(const SweepOptions& o, SweepShape& shape) {
  std::string error;
  for (const std::string& v : o.vary) {
    auto p = parse_vary(v, error);
    if (!p) return "--vary " + error;
    shape.parameters.push_back(std::move(*p));
  }
  auto seeds = parse_seeds(o.seeds_text, error);
  if (!seeds) return error;
  shape.seeds = *seeds;
  return std::nullopt;
}

/// Reads --shard, if given, and checks what goes with it; what is wrong, if anything.
std::optional<std::string> read_shard(const SweepOptions& o, Shard& shard) {
  if (!o.sharded) return std::nullopt;
  const auto s = parse_shard(o.shard_text);
  if (!s)
    return "--shard '" + o.shard_text + "' is not valid; valid: K/N with 1 <= K <= N <= 1000000";
  shard = *s;
  if (!o.junit.empty() || !o.html.empty())
    return "--junit and --html go with the whole sweep: fosim merge the shards, then ask for them";
  if (o.out_dir.empty()) return "--shard needs --out DIR, for fosim merge to read";
  return std::nullopt;
}

/// Loads every scenario into `spec`, under --profile when given; an exit code when one cannot
/// be played.
std::optional<int> load_scenarios(const SweepOptions& o, Io io, SweepSpec& spec) {
  for (const std::string& f : o.files) {
    sim::LoadResult loaded = sim::load_scenario(f);
    if (!loaded.scenario) {
      for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
      return exit_bad_input;
    }
    if (o.profile) loaded.scenario->profile = *o.profile;
    if (std::find(spec.shape.scenario_names.begin(), spec.shape.scenario_names.end(),
                  loaded.scenario->name) != spec.shape.scenario_names.end())
      return bad_input(io, "sweep",
                       f + ": a second scenario named '" + loaded.scenario->name +
                           "'; give it its own \"name\"");
    spec.shape.scenario_names.push_back(loaded.scenario->name);
    spec.shape.scenario_fingerprints.push_back(fingerprint(*loaded.scenario));
    spec.scenarios.push_back(*loaded.scenario);
  }
  return std::nullopt;
}

/// Builds the sweep to play and the shard of it; an exit code when it cannot be played or
/// its outputs cannot be written.
std::optional<int> plan_sweep(const SweepOptions& o, Io io, SweepSpec& spec, Shard& shard) {
  if (auto problem = read_grid(o, spec.shape)) return bad_input(io, "sweep", *problem);
  if (auto problem = read_shard(o, shard)) return bad_input(io, "sweep", *problem);
  if (auto rc = load_scenarios(o, io, spec)) return *rc;
  if (auto problem = check_sweep(spec)) return bad_input(io, "sweep", *problem);
  if (auto problem = check_shard(spec, shard)) return bad_input(io, "sweep", *problem);
  if (auto problem = check_destinations(o.out_dir, {o.junit, o.html}))
    return bad_input(io, "sweep", *problem);
  return std::nullopt;
}

/// The progress on stderr: a bar on a terminal, else a line per tenth of the runs.
class ProgressReport {
 public:
  /// Starts the clock; `shown` false makes every update a no-op.
  ProgressReport(bool shown, std::ostream& err)
      : shown_(shown), tty_(::isatty(STDERR_FILENO) != 0), err_(err) {}

  /// Reports `done` of `total` runs finished.
  void update(std::size_t done, std::size_t total) {
    if (!shown_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double eta =
        done == 0 ? 0 : elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    char line[160];
    if (tty_) {
      const std::size_t width = 30, filled = total == 0 ? width : done * width / total;
      std::snprintf(line, sizeof line, "\r[%s%s] %zu/%zu runs, %.0f s, ETA %.0f s ",
                    std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                    done, total, elapsed, eta);
      err_ << line << (done == total ? "\n" : "") << std::flush;
    } else if (done * 10 / total > last_tenth_ || done == total) {
      last_tenth_ = done * 10 / total;
      std::snprintf(line, sizeof line,
                    "fosim sweep: %zu/%zu runs (%zu %%), %.0f s, about %.0f s left\n", done, total,
                    done * 100 / total, elapsed, eta);
      err_ << line << std::flush;
    }
  }

  /// Whether the progress is a bar that a later line must start below.
  bool draws_bar() const { return shown_ && tty_; }

 private:
  bool shown_, tty_;
  std::ostream& err_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::size_t last_tenth_ = 0;
};

/// Plays the runs of `shard`; Ctrl-C stops new runs and keeps what finished. Nothing, with
/// the reason on stderr, when the sweep could not be played.
std::optional<std::vector<RunMetrics>> play_interruptibly(const SweepSpec& spec, Shard shard,
                                                          unsigned jobs, ProgressReport& progress,
                                                          Io io) {
  const InterruptGuard ctrl_c;
  std::vector<RunMetrics> runs;
  try {
    runs = run_sweep(spec, shard, jobs, ctrl_c.flag(),
                     [&](std::size_t done, std::size_t total) { progress.update(done, total); });
  } catch (const std::exception& e) {
    io.err << "fosim sweep: " << e.what() << "\n";
    return std::nullopt;
  }
  return runs;
}

/// How many runs the shard of `r` (or the whole sweep) holds.
std::size_t expected_runs(const SweepResult& r) {
  const Shard shard = r.shard.value_or(Shard{});
  std::size_t n = 0;
  for (std::size_t i = shard.index - 1; i < r.shape.run_count(); i += shard.count) ++n;
  return n;
}

/// The result of the runs of `shard` (nothing: the whole sweep) that finished; interrupted
/// when some did not.
SweepResult result_of(const SweepSpec& spec, std::optional<Shard> shard,
                      std::vector<RunMetrics> runs) {
  SweepResult r;
  r.shape = spec.shape;
  r.shard = shard;
  r.runs = std::move(runs);
  r.interrupted = r.runs.size() < expected_runs(r);
  return r;
}

/// Says on stderr that the sweep was interrupted and what of it is written.
void warn_interrupted(const SweepResult& r, const ProgressReport& progress, Io io) {
  if (progress.draws_bar()) io.err << "\n";
  io.err << "fosim sweep: interrupted: " << r.runs.size() << " of " << expected_runs(r)
         << " runs finished; writing them\n";
}

/// Writes a sweep's outputs; a shard's directory keeps only what fosim merge reads. An error
/// message when one cannot be written.
std::optional<std::string> write_sweep_outputs(const SweepResult& r, const SweepOptions& o) {
  if (auto problem = write_outputs(r, o.out_dir, o.junit, o.html)) return problem;
  if (r.shard) {
    // A page from an earlier whole sweep would mislead.
    std::error_code ignored;
    std::filesystem::remove(std::filesystem::path(o.out_dir) / "sweep.html", ignored);
  }
  return std::nullopt;
}

/// Prints what was played and the verdict, and returns the exit code: 130 when interrupted.
int report_sweep(const SweepResult& r, Io io) {
  io.out << "fosim sweep: " << r.shape.scenario_names.size() << " scenario(s) x "
         << r.shape.point_count() / r.shape.scenario_names.size() << " point(s) x "
         << r.shape.seeds.size() << " seed(s) = " << r.shape.run_count() << " runs";
  if (r.shard)
    io.out << "; shard " << r.shard->index << "/" << r.shard->count << ": " << r.runs.size()
           << " runs";
  io.out << "\n";
  if (!r.shard) io.out << sweep_summary(r);
  if (r.interrupted) {
    io.out << "interrupted: the verdict covers the " << r.runs.size() << " of " << expected_runs(r)
           << " runs that finished\n";
    return 130;
  }
  return verdict_code(r);
}

}  // namespace

int cmd_sweep(const Args& args, Io io) {
  SweepOptions options;
  if (auto rc = parse_sweep_options(args, io, options)) return *rc;
  SweepSpec spec;
  Shard shard;
  if (auto rc = plan_sweep(options, io, spec, shard)) return *rc;

  ProgressReport progress(options.progress, io.err);
  auto runs = play_interruptibly(spec, shard, options.jobs, progress, io);
  if (!runs) return exit_bad_input;
  const SweepResult result =
      result_of(spec, options.sharded ? std::optional(shard) : std::nullopt, std::move(*runs));
  if (result.interrupted) warn_interrupted(result, progress, io);
  if (auto problem = write_sweep_outputs(result, options)) return bad_input(io, "sweep", *problem);
  return report_sweep(result, io);
}

int cmd_merge(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> dirs;
  std::string out_dir, junit, html;
  opts.add_options()("dirs", po::value(&dirs), "shard directories")(
      "out", po::value(&out_dir), "directory")("junit", po::value(&junit), "JUnit XML file")(
      "html", po::value(&html), "HTML file");
  po::positional_options_description pos;
  pos.add("dirs", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "merge", merge_usage, io)) return *rc;
  if (dirs.empty())
    return bad_input(io, "merge", "give the shards' output directories (see fosim merge --help)");
  if (out_dir.empty()) return bad_input(io, "merge", "--out DIR is needed");
  for (const char* option : {"junit", "html"})
    if (vm.count(option) != 0 && vm[option].as<std::string>().empty())
      return bad_input(io, "merge", "--" + std::string(option) + " needs a path");
  if (auto problem = check_destinations(out_dir, {junit, html}))
    return bad_input(io, "merge", *problem);
  std::vector<SweepResult> shards;
  for (const std::string& d : dirs) {
    const std::filesystem::path file = std::filesystem::path(d) / "sweep.json";
    const auto text = read_file(file);
    if (!text) return bad_input(io, "merge", "cannot read " + file.string());
    std::string error;
    auto r = read_sweep_json(*text, file.string(), error);
    if (!r) return bad_input(io, "merge", error);
    shards.push_back(std::move(*r));
  }
  std::string error;
  auto merged = merge_sweeps(shards, error);
  if (!merged) return bad_input(io, "merge", error);
  if (auto problem = write_outputs(*merged, out_dir, junit, html))
    return bad_input(io, "merge", *problem);
  io.out << "fosim merge: " << shards.size() << " result(s), " << merged->runs.size() << " runs\n";
  io.out << sweep_summary(*merged);
  return verdict_code(*merged);
}

}  // namespace fosim::tools
