// fosim explore's throughput: random draws around a 50-client, 24-hour pair (the field
// report's configuration, one-hour leases, a one-hour cut at noon that explore takes out), with
// up to three faults each from every kind, on 1 and on 2 threads. The figure is scenarios per
// second (each draw plays its 24-hour safety phase plus the settle bound). And the exhaustive
// search on a 4-client pair of the same configuration to depth 4, 6 and 8 with partitions,
// crashes (a start keeping or losing its lease file) and the operator's partner-down: distinct
// states, and states per second.
#include <benchmark/benchmark.h>

#include <atomic>

#include "bench_pair.hpp"
#include "fosim/tools/explore.hpp"
#include "fosim/tools/explore_exhaustive.hpp"

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

void BM_explore_exhaustive(benchmark::State& state) {
  fosim::tools::SearchSpec spec;
  spec.base = fosim::tools::prepare_base(fosim::bench::pair(4, 10, 3600, 1, std::chrono::hours(1)));
  spec.depth = static_cast<std::size_t>(state.range(0));
  spec.kinds = {fosim::tools::FaultKind::partition, fosim::tools::FaultKind::crash};
  spec.partner_down = true;
  spec.settle = std::chrono::minutes(70);  // twice the MCLT plus 10 minutes, as explore's
  spec.max_states = 10000000;
  std::size_t states = 0;
  for (auto _ : state) {
    const fosim::tools::SearchResult r = fosim::tools::search_faults(spec);
    states = 1;
    for (const std::size_t n : r.new_states) states += n;
    benchmark::DoNotOptimize(r.runs);
  }
  state.counters["distinct_states"] = static_cast<double>(states);
  state.counters["states_per_s"] =
      benchmark::Counter(static_cast<double>(states) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_explore_exhaustive)
    ->Arg(4)
    ->Arg(6)
    ->Arg(8)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(false);

}  // namespace
