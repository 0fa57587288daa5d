#!/usr/bin/env bash
# The HTML report as a person sees it: generated for two library scenarios and opened in
# headless Chromium. Checks that the page's script ran without a console message, that both
# swimlanes show the expected sequence of state bands, that the split brain's duplicates are
# marked (and the field report has none), and that the diagram is inline SVG. Leaves a
# screenshot of each page in the build directory. A replayed log's page (`fosim replay --html`,
# and `fosim report` on a replay's --out directory) is opened too: it must show the logged states
# in both lanes and never the text "undefined".
#   usage: browser_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR REPLAY_DATA_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3 replays=$4
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (.ci/install-deps installs it)"
  exit 1
fi
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Runs Chromium on a page: DOM to $1.dom, console lines to $1.console, screenshot to $1.png.
# $2, if given, is a fragment to open the page with (e.g. a zoomed #view=...).
open_page() {
  local page=$1 fragment=${2:-} profile
  profile=$(mktemp -d)
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "file://$page$fragment" \
    >"$page.dom" 2>"$page.log" || true
  grep -F ':CONSOLE' "$page.log" >"$page.console" || true
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --hide-scrollbars --window-size=1280,1800 --screenshot="$page.png" "file://$page" \
    >/dev/null 2>&1 || true
  rm -rf "$profile"
}

# Prints the distinct consecutive data-state values of one host's lane, space separated.
lane_states() {
  python3 - "$1" "$2" <<'PY'
import re, sys
dom, host = open(sys.argv[1]).read(), sys.argv[2]
m = re.search(r'<g class="lane" data-host="%s">(.*?)</g>' % re.escape(host), dom, re.S)
states = re.findall(r'data-state="([a-z-]+)"', m.group(1)) if m else []
out = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
print(" ".join(out))
PY
}

# Prints the page's text as a reader sees it: the DOM without its scripts, style and tags.
visible_text() {
  python3 - "$1" <<'PY'
import html, re, sys
dom = open(sys.argv[1]).read()
dom = re.sub(r'<(script|style|title)\b.*?</\1>', ' ', dom, flags=re.S)
print(html.unescape(re.sub(r'<[^>]*>', ' ', dom)))
PY
}

check_common() {
  local page=$1
  [ -s "$page.dom" ] || { fail "$page: Chromium printed no DOM"; return; }
  grep -q 'data-ready="yes"' "$page.dom" || fail "$page: the page's script did not finish"
  [ ! -s "$page.console" ] || fail "$page: console messages: $(head -3 "$page.console")"
  grep -q '<div class="diagram"><svg' "$page.dom" || fail "$page: no inline SVG diagram"
  [ -s "$page.png" ] || fail "$page: no screenshot"
  local size
  size=$(stat -c %s "$page")
  [ "$size" -lt 10000000 ] || fail "$page: $size bytes, over 10 MB"
}

# The field report: cold start to normal on both, no finding.
"$fosim" run "$scenarios/field-report.json" --quiet --html "$work/field-report.html" >/dev/null
open_page "$work/field-report.html"
check_common "$work/field-report.html"
for host in dhcp-a dhcp-b; do
  got=$(lane_states "$work/field-report.html.dom" "$host")
  [ "$got" = "startup recover recover-done normal" ] ||
    fail "field-report: $host lane is '$got', expected 'startup recover recover-done normal'"
done
! grep -q 'class="finding-marker"' "$work/field-report.html.dom" || fail "field-report: a finding is marked"
grep -q 'id="no-findings"' "$work/field-report.html.dom" || fail "field-report: no 'None' in the findings"
grep -q '1800 s' "$work/field-report.html.dom" || fail "field-report: the 1800-s first grant is not shown"

# The split brain: normal, communications-interrupted, then partner-down (the operator) on both,
# with the duplicates marked on the timeline and listed.
"$fosim" run "$scenarios/split-brain.json" --quiet --html "$work/split-brain.html" >/dev/null
open_page "$work/split-brain.html"
check_common "$work/split-brain.html"
for host in dhcp-a dhcp-b; do
  got=$(lane_states "$work/split-brain.html.dom" "$host")
  case "$got" in
    *"normal communications-interrupted partner-down") ;;
    *) fail "split-brain: $host lane is '$got', expected it to end 'normal communications-interrupted partner-down'" ;;
  esac
