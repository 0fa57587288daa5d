// The histories fosim replay compares: the log's and each run's, side by side and as lanes.
#include "replay_history.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "fosim/sim/summary.hpp"
#include "fosim/tools/report.hpp"

namespace fosim::tools::detail {

using core::State;

namespace {

std::string duration_text(std::int64_t ms) {
  if (ms <= 0) return "0 s";
  const std::int64_t s = ms / 1000;
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60));
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  else
    std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(s));
  return text;
}

std::string first_entry(const History& h, std::size_t i, State s) {
  for (const auto& [t, to] : h.changes[i])
    if (to == s) return sim::format_time(core::Instant{core::Duration{t}});
  return "never";
}

}  // namespace

Lane lane(const History& h, std::size_t i) {
  if (!h.lanes[i].empty()) return h.lanes[i];
  Lane out;
  for (const auto& [t, s] : h.changes[i]) out.emplace_back(t, std::string(core::to_string(s)));
  return out;
}

std::int64_t time_in(const History& h, std::size_t i, std::string_view state) {
  std::int64_t total = 0, since = 0;
  std::string cur(core::to_string(h.first[i]));
  for (const auto& [t, to] : lane(h, i)) {
    if (cur == state) total += t - since;
    cur = to;
    since = t;
  }
  if (cur == state) total += h.end_ms - since;
  return total;
}

std::string end_state(const History& h, std::size_t i) {
  const Lane l = lane(h, i);
  return l.empty() ? std::string(core::to_string(h.first[i])) : l.back().second;
}

std::vector<std::pair<std::int64_t, std::int64_t>> split_brain(const History& h) {
  const std::string pd(core::to_string(State::partner_down));
  std::vector<Band> lanes[2];
  for (std::size_t i = 0; i < 2; ++i)
    lanes[i] = bands_from_changes(std::string(core::to_string(h.first[i])), lane(h, i), h.end_ms);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const Band& a : lanes[0])
    for (const Band& b : lanes[1]) {
      if (a.state != pd || b.state != pd) continue;
      const std::int64_t from = std::max(a.start_ms, b.start_ms), to = std::min(a.end_ms, b.end_ms);
      if (from < to) out.emplace_back(from, to);
    }
  std::sort(out.begin(), out.end());
  return out;
}

History from_replay(const sim::Replay& r) {
  History h;
  h.label = "logged";
  h.end_ms = r.end().time_since_epoch().count();
  for (std::size_t k = 0; k < r.servers().size(); ++k) {
    const sim::ReplayServer& s = r.servers()[k];
    const std::size_t i = s.role == core::Role::primary ? 0 : 1;
    h.hosts[i] = s.host;
    h.first[i] = s.first_state.value_or(State::startup);
    for (const auto& [at, state] : s.states)
      h.changes[i].emplace_back(at.time_since_epoch().count(), state);
  }
  std::uint64_t dups = 0;
  for (const auto& [kind, n] : r.finding_counts()) {
    if (kind == sim::ReplayFinding::Kind::duplicate_address) dups += n;
    if (kind == sim::ReplayFinding::Kind::unexplained_move) h.forced += n;
  }
  h.duplicates = dups;
  return h;
}

History from_run(const std::string& label, const sim::Simulator& s) {
  History h;
  h.label = label;
  h.end_ms = s.now().time_since_epoch().count();
  for (std::size_t i = 0; i < 2; ++i) h.hosts[i] = s.server(i).host();
  for (const auto& [when, who, to] : s.stats().state_log)
    h.changes[who].emplace_back(when.time_since_epoch().count(), to);
  for (std::size_t i = 0; i < 2; ++i) h.lanes[i] = run_changes(s.stats(), i);
  h.duplicates = s.stats().duplicates.size();
  h.availability = sim::availability(s.stats());
  if (!s.stats().lease_times.empty())
    h.lease_range = std::to_string(s.stats().lease_times.begin()->first) + " s - " +
                    std::to_string(s.stats().lease_times.rbegin()->first) + " s";
  for (std::size_t i = 0; i < 2; ++i)
    for (const auto& [pair, n] : s.stats().operator_moves[i]) h.forced += n;
  return h;
}

