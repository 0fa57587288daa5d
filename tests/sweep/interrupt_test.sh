#!/usr/bin/env bash
# Ctrl-C stops a sweep cleanly: exit 130, and the runs that finished are written, marked
# interrupted, with the unfinished points skipped in the JUnit file.
#   usage: interrupt_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
# About 400 runs of a 12-hour scenario: far more than the second it is given.
"$fosim" sweep "$scenarios/sweeps/what-split.json" --vary split=0..256:16 --seeds 1..25 --jobs 2 \
  --out "$work/out" --junit "$work/junit.xml" --no-progress >"$work/stdout" 2>"$work/stderr" &
pid=$!
sleep 2
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || { echo "FAIL: exit $rc after Ctrl-C, not 130"; cat "$work/stderr"; exit 1; }
grep -q 'interrupted:' "$work/stderr" || { echo "FAIL: no word of the interruption on stderr"; exit 1; }
python3 - "$work/out/sweep.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j.get("interrupted") is True, "sweep.json is not marked interrupted"
done = len(j["runs"])
assert 0 < done < j["runs_total"], "runs written: %d of %d" % (done, j["runs_total"])
print("ok: %d of %d runs kept after Ctrl-C" % (done, j["runs_total"]))
PY
grep -q '<skipped message="interrupted' "$work/junit.xml" || { echo "FAIL: unfinished points are not skipped"; exit 1; }
