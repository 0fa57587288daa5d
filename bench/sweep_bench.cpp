// fosim sweep's throughput: a 1,000-point sweep (mclt from 60 s to 60,000 s in steps of 60) of
// a 1,000-client, one-simulated-week scenario, on 1 and on 2 threads. The scenario is a pair
// with ISC's default lease time (43200 s), clients arriving over the first hour, and a
// one-hour partition each day at noon, so every run goes through communications-interrupted.
#include <benchmark/benchmark.h>

#include <atomic>

#include "bench_pair.hpp"
#include "fosim/tools/sweep.hpp"

namespace {

fosim::sim::Scenario week() {
  return fosim::bench::pair(1000, 1300, 43200, 7, std::chrono::hours(1));
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
    const auto runs =
        fosim::tools::run_sweep(spec, {}, static_cast<unsigned>(state.range(0)), stop, {});
    for (const auto& r : runs) events += r.events;
    benchmark::DoNotOptimize(runs.size());
  }
  state.counters["runs"] = static_cast<double>(spec.shape.run_count());
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_sweep_1000_points)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
