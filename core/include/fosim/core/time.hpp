// Simulated time for fosim.
//
// Time is an integer count of milliseconds on a clock that nobody can read: `SimClock` has no
// now(). Whoever drives the core (the simulator, a test, the command line) passes the current
// instant in. Protocol quantities that ISC keeps in whole seconds (MCLT, lease times, stos)
// stay `std::chrono::seconds` and convert to `Duration` exactly.
#pragma once

#include <chrono>
#include <cstdint>

namespace fosim::core {

/// A span of simulated time in milliseconds.
using Duration = std::chrono::duration<std::int64_t, std::milli>;

/// A clock with no now(): simulated time only advances when the simulator says so.
struct SimClock {
  using rep = std::int64_t;
  using period = std::milli;
  using duration = Duration;
  using time_point = std::chrono::time_point<SimClock, Duration>;
  static constexpr bool is_steady = true;
};

/// A point in simulated time; the epoch is the start of a run (or of a calculation).
using Instant = SimClock::time_point;

/// A whole number of seconds, the unit of every protocol timer and lease time.
using Seconds = std::chrono::seconds;

/// Returns the instant `s` whole seconds after the epoch.
constexpr Instant at_seconds(std::int64_t s) { return Instant{Seconds{s}}; }

/// Returns the whole seconds since the epoch of `t` (rounded toward negative infinity).
constexpr std::int64_t to_seconds(Instant t) {
  return std::chrono::floor<Seconds>(t.time_since_epoch()).count();
}

/// Returns `t` cut to its whole second: ISC keeps its clock (`cur_time`) and lease times in
/// whole seconds.
constexpr Instant whole(Instant t) { return at_seconds(to_seconds(t)); }

}  // namespace fosim::core
