#include "fosim/sim/address_space.hpp"

namespace fosim::sim {

std::vector<AddressSegment> address_segments(const Scenario& sc) {
  std::vector<AddressSegment> out;
  std::uint32_t index = 0;
  const std::vector<PoolSpec> pools = all_pools(sc);
  for (std::uint32_t p = 0; p < pools.size(); ++p) {
    std::vector<AddressRange> ranges{{pools[p].first, pools[p].last}};
    ranges.insert(ranges.end(), pools[p].more_ranges.begin(), pools[p].more_ranges.end());
    for (const AddressRange& r : ranges) {
      const std::uint32_t size = r.last - r.first + 1;
      out.push_back({index, r.first, size, p});
      index += size;
    }
  }
  return out;
}

std::vector<std::uint32_t> pool_networks(const Scenario& sc) {
  const std::vector<PoolSpec> pools = all_pools(sc);
  std::vector<std::uint32_t> out(pools.size());
  std::uint32_t next = 0;
  for (std::size_t p = 0; p < pools.size(); ++p) {
    out[p] = next;
    if (pools[p].subnet)
      for (std::size_t q = 0; q < p; ++q)
        if (pools[q].subnet == pools[p].subnet) {
          out[p] = out[q];
          break;
        }
    if (out[p] == next) ++next;
  }
  return out;
}

}  // namespace fosim::sim
