# Shared by the eval scripts (backbones-, holdout-, views-, finetune- and style-eval.sh; sourced, not run): the architectures and seed they
# compare, the Release build, the CLI on a data root under $out, and a jq number format for their tables.

# Every offline architecture, named, so the tables also show the ones outside the default set.
# ARCHITECTURES narrows them (a quicker run on a loaded machine); the tables say which were run.
architectures="${ARCHITECTURES:-RawPixels,MobilenetV2,InceptionV3,Resnet18,Resnet18Spatial}"
seed=42
"$repo/scripts/setup.sh"
dotnet build "$repo/service" -c Release -nologo -v quiet
# The verb comes first: an argument list that does not start with a verb starts the service instead.
# The data root is $out/root unless data_root names another (a fine-tuned backbone lives in its own).
cli() {
  local verb="$1"; shift
  dotnet run -c Release --no-build --project "$repo/service" -- "$verb" --data-root "${data_root:-$out/root}" "$@"
}

# f: three decimals, zero-padded; sf: the same with a sign.
jq_format='def f: (. * 1000 | round / 1000 | tostring | if test("\\.") then . else . + ".0" end
                  | if test("\\.[0-9]$") then . + "00" elif test("\\.[0-9][0-9]$") then . + "0" else . end);
           def sf: if . < 0 then "-" + (-. | f) else "+" + f end;'

# The cross-design proxies (holdout-, views-, finetune- and style-eval): build one under $out/sets, and the file-name
# group key of its designs (vendor, deck) for --group-by.
build_proxy_set() {
  case "$1" in
    emoji)
      evalsets_npm_ci
      node "$repo/tools/evalsets/emoji.cjs" "$out/sets/emoji" ;;
    emoji-lineart)
      evalsets_npm_ci
      "$repo/tools/evalsets/require-debian-package.sh" emoji-lineart librsvg2-bin /usr/bin/rsvg-convert
      node "$repo/tools/evalsets/emoji-lineart.cjs" "$out/sets/emoji-lineart" ;;
    emoji-glyphs)
      evalsets_npm_ci
      "$repo/tools/evalsets/require-debian-package.sh" emoji-glyphs librsvg2-bin /usr/bin/rsvg-convert
      "$repo/tools/evalsets/require-debian-package.sh" emoji-glyphs fonts-symbola \
        /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf
      node "$repo/tools/evalsets/emoji-glyphs.cjs" "$out/sets/emoji-glyphs" ;;
    cards) "$repo/tools/evalsets/cards.sh" "$out/sets/cards" ;;
    *) echo "unknown set '$1' (emoji, emoji-lineart, emoji-glyphs or cards)" >&2; exit 2 ;;
  esac
}

evalsets_npm_ci() {
  [[ -d "$repo/tools/evalsets/node_modules/emoji-datasource-apple" && -d "$repo/tools/evalsets/node_modules/openmoji" &&
     -d "$repo/tools/evalsets/node_modules/opentype.js" ]] ||
    (cd "$repo/tools/evalsets" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

group_key() {
  case "$1" in
    emoji|emoji-lineart|emoji-glyphs) echo "before:-" ;;
    cards) echo "before:." ;;
  esac
}

# `train` on a proxy set's train designs (folds grouped by design, the seed above) into $2, its seconds written to $3,
# its output to $2.log; $1 the set, then more `train` options.
train_timed() {
  local s="$1" run="$2" seconds="$3"; shift 3
  local started=$SECONDS
  cli train --data "$out/sets/$s/train" --out "$run" --seed "$seed" --group-by "$(group_key "$s")" "$@" \
    > "$run.log" 2>&1 || { tail -20 "$run.log" >&2; exit 1; }
  echo $((SECONDS - started)) > "$seconds"
}

# One run on a proxy set, unless already done: `train` on its train designs (folds grouped by design, the seed above),
# then `evaluate --per-image` on its holdout. $1 the set, $2 the run folder, then more `train` options. Writes
# <run>/report.json, <run>/holdout.json, <run>.log and <run>.time (train's seconds).
train_and_score() {
  local s="$1" run="$2"; shift 2
  if [[ ! -f "$run/report.json" ]]; then
    echo "$(basename "$run"): training ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))" >&2
    train_timed "$s" "$run" "$run.time" "$@"
  fi
  if [[ ! -f "$run/holdout.json" ]]; then
    echo "$(basename "$run"): scoring on the holdout ($(date -u +%H:%M:%S) UTC)" >&2
    cli evaluate --data "$out/sets/$s/test" --model "$run" --per-image > "$run/holdout.json.tmp" 2>> "$run.log"
    mv "$run/holdout.json.tmp" "$run/holdout.json"
  fi
}
