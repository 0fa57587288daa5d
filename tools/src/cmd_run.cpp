// `fosim run`: play a scenario out and report what the two servers and the clients did.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "fosim/formats/leases_load.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/interrupt.hpp"
#include "fosim/tools/omapi_view.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_estimate.hpp"
#include "fosim/tools/play.hpp"
#include "fosim/tools/report.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim run SCENARIO.json [--seed N] [--until T] [--out DIR] [--html FILE]\n"
    "                 [--config PRIMARY.conf --config SECONDARY.conf] [--format F]\n"
    "                 [--leases PRIMARY.leases --leases SECONDARY.leases]\n"
    "                 [--quiet] [--no-dhcp] [--max-output SIZE] [--profile P]\n"
    "       fosim run SCENARIO.json --omapi-at T [--omapi-at T2 ...] [--numbering isc|isc3]\n\n"
    "Plays a scenario out in simulated time: two ISC dhcpd 4.4 failover servers, their pool,\n"
    "the clients and the script of outages and operator actions. Prints the timeline in ISC's\n"
    "own log wording (plus fosim's annotations), then a summary, and checks the scenario's\n"
    "`expect` block. The same scenario and seed always give byte-identical output.\n\n"
    "  --seed N        overrides the scenario's seed\n"
    "  --until T       stop early, e.g. 90m (default: the scenario's duration)\n"
    "  --out DIR       also write DIR/timeline.jsonl, DIR/summary.json, DIR/states.dot\n"
    "                  (the state diagram with the transitions this run took highlighted) and\n"
    "                  DIR/dhcpd-primary.leases, DIR/dhcpd-secondary.leases (each server's\n"
    "                  lease file at the end, as dhcpd writes it)\n"
    "  --html FILE     also write the run's HTML report (as `fosim report DIR -o FILE`)\n"
    "  --config FILE   twice: the primary's and the secondary's dhcpd.conf, in place of the\n"
    "                  scenario's servers and pool: every pool of the failover peer is played,\n"
    "                  and the summary gives each one's figures (see fosim check)\n"
    "  --leases FILE   twice: the primary's and the secondary's dhcpd.leases; each server\n"
    "                  starts from its file (failover state, stos, bindings), in place of the\n"
    "                  scenario's `leases` keys; time 0 is one second after the files' last\n"
    "                  recorded moment (see docs/leases.md)\n"
    "  --format F      the timeline on stdout as text (default), jsonl, or the lines ISC would\n"
    "                  log as syslog stores them: syslog (classic BSD) or rfc5424 (with ms);\n"
    "                  no summary follows jsonl, syslog or rfc5424 (fosim replay reads them)\n"
    "  --quiet         no timeline on stdout, only the summary and the verdict\n"
    "  --no-dhcp       leave DHCP lines out of the text timeline (failover events only)\n"
    "  --max-output SIZE  the most the run may write (stdout's timeline and the files), e.g.\n"
    "                  500M, 20G or unlimited (default 1G): a run estimated to write more is\n"
    "                  refused before it starts, with the estimate\n"
    "  --profile P     whose rules both servers follow: isc-4.4 (ISC dhcpd 4.4's, the default)\n"
    "                  or draft-12 (the draft's own); overrides the scenario's \"profile\"\n"
    "  --omapi-at T    instead of the timeline: each server's OMAPI failover-state object at\n"
    "                  simulated time T, as omshell shows it (repeatable)\n"
    "  --numbering N   states in the OMAPI view in ISC 4.x numbers (isc, default) or in the\n"
    "                  ISC 3.0.x numbers of the 3.0 manual and the Perl module (isc3)\n\n"
    "Exit codes: 0 ran and every expectation held; 1 an expectation failed (named on\n"
    "stderr); 2 bad input (the file, the JSON path and what would be valid are named), or an\n"
    "output that could not be written; 130 interrupted (Ctrl-C): the run stops where it is and\n"
    "no output file is written or left half-written (a second Ctrl-C quits at once).";

