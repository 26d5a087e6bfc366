#!/usr/bin/env bash
# Makes sure a Debian package the eval sets need is installed (librsvg2-bin, whose rsvg-convert renders their SVGs;
# fonts-symbola, the glyphs of emoji-glyphs.cjs): installs it when running as root, otherwise says what to install and
# fails. FILE is a file the package installs, so an installed package costs nothing.
#   tools/evalsets/require-debian-package.sh SET PACKAGE FILE   (SET names the set that needs it, for the message)
set -euo pipefail
set_name="$1" package="$2" file="$3"
[[ -e "$file" ]] && exit 0
[[ $(id -u) -eq 0 ]] || { echo "$set_name: please install $package (as root)" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
