// `fosim replay`: a real outage rebuilt from the two servers' logs, checked against ISC's
// state machine, and played again with other settings. The steps live in replay/: the options
// (replay_options), the logs (replay_logs) and what is printed and written (replay_output).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/replay/replay.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/replay_output.hpp"
#include "replay/replay_logs.hpp"
#include "replay/replay_options.hpp"

namespace fosim::tools {
namespace {

using detail::LogCounts;
using detail::ReplayOptions;
using detail::Source;

constexpr std::string_view usage =
    "usage: fosim replay LOG... [--server NAME=FILE ...] [--primary HOST]\n"
    "                    [--config PRIMARY.conf --config SECONDARY.conf] [--what-if KEY=VALUE "
    "...]\n"
    "                    [--out DIR] [--html FILE] [--format text|jsonl] [--no-dhcp] [--quiet]\n"
    "                    [--year YYYY] [--lease-time SECONDS] [--relationship NAME] [--seed N]\n\n"
    "Reads ISC dhcpd's log lines - classic syslog, RFC 5424, ISO-dated (rsyslog, journalctl\n"
    "-o short-iso), journalctl's short formats, bare `dhcpd -d` output, or fosim run's own\n"
    "timeline - from one file per server or one merged file (gzip, UTF-16 and `-` for standard\n"
    "input are read), and rebuilds what the two servers\n"
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
    "  --primary HOST      which server is the primary (else the one whose failover address\n"
    "                      in --config is the host, else the first)\n"
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

/// Plays the outage as logged and with the --what-if settings, when they or --out ask for it.
std::optional<int> what_if_step(const ReplayOptions& o, const sim::Replay& replay,
                                const LogCounts& counts, ReplayOutput& out, Io io) {
  if (o.what_ifs.empty() && o.out_dir.empty()) return std::nullopt;
  std::vector<std::string> scenario_notes;
  std::optional<sim::Scenario> sc = replay.scenario(scenario_notes);
  if (!o.what_ifs.empty() && !counts.timed)
    return bad_input(
        io, "replay",
        "the logs carry no times (bare dhcpd -d output): a what-if run needs timed lines");
  if (!sc) {
    if (!o.what_ifs.empty())
      return bad_input(io, "replay", "no what-if run: " + scenario_notes.back());
    return std::nullopt;
  }
  sc->seed = o.seed;
  const int rc = out.what_if(*sc, scenario_notes, o.what_ifs, replay);
  if (rc == exit_bad_input) return rc;
  return std::nullopt;
}

}  // namespace

int cmd_replay(const Args& args, Io io) {
  ReplayOptions o;
  if (auto rc = detail::read_options(args, usage, io, o)) return *rc;
  sim::ReplayConfig config;
  if (auto rc = detail::replay_config(o, io, config)) return *rc;
  if (auto rc = detail::check_what_ifs(o.what_ifs, io)) return *rc;
  std::vector<Source> sources;
  if (auto rc = detail::open_logs(o, io, sources)) return *rc;

  ReplayOutput out(io, o.out_dir, o.html_file, o.format, o.include_dhcp, o.quiet);
  if (auto rc = out.open()) return *rc;
  sim::Replay replay(config, out.sink());
  out.attach(replay);
  LogCounts counts;
  if (auto rc = detail::read_logs(sources, replay, out, counts, io)) return *rc;
  if (auto rc = detail::check_logs_read(sources, counts, replay, o, io)) return *rc;
  out.summary(replay, counts.read, counts.understood,
              detail::log_notes(sources, counts, replay, o));

  const int rc = replay.findings().empty() ? exit_ok : exit_no;
  if (auto what_if_rc = what_if_step(o, replay, counts, out, io)) return *what_if_rc;
  if (auto finish_rc = out.finish(replay)) return *finish_rc;
  return rc;
}

}  // namespace fosim::tools