/// With several pools: each pool's ACKs and, on each server, its FREE / BACKUP / ACTIVE count.
void print_pools(std::ostream& out, const sim::Simulator& s) {
  const std::vector<sim::PoolFigures> pools = sim::pool_figures(s);
  out << "pools: " << pools.size() << "\n";
  for (const sim::PoolFigures& f : pools) {
    out << "  " << sim::pool_name(f.spec) << ": " << f.addresses << " addresses, "
        << f.servers[0].acks + f.servers[1].acks << " ACKs";
    for (std::size_t i = 0; i < 2; ++i)
      out << "; " << s.server(i).host() << " " << f.servers[i].acks << " ACKs, free "
          << f.servers[i].leases[0] << " backup " << f.servers[i].leases[1] << " active "
          << f.servers[i].leases[2];
    out << "\n";
  }
}

/// The clients' side: who went without a valid lease, and the renewals refused meanwhile.
void print_impact(std::ostream& out, const sim::ClientImpact& im) {
  auto secs = [](core::Duration d) { return static_cast<double>(d.count()) / 1000.0; };
  out << "clients without a valid lease: " << im.without_lease.size() << " ("
      << im.lost_address.size() << " lost their address)";
  if (!im.without_lease.empty())
    out << ", worst " << secs(im.worst()) << " s, median " << secs(im.median()) << " s";
  out << "\nrenewals refused while the lease held: " << im.refused_nak + im.refused_unanswered
      << " (" << im.refused_nak << " NAK, " << im.refused_unanswered << " unanswered) from "
      << im.refused_clients.size() << (im.refused_clients.size() == 1 ? " client\n" : " clients\n");
}

void print_summary(std::ostream& out, const sim::Simulator& s, std::uint64_t seed) {
  const sim::RunStats& st = s.stats();
  out << "\n== summary: " << s.scenario().name << ", seed " << seed << ", "
      << sim::format_time(s.now()) << " simulated"
      << (s.scenario().start_utc_ms
              ? " from " + sim::format_utc(*s.scenario().start_utc_ms) + " UTC"
              : std::string())
      << ", " << st.events << " events\n";
  for (std::size_t i = 0; i < 2; ++i) {
    const sim::Server& srv = s.server(i);
    out << srv.host() << " (" << core::to_string(srv.config().role)
        << "): " << (srv.running() ? "" : "dhcpd not running, last ")
        << core::to_string(srv.view().state) << ", partner " << core::to_string(srv.view().partner)
        << "; " << srv.stats().acks << " ACKs (" << srv.stats().grants_new << " new, "
        << srv.stats().grants_renew << " renew, " << srv.stats().grants_rebind << " rebind)\n";
  }
  out << "clients: " << st.answered << " of " << st.attempts << " exchanges answered (availability "
      << sim::availability(st) << ")\n";
  if (!s.scenario().more_pools.empty()) print_pools(out, s);
  print_impact(out, st.impact);
  out << "lease times granted:";
  for (const auto& [secs, n] : st.lease_times) out << " " << secs << "s x" << n;
  out << "\n";
  if (st.last_heal) {
    out << "time from the last heal to both normal: ";
    if (st.normal_after_heal)
      out << static_cast<double>((*st.normal_after_heal - *st.last_heal).count()) / 1000.0
          << " s\n";
    else
      out << "not reached\n";
  }
  for (const sim::Recovery& r : st.recoveries) {
    out << "time to both normal after the " << sim::to_string(r.action)
        << (r.server < 0 ? std::string()
                         : " of " + s.server(static_cast<std::size_t>(r.server)).host())
        << " at " << sim::format_time(r.at) << ": ";
    if (r.normal)
      out << static_cast<double>((*r.normal - r.at).count()) / 1000.0 << " s\n";
    else
      out << "not reached\n";
  }
  out << "duplicate addresses: " << st.duplicates.size() << "\n";
  for (const sim::Duplicate& d : st.duplicates)
    out << "  " << sim::format_time(d.at) << " " << sim::format_ip(d.ip) << ": client " << d.client
        << " from " << s.server(d.server).host() << ", client " << d.other_client << " from "
        << s.server(d.other_server).host() << " (since " << sim::format_time(d.other_granted)
        << ")\n";
  if (st.mclt_violations != 0) out << "MCLT violations: " << st.mclt_violations << "\n";
  const std::vector<std::vector<std::pair<std::int64_t, std::string>>> changes{
      run_changes(s.stats(), 0), run_changes(s.stats(), 1)};
  const std::int64_t end_ms = s.now().time_since_epoch().count();
  out << "\n"
      << ascii_swimlanes({s.scenario().servers[0].host, s.scenario().servers[1].host},
                         {bands_from_changes("startup", changes[0], end_ms),
                          bands_from_changes("startup", changes[1], end_ms)},
                         end_ms, 100);
}

