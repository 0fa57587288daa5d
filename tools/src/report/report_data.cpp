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

}  // namespace

nlohmann::ordered_json report_data(const RunFiles& run, std::string_view version,
                                   std::size_t max_events) {
  const nlohmann::json& sum = run.summary;
  const std::int64_t end_ms =
      static_cast<std::int64_t>(sum.value("simulated_s", 0.0) * 1000.0 + 0.5);
  std::array<std::string, 2> hosts;
  for (std::size_t i = 0; i < 2; ++i) hosts[i] = sum["servers"][i].value("host", "");
  auto server_index = [&hosts](const nlohmann::json& e) -> int {
    if (!e.contains("server") || !e["server"].is_string()) return -1;
    const std::string h = e["server"].get<std::string>();
    return h == hosts[0] ? 0 : h == hosts[1] ? 1 : -1;
  };

  const double interval_s = std::max(1.0, sum["pool_series"].value("interval_s", 1.0));
  const auto bucket_ms = static_cast<std::int64_t>(interval_s * 1000.0);
  const std::size_t buckets = static_cast<std::size_t>(end_ms / bucket_ms) + 1;
  auto bucket_of = [&](std::int64_t t) {
    return std::min(buckets - 1, static_cast<std::size_t>(t / bucket_ms));
  };

  // Walk the timeline once.
  std::array<std::vector<std::pair<std::int64_t, std::string>>, 2> changes;
  std::array<std::map<std::int64_t, std::string>, 2> down_causes;  ///< start of a down band -> why
  std::array<std::string, 2> first_state{"startup", "startup"};
  std::array<bool, 2> seen_state{false, false};
  Json link = Json::array(), partitions = Json::array(), marks = Json::array(),
       monitors = Json::array();
  Json events = Json::array();
  std::array<std::array<std::vector<std::uint32_t>, 3>, 2> grants;
  for (auto& per_server : grants)
    for (auto& v : per_server) v.assign(buckets, 0);
  std::vector<std::uint32_t> unanswered(buckets, 0);
  constexpr std::int64_t none = -1;  // (no std::optional: GCC 12 warns falsely on it here)
  std::int64_t link_since = none, cut_since = none;
  std::string cut_text;
  std::size_t dropped_events = 0;
  for (const GrantPoint& g : run.grants) {
    const int who = g.server == hosts[0] ? 0 : g.server == hosts[1] ? 1 : -1;
    if (who < 0) continue;
    const std::size_t k = g.kind == "renew" ? 1 : g.kind == "rebind" ? 2 : 0;
    ++grants[static_cast<std::size_t>(who)][k][bucket_of(g.t_ms)];
  }
  for (const std::int64_t t : run.unanswered) ++unanswered[bucket_of(t)];
  for (const nlohmann::json& e : run.events) {
    const std::string kind = e.value("kind", "");
    const std::string text = e.value("text", "");
    const std::int64_t t = ms_of(e);
    const int who = server_index(e);
    if (kind == "grant" || kind == "unanswered" || kind == "dhcp") continue;  // counted above
    if (kind == "state" && who >= 0) {
      const auto w = static_cast<std::size_t>(who);
      if (!seen_state[w]) first_state[w] = e.value("from", "startup");
      seen_state[w] = true;
      changes[w].emplace_back(t, e.value("to", "unknown-state"));
    } else if (kind == "process" && who >= 0) {
      const auto w = static_cast<std::size_t>(who);
      const std::string action = field(e, "action");
      if (action != "start") {
        changes[w].emplace_back(t, std::string(down_state));
        down_causes[w][t] = action;
      }
    } else if (kind == "link") {
      const std::string up = field(e, "link");
      if (up == "up" && link_since == none) {
        link_since = t;
      } else if (up == "down" && link_since != none) {
        link.push_back({{"s", link_since}, {"e", t}});
        link_since = none;
      }
    } else if (kind == "script") {
      const std::string action = field(e, "action");
      if (action == "partition") {
        if (cut_since == none) cut_since = t, cut_text = text;
      } else if (action == "heal") {
        if (cut_since != none)
          partitions.push_back({{"s", cut_since}, {"e", t}, {"text", cut_text}});
        cut_since = none;
      } else {
        marks.push_back({{"t", t}, {"text", text}});
      }
    } else if (kind == "monitor") {
      Json m{{"t", t}, {"text", text}, {"event", events.size()}};
      if (e.contains("ip")) m["ip"] = e["ip"];
      monitors.push_back(m);
    }
    if (events.size() < max_events || kind == "monitor") {
      Json row{{"t", t},
               {"server", who >= 0 ? hosts[static_cast<std::size_t>(who)] : std::string("fosim")},
               {"kind", kind},
               {"text", text}};
      events.push_back(row);
    } else {
      ++dropped_events;
    }
  }
  if (link_since != none) link.push_back({{"s", link_since}, {"e", end_ms}});
  if (cut_since != none)
    partitions.push_back({{"s", cut_since}, {"e", end_ms}, {"text", cut_text}});

  Json d;
  d["name"] = sum.value("scenario", "");
  d["description"] = sum.value("description", "");
  d["relationship"] = sum.value("relationship", "");
  d["seed"] = sum.value("seed", std::uint64_t{0});
  d["version"] = std::string(version);
  d["end_ms"] = end_ms;
  d["hosts"] = {hosts[0], hosts[1]};
  d["colours"] = colours();
  Json lanes = Json::array();
  for (std::size_t i = 0; i < 2; ++i) {
    Json lane = Json::array();
    for (const Band& b : bands_from_changes(first_state[i], changes[i], end_ms)) {
      Json band{{"s", b.start_ms}, {"e", b.end_ms}, {"state", b.state}};
      if (const auto it = down_causes[i].find(b.start_ms);
          b.state == down_state && it != down_causes[i].end())
        band["cause"] = it->second;
      lane.push_back(band);
    }
    lanes.push_back(lane);
  }
  d["lanes"] = lanes;
  d["link"] = link;
  d["partitions"] = partitions;
  d["marks"] = marks;
  d["monitors"] = monitors;
  Json g{{"bucket_ms", bucket_ms}};
  Json per = Json::array();
  for (std::size_t i = 0; i < 2; ++i)
    per.push_back({{"new", grants[i][0]}, {"renew", grants[i][1]}, {"rebind", grants[i][2]}});
  g["servers"] = per;
  g["unanswered"] = unanswered;
  d["grants"] = g;
  d["pools"] = sum["pool_series"];
  d["lease_times"] = sum.contains("lease_times_s") ? sum["lease_times_s"] : nlohmann::json::array();
  d["summary"] = sum;
  d["summary"].erase("pool_series");
  d["events"] = events;
  d["events_left_out"] = dropped_events;
  return d;
}

}  // namespace fosim::tools
