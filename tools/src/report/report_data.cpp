// The report page's data: one walk over a run's timeline and summary that gathers what the
// page's script draws (state lanes, link and partition spans, script marks, grants and
// unanswered attempts per time bucket, monitor findings, the failover events) as JSON.
#include <algorithm>
#include <array>
#include <map>

#include "fosim/core/state.hpp"
#include "fosim/tools/report.hpp"
#include "fosim/tools/state_graph.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

std::int64_t ms_of(const nlohmann::json& e) { return e.value("t_ms", std::int64_t{0}); }

Json colours() {
  Json c = Json::object();
  for (const core::StateInfo& s : core::state_table)
    c[std::string(core::to_string(s.state))] = colour_of(service_class(s.state));
  c[std::string(down_state)] = "#808b96";  // no process: grey
  return c;
}

std::string field(const nlohmann::json& e, const char* key) {
  const auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The run's two hosts, primary first, as summary.json names them.
using Hosts = std::array<std::string, 2>;

/// Returns 0 or 1 for the server event `e` names, or -1 (no server, or another host).
int server_index(const nlohmann::json& e, const Hosts& hosts) {
  if (!e.contains("server") || !e["server"].is_string()) return -1;
  const std::string h = e["server"].get<std::string>();
  return h == hosts[0] ? 0 : h == hosts[1] ? 1 : -1;
}

/// The time buckets grants and unanswered attempts are counted in: the summary's interval.
struct Buckets {
  std::int64_t bucket_ms = 1000;  ///< the length of one bucket
  std::size_t count = 1;          ///< buckets up to the end of the run

  /// Returns the bucket of time `t` (ms); times past the end go in the last.
  std::size_t of(std::int64_t t) const {
    return std::min(count - 1, static_cast<std::size_t>(t / bucket_ms));
  }
};

/// Lease grants per server, kind (new, renew, rebind) and bucket; unanswered attempts per bucket.
struct GrantCounts {
  std::array<std::array<std::vector<std::uint32_t>, 3>, 2> grants;
  std::vector<std::uint32_t> unanswered;
};

GrantCounts count_grants(const RunFiles& run, const Hosts& hosts, const Buckets& buckets) {
  GrantCounts out;
  for (auto& per_server : out.grants)
    for (auto& v : per_server) v.assign(buckets.count, 0);
  out.unanswered.assign(buckets.count, 0);
  for (const GrantPoint& g : run.grants) {
    const int who = g.server == hosts[0] ? 0 : g.server == hosts[1] ? 1 : -1;
    if (who < 0) continue;
    const std::size_t k = g.kind == "renew" ? 1 : g.kind == "rebind" ? 2 : 0;
    ++out.grants[static_cast<std::size_t>(who)][k][buckets.of(g.t_ms)];
  }
  for (const std::int64_t t : run.unanswered) ++out.unanswered[buckets.of(t)];
  return out;
}

/// An open span's start while the timeline is walked: none yet.
constexpr std::int64_t none = -1;  // (no std::optional: GCC 12 warns falsely on it here)

/// What the page draws from the timeline's events, gathered in one walk.
struct Timeline {
  std::array<std::vector<std::pair<std::int64_t, std::string>>, 2> changes;  ///< per server
  std::array<std::map<std::int64_t, std::string>, 2> down_causes;  ///< start of a down band -> why
  std::array<std::string, 2> first_state{"startup", "startup"};
  std::array<bool, 2> seen_state{false, false};
  Json link = Json::array();        ///< spans the failover link was up
  Json partitions = Json::array();  ///< the script's partition spans
  Json marks = Json::array();       ///< the script's other actions
  Json monitors = Json::array();    ///< the monitors' findings
  Json events = Json::array();      ///< the rows of the timeline table
  std::size_t dropped_events = 0;   ///< rows left out past `max_events`
  std::int64_t link_since = none;   ///< the start of the open link span
  std::int64_t cut_since = none;    ///< the start of the open partition
  std::string cut_text;             ///< the open partition's text
};

void add_state_change(Timeline& tl, const nlohmann::json& e, std::size_t w, std::int64_t t) {
  if (!tl.seen_state[w]) tl.first_state[w] = e.value("from", "startup");
  tl.seen_state[w] = true;
  tl.changes[w].emplace_back(t, e.value("to", "unknown-state"));
}

void add_process(Timeline& tl, const nlohmann::json& e, std::size_t w, std::int64_t t) {
  const std::string action = field(e, "action");
  if (action != "start") {
    tl.changes[w].emplace_back(t, std::string(down_state));
    tl.down_causes[w][t] = action;
  }
}

void add_link(Timeline& tl, const nlohmann::json& e, std::int64_t t) {
  const std::string up = field(e, "link");
  if (up == "up" && tl.link_since == none) {
    tl.link_since = t;
  } else if (up == "down" && tl.link_since != none) {
    tl.link.push_back({{"s", tl.link_since}, {"e", t}});
    tl.link_since = none;
  }
}

void add_script(Timeline& tl, const nlohmann::json& e, std::int64_t t, const std::string& text) {
  const std::string action = field(e, "action");
  if (action == "partition") {
    if (tl.cut_since == none) tl.cut_since = t, tl.cut_text = text;
  } else if (action == "heal") {
    if (tl.cut_since != none)
      tl.partitions.push_back({{"s", tl.cut_since}, {"e", t}, {"text", tl.cut_text}});
    tl.cut_since = none;
  } else {
    tl.marks.push_back({{"t", t}, {"text", text}});
  }
}

/// Adds one timeline event: to its chart, and as a row of the table (at most `max_events`
/// rows, but every monitor finding).
void add_event(Timeline& tl, const nlohmann::json& e, const Hosts& hosts, std::size_t max_events) {
  const std::string kind = e.value("kind", "");
  const std::string text = e.value("text", "");
  const std::int64_t t = ms_of(e);
  const int who = server_index(e, hosts);
  if (kind == "grant" || kind == "unanswered" || kind == "dhcp") return;  // counted apart
  if (kind == "state" && who >= 0) {
    add_state_change(tl, e, static_cast<std::size_t>(who), t);
  } else if (kind == "process" && who >= 0) {
    add_process(tl, e, static_cast<std::size_t>(who), t);
  } else if (kind == "link") {
    add_link(tl, e, t);
  } else if (kind == "script") {
    add_script(tl, e, t, text);
  } else if (kind == "monitor") {
    Json m{{"t", t}, {"text", text}, {"event", tl.events.size()}};
    if (e.contains("ip")) m["ip"] = e["ip"];
    tl.monitors.push_back(m);
  }
  if (tl.events.size() < max_events || kind == "monitor") {
    Json row{{"t", t},
             {"server", who >= 0 ? hosts[static_cast<std::size_t>(who)] : std::string("fosim")},
             {"kind", kind},
             {"text", text}};
    tl.events.push_back(row);
  } else {
    ++tl.dropped_events;
  }
}

/// Walks the timeline once; a link span or partition still open ends at `end_ms`.
Timeline walk_timeline(const RunFiles& run, const Hosts& hosts, std::size_t max_events,
                       std::int64_t end_ms) {
  Timeline tl;
  for (const nlohmann::json& e : run.events) add_event(tl, e, hosts, max_events);
  if (tl.link_since != none) tl.link.push_back({{"s", tl.link_since}, {"e", end_ms}});
  if (tl.cut_since != none)
    tl.partitions.push_back({{"s", tl.cut_since}, {"e", end_ms}, {"text", tl.cut_text}});
  return tl;
}

/// Returns both servers' lanes: their bands, a down band with its cause.
Json lanes_json(const Timeline& tl, std::int64_t end_ms) {
  Json lanes = Json::array();
  for (std::size_t i = 0; i < 2; ++i) {
    Json lane = Json::array();
    for (const Band& b : bands_from_changes(tl.first_state[i], tl.changes[i], end_ms)) {
      Json band{{"s", b.start_ms}, {"e", b.end_ms}, {"state", b.state}};
      if (const auto it = tl.down_causes[i].find(b.start_ms);
          b.state == down_state && it != tl.down_causes[i].end())
        band["cause"] = it->second;
      lane.push_back(band);
    }
    lanes.push_back(lane);
  }
  return lanes;
}

Json grants_json(const GrantCounts& counts, const Buckets& buckets) {
  Json g{{"bucket_ms", buckets.bucket_ms}};
  Json per = Json::array();
  for (std::size_t i = 0; i < 2; ++i)
    per.push_back({{"new", counts.grants[i][0]},
                   {"renew", counts.grants[i][1]},
                   {"rebind", counts.grants[i][2]}});
  g["servers"] = per;
  g["unanswered"] = counts.unanswered;
  return g;
}

}  // namespace

