#include "fosim/sim/failover_import.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "fosim/core/peer_config.hpp"
#include "json_text.hpp"

namespace fosim::sim {
namespace {

using Json = nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// One description object with its keys looked up without regard to case.
class Fields {
 public:
  Fields(const Json& j, std::string base, std::string_view text, std::string file,
         ImportedRelationship& out)
      : base_(std::move(base)), text_(text), file_(std::move(file)), out_(out) {
    for (const auto& [key, value] : j.items()) {
      const auto it = keys_.find(lower(key));
      if (it != keys_.end()) {
        out_.errors.push_back(
            {file_, detail::line_of(text_, base_ + "/" + key), base_ + "/" + key,
             "'" + it->second.first + "' and '" + key + "' are the same key in other case",
             "give it once"});
        continue;
      }
      keys_.emplace(lower(key), std::make_pair(key, &value));
    }
  }

  const Json* get(std::string_view key) {
    used_.push_back(lower(key));
    const auto it = keys_.find(lower(key));
    return it == keys_.end() || it->second.second->is_null() ? nullptr : it->second.second;
  }
  /// The JSON pointer of `key` as spelled in the input.
  std::string path(std::string_view key) const {
    const auto it = keys_.find(lower(key));
    return base_ + "/" + (it == keys_.end() ? std::string(key) : it->second.first);
  }
  void error(std::string_view key, const std::string& message, const std::string& valid) {
    out_.errors.push_back({file_, detail::line_of(text_, path(key)), path(key), message, valid});
  }
  void note(std::string_view key, const std::string& message, const std::string& valid = "") {
    out_.notes.push_back({file_, key.empty() ? 0 : detail::line_of(text_, path(key)),
                          key.empty() ? "" : path(key), message, valid});
  }
  /// Keys of the input not looked up so far.
  std::vector<std::string> unused() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : keys_)
      if (std::find(used_.begin(), used_.end(), k) == used_.end()) out.push_back(v.first);
    return out;
  }

  std::optional<std::string> string(std::string_view key, bool required) {
    const Json* v = get(key);
    if (v == nullptr) {
      if (required) error(key, "missing " + std::string(key), "a non-empty string");
      return std::nullopt;
    }
    if (!v->is_string() || v->get<std::string>().empty()) {
      error(key,
            "expected a non-empty string, found " +
                v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            "a quoted name");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  /// A whole number, given as a JSON number or as digits in a string.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const Json* v = get(key);
    if (v == nullptr) return std::nullopt;
    std::optional<std::int64_t> n;
    if (v->is_number_integer()) {
      n = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
              ? INT64_MAX
              : v->get<std::int64_t>();
    } else if (v->is_string()) {
      const std::string s = v->get<std::string>();
      if (!s.empty() && s.size() <= 12 &&
          std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        n = std::stoll(s);
    }
    if (!n) {
      error(key,
            "expected a whole number, found " +
                v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            std::to_string(min) + " to " + std::to_string(max));
    } else if (*n < min || *n > max) {
      error(
          key,
          std::string(key) + " " +
              (v->is_string() ? v->get<std::string>()
                              : v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
              " is out of range",
          std::to_string(min) + " to " + std::to_string(max));
      n.reset();
    }
    return n;
  }

  /// A percentage 0..100 (whole or fractional).
  std::optional<double> percent(std::string_view key) {
    const Json* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0 ||
        v->get<double>() > 100) {
      error(key,
            "expected a percentage, found " +
                v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            "0 to 100");
      return std::nullopt;
    }
    return v->get<double>();
  }

  std::optional<bool> boolean(std::string_view key) {
    const Json* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_string() &&
        (lower(v->get<std::string>()) == "true" || lower(v->get<std::string>()) == "false"))
      return lower(v->get<std::string>()) == "true";
    error(key,
          "expected true or false, found " +
              v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          "true, false");
    return std::nullopt;
  }

  /// A .NET TimeSpan as ConvertTo-Json writes it (an object with TotalSeconds or Ticks), as
  /// "[d.]hh:mm:ss[.fffffff]", as a number of seconds, or as a fosim duration ("1h").
  std::optional<std::int64_t> timespan(std::string_view key) {
    const Json* v = get(key);
    if (v == nullptr) return std::nullopt;
    std::optional<double> seconds;
    if (v->is_number()) {
      seconds = v->get<double>();
    } else if (v->is_object()) {
      if (v->contains("TotalSeconds") && (*v)["TotalSeconds"].is_number())
        seconds = (*v)["TotalSeconds"].get<double>();
      else if (v->contains("Ticks") && (*v)["Ticks"].is_number())
        seconds = (*v)["Ticks"].get<double>() / 1e7;
    } else if (v->is_string()) {
      seconds = clock_text(v->get<std::string>());
    }
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0 || *seconds > 4294967295.0) {
      error(key,
            "not a time span: " + v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            "seconds, \"hh:mm:ss\", \"d.hh:mm:ss\", or a TimeSpan object with TotalSeconds");
      return std::nullopt;
    }
    if (*seconds != std::floor(*seconds))
      note(key, std::string(key) + " rounded to whole seconds: ISC counts in seconds");
    return static_cast<std::int64_t>(std::llround(*seconds));
  }

