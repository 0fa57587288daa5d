// `fosim explore`: random scenarios around one, checked against the protocol's promises.
#include <algorithm>
#include <array>
#include <filesystem>
#include <thread>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/explore.hpp"
#include "fosim/tools/explore_exhaustive.hpp"
#include "fosim/tools/explore_report.hpp"
#include "fosim/tools/explore_shrink.hpp"
#include "fosim/tools/interrupt.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"
#include "fosim/tools/play.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view explore_usage =
    "usage: fosim explore SCENARIO.json --random N [--seed S] [--range KEY=FROM..TO ...]\n"
    "                     [--safety T] [--settle T] [--faults F] [--actions LIST]\n"
    "                     [--lost-storage PCT] [--threads T] [--out DIR] [--no-shrink]\n"
    "                     [--profile P | --compare-profiles]\n"
    "       fosim explore SCENARIO.json --exhaustive --depth K [--actions LIST] [--max-states N]\n"
    "                     [--settle T] [--lost-storage PCT] [--out DIR]\n"
    "                     [--profile P | --compare-profiles]\n\n"
    "Draws N scenarios around SCENARIO from one seed and plays each: its settings drawn\n"
    "within the --range bounds (the others as the scenario has them), and a fault script of 1\n"
    "to F faults (partitions, crashes, kills, stops, freezes, restarts, a start keeping or\n"
    "losing its lease file) that all start and end within the safety phase, followed by the\n"
    "settle bound with every fault undone. No operator partner-down, no auto-partner-down.\n"
    "Each draw is checked: no duplicate address, no lease past the partner's ack + MCLT, both\n"
    "servers in normal the settle bound after the last fault. The first line is the command\n"
    "that plays the whole exploration again; the output is the same whatever --threads is.\n\n"
    "  --random N         how many scenarios to draw (1 to 1000000)\n"
    "  --seed S           the seed every draw derives from (default 1)\n"
    "  --range K=A..B     draw setting K (a key of fosim sweep --vary, except auto_partner_down\n"
    "                     and duration) uniformly from A to B; whole numbers or durations\n"
    "  --safety T         the safety phase, where faults happen (default: the scenario's "
    "duration)\n"
    "  --settle T         the liveness bound after the last fault (default: twice the largest\n"
    "                     MCLT drawn, plus 10m)\n"
    "  --faults F         at most F faults per draw (default 3; 0: none)\n"
    "  --actions LIST     the faults drawn from (default "
    "partition,crash,kill,stop,freeze,restart)\n"
    "  --lost-storage P   the chance in percent that a start or restart loses its lease file\n"
    "                     (default 25)\n"
    "  --threads T        threads (default: every core)\n"
    "  --out DIR          DIR/violation-K.json for each violating draw K (fosim run plays it),\n"
    "                     its report page DIR/violation-K.html, and DIR/explore.json\n"
    "  --no-shrink        keep each violating draw as drawn; by default it is shrunk first:\n"
    "                     whole faults dropped and client groups halved while the same\n"
    "                     invariant still breaks (at most 200 trial runs), the draw as drawn\n"
    "                     kept as DIR/violation-K-drawn.json\n"
    "  --profile P        whose rules both servers follow: isc-4.4 (ISC dhcpd 4.4's, the\n"
    "                     default) or draft-12 (the draft's own); overrides the scenario's\n"
    "  --compare-profiles the same draws (or the same search) under both profiles, side by\n"
    "                     side: which invariants ISC's departures from the draft break or\n"
    "                     keep; no --out (play one with --profile P --out DIR for its files)\n\n"
    "With --exhaustive, no draws: a breadth-first search over every sequence of up to K steps\n"
    "from the moment both servers first stand in normal. A step is an action of --actions that\n"
    "applies there (partition or heal; crash, kill, freeze or stop of a running server and its\n"
    "start or thaw, a start losing its lease file unless --lost-storage 0; a stop plays on to\n"
    "its move to shutdown; partner-down, by an operator, on a server in\n"
    "communications-interrupted, when the list names it) or a wait of max-response-delay, the\n"
    "MCLT, T1, T2 or the lease time, each plus a second. Runs that stand in the same place are\n"
    "explored once, so the sequence printed for each invariant and hazard is a shortest.\n"
    "  --exhaustive       search instead of drawing\n"
    "  --depth K          steps per sequence (1 to 12)\n"
    "  --max-states N     stop, marked incomplete, past N distinct states (default 100000;\n"
    "                     each state kept holds a copy of the run, some 5 KB for 4 clients)\n"
    "  (--actions default for the search: partition,crash; it may add partner-down)\n"
    "  --out DIR          DIR/explore.json, and per invariant broken the shortest sequence as\n"
    "                     DIR/shortest-INVARIANT.json (fosim run plays it) and its report page\n"
    "                     DIR/shortest-INVARIANT.html\n\n"
    "Exit codes: 0 no draw (no searched sequence) violated an invariant the scenario does not\n"
    "list as \"acceptable\" (under either profile, with --compare-profiles); 1 some did; 2 bad\n"
    "input; 130 interrupted (Ctrl-C): the draws that finished are reported and written.";

