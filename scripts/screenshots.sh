#!/usr/bin/env bash
# Writes the README's screenshots of the web UI (docs/webui-*.png) from a realistic model: a fresh service seeds the
# 8-category openclipart sample and trains it with the default architectures, takes a second drop with some unusable
# files, retrains, and Debian's Chromium photographs the pages (tests/Pipeline.Tests/Web/ReadmeScreenshots.cs, which
# runs only with PIPELINE_SCREENSHOTS set). A few minutes with cached backbone features, longer on the first run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/setup.sh" --test
dotnet build Pipeline.sln -c Release -nologo -v quiet
PIPELINE_SCREENSHOTS="$repo/docs" dotnet test Pipeline.sln -c Release --no-build \
  --filter "FullyQualifiedName~Pipeline.Tests.Web.ReadmeScreenshots" --logger "console;verbosity=normal"
# The test fails if one is 300 KB or more; they are committed, so keep them small.
ls -l "$repo"/docs/webui-*.png
