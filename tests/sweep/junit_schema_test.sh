#!/usr/bin/env bash
# The JUnit file of a sweep with passing, failing and interrupted points is valid against the
# JUnit XML schema (tests/sweep/junit.xsd), checked by xmllint.
#   usage: junit_schema_test.sh FOSIM_BINARY SCENARIO_DIR WORK_DIR
set -euo pipefail
fosim=$1 scenarios=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v xmllint >/dev/null || { echo "FAIL: xmllint is not installed (.ci/install-deps installs it)"; exit 1; }
mkdir -p "$work"
rc=0
"$fosim" sweep "$scenarios/sweeps/apd-partner-unreachable.json" "$scenarios/sweeps/apd-partner-dead.json" \
  --vary auto_partner_down=0,600 --seeds 1..2 --junit "$work/junit.xml" --no-progress >/dev/null || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: the sweep should exit 1 (failing points), got $rc"; exit 1; }
xmllint --noout --schema "$here/junit.xsd" "$work/junit.xml"
grep -q '<failure type="expectation"' "$work/junit.xml" || { echo "FAIL: no failure element"; exit 1; }
echo "ok: $(grep -c '<testcase' "$work/junit.xml") test cases valid against the JUnit schema"
