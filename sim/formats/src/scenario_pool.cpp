// Reading a scenario's `pool` (or its several `pools`): the ranges, the subnet, and the lease
// times of core's settings table.
#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/trace.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

const Keys& pool_keys(bool several) {
  static const auto keys = [](Keys k) {
    for (const core::PoolSetting& s : core::pool_settings) k.push_back(s.key);
    return k;
  };
  static const Keys one = keys({"range"});
  static const Keys each = keys({"range", "ranges", "subnet"});
  return several ? each : one;
}

std::optional<AddressRange> read_range(Reader& r, const Json& range, const std::string& path) {
  if (!range.is_array() || range.size() != 2) {
    r.error(path, "expected [first, last]", "[\"192.168.102.110\", \"192.168.102.210\"]");
    return std::nullopt;
  }
  const auto a = r.ipv4(range[0], path + "/0");
  const auto b = r.ipv4(range[1], path + "/1");
  if (!a || !b) return std::nullopt;
  if (*a > *b)
    r.error(path, "the range runs backwards", "first address <= last address");
  else if (*b - *a >= (1u << 20))
    r.error(path, "more than 1048576 addresses", "a range of at most 2^20 addresses");
  return AddressRange{*a, *b};
}

/// `"subnet": "10.0.1.0/24"`: the pool's subnet, which must hold its ranges.
void read_subnet(Reader& r, const Json& j, const std::string& path, PoolSpec& out) {
  const auto text = r.string(j, path);
  if (!text) return;
  const std::size_t slash = text->find('/');
  const auto net = core::parse_ipv4(text->substr(0, slash));
  int prefix = -1;
  if (slash != std::string::npos && slash + 1 < text->size() && text->size() - slash <= 3) {
    prefix = 0;
    for (char c : text->substr(slash + 1))
      prefix = c >= '0' && c <= '9' && prefix >= 0 ? prefix * 10 + (c - '0') : -1;
  }
  if (!net || prefix < 0 || prefix > 32) {
    r.error(path, "'" + *text + "' is not a subnet", "network/prefix, e.g. \"10.0.1.0/24\"");
    return;
  }
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  out.subnet = Subnet{*net & mask, static_cast<std::uint8_t>(prefix)};
  std::vector<AddressRange> ranges{{out.first, out.last}};
  ranges.insert(ranges.end(), out.more_ranges.begin(), out.more_ranges.end());
  for (const AddressRange& a : ranges)
    if ((a.first & mask) != out.subnet->network || (a.last & mask) != out.subnet->network)
      r.error(path,
              "the pool's range " + format_ip(a.first) + "-" + format_ip(a.last) +
                  " is not in subnet " + *text,
              "the subnet that holds the pool's ranges");
}

/// `"ranges": [[A, B], ...]`: a pool's several ranges.
void read_ranges(Reader& r, const Json& j, const std::string& path, PoolSpec& out) {
  if (!j.is_array() || j.empty()) {
    r.error(path, "expected a list of ranges", "[[\"10.0.0.10\", \"10.0.0.54\"], ...]");
    return;
  }
  for (std::size_t k = 0; k < j.size(); ++k)
    if (const auto a = read_range(r, j[k], path + "/" + std::to_string(k))) {
      if (k == 0)
        out.first = a->first, out.last = a->last;
      else
        out.more_ranges.push_back(*a);
    }
}

void read_pool_at(Reader& r, const Json& p, const std::string& path, bool several, PoolSpec& out) {
  if (!r.object(p, path, pool_keys(several), several ? Keys{} : Keys{"range"})) return;
  if (several && p.contains("range") == p.contains("ranges"))
    r.error(path, "give one of range and ranges", "\"range\": [A, B] or \"ranges\": [[A, B], ...]");
  if (p.contains("range"))
    if (const auto a = read_range(r, p["range"], path + "/range"))
      out.first = a->first, out.last = a->last;
  if (p.contains("ranges")) read_ranges(r, p["ranges"], path + "/ranges", out);
  if (p.contains("subnet")) read_subnet(r, p["subnet"], path + "/subnet", out);
  for (std::size_t k = 0; k < core::pool_settings.size(); ++k) {
    const core::PoolSetting& s = core::pool_settings[k];
    const std::string key(s.key);
    if (!p.contains(key)) continue;
    if (const auto v = r.positive_seconds(p[key], path + "/" + key, std::string(s.valid)))
      pool_fields[k].set(out, *v);
  }
}

/// Every pool's ranges must be apart: an address belongs to one pool.
void check_apart(Reader& r, const Scenario& sc) {
  std::vector<std::pair<AddressRange, std::size_t>> all;
  std::uint64_t total = 0;
  const std::vector<PoolSpec> pools = all_pools(sc);
  for (std::size_t p = 0; p < pools.size(); ++p) {
    all.push_back({{pools[p].first, pools[p].last}, p});
    for (const AddressRange& a : pools[p].more_ranges) all.push_back({a, p});
  }
  for (std::size_t a = 0; a < all.size(); ++a) {
    total += std::uint64_t{all[a].first.last} - all[a].first.first + 1;
    for (std::size_t b = 0; b < a; ++b)
      if (all[a].first.first <= all[b].first.last && all[b].first.first <= all[a].first.last) {
        r.error("/pools/" + std::to_string(all[a].second),
                "its range " + format_ip(all[a].first.first) + "-" + format_ip(all[a].first.last) +
                    " overlaps pool " + std::to_string(all[b].second) + "'s",
                "ranges that share no address");
        return;
      }
  }
  if (total > (1u << 20))
    r.error("/pools", "more than 1048576 addresses in all", "pools of at most 2^20 addresses");
}

}  // namespace

void read_pool(Reader& r, const Json& p, PoolSpec& out) { read_pool_at(r, p, "/pool", false, out); }

void read_pools(Reader& r, const Json& ps, Scenario& sc) {
  if (!ps.is_array() || ps.empty()) {
    r.error("/pools", "expected a list of pools",
            "[{\"range\": [A, B], \"subnet\": \"10.0.0.0/24\"}, ...]");
    return;
  }
  for (std::size_t k = 0; k < ps.size(); ++k)
    read_pool_at(r, ps[k], "/pools/" + std::to_string(k), true,
                 k == 0 ? sc.pool : sc.more_pools.emplace_back());
  check_apart(r, sc);
}

}  // namespace fosim::sim::detail
