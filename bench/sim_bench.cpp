// The simulator's speed: the bare event queue (hold model at 10^5 pending events, next to a
// plain std::priority_queue) and whole runs of the field-report pair with many clients.
#include <benchmark/benchmark.h>

#include <queue>
#include <vector>

#include "bench_pair.hpp"
#include "fosim/sim/event_queue.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/sim/simulator.hpp"

namespace {

using fosim::core::Duration;
using fosim::core::Instant;

constexpr std::size_t pending = 100000;

// Hold model: pop the earliest event, schedule one a random time later. `Queue` is the
// simulator's EventQueue on one of its ordering structures.
template <class Queue>
void BM_hold_event_queue(benchmark::State& state) {
  Queue q;
  fosim::sim::Rng rng(1);
  for (std::size_t i = 0; i < pending; ++i)
    q.schedule(Instant{Duration{static_cast<std::int64_t>(rng.below(1000000))}}, {});
  for (auto _ : state) {
    const auto due = q.pop();
    q.schedule(due.at + Duration{static_cast<std::int64_t>(rng.below(1000000))}, due.payload);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_hold_event_queue,
                   fosim::sim::EventQueue<fosim::sim::SimEvent, fosim::sim::RadixHeap>)
    ->Name("BM_hold_event_queue/radix_heap");
BENCHMARK_TEMPLATE(BM_hold_event_queue,
                   fosim::sim::EventQueue<fosim::sim::SimEvent, fosim::sim::QuaternaryHeap>)
    ->Name("BM_hold_event_queue/4ary_heap");

void BM_hold_std_priority_queue(benchmark::State& state) {
  struct Entry {
    Instant at;
    std::uint64_t seq;
    fosim::sim::SimEvent e;
    bool operator>(const Entry& o) const { return at > o.at || (at == o.at && seq > o.seq); }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> q;
  fosim::sim::Rng rng(1);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < pending; ++i)
    q.push({Instant{Duration{static_cast<std::int64_t>(rng.below(1000000))}}, seq++, {}});
  for (auto _ : state) {
    const Entry top = q.top();
    q.pop();
    q.push({top.at + Duration{static_cast<std::int64_t>(rng.below(1000000))}, seq++, top.e});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_hold_std_priority_queue);

fosim::sim::Scenario pair(std::uint32_t clients, std::uint32_t addresses,
                          std::int64_t lease_s = 3600) {
  return fosim::bench::pair(clients, addresses, lease_s, 1, std::chrono::minutes(10));
}

// One simulated day of a pair with N clients (untraced): wall time per run, events/s.
// range(1) is the lease time in seconds.
void BM_day(benchmark::State& state) {
  const auto clients = static_cast<std::uint32_t>(state.range(0));
  const std::int64_t lease_s = state.range(1);
  const fosim::sim::Scenario sc = pair(clients, clients + clients / 4 + 16, lease_s);
  std::uint64_t events = 0;
  for (auto _ : state) {
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run();
    events += s.stats().events;
    benchmark::DoNotOptimize(s.stats().answered);
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events_per_run"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_day)
    ->Args({1000, 3600})
    ->Args({10000, 3600})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_day)
    ->Args({1000000, 3600})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Name("BM_day_1M_clients");
BENCHMARK(BM_day)
    ->Args({1000000, 43200})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Name("BM_day_1M_clients_12h_leases");

}  // namespace
