// Step-function throughput: how many failover events per second one core can decide.
#include <benchmark/benchmark.h>

#include <array>

#include "fosim/core/failover_machine.hpp"

namespace {

using fosim::core::Event;
using fosim::core::EventKind;
using fosim::core::Instant;
using fosim::core::PeerView;
using fosim::core::Role;
using fosim::core::Seconds;
using fosim::core::State;

// A partition-and-heal cycle seen from one server: normal, link lost, the peer's
// communications-interrupted, its normal. Every event is a real transition or reaction.
void BM_step_partition_cycle(benchmark::State& bench) {
  PeerView v = fosim::core::fresh_view(Role::primary, Instant{}, Seconds{3600});
  v.state = State::normal;
  v.partner = State::normal;
  v.connected = true;
  const std::array<Event, 4> cycle{Event::of(EventKind::link_lost),
                                   Event::peer(State::communications_interrupted),
                                   Event::peer(State::normal), Event::peer(State::normal)};
  std::int64_t t = 0;
  std::size_t i = 0;
  for (auto _ : bench) {
    const Event& ev = cycle[i++ % cycle.size()];
    if (ev.kind == EventKind::link_lost) v.partner = State::normal;
    if (ev.kind == EventKind::peer_state) v.connected = true;
    fosim::core::Step s = fosim::core::step(v, ev, Instant{Seconds{++t}});
    benchmark::DoNotOptimize(s.actions.size());
    v = s.view;
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_step_partition_cycle);

// The commonest event in a healthy pair: a repeated STATE normal that step A drops.
void BM_step_ignored_repeat(benchmark::State& bench) {
  PeerView v = fosim::core::fresh_view(Role::secondary, Instant{}, Seconds{3600});
  v.state = State::normal;
  v.partner = State::normal;
  const Event ev = Event::peer(State::normal);
  for (auto _ : bench) {
    fosim::core::Step s = fosim::core::step(v, ev, Instant{Seconds{1}});
    benchmark::DoNotOptimize(s.view.state);
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_step_ignored_repeat);

}  // namespace
