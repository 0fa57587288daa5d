// Reading scenario files: the JSON text, the top-level keys, and each section in turn (the
// section readers are in scenario_servers.cpp, scenario_pool.cpp, scenario_clients.cpp,
// scenario_script.cpp, scenario_expect.cpp, scenario_config.cpp and scenario_link.cpp).
#include "fosim/formats/scenario_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/formats/leases_load.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim {
namespace {

using detail::Json;
using detail::Reader;

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

/// The 1-based line of byte offset `byte` of `text`.
std::size_t line_at(std::string_view text, std::size_t byte) {
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n')) +
         1;
}

/// Parses `text` as JSON; nothing, with the error in `result`, when it is not JSON.
std::optional<Json> parse_json(std::string_view text, const std::string& file, LoadResult& result) {
  if (const std::size_t deep = too_deep(text); deep != std::string_view::npos) {
    result.errors.push_back(
        {file, line_at(text, deep), "",
         "JSON nests arrays and objects more than " + std::to_string(max_json_nesting) + " deep",
         "at most " + std::to_string(max_json_nesting) + " nested arrays and objects"});
    return std::nullopt;
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    const std::size_t byte = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    result.errors.push_back({file, line_at(text, byte), "", "JSON " + what, "well-formed JSON"});
  } catch (const Json::exception& e) {
    // e.g. out_of_range 406, "number overflow parsing '1e400'": find the number's line.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    std::size_t line = 0;
    if (auto q = what.find('\''); q != std::string::npos) {
      const std::string token = what.substr(q + 1, what.find('\'', q + 1) - q - 1);
      if (auto at = text.find(token); !token.empty() && at != std::string_view::npos)
        line = line_at(text, at);
    }
    result.errors.push_back({file, line, "", "JSON " + what, "numbers a double can hold"});
  }
  return std::nullopt;
}

/// With --config: the scenario's own servers, pool and config give way to the files.
void replace_config(Reader& r, Json& j, const std::optional<ConfigFiles>& config) {
  if (!config || !j.is_object()) return;
  for (const char* key : {"servers", "pool", "pools", "config"})
    if (j.contains(key)) {
      r.warning(std::string("/") + key, "replaced by the dhcpd.conf files given with --config",
                "leave it out, or run without --config");
      j.erase(key);
    }
  j["config"] = {{"primary", config->primary}, {"secondary", config->secondary}};
}

/// Checks the top-level keys; false when `j` is not an object.
bool top_level(Reader& r, const Json& j) {
  const bool config = j.is_object() && j.contains("config");
  const bool pools = j.is_object() && j.contains("pools");
  if (pools && j.contains("pool"))
    r.error("/pools", "given with \"pool\"", "either \"pool\" (one) or \"pools\" (several)");
  return r.object(j, "",
                  {"name", "description", "relationship", "seed", "duration", "link",
                   "client_latency", "start", "servers", "pool", "pools", "config", "clients",
                   "script", "expect", "profile", "acceptable"},
                  config  ? detail::Keys{"duration"}
                  : pools ? detail::Keys{"relationship", "duration", "servers"}
                          : detail::Keys{"relationship", "duration", "servers", "pool"});
}

/// Reads the scenario's name, description, relationship, seed, duration and latencies.
void read_header(Reader& r, const Json& j, Scenario& sc) {
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
  for (std::size_t k = 0; k < run_settings.size(); ++k)
    if (run_settings[k].key != "link.syn_schedule" || !detail::read_syn_waits(r, j, sc))
      detail::read_row(r, j, "", run_settings, k, sc);
  if (j.contains("profile"))
    if (const auto name = r.string(j["profile"], "/profile")) {
      if (const auto id = core::parse_profile(*name))
        sc.profile = *id;
      else
        r.error("/profile", "unknown profile '" + *name + "'", std::string(core::profile_names));
    }
}

/// Reads `acceptable`: the invariants explore may find broken without failing.
void read_acceptable(Reader& r, const Json& list, Scenario& sc) {
  std::string valid;
  for (const std::string_view n : invariant_names)
    valid += (valid.empty() ? "" : ", ") + std::string(n);
  if (!list.is_array()) {
    r.error("/acceptable", "expected a list", "[\"not-normal\"], of " + valid);
    return;
  }
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string p = "/acceptable/" + std::to_string(k);
    const auto name = r.string(list[k], p);
    if (!name) continue;
    const auto inv = parse_invariant(*name);
    if (!inv)
      r.error(p, "unknown invariant '" + *name + "'", valid);
    else if (std::find(sc.acceptable.begin(), sc.acceptable.end(), *inv) != sc.acceptable.end())
      r.error(p, "'" + *name + "' is given twice", "each invariant once");
    else
      sc.acceptable.push_back(*inv);
  }
  std::sort(sc.acceptable.begin(), sc.acceptable.end());
}

}  // namespace

