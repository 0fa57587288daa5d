// The HTML report of a run: one self-contained file (inline CSS, script, data and SVG; nothing
// fetched) with both servers' state swimlanes, the link and the script across them, lease
// activity, the pools over time, the monitors' findings and the run's state diagram.
//
// The report is made from a run directory (`fosim run --out DIR`): timeline.jsonl, summary.json
// and states.dot. Everything time-based is aggregated into the summary's sample interval, so
// the file stays small whatever the client count. report_data() is the page's data as JSON
// (tests read it); report_html() wraps it with the page's script, which draws the charts and
// lets the reader zoom and pan the time axis.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fosim::sim {
struct RunStats;
}

namespace fosim::tools {

/// The band of a server whose process is not running (crashed, stopped, not started).
inline constexpr std::string_view down_state = "down";
/// The name of the marker band a swimlane draws where both servers are in partner-down while
/// they cannot talk (each may hand out the other's addresses), drawn as '!'.
inline constexpr std::string_view split_brain_band = "both in partner-down";

/// One lease grant of the timeline, as the report counts it.
struct GrantPoint {
  std::int64_t t_ms = 0;
  std::string server;
  std::string kind;  ///< new, renew or rebind
};

/// The files of one run directory. The timeline's DHCP lines are dropped and its grants and
/// unanswered attempts kept as bare points: a large run has millions of them.
struct RunFiles {
  nlohmann::json summary;                ///< summary.json
  std::vector<nlohmann::json> events;    ///< the other timeline.jsonl lines, in order
  std::vector<GrantPoint> grants;        ///< the `grant` lines
  std::vector<std::int64_t> unanswered;  ///< the times of the `unanswered` lines
  std::string states_dot;                ///< states.dot
};

/// Reads `dir`'s three files; on failure returns nothing and sets `error` (file and reason).
std::optional<RunFiles> read_run_dir(const std::filesystem::path& dir, std::string& error);

/// Returns the page's data: lanes of state intervals, link intervals, script marks, partition
/// spans, grants and unanswered attempts per time bucket, pool series, lease times, monitor
/// findings and the failover events of the timeline (at most `max_events` of them).
nlohmann::ordered_json report_data(const RunFiles& run, std::string_view version,
                                   std::size_t max_events = 5000);

/// Returns the whole HTML page. `diagram_svg` is the rendered states.dot (inline SVG), or empty
/// with `diagram_note` saying why there is none.
std::string report_html(const nlohmann::ordered_json& data, const std::string& diagram_svg,
                        const std::string& diagram_note);

/// Returns `dot` rendered as SVG by Graphviz, or nothing with `error` set (e.g. dot missing).
std::optional<std::string> render_svg(const std::string& dot, std::string& error);

/// One stretch of time a server spent in one failover state.
struct Band {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string state;  ///< ISC's name, e.g. "communications-interrupted"
};

/// Returns each server's bands from its state changes (when, new state), given the state it
/// started in, up to `end_ms`.
std::vector<Band> bands_from_changes(
    const std::string& first_state,
    const std::vector<std::pair<std::int64_t, std::string>>& changes, std::int64_t end_ms);

/// Returns server `server`'s lane changes in a finished run: its state moves, and "down" while
/// its process is not running.
std::vector<std::pair<std::int64_t, std::string>> run_changes(const sim::RunStats& stats,
                                                              std::size_t server);

/// Returns a text swimlane of both servers' states, `width` columns wide in all: a time axis,
/// one row per server with one letter per time slice (the state held longest in it; '-' for
/// down), and a legend of the letters.
std::string ascii_swimlanes(const std::vector<std::string>& hosts,
                            const std::vector<std::vector<Band>>& lanes, std::int64_t end_ms,
                            std::size_t width = 100);

}  // namespace fosim::tools