done
markers=$(grep -o 'class="finding-marker"' "$work/split-brain.html.dom" | wc -l)
[ "$markers" -ge 1 ] || fail "split-brain: no duplicate marker on the timeline"
grep -q 'class="finding" href="#ev-' "$work/split-brain.html.dom" || fail "split-brain: findings do not link to the timeline"
grep -q 'class="partition"' "$work/split-brain.html.dom" || fail "split-brain: the partition is not shaded"

# Zoomed to 01:00-02:00 through the address: the axis starts at 01:00:00, not at 00:00:00.
cp "$work/split-brain.html" "$work/zoomed.html"
open_page "$work/zoomed.html" "#view=3600000,7200000"
[ ! -s "$work/zoomed.html.console" ] || fail "zoomed: console messages: $(head -3 "$work/zoomed.html.console")"
lanes_svg=$(python3 -c "import re,sys; d=open(sys.argv[1]).read(); m=re.search(r'id=\"lanes-chart\">(.*?)</svg>', d, re.S); print(m.group(1) if m else '')" "$work/zoomed.html.dom")
grep -q '>01:00:00<' <<<"$lanes_svg" || fail "zoomed: the lanes' axis has no 01:00:00 tick"
! grep -q '>00:00:00<' <<<"$lanes_svg" || fail "zoomed: the lanes' axis still shows 00:00:00"

# A replay: the operator's partner-down log, as `fosim replay --html` and as `fosim report`
# writes it from the replay's --out directory. Both lanes show what the log shows: dhcp-a
# startup, normal, communications-interrupted, partner-down (the operator), potential-conflict
# ... back to normal; dhcp-b never enters partner-down.
rm -rf "$work/replay-out"
"$fosim" replay "$replays/operator-partner-down.log" --year 2026 --quiet --out "$work/replay-out" \
  --html "$work/replay.html" >/dev/null || true
"$fosim" report "$work/replay-out" -o "$work/replay-report.html" >/dev/null ||
  fail "replay: fosim report on the replay's --out directory failed"
for page in "$work/replay.html" "$work/replay-report.html"; do
  open_page "$page"
  check_common "$page"
  text=$(visible_text "$page.dom")
  ! grep -q 'undefined' <<<"$text" || fail "$page: the text 'undefined' is on the page"
  got=$(lane_states "$page.dom" dhcp-a)
  case "$got" in
    "startup normal communications-interrupted partner-down"*) ;;
    *) fail "replay: dhcp-a lane is '$got', expected it to start 'startup normal communications-interrupted partner-down'" ;;
  esac
  got=$(lane_states "$page.dom" dhcp-b)
  case "$got" in
    "startup normal communications-interrupted"*) ;;
    *) fail "replay: dhcp-b lane is '$got', expected it to start 'startup normal communications-interrupted'" ;;
  esac
  grep -q 'id="replay-findings"' "$page.dom" || fail "$page: the replay's findings are not listed"
  grep -q 'unexplained-move: dhcp-a moves from communications-interrupted to partner-down' "$page.dom" ||
    fail "$page: the operator's partner-down is not among the findings"
done

# Two failover pools: each has a row with its range, its lease times and each server's share.
python3 - "$scenarios/field-report.json" "$work/two-pools.json" <<'PY'
import json, sys
sc = json.load(open(sys.argv[1]))
del sc["pool"]
sc.pop("expect", None)
sc["pools"] = [{"range": ["10.0.1.10", "10.0.1.59"], "default_lease_time": 600},
               {"range": ["10.0.2.10", "10.0.2.59"], "default_lease_time": 1200}]
json.dump(sc, open(sys.argv[2], "w"))
PY
"$fosim" run "$work/two-pools.json" --quiet --html "$work/two-pools.html" >/dev/null ||
  fail "two-pools: the run failed"
open_page "$work/two-pools.html"
check_common "$work/two-pools.html"
pools=$(grep -o '<tr class="pool">' "$work/two-pools.html.dom" | wc -l)
[ "$pools" -eq 2 ] || fail "two-pools: $pools pool rows, expected 2"
two_pools_text=$(visible_text "$work/two-pools.html.dom")
grep -qF '10.0.2.10 – 10.0.2.59: 50 addresses, 1200 / ' <<<"$two_pools_text" ||
  fail "two-pools: the second pool's row is missing its range or lease time"

if [ "$failures" -eq 0 ]; then
  echo "report in a browser: all checks hold (screenshots in $work)"
  exit 0
fi
echo "report in a browser: $failures check(s) failed"
exit 1