/// What `fosim explore` is asked for, as typed.
struct ExploreOptions {
  std::string file, seed = "1", safety, settle, actions, out_dir;
  std::vector<std::string> ranges;
  std::size_t draws = 0, faults = 3;
  unsigned lost_storage = 25;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool no_shrink = false;
  bool exhaustive = false;
  std::size_t depth = 0, max_states = 100000;
  std::optional<core::ProfileId> profile;  ///< --profile, when given
  bool compare_profiles = false;
};

std::optional<int> parse_explore_options(const Args& args, Io io, ExploreOptions& o) {
  po::options_description opts("options");
  opts.add_options()("scenario", po::value(&o.file), "scenario file")(
      "random", po::value(&o.draws), "N")("seed", po::value(&o.seed), "S")(
      "range", po::value(&o.ranges), "KEY=FROM..TO")("safety", po::value(&o.safety), "T")(
      "settle", po::value(&o.settle), "T")("faults", po::value(&o.faults), "F")(
      "actions", po::value(&o.actions), "LIST")("lost-storage", po::value(&o.lost_storage), "P")(
      "threads", po::value(&o.threads), "T")("out", po::value(&o.out_dir), "DIR")(
      "no-shrink", po::bool_switch(&o.no_shrink), "")("exhaustive", po::bool_switch(&o.exhaustive),
                                                      "")("depth", po::value(&o.depth), "K")(
      "max-states", po::value(&o.max_states), "N")("profile", po::value<std::string>(), "P")(
      "compare-profiles", po::bool_switch(&o.compare_profiles), "");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "explore", explore_usage, io)) return *rc;
  if (o.file.empty()) return bad_input(io, "explore", "give a scenario file (see --help)");
  if (vm.count("profile") != 0) {
    core::ProfileId id{};
    if (auto rc = read_profile_option(vm, "explore", io, id)) return *rc;
    o.profile = id;
  }
  if (o.compare_profiles && o.profile)
    return bad_input(io, "explore", "give --profile P or --compare-profiles, not both");
  if (o.compare_profiles && vm.count("out") != 0)
    return bad_input(io, "explore",
                     "--compare-profiles prints its table only; for the files, explore one "
                     "profile with --profile P --out DIR");
  if (o.exhaustive) {
    if (vm.count("random") != 0)
      return bad_input(io, "explore", "give --random N or --exhaustive, not both");
    for (const char* other : {"seed", "range", "safety", "faults", "threads"})
      if (vm.count(other) != 0)
        return bad_input(io, "explore",
                         "--" + std::string(other) + " is for --random, not --exhaustive");
    if (o.no_shrink)
      return bad_input(io, "explore", "--no-shrink is for --random, not --exhaustive");
    if (o.depth == 0 || o.depth > 12)
      return bad_input(io, "explore", "--exhaustive needs --depth K, K from 1 to 12");
    if (o.max_states == 0) return bad_input(io, "explore", "--max-states must be at least 1");
    if (o.lost_storage > 100) return bad_input(io, "explore", "--lost-storage must be 0 to 100");
    return std::nullopt;
  }
  if (vm.count("random") == 0 || o.draws == 0 || o.draws > 1000000)
    return bad_input(io, "explore", "--random N is needed, N from 1 to 1000000");
  if (o.threads == 0 || o.threads > 1024)
    return bad_input(io, "explore", "--threads must be 1 to 1024");
  if (o.faults > 100) return bad_input(io, "explore", "--faults must be 0 to 100");
  if (o.lost_storage > 100) return bad_input(io, "explore", "--lost-storage must be 0 to 100");
  if (vm.count("out") != 0 && o.out_dir.empty())
    return bad_input(io, "explore", "--out needs a path");
  return std::nullopt;
}

