// Reading a scenario's `servers`: each server's keys come from core's settings table (plus its
// host, clock offset, clock phase and start time), and the pair is checked the way ISC checks each
// declaration, plus that they point at each other.
#include <algorithm>

#include "fosim/core/load_balance.hpp"
#include "fosim/core/settings.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

/// A server's keys: its host, every setting of `failover peer`, its clock offset, when it
/// starts, and the lease file it starts from.
const Keys& server_keys() {
  static const Keys keys = [] {
    Keys k{"host"};
    for (const core::PeerSetting& s : core::peer_settings) k.push_back(s.key);
    k.push_back("clock_offset");
    k.push_back("start_at");
    k.push_back("clock_phase_ms");
    k.push_back("reply_latency");
    k.push_back("leases");
    return k;
  }();
  return keys;
}

/// Reads one `failover peer` setting of a server into `c`.
void read_setting(Reader& r, const core::PeerSetting& s, const Json& v, const std::string& p,
                  core::PeerConfig& c) {
  switch (s.unit) {
    case core::Unit::role:
      if (const auto text = r.string(v, p)) {
        if (*text == "primary" || *text == "secondary")
          c.role = *text == "primary" ? core::Role::primary : core::Role::secondary;
        else
          r.error(p, "unknown role '" + *text + "'", std::string(s.valid));
      }
      return;
    case core::Unit::host:
      if (auto text = r.string(v, p)) c.*(s.text) = *text;
      return;
    case core::Unit::bytes:
      if (const auto text = r.string(v, p)) {
        if (const auto bytes = core::parse_hex_bytes(*text))
          c.hba = *bytes;
        else
          r.error(p, "not hex bytes", "32 colon-separated hex bytes");
      }
      return;
    case core::Unit::seconds:
      if (const auto n = r.config_seconds(v, p)) c.*(s.number) = *n;
      return;
    default:  // counts, percentages, ports, buckets: ranges are core's validation's to check
      if (v.is_number_integer())
        c.*(s.number) = v.get<std::int64_t>();
      else
        r.error(p, "expected a whole number", "see docs/scenario-format.md");
      return;
  }
}

void read_server(Reader& r, const Json& j, const std::string& path, ServerSpec& out) {
  if (!r.object(j, path, server_keys(), {"host", "role"})) return;
  for (const auto& [key, v] : j.items()) {
    const std::string p = path + "/" + key;
    if (key == "host") {
      if (auto s = r.string(v, p)) out.host = *s;
    } else if (key == "clock_offset") {
      if (auto d = r.signed_duration(v, p, true)) out.clock_offset = *d;
    } else if (key == "start_at") {
      if (auto d = r.duration(v, p)) out.start_at = *d;
    } else if (key == "clock_phase_ms") {
      if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() < 1000)
        out.clock_phase = Duration{v.get<std::int64_t>()};
      else
        r.error(p, "expected a whole number of milliseconds below a second", "0 to 999");
    } else if (key == "reply_latency") {
      if (auto d = r.duration(v, p)) out.reply_latency = *d;
    } else if (key == "leases") {
      if (auto s = r.string(v, p)) out.leases = *s;
    } else if (const core::PeerSetting* s = core::find_peer_setting(key)) {
      read_setting(r, *s, v, p, out.config);
    }
  }
}

/// Core's validation of the server at scenario index `i` (file index `index`), and that its
/// peer_address is the other server's address.
void check_server(Reader& r, const Scenario& sc, std::size_t i, std::size_t index) {
  const std::string base = "/servers/" + std::to_string(index);
  for (const core::Problem& pr : core::validate(sc.servers[i].config)) {
    if (pr.field == "name") continue;  // the relationship is checked once, by the caller
    r.add(pr.severity == core::Severity::error, base + "/" + pr.field,
          pr.message + (pr.isc_message.empty() ? "" : " (ISC: \"" + pr.isc_message + "\")"),
          pr.valid);
  }
  if (sc.duration.count() > 0 && sc.servers[i].start_at >= sc.duration)
    r.error(base + "/start_at", "the server would start after the end of the run",
            "a time within duration");
  const auto& me = sc.servers[i].config;
  const auto& other = sc.servers[1 - i].config;
  if (me.peer_address && other.address && *me.peer_address != *other.address)
    r.error(
        base + "/peer_address",
        "peer_address " + *me.peer_address + " is not the other server's address " + *other.address,
        *other.address);
}

}  // namespace

bool read_servers(Reader& r, const Json& s, Scenario& sc) {
  if (!s.is_array() || s.size() != 2) {
    r.error("/servers", "expected exactly two servers",
            "[ {\"role\": \"primary\", ...}, {\"role\": \"secondary\", ...} ]");
    return false;
  }
  ServerSpec specs[2];
  for (std::size_t i = 0; i < 2; ++i) {
    read_server(r, s[i], "/servers/" + std::to_string(i), specs[i]);
    specs[i].config.name = sc.relationship;
  }
  if (!specs[0].config.role || !specs[1].config.role) return false;
  const bool p0 = specs[0].config.role == core::Role::primary,
             p1 = specs[1].config.role == core::Role::primary;
  if (p0 == p1) {
    r.error("/servers/1/role", p0 ? "both servers are primary" : "both servers are secondary",
            "one primary and one secondary");
    return false;
  }
  const std::size_t primary = p0 ? 0 : 1;
  sc.servers[0] = specs[primary];
  sc.servers[1] = specs[1 - primary];
  if (sc.servers[0].host == sc.servers[1].host)
    r.error("/servers/1/host", "both servers are called '" + sc.servers[0].host + "'",
            "two different host names");
  for (std::size_t i = 0; i < 2; ++i) check_server(r, sc, i, i == 0 ? primary : 1 - primary);
  return true;
}

}  // namespace fosim::sim::detail