 private:
  static std::optional<double> clock_text(const std::string& s) {
    if (s.find(':') == std::string::npos) {
      if (auto d = parse_duration(s)) return static_cast<double>(d->count()) / 1000.0;
      return std::nullopt;
    }
    // [d.]hh:mm:ss[.fraction]
    double days = 0;
    std::string rest = s;
    const std::size_t colon = s.find(':');
    const std::size_t dot = s.find('.');
    if (dot != std::string::npos && dot < colon) {
      const std::string d = s.substr(0, dot);
      if (d.empty() || d.size() > 6 || !std::all_of(d.begin(), d.end(), ::isdigit))
        return std::nullopt;
      days = std::stod(d);
      rest = s.substr(dot + 1);
    }
    int h = 0, m = 0;
    double sec = 0;
    char c1 = 0, c2 = 0;
    int used = 0;
    if (std::sscanf(rest.c_str(), "%2d%c%2d%c%lf%n", &h, &c1, &m, &c2, &sec, &used) != 5 ||
        c1 != ':' || c2 != ':' || static_cast<std::size_t>(used) != rest.size() || h < 0 ||
        h > 23 || m < 0 || m > 59 || sec < 0 || sec >= 60)
      return std::nullopt;
    return days * 86400 + h * 3600 + m * 60 + sec;
  }

  std::map<std::string, std::pair<std::string, const Json*>> keys_;
  std::vector<std::string> used_;
  std::string base_;
  std::string_view text_;
  std::string file_;
  ImportedRelationship& out_;
};

/// `v` without trailing zeros: "60", "62.5".
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

/// split for "this server answers `pct` % of clients", with a note when 256 buckets cannot
/// say it exactly.
std::int64_t split_for(double pct, Fields& f, std::string_view key) {
  const auto split = static_cast<std::int64_t>(std::llround(pct * 256.0 / 100.0));
  if (std::abs(static_cast<double>(split) * 100.0 / 256.0 - pct) > 1e-9) {
    char share[32];
    std::snprintf(share, sizeof share, "%.2f", static_cast<double>(split) * 100.0 / 256.0);
    f.note(key, std::string(key) + " " + number(pct) + " % becomes split " + std::to_string(split) +
                    ": the primary answers " + std::to_string(split) + " of 256 hash buckets (" +
                    share + " %)");
  }
  return split;
}

std::string host_of(const std::string& server) {
  std::string h = server;
  while (!h.empty() && h.back() == '.') h.pop_back();
  return h;
}

/// Whether `host` can name a server: a host name or an address, no spaces or controls.
bool host_name(const std::string& host) {
  return !host.empty() && std::any_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  }) && std::none_of(host.begin(), host.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ';
  });
}

void both(ImportedRelationship& r, const std::optional<std::int64_t>& v,
          std::optional<std::int64_t> core::PeerConfig::*m) {
  if (!v) return;
  r.servers[0].config.*m = v;
  r.servers[1].config.*m = v;
}