/// Reads --actions into `kinds`; what is wrong with it, if anything.
std::optional<std::string> read_actions(const std::string& text, std::vector<FaultKind>& kinds) {
  std::string valid;
  for (const std::string_view n : fault_kind_names)
    valid += (valid.empty() ? "" : ", ") + std::string(n);
  if (text.empty()) {
    for (std::size_t k = 0; k < fault_kind_names.size(); ++k)
      kinds.push_back(static_cast<FaultKind>(k));
    return std::nullopt;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    const auto at = std::find(fault_kind_names.begin(), fault_kind_names.end(), name);
    if (at == fault_kind_names.end())
      return "--actions: unknown fault '" + name + "' (valid: " + valid + ")";
    const auto kind = static_cast<FaultKind>(at - fault_kind_names.begin());
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end())
      return "--actions: " + name + " is given twice";
    kinds.push_back(kind);
    start = comma + 1;
  }
  return std::nullopt;
}

/// A --safety / --settle duration; what is wrong with it, if anything.
std::optional<std::string> read_duration(const std::string& option, const std::string& text,
                                         core::Duration& d) {
  const auto v = sim::parse_duration(text);
  if (!v || v->count() % 1000 != 0 || v->count() <= 0)
    return "--" + option + " '" + text + "': expected whole seconds > 0 or a duration such as 2h";
  d = *v;
  return std::nullopt;
}

/// Builds the exploration from the options; an exit code when it cannot be played.
std::optional<int> plan_explore(const ExploreOptions& o, Io io, ExploreSpec& spec) {
  const auto seed = parse_seed(o.seed);
  if (!seed) return bad_input(io, "explore", "--seed '" + o.seed + "': expected 0 to 2^64-1");
  spec.seed = *seed;
  spec.draws = o.draws;
  spec.scenario_file = o.file;
  spec.max_faults = o.faults;
  spec.lost_storage_percent = o.lost_storage;
  if (auto problem = read_actions(o.actions, spec.kinds)) return bad_input(io, "explore", *problem);
  const sim::LoadResult loaded = sim::load_scenario(o.file);
  if (!loaded.scenario) {
    for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
    return exit_bad_input;
  }
  spec.base = prepare_base(*loaded.scenario);
  spec.profile = o.profile;
  if (o.profile) spec.base.profile = *o.profile;
  for (const sim::ServerSpec& s : loaded.scenario->servers)
    if (s.config.auto_partner_down_s.value_or(0) > 0)
      io.err << "fosim explore: note: " << s.host
             << "'s auto_partner_down is off in every draw (with it the protocol promises no "
                "safety)\n";
  for (const std::string& text : o.ranges) {
    std::string error;
    auto r = parse_range(text, error);
    if (!r) return bad_input(io, "explore", error);
    for (const ExploreRange& other : spec.ranges)
      if (other.key == r->key)
        return bad_input(io, "explore", "--range " + r->key + " is given twice");
    if (auto problem = check_range(spec.base, *r)) return bad_input(io, "explore", *problem);
    spec.ranges.push_back(std::move(*r));
  }
  spec.safety = spec.base.duration;
  if (!o.safety.empty())
    if (auto problem = read_duration("safety", o.safety, spec.safety))
      return bad_input(io, "explore", *problem);
  spec.settle = default_settle(spec);
  if (!o.settle.empty())
    if (auto problem = read_duration("settle", o.settle, spec.settle))
      return bad_input(io, "explore", *problem);
  if (!o.out_dir.empty())
    if (auto error = check_output_dir(o.out_dir)) return bad_input(io, "explore", error->message);
  return std::nullopt;
}

/// Each violating draw shrunk (or as drawn, with `no_shrink`), in draw order.
std::vector<ShrinkResult> shrink_violations(const ExploreSpec& spec,
                                            const std::vector<DrawOutcome>& outcomes,
                                            bool no_shrink) {
  std::vector<ShrinkResult> out;
  for (const DrawOutcome& o : outcomes)
    if (!o.violated.empty())
      out.push_back(shrink_draw(draw_scenario(spec, o.index), o, no_shrink ? 0 : 200));
  return out;
}

/// Plays the reproducer `scenario` (written as `file`) into its report page, the same name
/// ending in .html; an error message, if any.
std::optional<std::string> write_page(const sim::Scenario& scenario, std::filesystem::path file) {
  PlayOptions play_options;
  play_options.html_file = file.replace_extension(".html");
  const PlayResult played = play(scenario, scenario.seed, play_options);
  if (played.error) return played.error->message;
  return std::nullopt;
}

