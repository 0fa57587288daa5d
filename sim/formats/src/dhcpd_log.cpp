// Reading a log line's header: the syslog formats dhcpd's lines come in (docs/replay.md).
#include "fosim/formats/dhcpd_log.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "log_words.hpp"

namespace fosim::sim {
namespace {

using log_words::field;
using log_words::starts;

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

/// "HH:MM:SS[.fraction]" as ms since midnight.
std::optional<std::int64_t> clock_ms(std::string_view t) {
  if (t.size() < 8 || t[2] != ':' || t[5] != ':') return std::nullopt;
  const std::string_view h = t.substr(0, 2), m = t.substr(3, 2), s = t.substr(6, 2);
  if (!digits(h) || !digits(m) || !digits(s) || number(h) > 23 || number(m) > 59 || number(s) > 60)
    return std::nullopt;
  std::int64_t ms = (number(h) * 3600 + number(m) * 60 + number(s)) * std::int64_t{1000};
  if (t.size() > 8) {
    if (t[8] != '.' || !digits(t.substr(9)) || t.size() > 9 + 9) return std::nullopt;
    std::string_view frac = t.substr(9);
    int scale = 100;
    for (std::size_t i = 0; i < frac.size() && i < 3; ++i, scale /= 10)
      ms += (frac[i] - '0') * scale;
  }
  return ms;
}

/// "YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm|+hhmm]" as ms since 1970 UTC.
std::optional<std::int64_t> iso_ms(std::string_view t) {
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' '))
    return std::nullopt;
  const std::string_view y = t.substr(0, 4), mo = t.substr(5, 2), d = t.substr(8, 2);
  if (!digits(y) || !digits(mo) || !digits(d) || number(mo) < 1 || number(mo) > 12 ||
      number(d) < 1 || number(d) > days_in_month(number(y), number(mo)))
    return std::nullopt;
  std::string_view rest = t.substr(11);
  std::size_t zone = rest.find_first_of("Z+-", 8);
  const auto in_day = clock_ms(rest.substr(0, zone));
  if (!in_day) return std::nullopt;
  std::int64_t offset_min = 0;
  if (zone != std::string_view::npos) {
    std::string_view z = rest.substr(zone);
    if (z != "Z") {
      // +hh:mm or +hhmm
      if (z.size() != 5 && !(z.size() == 6 && z[3] == ':')) return std::nullopt;
      std::string_view hh = z.substr(1, 2), mm = z.size() == 6 ? z.substr(4, 2) : z.substr(3);
      if (!digits(hh) || !digits(mm) || mm.size() != 2 || hh.size() != 2 || number(hh) > 14 ||
          number(mm) > 59)
        return std::nullopt;
      offset_min = (number(hh) * 60 + number(mm)) * (z[0] == '-' ? -1 : 1);
    }
  }
  return days_from_civil(number(y), number(mo), number(d)) * 86400000 + *in_day -
         offset_min * 60000;
}

