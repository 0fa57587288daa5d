// `fosim sweep` and `fosim merge`: regression-test configuration choices over many runs.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"
#include "fosim/tools/sweep.hpp"
#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view sweep_usage =
    "usage: fosim sweep SCENARIO.json... [--vary KEY=VALUES ...] [--seeds SEEDS] [--jobs N]\n"
    "                   [--out DIR] [--junit FILE] [--html FILE] [--shard K/N] [--no-progress]\n\n"
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
    "  --no-progress      no progress on stderr (a bar on a terminal, else a line per 10 %)\n\n"
    "Exit codes: 0 every expectation held at every point; 1 some did not (the failing points\n"
    "are listed first; a shard, for its own runs); 2 bad input; 130 interrupted (Ctrl-C):\n"
    "what finished is written.";

constexpr std::string_view merge_usage =
    "usage: fosim merge DIR... --out DIR [--junit FILE] [--html FILE]\n\n"
    "Combines the DIR/sweep.json of every shard of one sweep (fosim sweep --shard K/N) into the\n"
    "result of the whole sweep, written as fosim sweep writes it: the same bytes as the sweep run\n"
    "in one piece. Refuses results of different sweeps, overlapping shards and missing runs.\n\n"
    "Exit codes: 0 every expectation held at every point; 1 some did not; 2 bad input.";

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) { interrupted.store(true); }

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fmt(const std::optional<double>& v, int digits) {
  if (!v) return "-";
  char t[32];
  std::snprintf(t, sizeof t, "%.*f", digits, *v);
  return t;
}

/// The summary on stdout: failing points first, then a line per point (up to 200).
void print_summary(std::ostream& out, const SweepResult& r) {
  const auto verdict = verdicts(r);
  std::size_t failing = 0;
  for (const PointVerdict& v : verdict)
    for (const ExpectationVerdict& e : v.expectations)
      if (!e.failed_seeds.empty()) {
        if (failing++ == 0) out << "FAILING:\n";
        std::string seeds;
        for (std::size_t k = 0; k < e.failed_seeds.size() && k < 10; ++k)
          seeds += (k ? ", " : "") + std::to_string(e.failed_seeds[k]);
        if (e.failed_seeds.size() > 10) seeds += ", ...";
        out << "  " << r.shape.label(v.point) << ": " << e.what << ": failed for "
            << e.failed_seeds.size() << " of " << e.runs << " seeds (" << seeds
            << "); first observed: " << e.first_observed << "\n";
      }
  std::vector<std::vector<const RunMetrics*>> runs(r.shape.point_count());
  for (const RunMetrics& m : r.runs) runs[m.point].push_back(&m);
  if (r.shape.point_count() <= 200) {
    out << "\npoint: availability min/median, unanswered median, duplicates max, time in "
           "partner-down median (s), "
           "lease times median, expectations met\n";
    for (std::size_t p = 0; p < runs.size(); ++p) {
      std::vector<double> avail, unanswered, dups, pd, lease;
      std::size_t met = 0, total = 0;
      for (const RunMetrics* m : runs[p]) {
        avail.push_back(m->availability);
        unanswered.push_back(static_cast<double>(m->unanswered));
        dups.push_back(static_cast<double>(m->duplicates));
        pd.push_back(m->partner_down_s);
        if (m->lease_median_s) lease.push_back(static_cast<double>(*m->lease_median_s));
        for (const auto& e : m->expectations) met += e.passed ? 1 : 0, ++total;
      }
      auto stat = [](std::vector<double> v, int which) -> std::optional<double> {
        if (v.empty()) return std::nullopt;
        std::sort(v.begin(), v.end());
        return which < 0 ? v.front() : which > 0 ? v.back() : v[(v.size() - 1) / 2];
      };
      out << "  " << r.shape.label(p) << ": " << fmt(stat(avail, -1), 4) << "/"
          << fmt(stat(avail, 0), 4) << ", " << fmt(stat(unanswered, 0), 0) << ", "
          << fmt(stat(dups, 1), 0) << ", " << fmt(stat(pd, 0), 0) << ", " << fmt(stat(lease, 0), 0)
          << " s, " << met << "/" << total << (verdict[p].holds() ? "" : "  FAILS") << "\n";
    }
  }
  out << (failing == 0 ? "every expectation holds at every point\n"
                       : std::to_string(failing) + " expectation(s) fail at some point\n");
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

int verdict_code(const SweepResult& r) {
  for (const PointVerdict& v : verdicts(r))
    if (!v.holds()) return exit_no;
  return exit_ok;
}

}  // namespace

