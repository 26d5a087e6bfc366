#!/usr/bin/env bash
# Does serving a head refitted on every image help? Trains ResNet18 on `sample --per-label N` (8 openclipart
# categories) and scores the served head (OUT/model) and the gate head (the same folder with gate-head.zip as head.zip)
# on the images of `sample --per-label 60` that the training sample does not hold (the pick is deterministic, so the
# small sample is a prefix of the large one). The table of docs/BACKBONES.md, "Serving a head refitted on every image".
#
#   scripts/refit-eval.sh [N...]            (default: 10 20; output under artifacts/refit-eval/)
# Needs a Release build (dotnet build Pipeline.sln -c Release) and the prepared ResNet18 under the data root.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
cli=(dotnet service/bin/Release/net10.0/Pipeline.Service.dll)
root="${Pipeline__DataRoot:-artifacts/test-data}"
out="$repo/artifacts/refit-eval"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10 20)
mkdir -p "$out"
rm -rf "$out/large" && "${cli[@]}" sample --out "$out/large" --per-label 60 --data-root "$root" > /dev/null
echo "| per label | unseen images | macro: gate | macro: served | log-loss: gate | log-loss: served |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  run="$out/n$n"; rm -rf "$run"; mkdir -p "$run/unseen"
  "${cli[@]}" sample --out "$run/small" --per-label "$n" --data-root "$root" > /dev/null
  for label in "$out"/large/*/; do
    name="$(basename "$label")"; mkdir -p "$run/unseen/$name"
    for file in "$label"*; do [ -e "$run/small/$name/$(basename "$file")" ] || cp "$file" "$run/unseen/$name/"; done
  done
  "${cli[@]}" train --data "$run/small" --out "$run/out" --architectures Resnet18 --no-combine --data-root "$root" > "$run/train.log" 2>&1
  cp -r "$run/out/model" "$run/gate" && mv -f "$run/gate/gate-head.zip" "$run/gate/head.zip"
  "${cli[@]}" evaluate --model "$run/gate" --model "$run/out/model" --data "$run/unseen" --data-root "$root" > "$run/evaluate.jsonl"
  python3 - "$n" "$run/evaluate.jsonl" <<'PY'
import json, sys
gate, served = [json.loads(line) for line in open(sys.argv[2])]
print(f"| {sys.argv[1]} | {gate['images']} | {gate['macroAccuracy']:.3f} | {served['macroAccuracy']:.3f} | {gate['logLoss']:.3f} | {served['logLoss']:.3f} |")
PY
done
