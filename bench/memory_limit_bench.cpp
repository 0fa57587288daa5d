// The memory-bound limit of a simulated day of a million clients with one-hour leases: as many
// events as fosim's run of it (BM_day_1M_clients), each touching one client-sized and one
// lease-sized record picked at random from arrays of the run's real sizes, and nothing else.
// The records' addresses do not depend on what is read, so the CPU overlaps the cache misses as
// far as it can: no simulator touching the same records in the same random order can be faster.
// fosim's wall time for the day divided by this one's is how far it is from that floor.
//
//   build/release/bench/fosim_bench --benchmark_filter=memory_limit
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

/// A client's record and a lease's, at the sizes the simulator's have (72 and 80 bytes).
struct ClientRecord {
  std::uint64_t word[9];
};
struct LeaseRecord {
  std::uint64_t word[10];
};
static_assert(sizeof(ClientRecord) == 72 && sizeof(LeaseRecord) == 80);

/// SplitMix64: a new, unrelated index source per event, independent of memory.
std::uint64_t next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// An index below `n` (under 2^32) from the high 32 of 64 random bits, without a division.
std::size_t below(std::uint64_t bits, std::size_t n) {
  return static_cast<std::size_t>(((bits >> 32) * static_cast<std::uint64_t>(n)) >> 32);
}

// range(0): clients; range(1): events; range(2): the spread, how many record-sized slots each
// record takes. At 1 the records are packed (172 MB for a million clients); at 5 they span
// about 860 MB, the day's peak RSS, so the misses also go past the TLB as the run's do. The
// pool is BM_day's: clients + a quarter + 16 addresses, one lease record each. The events are
// BM_day_1M_clients's events_per_run (102.5 M); the floor for another count is ns_per_event
// times it.
void BM_memory_limit(benchmark::State& state) {
  const auto clients = static_cast<std::size_t>(state.range(0));
  const auto events = static_cast<std::uint64_t>(state.range(1));
  const auto spread = static_cast<std::size_t>(state.range(2));
  const std::size_t leases = clients + clients / 4 + 16;
  // Written, so every page is faulted in before the clock starts.
  std::vector<ClientRecord> client(clients * spread, ClientRecord{});
  std::vector<LeaseRecord> lease(leases * spread, LeaseRecord{});
  std::uint64_t seed = 1, sum = 0;
  std::chrono::steady_clock::duration spent{};
  for (auto _ : state) {
    const auto begin = std::chrono::steady_clock::now();
    for (std::uint64_t e = 0; e < events; ++e) {
      const std::uint64_t bits = next(seed);
      ClientRecord& c = client[below(bits, clients) * spread];
      LeaseRecord& l = lease[below(bits * 0xff51afd7ed558ccdULL, leases) * spread];
      c.word[0] += 1;         // as a client timer's generation is bumped
      l.word[1] = c.word[2];  // as a lease takes its end time from the client's request
      sum += l.word[0];
    }
    spent += std::chrono::steady_clock::now() - begin;
  }
  benchmark::DoNotOptimize(sum);
  const double touched = static_cast<double>(events) * static_cast<double>(state.iterations());
  state.counters["ns_per_event"] =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(spent).count()) /
      touched;
  state.counters["arrays_MB"] = static_cast<double>(client.size() * sizeof(ClientRecord) +
                                                    lease.size() * sizeof(LeaseRecord)) /
                                1e6;
}
BENCHMARK(BM_memory_limit)
    ->Args({1000000, 102500000, 1})
    ->Args({1000000, 102500000, 5})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3);

}  // namespace
