#!/usr/bin/env bash
# bench/same_bytes.sh — does a build write the same bytes as before a change?
#
#   bench/same_bytes.sh BIN OUT [REF]
#
# Runs with BIN (e.g. build/oversim) every shipped script (scripts/*.lua and
# scripts/examples/*.lua, default options; page.lua into OUT/page) writing its
# CSVs into OUT, `BIN demo`'s text, and bench/same_bytes_runs.lua (W1 seeds 1-3,
# a short W2, BFGS, Adam, PPO and exact-gradient runs, W1 at 4,096 contexts and
# at 256 behaviours x 512 features, every number as a hex float) into
# OUT/runs.txt. With REF (an OUT of an earlier build), compares every CSV and
# text file byte for byte (manifests are not compared: they name OUT) and
# exits 1 on any difference or missing file. Takes about 30 s. From the
# source folder; the usual use, around a change:
#
#   git stash; cmake --build build; bench/same_bytes.sh build/oversim /tmp/ref
#   git stash pop; cmake --build build; bench/same_bytes.sh build/oversim /tmp/new /tmp/ref
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: bench/same_bytes.sh BIN OUT [REF]" >&2
  exit 2
fi
bin=$(realpath "$1") out=$2 ref=${3:-}
rm -rf "$out"
mkdir -p "$out"
for s in scripts/*.lua scripts/examples/*.lua; do
  name=$(basename "$s" .lua)
  case "$name" in
    demo|review_world) continue ;; # demo: below; review_world: a scenario the examples load
    page) "$bin" run "$s" out="$out/page" --quiet >/dev/null ;;
    *) "$bin" run "$s" out="$out/$name.csv" --quiet >/dev/null ;;
  esac
done
(cd "$out" && "$bin" demo >demo.txt 2>&1) || { echo "same_bytes: demo failed" >&2; exit 1; }
"$bin" run bench/same_bytes_runs.lua --quiet >"$out/runs.txt"
[ -z "$ref" ] && { echo "same_bytes: wrote $out"; exit 0; }
status=0 n=0
while IFS= read -r f; do
  n=$((n + 1))
  if [ ! -f "$out/$f" ]; then
    echo "same_bytes: missing $f" >&2; status=1
  elif ! cmp -s "$ref/$f" "$out/$f"; then
    echo "same_bytes: DIFFERS $f" >&2; status=1
  fi
done < <(cd "$ref" && find . -type f ! -name '*.manifest' | sort)
extra=$(comm -13 <(cd "$ref" && find . -type f ! -name '*.manifest' | sort) \
                 <(cd "$out" && find . -type f ! -name '*.manifest' | sort))
[ -n "$extra" ] && { echo "same_bytes: files not in $ref: $extra" >&2; status=1; }
[ $status -eq 0 ] && echo "same_bytes: $n files byte-identical to $ref"
exit $status