/// A process id: up to 10 digits; nothing for anything else ("-", "12a").
std::optional<std::uint64_t> pid_of(std::string_view s) {
  if (!digits(s) || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

/// "dhcpd[123]:" / "dhcpd:" (the syslog tag): true when the program is dhcpd; the pid, when
/// the tag has one, goes to `pid`.
bool dhcpd_tag(std::string_view tag, std::optional<std::uint64_t>& pid) {
  if (tag.empty() || tag.back() != ':') return false;
  tag.remove_suffix(1);
  if (const std::size_t b = tag.find('['); b != std::string_view::npos) {
    if (tag.back() == ']') pid = pid_of(tag.substr(b + 1, tag.size() - b - 2));
    tag = tag.substr(0, b);
  }
  return tag.substr(0, 5) == "dhcpd";
}

std::string_view trim_message(std::string_view m) {
  while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
  if (m.substr(0, 3) == "\xEF\xBB\xBF") m.remove_prefix(3);  // RFC 5424's BOM
  return m;
}

constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// `header` is set when the line has a syslog header, whatever its program.
std::optional<LogLine> classic(std::string_view line, int year, bool& header) {
  std::string_view rest = line;
  const std::string_view mon = field(rest);
  const auto m = std::find(months.begin(), months.end(), mon);
  if (m == months.end()) return std::nullopt;
  const std::string_view day = field(rest);
  const std::string_view clock = field(rest);
  if (!digits(day) || day.size() > 2 || clock.find(':') == std::string_view::npos)
    return std::nullopt;
  header = true;  // "Mon DD HH:MM:SS": a syslog header, right or wrong
  const int month = static_cast<int>(m - months.begin()) + 1;
  const auto t = clock_ms(clock);
  LogLine out;
  out.format = LogFormat::classic;
  out.host = field(rest);
  if (!dhcpd_tag(field(rest), out.pid)) return std::nullopt;
  out.message = trim_message(rest);
  if (!t || number(day) < 1 || number(day) > days_in_month(year, month)) {
    out.bad_time = true;
    return out;
  }
  out.time_ms = days_from_civil(year, month, number(day)) * 86400000 + *t;
  return out;
}

std::optional<LogLine> rfc5424(std::string_view line) {
  std::string_view rest = line;
  if (!rest.empty() && rest.front() == '<') {
    const std::size_t close = rest.find('>');
    if (close == std::string_view::npos || close > 4 || !digits(rest.substr(1, close - 1)))
      return std::nullopt;
    rest.remove_prefix(close + 1);
  }
  if (field(rest) != "1") return std::nullopt;
  const std::string_view stamp = field(rest);
  LogLine out;
  out.format = LogFormat::rfc5424;
  if (stamp != "-") {
    out.time_ms = iso_ms(stamp);
    out.bad_time = !out.time_ms;
  }
  out.host = field(rest);
  const std::string_view app = field(rest);
  out.pid = pid_of(field(rest));  // PROCID ("-" when none)
  field(rest);                    // MSGID
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.substr(0, 1) == "-") {
    rest.remove_prefix(1);
  } else {
    // STRUCTURED-DATA: [id param="value" ...]... ; inside quotes \] and \" are escaped.
    while (!rest.empty() && rest.front() == '[') {
      bool quoted = false;
      std::size_t i = 1;
      for (; i < rest.size(); ++i) {
        if (rest[i] == '\\')
          ++i;
        else if (rest[i] == '"')
          quoted = !quoted;
        else if (rest[i] == ']' && !quoted)
          break;
      }
      if (i >= rest.size()) return std::nullopt;
      rest.remove_prefix(i + 1);
    }
  }
  if (app.substr(0, 5) != "dhcpd") return std::nullopt;
  out.message = trim_message(rest);
  return out;
}

std::optional<LogLine> iso(std::string_view line, bool& header) {
  std::string_view rest = line;
  LogLine out;
  out.format = LogFormat::iso;
  std::string stamp(field(rest));
  if (stamp.size() == 10) {  // "YYYY-MM-DD HH:MM:SS..." (a space for the T)
    std::string_view peek = rest;
    stamp += "T" + std::string(field(peek));
    rest = peek;
  }
  // "YYYY-MM-DDT...": a dated header, right or wrong.
  if (stamp.size() < 19 || stamp[4] != '-' || stamp[7] != '-' || stamp[10] != 'T' ||
      !digits(stamp.substr(0, 4)))
    return std::nullopt;
  header = true;
  out.time_ms = iso_ms(stamp);
  out.bad_time = !out.time_ms;
  out.host = field(rest);
  if (!dhcpd_tag(field(rest), out.pid)) return std::nullopt;
  out.message = trim_message(rest);
  return out;
}

/// fosim's text timeline: "[D+]HH:MM:SS.mmm  host  message"; its own annotations are skipped.
std::optional<LogLine> fosim_text(std::string_view line, bool& header) {
  std::string_view rest = line;
  std::string_view stamp = field(rest);
  std::int64_t days = 0;
  if (const std::size_t plus = stamp.find('+'); plus != std::string_view::npos) {
    if (!digits(stamp.substr(0, plus))) return std::nullopt;
    days = number(stamp.substr(0, plus));
    stamp = stamp.substr(plus + 1);
  }
  const auto t = clock_ms(stamp);
  if (!t || stamp.size() != 12 || rest.substr(0, 2) != "  ") return std::nullopt;
  header = true;
  LogLine out;
  out.format = LogFormat::fosim;
  out.time_ms = days * 86400000 + *t;
  out.host = field(rest);
  if (out.host == "fosim" || rest.substr(0, 2) != "  ") return std::nullopt;
  out.message = trim_message(rest);
  return out;
}

}  // namespace

std::string_view to_string(LogFormat f) {
  switch (f) {
    case LogFormat::classic:
      return "classic";
    case LogFormat::rfc5424:
      return "rfc5424";
    case LogFormat::iso:
      return "iso";
    case LogFormat::fosim:
      return "fosim";
    case LogFormat::bare:
      return "bare";
  }
  return "bare";
}

std::string log_clock(LogFormat f, std::int64_t time_ms) {
  if (f == LogFormat::bare || f == LogFormat::fosim) return {};
  // The civil date of day `z` since 1970 (the inverse of days_from_civil).
  const std::int64_t z = (time_ms >= 0 ? time_ms : time_ms - 86399999) / 86400000 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2));
  const std::int64_t in_day = time_ms - (z - 719468) * 86400000;
  char text[48];
  const int h = static_cast<int>(in_day / 3600000), m = static_cast<int>(in_day / 60000 % 60),
            sec = static_cast<int>(in_day / 1000 % 60), ms = static_cast<int>(in_day % 1000);
  if (f == LogFormat::classic)
    std::snprintf(text, sizeof text, "%s %2d %02d:%02d:%02d",
                  std::string(months[static_cast<std::size_t>(month - 1)]).c_str(), day, h, m, sec);
  else
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, h, m, sec);
  std::string out = text;
  if (ms != 0) {
    std::snprintf(text, sizeof text, ".%03d", ms);
    out += text;
  }
  return out;
}

namespace {

/// True when `host` can be a syslog HOSTNAME: printable US-ASCII only (RFC 5424 §6.2.4; RFC
/// 3164's is a subset). Anything else is another writer's text, not a host to replay.
bool printable_host(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char ch) { return ch > ' ' && ch < 0x7f; });
}

}  // namespace

std::optional<LogLine> parse_log_line(std::string_view line, int year) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.empty() || starts(line, "-- "))
    return std::nullopt;  // journalctl's boot / no-entries lines
  const char c = line.front();
  bool header = false;  // a header of some program was recognised
  std::optional<LogLine> out;
  if (c == '<' || starts(line, "1 ")) {
    out = rfc5424(line);
    header = c == '<' || out.has_value();
  }
  if (!header && c >= '0' && c <= '9') {
    out = iso(line, header);
    if (!header) out = fosim_text(line, header);
  }
  if (!header && c >= 'A' && c <= 'S') out = classic(line, year, header);
  if (header) return out && printable_host(out->host) ? out : std::nullopt;
  // No header: bare `dhcpd -d` output.
  LogLine bare;
  bare.format = LogFormat::bare;
  bare.message = trim_message(line);
  return bare;
}

}  // namespace fosim::sim
