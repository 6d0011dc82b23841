#!/usr/bin/env bash
# Whole-process measurements of the command line (issue 3's targets): a 100,000-item inline
# Map of one Pass with Parameters (Express) in <= 0.3 s and <= 150 MB RSS, and a chain of
# 10,000 Pass states in <= 50 ms. Prints the median wall time of 7 runs and the peak RSS,
# and exits 1 when a target is missed.
# Needs: time (Debian package name; /usr/bin/time reports the peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin asl-studio
BIN="$PWD/target/release/asl-studio"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/map.asl.json" <<'ASL'
{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Parameters": {"value.$": "$"}, "End": true}}}, "End": true}}}
ASL
{ printf '['; seq -s, 0 99999 | tr -d '\n'; printf ']'; } > "$WORK/items.json"
{
    printf '{"StartAt": "S0", "States": {'
    for i in $(seq 0 9998); do printf '"S%d": {"Type": "Pass", "Next": "S%d"}, ' "$i" $((i + 1)); done
    printf '"S9999": {"Type": "Pass", "End": true}}}'
} > "$WORK/chain.asl.json"

missed=0
measure() { # measure <label> <max ms> <max MB> <command...>
    local label=$1 max_ms=$2 max_mb=$3
    shift 3
    local times=() rss=0
    for _ in 1 2 3 4 5 6 7; do
        /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > /dev/null
        read -r seconds kilobytes < "$WORK/time"
        times+=("$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 1000 }')")
        [ "$kilobytes" -gt "$rss" ] && rss=$kilobytes
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)
    local mb=$((rss / 1024))
    local verdict=ok
    if [ "$median" -gt "$max_ms" ] || [ "$mb" -gt "$max_mb" ]; then verdict=MISSED; missed=1; fi
    printf '%-44s %5d ms (target %d)  %4d MB RSS (target %d)  %s\n' \
        "$label" "$median" "$max_ms" "$mb" "$max_mb" "$verdict"
}
measure "100,000-item inline Map (Express)" 300 150 \
    "$BIN" run "$WORK/map.asl.json" --input-file "$WORK/items.json" --type express \
    --payload-limit none --no-history --format json
measure "10,000-state Pass chain" 50 1000 \
    "$BIN" run "$WORK/chain.asl.json" --no-history --format json
exit $missed
