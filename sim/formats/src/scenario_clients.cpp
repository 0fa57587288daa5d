// Reading a scenario's `clients`: the groups of clients and how they arrive and stay, key by
// key from the table in run_settings.hpp (the MACs are a list, read here).
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
}

}  // namespace fosim::sim::detail
