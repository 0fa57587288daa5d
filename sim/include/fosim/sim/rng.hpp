// The run's one source of randomness.
//
// Every random choice of a run derives from one seeded `std::mt19937_64`, whose output
// sequence the C++ standard fixes, so a scenario and a seed give the same run on every
// standard library. The helpers are integer-only: no `std::uniform_*_distribution` (their
// output differs between libraries) and no floating point in any decision.
#pragma once

#include <cstdint>
#include <random>

namespace fosim::sim {

/// A seeded generator with integer-only helpers.
class Rng {
 public:
  /// Creates a generator from `seed`.
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  /// Returns the next raw 64-bit value.
  std::uint64_t next() { return engine_(); }

  /// Returns a value uniformly drawn from [0, n); n must be > 0 (returns 0 for n == 0).
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    // Rejection sampling: discard the top partial block so every residue is equally likely.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }

  /// Returns a value uniformly drawn from [lo, hi] (inclusive); lo must be <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(span == 0 ? next() : below(span));
  }

  /// Returns true with probability numerator / denominator.
  bool chance(std::uint64_t numerator, std::uint64_t denominator) {
    return below(denominator) < numerator;
  }

  /// Returns an independent generator for a sub-stream (e.g. one per client), so that
  /// adding draws in one part of a run does not shift every other part.
  Rng fork() { return Rng(next() ^ 0x9e3779b97f4a7c15ULL); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace fosim::sim
