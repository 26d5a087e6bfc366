#!/usr/bin/env bash
# Builds the "cards from unseen decks" set of scripts/holdout-eval.sh from Debian's gnome-cards-data (AisleRiot's
# SVG decks, GPL/LGPL/public domain, see its copyright file): 52 labels (one per card, named as the decks name them:
# club_1 .. spade_king), 15 decks picked by a hash of their names, 9 for train and 6 for test, so every test image is
# a design the model never saw. Variants of one design (_bitmap, _4_color, _skat, the Cyrillic copy) are left out.
#
#   tools/evalsets/cards.sh OUT   ->  OUT/train/<card>/<deck>.png, OUT/test/<card>/<deck>.png (200 px wide)
set -euo pipefail
out="$(realpath -m "${1:?usage: cards.sh OUT}")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/.cache"

"$here/require-debian-package.sh" cards librsvg2-bin /usr/bin/rsvg-convert
decks_dir="$cache/gnome-cards-data/usr/share/aisleriot/cards"
if [[ ! -d "$decks_dir" ]]; then
  mkdir -p "$cache/deb"
  (cd "$cache/deb" && apt-get download -qq gnome-cards-data 2>/dev/null)
  dpkg-deb -x "$cache"/deb/gnome-cards-data_*.deb "$cache/gnome-cards-data"
fi

mapfile -t decks < <(cd "$decks_dir" && ls -- *.svgz | sed 's/\.svgz$//' | grep -E '^[a-z0-9_-]+$' \
  | grep -vE '_(bitmap|4_color|skat)$' | while read -r d; do echo "$(printf %s "$d" | sha256sum | cut -c1-16) $d"; done \
  | sort | head -15 | cut -d' ' -f2)
(( ${#decks[@]} == 15 )) || { echo "cards: expected 15 decks, found ${#decks[@]}" >&2; exit 1; }

cards=()
for suit in club diamond heart spade; do
  for rank in 1 2 3 4 5 6 7 8 9 10 jack queen king; do cards+=("${suit}_${rank}"); done
done

# AisleRiot's decks are one sheet of 13 x 5 equal cells (rows: clubs, diamonds, hearts, spades, jokers and back;
# columns: ace .. king). Cutting the sheet by that grid is exact for every deck, unlike rendering by element id,
# whose bounding boxes some decks get wrong.
card_width=200
render() { # deck part
  local svg="$cache/svg/$1.svg" sheet="$cache/svg/$1.png"
  mkdir -p "$cache/svg"
  [[ -f "$svg" ]] || zcat "$decks_dir/$1.svgz" > "$svg"
  rsvg-convert -w $(( 13 * card_width )) "$svg" -o "$sheet"
  local height=$(( $(od -An -tu4 --endian=big -j20 -N4 "$sheet") / 5 ))
  local i=0
  for card in "${cards[@]}"; do
    mkdir -p "$out/$2/$card"
    rsvg-convert -w $(( 13 * card_width )) --page-width $card_width --page-height $height \
      --left=-$(( i % 13 * card_width )) --top=-$(( i / 13 * height )) "$svg" -o "$out/$2/$card/$1.png"
    i=$(( i + 1 ))
  done
}
rm -rf "$out"
for i in "${!decks[@]}"; do
  if (( i < 9 )); then render "${decks[$i]}" train; else render "${decks[$i]}" test; fi
done
echo "$(( 52 * 15 )) images in $out (train decks: ${decks[*]:0:9}; test decks: ${decks[*]:9})"
