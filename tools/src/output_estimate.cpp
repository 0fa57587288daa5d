// The output estimate of a run: lease exchanges from the client model, priced per timeline.
#include "fosim/tools/output_estimate.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace fosim::tools {
namespace {

// Bytes a timeline writes per lease exchange, and what every run writes besides (the servers'
// startup, the link, the state moves). Measured: 2000 clients for a day with 1-hour leases
// (97 965 exchanges) write 41.8 MB of timeline.jsonl and 15.0 MB of text timeline;
// one-client.json, a run with next to no clients, writes 33 kB and 19 kB.
constexpr double jsonl_per_exchange = 430;
constexpr double text_per_exchange = 155;
constexpr double jsonl_fixed = 35'000;
constexpr double text_fixed = 20'000;

/// Seconds from `from` to the end, never negative.
double seconds_left(double from, double end) { return std::max(0.0, end - from); }

/// How many lease exchanges a client present for `present` seconds makes: its first lease and
/// a renewal every half lease (T1) after it.
double exchanges_while_present(double present, double lease) {
  return present > 0 ? 1 + std::floor(present / (lease / 2)) : 0;
}

/// The lease a group's clients get: what they ask for within the pool's bounds, else the
/// pool's default.
double lease_seconds(const sim::PoolSpec& pool, const sim::ClientGroup& group) {
  double lease = static_cast<double>(pool.default_lease_time.count());
  if (group.requested_lease_time)
    lease = std::min(static_cast<double>(group.requested_lease_time->count()),
                     static_cast<double>(pool.max_lease_time.count()));
  return std::max(lease, 1.0);
}

/// Exchanges of one client of `group` that arrives at `arrival` (seconds) with `end` the run's.
double exchanges_of_client(const sim::ClientGroup& group, double lease, double arrival,
                           double end) {
  const double present = seconds_left(arrival, end);
  if (!group.stay) return exchanges_while_present(present, lease);
  const double stay = static_cast<double>(group.stay->count()) / 1000;
  if (!group.away) return exchanges_while_present(std::min(present, stay), lease);
  // Cycles of staying and being away, each stay beginning with a new first exchange.
  const double cycle = stay + static_cast<double>(group.away->count()) / 1000;
  const double whole = std::floor(present / std::max(cycle, 1.0));
  const double rest = present - whole * cycle;
  return whole * exchanges_while_present(stay, lease) +
         exchanges_while_present(std::min(rest, stay), lease);
}

}  // namespace

OutputEstimate estimate_output(const sim::Scenario& scenario, core::Instant until) {
  const double end = static_cast<double>(until.time_since_epoch().count()) / 1000;
  double exchanges = 0;
  // A group's clients arrive spread over its window: priced as if all came in its middle.
  for (const sim::ClientGroup& g : scenario.clients) {
    const double arrival =
        static_cast<double>((g.arrival_start + g.arrival_window / 2).count()) / 1000;
    exchanges += g.count * exchanges_of_client(g, lease_seconds(scenario.pool, g), arrival, end);
  }
  // Clients a script adds later behave as the scenario's first group (or stay for good).
  const sim::ClientGroup plain =
      scenario.clients.empty() ? sim::ClientGroup{} : scenario.clients.front();
  for (const sim::ScriptAction& a : scenario.script) {
    if (a.type == sim::ActionType::clients) {
      const double arrival =
          static_cast<double>((a.at + a.window / 2).time_since_epoch().count()) / 1000;
      exchanges += a.add_clients *
                   exchanges_of_client(plain, lease_seconds(scenario.pool, plain), arrival, end);
    } else if (a.type == sim::ActionType::client) {
      exchanges += 1;
    }
  }
  OutputEstimate e;
  e.exchanges = exchanges;
  e.jsonl_bytes = static_cast<std::uint64_t>(jsonl_fixed + exchanges * jsonl_per_exchange);
  e.text_bytes = static_cast<std::uint64_t>(text_fixed + exchanges * text_per_exchange);
  return e;
}

std::optional<std::uint64_t> parse_size(const std::string& text) {
  if (text == "unlimited") return std::numeric_limits<std::uint64_t>::max();
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  constexpr std::array<std::pair<const char*, double>, 5> units{
      {{"", 1}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}}};
  for (const auto& [name, factor] : units) {
    if (unit != name && !(unit.size() == 1 && std::tolower(unit[0]) == std::tolower(name[0])))
      continue;
    const double bytes = number * factor;
    if (!(bytes >= 0) || bytes > 1.8e19) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
  }
  return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
  constexpr std::array<std::pair<const char*, double>, 4> units{
      {{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}}};
  const double b = static_cast<double>(bytes);
  for (const auto& [name, factor] : units) {
    if (b < factor) continue;
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", b / factor, name);
    return text;
  }
  return std::to_string(bytes) + " B";
}

}  // namespace fosim::tools