std::string swimlanes(const History& h) {
  std::vector<std::vector<Band>> lanes;
  std::vector<std::string> names{h.hosts[0], h.hosts[1]};
  for (std::size_t i = 0; i < 2; ++i)
    lanes.push_back(
        bands_from_changes(std::string(core::to_string(h.first[i])), lane(h, i), h.end_ms));
  if (const auto windows = split_brain(h); !windows.empty()) {
    names.emplace_back("split-brain");
    std::vector<Band>& marks = lanes.emplace_back();
    for (const auto& [from, to] : windows)
      marks.push_back({from, to, std::string(split_brain_band)});
  }
  return ascii_swimlanes(names, lanes, std::max<std::int64_t>(h.end_ms, 1), 100);
}

std::vector<TableRow> comparison_rows(const std::vector<History>& runs) {
  std::vector<TableRow> rows;
  auto row = [&](std::string name, auto cell) {
    TableRow r{std::move(name), {}};
    for (const History& h : runs) r.cells.push_back(cell(h));
    rows.push_back(std::move(r));
  };
  row("", [](const History& h) { return h.label; });
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string who = runs[0].hosts[i] + (i == 0 ? " (primary)" : " (secondary)");
    row(who + ": first partner-down at",
        [i](const History& h) { return first_entry(h, i, State::partner_down); });
    row(who + ": time in partner-down", [i](const History& h) {
      return duration_text(time_in(h, i, core::to_string(State::partner_down)));
    });
    row(who + ": time in comm-interrupted", [i](const History& h) {
      return duration_text(time_in(h, i, core::to_string(State::communications_interrupted)));
    });
    row(who + ": state at the end", [i](const History& h) { return end_state(h, i); });
  }
  row("both in partner-down (split-brain)", [](const History& h) {
    const auto windows = split_brain(h);
    if (windows.empty()) return std::string("never");
    std::int64_t total = 0;
    for (const auto& [from, to] : windows) total += to - from;
    return duration_text(total) + " from " +
           sim::format_time(core::Instant{core::Duration{windows.front().first}});
  });
  row("addresses given to two clients", [](const History& h) {
    return h.duplicates ? std::to_string(*h.duplicates) : std::string("-");
  });
  row("availability (answered / attempted)", [](const History& h) {
    char a[32] = "-";
    if (h.availability) std::snprintf(a, sizeof a, "%.4f", *h.availability);
    return std::string(a);
  });
  row("lease times granted (shortest - longest)",
      [](const History& h) { return h.lease_range.empty() ? std::string("-") : h.lease_range; });
  row("operator moves", [](const History& h) { return std::to_string(h.forced); });
  return rows;
}

void print_table(std::ostream& out, const std::vector<TableRow>& rows) {
  // Each column is as wide as its longest text and two spaces, and no narrower than a short
  // table's: 36 for the names, 24 for the values.
  std::size_t name_width = 36;
  std::vector<std::size_t> widths;
  for (const TableRow& r : rows) {
    name_width = std::max(name_width, r.name.size() + 2);
    if (widths.size() < r.cells.size()) widths.resize(r.cells.size(), 24);
    for (std::size_t k = 0; k < r.cells.size(); ++k)
      widths[k] = std::max(widths[k], r.cells[k].size() + 2);
  }
  for (const TableRow& r : rows) {
    std::string line = r.name;
    line.resize(name_width, ' ');
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      line += r.cells[k];
      line.resize(line.size() + widths[k] - r.cells[k].size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

void comparison(std::ostream& out, const std::vector<History>& runs) {
  print_table(out, comparison_rows(runs));
}

}  // namespace fosim::tools::detail
