#!/usr/bin/env bash
# tests/mpi/run.sh — sweeps across MPI ranks (the -DOVERSIM_MPI=ON build):
# `mpirun -n 3 oversim run` of a one-sweep script (compare_overseers) and of a
# two-sweep one (the page, with recursive overseers) writes the bytes one
# process writes, as do 2 ranks; a run that fails on whichever rank makes the
# whole job fail with that run's message; --shard under mpirun is refused.
#
#   tests/mpi/run.sh MPI_OVERSIM [OVERSIM]   (the MPI build, the default build)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MPIBIN=$(readlink -f "${1:-build-mpi/oversim}")
BIN=$(readlink -f "${2:-build/oversim}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
mpi() { mpirun --allow-run-as-root --oversubscribe -n "$@"; }
fail() { echo "mpi test: $*" >&2; exit 1; }

S=$ROOT/scripts/examples/compare_overseers.lua
"$BIN" run "$S" seeds=3 rounds=6 out=one/c.csv --quiet >/dev/null
for n in 2 3; do
  mpi "$n" "$MPIBIN" run "$S" seeds=3 rounds=6 out=mpi$n/c.csv --quiet >/dev/null
  cmp one/c.csv mpi$n/c.csv || fail "$n ranks: c.csv differs from one process's"
  cmp one/c_policy.csv mpi$n/c_policy.csv || fail "$n ranks: c_policy.csv differs"
done

P=$ROOT/scripts/page.lua
A=(seeds=2 rounds=4 kinds=human,recursive competence=0,3 unsure=looks labels=16 kl=0.5 depth=1
   realism=0,1 cue=3 budget=0,4)
"$BIN" run "$P" "${A[@]}" out=page-one --quiet >/dev/null
mpi 3 "$MPIBIN" run "$P" "${A[@]}" out=page-mpi --quiet >/dev/null
for f in index.html oversight.csv oversight_policy.csv catastrophe.csv; do
  cmp "page-one/$f" "page-mpi/$f" || fail "the page's $f differs under 3 ranks"
done

# a failing run: the job fails, with the run's message
if mpi 3 "$MPIBIN" run "$ROOT/tests/mpi/fail.lua" --quiet >out.txt 2>&1; then
  fail "a diverging run did not fail the job"
fi
grep -q "run 3 of the sweep" out.txt || { cat out.txt >&2; fail "no message naming run 3"; }
grep -q "training diverged" out.txt || { cat out.txt >&2; fail "no divergence message"; }
! grep -q "not reached" out.txt || fail "the script went on after the failure"

if mpi 2 "$MPIBIN" run "$S" --shard 1/2 >out.txt 2>&1; then fail "--shard under mpirun ran"; fi
grep -q "leave out --shard" out.txt || { cat out.txt >&2; fail "no message about --shard"; }
echo "mpi test: 2 and 3 ranks write the bytes of one process; a failing rank fails the job" >&2
