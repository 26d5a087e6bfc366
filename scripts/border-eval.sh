#!/usr/bin/env bash
# Measures trimming margins of any colour (`train --trim-margins Border`, the default until `Paper`: scripts/paper-eval.sh)
# against trimming white margins only (`--trim-margins White`, the rule before it) on the cross-design proxies and the
# clip-art holdout, each scored through `evaluate --per-image` on its holdout as built and on the same holdout drawn
# onto coloured paper (tools/evalsets/on-paper.cjs: paper tones and light colours, the training images left as they
# are); differences against White with a paired bootstrap 95 % interval over the holdout images.
#
#   scripts/border-eval.sh [--sets emoji-lineart,emoji-glyphs,emoji,cards,clipart] [--out artifacts/holdout-eval]
#
# The sets: as scripts/trim-eval.sh. Only transparent pixels take the paper's colour, so two sets are not drawn onto
# paper: a card fills its frame (only its corners would change), and the Symbola glyphs are opaque, black on white. Each configuration featurises every image once (the feature key holds the resize
# mode), so `train` s is a cold first run where the other scripts have not run with it before.
# Output: <out>/border/<set>-<config>/ (report.json, holdout.json, holdout-paper.json) and <out>/border-eval.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/proxy-eval-setup.sh" "emoji-lineart,emoji-glyphs,emoji,cards,clipart" "$@"

compare_trimmings_on_paper border-eval white=White border=Border
