// fosim explore's throughput: random draws around a 50-client, 24-hour pair (the field
// report's configuration, one-hour leases, a one-hour cut at noon that explore takes out), with
// up to three faults each from every kind, on 1 and on 2 threads. The figure is scenarios per
// second (each draw plays its 24-hour safety phase plus the settle bound).
#include <benchmark/benchmark.h>

#include <atomic>

#include "bench_pair.hpp"
#include "fosim/tools/explore.hpp"

namespace {

void BM_explore_random(benchmark::State& state) {
  fosim::tools::ExploreSpec spec;
  spec.scenario_file = "bench.json";
  spec.base =
      fosim::tools::prepare_base(fosim::bench::pair(50, 100, 3600, 1, std::chrono::hours(1)));
  spec.draws = 40;
  spec.safety = spec.base.duration;
  spec.settle = fosim::tools::default_settle(spec);
  for (std::size_t k = 0; k < fosim::tools::fault_kind_names.size(); ++k)
    spec.kinds.push_back(static_cast<fosim::tools::FaultKind>(k));
  const std::atomic<bool> stop{false};
  std::size_t scenarios = 0;
  for (auto _ : state) {
    const auto outcomes =
        fosim::tools::run_explore(spec, static_cast<unsigned>(state.range(0)), stop);
    scenarios += outcomes.size();
    benchmark::DoNotOptimize(outcomes.data());
  }
  state.counters["scenarios_per_s"] =
      benchmark::Counter(static_cast<double>(scenarios), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_explore_random)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(false);

}  // namespace
