#!/usr/bin/env bash
# Makes sure rsvg-convert (Debian librsvg2-bin), which the eval sets render their SVGs with, is installed: installs it
# when running as root, otherwise says what to install and fails.
#   tools/evalsets/require-rsvg.sh SET   (SET names the set that needs it, for the message)
set -euo pipefail
command -v rsvg-convert >/dev/null && exit 0
[[ $(id -u) -eq 0 ]] || { echo "${1:-evalsets}: please install librsvg2-bin (as root)" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends librsvg2-bin >/dev/null
