// The run report's data, its HTML page and the text swimlanes.
#include "fosim/tools/report.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include "fosim/core/state.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/tools/state_graph.hpp"

namespace fosim::tools {

// The page's style and script (report_page.cpp).
extern const char* const report_css;
extern const char* const report_script;

namespace {

using Json = nlohmann::ordered_json;

std::int64_t ms_of(const nlohmann::json& e) { return e.value("t_ms", std::int64_t{0}); }

/// Makes JSON safe inside <script>: "</" and "<!--" cannot appear.
std::string script_safe(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

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

std::optional<RunFiles> read_run_dir(const std::filesystem::path& dir, std::string& error) {
  RunFiles run;
  auto read = [&error](const std::filesystem::path& p, std::string& out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) {
      error = "cannot read " + p.string() + " (is it a `fosim run --out` directory?)";
      return false;
    }
    std::ostringstream s;
    s << f.rdbuf();
    out = s.str();
    return true;
  };
  std::string summary;
  if (!read(dir / "summary.json", summary) || !read(dir / "states.dot", run.states_dot))
    return std::nullopt;
  try {
    run.summary = nlohmann::json::parse(summary);
  } catch (const nlohmann::json::exception& e) {
    error = (dir / "summary.json").string() + ": not valid JSON: " + e.what();
    return std::nullopt;
  }
  if (!run.summary.is_object() || !run.summary.contains("servers") ||
      !run.summary["servers"].is_array() || run.summary["servers"].size() != 2 ||
      !run.summary.contains("pool_series")) {
    error =
        (dir / "summary.json").string() + ": not a fosim run summary (written by an older fosim?)";
    return std::nullopt;
  }
  std::ifstream lines(dir / "timeline.jsonl", std::ios::binary);
  if (!lines) {
    error = "cannot read " + (dir / "timeline.jsonl").string() +
            " (is it a `fosim run --out` directory?)";
    return std::nullopt;
  }
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    if (line.empty()) continue;
    nlohmann::json e;
    try {
      e = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      error = (dir / "timeline.jsonl").string() + ":" + std::to_string(n) + ": not valid JSON";
      return std::nullopt;
    }
    const std::string kind = e.is_object() ? e.value("kind", "") : "";
    if (kind == "grant") {
      run.grants.push_back(
          {e.value("t_ms", std::int64_t{0}),
           e.contains("server") && e["server"].is_string() ? e["server"].get<std::string>() : "",
           e.value("grant", "new")});
    } else if (kind == "unanswered") {
      run.unanswered.push_back(e.value("t_ms", std::int64_t{0}));
    } else if (kind != "dhcp") {
      run.events.push_back(std::move(e));
    }
  }
  return run;
}

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
      if (action != "start" && action != "freeze" && action != "thaw") {
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

std::string report_html(const nlohmann::ordered_json& data, const std::string& diagram_svg,
                        const std::string& diagram_note) {
  const std::string title = "fosim report: " + data.value("name", std::string("run"));
  std::string html;
  html.reserve(diagram_svg.size() + 200000);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
          escape_html(title) + "</title>\n<style>\n";
  html += report_css;
  html +=
      "</style>\n</head>\n<body>\n<header id=\"top\"></header>\n"
      "<section id=\"swimlanes\"><h2>Failover states</h2>"
      "<p class=\"hint\">Scroll over a chart to zoom the time axis, drag to pan, double-click to "
      "see the whole run. Hover for exact times and values.</p>"
      "<div class=\"chart\" id=\"lanes-chart\"></div></section>\n"
      "<section id=\"leases\"><h2>Lease activity</h2><div class=\"chart\" "
      "id=\"grants-chart\"></div>"
      "<div id=\"lease-times\"></div></section>\n"
      "<section id=\"pools\"><h2>Pools</h2><div class=\"chart\" "
      "id=\"pools-chart\"></div></section>\n"
      "<section id=\"findings\"><h2>Monitor findings</h2><div "
      "id=\"findings-list\"></div></section>\n"
      "<section id=\"diagram\"><h2>State diagram of this run</h2>\n";
  if (!diagram_svg.empty()) {
    const std::size_t start = diagram_svg.find("<svg");
    html += "<div class=\"diagram\">" +
            (start == std::string::npos ? diagram_svg : diagram_svg.substr(start)) + "</div>\n";
  } else {
    html += "<p class=\"warning\" id=\"diagram-missing\">" + escape_html(diagram_note) + "</p>\n";
  }
  html +=
      "</section>\n<section id=\"timeline\"><h2>Timeline</h2><div id=\"events\"></div></section>\n";
  html += "<script type=\"application/json\" id=\"run-data\">" +
          script_safe(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
          "</script>\n<script>\n";
  html += report_script;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

std::string ascii_swimlanes(const std::vector<std::string>& hosts,
                            const std::vector<std::vector<Band>>& lanes, std::int64_t end_ms,
                            std::size_t width) {
  std::size_t label = 5;
  for (const std::string& h : hosts) label = std::max(label, h.size());
  const std::size_t columns = width > label + 3 ? width - label - 3 : 10;
  const std::int64_t slice = std::max<std::int64_t>(
      1, (end_ms + static_cast<std::int64_t>(columns) - 1) / static_cast<std::int64_t>(columns));
  // Letters: the first letter of each state, distinct within the run (upper case on a clash).
  std::map<std::string, char> letter;
  auto letter_of = [&letter](const std::string& state) {
    if (auto it = letter.find(state); it != letter.end()) return it->second;
    static constexpr std::string_view fallback = "abcdefghijklmnopqrstuvwxyz";
    auto used = [&letter](char c) {
      return std::any_of(letter.begin(), letter.end(),
                         [c](const auto& p) { return p.second == c; });
    };
    char c = state.empty() ? '?' : state[0];
    if (state == "communications-interrupted") c = 'i';
    if (state == "resolution-interrupted") c = 'z';
    if (state == "recover-done") c = 'd';
    if (state == "recover-wait") c = 'w';
    if (state == "conflict-done") c = 'f';
    if (state == down_state) c = '-';
    if (state == "partner-down") c = 'P';
    if (used(c)) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    for (std::size_t k = 0; used(c) && k < fallback.size(); ++k) c = fallback[k];
    letter[state] = c;
    return c;
  };
  std::ostringstream out;
  const std::string pad(label + 2, ' ');
  // The axis: start and end times.
  auto hhmm = [](std::int64_t ms) {
    char buf[32];
    const std::int64_t m = ms / 60000;
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m / 60),
                  static_cast<long long>(m % 60));
    return std::string(buf);
  };
  const std::string left = hhmm(0), right = hhmm(end_ms);
  std::string axis(columns + 1, ' ');
  axis.replace(0, left.size(), left);
  if (right.size() <= columns + 1) axis.replace(columns + 1 - right.size(), right.size(), right);
  out << pad << axis << "\n";
  for (std::size_t i = 0; i < lanes.size() && i < hosts.size(); ++i) {
    std::string row;
    for (std::size_t col = 0; col < columns; ++col) {
      const std::int64_t a = static_cast<std::int64_t>(col) * slice,
                         b = std::min(end_ms, a + slice);
      std::string best;
      std::int64_t best_ms = -1;
      for (const Band& band : lanes[i]) {
        const std::int64_t overlap = std::min(b, band.end_ms) - std::max(a, band.start_ms);
        if (overlap > best_ms) best_ms = overlap, best = band.state;
      }
      row += best_ms > 0 ? letter_of(best) : ' ';
    }
    std::string name = hosts[i];
    name.resize(label, ' ');
    out << name << " |" << row << "|\n";
  }
  std::string legend;
  for (const auto& [state, c] : letter)
    legend += std::string(legend.empty() ? "" : "  ") + c + " " + state;
  std::string per = std::to_string(slice / 1000);
  if (slice % 1000 != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(slice % 1000));
    per += frac;
    while (per.back() == '0') per.pop_back();
  }
  out << pad << "one column = " << per << " s;  " << legend << "\n";
  return out.str();
}

}  // namespace fosim::tools
