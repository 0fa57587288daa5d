#!/usr/bin/env bash
# Ctrl-C during `fosim run --out DIR --html FILE`: exit 130, a line on stderr that says where the
# run stopped and that nothing was written, no temporary left, the directory the run made gone,
# and the files of an earlier run in another directory exactly as they were.
#   usage: run_interrupt_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
rm -rf "$work" && mkdir -p "$work/earlier"
# The field pair with 50 000 clients for 30 days: minutes of work, far more than it is given.
python3 - "$scenarios/field-report.json" "$work/big.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["name"], s["duration"] = "big", "30d"
s["pool"]["range"] = ["10.0.0.1", "10.0.255.254"]
s["clients"] = [{"count": 50000, "arrival": {"start": "10s", "window": "1h"}}]
s.pop("expect", None)
json.dump(s, open(sys.argv[2], "w"))
PY
echo '{"earlier": true}' >"$work/earlier/summary.json"
# A background job of a script starts with SIGINT ignored, so a Ctrl-C sent before fosim catches
# it (a slow start: a loaded machine, a sanitizer build) would be lost: wait until it does.
catches_sigint() {  # PID: SigCgt in /proc has SIGINT's bit (1 << (2 - 1))
  local mask
  mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$mask" ] && (((16#$mask & 2) != 0))
}
check_interrupted() {  # DIR HTML: Ctrl-C a run writing into DIR and HTML once it is under way
  "$fosim" run "$work/big.json" --quiet --max-output unlimited --out "$1" --html "$2" >"$work/stdout" 2>"$work/stderr" &
  local pid=$! rc=0
  sleep 1
  for _ in $(seq 600); do catches_sigint "$pid" && break; sleep 0.1; done
  kill -INT "$pid"
  wait "$pid" || rc=$?
  [ "$rc" -eq 130 ] || { echo "FAIL: exit $rc after Ctrl-C, not 130"; cat "$work/stderr"; exit 1; }
  grep -q '^fosim run: interrupted at .* simulated of 30+00:00:00.000; nothing written' "$work/stderr" ||
    { echo "FAIL: stderr does not say the run was interrupted"; cat "$work/stderr"; exit 1; }
  [ ! -e "$2" ] || { echo "FAIL: $2 written by an interrupted run"; exit 1; }
  if find "$work" -name '*.tmp' | grep -q .; then
    echo "FAIL: temporaries left:"; find "$work" -name '*.tmp'; exit 1
  fi
}
# A directory the run makes itself is removed again.
check_interrupted "$work/new" "$work/new.html"
[ ! -e "$work/new" ] || { echo "FAIL: the interrupted run left its directory"; ls -la "$work/new"; exit 1; }
# A directory with an earlier run's file keeps it untouched, and gains nothing.
check_interrupted "$work/earlier" "$work/earlier.html"
[ "$(cat "$work/earlier/summary.json")" = '{"earlier": true}' ] ||
  { echo "FAIL: the earlier summary.json was changed"; exit 1; }
[ "$(ls "$work/earlier")" = "summary.json" ] || { echo "FAIL: files added:"; ls "$work/earlier"; exit 1; }
echo "ok: Ctrl-C leaves no file of the run and keeps the earlier one"
