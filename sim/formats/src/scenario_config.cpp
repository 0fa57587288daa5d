// Reading a scenario's `config` block: the servers (and pool) from a pair of dhcpd.conf files,
// or the servers from a Micetro or Windows description of the relationship. Problems of those
// files name the file and line they are in.
#include <filesystem>

#include "fosim/formats/failover_import.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

constexpr const char* forms =
    "{\"primary\": A.conf, \"secondary\": B.conf}, {\"micetro\": FILE.json} or {\"windows\": "
    "FILE.json}";

/// Checks that `c` is {"primary": ..., "secondary": ...} and that files can be read.
bool pair_keys(Reader& r, const Json& c, const core::IncludeReader& read_file) {
  if (!c.is_object()) {
    r.error("/config", "expected an object", forms);
    return false;
  }
  bool known = true;
  for (const auto& [key, value] : c.items())
    if (key != "primary" && key != "secondary") {
      r.error("/config/" + key, "unknown key '" + key + "'", forms);
      known = false;
    }
  for (const char* key : {"primary", "secondary"})
    if (known && !c.contains(key)) {
      r.error(std::string("/config/") + key, "missing required key", forms);
      known = false;
    }
  if (!known) return false;
  if (!read_file) {
    r.error("/config", "dhcpd.conf files can only be read for a scenario file",
            "run it with fosim run FILE");
    return false;
  }
  return true;
}

/// Reads and parses both files; false (reported) when one cannot be read.
bool read_confs(Reader& r, const Json& c, const core::IncludeReader& read_file,
                std::vector<core::DhcpdConf>& confs, std::vector<std::string>& names) {
  for (const char* role : {"primary", "secondary"}) {
    const auto path = r.string(c[role], std::string("/config/") + role);
    if (!path) return false;
    std::string error;
    const std::optional<std::string> text = read_file(*path, error);
    if (!text) {
      r.error(std::string("/config/") + role, error, "a readable dhcpd.conf file");
      return false;
    }
    // An include is found as given or, failing that, next to the including file (as fosim
    // check finds it; docs/dhcpd-conf.md).
    const std::filesystem::path dir = std::filesystem::path(*path).parent_path();
    const core::IncludeReader include = [&read_file, dir](const std::string& file, std::string& e) {
      std::optional<std::string> t = read_file(file, e);
      if (!t && std::filesystem::path(file).is_relative()) {
        std::string beside_error;
        t = read_file((dir / file).string(), beside_error);
      }
      return t;
    };
    confs.push_back(core::parse_dhcpd_conf(*text, *path, include));
    names.push_back(*path);
  }
  return true;
}

/// The relationship: the scenario's, or the one peer name both files declare.
bool pick_relationship(Reader& r, const std::vector<core::DhcpdConf>& confs, Scenario& sc) {
  if (!sc.relationship.empty()) return true;
  std::string name;
  for (const core::PeerDecl& a : confs[0].peers)
    for (const core::PeerDecl& b : confs[1].peers)
      if (a.config.name == b.config.name) name = name.empty() ? a.config.name : "\n";
  if (name.empty() || name == "\n") {
    r.error("/config",
            name.empty() ? "the two files declare no failover peer of the same name"
                         : "the two files share several failover peers",
            "give \"relationship\": the failover peer name to play");
    return false;
  }
  sc.relationship = name;
  return true;
}

/// The two servers: the relationship's declaration in each file, named after the file.
bool take_servers(Reader& r, const std::vector<core::DhcpdConf>& confs,
                  const std::vector<std::string>& names, Scenario& sc) {
  const core::PeerDecl* decl[2] = {nullptr, nullptr};
  for (std::size_t i = 0; i < 2; ++i)
    for (const core::PeerDecl& d : confs[i].peers)
      if (d.config.name == sc.relationship) decl[i] = &d;
  if (decl[0] == nullptr || decl[1] == nullptr) {
    r.error("/relationship", "failover peer " + sc.relationship + " is not declared in both files",
            "a name both declare");
    return false;
  }
  if (decl[0]->config.role.value_or(core::Role::primary) != core::Role::primary ||
      decl[1]->config.role.value_or(core::Role::primary) != core::Role::secondary) {
    r.error("/config",
            "the `primary` file must declare the primary and the `secondary` file the secondary",
            "swap them, or fix primary;/secondary; in the files");
    return false;
  }
  for (std::size_t i = 0; i < 2; ++i) {
    sc.servers[i].host = std::filesystem::path(names[i]).stem().string();
    sc.servers[i].config = decl[i]->config;
  }
  if (sc.servers[0].host == sc.servers[1].host) {
    sc.servers[0].host += "-primary";
    sc.servers[1].host += "-secondary";
  }
  return true;
}

/// The prefix length of `mask` (its leading one bits).
std::uint8_t prefix_of(std::uint32_t mask) {
  std::uint8_t n = 0;
  while (n < 32 && (mask & (0x80000000u >> n)) != 0) ++n;
  return n;
}

