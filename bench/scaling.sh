#!/usr/bin/env bash
# bench/scaling.sh — how W1's time grows with each of its sizes (issue 15).
#
#   bench/scaling.sh BIN [ROUNDS]
#
# Runs `BIN run bench/one_run.lua` (W1: 64 contexts x 16 behaviours x 32
# features, 256 labels a round) with one size at a time multiplied by 4 and
# 16 (contexts 64..4,096, behaviours 16..256, features 32..512, labels
# 256..4,096; ROUNDS rounds, default 200 as in W1), measures each run's CPU
# time (perf stat's task-clock, so other jobs on the machine count less than
# in wall time; start-up and world building included)
# and prints per size the times and the exponent a of time ~ size^a fitted by
# least squares on the logarithms of the three points. One run per point:
# repeat it to see the noise. From the source folder.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/scaling.sh BIN [ROUNDS]" >&2; exit 2; }
bin=$1 rounds=${2:-200}
cpu() { # cpu ARGS...: CPU seconds of one run (perf's task-clock, else time's 10 ms ticks)
  if command -v perf >/dev/null; then
    perf stat -x, -e task-clock "$bin" run bench/one_run.lua rounds="$rounds" "$@" 2>&1 >/dev/null |
      grep task-clock | awk -F, '{ printf "%.3f", $1 / 1000 }'
  else
    /usr/bin/time -f "%U %S" "$bin" run bench/one_run.lua rounds="$rounds" "$@" 2>&1 >/dev/null |
      tail -1 | awk '{ printf "%.3f", $1 + $2 }'
  fi
}
echo "scaling: $bin, $rounds rounds, CPU seconds per run; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for spec in "contexts 64 256 1024 4096" "behaviours 16 64 256" "features 32 128 512" \
            "labels 256 1024 4096"; do
  set -- $spec
  name=$1; shift
  sizes=("$@") times=()
  for s in "${sizes[@]}"; do times+=("$(cpu "$name=$s")"); done
  echo "$name ${sizes[*]} : ${times[*]}" | awk -v name="$name" '{
    n = 0; for (i = 2; $i != ":"; i++) x[++n] = log($i)
    for (j = 1; j <= n; j++) y[j] = log($(i + j))
    sx = sy = sxx = sxy = 0
    for (j = 1; j <= n; j++) { sx += x[j]; sy += y[j]; sxx += x[j] * x[j]; sxy += x[j] * y[j] }
    a = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    printf "  %-10s", name
    for (j = 1; j <= n; j++) printf " %s: %.3f s", $(j + 1), $(i + j)
    printf "   exponent %.2f\n", a }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
