#!/usr/bin/env bash
# bench/scale.sh — the scale of a sweep across processes on this machine: the
# same sweep of RUNS W1-sized runs (bench/scale.lua) as one process with one
# worker, one process with 2 workers, 2 shards at once then their merge, and
# mpirun with 2 worker ranks (plus rank 0, which hands out runs and gathers);
# wall time, efficiency against the single worker, the merge's and the
# gathering's overhead, and a check that every variant wrote the same bytes.
#
#   bench/scale.sh [RUNS] [ROUNDS]     (default 2000 runs of 50 rounds)
# Needs build/oversim and, for the MPI line, build-mpi/oversim (./run.sh mpi).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-2000}
ROUNDS=${2:-50}
BIN=$ROOT/build/oversim
MPIBIN=$ROOT/build-mpi/oversim
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
A=(runs="$RUNS" rounds="$ROUNDS")
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

t0=$(now); "$BIN" run "$ROOT/bench/scale.lua" "${A[@]}" workers=1 out=one/s.csv --quiet; t1=$(now)
serial=$(secs "$t0" "$t1")
t0=$(now); "$BIN" run "$ROOT/bench/scale.lua" "${A[@]}" workers=2 out=two/s.csv --quiet; t1=$(now)
threads=$(secs "$t0" "$t1")
t0=$(now)
for i in 1 2; do
  "$BIN" run "$ROOT/bench/scale.lua" "${A[@]}" workers=1 out=sh/s.csv --shard "$i/2" --quiet 2>/dev/null &
done
wait
t1=$(now)
"$BIN" merge "$ROOT/bench/scale.lua" "${A[@]}" workers=1 out=sh/s.csv --quiet
t2=$(now)
shards=$(secs "$t0" "$t1"); merge=$(secs "$t1" "$t2")
cmp one/s.csv two/s.csv && cmp one/s.csv sh/s.csv
mpi="-"
if [ -x "$MPIBIN" ] && command -v mpirun >/dev/null; then
  t0=$(now)
  mpirun --allow-run-as-root --oversubscribe -n 3 "$MPIBIN" run "$ROOT/bench/scale.lua" \
    "${A[@]}" workers=1 out=mpi/s.csv --quiet
  t1=$(now)
  mpi=$(secs "$t0" "$t1")
  cmp one/s.csv mpi/s.csv
fi
per=$(calc "$serial / $RUNS")
eff() { calc "$serial / (2 * $1)"; }
printf 'scale: %d W1-sized runs of %d rounds; every variant wrote the same bytes\n' "$RUNS" "$ROUNDS"
printf '  one process, 1 worker      %7.1f s  (%.1f ms a run)\n' "$serial" "$(calc "$per * 1000")"
printf '  one process, 2 workers     %7.1f s  efficiency %.2f\n' "$threads" "$(eff "$threads")"
printf '  2 shards at once + merge   %7.1f s  efficiency %.2f (the merge: %.1f s)\n' \
  "$(calc "$shards + $merge")" "$(eff "$(calc "$shards + $merge")")" "$merge"
if [ "$mpi" != "-" ]; then
  printf '  mpirun, 2 worker ranks     %7.1f s  efficiency %.2f\n' "$mpi" "$(eff "$mpi")"
fi
