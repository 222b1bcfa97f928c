#!/usr/bin/env bash
# Log-scan benchmark: our streaming scan of a large log against
# `grep -cE '429|Retrying request|rate limit' FILE` on the same file.
# Prints the median of 3 runs of each, the ratio (target <= 3x) and our peak
# RSS (target < 100 MB whatever the size).
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

# secs CMD...: wall seconds of one run (output discarded)
secs() {
  local s e
  s=$(date +%s.%N)
  "$@" > /dev/null || true
  e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

g=(); o=()
for _ in 1 2 3; do
  g+=("$(secs grep -cE '429|Retrying request|rate limit' "$FILE")")
  o+=("$(secs "${OURS[@]}")")
done
G=$(median3 "${g[@]}")
O=$(median3 "${o[@]}")
RSS=$( { /usr/bin/time -v "${OURS[@]}" > /dev/null; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}')
BYTES=$(stat -c %s "$FILE")

printf 'file:     %s (%d MB)\n' "$FILE" $((BYTES / 1048576))
printf 'grep:     %.3f s  (grep -cE, median of 3)\n' "$G"
printf 'ours:     %.3f s  (%s, median of 3)\n' "$O" "$WHAT"
printf 'ratio:    %.2fx  (target <= 3x)\n' "$(echo "$O / $G" | bc -l)"
printf 'peak RSS: %d MB  (target < 100 MB)\n' $((RSS / 1024))
"${OURS[@]}" | head -c 400; echo