/// Writes DIR/explore.json and a scenario file per violating draw (shrunk, and as drawn when
/// shrinking changed it); an error message, if any.
std::optional<std::string> write_explore_outputs(const ExploreSpec& spec,
                                                 const std::vector<DrawOutcome>& outcomes,
                                                 const std::vector<ShrinkResult>& shrunk,
                                                 const std::string& out_dir) {
  OutputFiles files;
  const std::filesystem::path dir(out_dir);
  if (auto error = files.make_dir(dir)) return error->message;
  for (const ShrinkResult& r : shrunk) {
    files.set(dir / violation_file(r.draw.index), sim::write_scenario(r.draw.scenario));
    if (r.trials > 0)
      files.set(dir / drawn_file(r.draw.index),
                sim::write_scenario(draw_scenario(spec, r.draw.index).scenario));
  }
  files.set(dir / "explore.json", explore_json(spec, outcomes, true, shrunk));
  if (auto error = files.commit()) return error->message;
  for (const ShrinkResult& r : shrunk)
    if (auto error = write_page(r.draw.scenario, dir / violation_file(r.draw.index))) return error;
  return std::nullopt;
}

/// Whether any shortest sequence of `result` breaks an invariant `base` does not accept.
bool breaks_promise(const sim::Scenario& base, const SearchResult& result) {
  for (const auto& ce : result.shortest)
    if (ce && !acceptable(base, ce->invariant)) return true;
  return false;
}

/// `--exhaustive --compare-profiles`: the same search under each profile, one table each.
int compare_searches(SearchSpec search, Io io) {
  bool violated = false;
  for (const core::ProfileId id : {core::ProfileId::isc_4_4, core::ProfileId::draft_12}) {
    search.base.profile = id;
    SearchResult result;
    try {
      result = search_faults(search);
    } catch (const std::exception& e) {
      return bad_input(io, "explore", e.what());
    }
    io.out << "under " << core::to_string(id) << ": searched from "
           << duration_text(result.root - core::Instant{})
           << ", when both servers first stood in normal\n"
           << search_table(search, result);
    violated = violated || breaks_promise(search.base, result);
  }
  return violated ? exit_no : exit_ok;
}

/// `--random --compare-profiles`: the same draws under each profile, and where they part.
int compare_draws(const ExploreSpec& spec, unsigned threads, Io io) {
  io.out << explore_command(spec) << " --compare-profiles\n" << std::flush;
  std::array<std::vector<DrawOutcome>, 2> outcomes;
  bool interrupted = false;
  {
    const InterruptGuard ctrl_c;
    for (std::size_t k = 0; k < 2 && !ctrl_c.interrupted(); ++k) {
      ExploreSpec under = spec;
      under.base.profile = k == 0 ? core::ProfileId::isc_4_4 : core::ProfileId::draft_12;
      try {
        outcomes[k] = run_explore(under, threads, ctrl_c.flag());
      } catch (const std::exception& e) {
        return bad_input(io, "explore", e.what());
      }
    }
    interrupted = ctrl_c.interrupted() && outcomes[1].size() < spec.draws;
  }
  io.out << profile_table(outcomes[0], outcomes[1]);
  if (interrupted) {
    io.out << "interrupted: " << outcomes[1].size() << " of " << spec.draws
           << " draws finished under both profiles\n";
    return exit_interrupted;
  }
  for (const auto& under : outcomes)
    for (const DrawOutcome& o : under)
      for (const Invariant v : o.violated)
        if (!acceptable(spec.base, v)) return exit_no;
  return exit_ok;
}

