#include "fosim/sim/scenario_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/core/load_balance.hpp"
#include "fosim/sim/failover_import.hpp"
#include "json_text.hpp"

namespace fosim::sim {
namespace {

using Json = nlohmann::json;

using detail::line_of;

/// The most arrays and objects a scenario may nest. nlohmann parses any depth, but its dump()
/// recurses: a million '[' overflowed the stack when an error message quoted the value.
constexpr std::size_t max_json_nesting = 100;

/// The offset of the first '[' or '{' nested deeper than max_json_nesting, or npos.
std::size_t too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if ((c == '[' || c == '{') && ++depth > max_json_nesting) {
      return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

class Reader {
 public:
  Reader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  void error(const std::string& path, const std::string& message, const std::string& valid) {
    errors.push_back({file_, line_of(text_, path), path, message, valid});
  }
  void warning(const std::string& path, const std::string& message, const std::string& valid) {
    warnings.push_back({file_, line_of(text_, path), path, message, valid});
  }

  /// Checks that `j` is an object with only `allowed` keys (and the `required` ones).
  bool object(const Json& j, const std::string& path,
              std::initializer_list<std::string_view> allowed,
              std::initializer_list<std::string_view> required = {}) {
    if (!j.is_object()) {
      error(path.empty() ? "/" : path, "expected an object", "{ ... } with keys " + list(allowed));
      return false;
    }
    for (const auto& [key, value] : j.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        error(path + "/" + key, "unknown key '" + key + "'", list(allowed));
    }
    for (std::string_view r : required)
      if (!j.contains(std::string(r)))
        error(path + "/" + std::string(r), "missing required key", std::string(r));
    return true;
  }

  std::optional<std::string> string(const Json& j, const std::string& path) {
    if (!j.is_string()) {
      error(path, "expected a string", "a quoted string");
      return std::nullopt;
    }
    return j.get<std::string>();
  }

  std::optional<std::int64_t> integer(const Json& j, const std::string& path, std::int64_t min,
                                      std::int64_t max, const std::string& valid) {
    if (!j.is_number_integer()) {
      error(path, "expected a whole number", valid);
      return std::nullopt;
    }
    const std::int64_t v = j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX
                               ? INT64_MAX
                               : j.get<std::int64_t>();
    if (v < min || v > max) {
      error(path, "value " + std::to_string(v) + " is out of range", valid);
      return std::nullopt;
    }
    return v;
  }

  std::optional<Duration> duration(const Json& j, const std::string& path) {
    std::optional<Duration> d;
    if (j.is_number()) {
      const double v = j.get<double>();
      if (std::isfinite(v) && v >= 0 && v < 1e12)
        d = Duration{static_cast<std::int64_t>(std::llround(v * 1000.0))};
    } else if (j.is_string()) {
      d = parse_duration(j.get<std::string>());
    }
    if (!d) {
      error(path,
            "not a duration: " + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            "seconds as a number, or \"250ms\", \"90s\", \"30m\", \"2h\", \"1d\", \"1h30m\" (0 to "
            "3650d)");
    } else if (*d > max_duration) {
      error(path,
            "duration " + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                " is longer than fosim plays",
            "0 to 3650d (ten years)");
      d.reset();
    }
    return d;
  }

  /// The longest duration a scenario may name: ten years of simulated time.
  static constexpr Duration max_duration = std::chrono::hours(24 * 3650);

  /// A time-valued configuration parameter in whole seconds (a number or a duration string).
  std::optional<std::int64_t> config_seconds(const Json& j, const std::string& path) {
    // ISC keeps these in 32 bits on the wire; negatives are left to the validation that follows.
    constexpr std::int64_t max_s = 4294967295;
    if (j.is_number_integer()) {
      const std::int64_t v = j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX
                                 ? INT64_MAX
                                 : j.get<std::int64_t>();
      if (v > max_s || v < -max_s) {
        error(path,
              "value " + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                  " is out of range",
              "whole seconds, at most 4294967295");
        return std::nullopt;
      }
      return v;
    }
    const auto d = duration(j, path);
    if (!d) return std::nullopt;
    if (d->count() % 1000 != 0) {
      error(path, "ISC takes whole seconds here", "a whole number of seconds");
      return std::nullopt;
    }
    return d->count() / 1000;
  }

  std::optional<std::uint32_t> ipv4(const Json& j, const std::string& path) {
    const auto s = string(j, path);
    if (!s) return std::nullopt;
    std::uint32_t out = 0;
    int parts = 0;
    std::size_t i = 0;
    while (i <= s->size() && parts < 4) {
      std::size_t k = i;
      while (k < s->size() && (*s)[k] >= '0' && (*s)[k] <= '9') ++k;
      if (k == i || k - i > 3) break;
      const int v = std::stoi(s->substr(i, k - i));
      if (v > 255) break;
      out = (out << 8) | static_cast<std::uint32_t>(v);
      ++parts;
      if (k == s->size()) {
        i = k + 1;
        break;
      }
      if ((*s)[k] != '.') break;
      i = k + 1;
    }
    if (parts != 4 || i != s->size() + 1) {
      error(path, "'" + *s + "' is not an IPv4 address", "dotted quad, e.g. 192.168.102.110");
      return std::nullopt;
    }
    return out;
  }

  static std::string list(std::initializer_list<std::string_view> keys) {
    std::string out;
    for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
  }

  std::vector<ScenarioError> errors, warnings;

 private:
  std::string_view text_;
  std::string file_;
};

void read_server(Reader& r, const Json& j, const std::string& path, ServerSpec& out) {
  if (!r.object(j, path,
                {"host", "role", "address", "port", "peer_address", "peer_port",
                 "max_response_delay", "max_unacked_updates", "mclt", "split", "hba",
                 "load_balance_max_seconds", "auto_partner_down", "max_lease_misbalance",
                 "max_lease_ownership", "min_balance", "max_balance", "clock_offset"},
                {"host", "role"}))
    return;
  core::PeerConfig& c = out.config;
  for (const auto& [key, v] : j.items()) {
    const std::string p = path + "/" + key;
    if (key == "host") {
      if (auto s = r.string(v, p)) out.host = *s;
    } else if (key == "role") {
      const auto s = r.string(v, p);
      if (s && *s == "primary")
        c.role = core::Role::primary;
      else if (s && *s == "secondary")
        c.role = core::Role::secondary;
      else if (s)
        r.error(p, "unknown role '" + *s + "'", "primary, secondary");
    } else if (key == "address") {
      if (auto s = r.string(v, p)) c.address = *s;
    } else if (key == "peer_address") {
      if (auto s = r.string(v, p)) c.peer_address = *s;
    } else if (key == "port" || key == "peer_port" || key == "max_unacked_updates" ||
               key == "split" || key == "max_lease_misbalance" || key == "max_lease_ownership") {
      if (!v.is_number_integer()) {
        r.error(p, "expected a whole number", "see docs/scenario-format.md");
        continue;
      }
      const std::int64_t n = v.get<std::int64_t>();
      if (key == "port")
        c.port = n;
      else if (key == "peer_port")
        c.peer_port = n;
      else if (key == "max_unacked_updates")
        c.max_unacked_updates = n;
      else if (key == "split")
        c.split = n;
      else if (key == "max_lease_misbalance")
        c.max_lease_misbalance = n;
      else
        c.max_lease_ownership = n;
    } else if (key == "hba") {
      const auto s = r.string(v, p);
      if (!s) continue;
      const auto bytes = core::parse_hex_bytes(*s);
      if (!bytes)
        r.error(p, "not hex bytes", "32 colon-separated hex bytes");
      else
        c.hba = *bytes;
    } else if (key == "clock_offset") {
      if (v.is_string() && !v.get<std::string>().empty() && v.get<std::string>()[0] == '-') {
        if (auto d = parse_duration(v.get<std::string>().substr(1)))
          out.clock_offset = -*d;
        else
          r.error(p, "not a duration", "e.g. \"90s\" or \"-2m\"");
      } else if (v.is_number()) {
        out.clock_offset =
            Duration{static_cast<std::int64_t>(std::llround(v.get<double>() * 1000.0))};
      } else if (auto d = r.duration(v, p)) {
        out.clock_offset = *d;
      }
    } else {
      const auto s = r.config_seconds(v, p);
      if (!s) continue;
      if (key == "max_response_delay")
        c.max_response_delay_s = *s;
      else if (key == "mclt")
        c.mclt_s = *s;
      else if (key == "load_balance_max_seconds")
        c.load_balance_max_seconds = *s;
      else if (key == "auto_partner_down")
        c.auto_partner_down_s = *s;
      else if (key == "min_balance")
        c.min_balance_s = *s;
      else if (key == "max_balance")
        c.max_balance_s = *s;
    }
  }
}

std::optional<std::size_t> server_ref(Reader& r, const Json& v, const std::string& p,
                                      const Scenario& sc) {
  const auto s = r.string(v, p);
  if (!s) return std::nullopt;
  if (*s == "primary" || *s == sc.servers[0].host) return 0;
  if (*s == "secondary" || *s == sc.servers[1].host) return 1;
  r.error(p, "no server '" + *s + "'",
          "primary, secondary, " + sc.servers[0].host + " or " + sc.servers[1].host);
  return std::nullopt;
}

std::optional<core::State> state_value(Reader& r, const Json& v, const std::string& p) {
  if (v.is_object()) {
    // object() reports a missing local_state; [] on a const json must not be asked for it.
    if (!r.object(v, p, {"local_state", "numbering"}, {"local_state"}) ||
        !v.contains("local_state"))
      return std::nullopt;
    const auto n =
        r.integer(v["local_state"], p + "/local_state", 0, 255, "an OMAPI local-state number");
    std::string numbering = "isc";
    if (v.contains("numbering"))
      numbering = r.string(v["numbering"], p + "/numbering").value_or("isc");
    if (!n) return std::nullopt;
    if (numbering != "isc" && numbering != "isc3") {
      r.error(p + "/numbering", "unknown numbering '" + numbering + "'",
              "isc (ISC 4.x), isc3 (ISC 3.0.x)");
      return std::nullopt;
    }
    const core::Numbering scheme =
        numbering == "isc3" ? core::Numbering::isc3 : core::Numbering::isc;
    const core::Numbering other =
        numbering == "isc3" ? core::Numbering::isc : core::Numbering::isc3;
    const auto s = core::from_number(static_cast<unsigned>(*n), scheme);
    if (!s) {
      r.error(p + "/local_state",
              std::to_string(*n) + " is no state in the " + numbering + " numbering",
              "see fosim states");
      return std::nullopt;
    }
    const auto elsewhere = core::from_number(static_cast<unsigned>(*n), other);
    if (elsewhere && *elsewhere != *s)
      r.warning(p + "/local_state",
                "local-state " + std::to_string(*n) + " is " + std::string(core::to_string(*s)) +
                    " in the " + numbering + " numbering but " +
                    std::string(core::to_string(*elsewhere)) + " in the other",
                "check which numbering your source uses");
    return s;
  }
  const auto text = r.string(v, p);
  if (!text) return std::nullopt;
  const auto s = core::parse_state(*text);
  if (!s || !core::info(*s).isc) {
    r.error(p, "'" + *text + "' is not a state an ISC server can be set to",
            "e.g. partner-down, normal, startup");
    return std::nullopt;
  }
  return s;
}

}  // namespace

std::string format(const ScenarioError& e) {
  std::string out = e.file;
  if (e.line != 0) out += ":" + std::to_string(e.line);
  out += ": " + (e.path.empty() ? std::string("/") : e.path) + ": " + e.message;
  if (!e.valid.empty()) out += " (valid: " + e.valid + ")";
  return out;
}

std::optional<Duration> parse_duration(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.find(':') != std::string_view::npos) {
    // fosim's own time format: [D+]HH:MM:SS[.mmm], as the timelines print it.
    std::int64_t days = 0;
    if (const std::size_t plus = text.find('+'); plus != std::string_view::npos) {
      const std::string_view d = text.substr(0, plus);
      if (d.empty() || d.size() > 5 ||
          !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
      days = std::stoll(std::string(d));
      text.remove_prefix(plus + 1);
    }
    auto two = [](std::string_view v) {
      return v.size() == 2 && v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9'
                 ? (v[0] - '0') * 10 + (v[1] - '0')
                 : -1;
    };
    if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
    const int h = two(text.substr(0, 2)), m = two(text.substr(3, 2)), sec = two(text.substr(6, 2));
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
    std::int64_t ms = 0;
    if (text.size() > 8) {
      const std::string_view frac = text.substr(9);
      if (text[8] != '.' || frac.empty() || frac.size() > 3 ||
          !std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
      ms = std::stoll(std::string(frac)) * (frac.size() == 1 ? 100 : frac.size() == 2 ? 10 : 1);
    }
    return Duration{((days * 24 + h) * 60 + m) * 60000 + sec * 1000 + ms};
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    std::size_t k = i;
    while (k < text.size() && ((text[k] >= '0' && text[k] <= '9') || text[k] == '.')) ++k;
    if (k == i) return std::nullopt;
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(i, k - i)));
    } catch (...) {
      return std::nullopt;
    }
    std::size_t u = k;
    while (u < text.size() && text[u] >= 'a' && text[u] <= 'z') ++u;
    const std::string_view unit = text.substr(k, u - k);
    double scale = 0;
    if (unit == "ms")
      scale = 1;
    else if (unit == "s" || (unit.empty() && u == text.size() && !any))
      scale = 1000;
    else if (unit == "m")
      scale = 60000;
    else if (unit == "h")
      scale = 3600000;
    else if (unit == "d")
      scale = 86400000;
    else
      return std::nullopt;
    const double ms = value * scale;
    if (!std::isfinite(ms) || ms > 1e15 - static_cast<double>(total))
      return std::nullopt;  // 1e15 ms in all
    total += static_cast<std::int64_t>(std::llround(ms));
    any = true;
    i = u;
  }
  return Duration{total};
}

