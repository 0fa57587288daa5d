// `fosim replay`: a real outage rebuilt from the two servers' logs, checked against ISC's
// state machine, and played again with other settings.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/replay_output.hpp"
#include "fosim/tools/report.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim replay LOG... [--server NAME=FILE ...] [--primary HOST]\n"
    "                    [--config PRIMARY.conf --config SECONDARY.conf] [--what-if KEY=VALUE "
    "...]\n"
    "                    [--out DIR] [--html FILE] [--format text|jsonl] [--no-dhcp] [--quiet]\n"
    "                    [--year YYYY] [--lease-time SECONDS] [--relationship NAME] [--seed N]\n\n"
    "Reads ISC dhcpd's log lines - classic syslog, RFC 5424, ISO-dated (rsyslog, journalctl\n"
    "-o short-iso), journalctl's short formats, bare `dhcpd -d` output, or fosim run's own\n"
    "timeline - from one file per server or one merged file, and rebuilds what the two servers\n"
    "did: every failover transition, link loss, update request and DHCP exchange, in time order\n"
    "(time 0 is the first line). Every move is checked against ISC's state machine given what\n"
    "the server knew at that moment: a move the machine cannot make is flagged with its likely\n"
    "explanation (an operator's OMAPI action, a restart, lost lines), and so is every moment both\n"
    "servers could have handed out the same address.\n\n"
    "With --what-if, the outage becomes a scenario (partitions from the disconnect and reconnect\n"
    "times, crashes and restarts from the startup transitions, operator actions where the model\n"
    "cannot explain a move, the clients seen) and is played twice: as logged, and with the\n"
    "changed settings; the two are printed side by side with what really happened.\n\n"
    "  --server NAME=FILE  FILE is NAME's log (else servers are told apart by the host names)\n"
    "  --primary HOST      which server is the primary (else the configuration's, else the first)\n"
    "  --config FILE       twice: the primary's and the secondary's dhcpd.conf (roles, timers,\n"
    "                      pool for the check and the what-if run)\n"
    "  --what-if K=V       a setting for the second run: mclt, split, auto_partner_down,\n"
    "                      max_response_delay, load_balance_max_seconds, default_lease_time, ...;\n"
    "                      `primary.K=V` or `HOST.K=V` for one server (repeatable)\n"
    "  --out DIR           DIR/timeline.jsonl, summary.json, states.dot (as fosim run writes\n"
    "                      them), scenario.json (the outage as a scenario) and, with --what-if,\n"
    "                      what-if.json and the two runs in DIR/as-logged/ and DIR/what-if/\n"
    "  --html FILE         the rebuilt timeline as an HTML report (as fosim report)\n"
    "  --format F          text (default) or jsonl for the timeline on stdout\n"
    "  --relationship NAME the failover peer to replay (default: the first the log names)\n"
    "  --year YYYY         the year of the first classic syslog line, which carries none\n"
    "                      (default 1970); half a year back or on moves a year\n"
    "  --lease-time S      how long an acknowledged lease is taken to last when looking for an\n"
    "                      address given to two clients (default: the pool's, else 43200)\n\n"
    "Exit codes: 0 the log holds no finding; 1 findings (unexplained moves, duplicate risk);\n"
    "2 bad input (a file that cannot be read, a third server, no dhcpd line at all).";

/// One log file being read.
struct Source {
  std::string file;
  std::string server;  ///< forced host name ("" = the lines' own)
  std::ifstream in;
  std::size_t line = 0;
  int year = 1970;
  std::optional<std::int64_t> last_ms;
  std::string text;  ///< the current line
  // The next understood line, when there is one.
  bool ready = false;
  std::int64_t time_ms = 0;
  std::string host;
  sim::RunEventBody event;
  std::string message;
  std::size_t event_line = 0;
  std::vector<std::string> hosts_in_lines;  ///< the hosts the lines name (up to 3)
  std::uint64_t understood = 0;
};

struct Counts {
  std::uint64_t read = 0, understood = 0, other = 0, bad_time = 0, malformed = 0;
  bool classic = false, bare = false, timed = false;
  std::vector<std::string> warnings;  ///< the first few lines left out, FILE:LINE: why
};