int cmd_sweep(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> files, vary;
  std::string seeds_text = "1", out_dir, junit, html, shard_text;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("scenarios", po::value(&files), "scenario files")(
      "vary", po::value(&vary), "KEY=VALUES")("seeds", po::value(&seeds_text), "seeds")(
      "jobs", po::value(&jobs), "threads")("out", po::value(&out_dir), "directory")(
      "junit", po::value(&junit), "JUnit XML file")("html", po::value(&html), "HTML file")(
      "shard", po::value(&shard_text), "K/N")("no-progress", "no progress on stderr");
  po::positional_options_description pos;
  pos.add("scenarios", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "sweep", sweep_usage, io)) return *rc;
  if (files.empty())
    return bad_input(io, "sweep", "give one or more scenario files (see fosim sweep --help)");
  for (const char* option : {"out", "junit", "html"})
    if (vm.count(option) != 0 && vm[option].as<std::string>().empty())
      return bad_input(io, "sweep", "--" + std::string(option) + " needs a path");
  if (jobs == 0 || jobs > 1024) return bad_input(io, "sweep", "--jobs must be 1 to 1024");
  SweepSpec spec;
  std::string error;
  for (const std::string& v : vary) {
    auto p = parse_vary(v, error);
    if (!p) return bad_input(io, "sweep", "--vary " + error);
    spec.shape.parameters.push_back(std::move(*p));
  }
  auto seeds = parse_seeds(seeds_text, error);
  if (!seeds) return bad_input(io, "sweep", error);
  spec.shape.seeds = *seeds;
  Shard shard;
  if (vm.count("shard") != 0) {
    const auto s = parse_shard(shard_text);
    if (!s)
      return bad_input(
          io, "sweep",
          "--shard '" + shard_text + "' is not valid; valid: K/N with 1 <= K <= N <= 1000000");
    shard = *s;
    if (!junit.empty() || !html.empty())
      return bad_input(
          io, "sweep",
          "--junit and --html go with the whole sweep: fosim merge the shards, then ask for them");
    if (out_dir.empty())
      return bad_input(io, "sweep", "--shard needs --out DIR, for fosim merge to read");
  }
  for (const std::string& f : files) {
    const sim::LoadResult loaded = sim::load_scenario(f);
    if (!loaded.scenario) {
      for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
      return exit_bad_input;
    }
    if (std::find(spec.shape.scenario_names.begin(), spec.shape.scenario_names.end(),
                  loaded.scenario->name) != spec.shape.scenario_names.end())
      return bad_input(io, "sweep",
                       f + ": a second scenario named '" + loaded.scenario->name +
                           "'; give it its own \"name\"");
    spec.shape.scenario_names.push_back(loaded.scenario->name);
    spec.shape.scenario_fingerprints.push_back(fingerprint(*loaded.scenario));
    spec.scenarios.push_back(*loaded.scenario);
  }
  if (auto problem = check_sweep(spec)) return bad_input(io, "sweep", *problem);
  if (auto problem = check_shard(spec, shard)) return bad_input(io, "sweep", *problem);
  if (auto problem = check_destinations(out_dir, {junit, html}))
    return bad_input(io, "sweep", *problem);

  // Progress on stderr; Ctrl-C stops new runs and keeps what finished.
  const bool show = vm.count("no-progress") == 0;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto started = std::chrono::steady_clock::now();
  std::size_t last_tenth = 0;
  auto progress = [&](std::size_t done, std::size_t total) {
    if (!show) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double eta =
        done == 0 ? 0 : elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    char line[160];
    if (tty) {
      const std::size_t width = 30, filled = total == 0 ? width : done * width / total;
      std::snprintf(line, sizeof line, "\r[%s%s] %zu/%zu runs, %.0f s, ETA %.0f s ",
                    std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                    done, total, elapsed, eta);
      io.err << line << (done == total ? "\n" : "") << std::flush;
    } else if (done * 10 / total > last_tenth || done == total) {
      last_tenth = done * 10 / total;
      std::snprintf(line, sizeof line,
                    "fosim sweep: %zu/%zu runs (%zu %%), %.0f s, about %.0f s left\n", done, total,
                    done * 100 / total, elapsed, eta);
      io.err << line << std::flush;
    }
  };
  interrupted = false;
  struct sigaction action {
  }, previous{};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous);
  SweepResult result;
  result.shape = spec.shape;
  if (vm.count("shard") != 0) result.shard = shard;
  try {
    result.runs = run_sweep(spec, shard, jobs, interrupted, progress);
  } catch (const std::exception& e) {
    ::sigaction(SIGINT, &previous, nullptr);
    io.err << "fosim sweep: " << e.what() << "\n";
    return exit_bad_input;
  }
  ::sigaction(SIGINT, &previous, nullptr);
  std::size_t expected = 0;
  for (std::size_t i = shard.index - 1; i < spec.shape.run_count(); i += shard.count) ++expected;
  result.interrupted = result.runs.size() < expected;
  if (result.interrupted && show && tty) io.err << "\n";
  if (result.interrupted)
    io.err << "fosim sweep: interrupted: " << result.runs.size() << " of " << expected
           << " runs finished; writing them\n";
  if (auto problem = write_outputs(result, out_dir, junit, html))
    return bad_input(io, "sweep", *problem);
  if (result.shard) {
    // A shard's directory holds only what fosim merge reads; a page from an earlier whole sweep
    // would mislead.
    std::error_code ignored;
    std::filesystem::remove(std::filesystem::path(out_dir) / "sweep.html", ignored);
  }
  io.out << "fosim sweep: " << spec.shape.scenario_names.size() << " scenario(s) x "
         << spec.shape.point_count() / spec.shape.scenario_names.size() << " point(s) x "
         << spec.shape.seeds.size() << " seed(s) = " << spec.shape.run_count() << " runs";
  if (result.shard)
    io.out << "; shard " << shard.index << "/" << shard.count << ": " << result.runs.size()
           << " runs";
  io.out << "\n";
  if (!result.shard) print_summary(io.out, result);
  if (result.interrupted) {
    io.out << "interrupted: the verdict covers the " << result.runs.size() << " of " << expected
           << " runs that finished\n";
    return 130;
  }
  return verdict_code(result);
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
  print_summary(io.out, *merged);
  return verdict_code(*merged);
}

}  // namespace fosim::tools