LoadResult load_scenario(const std::string& path, const std::optional<ConfigFiles>& config) {
  std::error_code ec;
  errno = 0;
  std::ifstream f(path, std::ios::binary);
  if (!f || std::filesystem::is_directory(path, ec)) {
    LoadResult r;
    r.errors.push_back({path, 0, "",
                        std::filesystem::is_directory(path, ec)
                            ? "cannot read it: it is a directory"
                            : std::string("cannot read the file: ") +
                                  (errno ? std::strerror(errno) : "open failed"),
                        "a readable JSON scenario file"});
    return r;
  }
  std::ostringstream text;
  text << f.rdbuf();
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const core::IncludeReader reader = [dir](const std::string& name,
                                           std::string& error) -> std::optional<std::string> {
    std::filesystem::path p(name);
    if (p.is_relative()) p = dir / p;
    std::error_code dir_error;
    if (std::filesystem::is_directory(p, dir_error)) {
      error = "cannot read " + p.string() + ": it is a directory";
      return std::nullopt;
    }
    errno = 0;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      error = "cannot open " + p.string() + ": " + (errno ? std::strerror(errno) : "open failed");
      return std::nullopt;
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return parse_scenario(text.str(), path, reader, config);
}

namespace {

/// Fills the scenario's servers and pool from a pair of dhcpd.conf files (`config` block):
/// the failover peer both declare (or the scenario's `relationship`), its declarations, and the
/// one range of its pools. Problems name the dhcpd.conf file and line.
bool read_config_pair(Reader& r, const Json& c, const core::IncludeReader& read_file, Scenario& sc,
                      std::vector<ScenarioError>& errors, std::vector<ScenarioError>& warnings) {
  constexpr const char* forms =
      "{\"primary\": A.conf, \"secondary\": B.conf}, {\"micetro\": FILE.json} or {\"windows\": "
      "FILE.json}";
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
  std::vector<core::DhcpdConf> confs;
  std::vector<std::string> names;
  for (const char* role : {"primary", "secondary"}) {
    if (!c.contains(role)) return false;  // reported by object()
    const auto path = r.string(c[role], std::string("/config/") + role);
    if (!path) return false;
    std::string error;
    const std::optional<std::string> text = read_file(*path, error);
    if (!text) {
      r.error(std::string("/config/") + role, error, "a readable dhcpd.conf file");
      return false;
    }
    confs.push_back(core::parse_dhcpd_conf(*text, *path, read_file));
    names.push_back(*path);
  }
  for (const core::ConfProblem& p : core::check_pair(confs[0], confs[1]))
    (p.severity == core::Severity::error ? errors : warnings)
        .push_back({p.place.file, p.place.line, "", p.message, p.valid});
  // The relationship: the scenario's, or the one peer name both files declare.
  std::string name = sc.relationship;
  if (name.empty()) {
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
  }
  const core::PeerDecl* decl[2] = {nullptr, nullptr};
  for (std::size_t i = 0; i < 2; ++i)
    for (const core::PeerDecl& d : confs[i].peers)
      if (d.config.name == name) decl[i] = &d;
  if (decl[0] == nullptr || decl[1] == nullptr) {
    r.error("/relationship", "failover peer " + name + " is not declared in both files",
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
  // The pool: fosim plays one failover pool with one range.
  std::vector<const core::PoolDecl*> pools;
  std::size_t ranges = 0;
  for (const core::PoolDecl& p : confs[0].pools)
    if (p.peer == name) pools.push_back(&p), ranges += p.ranges.size();
  if (ranges != 1) {
    r.error("/config/primary",
            "failover peer " + name + " has " + std::to_string(ranges) +
                " ranges; fosim plays one pool with one range",
            "one range in one pool that names the peer");
    return false;
  }
  for (const core::PoolDecl* p : pools) {
    if (p->ranges.empty()) continue;
    sc.pool.first = p->ranges[0].first;
    sc.pool.last = p->ranges[0].last;
    if (sc.pool.last - sc.pool.first >= (1u << 20))
      r.error("/config/primary", "the range has more than 1048576 addresses",
              "a range of at most 2^20 addresses");
    if (p->default_lease_time_s && *p->default_lease_time_s > 0)
      sc.pool.default_lease_time = core::Seconds{*p->default_lease_time_s};
    if (p->max_lease_time_s && *p->max_lease_time_s > 0)
      sc.pool.max_lease_time = core::Seconds{*p->max_lease_time_s};
  }
  return true;
}

/// Fills the scenario's servers from a Micetro or Windows description of the relationship
/// (`config` block with `micetro` or `windows`). The mapping's notes become warnings.
bool read_imported(Reader& r, const Json& c, const core::IncludeReader& read_file, Scenario& sc,
                   std::vector<ScenarioError>& errors, std::vector<ScenarioError>& notes) {
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
  errors.insert(errors.end(), imp.errors.begin(), imp.errors.end());
  notes.insert(notes.end(), imp.notes.begin(), imp.notes.end());
  if (!imp.errors.empty()) return false;
  sc.relationship = imp.name;
  sc.servers[0] = imp.servers[0];
  sc.servers[1] = imp.servers[1];
  return true;
}

}  // namespace

LoadResult parse_scenario(std::string_view text, const std::string& file,
                          const core::IncludeReader& read_file,
                          const std::optional<ConfigFiles>& config) {
  LoadResult result;
  if (const std::size_t deep = too_deep(text); deep != std::string_view::npos) {
    const auto line =
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(deep), '\n') + 1;
    result.errors.push_back(
        {file, static_cast<std::size_t>(line), "",
         "JSON nests arrays and objects more than " + std::to_string(max_json_nesting) + " deep",
         "at most " + std::to_string(max_json_nesting) + " nested arrays and objects"});
    return result;
  }
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    const std::size_t byte = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const std::size_t line =
        static_cast<std::size_t>(
            std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n')) +
        1;
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    result.errors.push_back({file, line, "", "JSON " + what, "well-formed JSON"});
    return result;
  } catch (const Json::exception& e) {
    // e.g. out_of_range 406, "number overflow parsing '1e400'": find the number's line.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    std::size_t line = 0;
    if (auto q = what.find('\''); q != std::string::npos) {
      const std::string token = what.substr(q + 1, what.find('\'', q + 1) - q - 1);
      if (auto at = text.find(token); !token.empty() && at != std::string_view::npos)
        line = static_cast<std::size_t>(
                   std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
               1;
    }
    result.errors.push_back({file, line, "", "JSON " + what, "numbers a double can hold"});
    return result;
  }
  Reader r(text, file);
  if (config && j.is_object()) {
    for (const char* key : {"servers", "pool", "config"})
      if (j.contains(key)) {
        r.warning(std::string("/") + key, "replaced by the dhcpd.conf files given with --config",
                  "leave it out, or run without --config");
        j.erase(key);
      }
    j["config"] = {{"primary", config->primary}, {"secondary", config->secondary}};
  }
  Scenario sc;
  sc.name = std::filesystem::path(file).stem().string();
  if (!r.object(j, "",
                {"name", "description", "relationship", "seed", "duration", "link",
                 "client_latency", "servers", "pool", "config", "clients", "script", "expect"},
                j.is_object() && j.contains("config")
                    ? std::initializer_list<std::string_view>{"duration"}
                    : std::initializer_list<std::string_view>{"relationship", "duration", "servers",
                                                              "pool"})) {
    result.errors = r.errors;
    return result;
  }
  if (j.contains("name")) sc.name = r.string(j["name"], "/name").value_or(sc.name);
  if (j.contains("description"))
    sc.description = r.string(j["description"], "/description").value_or("");
  if (j.contains("relationship"))
    sc.relationship = r.string(j["relationship"], "/relationship").value_or("");
  if (j.contains("seed")) {
    if (j["seed"].is_number_unsigned())
      sc.seed = j["seed"].get<std::uint64_t>();
    else
      r.error("/seed", "expected a non-negative whole number", "0 to 18446744073709551615");
  }
  if (j.contains("duration")) {
    if (auto d = r.duration(j["duration"], "/duration")) {
      if (d->count() <= 0) r.error("/duration", "the duration must be positive", "e.g. \"2h\"");
      sc.duration = *d;
    }
  }
  if (j.contains("link") && r.object(j["link"], "/link", {"latency"})) {
    if (j["link"].contains("latency"))
      if (auto d = r.duration(j["link"]["latency"], "/link/latency")) sc.link_latency = *d;
  }
  if (j.contains("client_latency"))
    if (auto d = r.duration(j["client_latency"], "/client_latency")) sc.client_latency = *d;

  // servers and pool: from a pair of dhcpd.conf files, or written out here
  std::vector<ScenarioError> conf_errors, conf_warnings, import_notes;
  const bool imported = j.contains("config") && j["config"].is_object() &&
                        (j["config"].contains("micetro") || j["config"].contains("windows"));
  bool servers_ok = false;
  if (imported) {
    if (j.contains("servers"))
      r.error("/servers", "given twice: the config block's relationship gives the servers",
              "either \"config\" or \"servers\"");
    if (!j.contains("pool"))
      r.error("/pool", "missing required key: a Micetro or Windows relationship has no pool",
              "pool");
    servers_ok = !j.contains("servers") &&
                 read_imported(r, j["config"], read_file, sc, conf_errors, import_notes);
  } else if (j.contains("config")) {
    const bool pair = j["config"].is_object() &&
                      (j["config"].contains("primary") || j["config"].contains("secondary"));
    for (const char* key : {"servers", "pool"})
      if (pair && j.contains(key))
        r.error(std::string("/") + key, "given twice: the config block's dhcpd.conf files give it",
                "either \"config\" or \"servers\" and \"pool\"");
    servers_ok = !j.contains("servers") &&
                 read_config_pair(r, j["config"], read_file, sc, conf_errors, conf_warnings);
  }
  if (j.contains("servers")) {
    const Json& s = j["servers"];
    if (!s.is_array() || s.size() != 2) {
      r.error("/servers", "expected exactly two servers",
              "[ {\"role\": \"primary\", ...}, {\"role\": \"secondary\", ...} ]");
    } else {
      ServerSpec specs[2];
      for (std::size_t i = 0; i < 2; ++i) {
        read_server(r, s[i], "/servers/" + std::to_string(i), specs[i]);
        specs[i].config.name = sc.relationship;
      }
      const bool p0 = specs[0].config.role == core::Role::primary,
                 p1 = specs[1].config.role == core::Role::primary;
      if (specs[0].config.role && specs[1].config.role && p0 == p1) {
        r.error("/servers/1/role", p0 ? "both servers are primary" : "both servers are secondary",
                "one primary and one secondary");
      } else if (specs[0].config.role && specs[1].config.role) {
        const std::size_t primary = p0 ? 0 : 1;
        sc.servers[0] = specs[primary];
        sc.servers[1] = specs[1 - primary];
        servers_ok = true;
        if (sc.servers[0].host == sc.servers[1].host)
          r.error("/servers/1/host", "both servers are called '" + sc.servers[0].host + "'",
                  "two different host names");
        for (std::size_t i = 0; i < 2; ++i) {
          const std::size_t index = i == 0 ? primary : 1 - primary;
          const std::string base = "/servers/" + std::to_string(index);
          for (const core::Problem& pr : core::validate(sc.servers[i].config)) {
            if (pr.field == "name") continue;  // the relationship is checked once, below
            (pr.severity == core::Severity::error ? r.errors : r.warnings)
                .push_back(
                    {file, line_of(text, base + "/" + pr.field), base + "/" + pr.field,
                     pr.message +
                         (pr.isc_message.empty() ? "" : " (ISC: \"" + pr.isc_message + "\")"),
                     pr.valid});
          }
          const auto& me = sc.servers[i].config;
          const auto& other = sc.servers[1 - i].config;
          if (me.peer_address && other.address && *me.peer_address != *other.address)
            r.error(base + "/peer_address",
                    "peer_address " + *me.peer_address + " is not the other server's address " +
                        *other.address,
                    *other.address);
        }
      }
    }
  }
  // With a config block that failed, its own errors say what is wrong.
  if (sc.relationship.empty() && (!j.contains("config") || servers_ok))
    r.error("/relationship", "the failover relationship needs a name", "e.g. \"dhcp-failover\"");

  // pool
  if (j.contains("pool") &&
      r.object(j["pool"], "/pool",
               {"range", "default_lease_time", "max_lease_time", "min_lease_time"}, {"range"})) {
    const Json& p = j["pool"];
    if (p.contains("range")) {
      if (!p["range"].is_array() || p["range"].size() != 2) {
        r.error("/pool/range", "expected [first, last]",
                "[\"192.168.102.110\", \"192.168.102.210\"]");
      } else {
        const auto a = r.ipv4(p["range"][0], "/pool/range/0");
        const auto b = r.ipv4(p["range"][1], "/pool/range/1");
        if (a && b) {
          if (*a > *b)
            r.error("/pool/range", "the range runs backwards", "first address <= last address");
          else if (*b - *a >= (1u << 20))
            r.error("/pool/range", "more than 1048576 addresses",
                    "a range of at most 2^20 addresses");
          sc.pool.first = *a;
          sc.pool.last = *b;
        }
      }
    }
    auto secs = [&](const char* key, auto setter) {
      if (!p.contains(key)) return;
      const auto v = r.config_seconds(p[key], std::string("/pool/") + key);
      if (v && *v <= 0)
        r.error(std::string("/pool/") + key, "must be positive", "seconds, e.g. 3600");
      else if (v)
        setter(core::Seconds{*v});
    };
    secs("default_lease_time", [&](core::Seconds s) { sc.pool.default_lease_time = s; });
    secs("max_lease_time", [&](core::Seconds s) { sc.pool.max_lease_time = s; });
    secs("min_lease_time", [&](core::Seconds s) { sc.pool.min_lease_time = s; });
  }

  // clients
  if (j.contains("clients")) {
    const Json& cs = j["clients"];
    if (!cs.is_array())
      r.error("/clients", "expected a list of client groups", "[ {\"count\": 100, ...} ]");
    for (std::size_t g = 0; cs.is_array() && g < cs.size(); ++g) {
      const std::string p = "/clients/" + std::to_string(g);
      const Json& c = cs[g];
      if (!r.object(c, p,
                    {"count", "reach", "arrival", "stay", "release_on_departure", "client_ids",
                     "macs", "requested_lease_time"},
                    {"count"}))
        continue;
      ClientGroup group;
      if (c.contains("count"))
        group.count = static_cast<std::uint32_t>(
            r.integer(c["count"], p + "/count", 0, 2000000, "0 to 2000000").value_or(0));
      if (c.contains("reach")) {
        const auto s = r.string(c["reach"], p + "/reach");
        if (s == "both")
          group.reach = Reach::both;
        else if (s == "primary")
          group.reach = Reach::primary_only;
        else if (s == "secondary")
          group.reach = Reach::secondary_only;
        else if (s)
          r.error(p + "/reach", "unknown reach '" + *s + "'", "both, primary, secondary");
      }
      if (c.contains("arrival") && r.object(c["arrival"], p + "/arrival", {"start", "window"})) {
        if (c["arrival"].contains("start"))
          group.arrival_start =
              r.duration(c["arrival"]["start"], p + "/arrival/start").value_or(Duration{});
        if (c["arrival"].contains("window"))
          group.arrival_window =
              r.duration(c["arrival"]["window"], p + "/arrival/window").value_or(Duration{});
      }
      if (c.contains("stay")) group.stay = r.duration(c["stay"], p + "/stay");
      if (c.contains("release_on_departure")) {
        if (c["release_on_departure"].is_boolean())
          group.release_on_departure = c["release_on_departure"].get<bool>();
        else
          r.error(p + "/release_on_departure", "expected true or false", "true, false");
      }
      if (c.contains("client_ids")) {
        if (c["client_ids"].is_boolean())
          group.client_ids = c["client_ids"].get<bool>();
        else
          r.error(p + "/client_ids", "expected true or false", "true, false");
      }
      if (c.contains("macs")) {
        if (!c["macs"].is_array())
          r.error(p + "/macs", "expected a list of MAC addresses", "[\"52:54:00:02:bf:f8\"]");
        for (std::size_t k = 0; c["macs"].is_array() && k < c["macs"].size(); ++k) {
          const std::string mp = p + "/macs/" + std::to_string(k);
          const auto s = r.string(c["macs"][k], mp);
          const auto bytes = s ? core::parse_hex_bytes(*s) : std::nullopt;
          if (s && (!bytes || bytes->size() != 6))
            r.error(mp, "'" + *s + "' is not a MAC address",
                    "six hex bytes, e.g. 52:54:00:02:bf:f8");
          else if (s)
            group.macs.push_back(*s);
        }
        if (group.macs.size() > group.count)
          r.error(p + "/macs", "more MACs than clients", "at most count MACs");
      }
      if (c.contains("requested_lease_time")) {
        if (auto v = r.config_seconds(c["requested_lease_time"], p + "/requested_lease_time")) {
          if (*v <= 0)
            r.error(p + "/requested_lease_time", "must be positive", "seconds, e.g. 3600");
          else
            group.requested_lease_time = core::Seconds{*v};
        }
      }
      sc.clients.push_back(group);
    }
  }

  // script
  if (j.contains("script")) {
    const Json& s = j["script"];
    if (!s.is_array())
      r.error("/script", "expected a list of actions",
              "[ {\"at\": \"10m\", \"action\": \"partition\"} ]");
    for (std::size_t k = 0; s.is_array() && k < s.size(); ++k) {
      const std::string p = "/script/" + std::to_string(k);
      const Json& a = s[k];
      if (!r.object(a, p,
                    {"at", "action", "direction", "server", "storage", "graceful", "state",
                     "offset", "count", "window"},
                    {"at", "action"}))
        continue;
      ScriptAction act;
      act.line = k;
      if (a.contains("at")) act.at = Instant{r.duration(a["at"], p + "/at").value_or(Duration{})};
      const std::string kind =
          a.contains("action") ? r.string(a["action"], p + "/action").value_or("") : "";
      static const std::initializer_list<std::string_view> actions{
          "partition", "heal",      "stop",       "crash",  "start",
          "restart",   "set-state", "clock-skew", "clients"};
      auto need = [&](const char* key) {
        if (!a.contains(key)) r.error(p + "/" + key, "'" + kind + "' needs '" + key + "'", key);
        return a.contains(key);
      };
      auto only = [&](std::initializer_list<std::string_view> keys) {
        for (const auto& [key, v] : a.items()) {
          (void)v;
          if (key == "at" || key == "action") continue;
          if (std::find(keys.begin(), keys.end(), key) == keys.end())
            r.error(p + "/" + key, "'" + key + "' does not apply to '" + kind + "'",
                    Reader::list(keys).empty() ? "nothing else" : Reader::list(keys));
        }
      };
      if (kind == "partition" || kind == "heal") {
        act.type = kind == "partition" ? ActionType::partition : ActionType::heal;
        only({"direction"});
        if (a.contains("direction")) {
          const auto d = r.string(a["direction"], p + "/direction");
          if (d == "both")
            act.direction = Direction::both;
          else if (d == "primary_to_secondary")
            act.direction = Direction::primary_to_secondary;
          else if (d == "secondary_to_primary")
            act.direction = Direction::secondary_to_primary;
          else if (d)
            r.error(p + "/direction", "unknown direction '" + *d + "'",
                    "both, primary_to_secondary, secondary_to_primary");
        }
      } else if (kind == "stop" || kind == "crash" || kind == "start" || kind == "restart") {
        act.type = kind == "stop"    ? ActionType::stop
                   : kind == "crash" ? ActionType::crash
                   : kind == "start" ? ActionType::start
                                     : ActionType::restart;
        if (kind == "restart")
          only({"server", "storage", "graceful"});
        else if (kind == "start")
          only({"server", "storage"});
        else
          only({"server"});
        if (need("server") && servers_ok)
          act.server = server_ref(r, a["server"], p + "/server", sc).value_or(0);
        if (a.contains("storage")) {
          const auto st = r.string(a["storage"], p + "/storage");
          if (st == "keep")
            act.keep_storage = true;
          else if (st == "lost")
            act.keep_storage = false;
          else if (st)
            r.error(p + "/storage", "unknown storage '" + *st + "'", "keep, lost");
        }
        if (a.contains("graceful")) {
          if (a["graceful"].is_boolean())
            act.graceful = a["graceful"].get<bool>();
          else
            r.error(p + "/graceful", "expected true or false", "true, false");
        }
      } else if (kind == "set-state") {
        act.type = ActionType::set_state;
        only({"server", "state"});
        if (need("server") && servers_ok)
          act.server = server_ref(r, a["server"], p + "/server", sc).value_or(0);
        if (need("state"))
          act.state = state_value(r, a["state"], p + "/state").value_or(core::State::partner_down);
      } else if (kind == "clock-skew") {
        act.type = ActionType::clock_skew;
        only({"server", "offset"});
        if (need("server") && servers_ok)
          act.server = server_ref(r, a["server"], p + "/server", sc).value_or(0);
        if (need("offset")) {
          const Json& o = a["offset"];
          if (o.is_string() && !o.get<std::string>().empty() && o.get<std::string>()[0] == '-') {
            if (auto d = parse_duration(o.get<std::string>().substr(1)))
              act.offset = -*d;
            else
              r.error(p + "/offset", "not a duration", "e.g. \"90s\" or \"-2m\"");
          } else if (auto d = r.duration(o, p + "/offset")) {
            act.offset = *d;
          }
        }
      } else if (kind == "clients") {
        act.type = ActionType::clients;
        only({"count", "window"});
        if (need("count"))
          act.add_clients = static_cast<std::uint32_t>(
              r.integer(a["count"], p + "/count", 0, 2000000, "0 to 2000000").value_or(0));
        if (a.contains("window"))
          act.window = r.duration(a["window"], p + "/window").value_or(Duration{});
      } else {
        // An empty name is as unknown as any other; a non-string was reported already.
        if (a.contains("action") && a["action"].is_string())
          r.error(p + "/action", "unknown action '" + kind + "'", Reader::list(actions));
        continue;
      }
      if (act.at > Instant{sc.duration} && sc.duration.count() > 0)
        r.warning(p + "/at", "after the end of the run: it will not happen",
                  "a time within duration");
      sc.script.push_back(act);
    }
    std::stable_sort(sc.script.begin(), sc.script.end(),
                     [](const ScriptAction& x, const ScriptAction& y) { return x.at < y.at; });
  }

  // expect
  if (j.contains("expect") &&
      r.object(
          j["expect"], "/expect",
          {"states", "no_duplicates", "min_duplicates", "min_availability", "max_time_to_normal",
           "first_lease_time", "renewal_lease_time", "max_lease_time_granted"})) {
    const Json& e = j["expect"];
    Expectations& ex = sc.expect;
    if (e.contains("states")) {
      if (!e["states"].is_array())
        r.error("/expect/states", "expected a list",
                "[ {\"at\": \"15m\", \"server\": \"primary\", \"state\": \"normal\"} ]");
      for (std::size_t k = 0; e["states"].is_array() && k < e["states"].size(); ++k) {
        const std::string p = "/expect/states/" + std::to_string(k);
        const Json& s = e["states"][k];
        if (!r.object(s, p, {"at", "server", "state"}, {"at", "server", "state"})) continue;
        StateExpectation se;
        if (s.contains("at")) se.at = Instant{r.duration(s["at"], p + "/at").value_or(Duration{})};
        if (s.contains("server") && servers_ok)
          se.server = server_ref(r, s["server"], p + "/server", sc).value_or(0);
        if (s.contains("state"))
          se.state = state_value(r, s["state"], p + "/state").value_or(core::State::normal);
        if (se.at > Instant{sc.duration})
          r.error(p + "/at", "after the end of the run", "a time within duration");
        ex.states.push_back(se);
      }
    }
    auto boolean = [&](const char* key) -> std::optional<bool> {
      if (!e.contains(key)) return std::nullopt;
      if (!e[key].is_boolean()) {
        r.error(std::string("/expect/") + key, "expected true or false", "true, false");
        return std::nullopt;
      }
      return e[key].get<bool>();
    };
    ex.no_duplicates = boolean("no_duplicates");
    if (e.contains("min_duplicates"))
      if (auto v = r.integer(e["min_duplicates"], "/expect/min_duplicates", 0, INT64_MAX,
                             "a count >= 0"))
        ex.min_duplicates = static_cast<std::uint64_t>(*v);
    if (e.contains("min_availability")) {
      if (!e["min_availability"].is_number() || e["min_availability"].get<double>() < 0 ||
          e["min_availability"].get<double>() > 1)
        r.error("/expect/min_availability", "expected a fraction",
                "a number from 0 to 1, e.g. 0.99");
      else
        ex.min_availability = e["min_availability"].get<double>();
    }
    if (e.contains("max_time_to_normal")) {
      ex.max_time_to_normal = r.duration(e["max_time_to_normal"], "/expect/max_time_to_normal");
      const bool heals = std::any_of(sc.script.begin(), sc.script.end(), [](const ScriptAction& a) {
        return a.type == ActionType::heal;
      });
      if (!heals)
        r.error("/expect/max_time_to_normal", "there is no heal to measure from",
                "a script with a 'heal' action, or no max_time_to_normal");
    }
    auto secs = [&](const char* key, std::optional<core::Seconds>& out) {
      if (!e.contains(key)) return;
      if (auto v = r.config_seconds(e[key], std::string("/expect/") + key)) {
        if (*v <= 0)
          r.error(std::string("/expect/") + key, "must be positive", "seconds, e.g. 1800");
        else
          out = core::Seconds{*v};
      }
    };
    secs("first_lease_time", ex.first_lease_time);
    secs("renewal_lease_time", ex.renewal_lease_time);
    secs("max_lease_time_granted", ex.max_lease_time_granted);
  }

  r.errors.insert(r.errors.end(), conf_errors.begin(), conf_errors.end());
  r.warnings.insert(r.warnings.end(), conf_warnings.begin(), conf_warnings.end());
  result.errors = std::move(r.errors);
  result.warnings = std::move(r.warnings);
  result.notes = std::move(import_notes);
  if (result.errors.empty()) result.scenario = std::move(sc);
  return result;
}

}  // namespace fosim::sim
