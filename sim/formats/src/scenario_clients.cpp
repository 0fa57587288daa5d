// Reading a scenario's `clients`: the groups of clients and how they arrive and stay, key by
// key from the table in run_settings.hpp (the MACs are a list, read here). A client is its
// MAC: two fixed MACs that are equal, in one group or two, are an error.
#include <map>

#include "fosim/core/load_balance.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

void read_macs(Reader& r, const Json& macs, const std::string& p, ClientGroup& group) {
  if (!macs.is_array()) r.error(p, "expected a list of MAC addresses", "[\"52:54:00:02:bf:f8\"]");
  for (std::size_t k = 0; macs.is_array() && k < macs.size(); ++k) {
    const std::string mp = p + "/" + std::to_string(k);
    const auto s = r.string(macs[k], mp);
    const auto bytes = s ? core::parse_hex_bytes(*s) : std::nullopt;
    if (s && (!bytes || bytes->size() != 6))
      r.error(mp, "'" + *s + "' is not a MAC address", "six hex bytes, e.g. 52:54:00:02:bf:f8");
    else if (s)
      group.macs.push_back(*s);
  }
  if (group.macs.size() > group.count) r.error(p, "more MACs than clients", "at most count MACs");
}

void read_group(Reader& r, const Json& c, const std::string& p, ClientGroup& group) {
  for (std::size_t k = 0; k < client_settings.size(); ++k) {
    if (client_settings[k].rule.kind != Kind::macs)
      read_row(r, c, p, client_settings, k, group);
    else if (c.contains("macs"))
      read_macs(r, c["macs"], p + "/macs", group);
  }
  if (group.daily_arrive.has_value() != group.daily_leave.has_value())
    r.error(p + "/daily", "a daily pattern needs both 'arrive' and 'leave'",
            "{\"arrive\": \"08:00-09:30\", \"leave\": \"17:00-18:30\"}");
  if (group.daily_arrive &&
      (group.stay || group.arrival_start.count() != 0 || group.arrival_window.count() != 0))
    r.error(
        p + "/daily",
        "a daily group arrives and leaves by the day: 'arrival', 'stay' and 'away' do not apply",
        "'daily' alone, or 'arrival' / 'stay' / 'away' without it");
  if (group.away && !group.stay)
    r.error(p + "/away", "'away' needs 'stay': a client that never leaves never returns",
            "a 'stay' as well, or no 'away'");
}

/// Reports every fixed MAC that another fixed MAC already names (one client, two places).
void check_unique_macs(Reader& r, const std::vector<ClientGroup>& groups) {
  std::map<std::uint64_t, std::string> seen;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t k = 0; k < groups[g].macs.size(); ++k) {
      const auto bytes = core::parse_hex_bytes(groups[g].macs[k]);
      if (!bytes) continue;
      std::uint64_t mac = 0;
      for (std::uint8_t b : *bytes) mac = (mac << 8) | b;
      const std::string mp = "/clients/" + std::to_string(g) + "/macs/" + std::to_string(k);
      const auto [at, fresh] = seen.emplace(mac, mp);
      if (!fresh)
        r.error(mp, "MAC " + groups[g].macs[k] + " is also " + at->second + ": a client is its MAC",
                "a MAC no other client has");
    }
}

}  // namespace

void read_clients(Reader& r, const Json& cs, std::vector<ClientGroup>& out) {
  if (!cs.is_array())
    r.error("/clients", "expected a list of client groups", "[ {\"count\": 100, ...} ]");
  static const Keys keys = head_keys(client_settings);
  static const Keys required = required_keys(client_settings);
  for (std::size_t g = 0; cs.is_array() && g < cs.size(); ++g) {
    const std::string p = "/clients/" + std::to_string(g);
    if (!r.object(cs[g], p, keys, required)) continue;
    ClientGroup group;
    read_group(r, cs[g], p, group);
    out.push_back(group);
  }
  check_unique_macs(r, out);
}

}  // namespace fosim::sim::detail
