// fosim sweep's throughput: a 1,000-point sweep (mclt from 60 s to 60,000 s in steps of 60) of
// a 1,000-client, one-simulated-week scenario, on 1 and on 2 threads. The scenario is a pair
// with ISC's default lease time (43200 s), clients arriving over the first hour, and a
// one-hour partition each day at noon, so every run goes through communications-interrupted.
#include <benchmark/benchmark.h>

#include <atomic>

#include "fosim/tools/sweep.hpp"

namespace {

fosim::sim::Scenario week() {
  fosim::sim::Scenario sc;
  sc.name = "week";
  sc.relationship = "dhcp-failover";
  sc.duration = std::chrono::hours(24 * 7);
  for (int i = 0; i < 2; ++i) {
    fosim::core::PeerConfig& c = sc.servers[i].config;
    c.name = "dhcp-failover";
    c.role = i == 0 ? fosim::core::Role::primary : fosim::core::Role::secondary;
    c.address = i == 0 ? "10.0.0.1" : "10.0.0.2";
    c.peer_address = i == 0 ? "10.0.0.2" : "10.0.0.1";
    c.max_response_delay_s = 30;
    c.load_balance_max_seconds = 3;
    if (i == 0) {
      c.mclt_s = 1800;
      c.split = 128;
    }
    sc.servers[i].host = i == 0 ? "a" : "b";
  }
  sc.pool.first = (10u << 24) | (1u << 16);
  sc.pool.last = sc.pool.first + 1300 - 1;
  sc.pool.default_lease_time = fosim::core::Seconds{43200};
  fosim::sim::ClientGroup g;
  g.count = 1000;
  g.arrival_window = std::chrono::hours(1);
  sc.clients.push_back(g);
  for (int day = 0; day < 7; ++day) {
    fosim::sim::ScriptAction cut, heal;
    cut.type = fosim::sim::ActionType::partition;
    cut.at = fosim::core::Instant{std::chrono::hours(24 * day + 12)};
    heal.type = fosim::sim::ActionType::heal;
    heal.at = fosim::core::Instant{std::chrono::hours(24 * day + 13)};
    sc.script.push_back(cut);
    sc.script.push_back(heal);
  }
  return sc;
}

void BM_sweep_1000_points(benchmark::State& state) {
  fosim::tools::SweepSpec spec;
  spec.shape.scenario_names = {"week"};
  spec.scenarios = {week()};
  std::string error;
  spec.shape.parameters = {*fosim::tools::parse_vary("mclt=60..60000:60", error)};
  spec.shape.seeds = {1};
  const std::atomic<bool> stop{false};
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto runs = fosim::tools::run_sweep(spec, {}, static_cast<unsigned>(state.range(0)), stop, {});
    for (const auto& r : runs) events += r.events;
    benchmark::DoNotOptimize(runs.size());
  }
  state.counters["runs"] = static_cast<double>(spec.shape.run_count());
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_sweep_1000_points)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
