#!/usr/bin/env bash
# Log-scan benchmark: our streaming scan of a large log against
# `grep -cE '429|Retrying request|rate limit' FILE` on the same file.
# Runs the two alternately (RUNS times, default 5, so a load spike on a busy
# machine hits both) and prints the medians, the ratio (target <= 3x) and our
# peak RSS (target < 100 MB whatever the size).
#
#   bench/logs/run.sh [SIZE] [FILE]      e.g. bench/logs/run.sh 100MB /tmp/bench.log
#
# The log is generated (never committed). With RLD_BENCH_CLI=1 the full
# `ratelimit-doctor diagnose FILE` is timed instead of the bare scanner.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE=${1:-100MB}
FILE=${2:-/tmp/rld-bench-$SIZE.log}
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT

if [ ! -f "$FILE" ]; then
  echo "generating $SIZE log at $FILE"
  go run ./bench/logs/gen -size "$SIZE" -o "$FILE"
fi
if [ "${RLD_BENCH_CLI:-0}" = 1 ]; then
  go build -o "$BIN/ours" .
  OURS=("$BIN/ours" diagnose --format json --fail-on never "$FILE")
  WHAT="ratelimit-doctor diagnose"
else
  go build -o "$BIN/ours" ./bench/logs/scan
  OURS=("$BIN/ours" "$FILE")
  WHAT="logscan.Scan"
fi
cat "$FILE" > /dev/null # warm the page cache for both

# run CMD...: prints "wall cpu maxrss_kb" of one run. Output goes to a file,
# not /dev/null: GNU grep stops at the first match when its output is /dev/null.
run() {
  /usr/bin/time -f '%e %U %S %M' -o "$BIN/time" "$@" > "$BIN/out" || true
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$BIN/time"
}
RUNS=${RUNS:-5}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

gw=(); gc=(); ow=(); oc=(); rss=0
for _ in $(seq "$RUNS"); do
  read -r w c _ < <(run grep -cE '429|Retrying request|rate limit' "$FILE"); gw+=("$w"); gc+=("$c")
  read -r w c m < <(run "${OURS[@]}"); ow+=("$w"); oc+=("$c")
  [ "$m" -gt "$rss" ] && rss=$m
done
GW=$(median "${gw[@]}"); GC=$(median "${gc[@]}")
OW=$(median "${ow[@]}"); OC=$(median "${oc[@]}")
BYTES=$(stat -c %s "$FILE")
ratio() { echo "scale=2; $1 / $2" | bc -l; }

printf 'file:     %s (%d MB), %s cores, load %s\n' "$FILE" $((BYTES / 1048576)) "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'grep:     %.2f s wall, %.2f s CPU  (grep -cE, median of %d)\n' "$GW" "$GC" "$RUNS"
printf 'ours:     %.2f s wall, %.2f s CPU  (%s, median of %d)\n' "$OW" "$OC" "$WHAT" "$RUNS"
printf 'ratio:    %sx wall, %sx CPU  (target <= 3x)\n' "$(ratio "$OW" "$GW")" "$(ratio "$OC" "$GC")"
printf 'peak RSS: %d MB  (target < 100 MB)\n' $((rss / 1024))
"${OURS[@]}" | head -c 400; echo
