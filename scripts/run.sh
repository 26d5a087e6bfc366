#!/usr/bin/env bash
# Runs the service (http://127.0.0.1:5000 by default). First run: installs prerequisites, converts the offline
# backbones, seeds the sample dataset and trains a first model. Extra arguments go to the service, e.g.
#   scripts/run.sh --urls http://0.0.0.0:8080 --Pipeline:SampleData=false
# or a CLI verb: scripts/run.sh train --data DIR --out DIR
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo"
exec dotnet run --project service -c Release -- "$@"
