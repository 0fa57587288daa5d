// fosim replay's command line: the options read and checked one concern at a time, the
// dhcpd.conf pair read through the scenario format, and the --what-if assignments tried on a
// stand-in pair, all before a log is opened.
#include "replay_options.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools::detail {
namespace {

/// The raw text of the options that are read in a second step.
struct RawOptions {
  std::vector<std::string> files, named;
  std::string seed_text, lease_text;
};

/// Declares every option of fosim replay, bound to `o` and `raw`.
po::options_description describe(ReplayOptions& o, RawOptions& raw) {
  po::options_description opts("options");
  opts.add_options()("logs", po::value(&raw.files), "log files")(
      "server", po::value(&raw.named), "NAME=FILE")("primary", po::value(&o.primary),
                                                    "primary host")(
      "relationship", po::value(&o.relationship), "failover peer")("config", po::value(&o.configs),
                                                                   "dhcpd.conf")(
      "what-if", po::value(&o.what_ifs), "KEY=VALUE")("out", po::value(&o.out_dir), "directory")(
      "html", po::value(&o.html_file), "HTML report")("format", po::value(&o.format),
                                                      "text or jsonl")(
      "no-dhcp", "no DHCP lines in the text timeline")("quiet", "summary only")(
      "year", po::value(&o.year), "year")("lease-time", po::value(&raw.lease_text), "seconds")(
      "seed", po::value(&raw.seed_text), "seed of the what-if runs");
  return opts;
}

/// --lease-time: whole seconds that fit ISC's 32-bit lease times.
std::optional<int> read_lease_time(const std::string& text, Io io, ReplayOptions& o) {
  const auto d = sim::parse_duration(text);
  if (!d || d->count() < 1000 || d->count() % 1000 != 0 || d->count() / 1000 > 4294967295LL)
    return bad_input(io, "replay",
                     "--lease-time '" + text +
                         "' is not valid; valid: 1 to 4294967295 whole seconds, e.g. 3600 or 12h");
  o.lease_time = core::Seconds{d->count() / 1000};
  return std::nullopt;
}

/// --html FILE: a file name whose directory exists.
std::optional<int> check_html(const std::string& html_file, Io io) {
  std::error_code ec;
  if (html_file.empty()) return bad_input(io, "replay", "--html needs a file name");
  if (std::filesystem::is_directory(html_file, ec))
    return bad_input(io, "replay", "cannot write " + html_file + ": it is a directory");
  const std::filesystem::path parent = std::filesystem::absolute(html_file).parent_path();
  if (!std::filesystem::is_directory(parent, ec))
    return bad_input(io, "replay",
                     "cannot write " + html_file + ": " + parent.string() + " is not a directory");
  return std::nullopt;
}

/// The same setting twice would silently keep the last.
std::optional<int> check_what_if_keys(const std::vector<std::string>& what_ifs, Io io) {
  auto key = [](const std::string& w) { return w.substr(0, w.find('=')); };
  for (std::size_t i = 0; i < what_ifs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (key(what_ifs[i]) == key(what_ifs[j]))
        return bad_input(io, "replay", "--what-if " + key(what_ifs[i]) + " is given twice");
  return std::nullopt;
}

/// The values of the options, each checked in the order the command line documents them.
std::optional<int> check_values(const po::variables_map& vm, const RawOptions& raw, Io io,
                                ReplayOptions& o) {
  if (o.format != "text" && o.format != "jsonl")
    return bad_input(io, "replay", "--format '" + o.format + "' is not valid; valid: text, jsonl");
  if (o.year < 1970 || o.year > 9999)
    return bad_input(io, "replay",
                     "--year " + std::to_string(o.year) + " is not valid; valid: 1970 to 9999");
  if (vm.count("lease-time") != 0)
    if (auto rc = read_lease_time(raw.lease_text, io, o)) return rc;
  if (vm.count("out") != 0 && o.out_dir.empty())
    return bad_input(io, "replay", "--out needs a directory");
  if (vm.count("html") != 0)
    if (auto rc = check_html(o.html_file, io)) return rc;
  if (auto rc = check_what_if_keys(o.what_ifs, io)) return rc;
  if (vm.count("seed") != 0) {
    const auto s = parse_seed(raw.seed_text);
    if (!s)
      return bad_input(
          io, "replay",
          "--seed '" + raw.seed_text + "' is not valid; valid: 0 to 18446744073709551615");
    o.seed = *s;
  }
  return std::nullopt;
}

/// The log files, then the --config pair: at least one log, and two configurations or none.
std::optional<int> check_files(const RawOptions& raw, Io io, ReplayOptions& o) {
  for (const std::string& f : raw.files) o.logs.push_back({f, ""});
  for (const std::string& n : raw.named) {
    const std::size_t eq = n.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == n.size())
      return bad_input(io, "replay", "--server '" + n + "' is not NAME=FILE");
    o.logs.push_back({n.substr(eq + 1), n.substr(0, eq)});
  }
  if (o.logs.empty())
    return bad_input(io, "replay", "give the servers' log files (see fosim replay --help)");
  if (!o.configs.empty() && o.configs.size() != 2)
    return bad_input(io, "replay",
                     "--config takes the primary's and then the secondary's dhcpd.conf (twice)");
  return std::nullopt;
}

/// Returns the text of the file at `path`; nothing (and `error`) when it cannot be opened.
std::optional<std::string> read_text(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::optional<int> read_options(const Args& args, std::string_view usage, Io io, ReplayOptions& o) {
  RawOptions raw;
  const po::options_description opts = describe(o, raw);
  po::positional_options_description pos;
  pos.add("logs", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "replay", usage, io)) return rc;
  o.year_given = vm.count("year") != 0;
  o.include_dhcp = vm.count("no-dhcp") == 0;
  o.quiet = vm.count("quiet") != 0;
  if (auto rc = check_values(vm, raw, io, o)) return rc;
  return check_files(raw, io, o);
}

std::optional<int> replay_config(const ReplayOptions& o, Io io, sim::ReplayConfig& config) {
  config.primary = o.primary;
  config.lease_time = o.lease_time;
  config.relationship = o.relationship;
  if (o.configs.empty()) return std::nullopt;
  // The pair read as a scenario would read it: a minimal scenario around the two files.
  const sim::ConfigFiles pair{std::filesystem::absolute(o.configs[0]).string(),
                              std::filesystem::absolute(o.configs[1]).string()};
  const nlohmann::json around = {
      {"duration", "1h"}, {"config", {{"primary", pair.primary}, {"secondary", pair.secondary}}}};
  const sim::LoadResult loaded = sim::parse_scenario(
      around.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "--config", read_text);
  if (!loaded.scenario) {
    for (const sim::ScenarioError& e : loaded.errors) io.err << sim::format(e) << "\n";
    return exit_bad_input;
  }
  config.known = *loaded.scenario;
  return std::nullopt;
}

std::optional<int> check_what_ifs(const std::vector<std::string>& what_ifs, Io io) {
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
  return std::nullopt;
}

}  // namespace fosim::tools::detail
