#!/usr/bin/env bash
# Builds Release and runs the bench verb; writes docs/BENCHMARKS.md (or --out FILE). Extra arguments go to the verb,
# e.g. scripts/bench.sh --quick --out /tmp/BENCHMARKS.md. First run: installs, converts the backbones (a few minutes).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/setup.sh"
dotnet build service -c Release -nologo -v quiet
exec dotnet run -c Release --no-build --project service -- bench "$@"
