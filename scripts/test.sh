#!/usr/bin/env bash
# Runs the whole test suite on real components (ONNX Runtime, TensorFlow.js in node, PostgreSQL, Chromium) and ends
# with one line "N passed, N failed" (CI reads it: it stays the last line; the ten slowest test classes come just
# before it). Installs and starts what it needs first.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/setup.sh" --test || exit 1
"$repo/scripts/start-postgres.sh" || exit 1

results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
dotnet build Pipeline.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Pipeline.sln -c Release --no-build --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A run that crashed before writing results must not read as green.
if (( status != 0 && failed == 0 )); then failed=1; fi
"$repo/scripts/slowest-classes.sh" "$results" 10
echo "$passed passed, $failed failed"
exit $status
