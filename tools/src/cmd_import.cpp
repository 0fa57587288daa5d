// `fosim import`: a failover relationship as Micetro or Windows describes it, as the `servers`
// of a scenario.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/formats/failover_import.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim import FILE [--format micetro|windows] [--name RELATIONSHIP]\n"
    "                    [--pool FIRST-LAST --duration D [--clients N]]\n\n"
    "Reads a failover relationship as Micetro's AddDHCPFailoverRelationship takes it (Name,\n"
    "PrimaryServer, SecondaryServer, Percentage, Mclt, Port, LoadBalanceMaxSeconds,\n"
    "MaxResponseDelay, MaxUnackedUpdates) or as Windows reports it (Get-DhcpServerv4Failover,\n"
    "as the console prints it or | ConvertTo-Json: Name, PartnerServer, PrimaryServerName,\n"
    "PrimaryServerIP, SecondaryServerName, SecondaryServerIP, ServerType, Mode,\n"
    "LoadBalancePercent, ReservePercent, MaxClientLeadTime, StateSwitchInterval,\n"
    "AutoStateTransition), and prints the two ISC servers it maps to as the \"relationship\" and\n"
    "\"servers\" of a scenario (JSON on stdout). Where the mapping is not exact it says so on\n"
    "stderr, one note a line. A scenario can also read the file itself:\n"
    "\"config\": {\"micetro\": \"FILE\"} (or \"windows\").\n"
    "The format is told by the keys unless --format is given; --name picks one relationship\n"
    "from Windows output that holds several. The mappings: docs/import.md.\n\n"
    "  --pool FIRST-LAST  with --duration: print a whole scenario, ready for fosim run: these\n"
    "                     servers, a pool of the addresses FIRST to LAST (ISC's lease times),\n"
    "                     clients arriving over the first minutes, no script\n"
    "  --duration D       how long the scenario runs (\"4h\", \"1d\", seconds)\n"
    "  --clients N        clients in that scenario (default: half the pool, at most 100)\n\n"
    "Exit codes: 0 imported; 2 bad input (unreadable file, missing or impossible values).";

/// The pool `text` names ("10.0.0.10-10.0.0.200"); an error sentence when it names none.
std::variant<sim::PoolSpec, std::string> parse_pool(const std::string& text) {
  const std::size_t dash = text.find('-');
  const auto first = core::parse_ipv4(text.substr(0, dash));
  const auto last =
      dash == std::string::npos ? std::nullopt : core::parse_ipv4(text.substr(dash + 1));
  if (!first || !last)
    return "--pool '" + text + "' is not a range; give FIRST-LAST, e.g. 10.0.0.10-10.0.0.200";
  if (*last < *first) return "--pool '" + text + "': its last address is before its first";
  sim::PoolSpec pool;
  pool.first = *first;
  pool.last = *last;
  return pool;
}

/// A whole scenario around `r`: its servers, `pool`, `clients` arriving from 1 min on over a
/// quarter of the run (at most 20 min), nothing scripted.
sim::Scenario whole_scenario(const sim::ImportedRelationship& r, const sim::PoolSpec& pool,
                             sim::Duration duration, std::uint32_t clients) {
  sim::Scenario sc;
  sc.name = r.name;
  sc.description = "The failover relationship " + r.name + " as imported, with a pool of " +
                   std::to_string(pool.last - pool.first + 1) + " addresses and " +
                   std::to_string(clients) + " clients.";
  sc.relationship = r.name;
  sc.duration = duration;
  sc.servers[0] = r.servers[0];
  sc.servers[1] = r.servers[1];
  sc.pool = pool;
  sim::ClientGroup group;
  group.count = clients;
  group.arrival_start = std::min(sim::Duration{60'000}, duration / 10);
  group.arrival_window = std::min(sim::Duration{20 * 60'000}, duration / 4);
  if (clients != 0) sc.clients.push_back(group);
  return sc;
}

}  // namespace

int cmd_import(const Args& args, Io io) {
  po::options_description opts("options");
  std::string file, format, name, pool_text, duration_text;
  std::int64_t clients = 0;
  opts.add_options()("file", po::value(&file), "relationship JSON")(
      "format", po::value(&format), "micetro or windows (default: told by the keys)")(
      "name", po::value(&name), "the relationship to take from output holding several")(
      "pool", po::value(&pool_text), "FIRST-LAST: print a whole scenario")(
      "duration", po::value(&duration_text), "how long that scenario runs")(
      "clients", po::value(&clients), "clients in that scenario");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "import", usage, io)) return *rc;
  if (file.empty())
    return bad_input(io, "import", "give a relationship JSON file (see fosim import --help)");
  std::optional<sim::ImportFormat> fmt;
  if (vm.count("format") != 0) {
    fmt = sim::parse_import_format(format);
    if (!fmt)
      return bad_input(io, "import", "unknown --format '" + format + "'; valid: micetro, windows");
  }
  // The scenario's own options are checked before the file is read.
  const bool whole = vm.count("pool") != 0 || vm.count("duration") != 0;
  if (whole && (vm.count("pool") == 0 || vm.count("duration") == 0))
    return bad_input(io, "import",
                     std::string("--pool and --duration go together: give ") +
                         (vm.count("pool") == 0 ? "--pool FIRST-LAST" : "--duration D") +
                         " too, or neither for the servers alone");
  if (!whole && vm.count("clients") != 0)
    return bad_input(io, "import", "--clients needs --pool and --duration");
  sim::PoolSpec pool;
  std::optional<sim::Duration> duration;
  if (whole) {
    auto parsed = parse_pool(pool_text);
    if (auto* why = std::get_if<std::string>(&parsed)) return bad_input(io, "import", *why);
    pool = std::get<sim::PoolSpec>(parsed);
    duration = sim::parse_duration(duration_text);
    if (!duration || duration->count() <= 0)
      return bad_input(io, "import",
                       "--duration '" + duration_text +
                           "' is not a duration; give e.g. 4h, 1d, 90m or seconds (above 0)");
    const std::uint32_t size = pool.last - pool.first + 1;
    if (vm.count("clients") == 0) clients = std::min<std::uint32_t>(size / 2, 100);
    if (clients < 0 || clients > 10'000'000)
      return bad_input(io, "import",
                       "--clients " + std::to_string(clients) + " is out of range 0..10000000");
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    return bad_input(io, "import", "cannot read " + file + ": it is a directory");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return bad_input(io, "import",
                     "cannot read " + file + ": " + (errno ? std::strerror(errno) : "open failed"));
  std::ostringstream text;
  text << in.rdbuf();
  const sim::ImportedRelationship r = sim::import_relationship(text.str(), file, fmt, name);
  for (const sim::ScenarioError& e : r.errors) io.err << sim::format(e) << "\n";
  if (!r.errors.empty()) return exit_bad_input;
  for (const sim::ScenarioError& n : r.notes) {
    io.err << n.file << ":";
    if (n.line) io.err << n.line << ":";
    io.err << " note: " << n.message << "\n";
  }
  if (!whole) {
    io.out << sim::write_servers(r.name, r.servers);
    return exit_ok;
  }
  // Read back as `fosim run` will read it: what is printed is a scenario it accepts.
  const std::string text_out =
      sim::write_scenario(whole_scenario(r, pool, *duration, static_cast<std::uint32_t>(clients)));
  const sim::LoadResult back = sim::parse_scenario(text_out, "(the scenario imported)");
  for (const sim::ScenarioError& e : back.errors) io.err << sim::format(e) << "\n";
  if (!back.errors.empty()) return exit_bad_input;
  io.out << text_out;
  return exit_ok;
}

}  // namespace fosim::tools
