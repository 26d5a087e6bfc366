#!/usr/bin/env bash
# Installs what the pipeline needs, once; later runs only check. Used by scripts/run.sh, scripts/test.sh, CI and the
# Dockerfile, so every environment is set up by the same steps.
#   scripts/setup.sh           runtime needs: openclipart-png (sample data), the pinned npm backbone sources
#   scripts/setup.sh --test    plus PostgreSQL and Chromium for the end-to-end tests
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

missing=()
[[ -d /usr/share/openclipart/png ]] || missing+=(openclipart-png)
command -v node >/dev/null || missing+=(nodejs npm)
if (( want_test )); then
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
fi

if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: please install these Debian packages (as root): ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The backbones' weights come from the npm package nsfwjs, pinned with its integrity hash in package-lock.json.
if [[ ! -d "$repo/tools/nsfwjs/node_modules/nsfwjs" ]]; then
  echo "setup: npm ci (nsfwjs backbones, tfjs reference)" >&2
  (cd "$repo/tools/nsfwjs" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
