// Reading and writing a scenario's wall clock and its spans of the day.
#include "fosim/sim/wall_clock.hpp"

#include <cstdio>

#include "fosim/sim/trace.hpp"

namespace fosim::sim {
namespace {

constexpr std::int64_t day_ms = 86400000;

/// Reads `n` decimal digits of `t` at `at`; -1 when they are not all digits.
int digits(std::string_view t, std::size_t at, std::size_t n) {
  if (at + n > t.size()) return -1;
  int v = 0;
  for (std::size_t k = at; k < at + n; ++k) {
    if (t[k] < '0' || t[k] > '9') return -1;
    v = v * 10 + (t[k] - '0');
  }
  return v;
}

/// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = y / 400, yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Reads "HH:MM[:SS]" of `t` from `at` into seconds of the day (up to 24:00); moves `at` on.
std::optional<std::int64_t> clock_time(std::string_view t, std::size_t& at, bool allow_24) {
  const int h = digits(t, at, 2),
            m = at + 2 < t.size() && t[at + 2] == ':' ? digits(t, at + 3, 2) : -1;
  if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && (!allow_24 || m != 0))) return {};
  at += 5;
  int s = 0;
  if (at < t.size() && t[at] == ':') {
    s = digits(t, at + 1, 2);
    if (s < 0 || s > 59 || (h == 24 && s != 0)) return {};
    at += 3;
  }
  return h * 3600 + m * 60 + s;
}

}  // namespace

std::optional<std::int64_t> parse_utc(std::string_view t) {
  const int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  if (y < 1970 || t.size() < 16 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' '))
    return {};
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap))
    return {};
  std::size_t at = 11;
  const auto secs = clock_time(t, at, false);
  if (!secs) return {};
  std::int64_t ms = 0;
  if (at < t.size() && t[at] == '.') {
    const int f = digits(t, at + 1, 3);
    if (f < 0) return {};
    ms = f;
    at += 4;
  }
  if (at < t.size() && t[at] == 'Z') ++at;
  if (at != t.size()) return {};
  return days_from_civil(y, mo, d) * day_ms + *secs * 1000 + ms;
}

std::string format_iso(std::int64_t ms) {
  std::string text = format_utc(ms);  // "YYYY-MM-DD HH:MM:SS.mmm"
  text[10] = 'T';
  return text + "Z";
}

std::optional<DayWindow> parse_day_window(std::string_view t) {
  std::size_t at = 0;
  const auto from = clock_time(t, at, false);
  if (!from || at >= t.size() || t[at] != '-') return {};
  ++at;
  const auto to = clock_time(t, at, true);
  if (!to || at != t.size()) return {};
  return DayWindow{core::Seconds{*from}, core::Seconds{*to}};
}

std::string format_day_window(const DayWindow& w) {
  auto one = [](core::Seconds s) {
    const auto v = s.count();
    char buf[48];
    if (v % 60 != 0)
      std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(v / 3600),
                    static_cast<int>(v / 60 % 60), static_cast<int>(v % 60));
    else
      std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(v / 3600),
                    static_cast<int>(v / 60 % 60));
    return std::string(buf);
  };
  return one(w.from) + "-" + one(w.to);
}

core::Instant midnight(const std::optional<std::int64_t>& start_utc_ms, std::int64_t day) {
  const std::int64_t into_day = start_utc_ms ? *start_utc_ms % day_ms : 0;
  return core::Instant{core::Duration{day * day_ms - into_day}};
}

}  // namespace fosim::sim