/// Reads `src` up to its next understood line. `latest_ms` is the latest time read in any file.
void advance(Source& src, Counts& counts, std::optional<std::int64_t>& latest_ms) {
  src.ready = false;
  while (std::getline(src.in, src.text)) {
    ++src.line;
    ++counts.read;
    auto header = sim::parse_log_line(src.text, src.year);
    if (!header) {
      ++counts.other;
      continue;
    }
    if (header->bad_time) {
      if (++counts.bad_time <= 5)
        counts.warnings.push_back(
            src.file + ":" + std::to_string(src.line) +
            ": an impossible timestamp (no such date or time): line left out");
      continue;
    }
    // Classic lines carry no year. A month more than half a year before the latest line read
    // (in any file) is the next year; more than half a year after it, the year before.
    constexpr std::int64_t half_year = std::int64_t{182} * 86400000;
    if (header->format == sim::LogFormat::classic && header->time_ms && latest_ms) {
      int shift = *header->time_ms + half_year < *latest_ms   ? 1
                  : *header->time_ms > *latest_ms + half_year ? -1
                                                              : 0;
      if (shift != 0) {
        src.year += shift;
        header = sim::parse_log_line(src.text, src.year);
        if (!header || header->bad_time) continue;  // Feb 29 of a year without one
      }
    }
    auto event = sim::classify(header->message);
    if (!event) {
      ++counts.other;
      continue;
    }
    if (const auto* bad = std::get_if<sim::UnreadableLine>(&*event)) {
      if (++counts.malformed <= 5)
        counts.warnings.push_back(src.file + ":" + std::to_string(src.line) + ": " + bad->problem +
                                  ": line left out");
      continue;
    }
    counts.classic = counts.classic || header->format == sim::LogFormat::classic;
    counts.bare = counts.bare || header->format == sim::LogFormat::bare;
    counts.timed = counts.timed || header->time_ms.has_value();
    src.time_ms = header->time_ms.value_or(src.last_ms.value_or(0));
    src.last_ms = src.time_ms;
    if (!latest_ms || src.time_ms > *latest_ms) latest_ms = src.time_ms;
    if (!header->host.empty() && src.hosts_in_lines.size() < 3 &&
        std::find(src.hosts_in_lines.begin(), src.hosts_in_lines.end(), header->host) ==
            src.hosts_in_lines.end())
      src.hosts_in_lines.emplace_back(header->host);
    src.host = !src.server.empty()    ? src.server
               : header->host.empty() ? std::filesystem::path(src.file).stem().string()
                                      : std::string(header->host);
    src.event = *event;
    src.message = std::string(header->message);
    src.event_line = src.line;
    src.ready = true;
    ++counts.understood;
    ++src.understood;
    return;
  }
}

}  // namespace

