#!/bin/bash
# cluster/submit.sh — submit an oversim script as a Slurm job array of N shards
# and a merge job that runs when all of them succeeded:
#
#   cluster/submit.sh N SCRIPT.lua [name=value ...]
#
# Prints the two job ids ("array <id> merge <id>"). The parts go to
# $OVERSIM_PARTS (default: oversim-parts/<time>-<pid> in the submitting
# folder), the outputs where the script writes them, as one process would.
# Extra sbatch options (a partition, a time limit) go in $SBATCH_OPTIONS.
# The binary is $OVERSIM, else oversim on PATH.
set -euo pipefail
n=${1:?usage: submit.sh N SCRIPT.lua [name=value ...]}
shift
[ $# -ge 1 ] || { echo "usage: submit.sh N SCRIPT.lua [name=value ...]" >&2; exit 2; }
case "$n" in ''|*[!0-9]*|0) echo "submit.sh: N must be a number of shards >= 1 (got '$n')" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
export OVERSIM=${OVERSIM:-$(command -v oversim || true)}
[ -n "$OVERSIM" ] || { echo "submit.sh: no oversim on PATH (set OVERSIM to the binary)" >&2; exit 2; }
export OVERSIM_PARTS=${OVERSIM_PARTS:-$PWD/oversim-parts/$(date +%s)-$$}
mkdir -p "$OVERSIM_PARTS"
# shellcheck disable=SC2086 # SBATCH_OPTIONS is a list of options
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --export=ALL --array=1-"$n" \
        "$here/sweep.sbatch" shard "$@")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTIONS:-} --export=ALL --dependency=afterok:"${array%%;*}" \
        "$here/sweep.sbatch" merge "$@")
echo "array ${array%%;*} merge ${merge%%;*}"
