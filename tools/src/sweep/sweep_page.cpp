// The sweep's HTML page: one self-contained file (no network), a heatmap of a metric over two
// varied parameters and a line chart over one, with the failing points listed first.
#include <nlohmann/json.hpp>

#include "fosim/tools/escape.hpp"
#include "fosim/tools/sweep_output.hpp"
#include "sweep_points.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view style = R"CSS(
body { font: 14px/1.4 "DejaVu Sans", sans-serif; margin: 24px; color: #1b2631; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #5d6d7e; margin-bottom: 16px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.controls label { display: flex; flex-direction: column; font-size: 12px; color: #5d6d7e; }
select { font: inherit; padding: 2px 4px; }
.fail { color: #c0392b; }
.ok { color: #1e8449; }
table { border-collapse: collapse; margin: 8px 0 16px; }
td, th { border: 1px solid #d5d8dc; padding: 3px 8px; text-align: left; font-size: 13px; }
svg text { font: 11px "DejaVu Sans", sans-serif; }
.legend { font-size: 12px; color: #5d6d7e; }
)CSS";

constexpr std::string_view script = R"JS(
(function () {
  const data = JSON.parse(document.getElementById('sweep-data').textContent);
  const params = data.parameters, NS = 'http://www.w3.org/2000/svg';
  const lowerIsBetter = {unanswered: 1, duplicates: 1, time_to_normal_s: 1, partner_down_s: 1, pool_exhausted: 1, clients_without_lease: 1, worst_without_lease_s: 1};
  const $ = id => document.getElementById(id);
  function el(name, attrs, parent, text) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function option(select, value, text) {
    const o = document.createElement('option');
    o.value = value; o.textContent = text; select.appendChild(o);
  }
  data.scenarios.forEach((s, i) => option($('scenario'), i, s));
  data.metrics.forEach(m => option($('metric'), m, m));
  ['median', 'min', 'max'].forEach(s => option($('stat'), s, s));
  params.forEach((p, i) => { option($('x'), i, p.key); option($('y'), i, p.key); });
  option($('y'), -1, '(none)');
  $('x').value = 0;
  $('y').value = params.length > 1 ? 1 : -1;
  const fixed = $('fixed');
  params.forEach((p, i) => {
    const label = document.createElement('label');
    label.textContent = p.key + ' (when not on an axis)';
    const s = document.createElement('select');
    s.id = 'fix-' + i;
    p.values.forEach((v, k) => option(s, k, v));
    label.appendChild(s); fixed.appendChild(label);
    s.addEventListener('change', draw);
  });
  ['scenario', 'metric', 'stat', 'x', 'y'].forEach(id => $(id).addEventListener('change', draw));

  function pointAt(scenario, idx) {
    let p = scenario;
    params.forEach((q, k) => { p = p * q.values.length + idx[k]; });
    return data.points[p];
  }
  function value(point) {
    const a = point.aggregate[$('metric').value];
    return a === null || a === undefined ? null : a[$('stat').value];
  }
  // A viridis-like scale: dark blue is good, light yellow is bad, whichever way the metric runs.
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function colour(t, metric) {
    if (t === null) return '#eaecee';
    if (!lowerIsBetter[metric]) t = 1 - t;
    const x = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
    const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
    return 'rgb(' + c.join(',') + ')';
  }
  function ink(t, metric) {
    if (t === null) return '#1b2631';
    return (lowerIsBetter[metric] ? t : 1 - t) > 0.6 ? '#1b2631' : '#fff';
  }
  function fmt(v) {
    if (v === null) return '-';
    return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(3);
  }
  function draw() {
    const scenario = +$('scenario').value, metric = $('metric').value, xi = +$('x').value, yi = +$('y').value;
    const idx = params.map((p, k) => +$('fix-' + k).value);
    const xs = params.length ? params[xi].values : [''], ys = yi >= 0 && yi !== xi ? params[yi].values : [null];
    const cells = [];
    ys.forEach((yv, b) => xs.forEach((xv, a) => {
      const i = idx.slice();
      if (params.length) i[xi] = a;
      if (yv !== null) i[yi] = b;
      const p = pointAt(scenario, i);
      cells.push({a: a, b: b, p: p, v: value(p)});
    }));
    const vals = cells.map(c => c.v).filter(v => v !== null);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    // Heatmap
    const hm = $('heatmap');
    while (hm.firstChild) hm.removeChild(hm.firstChild);
    const cw = Math.max(34, Math.min(80, 900 / xs.length)), ch = 26, left = 110, top = 10;
    hm.setAttribute('width', left + cw * xs.length + 20);
    hm.setAttribute('height', top + ch * ys.length + 50);
    cells.forEach(c => {
      const t = c.v === null || hi === lo ? (c.v === null ? null : 0.5) : (c.v - lo) / (hi - lo);
      const g = el('g', {class: 'cell', 'data-value': c.v === null ? '' : c.v, 'data-holds': c.p.holds ? 'yes' : 'no'}, hm);
      el('rect', {x: left + c.a * cw, y: top + c.b * ch, width: cw - 2, height: ch - 2, fill: colour(t, metric),
                  stroke: c.p.holds ? 'none' : '#e74c3c', 'stroke-width': c.p.holds ? 0 : 3}, g);
      el('text', {x: left + c.a * cw + cw / 2 - 1, y: top + c.b * ch + ch / 2 + 3, 'text-anchor': 'middle', fill: ink(t, metric)}, g, fmt(c.v));
      el('title', {}, g, c.p.label + ': ' + metric + ' ' + $('stat').value + ' ' + fmt(c.v) + (c.p.holds ? '' : ' (an expectation fails)'));
    });
    xs.forEach((xv, a) => el('text', {x: left + a * cw + cw / 2, y: top + ch * ys.length + 14, 'text-anchor': 'middle'}, hm, xv));
    el('text', {x: left, y: top + ch * ys.length + 34}, hm, params.length ? params[xi].key : '');
    ys.forEach((yv, b) => el('text', {x: left - 6, y: top + b * ch + ch / 2 + 3, 'text-anchor': 'end'}, hm,
                             yv === null ? metric : params[yi].key + '=' + yv));
    $('legend').textContent = vals.length ? metric + ' (' + $('stat').value + ' over ' + data.seeds.length +
      ' seeds): ' + fmt(lo) + ' to ' + fmt(hi) + (lowerIsBetter[metric] ? ', lower is better' : ', higher is better') +
      ' (dark is good); a red frame marks a point where an expectation fails' : 'no value';
    // Line chart: the metric over the x parameter, one line per y value.
    const lc = $('lines');
    while (lc.firstChild) lc.removeChild(lc.firstChild);
    const W = 760, H = 240, L = 60, B = 30;
    lc.setAttribute('width', W); lc.setAttribute('height', H + B + 10);
    const px = a => L + (xs.length === 1 ? (W - L) / 2 : a * (W - L - 20) / (xs.length - 1));
    const py = v => hi === lo ? H / 2 : H - (v - lo) / (hi - lo) * (H - 20);
    el('line', {x1: L, y1: H, x2: W - 10, y2: H, stroke: '#808b96'}, lc);
    el('text', {x: L - 6, y: py(hi) + 4, 'text-anchor': 'end'}, lc, fmt(hi));
    el('text', {x: L - 6, y: py(lo) + 4, 'text-anchor': 'end'}, lc, fmt(lo));
    el('text', {x: L, y: 12}, lc, metric + ' (' + $('stat').value + ')');
    el('text', {x: (W + L) / 2, y: H + 30, 'text-anchor': 'middle'}, lc, params.length ? params[xi].key : '');
    xs.forEach((xv, a) => el('text', {x: px(a), y: H + 16, 'text-anchor': 'middle'}, lc, xv));
    const palette = ['#2e86c1', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#f1c40f'];
    ys.forEach((yv, b) => {
      let d = '';
      cells.filter(c => c.b === b && c.v !== null).forEach(c => { d += (d ? ' L' : 'M') + px(c.a).toFixed(1) + ' ' + py(c.v).toFixed(1); });
      const colourOf = palette[b % palette.length];
      if (d) el('path', {d: d, fill: 'none', stroke: colourOf, 'stroke-width': 2, class: 'series'}, lc);
      cells.filter(c => c.b === b && c.v !== null).forEach(c =>
        el('circle', {cx: px(c.a), cy: py(c.v), r: 3.5, fill: c.p.holds ? colourOf : '#c0392b'}, lc));
      if (yv !== null) el('text', {x: W - 10, y: 14 + b * 14, 'text-anchor': 'end', fill: colourOf}, lc, params[yi].key + '=' + yv);
    });
  }
  draw();
  document.body.setAttribute('data-ready', 'yes');
})();
)JS";

/// The selectors of what to draw, and the two charts they draw into.
constexpr std::string_view controls =
    "<div class=\"controls\"><label>scenario<select id=\"scenario\"></select></label>"
    "<label>metric<select id=\"metric\"></select></label><label>over the seeds<select "
    "id=\"stat\"></select></label>"
    "<label>x axis<select id=\"x\"></select></label><label>y axis<select "
    "id=\"y\"></select></label></div>\n"
    "<div class=\"controls\" id=\"fixed\"></div>\n<h2>Heatmap</h2>\n<svg id=\"heatmap\"></svg>\n"
    "<div class=\"legend\" id=\"legend\"></div>\n<h2>Over the x parameter</h2>\n<svg "
    "id=\"lines\"></svg>\n";

/// The data the page's script draws: the sweep's shape and each point's figures.
Json page_data(const SweepResult& r) {
  Json d;
  d["scenarios"] = r.shape.scenario_names;
  Json params = Json::array();
  for (const SweepParameter& p : r.shape.parameters)
    params.push_back({{"key", p.key}, {"values", p.values}});
  d["parameters"] = params;
  d["seeds"] = r.shape.seeds;
  d["metrics"] = {"availability",
                  "unanswered",
                  "duplicates",
                  "time_to_normal_s",
                  "partner_down_s",
                  "lease_min_s",
                  "lease_median_s",
                  "lease_max_s",
                  "pool_exhausted",
                  "primary_share",
                  "clients_without_lease",
                  "worst_without_lease_s"};
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
  out += style;
  out += "</style></head><body data-ready=\"no\">\n";
  out += heading(r);
  out += verdict_section(r);
  out += controls;
  out += "<script type=\"application/json\" id=\"sweep-data\">" + data + "</script>\n<script>";
  out += script;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace fosim::tools
