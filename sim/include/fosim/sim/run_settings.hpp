// The one table of a scenario's own settings: each client group's, and the run's.
//
// core/settings.hpp declares the servers' and the pool's settings; what a scenario adds (how
// many clients, when they arrive, how long they stay, how long the run lasts, the latencies and
// the link's SYN schedule) is declared here the same way, one row per setting: its scenario
// key, what its value is, the range the reader accepts and how an error names it, what it is
// when not written, and where it lives in a ClientGroup or a Scenario. The scenario reader and
// writer, `fosim replay --what-if` and `fosim sweep --vary` all read these rows, so adding a
// setting means adding one row (and the member it names). A key with a dot is nested in the
// file: "arrival.start" is `"arrival": {"start": ...}`. Keys are checked to be unique at
// compile time.
//
// The seed is no row: it is any 64-bit number, which a row's range cannot hold, and replay and
// sweep take it from --seed and --seeds rather than as a setting.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fosim/sim/scenario.hpp"
#include "fosim/sim/wall_clock.hpp"

namespace fosim::sim {

/// What a row's value is, and how a scenario file writes it.
enum class Kind : std::uint8_t {
  count,       ///< a whole number
  duration,    ///< milliseconds, written as seconds or as text such as "90s" or "250ms"
  seconds,     ///< whole seconds (a number, or a duration of whole seconds)
  flag,        ///< true or false (0 or 1 here)
  choice,      ///< one of the row's names (its index here)
  fraction,    ///< a number from 0 to 1, or text such as "2%" (millionths here)
  macs,        ///< a list of MAC addresses (read and written by the clients section itself)
  utc_time,    ///< a UTC date and time, "2026-11-04T07:00:00Z" (ms since 1970 here)
  day_window,  ///< a span of the day, "08:00-09:30" (pack_day_window() here)
};

/// What a reader accepts for one setting, and how it names what would be valid.
struct ValueRule {
  Kind kind = Kind::count;
  std::int64_t min = 0;        ///< the smallest value (durations in ms, seconds in s)
  std::int64_t max = 0;        ///< the largest (durations: at most ten years)
  std::string_view valid;      ///< what would be valid, for errors
  std::string_view too_small;  ///< the message for a value under min (durations and seconds)
  std::span<const std::string_view> names{};  ///< choices: the names, index by index
};

/// Whether the writer writes a setting that holds its default.
enum class Write : std::uint8_t { always, unless_default };

/// One setting of a `T` (a ClientGroup or a Scenario).
template <class T>
struct RunSetting {
  std::string_view key;  ///< the scenario key, e.g. "count", "arrival.start", "link.latency"
  ValueRule rule;
  std::optional<std::int64_t> fallback;  ///< the value when not written; nothing: required or unset
  Write write = Write::unless_default;   ///< always: written even when it is the fallback
  std::optional<std::int64_t> (*get)(const T&) = nullptr;  ///< nothing when unset; null for macs
  void (*set)(T&, std::int64_t) = nullptr;
};

/// The names of Reach, in its order.
inline constexpr std::array<std::string_view, 3> reach_names{"both", "primary", "secondary"};
/// The names of the SYN schedules a scenario can choose, in SynSchedule's order (a list of
/// waits, the third kind, is read and written by the run's section itself).
inline constexpr std::array<std::string_view, 2> syn_schedule_names{"linux", "linux-pre-6.5"};

namespace run_detail {
using G = ClientGroup;
using S = Scenario;
using V = std::optional<std::int64_t>;
/// Ten years of simulated time, the longest duration a scenario may name, in ms.
constexpr std::int64_t ten_years_ms = std::int64_t{24} * 3650 * 3600 * 1000;
constexpr std::int64_t u32 = 4294967295;
constexpr auto always = Write::always;
constexpr auto unless_default = Write::unless_default;
/// The largest packed span of the day (24:00-24:00).
constexpr std::int64_t day_window_max =
    pack_day_window({core::Seconds{86400}, core::Seconds{86400}});
/// 9999-12-31T23:59:59.999Z, the latest wall-clock start, in ms.
constexpr std::int64_t utc_max_ms = 253402300799999;
}  // namespace run_detail

// clang-format off
/// Every key of a client group, in the order scenario files are read and written.
inline constexpr std::array<RunSetting<ClientGroup>, 14> client_settings = [] {
  using namespace run_detail;
  return std::array<RunSetting<ClientGroup>, 14>{{
  // key                     kind             min max           valid                                   too small           fallback  write
  {"count",                {Kind::count,    0, 2000000,       "0 to 2000000",                          ""},                {},      always,
    [](const G& g) -> V { return g.count; },                   [](G& g, std::int64_t v) { g.count = static_cast<std::uint32_t>(v); }},
  {"reach",                {Kind::choice,   0, 2,             "both, primary, secondary",              "", reach_names},   0,       unless_default,
    [](const G& g) -> V { return static_cast<std::int64_t>(g.reach); },
                                                               [](G& g, std::int64_t v) { g.reach = static_cast<Reach>(v); }},
  {"arrival.start",        {Kind::duration, 0, ten_years_ms,  "0 to 3650d",                            ""},                0,       always,
    [](const G& g) -> V { return g.arrival_start.count(); },   [](G& g, std::int64_t v) { g.arrival_start = Duration{v}; }},
  {"arrival.window",       {Kind::duration, 0, ten_years_ms,  "0 to 3650d",                            ""},                0,       always,
    [](const G& g) -> V { return g.arrival_window.count(); },  [](G& g, std::int64_t v) { g.arrival_window = Duration{v}; }},
  {"stay",                 {Kind::duration, 0, ten_years_ms,  "0 to 3650d",                            ""},                {},      unless_default,
    [](const G& g) -> V { return g.stay ? V(g.stay->count()) : V(); },
                                                               [](G& g, std::int64_t v) { g.stay = Duration{v}; }},
  {"away",                 {Kind::duration, 1, ten_years_ms,  "1ms to 3650d",                          "must be positive"}, {},     unless_default,
    [](const G& g) -> V { return g.away ? V(g.away->count()) : V(); },
                                                               [](G& g, std::int64_t v) { g.away = Duration{v}; }},
  {"release_on_departure", {Kind::flag,     0, 1,             "true, false",                           ""},                0,       unless_default,
    [](const G& g) -> V { return g.release_on_departure; },    [](G& g, std::int64_t v) { g.release_on_departure = v != 0; }},
  {"client_ids",           {Kind::flag,     0, 1,             "true, false",                           ""},                0,       unless_default,
    [](const G& g) -> V { return g.client_ids; },              [](G& g, std::int64_t v) { g.client_ids = v != 0; }},
  {"macs",                 {Kind::macs,     0, 0,             "six hex bytes, e.g. 52:54:00:02:bf:f8", ""},                {},      unless_default,
    nullptr,                                                   nullptr},
  {"requested_lease_time", {Kind::seconds,  1, u32,           "seconds, e.g. 3600",                    "must be positive"}, {},     unless_default,
    [](const G& g) -> V { return g.requested_lease_time ? V(g.requested_lease_time->count()) : V(); },
                                                               [](G& g, std::int64_t v) { g.requested_lease_time = core::Seconds{v}; }},
  {"secs",                 {Kind::count,    0, 65535,         "0 to 65535 seconds",                    ""},                0,       unless_default,
    [](const G& g) -> V { return g.secs; },                    [](G& g, std::int64_t v) { g.secs = static_cast<std::uint16_t>(v); }},
  {"pool",                 {Kind::count,    0, 1023,          "a pool's place in pools, from 0",       ""},                {},      unless_default,
    [](const G& g) -> V { return g.pool ? V(static_cast<std::int64_t>(*g.pool)) : V(); },
                                                               [](G& g, std::int64_t v) { g.pool = static_cast<std::size_t>(v); }},
  {"daily.arrive",         {Kind::day_window, 0, day_window_max, "a span of the day in UTC, e.g. \"08:00-09:30\"", ""},   {},      unless_default,
    [](const G& g) -> V { return g.daily_arrive ? V(pack_day_window(*g.daily_arrive)) : V(); },
                                                               [](G& g, std::int64_t v) { g.daily_arrive = unpack_day_window(v); }},
  {"daily.leave",          {Kind::day_window, 0, day_window_max, "a span of the day in UTC, e.g. \"17:00-18:30\"", ""},   {},      unless_default,
    [](const G& g) -> V { return g.daily_leave ? V(pack_day_window(*g.daily_leave)) : V(); },
                                                               [](G& g, std::int64_t v) { g.daily_leave = unpack_day_window(v); }},
  }};
}();

/// The run's own settings, in the order scenario files are read and written.
inline constexpr std::array<RunSetting<Scenario>, 6> run_settings = [] {
  using namespace run_detail;
  return std::array<RunSetting<Scenario>, 6>{{
  // key               kind             min max           valid         too small                         fallback  write
  {"duration",       {Kind::duration, 1, ten_years_ms,  "e.g. \"2h\"", "the duration must be positive"}, {},      always,
    [](const S& s) -> V { return s.duration.count(); },       [](S& s, std::int64_t v) { s.duration = Duration{v}; }},
  {"link.latency",   {Kind::duration, 0, ten_years_ms,  "0 to 3650d",  ""},                              1,       always,
    [](const S& s) -> V { return s.link_latency.count(); },   [](S& s, std::int64_t v) { s.link_latency = Duration{v}; }},
  {"link.syn_schedule", {Kind::choice, 0, 1,          "linux, linux-pre-6.5, or a list of waits in seconds such as [1, 2, 4]", "", syn_schedule_names},
                                                                                                          0,       unless_default,
    [](const S& s) -> V { return s.syn_schedule == SynSchedule::list ? V() : V(static_cast<std::int64_t>(s.syn_schedule)); },
                                                              [](S& s, std::int64_t v) { s.syn_schedule = static_cast<SynSchedule>(v); s.syn_waits.clear(); }},
  {"link.syn_lateness", {Kind::fraction, 0, 1000000,  "0 to 1, e.g. 0.02 (2 % late)", ""},               0,       unless_default,
    [](const S& s) -> V { return s.syn_lateness_ppm; },      [](S& s, std::int64_t v) { s.syn_lateness_ppm = v; }},
  {"client_latency", {Kind::duration, 0, ten_years_ms,  "0 to 3650d",  ""},                              1,       always,
    [](const S& s) -> V { return s.client_latency.count(); }, [](S& s, std::int64_t v) { s.client_latency = Duration{v}; }},
  {"start",          {Kind::utc_time, 0, utc_max_ms,    "a UTC date and time, e.g. \"2026-11-04T07:00:00Z\"", ""}, {}, unless_default,
    [](const S& s) -> V { return s.start_utc_ms ? V(*s.start_utc_ms) : V(); }, [](S& s, std::int64_t v) { s.start_utc_ms = v; }},
  }};
}();
// clang-format on

/// Returns true when `what-if` and `sweep --vary` may change the setting: the numbers.
constexpr bool tunable(const ValueRule& r) {
  return r.kind == Kind::count || r.kind == Kind::duration || r.kind == Kind::seconds ||
         r.kind == Kind::fraction;
}

/// Returns the row of `table` whose key is `key`, or nullptr.
template <class T, std::size_t N>
constexpr const RunSetting<T>* find_run_setting(const std::array<RunSetting<T>, N>& table,
                                                std::string_view key) {
  for (const RunSetting<T>& s : table)
    if (s.key == key) return &s;
  return nullptr;
}

/// Returns the part of a dotted key before its dot ("arrival" of "arrival.start"), or the key.
constexpr std::string_view key_head(std::string_view key) { return key.substr(0, key.find('.')); }

/// Returns the part of a dotted key after its dot ("start" of "arrival.start"), or "".
constexpr std::string_view key_tail(std::string_view key) {
  const std::size_t dot = key.find('.');
  return dot == std::string_view::npos ? std::string_view{} : key.substr(dot + 1);
}

namespace run_detail {
/// True when no two rows of `table` share a key, a range is ordered and a fallback lies in it.
/// That every row but macs has its accessors is a test (tests/sim/run_settings_test.cpp): GCC's
/// -fsanitize=null makes comparing a function's address with nullptr not a constant expression.
template <class T, std::size_t N>
constexpr bool well_formed(const std::array<RunSetting<T>, N>& table) {
  for (std::size_t i = 0; i < N; ++i) {
    const RunSetting<T>& s = table[i];
    for (std::size_t j = 0; j < i; ++j)
      if (table[j].key == s.key) return false;
    if (s.rule.min > s.rule.max && s.rule.kind != Kind::macs) return false;
    if (s.fallback && (*s.fallback < s.rule.min || *s.fallback > s.rule.max)) return false;
    if (s.rule.kind == Kind::choice &&
        s.rule.names.size() != static_cast<std::size_t>(s.rule.max + 1))
      return false;
    if (s.key.empty() || s.rule.valid.empty()) return false;
  }
  return true;
}
}  // namespace run_detail

static_assert(run_detail::well_formed(client_settings), "a client_settings row is malformed");
static_assert(run_detail::well_formed(run_settings), "a run_settings row is malformed");

}  // namespace fosim::sim
