// The sweep page's style sheet and script, kept apart from the C++ that fills in the data.
// The script reads the JSON in <script id="sweep-data">, draws a heatmap of the chosen figure
// (and, side by side with the same scale, the same grid of a second scenario), a line chart and
// the legend of the colour scale. Each figure is coloured on the scale its meaning gives it
// (data.figures: 0 to 1 for a share, 0 to the sweep's largest value otherwise), never on the
// range of the values shown, so close values get close colours. The chosen view lives in the
// address's fragment (#figure=...&x=...), which the page reads on load and on every change of
// the fragment, so a link shows a colleague the same view. It uses nothing but the DOM.
namespace fosim::tools {

extern const char* const sweep_css;
extern const char* const sweep_script;

const char* const sweep_css = R"CSS(
body { font: 14px/1.4 "DejaVu Sans", sans-serif; margin: 24px; color: #1b2631; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #5d6d7e; margin-bottom: 16px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.controls label { display: flex; flex-direction: column; font-size: 12px; color: #5d6d7e; }
select { font: inherit; padding: 2px 4px; }
.fail { color: #c0392b; }
.ok { color: #1e8449; }
.note { color: #922b21; font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
td, th { border: 1px solid #d5d8dc; padding: 3px 8px; text-align: left; font-size: 13px; }
svg text { font: 11px "DejaVu Sans", sans-serif; }
.grids { display: flex; flex-wrap: wrap; gap: 24px; }
.grids figure { margin: 0; }
.grids figcaption { font-weight: bold; font-size: 13px; }
g.cell { cursor: pointer; }
.legend, #selected { font-size: 12px; color: #5d6d7e; max-width: 900px; }
#selected td { color: #1b2631; }
)CSS";

const char* const sweep_script = R"JS(
(function () {
  'use strict';
  const $ = id => document.getElementById(id);
  const data = JSON.parse($('sweep-data').textContent);
  const params = data.parameters, NS = 'http://www.w3.org/2000/svg', stats = ['median', 'min', 'max'];
  const scaleOf = {};
  data.figures.forEach(f => { scaleOf[f.figure] = f; });
  // What the page shows; the fragment of the address holds the same.
  const fresh = () => ({scenario: 0, compare: data.scenarios.length > 1 ? 1 : -1, figure: data.figures[0].figure,
                        stat: 'median', x: 0, y: params.length > 1 ? 1 : -1, at: params.map(() => 0), cell: null});
  let view = fresh();
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
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmt(v) {
    if (v === null || v === undefined) return '-';
    return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(3);
  }

  // The colour scale. Badness 0 (dark blue) is good, 1 (light yellow) is bad; a figure that is
  // neither good nor bad runs from light to dark blue instead.
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const neutral = [[235, 245, 251], [21, 67, 96]];
  function top(figure) {
    if (scaleOf[figure].to === 'one') return 1;
    let t = 0;
    data.points.forEach(p => { const a = p.aggregate[figure]; if (a && a.max > t) t = a.max; });
    return t;
  }
  function mix(a, b, f) { return a.map((v, k) => Math.round(v + f * (b[k] - v))); }
  function rgb(v, figure, hi) {
    const s = scaleOf[figure], t = hi > 0 ? Math.min(1, Math.max(0, v / hi)) : 0;
    if (s.better === 'neither') return mix(neutral[0], neutral[1], t);
    const bad = s.better === 'higher' ? 1 - t : s.better === 'lower' ? t : v === 0 ? 0 : 0.5 + 0.5 * t;
    const x = bad * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x));
    return mix(stops[i], stops[i + 1], x - i);
  }
  function colour(v, figure, hi) { return v === null ? '#eaecee' : 'rgb(' + rgb(v, figure, hi).join(',') + ')'; }
  function ink(v, figure, hi) {
    if (v === null) return '#1b2631';
    const c = rgb(v, figure, hi);
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150 ? '#1b2631' : '#fff';
  }
  const betterText = {higher: 'higher is better (dark)', lower: 'lower is better (dark)',
                      zero: '0 is good (dark), any value above 0 is a harm',
                      neither: 'neither good nor bad: the darker, the more'};

  // The chosen view in the address: names and values, not positions, so a link stays readable.
  function fragment() {
    const f = [['scenario', data.scenarios[view.scenario]],
               ['compare', view.compare < 0 ? 'none' : data.scenarios[view.compare]],
               ['figure', view.figure], ['stat', view.stat]];
    if (params.length) f.push(['x', params[view.x].key], ['y', view.y < 0 ? 'none' : params[view.y].key]);
    params.forEach((p, k) => { if (k !== view.x && k !== view.y) f.push([p.key, p.values[view.at[k]]]); });
    if (view.cell) f.push(['cell', view.cell.join(',')]);
    return f.map(kv => encodeURIComponent(kv[0]) + '=' + encodeURIComponent(kv[1])).join('&');
  }
  function restore(hash) {
    const ignored = [];
    view = fresh();
    const take = (k, v) => {
      const key = params.findIndex(p => p.key === v);
      if (k === 'scenario' && data.scenarios.indexOf(v) >= 0) view.scenario = data.scenarios.indexOf(v);
      else if (k === 'compare' && (v === 'none' || data.scenarios.indexOf(v) >= 0)) view.compare = data.scenarios.indexOf(v);
      else if (k === 'figure' && scaleOf[v]) view.figure = v;
      else if (k === 'stat' && stats.indexOf(v) >= 0) view.stat = v;
      else if (k === 'x' && key >= 0) view.x = key;
      else if (k === 'y' && (v === 'none' || key >= 0)) view.y = key;
      else if (k === 'cell') view.cell = v.split(',');
      else {
        const p = params.findIndex(q => q.key === k);
        if (p >= 0 && params[p].values.indexOf(v) >= 0) view.at[p] = params[p].values.indexOf(v);
        else ignored.push(k + '=' + v);
      }
    };
    hash.replace(/^#/, '').split('&').filter(s => s).forEach(s => {
      const eq = s.indexOf('=');
      try { take(decodeURIComponent(eq < 0 ? s : s.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : s.slice(eq + 1))); }
      catch (e) { ignored.push(s); }
    });
    if (view.y === view.x) view.y = -1;
    $('link-note').textContent = ignored.length ? 'Not in this sweep, left out of the view: ' + ignored.join(', ') : '';
  }
  let written = '';
  function remember() {
    written = fragment();
    try { history.replaceState(null, '', '#' + written); } catch (e) { location.replace('#' + written); }
    document.body.setAttribute('data-view', location.hash.replace(/^#/, ''));  // what the address holds
  }

  function setUp() {
    data.scenarios.forEach((s, i) => { option($('scenario'), i, s); });
    option($('compare'), -1, '(none)');
    data.scenarios.forEach((s, i) => { option($('compare'), i, s); });
    data.figures.forEach(f => { option($('metric'), f.figure, f.figure); });
    stats.forEach(s => { option($('stat'), s, s); });
    params.forEach((p, i) => { option($('x'), i, p.key); option($('y'), i, p.key); });
    option($('y'), -1, '(none)');
    params.forEach((p, i) => {
      const label = document.createElement('label'), s = document.createElement('select');
      label.textContent = p.key + ' (when not on an axis)';
      s.id = 'fix-' + i;
      p.values.forEach((v, k) => { option(s, k, v); });
      label.appendChild(s); $('fixed').appendChild(label);
      s.addEventListener('change', () => { view.at[i] = +s.value; changed(); });
    });
    const read = {scenario: v => { view.scenario = +v; }, compare: v => { view.compare = +v; },
                  metric: v => { view.figure = v; }, stat: v => { view.stat = v; },
                  x: v => { view.x = +v; view.cell = null; }, y: v => { view.y = +v; view.cell = null; }};
    Object.keys(read).forEach(id => $(id).addEventListener('change', () => { read[id]($(id).value); changed(); }));
    window.addEventListener('hashchange', () => {
      if (location.hash.replace(/^#/, '') !== written) { restore(location.hash); draw(); remember(); }
    });
  }
  function showControls() {
    $('scenario').value = view.scenario; $('compare').value = view.compare; $('metric').value = view.figure;
    $('stat').value = view.stat;
    if (params.length) { $('x').value = view.x; $('y').value = view.y; }
    params.forEach((p, k) => { $('fix-' + k).value = view.at[k]; });
  }
  function changed() { $('link-note').textContent = ''; draw(); remember(); }

  function pointAt(scenario, idx) {
    let p = scenario;
    params.forEach((q, k) => { p = p * q.values.length + idx[k]; });
    return data.points[p];
  }
  function axes() {
    const xs = params.length ? params[view.x].values : [''];
    const ys = view.y >= 0 && view.y !== view.x ? params[view.y].values : [null];
    return {xs: xs, ys: ys};
  }
  function cellsOf(scenario, xs, ys) {
    const cells = [];
    ys.forEach((yv, b) => xs.forEach((xv, a) => {
      const i = view.at.slice();
      if (params.length) i[view.x] = a;
      if (yv !== null) i[view.y] = b;
      const p = pointAt(scenario, i), agg = p.aggregate[view.figure];
      const key = yv === null ? [xv] : [xv, yv];
      cells.push({a: a, b: b, p: p, v: agg ? agg[view.stat] : null, key: key.join(','),
                  at: params.map((q, k) => q.key + '=' + q.values[i[k]]).join(' ')});
    }));
    return cells;
  }
  function drawGrid(svg, scenario, xs, ys, hi, width) {
    clear(svg);
    const figure = view.figure, cells = cellsOf(scenario, xs, ys);
    const cw = Math.max(34, Math.min(80, width / xs.length)), ch = 26, left = 110, tp = 10;
    svg.setAttribute('width', left + cw * xs.length + 20);
    svg.setAttribute('height', tp + ch * ys.length + 50);
    svg.setAttribute('data-scenario', data.scenarios[scenario]);
    cells.forEach(c => {
      const selected = view.cell !== null && view.cell.join(',') === c.key;
      const g = el('g', {class: 'cell', 'data-value': c.v === null ? '' : c.v, 'data-holds': c.p.holds ? 'yes' : 'no',
                         'data-selected': selected ? 'yes' : 'no'}, svg);
      el('rect', {x: left + c.a * cw, y: tp + c.b * ch, width: cw - 2, height: ch - 2, fill: colour(c.v, figure, hi),
                  stroke: selected ? '#000' : c.p.holds ? 'none' : '#e74c3c', 'stroke-width': selected || !c.p.holds ? 3 : 0}, g);
      el('text', {x: left + c.a * cw + cw / 2 - 1, y: tp + c.b * ch + ch / 2 + 3, 'text-anchor': 'middle',
                  fill: ink(c.v, figure, hi)}, g, fmt(c.v));
      el('title', {}, g, c.p.label + ': ' + figure + ' ' + view.stat + ' ' + fmt(c.v) +
                         (c.p.holds ? '' : ' (an expectation fails)'));
      g.addEventListener('click', () => { view.cell = selected ? null : c.key.split(','); changed(); });
    });
    xs.forEach((xv, a) => el('text', {x: left + a * cw + cw / 2, y: tp + ch * ys.length + 14, 'text-anchor': 'middle'}, svg, xv));
    el('text', {x: left, y: tp + ch * ys.length + 34}, svg, params.length ? params[view.x].key : '');
    ys.forEach((yv, b) => el('text', {x: left - 6, y: tp + b * ch + ch / 2 + 3, 'text-anchor': 'end'}, svg,
                             yv === null ? figure : params[view.y].key + '=' + yv));
    return cells;
  }
  function drawLegend(vals, hi) {
    const s = scaleOf[view.figure], svg = $('scale'), W = 400, n = 40;
    clear(svg);
    svg.setAttribute('width', W + 40); svg.setAttribute('height', 44);
    for (let k = 0; k < n; ++k)
      el('rect', {class: 'step', x: 10 + k * W / n, y: 4, width: W / n + 0.5, height: 14,
                  fill: colour(hi * k / (n - 1), view.figure, hi)}, svg);
    const tick = v => Number.isInteger(v) ? String(v) : Math.abs(v) >= 10 ? String(Math.round(v)) : String(+v.toFixed(2));
    [0, 0.5, 1].forEach(f => el('text', {x: 10 + f * W, y: 32, 'text-anchor': 'middle'}, svg, tick(f * hi)));
    const lo = Math.min(...vals), up = Math.max(...vals), at = v => 10 + (hi > 0 ? Math.min(1, v / hi) : 0) * W;
    if (vals.length) el('rect', {class: 'shown', x: at(lo) - 1, y: 1, width: at(up) - at(lo) + 2, height: 20,
                                 fill: 'none', stroke: '#1b2631', 'stroke-width': 1.5}, svg);
    $('legend').textContent = view.figure + ' (' + view.stat + ' over ' + data.seeds.length + ' seeds): ' + s.meaning +
      '. Scale 0 to ' + fmt(hi) + (s.to === 'largest' ? ' (the largest value in the sweep)' : '') + ', ' +
      betterText[s.better] + '; shown here (framed): ' + (vals.length ? fmt(lo) + ' to ' + fmt(up) : 'no value') +
      '; grey: no value. A red frame marks a point where an expectation fails; click a cell to select it.';
  }
  function drawLines(series, xs, ys, hi) {
    const lc = $('lines'), W = 760, H = 240, L = 60, B = 30, figure = view.figure;
    clear(lc);
    lc.setAttribute('width', W); lc.setAttribute('height', H + B + 10);
    const px = a => L + (xs.length === 1 ? (W - L) / 2 : a * (W - L - 20) / (xs.length - 1));
    const py = v => H - (hi > 0 ? Math.min(1, v / hi) : 0) * (H - 20);
    el('line', {x1: L, y1: H, x2: W - 10, y2: H, stroke: '#808b96'}, lc);
    el('text', {x: L - 6, y: py(hi) + 4, 'text-anchor': 'end'}, lc, fmt(hi));
    el('text', {x: L - 6, y: py(0) + 4, 'text-anchor': 'end'}, lc, '0');
    el('text', {x: L, y: 12}, lc, figure + ' (' + view.stat + ')' + (series.length > 1 ? '; dashed: ' + series[1].name : ''));
    el('text', {x: (W + L) / 2, y: H + 30, 'text-anchor': 'middle'}, lc, params.length ? params[view.x].key : '');
    xs.forEach((xv, a) => el('text', {x: px(a), y: H + 16, 'text-anchor': 'middle'}, lc, xv));
    const palette = ['#2e86c1', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#f1c40f'];
    series.forEach((s, k) => ys.forEach((yv, b) => {
      const colourOf = palette[b % palette.length], mine = s.cells.filter(c => c.b === b && c.v !== null);
      let d = '';
      mine.forEach(c => { d += (d ? ' L' : 'M') + px(c.a).toFixed(1) + ' ' + py(c.v).toFixed(1); });
      if (d) el('path', {d: d, fill: 'none', stroke: colourOf, 'stroke-width': 2, class: 'series',
                         'stroke-dasharray': k ? '6 4' : 'none'}, lc);
      mine.forEach(c => el('circle', {cx: px(c.a), cy: py(c.v), r: 3.5, fill: c.p.holds ? colourOf : '#c0392b'}, lc));
      if (yv !== null && k === 0)
        el('text', {x: W - 10, y: 14 + b * 14, 'text-anchor': 'end', fill: colourOf}, lc, params[view.y].key + '=' + yv);
    }));
  }
  function drawSelected(series) {
    const box = $('selected');
    clear(box);
    const at = series.map(s => s.cells.find(c => view.cell !== null && c.key === view.cell.join(',')));
    if (!at[0]) {
      if (view.cell !== null) $('link-note').textContent += ' (no cell ' + view.cell.join(',') + ' on these axes)';
      view.cell = null;
      box.textContent = 'Click a cell to see all its figures here.';
      return;
    }
    const table = document.createElement('table'), row = cells => {
      const tr = document.createElement('tr');
      cells.forEach(t => { const td = document.createElement('td'); td.textContent = t; tr.appendChild(td); });
      table.appendChild(tr);
    };
    row(['selected: ' + at[0].at].concat(series.map(s => s.name + ' (' + view.stat + ')')));
    const figureAt = (c, f) => { const a = c.p.aggregate[f]; return fmt(a ? a[view.stat] : null); };
    data.figures.forEach(f => row([f.figure].concat(at.map(c => figureAt(c, f.figure)))));
    row(['every expectation holds'].concat(at.map(c => c.p.holds ? 'yes' : 'no')));
    box.appendChild(table);
  }
  function draw() {
    showControls();
    const ax = axes(), hi = top(view.figure), both = view.compare >= 0 && view.compare !== view.scenario;
    const width = both ? 480 : 900;
    $('caption-1').textContent = data.scenarios[view.scenario];
    const series = [{name: data.scenarios[view.scenario], cells: drawGrid($('heatmap'), view.scenario, ax.xs, ax.ys, hi, width)}];
    $('second').hidden = !both;
    clear($('heatmap-2'));
    if (both) {
      $('caption-2').textContent = data.scenarios[view.compare];
      series.push({name: data.scenarios[view.compare], cells: drawGrid($('heatmap-2'), view.compare, ax.xs, ax.ys, hi, width)});
    }
    const vals = [].concat(...series.map(s => s.cells.map(c => c.v))).filter(v => v !== null);
    drawLegend(vals, hi);
    drawLines(series, ax.xs, ax.ys, hi);
    drawSelected(series);
  }

  setUp();
  if (data.points.length) {
    restore(location.hash);
    draw();
    remember();
  } else {
    $('legend').textContent = 'This result holds no per-point figures: merge the shards (fosim merge) for them.';
  }
  document.body.setAttribute('data-ready', 'yes');
})();
)JS";

}  // namespace fosim::tools