/// The timeline on stdout as the run goes, in `format`.
std::unique_ptr<sim::TraceSink> screen_timeline(const sim::Scenario& sc, const std::string& format,
                                                bool include_dhcp, Io io) {
  std::vector<std::string> hosts{sc.servers[0].host, sc.servers[1].host};
  if (format == "jsonl") {
    auto t = std::make_unique<sim::JsonlTimeline>(io.out, hosts);
    t->set_start(sc.start_utc_ms);
    return t;
  }
  if (format == "syslog" || format == "rfc5424") {
    auto t = std::make_unique<sim::SyslogTimeline>(io.out, hosts, format == "rfc5424");
    t->set_start(sc.start_utc_ms);
    return t;
  }
  auto t = std::make_unique<sim::TextTimeline>(io.out, hosts, include_dhcp);
  t->set_start(sc.start_utc_ms);
  return t;
}

/// Names each failed expectation on stderr (and counts them on stdout for text); the exit code.
int verdict(const std::vector<sim::ExpectationResult>& results, bool text, Io io) {
  bool all = true;
  for (const auto& r : results) {
    if (!r.passed) {
      all = false;
      io.err << "fosim run: expectation failed: " << r.what << " (observed: " << r.observed
             << ")\n";
    }
  }
  if (text && !results.empty())
    io.out << "expectations: " << (all ? "all " : "")
           << std::count_if(results.begin(), results.end(), [](const auto& r) { return r.passed; })
           << " of " << results.size() << " hold\n";
  return all ? exit_ok : exit_no;
}

/// `--omapi-at T...`: each server's failover-state object at each T (a fresh run to each).
int omapi_view(const po::variables_map& vm, const sim::Scenario& sc, std::uint64_t seed, Io io) {
  if (vm.count("omapi-at") == 0) return bad_input(io, "run", "--numbering goes with --omapi-at T");
  for (const char* other : {"out", "html", "until", "quiet", "no-dhcp", "format"})
    if (vm.count(other) != 0)
      return bad_input(io, "run",
                       "--omapi-at prints the OMAPI view only; leave out --" + std::string(other));
  core::Numbering numbering = core::Numbering::isc;
  if (vm.count("numbering") != 0) {
    const std::string n = vm["numbering"].as<std::string>();
    if (n == "isc3")
      numbering = core::Numbering::isc3;
    else if (n != "isc")
      return bad_input(io, "run", "--numbering '" + n + "' is not valid; valid: isc, isc3");
  }
  std::vector<core::Instant> times;
  for (const std::string& t : vm["omapi-at"].as<std::vector<std::string>>()) {
    const auto d = sim::parse_duration(t);
    if (!d || *d > sc.duration)
      return bad_input(io, "run",
                       "--omapi-at '" + t +
                           "' is not valid; valid: a time from 0 to the scenario's end (" +
                           sim::format_time(core::Instant{sc.duration}) + "), e.g. 90m");
    times.push_back(core::Instant{*d});
  }
  for (std::size_t k = 0; k < times.size(); ++k) {
    sim::Simulator s(sc, seed, nullptr);
    s.run(times[k]);
    for (std::size_t i = 0; i < 2; ++i)
      io.out << (k + i ? "\n" : "") << omapi_failover_state(s, i, numbering);
  }
  return exit_ok;
}

/// Prints the scenario's warnings and notes, and its errors when it did not load.
void print_load_messages(const sim::LoadResult& loaded, Io io) {
  for (const sim::ScenarioError& w : loaded.warnings)
    io.err << "warning: " << sim::format(w) << "\n";
  for (const sim::ScenarioError& n : loaded.notes)
    io.err << "note: " << n.file << (n.line ? ":" + std::to_string(n.line) : "") << ": "
           << n.message << "\n";
  if (!loaded.scenario)
    for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
}

/// `--until T`: a positive time up to the scenario's end; an exit code when it is not.
std::optional<int> parse_until(const std::string& until_text, const sim::Scenario& sc,
                               std::optional<core::Instant>& until, Io io) {
  const auto d = sim::parse_duration(until_text);
  if (!d || d->count() <= 0)
    return bad_input(
        io, "run",
        "--until '" + until_text + "' is not valid; valid: a positive duration, e.g. 90s, 30m, 2h");
  if (*d > sc.duration)
    return bad_input(io, "run",
                     "--until " + until_text + " is after the scenario's end (" +
                         sim::format_time(core::Instant{sc.duration}) +
                         "); valid: up to its duration");
  until = core::Instant{*d};
  return std::nullopt;
}

