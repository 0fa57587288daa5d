// RFC 3074 hashing cost per client key, and the whole DISCOVER decision.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "fosim/core/load_balance.hpp"

namespace {

std::vector<std::array<std::uint8_t, 6>> macs(std::size_t n) {
  std::vector<std::array<std::uint8_t, 6>> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = {0x52,
              0x54,
              0x00,
              static_cast<std::uint8_t>(i >> 16),
              static_cast<std::uint8_t>(i >> 8),
              static_cast<std::uint8_t>(i)};
  return out;
}

void BM_rfc3074_hash(benchmark::State& state) {
  const auto keys = macs(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fosim::core::rfc3074_hash(keys[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rfc3074_hash);

void BM_balance_decision(benchmark::State& state) {
  const auto keys = macs(4096);
  const fosim::core::Hba hba = fosim::core::hba_from_split(128);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fosim::core::balance(hba, keys[i++ & 4095], 0, 3));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_balance_decision);

}  // namespace
