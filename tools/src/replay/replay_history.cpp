// The histories fosim replay compares: the log's and each run's, side by side and as lanes.
#include "replay_history.hpp"

#include <algorithm>
#include <cstdio>

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

std::int64_t time_in(const History& h, std::size_t i, State s) {
  std::int64_t total = 0, since = 0;
  State cur = h.first[i];
  for (const auto& [t, to] : h.changes[i]) {
    if (cur == s) total += t - since;
    cur = to;
    since = t;
  }
  if (cur == s) total += h.end_ms - since;
  return total;
}

State final_state(const History& h, std::size_t i) {
  return h.changes[i].empty() ? h.first[i] : h.changes[i].back().second;
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
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<std::pair<std::int64_t, std::string>> changes = h.lanes[i];
    if (changes.empty())
      for (const auto& [t, s] : h.changes[i])
        changes.emplace_back(t, std::string(core::to_string(s)));
    lanes.push_back(
        bands_from_changes(std::string(core::to_string(h.first[i])), changes, h.end_ms));
  }
  return ascii_swimlanes({h.hosts[0], h.hosts[1]}, lanes, std::max<std::int64_t>(h.end_ms, 1), 100);
}

void comparison(std::ostream& out, const std::vector<History>& runs) {
  std::size_t first_col = 36;
  for (std::size_t i = 0; i < 2; ++i) first_col = std::max(first_col, runs[0].hosts[i].size() + 40);
  constexpr std::size_t col = 24;
  auto row = [&](const std::string& name, const std::vector<std::string>& cells) {
    std::string line = name;
    line.resize(first_col, ' ');
    for (const std::string& c : cells) {
      std::string cell = c;
      if (cell.size() < col) cell.resize(col, ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  std::vector<std::string> head;
  for (const History& h : runs) head.push_back(h.label);
  row("", head);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string who = runs[0].hosts[i] + (i == 0 ? " (primary)" : " (secondary)");
    std::vector<std::string> pd, pd_time, ci_time, end;
    for (const History& h : runs) {
      pd.push_back(first_entry(h, i, State::partner_down));
      pd_time.push_back(duration_text(time_in(h, i, State::partner_down)));
      ci_time.push_back(duration_text(time_in(h, i, State::communications_interrupted)));
      end.push_back(std::string(core::to_string(final_state(h, i))));
    }
    row(who + ": first partner-down at", pd);
    row(who + ": time in partner-down", pd_time);
    row(who + ": time in comm-interrupted", ci_time);
    row(who + ": state at the end", end);
  }
  std::vector<std::string> dups, avail, forced, leases;
  for (const History& h : runs) {
    leases.push_back(h.lease_range.empty() ? "-" : h.lease_range);
    dups.push_back(h.duplicates ? std::to_string(*h.duplicates) : "-");
    char a[32] = "-";
    if (h.availability) std::snprintf(a, sizeof a, "%.4f", *h.availability);
    avail.push_back(a);
    forced.push_back(std::to_string(h.forced));
  }
  row("addresses given to two clients", dups);
  row("availability (answered / attempted)", avail);
  row("lease times granted (shortest - longest)", leases);
  row("operator moves", forced);
}

}  // namespace fosim::tools::detail
