#include "fosim/tools/cli.hpp"

#include <array>
#include <ostream>

#include "fosim/tools/fd_stream.hpp"

namespace fosim::tools {
namespace {

constexpr std::array<Subcommand, 15> subcommands{{
    {"run", "simulate a scenario: two ISC failover servers, clients, outages, monitors", cmd_run},
    {"states", "print every failover state with its ISC, ISC 3.0.x and Windows numbers",
     cmd_states},
    {"map", "convert a state between names and numberings (isc, isc3, windows)", cmd_map},
    {"hash", "RFC 3074 load-balance bucket and answering server for MACs or client-ids", cmd_hash},
    {"lease-time", "the MCLT-limited lease time an ISC server grants", cmd_lease_time},
    {"diagram", "the ISC failover state machine as a Graphviz diagram (dot or svg)", cmd_diagram},
    {"check", "check a pair of real dhcpd.conf files' failover configuration", cmd_check},
    {"leases", "read dhcpd.leases files: failover states, pool counts, duplicates, MCLT overruns",
     cmd_leases},
    {"sweep",
     "play a grid of settings (mclt, split, timers) over many seeds; CSV, JSON, JUnit, HTML",
     cmd_sweep},
    {"merge", "combine the shards of a sweep (fosim sweep --shard K/N) into the whole result",
     cmd_merge},
    {"explore",
     "draw many scenarios with random faults around one; check safety and liveness of each",
     cmd_explore},
    {"replay",
     "rebuild a real outage from the servers' logs, check it, play it with other settings",
     cmd_replay},
    {"import", "a Micetro or Windows failover relationship as a scenario's two servers",
     cmd_import},
    {"export-conf", "write a scenario's two servers back out as dhcpd.conf fragments",
     cmd_export_conf},
    {"report", "one self-contained HTML page of a run: swimlanes, leases, pools, findings",
     cmd_report},
}};

void usage(std::ostream& os) {
  os << "fosim " FOSIM_VERSION
        " - DHCP failover (draft-ietf-dhc-failover-12) as ISC dhcpd 4.4 "
        "runs it\n\n"
        "usage: fosim SUBCOMMAND [OPTIONS] [ARGS]\n\nsubcommands:\n";
  for (const Subcommand& s : subcommands) {
    os << "  " << s.name << std::string(13 - s.name.size(), ' ') << s.summary << "\n";
  }
  os << "\n'fosim SUBCOMMAND --help' describes a subcommand. Exit codes: 0 success, 1 the answer\n"
        "is no (no such thing, no counterpart), 2 bad input or an output that cannot be written\n"
        "(a full disk, a missing directory, standard output closed), 130 interrupted (Ctrl-C).\n";
}

/// Makes sure everything reached standard output: a command whose output was lost did not
/// succeed, whatever it answered.
int checked_output(int rc, Io io) {
  io.out.flush();
  if (io.out) return rc;
  io.err << "fosim: cannot write to standard output: " << stream_error(io.out) << "\n";
  return exit_bad_input;
}

}  // namespace

std::span<const Subcommand> subcommand_table() { return subcommands; }

int bad_input(Io io, std::string_view subcommand, std::string_view message) {
  io.err << "fosim " << subcommand << ": " << message << "\n";
  return exit_bad_input;
}

int run_cli(const Args& args, Io io) {
  if (args.empty()) {
    usage(io.err);
    return exit_bad_input;
  }
  const std::string& name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    usage(io.out);
    return checked_output(exit_ok, io);
  }
  if (name == "--version") {
    io.out << "fosim " FOSIM_VERSION "\n";
    return checked_output(exit_ok, io);
  }
  for (const Subcommand& s : subcommands) {
    if (s.name == name) return checked_output(s.run(Args(args.begin() + 1, args.end()), io), io);
  }
  io.err << "fosim: unknown subcommand '" << name << "'; valid: ";
  for (std::size_t i = 0; i < subcommands.size(); ++i)
    io.err << (i ? ", " : "") << subcommands[i].name;
  io.err << " (see fosim --help)\n";
  return exit_bad_input;
}

}  // namespace fosim::tools
