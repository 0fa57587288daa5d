// The per-pool figures of a run with several failover pools: each pool's addresses, subnet and
// lease times, and on each server its ACKs and where its addresses ended.
#include <string>

#include "fosim/sim/address_space.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/summary.hpp"

namespace fosim::sim {

std::vector<PoolFigures> pool_figures(const Simulator& sim) {
  const std::vector<PoolSpec> pools = all_pools(sim.scenario());
  std::vector<PoolFigures> out(pools.size());
  for (std::uint32_t p = 0; p < pools.size(); ++p) {
    PoolFigures& f = out[p];
    f.spec = pools[p];
    f.addresses = sim.server(0).leases().pool_size(p);
    for (std::size_t i = 0; i < 2; ++i) {
      const Server& s = sim.server(i);
      const auto& by_pool = s.stats().acks_by_pool;
      f.servers[i].acks = p < by_pool.size() ? by_pool[p] : 0;
      for (std::size_t k = 0; k < f.servers[i].leases.size(); ++k)
        f.servers[i].leases[k] = s.leases().count(pool_figure_states[k], p);
    }
  }
  return out;
}

std::string pool_name(const PoolSpec& p) {
  std::string out = format_ip(p.first) + "-" + format_ip(p.last);
  for (const AddressRange& a : p.more_ranges)
    out += ", " + format_ip(a.first) + "-" + format_ip(a.last);
  if (p.subnet)
    out +=
        " (subnet " + format_ip(p.subnet->network) + "/" + std::to_string(p.subnet->prefix) + ")";
  return out;
}

nlohmann::ordered_json pools_block(const Simulator& sim) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const PoolFigures& f : pool_figures(sim)) {
    nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
    ranges.push_back({format_ip(f.spec.first), format_ip(f.spec.last)});
    for (const AddressRange& a : f.spec.more_ranges)
      ranges.push_back({format_ip(a.first), format_ip(a.last)});
    nlohmann::ordered_json pool{{"ranges", ranges}, {"addresses", f.addresses}};
    pool["subnet"] = f.spec.subnet
                         ? nlohmann::ordered_json(format_ip(f.spec.subnet->network) + "/" +
                                                  std::to_string(f.spec.subnet->prefix))
                         : nlohmann::ordered_json(nullptr);
    for (const PoolField& field : pool_fields)
      if (const auto v = field.get(f.spec)) pool[std::string(field.key)] = v->count();
    nlohmann::ordered_json servers = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < 2; ++i) {
      nlohmann::ordered_json s{{"host", sim.server(i).host()}, {"acks", f.servers[i].acks}};
      nlohmann::ordered_json leases;
      for (std::size_t k = 0; k < pool_figure_states.size(); ++k)
        leases[std::string(core::to_string(pool_figure_states[k]))] = f.servers[i].leases[k];
      s["leases"] = leases;
      servers.push_back(s);
    }
    pool["servers"] = servers;
    out.push_back(pool);
  }
  return out;
}

}  // namespace fosim::sim
