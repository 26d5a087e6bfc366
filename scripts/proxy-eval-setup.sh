# The start the proxy evals that take only --sets and --out share (border-, nsfwjs-trim-, outline-, progress-, style-
# and trim-eval.sh; sourced, not run): `source scripts/proxy-eval-setup.sh DEFAULT_SETS "$@"` sets $repo (and works
# there), reads --sets into $sets (default DEFAULT_SETS) and --out into $out (default artifacts/holdout-eval, where the
# proxy sets are built once and shared), then sources eval-common.sh, which builds the CLI.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
sets="$1"; shift
out="$repo/artifacts/holdout-eval"
source "$repo/scripts/eval-options.sh"
read_eval_options "$sets" "$@"
source "$repo/scripts/eval-common.sh"