std::string format(const ScenarioError& e) {
  std::string out = e.file;
  if (e.line != 0) out += ":" + std::to_string(e.line);
  out += ": " + (e.path.empty() ? std::string("/") : e.path) + ": " + e.message;
  if (!e.valid.empty()) out += " (valid: " + e.valid + ")";
  return out;
}

namespace {

/// Returns `text` without its leading and trailing spaces.
std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

/// Whether every character of `v` is a decimal digit (true for an empty `v`).
bool all_digits(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Returns the value of exactly two decimal digits, or -1.
int two_digits(std::string_view v) {
  return v.size() == 2 && all_digits(v) ? (v[0] - '0') * 10 + (v[1] - '0') : -1;
}

/// Takes a leading "D+" (up to five digits of days) off `text`; nothing when it is malformed,
/// 0 days when there is none.
std::optional<std::int64_t> take_days(std::string_view& text) {
  const std::size_t plus = text.find('+');
  if (plus == std::string_view::npos) return 0;
  const std::string_view d = text.substr(0, plus);
  if (d.empty() || d.size() > 5 || !all_digits(d)) return std::nullopt;
  text.remove_prefix(plus + 1);
  return std::stoll(std::string(d));
}

/// Returns the milliseconds of the ".m", ".mm" or ".mmm" after HH:MM:SS (0 without one);
/// nothing when it is malformed.
std::optional<std::int64_t> fraction_ms(std::string_view text) {
  if (text.size() <= 8) return 0;
  const std::string_view frac = text.substr(9);
  if (text[8] != '.' || frac.empty() || frac.size() > 3 || !all_digits(frac)) return std::nullopt;
  return std::stoll(std::string(frac)) * (frac.size() == 1 ? 100 : frac.size() == 2 ? 10 : 1);
}

/// fosim's own time format: [D+]HH:MM:SS[.mmm], as the timelines print it.
std::optional<Duration> parse_clock_time(std::string_view text) {
  const std::optional<std::int64_t> days = take_days(text);
  if (!days) return std::nullopt;
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const int h = two_digits(text.substr(0, 2)), m = two_digits(text.substr(3, 2)),
            sec = two_digits(text.substr(6, 2));
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  const std::optional<std::int64_t> ms = fraction_ms(text);
  if (!ms) return std::nullopt;
  return Duration{((*days * 24 + h) * 60 + m) * 60000 + sec * 1000 + *ms};
}

/// Returns the milliseconds in one `unit` ("ms", "s", "m", "h", "d"); no unit means seconds
/// when `bare` (a lone number). Nothing for any other unit.
std::optional<double> unit_ms(std::string_view unit, bool bare) {
  if (unit == "ms") return 1;
  if (unit == "s" || (unit.empty() && bare)) return 1000;
  if (unit == "m") return 60000;
  if (unit == "h") return 3600000;
  if (unit == "d") return 86400000;
  return std::nullopt;
}

/// A sum of numbers with units, such as "1h30m" or "2.5s", or a lone number of seconds; at
/// most 1e15 ms in all.
std::optional<Duration> parse_unit_sum(std::string_view text) {
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
    const std::optional<double> scale = unit_ms(text.substr(k, u - k), u == text.size() && !any);
    if (!scale) return std::nullopt;
    const double ms = value * *scale;
    if (!std::isfinite(ms) || ms > 1e15 - static_cast<double>(total)) return std::nullopt;
    total += static_cast<std::int64_t>(std::llround(ms));
    any = true;
    i = u;
  }
  return Duration{total};
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  text = trim_spaces(text);
  if (text.empty()) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return parse_clock_time(text);
  return parse_unit_sum(text);
}

namespace {

/// The servers' `leases` keys: each lease file read (relative to the scenario's directory) and
/// its leases given to its server.
void read_lease_files(Scenario& sc, const std::string& file, const core::IncludeReader& read_file,
                      Reader& r) {
  std::array<std::optional<LeaseFileText>, 2> files;
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string& name = sc.servers[i].leases;
    if (name.empty()) continue;
    std::string error = "no file reader";
    std::optional<std::string> text = read_file ? read_file(name, error) : std::nullopt;
    if (!text)
      r.error("/servers/" + std::to_string(i) + "/leases", error, "a readable dhcpd.leases file");
    else if (const std::filesystem::path p(name); p.is_relative())  // named as found
      files[i] =
          LeaseFileText{(std::filesystem::path(file).parent_path() / p).string(), std::move(*text)};
    else
      files[i] = LeaseFileText{name, std::move(*text)};
  }
  if (!r.errors.empty() || (!files[0] && !files[1])) return;
  std::vector<LeasesError> problems;
  start_from_lease_files(sc, files, problems);
  for (const LeasesError& e : problems) {
    const std::size_t i = files[0] && files[0]->name == e.file ? 0 : 1;
    r.errors.push_back(
        {e.file, e.line, "/servers/" + std::to_string(i) + "/leases", e.message, ""});
  }
}

}  // namespace