/// `--exhaustive`: the breadth-first search and its table.
int search_command(ExploreOptions options, Io io) {
  SearchSpec search;
  std::string actions = options.actions.empty() ? "partition,crash" : options.actions;
  std::string kinds;
  std::size_t start = 0;
  while (start <= actions.size()) {
    const std::size_t comma = std::min(actions.find(',', start), actions.size());
    const std::string name = actions.substr(start, comma - start);
    if (name == "partner-down")
      search.partner_down = true;
    else
      kinds += (kinds.empty() ? "" : ",") + name;
    start = comma + 1;
  }
  options.actions = kinds;
  options.draws = 1;
  ExploreSpec spec;
  if (kinds.empty()) options.actions = "partition";
  if (auto rc = plan_explore(options, io, spec)) return *rc;
  if (kinds.empty()) spec.kinds.clear();
  for (const FaultKind k : spec.kinds)
    if (k != FaultKind::partition && k != FaultKind::crash && k != FaultKind::kill &&
        k != FaultKind::stop && k != FaultKind::freeze)
      return bad_input(io, "explore",
                       "--exhaustive searches partition, crash, kill, stop, freeze and "
                       "partner-down; not " +
                           std::string(fault_kind_names[static_cast<std::size_t>(k)]));
  search.base = spec.base;
  search.kinds = spec.kinds;
  search.depth = options.depth;
  search.max_states = options.max_states;
  search.lost_storage = options.lost_storage > 0;
  search.settle = spec.settle;
  io.out << "fosim explore " << shell_word(options.file) << " --exhaustive --depth "
         << options.depth << " --actions " << actions << " --lost-storage "
         << (search.lost_storage ? options.lost_storage : 0) << " --settle "
         << duration_text(search.settle) << " --max-states " << options.max_states
         << (options.profile ? " --profile " + std::string(core::to_string(*options.profile))
                             : std::string())
         << (options.compare_profiles ? " --compare-profiles" : "") << "\n"
         << std::flush;
  if (options.compare_profiles) return compare_searches(search, io);
  SearchResult result;
  try {
    result = search_faults(search);
  } catch (const std::exception& e) {
    return bad_input(io, "explore", e.what());
  }
  if (!options.out_dir.empty()) {
    const std::filesystem::path dir(options.out_dir);
    std::vector<sim::Scenario> scenarios;
    for (const auto& ce : result.shortest)
      if (ce) scenarios.push_back(counter_example_scenario(search, result, *ce));
    OutputFiles files;
    if (auto error = files.make_dir(dir)) return bad_input(io, "explore", error->message);
    std::size_t k = 0;
    for (const auto& ce : result.shortest)
      if (ce)
        files.set(dir / counter_example_file(ce->invariant), sim::write_scenario(scenarios[k++]));
    files.set(dir / "explore.json", search_json(search, result, true));
    if (auto error = files.commit()) return bad_input(io, "explore", error->message);
    k = 0;
    for (const auto& ce : result.shortest)
      if (ce)
        if (auto error = write_page(scenarios[k++], dir / counter_example_file(ce->invariant)))
          return bad_input(io, "explore", *error);
  }
  io.out << "searched from " << duration_text(result.root - core::Instant{})
         << ", when both servers first stood in normal\n";
  io.out << search_table(search, result);
  const bool violated = breaks_promise(search.base, result);
  for (const auto& ce : result.shortest) {
    if (!ce) continue;
    if (!options.out_dir.empty())
      io.out << "  fosim run "
             << shell_word(
                    (std::filesystem::path(options.out_dir) / counter_example_file(ce->invariant))
                        .string())
             << "\n";
  }
  return violated ? exit_no : exit_ok;
}

}  // namespace

int cmd_explore(const Args& args, Io io) {
  ExploreOptions options;
  if (auto rc = parse_explore_options(args, io, options)) return *rc;
  if (options.exhaustive) return search_command(options, io);
  ExploreSpec spec;
  if (auto rc = plan_explore(options, io, spec)) return *rc;
  if (options.compare_profiles) return compare_draws(spec, options.threads, io);
  io.out << explore_command(spec) << "\n" << std::flush;

  std::vector<DrawOutcome> outcomes;
  bool interrupted = false;
  {
    const InterruptGuard ctrl_c;
    try {
      outcomes = run_explore(spec, options.threads, ctrl_c.flag());
    } catch (const std::exception& e) {
      return bad_input(io, "explore", e.what());
    }
    interrupted = ctrl_c.interrupted() && outcomes.size() < spec.draws;
  }
  const std::vector<ShrinkResult> shrunk = shrink_violations(spec, outcomes, options.no_shrink);
  if (!options.out_dir.empty())
    if (auto problem = write_explore_outputs(spec, outcomes, shrunk, options.out_dir))
      return bad_input(io, "explore", *problem);
  io.out << explore_violations(spec, outcomes, options.out_dir);
  for (const ShrinkResult& r : shrunk) io.out << shrink_line(r) << "\n";
  io.out << explore_table(spec, outcomes);
  if (interrupted) {
    io.out << "interrupted: " << outcomes.size() << " of " << spec.draws << " draws finished\n";
    return exit_interrupted;
  }
  for (const DrawOutcome& o : outcomes)
    for (const Invariant v : o.violated)
      if (!acceptable(spec.base, v)) return exit_no;
  return exit_ok;
}

}  // namespace fosim::tools