void read_micetro(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r) {
  Fields f(j, base, text, file, r);
  const auto name = f.string("Name", true);
  const auto primary = f.string("PrimaryServer", true);
  const auto secondary = f.string("SecondaryServer", true);
  const auto pct = f.percent("Percentage");
  const auto mclt = f.integer("Mclt", 1, 4294967295);
  if (f.get("Mclt") == nullptr)
    f.error("Mclt", "missing Mclt: ISC needs an mclt on the primary", "seconds, e.g. 3600");
  const auto port = f.integer("Port", 1, 65535);
  const auto lbms = f.integer("LoadBalanceMaxSeconds", 0, 65535);
  const auto mrd = f.integer("MaxResponseDelay", 0, 4294967295);
  const auto mau = f.integer("MaxUnackedUpdates", 0, 65535);
  for (const std::string& k : f.unused())
    f.note(k, "ignored: " + k + " is not a parameter of AddDHCPFailoverRelationship",
           "Name, PrimaryServer, SecondaryServer, Percentage, Mclt, Port, LoadBalanceMaxSeconds, "
           "MaxResponseDelay, MaxUnackedUpdates");
  if (!r.errors.empty()) return;
  r.name = *name;
  r.servers[0].host = host_of(*primary);
  r.servers[1].host = host_of(*secondary);
  r.servers[0].config.split = pct ? split_for(*pct, f, "Percentage") : 128;
  if (!pct) f.note("", "Percentage not given: split 128, the primary answers half of the clients");
  r.servers[0].config.mclt_s = mclt;
  both(r, port, &core::PeerConfig::port);
  both(r, port, &core::PeerConfig::peer_port);
  if (port)
    f.note("Port",
           "Port " + std::to_string(*port) + " is used as both servers' port and peer port");
  both(r, lbms, &core::PeerConfig::load_balance_max_seconds);
  both(r, mrd, &core::PeerConfig::max_response_delay_s);
  both(r, mau, &core::PeerConfig::max_unacked_updates);
}

