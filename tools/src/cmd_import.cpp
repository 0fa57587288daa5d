// `fosim import`: a failover relationship as Micetro or Windows describes it, as the `servers`
// of a scenario.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/formats/failover_import.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim import FILE.json [--format micetro|windows] [--name RELATIONSHIP]\n\n"
    "Reads a failover relationship as Micetro's AddDHCPFailoverRelationship takes it (Name,\n"
    "PrimaryServer, SecondaryServer, Percentage, Mclt, Port, LoadBalanceMaxSeconds,\n"
    "MaxResponseDelay, MaxUnackedUpdates) or as Windows reports it (Get-DhcpServerv4Failover |\n"
    "ConvertTo-Json: Name, PartnerServer, Mode, LoadBalancePercent, ReservePercent,\n"
    "MaxClientLeadTime, StateSwitchInterval, AutoStateTransition), and prints the two ISC\n"
    "servers it maps to as the \"relationship\" and \"servers\" of a scenario (JSON on stdout).\n"
    "Where the mapping is not exact it says so on stderr, one note a line. A scenario can also\n"
    "read the file itself: \"config\": {\"micetro\": \"FILE.json\"} (or \"windows\").\n"
    "The format is told by the keys unless --format is given; --name picks one relationship\n"
    "from Windows output that holds several. The mappings: docs/import.md.\n\n"
    "Exit codes: 0 imported; 2 bad input (unreadable file, missing or impossible values).";

}  // namespace

int cmd_import(const Args& args, Io io) {
  po::options_description opts("options");
  std::string file, format, name;
  opts.add_options()("file", po::value(&file), "relationship JSON")(
      "format", po::value(&format), "micetro or windows (default: told by the keys)")(
      "name", po::value(&name), "the relationship to take from output holding several");
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
  io.out << sim::write_servers(r.name, r.servers);
  return exit_ok;
}

}  // namespace fosim::tools