/// A --max-output a little above `bytes`, in whole units: "4G" for 3.2 GB.
std::string size_above(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  for (const auto& [letter, factor] : {std::pair{"T", 1e12}, {"G", 1e9}, {"M", 1e6}})
    if (b >= factor)
      return std::to_string(static_cast<std::uint64_t>(std::ceil(b / factor))) + letter;
  return "1M";
}

/// Refuses (exit 2) a run estimated to write more than `max_output` allows; nothing otherwise.
std::optional<int> refuse_large_output(const sim::Scenario& sc, core::Instant until,
                                       const po::variables_map& vm, const std::string& format,
                                       const std::string& max_output, Io io) {
  const auto allowed = parse_size(max_output);
  if (!allowed)
    return bad_input(io, "run",
                     "--max-output '" + max_output +
                         "' is not a size; give bytes or K, M, G, T (e.g. 500M, 20G) or "
                         "unlimited");
  const OutputEstimate e = estimate_output(sc, until);
  std::uint64_t bytes = 0;
  std::string what;
  auto add = [&](std::uint64_t b, const char* name) {
    bytes += b;
    what += (what.empty() ? "" : " + ") + format_size(b) + " " + name;
  };
  if (vm.count("out") != 0 || vm.count("html") != 0) add(e.jsonl_bytes, "of timeline.jsonl");
  if (vm.count("quiet") == 0) {
    if (format == "text" && vm.count("no-dhcp") == 0)
      add(e.text_bytes, "of text timeline on stdout");
    else if (format != "text")
      add(e.jsonl_bytes, "of timeline on stdout");
  }
  if (bytes <= *allowed) return std::nullopt;
  char count[32];
  std::snprintf(count, sizeof count, "%.3g", e.exchanges);
  return bad_input(io, "run",
                   "this run would write about " + format_size(bytes) + " (" + what + ", for " +
                       count + " lease exchanges), more than --max-output " + max_output +
                       " allows; nothing was run. Allow it with --max-output " + size_above(bytes) +
                       ", or write less: --quiet or --no-dhcp for stdout, --until T for a "
                       "shorter run");
}

/// Says where an interrupted run stopped and that none of its files were written; exit 130.
int report_interrupted(const sim::Simulator& s, const PlayOptions& options, Io io) {
  io.out.flush();
  io.err << "fosim run: interrupted at " << sim::format_time(s.now()) << " simulated of "
         << sim::format_time(core::Instant{s.scenario().duration});
  if (!options.out_dir.empty() || !options.html_file.empty())
    io.err << "; nothing written: no file of this run is left, an earlier one is as it was";
  io.err << "\n";
  return exit_interrupted;
}

/// `--leases P --leases S`: each server starts from its lease file; an exit code when not.
std::optional<int> start_from_leases(const std::vector<std::string>& paths, sim::Scenario& sc,
                                     Io io) {
  if (paths.size() != 2)
    return bad_input(io, "run",
                     "--leases takes the primary's and then the secondary's dhcpd.leases (twice)");
  std::array<std::optional<sim::LeaseFileText>, 2> files;
  for (std::size_t i = 0; i < 2; ++i) {
    std::ifstream f(paths[i], std::ios::binary);
    std::ostringstream text;
    text << f.rdbuf();
    std::error_code ec;
    if (!f || std::filesystem::is_directory(paths[i], ec))
      return bad_input(io, "run", "cannot read --leases " + paths[i]);
    files[i] = sim::LeaseFileText{paths[i], text.str()};
  }
  std::vector<sim::LeasesError> errors;
  if (sim::start_from_lease_files(sc, files, errors)) return std::nullopt;
  for (const sim::LeasesError& e : errors)
    io.err << e.file << ":" << e.line << ": error: " << e.message << "\n";
  return exit_bad_input;
}

}  // namespace

