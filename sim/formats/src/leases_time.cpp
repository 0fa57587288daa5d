// Lease-file times and addresses as dhcpd writes them (dhcp common/print.c print_time(),
// common/parse.c parse_date_core()).
#include <array>
#include <vector>

#include "fosim/formats/dhcpd_leases.hpp"

namespace fosim::sim {
namespace {

/// 2038-01-01 00:00:00 UTC: ISC reads every time from this year on as never.
constexpr std::int64_t first_second_of_2038 = 2145916800;

/// A whole number of at most 18 digits with an optional leading '-'.
std::optional<std::int64_t> integer(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  const std::string_view digits = negative ? s.substr(1) : s;
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

/// Splits "a<sep>b<sep>c" into exactly three whole numbers.
std::optional<std::array<std::int64_t, 3>> three(std::string_view s, char sep) {
  std::array<std::int64_t, 3> out{};
  for (std::size_t k = 0; k < 3; ++k) {
    const std::size_t end = k < 2 ? s.find(sep) : s.size();
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view part = s.substr(0, end);
    if (part.empty() || part.front() == '-') return std::nullopt;
    const auto v = integer(part);
    if (!v) return std::nullopt;
    out[k] = *v;
    s.remove_prefix(k < 2 ? end + 1 : end);
  }
  return out;
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The civil date of a day count from 1970-01-01.
std::array<std::int64_t, 3> civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

void two_digits(std::string& out, std::int64_t v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::optional<LeaseTime> parse_lease_time(std::string_view text) {
  const std::vector<std::string_view> w = words(text);
  if (w.size() == 1 && w[0] == "never") return lease_never;
  if (w.size() == 2 && w[0] == "epoch") {
    const auto s = integer(w[1]);
    if (!s || *s < 0) return std::nullopt;
    return *s >= first_second_of_2038 ? lease_never : core::at_seconds(*s);
  }
  if (w.size() != 3 && w.size() != 4) return std::nullopt;
  const auto weekday = integer(w[0]);
  const auto date = three(w[1], '/');
  const auto clock = three(w[2], ':');
  if (!weekday || *weekday < 0 || *weekday > 6 || !date || !clock) return std::nullopt;
  const auto [year, month, day] = *date;
  const auto [hour, minute, second] = *clock;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60)
    return std::nullopt;
  std::int64_t offset = 0;
  if (w.size() == 4) {
    const auto tz = integer(w[3]);
    if (!tz || *tz < -86400 || *tz > 86400) return std::nullopt;
    offset = *tz;
  }
  // ISC returns MAX_TIME for every year from 2038 on, to stay clear of a 32-bit overflow.
  if (year >= 2038) return lease_never;
  const std::int64_t s =
      ((days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second + offset;
  return core::at_seconds(s);
}

std::string format_lease_time(LeaseTime t) {
  if (t == lease_never) return "never";
  const std::int64_t s = core::to_seconds(t);
  const std::int64_t days = (s >= 0 ? s : s - 86399) / 86400;
  const std::int64_t in_day = s - days * 86400;
  const auto [y, m, d] = civil_from_days(days);
  std::string out;
  out.push_back(static_cast<char>('0' + ((days % 7 + 7 + 4) % 7)));  // 1970-01-01 was a Thursday
  out += ' ' + std::to_string(y) + '/';
  two_digits(out, m);
  out += '/';
  two_digits(out, d);
  out += ' ';
  two_digits(out, in_day / 3600);
  out += ':';
  two_digits(out, in_day / 60 % 60);
  out += ':';
  two_digits(out, in_day % 60);
  return out;
}

std::string format_ipv4(std::uint32_t address) {
  return std::to_string(address >> 24) + '.' + std::to_string(address >> 16 & 0xff) + '.' +
         std::to_string(address >> 8 & 0xff) + '.' + std::to_string(address & 0xff);
}

}  // namespace fosim::sim
