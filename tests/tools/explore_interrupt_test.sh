#!/usr/bin/env bash
# Ctrl-C during `fosim explore --out DIR`: exit 130, the draws that finished reported and
# written (explore.json counts them), and the last line saying how many.
#   usage: explore_interrupt_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
# A million draws: far more than the second it is given.
"$fosim" explore "$scenarios/partition-short.json" --random 1000000 --threads 2 \
  --out "$work/out" >"$work/stdout" 2>"$work/stderr" &
pid=$! rc=0
sleep 1
# A background job of a script starts with SIGINT ignored: a Ctrl-C sent before fosim catches
# it would be lost, so wait until SigCgt in /proc has SIGINT's bit (1 << (2 - 1)).
for _ in $(seq 600); do
  mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
  [ -n "$mask" ] && (((16#$mask & 2) != 0)) && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || { echo "FAIL: exit $rc after Ctrl-C, not 130"; cat "$work/stderr"; exit 1; }
last=$(tail -n 1 "$work/stdout")
[[ "$last" =~ ^interrupted:\ ([0-9]+)\ of\ 1000000\ draws\ finished$ ]] ||
  { echo "FAIL: last line '$last'"; exit 1; }
finished=${BASH_REMATCH[1]}
grep -q "\"finished\": $finished," "$work/out/explore.json" ||
  { echo "FAIL: explore.json does not count $finished draws"; exit 1; }
head -n 1 "$work/stdout" | grep -q -- '--random 1000000 --seed 1 ' ||
  { echo "FAIL: the first line is not the command"; exit 1; }
echo "ok: Ctrl-C after $finished draws; they are reported and written"
