// `fosim export-conf`: a scenario's two servers written back out as dhcpd.conf fragments, every
// setting with its keyword from core's settings table, in the table's order.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/core/load_balance.hpp"
#include "fosim/core/settings.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/trace.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim export-conf SCENARIO.json [--out DIR]\n\n"
    "Writes the scenario's two servers as ISC dhcpd.conf fragments: the failover peer\n"
    "declaration with every parameter the scenario sets, and each failover pool (its ranges\n"
    "and lease times, referring to the peer) inside its subnet. With --out, DIR/HOST.conf for each "
    "server;\n"
    "otherwise both on stdout, each after a `# HOST.conf` line. `fosim check` reads them back.\n\n"
    "Exit codes: 0 written; 2 bad input (the scenario, or a directory that cannot be written).";

/// The smallest subnet holding [first, last]: (network, netmask).
std::pair<std::uint32_t, std::uint32_t> covering_subnet(std::uint32_t first, std::uint32_t last) {
  std::uint32_t mask = 0xffffffffu;
  while (mask != 0 && (first & mask) != (last & mask)) mask <<= 1;
  return {first & mask, mask};
}

/// The subnet (network, netmask) a pool is declared in: its own, or the smallest that covers
/// its ranges.
std::pair<std::uint32_t, std::uint32_t> subnet_of(const sim::PoolSpec& pool) {
  if (pool.subnet) {
    const std::uint32_t mask =
        pool.subnet->prefix == 0 ? 0u : 0xffffffffu << (32 - pool.subnet->prefix);
    return {pool.subnet->network & mask, mask};
  }
  std::uint32_t lo = pool.first, hi = pool.last;
  for (const sim::AddressRange& r : pool.more_ranges)
    lo = std::min(lo, r.first), hi = std::max(hi, r.last);
  return covering_subnet(lo, hi);
}

/// One `failover peer` statement of `c`, or nothing when `c` does not set it.
std::optional<std::string> statement(const core::PeerSetting& s, const core::PeerConfig& c) {
  const std::string keyword(s.keyword);
  switch (s.unit) {
    case core::Unit::role:
      return c.role.value_or(core::Role::primary) == core::Role::primary ? "primary" : "secondary";
    case core::Unit::host:
      if (c.*(s.text)) return keyword + " " + *(c.*(s.text));
      return std::nullopt;
    case core::Unit::bytes:
      if (c.hba) return keyword + " " + core::format_hex(*c.hba);
      return std::nullopt;
    default:
      if (c.*(s.number)) return keyword + " " + std::to_string(*(c.*(s.number)));
      return std::nullopt;
  }
}

std::string fragment(const sim::Scenario& sc, std::size_t i) {
  const core::PeerConfig& c = sc.servers[i].config;
  std::ostringstream o;
  o << "# " << sc.servers[i].host << ": written by fosim export-conf from scenario " << sc.name
    << "\n";
  o << "failover peer \"" << sc.relationship << "\" {\n";
  for (const core::PeerSetting& s : core::peer_settings)
    if (const auto line = statement(s, c)) o << "  " << *line << ";\n";
  o << "}\n";
  // Every failover pool, in its subnet: pools of one subnet share its declaration.
  std::vector<std::pair<std::pair<std::uint32_t, std::uint32_t>, std::vector<sim::PoolSpec>>> nets;
  for (const sim::PoolSpec& pool : sim::all_pools(sc)) {
    const auto net = subnet_of(pool);
    auto it = std::find_if(nets.begin(), nets.end(), [&](const auto& n) { return n.first == net; });
    if (it == nets.end()) it = nets.insert(nets.end(), {net, {}});
    it->second.push_back(pool);
  }
  for (const auto& [net, pools] : nets) {
    o << "subnet " << sim::format_ip(net.first) << " netmask " << sim::format_ip(net.second)
      << " {\n";
    for (const sim::PoolSpec& pool : pools) {
      o << "  pool {\n";
      o << "    failover peer \"" << sc.relationship << "\";\n";
      for (std::size_t k = 0; k < core::pool_settings.size(); ++k)
        if (const auto v = sim::pool_fields[k].get(pool))
          o << "    " << core::pool_settings[k].keyword << " " << v->count() << ";\n";
      o << "    range " << sim::format_ip(pool.first) << " " << sim::format_ip(pool.last) << ";\n";
      for (const sim::AddressRange& r : pool.more_ranges)
        o << "    range " << sim::format_ip(r.first) << " " << sim::format_ip(r.last) << ";\n";
      o << "  }\n";
    }
    o << "}\n";
  }
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