void read_windows(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r) {
  Fields f(j, base, text, file, r);
  const auto name = f.string("Name", true);
  const auto partner = f.string("PartnerServer", true);
  auto local = f.string("PSComputerName", false);
  const auto computer = f.string("ComputerName", false);
  if (!local) local = computer;
  const auto mode = f.string("Mode", false);
  const Json* role_value = f.get("ServerRole");  // "" outside hot standby
  const std::optional<std::string> role = role_value != nullptr && role_value->is_string()
                                              ? std::optional(role_value->get<std::string>())
                                              : std::nullopt;
  const auto lb_pct = f.percent("LoadBalancePercent");
  const auto reserve = f.percent("ReservePercent");
  const auto mclt = f.timespan("MaxClientLeadTime");
  const auto interval = f.timespan("StateSwitchInterval");
  const auto auto_transition = f.boolean("AutoStateTransition");
  for (const char* k : {"ScopeId", "State", "EnableAuth", "SharedSecret", "CimClass",
                        "CimInstanceProperties", "CimSystemProperties"})
    f.get(k);  // known, and nothing fosim plays
  for (const std::string& k : f.unused())
    f.note(k, "ignored: " + k + " is not a field fosim maps",
           "Name, PartnerServer, Mode, ServerRole, LoadBalancePercent, ReservePercent, "
           "MaxClientLeadTime, "
           "StateSwitchInterval, AutoStateTransition");
  if (!mode) f.note("", "Mode not given: LoadBalance, Windows' default");
  const std::string m = lower(mode.value_or("LoadBalance"));
  if (m != "loadbalance" && m != "hotstandby")
    f.error("Mode", "unknown mode '" + *mode + "'", "LoadBalance, HotStandby");
  const bool hot = m == "hotstandby";
  bool local_primary = true;
  if (hot) {
    const std::string sr = lower(role.value_or(""));
    if (sr != "active" && sr != "standby")
      f.error(
          "ServerRole",
          role ? "unknown server role '" + *role + "'" : "missing ServerRole: hot standby needs it",
          "Active, Standby");
    local_primary = sr != "standby";
  }
  if (!r.errors.empty()) return;
  r.name = *name;
  if (!local)
    f.note("",
           "no PSComputerName: the server that reported the relationship is called 'local-server'");
  const std::string here = local ? host_of(*local) : "local-server";
  r.servers[local_primary ? 0 : 1].host = here;
  r.servers[local_primary ? 1 : 0].host = host_of(*partner);
  core::PeerConfig& p = r.servers[0].config;
  if (hot) {
    p.split = 256;
    f.note("Mode", "hot standby becomes split 256: the active server (" + r.servers[0].host +
                       ") answers every client while both are normal");
    f.note(
        reserve ? "ReservePercent" : "Mode",
        "reserve " + number(reserve.value_or(5.0)) +
            " % is not exact: ISC has no reserve; its pool balancing keeps about half of the free "
            "addresses on the secondary (max-lease-misbalance, max-lease-ownership)");
  } else {
    p.split = lb_pct ? split_for(*lb_pct, f, "LoadBalancePercent") : 128;
    if (!lb_pct) f.note("", "LoadBalancePercent not given: Windows' default 50, split 128");
  }
  p.mclt_s = mclt.value_or(3600);
  if (!mclt) f.note("", "MaxClientLeadTime not given: Windows' default 1 hour, mclt 3600");
  if (auto_transition.value_or(false) && interval && *interval == 0) {
    f.error("StateSwitchInterval",
            "a StateSwitchInterval of 0 with AutoStateTransition on has no ISC counterpart: "
            "auto-partner-down 0 means off",
            "at least 1 second");
    return;
  }
  if (auto_transition.value_or(false)) {
    if (!interval)
      f.note("AutoStateTransition", "StateSwitchInterval not given: Windows' default 60 minutes");
    both(r, interval.value_or(3600), &core::PeerConfig::auto_partner_down_s);
    f.note(interval ? "StateSwitchInterval" : "AutoStateTransition",
           "automatic state transition after " + std::to_string(interval.value_or(3600)) +
               " s becomes auto-partner-down " + std::to_string(interval.value_or(3600)));
  } else if (interval) {
    f.note("StateSwitchInterval",
           "StateSwitchInterval is unused while AutoStateTransition is off: no auto-partner-down");
  }
  // Windows balances by the hash alone; ISC's 0 would switch load balancing off altogether.
  both(r, 65535, &core::PeerConfig::load_balance_max_seconds);
  f.note("",
         "Windows has no load balance max seconds: 65535 plays balancing by the hash alone (the "
         "secs field "
         "never exceeds it)");
  f.note("", "Windows has no max-response-delay: ISC's default 20 s is played");
}

/// The description object to read: the top level, a JSON-RPC style "params" member, or the
/// element of an array named `name`.
const Json* pick(const Json& j, const std::string& name, std::string& base, std::string& problem) {
  if (j.is_object() && j.contains("params") && j["params"].is_object()) {
    base = "/params";
    return &j["params"];
  }
  if (j.is_object()) return &j;
  if (!j.is_array()) {
    problem = "expected an object (or an array of relationships)";
    return nullptr;
  }
  std::vector<std::string> names;
  const Json* found = nullptr;
  if (j.empty()) {
    problem = "an empty list: no relationship";
    return nullptr;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_object()) {
      problem = "element " + std::to_string(i) + " of the list is not an object (a relationship)";
      return nullptr;
    }
    for (const auto& [key, value] : j[i].items())
      if (lower(key) == "name" && value.is_string()) {
        names.push_back(value.get<std::string>());
        if (name.empty() ? j.size() == 1 : value.get<std::string>() == name) {
          found = &j[i];
          base = "/" + std::to_string(i);
        }
      }
  }
  if (found == nullptr) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    problem = name.empty()
                  ? "the file holds " + std::to_string(j.size()) + " relationships; say which"
                  : "no relationship named '" + name + "'";
    problem += list.empty() ? "" : " (it has: " + list + ")";
  }
  return found;
}

