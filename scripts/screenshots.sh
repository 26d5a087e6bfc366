#!/usr/bin/env bash
# Writes the README's screenshots of the web UI (docs/webui-*.png) by running the web UI's browser test in Debian's
# Chromium with PIPELINE_SCREENSHOTS set: the same flow the test checks (upload, promotion, predict, model page,
# rollback), captured along the way. Takes about two minutes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/setup.sh" --test
dotnet build Pipeline.sln -c Release -nologo -v quiet
PIPELINE_SCREENSHOTS="$repo/docs" dotnet test Pipeline.sln -c Release --no-build \
  --filter "FullyQualifiedName~Pipeline.Tests.Web.WebUiBrowserTests"
# Keep them small enough for the repository (each should stay well under 300 KB).
ls -l "$repo"/docs/webui-*.png
