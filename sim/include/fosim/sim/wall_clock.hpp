// A scenario's wall clock: the UTC date and time its time 0 stands for ("start"), and the spans
// of the day in which a daily client group arrives and leaves ("daily"). Plain arithmetic on
// the scenario's numbers: no clock is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/core/time.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// Returns "YYYY-MM-DDTHH:MM[:SS[.mmm]][Z]" (a space for the T; UTC, the Z optional) as ms
/// since 1970-01-01 00:00 UTC, years 1970 to 9999; nothing otherwise.
std::optional<std::int64_t> parse_utc(std::string_view text);

/// Formats ms since 1970 as ISO 8601 UTC, "2026-11-04T07:00:00.028Z".
std::string format_iso(std::int64_t ms);

/// Returns "HH:MM[:SS]-HH:MM[:SS]" (up to 24:00) as a span of the day; nothing otherwise.
std::optional<DayWindow> parse_day_window(std::string_view text);

/// Formats a span of the day as "08:00-09:30" (seconds only when not 0).
std::string format_day_window(const DayWindow& w);

/// A span of the day as one number (the settings table's value) and back.
constexpr std::int64_t pack_day_window(const DayWindow& w) {
  return w.from.count() * 100000 + w.to.count();
}
constexpr DayWindow unpack_day_window(std::int64_t v) {
  return {core::Seconds{v / 100000}, core::Seconds{v % 100000}};
}

/// Returns the run's instant of midnight UTC starting day `day` of the run (day 0 holds time 0;
/// without a wall clock, time 0 is a midnight).
core::Instant midnight(const std::optional<std::int64_t>& start_utc_ms, std::int64_t day);

}  // namespace fosim::sim