/// Checks the imported declarations the way a scenario's are checked, naming the input key.
void validate(ImportedRelationship& r, const std::string& file, std::string_view text,
              const std::string& base) {
  static const std::map<std::string, std::map<std::string, std::string>> source_key{
      {"micetro",
       {{"mclt", "Mclt"},
        {"split", "Percentage"},
        {"port", "Port"},
        {"peer_port", "Port"},
        {"load_balance_max_seconds", "LoadBalanceMaxSeconds"},
        {"max_response_delay", "MaxResponseDelay"},
        {"max_unacked_updates", "MaxUnackedUpdates"}}},
      {"windows",
       {{"mclt", "MaxClientLeadTime"},
        {"split", "LoadBalancePercent"},
        {"auto_partner_down", "StateSwitchInterval"}}}};
  const auto& keys = source_key.at(std::string(to_string(r.format)));
  for (std::size_t i = 0; i < 2; ++i) {
    core::PeerConfig& c = r.servers[i].config;
    c.name = r.name;
    c.role = i == 0 ? core::Role::primary : core::Role::secondary;
    c.address = r.servers[i].host;
    c.peer_address = r.servers[1 - i].host;
  }
  for (std::size_t i = 0; i < 2; ++i)
    for (const core::Problem& p : core::validate(r.servers[i].config)) {
      if (p.severity != core::Severity::error) continue;
      const auto k = keys.find(p.field);
      const std::string path = k == keys.end() ? base : base + "/" + k->second;
      r.errors.push_back({file, detail::line_of(text, path), path,
                          r.servers[i].host + ": " + p.message +
                              (p.isc_message.empty() ? "" : " (ISC: \"" + p.isc_message + "\")"),
                          p.valid});
    }
}

}  // namespace

std::string_view to_string(ImportFormat f) {
  return f == ImportFormat::micetro ? "micetro" : "windows";
}

std::optional<ImportFormat> parse_import_format(std::string_view text) {
  if (text == "micetro") return ImportFormat::micetro;
  if (text == "windows") return ImportFormat::windows;
  return std::nullopt;
}

ImportedRelationship import_relationship(std::string_view text, const std::string& file,
                                         std::optional<ImportFormat> format,
                                         const std::string& name) {
  ImportedRelationship r;
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    const std::size_t byte = e.id == 101 ? static_cast<const Json::parse_error&>(e).byte : 0;
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    r.errors.push_back(
        {file, byte ? detail::line_at(text, byte - 1) : 0, "", "JSON " + what, "well-formed JSON"});
    return r;
  }
  std::string base, problem;
  const Json* obj = pick(j, name, base, problem);
  if (obj == nullptr) {
    r.errors.push_back(
        {file, 1, "", problem,
         j.is_array() ? "--name NAME, or the scenario's \"relationship\"" : "a JSON object"});
    return r;
  }
  if (!format) {
    bool micetro = false, windows = false;
    for (const auto& [key, value] : obj->items()) {
      micetro = micetro || lower(key) == "primaryserver";
      windows = windows || lower(key) == "partnerserver";
    }
    if (micetro == windows) {
      r.errors.push_back({file, 1, base,
                          micetro
                              ? "both PrimaryServer and PartnerServer: is it Micetro or Windows?"
                              : "neither PrimaryServer (Micetro) nor PartnerServer (Windows)",
                          "say --format micetro or --format windows"});
      return r;
    }
    format = micetro ? ImportFormat::micetro : ImportFormat::windows;
  }
  r.format = *format;
  if (r.format == ImportFormat::micetro)
    read_micetro(*obj, base, text, file, r);
  else
    read_windows(*obj, base, text, file, r);
  if (r.errors.empty() && !name.empty() && r.name != name)
    r.errors.push_back({file, detail::line_of(text, base + "/Name"), base + "/Name",
                        "the relationship is called '" + r.name + "', not '" + name + "'", r.name});
  for (std::size_t i = 0; i < 2 && r.errors.empty(); ++i)
    if (!host_name(r.servers[i].host))
      r.errors.push_back({file, 1, base, "'" + r.servers[i].host + "' is not a server name",
                          "a host name or an IPv4 address"});
  if (r.errors.empty() && lower(r.servers[0].host) == lower(r.servers[1].host))
    r.errors.push_back({file, 1, base, "both servers are called '" + r.servers[0].host + "'",
                        "two different servers"});
  if (r.errors.empty()) validate(r, file, text, base);
  return r;
}

}  // namespace fosim::sim
