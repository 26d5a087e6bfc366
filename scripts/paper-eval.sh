#!/usr/bin/env bash
# Measures reading a tinted margin as white paper (`train --trim-margins Paper`, the default) against keeping its tint
# (`--trim-margins Border`, the rule before it) on the cross-design proxies and the clip-art holdout, each scored
# through `evaluate --per-image` on its holdout as built and on the same holdout drawn onto coloured paper
# (tools/evalsets/on-paper.cjs, as scripts/border-eval.sh draws it); differences against Border with a paired bootstrap
# 95 % interval over the holdout images.
#
#   scripts/paper-eval.sh [--sets emoji-lineart,emoji-glyphs,emoji,cards,clipart] [--out artifacts/holdout-eval]
#
# The Border runs are scripts/border-eval.sh's (<out>/border/<set>-border), trained here when that script has not run.
# Output: <out>/border/<set>-paper/ (report.json, holdout.json, holdout-paper.json) and <out>/paper-eval.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/proxy-eval-setup.sh" "emoji-lineart,emoji-glyphs,emoji,cards,clipart" "$@"

compare_trimmings_on_paper paper-eval border=Border "paper=Paper=Paper (default)"
