// The report page's style sheet and script, kept apart from the C++ that fills in the data.
// The script reads the JSON in <script id="run-data">, draws every chart as inline SVG, and
// redraws them all when the reader zooms (wheel) or pans (drag) the shared time axis. It uses
// nothing but the DOM: no library, no network.
namespace fosim::tools {

extern const char* const report_css;
extern const char* const report_script;

const char* const report_css = R"CSS(
body { font: 14px/1.4 "DejaVu Sans", Arial, sans-serif; margin: 0 24px 40px; color: #1c2833; }
header h1 { font-size: 22px; margin: 18px 0 4px; }
h2 { font-size: 17px; margin: 26px 0 6px; border-bottom: 1px solid #d5d8dc; }
.hint { color: #5d6d7e; font-size: 12px; margin: 2px 0 6px; }
.meta { color: #34495e; }
table.kv, table.events, table.findings, table.config { border-collapse: collapse; font-size: 13px; }
table.kv td, table.config td, table.config th, table.findings td, table.findings th, table.events td {
  padding: 2px 10px 2px 0; vertical-align: top; text-align: left; }
table.config th { color: #5d6d7e; font-weight: normal; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.figure { border: 1px solid #d5d8dc; border-radius: 6px; padding: 6px 12px; min-width: 120px; }
.figure b { display: block; font-size: 18px; }
.figure.bad { border-color: #c0392b; background: #fdedec; }
.chart svg { display: block; user-select: none; cursor: grab; }
.diagram svg { max-width: 100%; height: auto; }
.warning { color: #922b21; background: #fdedec; padding: 6px 10px; border-radius: 4px; }
#events { max-height: 420px; overflow-y: auto; border: 1px solid #eaecee; }
table.events tr.monitor td { color: #922b21; font-weight: bold; }
table.events tr.flash td { background: #f9e79f; }
table.events td.t { font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
a.finding { color: #922b21; cursor: pointer; }
.bar { display: inline-block; height: 10px; background: #5d6d7e; vertical-align: middle; }
)CSS";

const char* const report_script = R"JS(
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('run-data').textContent);
  const replay = data.summary.source === 'replay';
  const NS = 'http://www.w3.org/2000/svg';
  const W = 1180, LEFT = 110, PLOT = W - LEFT - 40;
  let view = [0, Math.max(1, data.end_ms)];

  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, attrs, parent, text) {
    const e = document.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(ms) {
    const neg = ms < 0; ms = Math.abs(Math.round(ms));
    const d = Math.floor(ms / 86400000), h = Math.floor(ms / 3600000) % 24, m = Math.floor(ms / 60000) % 60,
          s = Math.floor(ms / 1000) % 60, r = ms % 1000;
    const p = (v, n) => String(v).padStart(n, '0');
    return (neg ? '-' : '') + (d ? d + '+' : '') + p(h, 2) + ':' + p(m, 2) + ':' + p(s, 2) + '.' + p(r, 3);
  }
  function x(t) { return LEFT + (t - view[0]) / (view[1] - view[0]) * PLOT; }
  function visible(s, e) { return e >= view[0] && s <= view[1]; }
  function clampX(t) { return Math.max(LEFT, Math.min(LEFT + PLOT, x(t))); }
  function tip(node, text) { el('title', {}, node, text); return node; }

  const STEPS = [1e3, 5e3, 1e4, 3e4, 6e4, 3e5, 6e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5, 6048e5];
  function axis(svg, y) {
    const span = view[1] - view[0];
    let step = STEPS[STEPS.length - 1];
    for (const s of STEPS) if (span / s <= 10) { step = s; break; }
    for (let t = Math.ceil(view[0] / step) * step; t <= view[1]; t += step) {
      el('line', {x1: x(t), x2: x(t), y1: 0, y2: y, stroke: '#eaecee'}, svg);
      el('text', {x: x(t), y: y + 13, 'font-size': 11, 'text-anchor': 'middle', fill: '#5d6d7e'}, svg,
         fmt(t).replace(/\.000$/, ''));
    }
  }
  function frame(id, height) {
    const box = document.getElementById(id);
    box.textContent = '';
    const svg = el('svg', {width: W, height: height + 18, viewBox: '0 0 ' + W + ' ' + (height + 18)}, box);
    svg.dataset.chart = id;
    return svg;
  }

  const SHORT = {'communications-interrupted': 'comm-int', 'resolution-interrupted': 'resolution-int',
                 'potential-conflict': 'pot-conflict', 'partner-down': 'p-down', 'recover-done': 'r-done',
                 'recover-wait': 'r-wait', 'conflict-done': 'c-done'};
  function drawLanes() {
    const laneH = 34, linkH = 12, top = 6;
    const rows = [top, top + laneH + linkH + 8];
    const height = rows[1] + laneH + 8;
    const svg = frame('lanes-chart', height);
    // partner-down shares its colour class with communications-interrupted; hatch it apart.
    const pat = el('pattern', {id: 'hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse',
                               patternTransform: 'rotate(45)'}, el('defs', {}, svg));
    el('rect', {width: 3, height: 8, fill: '#b9770e', 'fill-opacity': 0.45}, pat);
    axis(svg, height);
    for (const p of data.partitions) {
      if (!visible(p.s, p.e)) continue;
      tip(el('rect', {x: clampX(p.s), y: 0, width: Math.max(1, clampX(p.e) - clampX(p.s)), height: height,
                      fill: '#f5b7b1', 'fill-opacity': 0.35, class: 'partition'}, svg),
          p.text + ' ' + fmt(p.s) + ' to ' + fmt(p.e));
    }
    for (let i = 0; i < 2; ++i) {
      el('text', {x: 4, y: rows[i] + laneH / 2 + 4, 'font-size': 13, 'font-weight': 'bold'}, svg, data.hosts[i]);
      const g = el('g', {class: 'lane', 'data-host': data.hosts[i]}, svg);
      for (const b of data.lanes[i]) {
        if (!visible(b.s, b.e)) continue;
        const x0 = clampX(b.s), x1 = clampX(b.e);
        const r = el('rect', {x: x0, y: rows[i], width: Math.max(1, x1 - x0), height: laneH,
                              fill: data.colours[b.state] || '#ffffff', stroke: '#566573', 'stroke-width': 0.6,
                              class: 'band', 'data-state': b.state}, g);
        tip(r, data.hosts[i] + ': ' + b.state + (b.cause ? ' (' + b.cause + ')' : '') + '\n' +
               fmt(b.s) + ' to ' + fmt(b.e));
        if (b.state === 'partner-down')
          el('rect', {x: x0, y: rows[i], width: Math.max(1, x1 - x0), height: laneH, fill: 'url(#hatch)',
                      'pointer-events': 'none'}, g);
        const label = x1 - x0 > 6.5 * b.state.length + 6 ? b.state
                    : (SHORT[b.state] && x1 - x0 > 6.5 * SHORT[b.state].length + 6) ? SHORT[b.state] : '';
        if (label)
          el('text', {x: (x0 + x1) / 2, y: rows[i] + laneH / 2 + 4, 'font-size': 11, 'text-anchor': 'middle',
                      'pointer-events': 'none'}, g, label);
      }
    }
    // The failover link between the lanes: green while connected, red when not.
    const ly = rows[0] + laneH + 4;
    el('text', {x: 4, y: ly + 9, 'font-size': 11, fill: '#5d6d7e'}, svg, 'link');
    tip(el('rect', {x: LEFT, y: ly, width: PLOT, height: linkH, fill: '#e6b0aa', class: 'link-down'}, svg),
        'failover link down');
    for (const l of data.link) {
      if (!visible(l.s, l.e)) continue;
      tip(el('rect', {x: clampX(l.s), y: ly, width: Math.max(1, clampX(l.e) - clampX(l.s)), height: linkH,
                      fill: '#58d68d', class: 'link-up'}, svg), 'failover link up ' + fmt(l.s) + ' to ' + fmt(l.e));
    }
    for (const m of data.marks) {
      if (!visible(m.t, m.t)) continue;
      const g = el('g', {class: 'mark'}, svg);
      el('line', {x1: x(m.t), x2: x(m.t), y1: 0, y2: height, stroke: '#7d3c98', 'stroke-width': 2,
                  'stroke-dasharray': '5 3'}, g);
      tip(el('circle', {cx: x(m.t), cy: 4, r: 4, fill: '#7d3c98'}, g), fmt(m.t) + ' ' + m.text);
    }
    data.monitors.forEach(function (m, k) {
      if (!visible(m.t, m.t)) return;
      const d = el('path', {d: 'M' + x(m.t) + ' ' + (height - 12) + ' l6 6 l-6 6 l-6 -6 z', fill: '#c0392b',
                            class: 'finding-marker', 'data-finding': k, style: 'cursor:pointer'}, svg);
      tip(d, fmt(m.t) + ' ' + m.text);
      d.addEventListener('click', function () { showEvent(m.event); });
    });
  }

  function bars(svg, y0, h, series, colours, labels, label) {
    const n = series[0].length, bucket = data.grants.bucket_ms;
    let max = 1;
    for (let b = 0; b < n; ++b) {
      let s = 0;
      for (const v of series) s += v[b];
      max = Math.max(max, s);
    }
    el('text', {x: 4, y: y0 + h / 2 + 4, 'font-size': 12}, svg, label);
    el('text', {x: LEFT - 4, y: y0 + 10, 'font-size': 10, 'text-anchor': 'end', fill: '#5d6d7e'}, svg, max);
    for (let b = 0; b < n; ++b) {
      const s = b * bucket, e = s + bucket;
      if (!visible(s, e)) continue;
      const x0 = clampX(s), wdt = Math.max(1, clampX(e) - x0 - 0.5);
      let y = y0 + h, text = fmt(s) + ' to ' + fmt(e);
      series.forEach(function (v, k) {
        if (!v[b]) return;
        const bh = v[b] / max * h;
        y -= bh;
        el('rect', {x: x0, y: y, width: wdt, height: bh, fill: colours[k]}, svg);
        text += '\n' + labels[k] + ': ' + v[b];
      });
      if (y < y0 + h) tip(el('rect', {x: x0, y: y0, width: wdt, height: h, fill: 'transparent'}, svg), text);
    }
  }

  function drawGrants() {
    const h = 60, gap = 14, kinds = ['new', 'renew', 'rebind'], cols = ['#1f618d', '#76d7c4', '#f5b041'];
    const height = 3 * (h + gap);
    const svg = frame('grants-chart', height);
    axis(svg, height);
    for (let i = 0; i < 2; ++i) {
      const g = data.grants.servers[i];
      bars(svg, i * (h + gap), h, kinds.map(k => g[k]), cols, kinds, data.hosts[i] + ' grants');
    }
    bars(svg, 2 * (h + gap), h, [data.grants.unanswered], ['#c0392b'], ['unanswered'], 'unanswered');
    const legend = el('g', {}, svg);
    kinds.forEach(function (k, i) {
      el('rect', {x: LEFT + 10 + i * 90, y: 2, width: 10, height: 10, fill: cols[i]}, legend);
      el('text', {x: LEFT + 24 + i * 90, y: 11, 'font-size': 11}, legend, k);
    });
  }

  function drawPools() {
    const h = 90, gap = 16, names = ['free', 'backup', 'active', 'expired'],
          cols = ['#27ae60', '#2e86c1', '#8e44ad', '#c0392b'];
    const height = 2 * (h + gap);
    const svg = frame('pools-chart', height);
    axis(svg, height);
    const t = data.pools.t_s.map(v => v * 1000);
    for (let i = 0; i < 2; ++i) {
      const s = data.pools.servers[i], y0 = i * (h + gap);
      let max = 1;
      for (const n of names) for (const v of s[n]) max = Math.max(max, v);
      el('text', {x: 4, y: y0 + h / 2 + 4, 'font-size': 12}, svg, data.hosts[i]);
      el('text', {x: LEFT - 4, y: y0 + 10, 'font-size': 10, 'text-anchor': 'end', fill: '#5d6d7e'}, svg, max);
      names.forEach(function (n, k) {
        let d = '';
        for (let j = 0; j < t.length; ++j) {
          if (!visible(t[j], t[j + 1] !== undefined ? t[j + 1] : t[j]) && !visible(t[j - 1] || 0, t[j])) continue;
          d += (d ? ' L' : 'M') + x(t[j]).toFixed(1) + ' ' + (y0 + h - s[n][j] / max * h).toFixed(1);
        }
        if (d) el('path', {d: d, fill: 'none', stroke: cols[k], 'stroke-width': 1.6, class: 'pool-' + n}, svg);
      });
      for (let j = 0; j < t.length; ++j) {
        if (!visible(t[j], t[j])) continue;
        const nx = j + 1 < t.length ? x(t[j + 1]) : x(t[j]) + 2;
        tip(el('rect', {x: x(t[j]), y: y0, width: Math.max(1, nx - x(t[j])), height: h, fill: 'transparent'}, svg),
            data.hosts[i] + ' at ' + fmt(t[j]) + '\n' + names.map(n => n + ' ' + s[n][j]).join(', '));
      }
    }
    const legend = el('g', {}, svg);
    names.forEach(function (n, i) {
      el('rect', {x: LEFT + 10 + i * 90, y: 2, width: 10, height: 10, fill: cols[i]}, legend);
      el('text', {x: LEFT + 24 + i * 90, y: 11, 'font-size': 11}, legend, n);
    });
  }

  // The window is kept in the address (#view=FROM_MS,TO_MS), so a zoomed view can be linked.
  function drawAll() {
    drawLanes(); drawGrants(); drawPools();
    const whole = view[0] <= 0 && view[1] >= data.end_ms;
    const hash = whole ? '' : '#view=' + Math.round(view[0]) + ',' + Math.round(view[1]);
    if (location.hash !== hash && history.replaceState)
      history.replaceState(null, '', hash || location.pathname + location.search);
  }
  const asked = /^#view=(\d+),(\d+)$/.exec(location.hash);
  if (asked && +asked[2] > +asked[1]) view = [Math.max(0, +asked[1]), Math.min(data.end_ms, +asked[2])];

  // Zoom (wheel) and pan (drag) on any chart move the one shared time window.
  function attach(id) {
    const box = document.getElementById(id);
    let drag = null;
    box.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      const r = box.querySelector('svg').getBoundingClientRect();
      const f = Math.min(1, Math.max(0, (ev.clientX - r.left - LEFT) / PLOT));
      const at = view[0] + f * (view[1] - view[0]);
      const span = Math.max(1000, Math.min(data.end_ms, (view[1] - view[0]) * (ev.deltaY > 0 ? 1.25 : 0.8)));
      let a = at - f * span;
      a = Math.max(0, Math.min(data.end_ms - span, a));
      view = [a, a + span];
      drawAll();
    }, {passive: false});
    box.addEventListener('mousedown', function (ev) { drag = {x: ev.clientX, view: view.slice()}; });
    window.addEventListener('mouseup', function () { drag = null; });
    window.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      const span = drag.view[1] - drag.view[0];
      let a = drag.view[0] - (ev.clientX - drag.x) / PLOT * span;
      a = Math.max(0, Math.min(data.end_ms - span, a));
      view = [a, a + span];
      drawAll();
    });
    box.addEventListener('dblclick', function () { view = [0, Math.max(1, data.end_ms)]; drawAll(); });
  }

  function showEvent(k) {
    const row = document.getElementById('ev-' + k);
    if (!row) return;
    const t = data.events[k].t, span = Math.min(data.end_ms, 600000);
    const a = Math.max(0, Math.min(data.end_ms - span, t - span / 2));
    view = [a, a + span];
    drawAll();
    row.scrollIntoView({block: 'center'});
    row.classList.add('flash');
    setTimeout(function () { row.classList.remove('flash'); }, 2500);
  }

  function runHeader() {
    const top = document.getElementById('top'), s = data.summary;
    html('h1', {}, top, 'fosim report: ' + data.name);
    if (data.description) html('p', {}, top, data.description);
    html('p', {class: 'meta'}, top, 'failover peer "' + data.relationship + '"  ·  seed ' + data.seed +
         '  ·  ' + fmt(data.end_ms) + ' simulated' + (s.start ? ' from ' + s.start : '') + '  ·  ' +
         s.events + ' events  ·  fosim ' + data.version);
    const figs = html('div', {class: 'figures'}, top);
    function fig(label, value, bad) {
      const f = html('div', {class: 'figure' + (bad ? ' bad' : '')}, figs);
      html('b', {}, f, String(value));
      f.appendChild(document.createTextNode(label));
    }
    s.servers.forEach(function (v) { fig(v.host + ' (' + v.role + ') ends in', v.final_state, false); });
    fig('availability', (100 * s.clients.availability).toFixed(2) + ' %', s.clients.availability < 0.99);
    const wl = s.clients && s.clients.without_lease, rr = s.clients && s.clients.renewals_refused;
    if (wl) fig('clients without a valid lease' + (wl.clients ? ' (worst / median)' : ''), wl.clients +
                (wl.clients ? ': ' + wl.worst_s + ' s / ' + wl.median_s + ' s' : ''), wl.clients > 0);
    if (wl) fig('clients lost their address', wl.lost_address, wl.lost_address > 0);
    if (rr) fig('renewals refused while the lease held', (rr.nak + rr.unanswered) + ' (' + rr.nak + ' NAK)',
                rr.nak + rr.unanswered > 0);
    fig('duplicate addresses', s.duplicates.length, s.duplicates.length > 0);
    fig('MCLT violations', s.mclt_violations, s.mclt_violations > 0);
    fig('first lease / renewal', (s.first_lease_time_s === null ? '–' : s.first_lease_time_s + ' s') + ' / ' +
        (s.first_renewal_time_s === null ? '–' : s.first_renewal_time_s + ' s'), false);
    if (s.time_to_normal_after_heal_s !== null && s.time_to_normal_after_heal_s !== undefined)
      fig('heal to both normal', s.time_to_normal_after_heal_s + ' s', false);
    (s.recoveries || []).forEach(function (r) {
      fig(r.action + (r.server ? ' of ' + r.server : '') + ' at ' + fmt(r.t_s * 1000) + ' to both normal',
          r.time_to_normal_s === null ? 'not reached' : r.time_to_normal_s + ' s', r.time_to_normal_s === null);
    });
    const failed = (s.expectations || []).filter(e => !e.passed).length;
    if ((s.expectations || []).length)
      fig('expectations', failed ? failed + ' failed' : 'all ' + s.expectations.length + ' hold', failed > 0);
    const t = html('table', {class: 'config'}, top), hr = html('tr', {}, t);
    html('th', {}, hr, '');
    s.servers.forEach(v => html('th', {}, hr, v.host + ' (' + v.role + ')'));
    const keys = [];
    s.servers.forEach(v => Object.keys(v.config).forEach(k => { if (!keys.includes(k)) keys.push(k); }));
    keys.forEach(function (k) {
      const tr = html('tr', {}, t);
      html('th', {}, tr, k);
      s.servers.forEach(v => html('td', {}, tr, v.config[k] === undefined ? '' : String(v.config[k])));
    });
    const p = s.pool, tr = html('tr', {}, t);
    html('th', {}, tr, 'pool');
    html('td', {colspan: 2}, tr, p.range[0] + ' – ' + p.range[1] + ' (' + p.addresses + ' addresses), ' +
         'default-lease-time ' + p.default_lease_time + ' s, max-lease-time ' + p.max_lease_time + ' s');
    // With several pools: each one's ranges and lease times, and each server's share of it.
    if ((s.pools || []).length > 1) s.pools.forEach(function (q) {
      const row = html('tr', {class: 'pool'}, t);
      html('th', {}, row, q.ranges.map(r => r[0] + ' – ' + r[1]).join(', ') +
           (q.subnet ? ' (subnet ' + q.subnet + ')' : '') + ': ' + q.addresses + ' addresses, ' +
           q.default_lease_time + ' / ' + q.max_lease_time + ' s');
      q.servers.forEach(v => html('td', {}, row, v.acks + ' ACKs; free ' + v.leases.free + ', backup ' +
                                  v.leases.backup + ', active ' + v.leases.active));
    });
  }

  // A replay's summary holds what a log shows: the servers' states, the findings, the notes;
  // no configuration, clients or pools, which the page then says rather than draws.
  function replayHeader() {
    const top = document.getElementById('top'), s = data.summary;
    html('h1', {}, top, 'fosim report: replay');
    html('p', {}, top, 'rebuilt from ' + s.lines + ' log lines');
    html('p', {class: 'meta'}, top, 'failover peer "' + data.relationship + '"  ·  time 0 is ' + s.time0_utc +
         ' UTC  ·  ' + fmt(data.end_ms) + ' logged  ·  fosim ' + data.version);
    const figs = html('div', {class: 'figures'}, top);
    function fig(label, value, bad) {
      const f = html('div', {class: 'figure' + (bad ? ' bad' : '')}, figs);
      html('b', {}, f, String(value));
      f.appendChild(document.createTextNode(label));
    }
    s.servers.forEach(function (v) { fig(v.host + ' (' + v.role + ') ends in', v.state, false); });
    const counts = s.finding_counts || {};
    Object.keys(counts).forEach(k => fig(k, counts[k], counts[k] > 0));
    if (!Object.keys(counts).length) fig('findings', 0, false);
    const t = html('table', {class: 'config', id: 'replay-servers'}, top), hr = html('tr', {}, t);
    ['server', 'moves', 'DHCPACK', 'DHCPOFFER', 'DHCPNAK'].forEach(h => html('th', {}, hr, h));
    s.servers.forEach(function (v) {
      const tr = html('tr', {}, t);
      [v.host + ' (' + v.role + ')', v.transitions, v.acks, v.offers, v.naks]
          .forEach(c => html('td', {}, tr, String(c)));
    });
    if ((s.notes || []).length) {
      html('h3', {}, top, 'Notes');
      const ul = html('ul', {id: 'replay-notes'}, top);
      s.notes.forEach(n => html('li', {}, ul, n));
    }
    document.querySelector('#findings h2').textContent = 'Findings';
    html('p', {class: 'hint'}, document.getElementById('pools'), 'A log does not show the pools.');
  }

  function header() { if (replay) replayHeader(); else runHeader(); }

  function leaseTimes() {
    const box = document.getElementById('lease-times');
    const entries = Object.entries(data.lease_times);
    html('h3', {}, box, 'Lease times granted');
    if (replay) { html('p', {}, box, 'A log does not show lease times.'); return; }
    if (!entries.length) { html('p', {}, box, 'No lease was granted.'); return; }
    const max = Math.max.apply(null, entries.map(e => e[1]));
    const t = html('table', {class: 'kv', id: 'lease-time-table'}, box);
    entries.forEach(function (e) {
      const tr = html('tr', {}, t);
      html('td', {}, tr, e[0] + ' s');
      const td = html('td', {}, tr);
      html('span', {class: 'bar', style: 'width:' + Math.max(2, e[1] / max * 400) + 'px'}, td);
      html('td', {}, tr, String(e[1]));
    });
  }

  // A replay's findings, each with its explanation and the line it was found on.
  function replayFindings() {
    const box = document.getElementById('findings-list'), list = data.summary.findings || [];
    if (!list.length) {
      html('p', {id: 'no-findings'}, box, 'None: every move is explained and no address was at risk.');
      return;
    }
    const t = html('table', {class: 'findings', id: 'replay-findings'}, box);
    const hr = html('tr', {}, t);
    ['time', 'server', 'finding', 'likely', 'line'].forEach(h => html('th', {}, hr, h));
    list.forEach(function (f) {
      const tr = html('tr', {}, t);
      html('td', {}, tr, fmt(f.t_ms));
      html('td', {}, tr, f.server || '');
      html('td', {}, tr, f.kind + ': ' + f.what);
      html('td', {}, tr, f.why || '');
      html('td', {}, tr, f.file ? f.file + ':' + f.line : '');
    });
  }

  function findings() {
    if (replay) { replayFindings(); return; }
    const box = document.getElementById('findings-list'), s = data.summary;
    if (!data.monitors.length && !s.duplicates.length) {
      html('p', {id: 'no-findings'}, box, 'None: no duplicate address, no MCLT violation, no split brain seen.');
      return;
    }
    const t = html('table', {class: 'findings'}, box);
    const hr = html('tr', {}, t);
    ['time', 'finding'].forEach(h => html('th', {}, hr, h));
    data.monitors.forEach(function (m) {
      const tr = html('tr', {}, t);
      html('td', {}, tr, fmt(m.t));
      const a = html('a', {class: 'finding', href: '#ev-' + m.event}, html('td', {}, tr), m.text);
      a.addEventListener('click', function (ev) { ev.preventDefault(); showEvent(m.event); });
    });
  }

  function timeline() {
    const box = document.getElementById('events');
    const t = html('table', {class: 'events'}, box);
    data.events.forEach(function (e, k) {
      const tr = html('tr', {id: 'ev-' + k, class: e.kind}, t);
      html('td', {class: 't'}, tr, fmt(e.t));
      html('td', {}, tr, e.server);
      html('td', {}, tr, e.text);
    });
    if (data.events_left_out)
      html('p', {class: 'hint'}, document.getElementById('timeline'),
           data.events_left_out + ' later failover events are left out; timeline.jsonl has them all.');
  }

  header();
  drawAll();
  ['lanes-chart', 'grants-chart', 'pools-chart'].forEach(attach);
  leaseTimes();
  findings();
  timeline();
  document.body.dataset.ready = 'yes';
})();
)JS";

}  // namespace fosim::tools
