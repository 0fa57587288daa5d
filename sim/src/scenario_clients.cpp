// Reading a scenario's `clients`: the groups of clients and how they arrive and stay.
#include "fosim/core/load_balance.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

void read_reach(Reader& r, const Json& v, const std::string& p, ClientGroup& group) {
  const auto s = r.string(v, p);
  if (s == "both")
    group.reach = Reach::both;
  else if (s == "primary")
    group.reach = Reach::primary_only;
  else if (s == "secondary")
    group.reach = Reach::secondary_only;
  else if (s)
    r.error(p, "unknown reach '" + *s + "'", "both, primary, secondary");
}

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
  if (c.contains("count"))
    group.count = static_cast<std::uint32_t>(
        r.integer(c["count"], p + "/count", 0, 2000000, "0 to 2000000").value_or(0));
  if (c.contains("reach")) read_reach(r, c["reach"], p + "/reach", group);
  if (c.contains("arrival") && r.object(c["arrival"], p + "/arrival", {"start", "window"})) {
    if (c["arrival"].contains("start"))
      group.arrival_start =
          r.duration(c["arrival"]["start"], p + "/arrival/start").value_or(Duration{});
    if (c["arrival"].contains("window"))
      group.arrival_window =
          r.duration(c["arrival"]["window"], p + "/arrival/window").value_or(Duration{});
  }
  if (c.contains("stay")) group.stay = r.duration(c["stay"], p + "/stay");
  if (c.contains("release_on_departure"))
    if (auto b = r.boolean(c["release_on_departure"], p + "/release_on_departure"))
      group.release_on_departure = *b;
  if (c.contains("client_ids"))
    if (auto b = r.boolean(c["client_ids"], p + "/client_ids")) group.client_ids = *b;
  if (c.contains("macs")) read_macs(r, c["macs"], p + "/macs", group);
  if (c.contains("requested_lease_time"))
    if (auto v = r.positive_seconds(c["requested_lease_time"], p + "/requested_lease_time",
                                    "seconds, e.g. 3600"))
      group.requested_lease_time = *v;
}

}  // namespace

void read_clients(Reader& r, const Json& cs, std::vector<ClientGroup>& out) {
  if (!cs.is_array())
    r.error("/clients", "expected a list of client groups", "[ {\"count\": 100, ...} ]");
  for (std::size_t g = 0; cs.is_array() && g < cs.size(); ++g) {
    const std::string p = "/clients/" + std::to_string(g);
    if (!r.object(cs[g], p,
                  {"count", "reach", "arrival", "stay", "release_on_departure", "client_ids",
                   "macs", "requested_lease_time"},
                  {"count"}))
      continue;
    ClientGroup group;
    read_group(r, cs[g], p, group);
    out.push_back(group);
  }
}

}  // namespace fosim::sim::detail