int cmd_replay(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> files, named, configs, what_ifs;
  std::string primary, relationship, out_dir, html_file, format = "text", seed_text, lease_text;
  int year = 1970;
  opts.add_options()("logs", po::value(&files), "log files")(
      "server", po::value(&named), "NAME=FILE")("primary", po::value(&primary), "primary host")(
      "relationship", po::value(&relationship), "failover peer")(
      "config", po::value(&configs), "dhcpd.conf")("what-if", po::value(&what_ifs), "KEY=VALUE")(
      "out", po::value(&out_dir), "directory")("html", po::value(&html_file), "HTML report")(
      "format", po::value(&format), "text or jsonl")(
      "no-dhcp", "no DHCP lines in the text timeline")("quiet", "summary only")(
      "year", po::value(&year), "year")("lease-time", po::value(&lease_text), "seconds")(
      "seed", po::value(&seed_text), "seed of the what-if runs");
  po::positional_options_description pos;
  pos.add("logs", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "replay", usage, io)) return *rc;
  if (format != "text" && format != "jsonl")
    return bad_input(io, "replay", "--format '" + format + "' is not valid; valid: text, jsonl");
  if (year < 1970 || year > 9999)
    return bad_input(io, "replay",
                     "--year " + std::to_string(year) + " is not valid; valid: 1970 to 9999");
  std::optional<core::Seconds> lease_time;
  if (vm.count("lease-time") != 0) {
    const auto d = sim::parse_duration(lease_text);
    if (!d || d->count() < 1000 || d->count() % 1000 != 0 || d->count() / 1000 > 4294967295LL)
      return bad_input(
          io, "replay",
          "--lease-time '" + lease_text +
              "' is not valid; valid: 1 to 4294967295 whole seconds, e.g. 3600 or 12h");
    lease_time = core::Seconds{d->count() / 1000};
  }
  if (vm.count("out") != 0 && out_dir.empty())
    return bad_input(io, "replay", "--out needs a directory");
  if (vm.count("html") != 0) {
    std::error_code ec;
    if (html_file.empty()) return bad_input(io, "replay", "--html needs a file name");
    if (std::filesystem::is_directory(html_file, ec))
      return bad_input(io, "replay", "cannot write " + html_file + ": it is a directory");
    if (!std::filesystem::is_directory(std::filesystem::absolute(html_file).parent_path(), ec))
      return bad_input(io, "replay",
                       "cannot write " + html_file + ": " +
                           std::filesystem::absolute(html_file).parent_path().string() +
                           " is not a directory");
  }
  // The same setting twice would silently keep the last.
  for (std::size_t i = 0; i < what_ifs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (what_ifs[i].substr(0, what_ifs[i].find('=')) ==
          what_ifs[j].substr(0, what_ifs[j].find('=')))
        return bad_input(
            io, "replay",
            "--what-if " + what_ifs[i].substr(0, what_ifs[i].find('=')) + " is given twice");
  std::uint64_t seed = 1;
  if (vm.count("seed") != 0) {
    const auto s = parse_seed(seed_text);
    if (!s)
      return bad_input(io, "replay",
                       "--seed '" + seed_text + "' is not valid; valid: 0 to 18446744073709551615");
    seed = *s;
  }
  std::vector<Source> sources;
  auto source = [year](std::string file, std::string server) {
    Source s;
    s.file = std::move(file);
    s.server = std::move(server);
    s.year = year;
    return s;
  };
  for (const std::string& f : files) sources.push_back(source(f, ""));
  for (const std::string& n : named) {
    const std::size_t eq = n.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == n.size())
      return bad_input(io, "replay", "--server '" + n + "' is not NAME=FILE");
    sources.push_back(source(n.substr(eq + 1), n.substr(0, eq)));
  }
  if (sources.empty())
    return bad_input(io, "replay", "give the servers' log files (see fosim replay --help)");
  if (!configs.empty() && configs.size() != 2)
    return bad_input(io, "replay",
                     "--config takes the primary's and then the secondary's dhcpd.conf (twice)");

  sim::ReplayConfig config;
  config.primary = primary;
  config.lease_time = lease_time;
  config.relationship = relationship;
  if (!configs.empty()) {
    // The pair read as a scenario would read it: a minimal scenario around the two files.
    const sim::ConfigFiles pair{std::filesystem::absolute(configs[0]).string(),
                                std::filesystem::absolute(configs[1]).string()};
    const nlohmann::json around = {
        {"duration", "1h"}, {"config", {{"primary", pair.primary}, {"secondary", pair.secondary}}}};
    const sim::LoadResult loaded = sim::parse_scenario(
        around.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "--config",
        [](const std::string& path, std::string& error) -> std::optional<std::string> {
          std::ifstream in(path, std::ios::binary);
          if (!in) {
            error = "cannot open " + path;
            return std::nullopt;
          }
          std::ostringstream s;
          s << in.rdbuf();
          return s.str();
        });
    if (!loaded.scenario) {
      for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
      return exit_bad_input;
    }
    config.known = *loaded.scenario;
  }
  // --what-if: check every assignment before reading the logs.
  {
    sim::Scenario probe;
    probe.servers[0].host = "primary";
    probe.servers[1].host = "secondary";
    for (std::size_t i = 0; i < 2; ++i) {
      core::PeerConfig& c = probe.servers[i].config;
      c.name = "probe";
      c.role = i == 0 ? core::Role::primary : core::Role::secondary;
      c.address = i == 0 ? "10.0.0.1" : "10.0.0.2";
      c.peer_address = i == 0 ? "10.0.0.2" : "10.0.0.1";
      if (i == 0) c.mclt_s = 3600, c.split = 128;
    }
    for (const std::string& w : what_ifs)
      if (auto error = sim::apply_what_if(probe, w);
          error && error->find("no server") == std::string::npos)
        return bad_input(io, "replay", "--what-if " + *error);
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    std::error_code ec;
    if (std::filesystem::is_directory(s.file, ec))
      return bad_input(io, "replay", "cannot read " + s.file + ": it is a directory");
    // The same log twice would replay every line twice.
    const auto canonical = std::filesystem::weakly_canonical(s.file, ec);
    for (std::size_t j = 0; j < i && !ec && std::filesystem::is_regular_file(s.file, ec); ++j) {
      std::error_code other;
      if (std::filesystem::weakly_canonical(sources[j].file, other) == canonical && !other)
        return bad_input(io, "replay", s.file + " is given twice");
    }
    errno = 0;
    s.in.open(s.file, std::ios::binary);
    if (!s.in)
      return bad_input(
          io, "replay",
          "cannot read " + s.file + ": " + (errno ? std::strerror(errno) : "open failed"));
  }

  ReplayOutput out(io, out_dir, html_file, format, vm.count("no-dhcp") == 0,
                   vm.count("quiet") != 0);
  if (auto rc = out.open()) return *rc;
  sim::Replay replay(config, out.sink());
  out.attach(replay);
  Counts counts;
  std::optional<std::int64_t> latest_ms;
  for (Source& s : sources) advance(s, counts, latest_ms);
  for (;;) {
    Source* next = nullptr;
    for (Source& s : sources)
      if (s.ready && (next == nullptr || s.time_ms < next->time_ms)) next = &s;
    if (next == nullptr) break;
    std::string error;
    if (!replay.add(next->host, next->time_ms, next->event, next->message, next->file,
                    next->event_line, error))
      return bad_input(io, "replay",
                       next->file + ":" + std::to_string(next->event_line) + ": " + error +
                           " (or --relationship, if it serves another failover peer)");
    out.after_line();
    advance(*next, counts, latest_ms);
  }
  for (const Source& s : sources)
    if (s.in.bad()) return bad_input(io, "replay", "cannot read " + s.file);
  replay.finish();
  for (const std::string& w : counts.warnings) io.err << "fosim replay: warning: " << w << "\n";
  if (counts.understood == 0) {
    std::string names;
    for (const Source& s : sources) names += (names.empty() ? "" : ", ") + s.file;
    return bad_input(io, "replay",
                     "no ISC dhcpd line in " + std::to_string(counts.read) + " lines read from " +
                         names + " (see fosim replay --help for the formats)");
  }
  if (!primary.empty() &&
      std::none_of(replay.servers().begin(), replay.servers().end(),
                   [&](const sim::ReplayServer& s) { return s.host == primary; })) {
    std::string hosts;
    for (const sim::ReplayServer& s : replay.servers())
      hosts += (hosts.empty() ? "" : ", ") + s.host;
    return bad_input(io, "replay",
                     "--primary " + primary + " is not a server of the log; valid: " + hosts);
  }
  std::vector<std::string> notes = replay.notes();
  if (counts.bad_time > 5)
    notes.push_back(std::to_string(counts.bad_time) +
                    " lines with impossible timestamps were left out");
  if (counts.malformed > 5)
    notes.push_back(std::to_string(counts.malformed) +
                    " failover lines fosim cannot read were left out");
  for (const Source& s : sources) {
    if (s.understood == 0) notes.push_back(s.file + " holds no ISC dhcpd line fosim uses");
    if (!s.server.empty())
      for (const std::string& h : s.hosts_in_lines)
        if (h != s.server) {
          notes.push_back(s.file + " names host " + h + ", but --server puts all its lines under " +
                          s.server);
          break;
        }
  }
  if (counts.classic && vm.count("year") == 0)
    notes.push_back("classic syslog lines carry no year: read as " + std::to_string(year) +
                    " (say --year)");
  if (counts.bare)
    notes.push_back("bare dhcpd -d lines carry no time: each takes the time of the line before it");
  out.summary(replay, counts.read, counts.understood, notes);

  int rc = replay.findings().empty() ? exit_ok : exit_no;
  if (!what_ifs.empty() || !out_dir.empty()) {
    std::vector<std::string> scenario_notes;
    std::optional<sim::Scenario> sc = replay.scenario(scenario_notes);
    if (!what_ifs.empty() && !counts.timed)
      return bad_input(
          io, "replay",
          "the logs carry no times (bare dhcpd -d output): a what-if run needs timed lines");
    if (!sc) {
      if (!what_ifs.empty())
        return bad_input(io, "replay", "no what-if run: " + scenario_notes.back());
    } else {
      sc->seed = seed;
      const int what_if_rc = out.what_if(*sc, scenario_notes, what_ifs, replay);
      if (what_if_rc == exit_bad_input) return what_if_rc;
    }
  }
  if (auto finish_rc = out.finish(replay)) return *finish_rc;
  return rc;
}

}  // namespace fosim::tools
