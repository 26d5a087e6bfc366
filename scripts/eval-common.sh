# Shared by every eval script (sourced, not run; the proxy evals source it through proxy-eval-setup.sh): the architectures and seed they
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
    clipart) build_clipart_set "$out/sets/clipart" ;;
    # Labels of unequal size: the emoji and clip-art train parts thinned to 8:1 (scripts/thin-labels.py), same holdouts.
    emoji-thinned|clipart-thinned)
      local full="${1%-thinned}"
      [[ -d "$out/sets/$full" ]] || build_proxy_set "$full"
      python3 "$repo/scripts/thin-labels.py" "$out/sets/$full" "$out/sets/$1" ;;
    *) echo "unknown set '$1' (emoji, emoji-lineart, emoji-glyphs, cards, clipart, emoji-thinned or clipart-thinned)" >&2; exit 2 ;;
  esac
}

# clipart: the 7-label openclipart set of docs/BENCHMARKS.md section 8b as train (`sample --per-label 60`), and as
# holdout the next pictures of the same categories in `sample`'s own order (up to 80 a label; buildings and plants have
# fewer), with any picture whose bytes are also in train left out. Same artists' collection, so an easier proxy than
# the others: no design or style is unseen, only the pictures.
build_clipart_set() {
  local set="$1" categories="animals,buildings,food,office,people,plants,transportation" more
  more="$(mktemp -d)"
  rm -rf "$set"
  cli sample --out "$set/train" --per-label 60 --categories "$categories" > /dev/null
  cli sample --out "$more" --per-label 140 --categories "$categories" > /dev/null
  (cd "$set/train" && sha256sum -- */* | cut -d' ' -f1 | sort -u) > "$more/train.sha256"
  for label in "$more"/*/; do
    label="$(basename "$label")"
    mkdir -p "$set/test/$label"
    for file in "$more/$label"/*; do
      [[ -e "$set/train/$label/$(basename "$file")" ]] && continue
      grep -qx "$(sha256sum -- "$file" | cut -d' ' -f1)" "$more/train.sha256" || cp -- "$file" "$set/test/$label/"
    done
  done
  rm -rf "$more"
  echo "clipart: $(find "$set/train" -type f | wc -l) train, $(find "$set/test" -type f | wc -l) holdout images in $set" >&2
}

evalsets_npm_ci() {
  [[ -d "$repo/tools/evalsets/node_modules/emoji-datasource-apple" && -d "$repo/tools/evalsets/node_modules/openmoji" &&
     -d "$repo/tools/evalsets/node_modules/opentype.js" ]] ||
    (cd "$repo/tools/evalsets" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

group_key() {
  case "$1" in
    emoji|emoji-lineart|emoji-glyphs|emoji-thinned) echo "before:-" ;;
    cards) echo "before:." ;;
    *) echo "" ;;  # clipart: no designs to group by, stratified folds
  esac
}

# `train` on a proxy set's train designs (folds grouped by design, the seed above; stratified where the caller sets
# stratified_folds=1) into $2, its seconds written to $3, its output to $2.log; $1 the set, then more `train` options.
train_timed() {
  local s="$1" run="$2" seconds="$3"; shift 3
  local started=$SECONDS
  local group=""; [[ "${stratified_folds:-0}" == 1 ]] || group="$(group_key "$s")"
  cli train --data "$out/sets/$s/train" --out "$run" --seed "$seed" ${group:+--group-by "$group"} "$@" \
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

# The comparison of configurations that trim-, outline- and progress-eval.sh share: every set of $sets (built if
# missing) trained and scored once per configuration into $out/$1/<set>-<name>, then the table of
# paired_bootstrap.config_table (each configuration against the first) written to $out/$1-eval.md and printed.
#   compare_configs FOLDER SETTING_HEADING "DESCRIPTION" NAME=LABEL...
# The caller defines train_config SET RUN NAME, which trains and scores one run (train_and_score with its options).
compare_configs() {
  local folder="$1" heading="$2" description="$3"; shift 3
  local configs=("$@") s c
  IFS=',' read -ra chosen <<< "$sets"
  mkdir -p "$out/$folder"
  for s in "${chosen[@]}"; do
    [[ -d "$out/sets/$s" ]] || build_proxy_set "$s"
    for c in "${configs[@]}"; do
      train_config "$s" "$out/$folder/$s-${c%%=*}" "${c%%=*}"
    done
  done
  python3 - "$out" "$folder" "$sets" "$repo/scripts" "$heading" "$description" "${configs[@]}" > "$out/$folder-eval.md" <<'PY'
import sys
out, folder, sets, scripts, heading, description = sys.argv[1:7]
sys.path.insert(0, scripts)
from paired_bootstrap import config_table
print(description + "\n")
config_table(out, folder, sets.split(','), [tuple(c.split('=', 1)) for c in sys.argv[7:]], heading)
PY
  cat "$out/$folder-eval.md"
}

# The comparison of trimming rules that border- and paper-eval.sh share: every set of $sets trained and scored once per
# `--trim-margins` value into $out/border/<set>-<name>, each run also scored on its holdout drawn onto coloured paper
# (tools/evalsets/on-paper.cjs; not cards, which fill their frame, nor the opaque Symbola glyphs), then both tables
# (each value against the first) written to $out/<script>.md and printed.
#   compare_trimmings_on_paper SCRIPT NAME=VALUE[=LABEL]...   e.g. compare_trimmings_on_paper border-eval white=White border=Border
compare_trimmings_on_paper() {
  local script="$1"; shift
  local configs=("$@") paper_sets=() s c name value on_paper run
  IFS=',' read -ra chosen <<< "$sets"
  mkdir -p "$out/border"
  for s in "${chosen[@]}"; do
    [[ -d "$out/sets/$s" ]] || build_proxy_set "$s"
    on_paper=1
    [[ "$s" == cards || "$s" == emoji-glyphs ]] && on_paper=0
    if (( on_paper )); then
      paper_sets+=("$s")
      [[ -d "$out/sets/$s-paper" ]] || node "$repo/tools/evalsets/on-paper.cjs" "$out/sets/$s/test" "$out/sets/$s-paper/test"
    fi
    for c in "${configs[@]}"; do
      IFS='=' read -r name value _ <<< "$c"
      run="$out/border/$s-$name"
      train_and_score "$s" "$run" --trim-margins "$value"
      if (( on_paper )) && [[ ! -f "$run/holdout-paper.json" ]]; then
        echo "$(basename "$run"): scoring on the holdout on paper ($(date -u +%H:%M:%S) UTC)" >&2
        cli evaluate --data "$out/sets/$s-paper/test" --model "$run" --per-image > "$run/holdout-paper.json.tmp" 2>> "$run.log"
        mv "$run/holdout-paper.json.tmp" "$run/holdout-paper.json"
      fi
    done
  done

  python3 - "$out" "$sets" "$repo/scripts" "$(IFS=,; echo "${paper_sets[*]}")" "$script" "${configs[@]}" > "$out/$script.md" <<'PY'
import sys
out, sets, scripts, paper, script = sys.argv[1], sys.argv[2].split(','), sys.argv[3], [s for s in sys.argv[4].split(',') if s], sys.argv[5]
sys.path.insert(0, scripts)
from paired_bootstrap import config_table
configs = []
for c in sys.argv[6:]:
    name, value, *label = c.split('=')
    configs.append((name, label[0] if label else value))
print("Generated by `scripts/%s.sh --sets %s` (the default set, folds grouped by design where the set has " % (script, ",".join(sets))
      + "designs, seed 42; paired bootstrap over holdout images, 2000 resamples, 95 % interval).\n")
print("The holdouts as built:\n")
config_table(out, "border", sets, configs, "`--trim-margins`")
if paper:
    print("\nThe same models on the holdouts drawn onto coloured paper (`tools/evalsets/on-paper.cjs`):\n")
    config_table(out, "border", paper, configs, "`--trim-margins`", holdout="holdout-paper.json",
                 set_names={s: s + " on paper" for s in paper})
PY
  cat "$out/$script.md"
}
