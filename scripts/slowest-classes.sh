#!/usr/bin/env bash
# Prints the slowest test classes of a run, from its trx files: the sum of each class's test durations (as xunit
# reports them: a class or collection fixture's set-up is not in them) and its number of tests.
#   scripts/slowest-classes.sh RESULTS_FOLDER [COUNT]     (COUNT defaults to 10)
set -uo pipefail
results="${1:?results folder}"
count="${2:-10}"
shopt -s nullglob
trx=("$results"/*.trx)
(( ${#trx[@]} )) || exit 0
echo "Slowest test classes (seconds summed over their tests, tests):"
# Each <UnitTestResult .../> is on one line with testName="Namespace.Class.Method(args)" and duration="hh:mm:ss.fffffff".
awk '
  /<UnitTestResult / {
    if (!match($0, /testName="[^"]*"/)) next
    name = substr($0, RSTART + 10, RLENGTH - 11)
    sub(/\(.*/, "", name)               # theory arguments may hold dots
    sub(/\.[^.]*$/, "", name)           # the method
    if (!match($0, /duration="[0-9:.]*"/)) next
    split(substr($0, RSTART + 10, RLENGTH - 11), t, ":")
    seconds[name] += t[1] * 3600 + t[2] * 60 + t[3]
    tests[name]++
  }
  END { for (c in seconds) printf "%10.1f %4d  %s\n", seconds[c], tests[c], c }
' "${trx[@]}" | sort -rn | head -n "$count"
