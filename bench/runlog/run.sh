#!/bin/sh
# Generates a 1,000,000-row AutoGen runtime-log database under /tmp (once) and
# prints how long runlog.OpenDB takes on it and its peak RSS.
# Targets: under 10 s and under 200 MB. On a busy machine compare the CPU
# time (user + system) with the wall time: OpenDB uses one worker per core.
# Usage: bench/runlog/run.sh [ROWS]
set -eu
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
DB=${RLD_BENCH_DB:-/tmp/runlog-$ROWS.db}
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
go build -o "$BIN/gen" ./bench/runlog/gen
go build -o "$BIN/analyse" ./bench/runlog/analyse
if [ ! -s "$DB" ]; then
	"$BIN/gen" -out "$DB" -rows "$ROWS"
fi
ls -l "$DB"
/usr/bin/time -v "$BIN/analyse" "$DB" 2>"$BIN/time.txt"
grep -E 'Elapsed \(wall clock\)|User time|System time|Percent of CPU|Maximum resident set size' "$BIN/time.txt"
# wall time depends on what else runs: report the load next to it
uptime
