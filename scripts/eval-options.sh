# The two options the eval scripts without train options share (sourced first, before eval-common.sh builds anything):
#   read_eval_options USAGE_SETS "$@"   reads --sets LIST into $sets and --out DIR into $out (defaults: the caller's),
#                                       and prints a usage naming USAGE_SETS for anything else.
read_eval_options() {
  local usage_sets="$1"; shift
  while (( $# )); do
    case "$1" in
      --sets) sets="$2"; shift 2 ;;
      --out) out="$(realpath -m "$2")"; shift 2 ;;
      *) echo "usage: $0 [--sets $usage_sets] [--out DIR]" >&2; exit 2 ;;
    esac
  done
}
