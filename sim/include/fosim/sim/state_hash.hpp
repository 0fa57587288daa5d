// A fingerprint of a simulation's state, for an exhaustive search that must know when two fault
// sequences led to the same place.
//
// Two runs are taken as equivalent when they agree on everything that decides their futures,
// with every time measured from the present and the addresses and clients up to renaming: the
// leases are one multiset of per-address records (both servers' bindings of one address side by
// side, with no address in them), the clients another, and the pending events a third. Only the
// random generator's position is left out, so two equivalent runs may still draw different
// jitters and latencies from here on.
#pragma once

#include <cstdint>

#include "fosim/core/time.hpp"

namespace fosim::sim {

/// Builds a 64-bit fingerprint from fields in order, and multisets from elements in any order.
class StateHash {
 public:
  /// A hash measuring times from `now`.
  explicit StateHash(core::Instant now) : now_(now) {}

  /// Adds a field.
  void add(std::uint64_t v) { h_ = mix(h_ ^ (v + 0x9e3779b97f4a7c15ULL + (h_ << 6) + (h_ >> 2))); }
  /// Adds a flag.
  void add(bool b) { add(static_cast<std::uint64_t>(b ? 1 : 0)); }
  /// Adds a time as its distance from now in milliseconds; the never-set time 0 stays distinct.
  void add_time(core::Instant t) {
    add(t == core::Instant{} ? std::uint64_t{0x8000000000000000ULL}
                             : static_cast<std::uint64_t>((t - now_).count()));
  }
  /// Adds the element hashed so far in `element` to the multiset `set` (order-free).
  static void add_to_set(std::uint64_t& set, const StateHash& element) {
    set += mix(element.h_ ^ 0x632be59bd9b4e019ULL);
  }
  /// The time the hash measures from.
  core::Instant now() const { return now_; }
  /// The fingerprint.
  std::uint64_t value() const { return h_; }

 private:
  /// SplitMix64's finaliser: every input bit reaches every output bit.
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  core::Instant now_;
  std::uint64_t h_ = 0x243f6a8885a308d3ULL;
};

}  // namespace fosim::sim
