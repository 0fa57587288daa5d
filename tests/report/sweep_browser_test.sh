#!/usr/bin/env bash
# A sweep's HTML page as a person sees it, in headless Chromium: the script ran without a
# console message, the heatmap has a cell per point of the two varied parameters, failing
# points are framed, and the line chart has a line per value of the second parameter.
#   usage: sweep_browser_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (.ci/install-deps installs it)"; exit 1; }
mkdir -p "$work"
page="$work/sweep.html"
"$fosim" sweep "$scenarios/sweeps/apd-partner-unreachable.json" --vary auto_partner_down=0,600,1800 \
  --vary mclt=600,1800 --seeds 1..2 --html "$page" --no-progress >/dev/null || true
[ -s "$page" ] || { echo "FAIL: no page written"; exit 1; }
profile=$(mktemp -d)
timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "file://$page" >"$page.dom" 2>"$page.log" || true
timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1280,1200 --screenshot="$page.png" "file://$page" >/dev/null 2>&1 || true
rm -rf "$profile"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
grep -q 'data-ready="yes"' "$page.dom" || fail "the page's script did not finish"
! grep -F ':CONSOLE' "$page.log" | grep -q . || fail "console messages: $(grep -F ':CONSOLE' "$page.log" | head -3)"
cells=$(grep -o '<g class="cell"' "$page.dom" | wc -l)
[ "$cells" -eq 6 ] || fail "$cells heatmap cells, expected 3 x 2 = 6"
framed=$(grep -o 'data-holds="no"' "$page.dom" | wc -l)
[ "$framed" -eq 4 ] || fail "$framed failing points framed, expected 4 (auto-partner-down 600 and 1800)"
lines=$(grep -o 'class="series"' "$page.dom" | wc -l)
[ "$lines" -eq 2 ] || fail "$lines lines in the chart, expected 2 (one per mclt)"
grep -q 'id="verdict"' "$page.dom" || fail "no verdict"
[ -s "$page.png" ] || fail "no screenshot"
[ "$failures" -eq 0 ] && echo "ok: sweep page rendered, $cells cells, $framed framed, $lines lines"
exit "$failures"