int cmd_run(const Args& args, Io io) {
  po::options_description opts("options");
  std::string file, seed_text, until_text, out_dir, html_file, format = "text", max_output = "1G";
  std::vector<std::string> config_files, lease_files;
  opts.add_options()("scenario", po::value(&file), "scenario file")(
      "seed", po::value(&seed_text), "seed")("until", po::value(&until_text),
                                             "stop at this simulated time")(
      "out", po::value(&out_dir), "output directory")("html", po::value(&html_file), "HTML report")(
      "config", po::value(&config_files), "dhcpd.conf")("leases", po::value(&lease_files),
                                                        "dhcpd.leases")(
      "format", po::value(&format), "text, jsonl, syslog or rfc5424")("quiet", "summary only")(
      "no-dhcp", "failover events only in the text timeline")("max-output", po::value(&max_output),
                                                              "the most the run may write")(
      "omapi-at", po::value<std::vector<std::string>>(), "OMAPI view at T")(
      "numbering", po::value<std::string>(), "isc or isc3")("profile", po::value<std::string>(),
                                                            "isc-4.4 or draft-12");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "run", usage, io)) return *rc;
  if (file.empty()) return bad_input(io, "run", "give a scenario file (see fosim run --help)");
  if (format != "text" && format != "jsonl" && format != "syslog" && format != "rfc5424")
    return bad_input(io, "run",
                     "--format '" + format + "' is not valid; valid: text, jsonl, syslog, rfc5424");

  std::optional<sim::ConfigFiles> config;
  if (!config_files.empty()) {
    if (config_files.size() != 2)
      return bad_input(io, "run",
                       "--config takes the primary's and then the secondary's dhcpd.conf (twice)");
    // As given on the command line: relative to the working directory.
    config = sim::ConfigFiles{std::filesystem::absolute(config_files[0]).string(),
                              std::filesystem::absolute(config_files[1]).string()};
  }
  sim::LoadResult loaded = sim::load_scenario(file, config);
  print_load_messages(loaded, io);
  if (!loaded.scenario) return exit_bad_input;
  sim::Scenario& sc = *loaded.scenario;
  if (!lease_files.empty())
    if (auto rc = start_from_leases(lease_files, sc, io)) return *rc;
  if (auto rc = read_profile_option(vm, "run", io, sc.profile)) return *rc;
  std::uint64_t seed = sc.seed;
  if (vm.count("seed") != 0) {
    const auto parsed = parse_seed(seed_text);
    if (!parsed)
      return bad_input(io, "run",
                       "--seed '" + seed_text + "' is not valid; valid: 0 to 18446744073709551615");
    seed = *parsed;
  }
  std::optional<core::Instant> until;
  if (vm.count("until") != 0)
    if (auto rc = parse_until(until_text, sc, until, io)) return *rc;
  if (vm.count("omapi-at") != 0 || vm.count("numbering") != 0) return omapi_view(vm, sc, seed, io);
  if (vm.count("out") != 0 && out_dir.empty())
    return bad_input(io, "run", "--out needs a directory");
  if (vm.count("html") != 0 && html_file.empty())
    return bad_input(io, "run", "--html needs a file name");
  std::unique_ptr<sim::TraceSink> screen;
  if (vm.count("quiet") == 0) screen = screen_timeline(sc, format, vm.count("no-dhcp") == 0, io);
  const InterruptGuard ctrl_c;
  const PlayOptions options{until, out_dir, html_file, screen.get(), &ctrl_c.flag()};
  // Checked before the scenario is played, so a long run never ends in nothing.
  if (auto error = check_play_outputs(options)) return bad_input(io, "run", error->message);
  if (auto rc = refuse_large_output(sc, until.value_or(core::Instant{sc.duration}), vm, format,
                                    max_output, io))
    return *rc;
  if (vm.count("quiet") == 0 && format == "text")
    io.out << "fosim run " << sc.name << " seed " << seed
           << (sc.profile == core::ProfileId::isc_4_4
                   ? std::string()
                   : " profile " + std::string(core::to_string(sc.profile)))
           << "\n";
  const PlayResult played = play(sc, seed, options);
  if (!played.run) return bad_input(io, "run", played.error->message);
  if (played.interrupted) return report_interrupted(*played.run, options, io);
  if (format == "text") print_summary(io.out, *played.run, seed);
  if (!played.report_note.empty())
    io.err << "fosim report: warning: " << played.report_note << "\n";
  if (played.error) return bad_input(io, "run", played.error->message);
  return verdict(played.verdict, format == "text", io);
}

}  // namespace fosim::tools
