// The state lanes of a run: bands of time in one state, made from a server's state changes
// (a run directory's, or a finished run's with its process exits as down bands), and the
// text swimlanes of both servers that fosim run and fosim replay print.
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "fosim/core/state.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/tools/report.hpp"

namespace fosim::tools {

std::vector<Band> bands_from_changes(
    const std::string& first_state,
    const std::vector<std::pair<std::int64_t, std::string>>& changes, std::int64_t end_ms) {
  std::vector<Band> out;
  std::int64_t since = 0;
  std::string state = first_state;
  for (const auto& [at, to] : changes) {
    if (at > since) out.push_back({since, at, state});
    since = at;
    state = to;
  }
  if (end_ms > since) out.push_back({since, end_ms, state});
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> run_changes(const sim::RunStats& stats,
                                                              std::size_t server) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  auto ms = [](core::Instant t) { return t.time_since_epoch().count(); };
  std::size_t next = 0;  // the next process event
  const auto& procs = stats.process_log;
  auto flush_until = [&](std::size_t moves_before) {
    for (; next < procs.size() && std::get<3>(procs[next]) <= moves_before; ++next) {
      const auto& [when, who, what, position] = procs[next];
      if (who == server && what != sim::ProcessAction::start)
        out.emplace_back(ms(when), std::string(down_state));
    }
  };
  for (std::size_t k = 0; k < stats.state_log.size(); ++k) {
    flush_until(k);
    const auto& [when, who, to] = stats.state_log[k];
    if (who == server) out.emplace_back(ms(when), std::string(core::to_string(to)));
  }
  flush_until(stats.state_log.size());
  return out;
}

namespace {

/// The letter of each state in a text swimlane, in name order (the legend's order).
using Letters = std::map<std::string, char>;

/// Returns the letter of `state`, choosing it on first use: the first letter of the state,
/// distinct within the run (upper case on a clash).
char letter_of(Letters& letters, const std::string& state) {
  if (auto it = letters.find(state); it != letters.end()) return it->second;
  static constexpr std::string_view fallback = "abcdefghijklmnopqrstuvwxyz";
  auto used = [&letters](char c) {
    return std::any_of(letters.begin(), letters.end(),
                       [c](const auto& p) { return p.second == c; });
  };
  char c = state.empty() ? '?' : state[0];
  if (state == "communications-interrupted") c = 'i';
  if (state == "resolution-interrupted") c = 'z';
  if (state == "recover-done") c = 'd';
  if (state == "recover-wait") c = 'w';
  if (state == "conflict-done") c = 'f';
  if (state == down_state) c = '-';
  if (state == split_brain_band) c = '!';
  if (state == "partner-down") c = 'P';
  if (used(c)) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  for (std::size_t k = 0; used(c) && k < fallback.size(); ++k) c = fallback[k];
  letters[state] = c;
  return c;
}

/// Returns `ms` as hours and minutes, "h:mm".
std::string hhmm(std::int64_t ms) {
  char buf[32];
  const std::int64_t m = ms / 60000;
  std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m / 60),
                static_cast<long long>(m % 60));
  return std::string(buf);
}

/// Returns the time axis over `columns` columns: the start time left, the end time right.
std::string axis_line(std::size_t columns, std::int64_t end_ms) {
  const std::string left = hhmm(0), right = hhmm(end_ms);
  std::string axis(columns + 1, ' ');
  axis.replace(0, left.size(), left);
  if (right.size() <= columns + 1) axis.replace(columns + 1 - right.size(), right.size(), right);
  return axis;
}

/// Returns one server's row: per slice of `slice` ms, the letter of the state held longest.
std::string lane_row(const std::vector<Band>& lane, std::size_t columns, std::int64_t slice,
                     std::int64_t end_ms, Letters& letters) {
  std::string row;
  for (std::size_t col = 0; col < columns; ++col) {
    const std::int64_t a = static_cast<std::int64_t>(col) * slice, b = std::min(end_ms, a + slice);
    std::string best;
    std::int64_t best_ms = -1;
    for (const Band& band : lane) {
      const std::int64_t overlap = std::min(b, band.end_ms) - std::max(a, band.start_ms);
      if (overlap > best_ms) best_ms = overlap, best = band.state;
    }
    row += best_ms > 0 ? letter_of(letters, best) : ' ';
  }
  return row;
}

/// Returns `ms` in seconds without trailing zeros: "60", "0.5", "1.25".
std::string seconds_text(std::int64_t ms) {
  std::string per = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(ms % 1000));
    per += frac;
    while (per.back() == '0') per.pop_back();
  }
  return per;
}

}  // namespace

std::string ascii_swimlanes(const std::vector<std::string>& hosts,
                            const std::vector<std::vector<Band>>& lanes, std::int64_t end_ms,
                            std::size_t width) {
  std::size_t label = 5;
  for (const std::string& h : hosts) label = std::max(label, h.size());
  const std::size_t columns = width > label + 3 ? width - label - 3 : 10;
  const std::int64_t slice = std::max<std::int64_t>(
      1, (end_ms + static_cast<std::int64_t>(columns) - 1) / static_cast<std::int64_t>(columns));
  Letters letters;
  std::ostringstream out;
  const std::string pad(label + 2, ' ');
  out << pad << axis_line(columns, end_ms) << "\n";
  for (std::size_t i = 0; i < lanes.size() && i < hosts.size(); ++i) {
    const std::string row = lane_row(lanes[i], columns, slice, end_ms, letters);
    std::string name = hosts[i];
    name.resize(label, ' ');
    out << name << " |" << row << "|\n";
  }
  std::string legend;
  for (const auto& [state, c] : letters)
    legend += std::string(legend.empty() ? "" : "  ") + c + " " + state;
  out << pad << "one column = " << seconds_text(slice) << " s;  " << legend << "\n";
  return out.str();
}

}  // namespace fosim::tools