nlohmann::ordered_json report_data(const RunFiles& run, std::string_view version,
                                   std::size_t max_events) {
  const nlohmann::json& sum = run.summary;
  const std::int64_t end_ms =
      static_cast<std::int64_t>(sum.value("simulated_s", 0.0) * 1000.0 + 0.5);
  Hosts hosts;
  for (std::size_t i = 0; i < 2; ++i) hosts[i] = sum["servers"][i].value("host", "");
  const double interval_s = std::max(1.0, sum["pool_series"].value("interval_s", 1.0));
  const auto bucket_ms = static_cast<std::int64_t>(interval_s * 1000.0);
  const Buckets buckets{bucket_ms, static_cast<std::size_t>(end_ms / bucket_ms) + 1};
  const GrantCounts counts = count_grants(run, hosts, buckets);
  const Timeline tl = walk_timeline(run, hosts, max_events, end_ms);

  Json d;
  d["name"] = sum.value("scenario", "");
  d["description"] = sum.value("description", "");
  d["relationship"] = sum.value("relationship", "");
  d["seed"] = sum.value("seed", std::uint64_t{0});
  d["version"] = std::string(version);
  d["end_ms"] = end_ms;
  d["hosts"] = {hosts[0], hosts[1]};
  d["colours"] = colours();
  d["lanes"] = lanes_json(tl, end_ms);
  d["link"] = tl.link;
  d["partitions"] = tl.partitions;
  d["marks"] = tl.marks;
  d["monitors"] = tl.monitors;
  d["grants"] = grants_json(counts, buckets);
  d["pools"] = sum["pool_series"];
  d["lease_times"] = sum.contains("lease_times_s") ? sum["lease_times_s"] : nlohmann::json::array();
  d["summary"] = sum;
  d["summary"].erase("pool_series");
  d["events"] = tl.events;
  d["events_left_out"] = tl.dropped_events;
  return d;
}

}  // namespace fosim::tools
