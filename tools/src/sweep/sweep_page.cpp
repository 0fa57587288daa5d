// The sweep's HTML page: one self-contained file (no network), a heatmap of a figure over two
// varied parameters (two scenarios' side by side on one scale) and a line chart over one, with
// the failing points listed first. Its style and script are in sweep_page_script.cpp.
#include <nlohmann/json.hpp>

#include "fosim/tools/escape.hpp"
#include "fosim/tools/sweep_output.hpp"
#include "sweep_points.hpp"

namespace fosim::tools {

extern const char* const sweep_css;     // sweep_page_script.cpp
extern const char* const sweep_script;  // sweep_page_script.cpp

namespace {

using Json = nlohmann::ordered_json;

/// The selectors of what to draw, the two grids side by side, the legend with its colour scale,
/// the selected cell's figures and the line chart.
constexpr std::string_view controls =
    "<div class=\"controls\"><label>scenario<select id=\"scenario\"></select></label>"
    "<label>side by side with<select id=\"compare\"></select></label>"
    "<label>figure<select id=\"metric\"></select></label><label>over the seeds<select "
    "id=\"stat\"></select></label>"
    "<label>x axis<select id=\"x\"></select></label><label>y axis<select "
    "id=\"y\"></select></label></div>\n"
    "<div class=\"controls\" id=\"fixed\"></div>\n<p class=\"note\" id=\"link-note\"></p>\n"
    "<h2>Heatmap</h2>\n<div class=\"grids\"><figure><figcaption id=\"caption-1\"></figcaption>"
    "<svg id=\"heatmap\"></svg></figure>\n<figure id=\"second\" hidden><figcaption "
    "id=\"caption-2\"></figcaption><svg id=\"heatmap-2\"></svg></figure></div>\n"
    "<svg id=\"scale\"></svg>\n<div class=\"legend\" id=\"legend\"></div>\n"
    "<div id=\"selected\"></div>\n<h2>Over the x parameter</h2>\n<svg id=\"lines\"></svg>\n";

/// The data the page's script draws: the sweep's shape and each point's figures.
Json page_data(const SweepResult& r) {
  Json d;
  d["scenarios"] = r.shape.scenario_names;
  Json params = Json::array();
  for (const SweepParameter& p : r.shape.parameters)
    params.push_back({{"key", p.key}, {"values", p.values}});
  d["parameters"] = params;
  d["seeds"] = r.shape.seeds;
  d["figures"] = detail::figure_scales();
  Json points = Json::array();
  // A shard's result has no per-point figures (fosim merge makes them); its page shows none.
  if (!r.shard)
    for (const Json& p : detail::sweep_points(r))
      points.push_back(
          {{"label", p["label"]}, {"aggregate", p["aggregate"]}, {"holds", p["holds"]}});
  d["points"] = points;
  return d;
}

/// The heading: the scenarios, and how many points, seeds and runs the sweep has.
std::string heading(const SweepResult& r) {
  std::string names;
  for (const std::string& n : r.shape.scenario_names) names += (names.empty() ? "" : ", ") + n;
  return "<h1>fosim sweep: " + escape_html(names) + "</h1>\n<div class=\"sub\">" +
         std::to_string(r.shape.point_count()) + " points x " +
         std::to_string(r.shape.seeds.size()) + " seeds = " + std::to_string(r.shape.run_count()) +
         " runs" + (r.interrupted ? ", interrupted after " + std::to_string(r.runs.size()) : "") +
         "</div>\n";
}

/// The verdict: that every expectation holds, or a table of the failing points first.
std::string verdict_section(const SweepResult& r) {
  std::size_t failing = 0;
  std::string rows;
  for (const PointVerdict& v : verdicts(r))
    for (const ExpectationVerdict& e : v.expectations)
      if (!e.failed_seeds.empty()) {
        ++failing;
        rows += "<tr class=\"failing\"><td>" + escape_html(r.shape.label(v.point)) + "</td><td>" +
                escape_html(e.what) + "</td><td>" + std::to_string(e.failed_seeds.size()) + " of " +
                std::to_string(e.runs) + " (seeds " + detail::seed_list(e.failed_seeds) +
                ")</td><td>" + escape_html(e.first_observed) + "</td></tr>\n";
      }
  if (failing == 0)
    return "<p class=\"ok\" id=\"verdict\">Every expectation holds at every point.</p>\n";
  return "<p class=\"fail\" id=\"verdict\">" + std::to_string(failing) +
         " expectation(s) fail at some point:</p>\n"
         "<table><tr><th>point</th><th>expectation</th><th>failed for</th><th>first observed</th>"
         "</tr>\n" +
         rows + "</table>\n";
}

}  // namespace

std::string sweep_html(const SweepResult& r) {
  // The data goes inside <script>, where a "</script>" in it would end the element.
  const std::string data =
      script_safe(page_data(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fosim "
      "sweep</title><style>";
  out += sweep_css;
  out += "</style></head><body data-ready=\"no\">\n";
  out += heading(r);
  out += verdict_section(r);
  out += controls;
  out += "<script type=\"application/json\" id=\"sweep-data\">" + data + "</script>\n<script>";
  out += sweep_script;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace fosim::tools