LoadResult parse_scenario(std::string_view text, const std::string& file,
                          const core::IncludeReader& read_file,
                          const std::optional<ConfigFiles>& config) {
  LoadResult result;
  std::optional<Json> parsed = parse_json(text, file, result);
  if (!parsed) return result;
  Json& j = *parsed;
  Reader r(text, file);
  replace_config(r, j, config);
  Scenario sc;
  sc.name = std::filesystem::path(file).stem().string();
  if (!top_level(r, j)) {
    result.errors = r.errors;
    return result;
  }
  read_header(r, j, sc);
  // servers and pool: from a config block (dhcpd.conf files or an import), or written out here
  detail::ConfigOutcome conf;
  if (j.contains("config")) conf = detail::read_config(r, j, read_file, sc);
  bool servers_ok = conf.servers_ok;
  if (j.contains("servers") && detail::read_servers(r, j["servers"], sc)) servers_ok = true;
  // With a config block that failed, its own errors say what is wrong.
  if (sc.relationship.empty() && (!j.contains("config") || servers_ok))
    r.error("/relationship", "the failover relationship needs a name", "e.g. \"dhcp-failover\"");
  if (j.contains("pool")) detail::read_pool(r, j["pool"], sc.pool);
  if (j.contains("pools")) detail::read_pools(r, j["pools"], sc);
  if (j.contains("clients")) detail::read_clients(r, j["clients"], sc.clients);
  for (std::size_t g = 0; g < sc.clients.size(); ++g)
    if (sc.clients[g].pool && *sc.clients[g].pool > sc.more_pools.size())
      r.error("/clients/" + std::to_string(g) + "/pool",
              "there is no pool " + std::to_string(*sc.clients[g].pool),
              "0 to " + std::to_string(sc.more_pools.size()) + ", a place in pools");
  if (j.contains("script")) detail::read_script(r, j["script"], servers_ok, sc);
  if (j.contains("expect")) detail::read_expect(r, j["expect"], servers_ok, sc);
  if (j.contains("acceptable")) read_acceptable(r, j["acceptable"], sc);

  r.errors.insert(r.errors.end(), conf.errors.begin(), conf.errors.end());
  r.warnings.insert(r.warnings.end(), conf.warnings.begin(), conf.warnings.end());
  if (r.errors.empty()) read_lease_files(sc, file, read_file, r);
  result.errors = std::move(r.errors);
  result.warnings = std::move(r.warnings);
  result.notes = std::move(conf.notes);
  if (result.errors.empty()) result.scenario = std::move(sc);
  return result;
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

}  // namespace fosim::sim
