// play(): a scenario played into a run directory, with errors as values.
#include "fosim/tools/play.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "fosim/formats/leases_write.hpp"
#include "fosim/sim/trace.hpp"
#include "fosim/tools/report.hpp"
#include "fosim/tools/state_graph.hpp"

namespace fosim::tools {

namespace fs = std::filesystem;

/// The sinks a run reports to: the caller's (if any) and the streamed timeline.jsonl.
struct PlayTraces {
  PlayTraces(std::ostream& timeline, std::vector<std::string> hosts, sim::TraceSink* also)
      : file(timeline, std::move(hosts)) {
    if (also != nullptr) tee.add(also);
    tee.add(&file);
  }
  sim::JsonlTimeline file;
  sim::TeeTrace tee;
};

namespace {

/// summary.json: the run's figures and the verdict on each expectation.
std::string summary_json(const sim::Simulator& s, std::uint64_t seed,
                         const std::vector<sim::ExpectationResult>& verdict) {
  nlohmann::ordered_json summary = sim::summarize(s, seed);
  nlohmann::ordered_json expectations = nlohmann::ordered_json::array();
  for (const auto& r : verdict)
    expectations.push_back(
        {{"expectation", r.what}, {"passed", r.passed}, {"observed", r.observed}});
  summary["expectations"] = expectations;
  return summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

/// states.dot: the state diagram with the moves of the run (and the operator's) highlighted.
std::string states_dot(const sim::Simulator& s) {
  GraphOptions options;
  options.profile = s.scenario().profile;
  StateGraph g = build_state_graph(options);
  TransitionCounts counts, forced;
  for (std::size_t i = 0; i < 2; ++i) {
    for (const auto& [pair, n] : s.stats().transitions[i]) counts[pair] += n;
    for (const auto& [pair, n] : s.stats().operator_moves[i]) forced[pair] += n;
  }
  highlight_transitions(g, counts, forced);
  return to_dot(g);
}

/// A scratch run directory for a report asked without one, removed with this object.
class ScratchDir {
 public:
  ScratchDir() = default;
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  /// Makes the directory; an error when it cannot be made.
  std::optional<FileError> make() {
    std::error_code ec;
    std::string templ = (fs::temp_directory_path(ec) / "fosim-run-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
      return FileError{templ,
                       "cannot create a scratch directory: " + std::string(std::strerror(errno))};
    path_ = templ;
    return std::nullopt;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

std::optional<FileError> check_play_outputs(const PlayOptions& options) {
  if (!options.out_dir.empty()) {
    // Checked, not made: a run that ends in an error or a Ctrl-C leaves no directory behind.
    if (auto error = check_output_dir(options.out_dir)) return error;
    std::error_code ec;
    if (fs::is_directory(options.out_dir, ec))
      for (const char* name : run_dir_files)
        if (auto error = check_output(options.out_dir / name)) return error;
  }
  if (!options.html_file.empty()) return check_output(options.html_file);
  return std::nullopt;
}

PlayResult play_into(const sim::Scenario& scenario, std::uint64_t seed,
                     std::optional<core::Instant> until, const fs::path& dir, OutputFiles& files,
                     sim::TraceSink* trace, const std::atomic<bool>* stop) {
  PlayResult result;
  for (const char* name : run_dir_files)
    if ((result.error = files.add(dir / name))) return result;
  // The timeline goes to its temporary as the run goes: a large run's does not fit in memory.
  const fs::path timeline = dir / "timeline.jsonl";
  if ((result.error = files.open(timeline))) return result;
  result.traces = std::make_shared<PlayTraces>(
      files.stream(timeline),
      std::vector<std::string>{scenario.servers[0].host, scenario.servers[1].host}, trace);
  result.traces->file.set_start(scenario.start_utc_ms);
  result.run = std::make_unique<sim::Simulator>(scenario, seed, &result.traces->tee);
  if (!result.run->run(until, stop)) {
    result.interrupted = true;
    return result;
  }
  result.verdict = sim::check_expectations(*result.run);
  files.set(dir / "summary.json", summary_json(*result.run, seed, result.verdict));
  files.set(dir / "states.dot", states_dot(*result.run));
  files.set(dir / "dhcpd-primary.leases", sim::run_lease_file(*result.run, 0));
  files.set(dir / "dhcpd-secondary.leases", sim::run_lease_file(*result.run, 1));
  return result;
}

PlayResult play(const sim::Scenario& scenario, std::uint64_t seed, const PlayOptions& options) {
  PlayResult result;
  if ((result.error = check_play_outputs(options))) return result;
  ScratchDir scratch;
  fs::path dir = options.out_dir;
  if (dir.empty() && !options.html_file.empty()) {
    if ((result.error = scratch.make())) return result;
    dir = scratch.path();
  }
  if (dir.empty()) {
    result.run = std::make_unique<sim::Simulator>(scenario, seed, options.trace);
    result.interrupted = !result.run->run(options.until, options.stop);
    result.verdict = sim::check_expectations(*result.run);
    return result;
  }
  OutputFiles files;
  if ((result.error = files.make_dir(dir))) return result;
  result = play_into(scenario, seed, options.until, dir, files, options.trace, options.stop);
  if (result.interrupted) return result;  // `files` removes every temporary
  if (!result.error) result.error = files.commit();
  if (!result.error && !options.html_file.empty())
    result.error = write_report_file(dir, options.html_file, result.report_note);
  return result;
}

std::optional<FileError> write_report_file(const fs::path& run_dir, const fs::path& output,
                                           std::string& note) {
  std::string error;
  const std::optional<RunFiles> run = read_run_dir(run_dir, error);
  if (!run) return FileError{run_dir, error};
  const nlohmann::ordered_json data = report_data(*run, FOSIM_VERSION);
  std::string dot_error;
  const std::optional<std::string> svg = render_svg(run->states_dot, dot_error);
  note.clear();
  if (!svg) note = "No state diagram: " + dot_error + ". states.dot in the run directory has it.";
  OutputFiles files;
  if (auto refused = files.add(output)) return refused;
  files.set(output, report_html(data, svg.value_or(""), note));
  return files.commit();
}

}  // namespace fosim::tools
