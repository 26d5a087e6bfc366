# Shared by scripts/backbones-eval.sh and scripts/holdout-eval.sh (sourced, not run): the architectures and seed they
# compare, the Release build, the CLI on a data root under $out, and a jq number format for their tables.

# Every offline architecture, named, so the tables also show the ones outside the default set.
# ARCHITECTURES narrows them (a quicker run on a loaded machine); the tables say which were run.
architectures="${ARCHITECTURES:-RawPixels,MobilenetV2,InceptionV3,Resnet18,Resnet18Spatial}"
seed=42
"$repo/scripts/setup.sh"
dotnet build "$repo/service" -c Release -nologo -v quiet
# The verb comes first: an argument list that does not start with a verb starts the service instead.
cli() { local verb="$1"; shift; dotnet run -c Release --no-build --project "$repo/service" -- "$verb" --data-root "$out/root" "$@"; }

# f: three decimals, zero-padded; sf: the same with a sign.
jq_format='def f: (. * 1000 | round / 1000 | tostring | if test("\\.") then . else . + ".0" end
                  | if test("\\.[0-9]$") then . + "00" elif test("\\.[0-9][0-9]$") then . + "0" else . end);
           def sf: if . < 0 then "-" + (-. | f) else "+" + f end;'

# The cross-design proxies (holdout-eval, views-eval, finetune-eval): build one under $out/sets, and the file-name
# group key of its designs (vendor, deck) for --group-by.
build_proxy_set() {
  case "$1" in
    emoji)
      [[ -d "$repo/tools/evalsets/node_modules/emoji-datasource-apple" ]] ||
        (cd "$repo/tools/evalsets" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
      node "$repo/tools/evalsets/emoji.cjs" "$out/sets/emoji" ;;
    cards) "$repo/tools/evalsets/cards.sh" "$out/sets/cards" ;;
    *) echo "unknown set '$1' (emoji or cards)" >&2; exit 2 ;;
  esac
}

group_key() {
  case "$1" in
    emoji) echo "before:-" ;;
    cards) echo "before:." ;;
  esac
}
