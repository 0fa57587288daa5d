// The `fosim` command line: a dispatcher and one function per subcommand.
//
// Every subcommand takes its arguments (without the program and subcommand names) and the
// streams to write to, and returns an exit code that scripts can rely on: 0 success, 1 the
// answer is "no" (no such thing, no counterpart, a check failed), 2 bad input (one line on
// stderr that says what was wrong and what would be valid) or an output that cannot be written
// (standard output or a file: the line names which and why), 130 interrupted by Ctrl-C.
// run_cli() checks standard output after every subcommand, so none can report success for
// output that was lost. Nothing here calls exit().
#pragma once

#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fosim::tools {

/// Exit codes shared by every subcommand.
enum ExitCode : int { exit_ok = 0, exit_no = 1, exit_bad_input = 2, exit_interrupted = 130 };

/// The streams a subcommand writes to.
struct Io {
  std::ostream& out;
  std::ostream& err;
  /// Standard input, for a file named `-`; null when the command has none to read.
  std::istream* in = nullptr;
};

/// Arguments after the subcommand name.
using Args = std::vector<std::string>;

/// One subcommand of `fosim`: its name, its line in `fosim --help` and its function.
struct Subcommand {
  std::string_view name;     ///< e.g. "run"
  std::string_view summary;  ///< one line for `fosim --help`
  int (*run)(const Args&, Io);
};

/// Returns every subcommand, in the order `fosim --help` lists them.
std::span<const Subcommand> subcommand_table();

/// Runs the whole command line (`argv[0]` excluded) and returns the exit code.
int run_cli(const Args& args, Io io);

/// `fosim states`: the state table with every numbering.
int cmd_states(const Args& args, Io io);
/// `fosim map`: converts a state between names and numberings.
int cmd_map(const Args& args, Io io);
/// `fosim hash`: RFC 3074 bucket and answering server per client.
int cmd_hash(const Args& args, Io io);
/// `fosim lease-time`: the MCLT-limited lease time ISC would grant.
int cmd_lease_time(const Args& args, Io io);
/// `fosim run`: simulate a scenario.
int cmd_run(const Args& args, Io io);
/// `fosim diagram`: the state machine as Graphviz dot or SVG.
int cmd_diagram(const Args& args, Io io);
/// `fosim check`: the failover configuration of a pair of dhcpd.conf files.
int cmd_check(const Args& args, Io io);
/// `fosim leases`: one or two servers' dhcpd.leases files, their states, counts and findings.
int cmd_leases(const Args& args, Io io);
/// `fosim export-conf`: a scenario's servers as dhcpd.conf fragments.
int cmd_export_conf(const Args& args, Io io);
/// `fosim sweep`: a grid of settings played over many seeds.
int cmd_sweep(const Args& args, Io io);
/// `fosim merge`: the shards of a sweep combined.
int cmd_merge(const Args& args, Io io);
/// `fosim explore`: random scenarios around one, checked for duplicates, MCLT and liveness.
int cmd_explore(const Args& args, Io io);
/// `fosim replay`: a real outage rebuilt from the servers' logs.
int cmd_replay(const Args& args, Io io);
/// `fosim import`: a Micetro or Windows failover relationship as a scenario's servers.
int cmd_import(const Args& args, Io io);
/// `fosim report`: the HTML page of a run directory.
int cmd_report(const Args& args, Io io);
/// Writes the HTML report of `run_dir` to `output` (warns on `io.err` without Graphviz).
int write_report(const std::filesystem::path& run_dir, const std::filesystem::path& output, Io io);

/// Writes "fosim SUBCOMMAND: MESSAGE" to `io.err` and returns `exit_bad_input`.
int bad_input(Io io, std::string_view subcommand, std::string_view message);

}  // namespace fosim::tools