/// The pools: every pool that names the peer, in file order, with its ranges, its subnet and
/// its lease times as the table lists.
bool take_pool(Reader& r, const core::DhcpdConf& conf, Scenario& sc) {
  const std::string& name = sc.relationship;
  std::vector<PoolSpec> pools;
  std::uint64_t total = 0;
  for (const core::PoolDecl& p : conf.pools) {
    if (p.peer != name || p.ranges.empty()) continue;
    PoolSpec& spec = pools.emplace_back();
    spec.first = p.ranges[0].first;
    spec.last = p.ranges[0].last;
    for (std::size_t k = 1; k < p.ranges.size(); ++k)
      spec.more_ranges.push_back({p.ranges[k].first, p.ranges[k].last});
    for (const core::ConfRange& range : p.ranges) total += range.last - range.first + 1;
    if (p.subnet) spec.subnet = Subnet{p.subnet->first, prefix_of(p.subnet->second)};
    for (std::size_t k = 0; k < core::pool_settings.size(); ++k)
      if (const auto& v = p.*(core::pool_settings[k].member); v && *v > 0)
        pool_fields[k].set(spec, core::Seconds{*v});
  }
  if (pools.empty()) {
    r.error("/config/primary",
            "failover peer " + name + " has 0 ranges; fosim plays the pools that name it",
            "a pool with a range that names the peer");
    return false;
  }
  if (total > (1u << 20))
    r.error("/config/primary", "the pools have more than 1048576 addresses",
            "pools of at most 2^20 addresses");
  sc.pool = pools[0];
  sc.more_pools.assign(pools.begin() + 1, pools.end());
  return true;
}

/// Fills the scenario's servers and pool from a pair of dhcpd.conf files.
bool read_config_pair(Reader& r, const Json& c, const core::IncludeReader& read_file, Scenario& sc,
                      ConfigOutcome& out) {
  if (!pair_keys(r, c, read_file)) return false;
  std::vector<core::DhcpdConf> confs;
  std::vector<std::string> names;
  if (!read_confs(r, c, read_file, confs, names)) return false;
  for (const core::ConfProblem& p : core::check_pair(confs[0], confs[1]))
    (p.severity == core::Severity::error ? out.errors : out.warnings)
        .push_back({p.place.file, p.place.line, "", p.message, p.valid});
  for (const core::DhcpdConf& conf : confs)
    for (const core::ConfProblem& u : conf.unmodelled)
      out.warnings.push_back({u.place.file, u.place.line, "", "not modelled: " + u.message, ""});
  return pick_relationship(r, confs, sc) && take_servers(r, confs, names, sc) &&
         take_pool(r, confs[0], sc);
}

/// Fills the scenario's servers from a Micetro or Windows description of the relationship.
bool read_imported(Reader& r, const Json& c, const core::IncludeReader& read_file, Scenario& sc,
                   ConfigOutcome& out) {
  if (!r.object(c, "/config", {"micetro", "windows"})) return false;
  if (c.contains("micetro") && c.contains("windows")) {
    r.error("/config", "give one of micetro and windows",
            "{\"micetro\": FILE} or {\"windows\": FILE}");
    return false;
  }
  const std::string key = c.contains("micetro") ? "micetro" : "windows";
  const auto path = r.string(c[key], "/config/" + key);
  if (!path) return false;
  if (!read_file) {
    r.error("/config", "relationship files can only be read for a scenario file",
            "run it with fosim run FILE");
    return false;
  }
  std::string error;
  const std::optional<std::string> text = read_file(*path, error);
  if (!text) {
    r.error("/config/" + key, error, "a readable JSON file");
    return false;
  }
  ImportedRelationship imp =
      import_relationship(*text, *path, parse_import_format(key), sc.relationship);
  out.errors.insert(out.errors.end(), imp.errors.begin(), imp.errors.end());
  out.notes.insert(out.notes.end(), imp.notes.begin(), imp.notes.end());
  if (!imp.errors.empty()) return false;
  sc.relationship = imp.name;
  sc.servers[0] = imp.servers[0];
  sc.servers[1] = imp.servers[1];
  return true;
}

}  // namespace

ConfigOutcome read_config(Reader& r, const Json& j, const core::IncludeReader& read_file,
                          Scenario& sc) {
  ConfigOutcome out;
  const Json& c = j["config"];
  if (c.is_object() && (c.contains("micetro") || c.contains("windows"))) {
    if (j.contains("servers"))
      r.error("/servers", "given twice: the config block's relationship gives the servers",
              "either \"config\" or \"servers\"");
    if (!j.contains("pool") && !j.contains("pools"))
      r.error("/pool", "missing required key: a Micetro or Windows relationship has no pool",
              "pool");
    out.servers_ok = !j.contains("servers") && read_imported(r, c, read_file, sc, out);
    return out;
  }
  const bool pair = c.is_object() && (c.contains("primary") || c.contains("secondary"));
  for (const char* key : {"servers", "pool", "pools"})
    if (pair && j.contains(key))
      r.error(std::string("/") + key, "given twice: the config block's dhcpd.conf files give it",
              "either \"config\" or \"servers\" and \"pool\"");
  out.servers_ok = !j.contains("servers") && read_config_pair(r, c, read_file, sc, out);
  return out;
}

}  // namespace fosim::sim::detail
