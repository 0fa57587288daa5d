// Reading a scenario's `pool`: its range, and the lease times of core's settings table.
#include "fosim/sim/scenario_settings.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

const Keys& pool_keys() {
  static const Keys keys = [] {
    Keys k{"range"};
    for (const core::PoolSetting& s : core::pool_settings) k.push_back(s.key);
    return k;
  }();
  return keys;
}

void read_range(Reader& r, const Json& range, PoolSpec& out) {
  if (!range.is_array() || range.size() != 2) {
    r.error("/pool/range", "expected [first, last]", "[\"192.168.102.110\", \"192.168.102.210\"]");
    return;
  }
  const auto a = r.ipv4(range[0], "/pool/range/0");
  const auto b = r.ipv4(range[1], "/pool/range/1");
  if (!a || !b) return;
  if (*a > *b)
    r.error("/pool/range", "the range runs backwards", "first address <= last address");
  else if (*b - *a >= (1u << 20))
    r.error("/pool/range", "more than 1048576 addresses", "a range of at most 2^20 addresses");
  out.first = *a;
  out.last = *b;
}

}  // namespace

void read_pool(Reader& r, const Json& p, PoolSpec& out) {
  if (!r.object(p, "/pool", pool_keys(), {"range"})) return;
  if (p.contains("range")) read_range(r, p["range"], out);
  for (std::size_t k = 0; k < core::pool_settings.size(); ++k) {
    const core::PoolSetting& s = core::pool_settings[k];
    const std::string key(s.key);
    if (!p.contains(key)) continue;
    if (const auto v = r.positive_seconds(p[key], "/pool/" + key, std::string(s.valid)))
      pool_fields[k].set(out, *v);
  }
}

}  // namespace fosim::sim::detail
