#!/usr/bin/env bash
# A sweep's HTML page as a person sees it, in headless Chromium: the script ran without a
# console message, the heatmap has a cell per point of the two varied parameters, failing
# points are framed, and the line chart has a line per value of the second parameter. A sweep
# of two scenarios shows their grids side by side; a link with a view in its fragment opens on
# that view; and two close availabilities (0.566, 0.581) get close colours on the 0-to-1 scale.
#   usage: sweep_browser_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (.ci/install-deps installs it)"; exit 1; }
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# render URL OUT: the DOM after the script ran in OUT.dom, the console in OUT.log.
render() {
  local profile
  profile=$(mktemp -d)
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "$1" >"$2.dom" 2>"$2.log" || true
  rm -rf "$profile"
  grep -q 'data-ready="yes"' "$2.dom" || fail "$2: the page's script did not finish"
  ! grep -F ':CONSOLE' "$2.log" | grep -q . || fail "$2: console messages: $(grep -F ':CONSOLE' "$2.log" | head -3)"
}
count() { grep -o "$1" "$2" | wc -l; }

# One scenario, two varied parameters.
page="$work/sweep.html"
"$fosim" sweep "$scenarios/sweeps/apd-partner-unreachable.json" --vary auto_partner_down=0,600,1800 \
  --vary mclt=600,1800 --seeds 1..2 --html "$page" --no-progress >/dev/null || true
[ -s "$page" ] || { echo "FAIL: no page written"; exit 1; }
render "file://$page" "$page"
profile=$(mktemp -d)
timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1280,1200 --screenshot="$page.png" "file://$page" >/dev/null 2>&1 || true
rm -rf "$profile"
cells=$(count '<g class="cell"' "$page.dom")
[ "$cells" -eq 6 ] || fail "$cells heatmap cells, expected 3 x 2 = 6"
framed=$(count 'data-holds="no"' "$page.dom")
[ "$framed" -eq 4 ] || fail "$framed failing points framed, expected 4 (auto-partner-down 600 and 1800)"
lines=$(count 'class="series"' "$page.dom")
[ "$lines" -eq 2 ] || fail "$lines lines in the chart, expected 2 (one per mclt)"
grep -q 'id="verdict"' "$page.dom" || fail "no verdict"
[ -s "$page.png" ] || fail "no screenshot"
# The legend draws the scale: availability runs from 0 to 1 whatever the values shown.
[ "$(count 'class="step"' "$page.dom")" -eq 40 ] || fail "the legend has no colour scale"
grep -q 'Scale 0 to 1, higher is better' "$page.dom" || fail "the legend does not give availability's scale"
# The default view is written into the address (the body mirrors it for this test).
grep -qF 'data-view="scenario=apd-partner-unreachable&amp;compare=none&amp;figure=availability&amp;stat=median&amp;x=auto_partner_down&amp;y=mclt"' \
  "$page.dom" || fail "the default view is not in the address: $(grep -o 'data-view="[^"]*"' "$page.dom")"

# Two scenarios side by side, on one scale.
two="$work/two.html"
"$fosim" sweep "$scenarios/sweeps/apd-partner-unreachable.json" "$scenarios/sweeps/apd-partner-dead.json" \
  --vary auto_partner_down=0,1800 --vary mclt=600,1800 --seeds 1..2 --html "$two" --no-progress >/dev/null || true
render "file://$two" "$two"
grep -q '<svg id="heatmap-2" [^>]*data-scenario="apd-partner-dead"' "$two.dom" || fail "no second grid of apd-partner-dead"
[ "$(count '<g class="cell"' "$two.dom")" -eq 8 ] || fail "$(count '<g class="cell"' "$two.dom") cells, expected 2 grids of 2 x 2"
[ "$(count 'class="series"' "$two.dom")" -eq 4 ] || fail "expected 4 lines: 2 mclt values x 2 scenarios"

# A link: the view in the fragment is the view shown (one scenario, duplicates, mclt across,
# auto-partner-down 1800, the mclt=600 cell selected), and the address keeps it.
view='scenario=apd-partner-unreachable&compare=none&figure=duplicates&stat=max&x=mclt&y=none&auto_partner_down=1800&cell=600'
render "file://$two#$view" "$two-link"
grep -qF "data-view=\"${view//&/&amp;}\"" "$two-link.dom" ||
  fail "the link's view was not restored: $(grep -o 'data-view="[^"]*"' "$two-link.dom")"
[ "$(count '<g class="cell"' "$two-link.dom")" -eq 2 ] || fail "expected one grid of 2 cells (mclt 600, 1800)"
[ "$(count 'data-selected="yes"' "$two-link.dom")" -eq 1 ] || fail "the link's cell is not selected"
grep -q 'id="legend">duplicates (max over 2 seeds)' "$two-link.dom" || fail "the link's figure is not shown"
grep -q '<td>selected: auto_partner_down=1800 mclt=600</td>' "$two-link.dom" || fail "the selected cell's figures are not listed"
# A value the sweep does not have is left out and said so, never an error.
render "file://$two#figure=nonsense&mclt=999" "$two-bad"
grep -q 'Not in this sweep, left out of the view: figure=nonsense, mclt=999' "$two-bad.dom" || fail "a bad link is not explained"

# Close values, close colours: plant availabilities 0.566, 0.581, 0.2 and 1 at the four points
# of a sweep and let fosim merge draw its page. On the 0-to-1 scale (badness 1 - availability,
# between the stops (59,82,139) and (33,145,140) of the scale for both) 0.566 is
# rgb(40,128,140) and 0.581 is rgb(41,125,140); on a scale from the values shown they would be
# 0.2 apart of its length.
planted="$work/planted"
mkdir -p "$planted"
"$fosim" sweep "$scenarios/sweeps/apd-partner-unreachable.json" --vary auto_partner_down=0,1800 \
  --vary mclt=600,1800 --seeds 1..2 --out "$planted/in" --no-progress >/dev/null || true
jq '.runs |= map(.availability = ([0.566, 0.581, 0.2, 1][.point]))' "$planted/in/sweep.json" >"$planted/in/sweep.json.new"
mv "$planted/in/sweep.json.new" "$planted/in/sweep.json"
"$fosim" merge "$planted/in" --out "$planted/out" >/dev/null || true
render "file://$planted/out/sweep.html" "$planted/page"
fill() { grep -o "<g class=\"cell\" data-value=\"$1\"[^>]*><rect [^>]*fill=\"[^\"]*\"" "$planted/page.dom" | grep -o 'fill="[^"]*"'; }
[ "$(fill 0.566)" = 'fill="rgb(40,128,140)"' ] || fail "0.566 is drawn $(fill 0.566), expected rgb(40,128,140)"
[ "$(fill 0.581)" = 'fill="rgb(41,125,140)"' ] || fail "0.581 is drawn $(fill 0.581), expected rgb(41,125,140)"
[ "$(fill 1)" = 'fill="rgb(68,1,84)"' ] || fail "1 is drawn $(fill 1), expected the scale's good end rgb(68,1,84)"

[ "$failures" -eq 0 ] && echo "ok: sweep page rendered, $cells cells, $framed framed, $lines lines;" \
  "two scenarios side by side; a link restores its view; close values get close colours"
exit "$failures"
