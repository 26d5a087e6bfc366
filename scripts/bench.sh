#!/usr/bin/env bash
# Builds Release and runs the bench tool (bench/); writes docs/BENCHMARKS.md (or --out FILE). Extra arguments go to the
# tool, e.g. scripts/bench.sh --quick --out /tmp/BENCHMARKS.md. First run: installs, converts the backbones (a few minutes).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/setup.sh"
dotnet build bench -c Release -nologo -v quiet
exec dotnet run -c Release --no-build --project bench -- "$@"
