// `fosim export-conf`: a scenario's two servers written back out as dhcpd.conf fragments.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/core/load_balance.hpp"
#include "fosim/sim/scenario_json.hpp"
#include "fosim/sim/trace.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim export-conf SCENARIO.json [--out DIR]\n\n"
    "Writes the scenario's two servers as ISC dhcpd.conf fragments: the failover peer\n"
    "declaration with every parameter the scenario sets, and a subnet whose pool refers to it\n"
    "with the scenario's range and lease times. With --out, DIR/HOST.conf for each server;\n"
    "otherwise both on stdout, each after a `# HOST.conf` line. `fosim check` reads them back.\n\n"
    "Exit codes: 0 written; 2 bad input (the scenario, or a directory that cannot be written).";

/// The smallest subnet holding [first, last]: (network, netmask).
std::pair<std::uint32_t, std::uint32_t> covering_subnet(std::uint32_t first, std::uint32_t last) {
  std::uint32_t mask = 0xffffffffu;
  while (mask != 0 && (first & mask) != (last & mask)) mask <<= 1;
  return {first & mask, mask};
}

std::string fragment(const sim::Scenario& sc, std::size_t i) {
  const core::PeerConfig& c = sc.servers[i].config;
  std::ostringstream o;
  o << "# " << sc.servers[i].host << ": written by fosim export-conf from scenario " << sc.name
    << "\n";
  o << "failover peer \"" << sc.relationship << "\" {\n";
  o << "  "
    << (c.role.value_or(core::Role::primary) == core::Role::primary ? "primary" : "secondary")
    << ";\n";
  if (c.address) o << "  address " << *c.address << ";\n";
  if (c.port) o << "  port " << *c.port << ";\n";
  if (c.peer_address) o << "  peer address " << *c.peer_address << ";\n";
  if (c.peer_port) o << "  peer port " << *c.peer_port << ";\n";
  auto line = [&o](const char* statement, const std::optional<std::int64_t>& v) {
    if (v) o << "  " << statement << " " << *v << ";\n";
  };
  line("max-response-delay", c.max_response_delay_s);
  line("max-unacked-updates", c.max_unacked_updates);
  line("load balance max seconds", c.load_balance_max_seconds);
  line("mclt", c.mclt_s);
  line("split", c.split);
  if (c.hba) o << "  hba " << core::format_hex(*c.hba) << ";\n";
  line("auto-partner-down", c.auto_partner_down_s);
  line("max-lease-misbalance", c.max_lease_misbalance);
  line("max-lease-ownership", c.max_lease_ownership);
  line("min-balance", c.min_balance_s);
  line("max-balance", c.max_balance_s);
  o << "}\n";
  const auto [net, mask] = covering_subnet(sc.pool.first, sc.pool.last);
  o << "subnet " << sim::format_ip(net) << " netmask " << sim::format_ip(mask) << " {\n";
  o << "  pool {\n";
  o << "    failover peer \"" << sc.relationship << "\";\n";
  o << "    default-lease-time " << sc.pool.default_lease_time.count() << ";\n";
  o << "    max-lease-time " << sc.pool.max_lease_time.count() << ";\n";
  if (sc.pool.min_lease_time)
    o << "    min-lease-time " << sc.pool.min_lease_time->count() << ";\n";
  o << "    range " << sim::format_ip(sc.pool.first) << " " << sim::format_ip(sc.pool.last)
    << ";\n";
  o << "  }\n}\n";
  return o.str();
}

}  // namespace

int cmd_export_conf(const Args& args, Io io) {
  po::options_description opts("options");
  std::string file, out_dir;
  opts.add_options()("scenario", po::value(&file), "scenario file")("out", po::value(&out_dir),
                                                                    "directory");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "export-conf", usage, io)) return *rc;
  if (file.empty())
    return bad_input(io, "export-conf", "give a scenario file (see fosim export-conf --help)");
  const sim::LoadResult loaded = sim::load_scenario(file);
  if (!loaded.scenario) {
    for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
    return exit_bad_input;
  }
  const sim::Scenario& sc = *loaded.scenario;
  if (vm.count("out") == 0) {
    for (std::size_t i = 0; i < 2; ++i)
      io.out << (i ? "\n" : "") << "# " << sc.servers[i].host << ".conf\n" << fragment(sc, i);
    return exit_ok;
  }
  if (auto error = make_output_dir(out_dir)) return bad_input(io, "export-conf", error->message);
  OutputFiles files;
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = 0; i < 2; ++i) {
    paths.push_back(std::filesystem::path(out_dir) / (sc.servers[i].host + ".conf"));
    if (auto error = files.add(paths.back())) return bad_input(io, "export-conf", error->message);
    files.set(paths.back(), fragment(sc, i));
  }
  if (auto error = files.commit()) return bad_input(io, "export-conf", error->message);
  for (const std::filesystem::path& path : paths) io.out << path.string() << "\n";
  return exit_ok;
}

}  // namespace fosim::tools
