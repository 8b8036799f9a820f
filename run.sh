#!/usr/bin/env bash
# run.sh — install what is missing, build, and run oversim.
#   ./run.sh          install, build (build/), run scripts/naive_rlhf.lua and
#                     plot its CSV (results/figures/)
#   ./run.sh demo     install, build, run the teaching demo (oversim demo)
#   ./run.sh page     install, build, write the teaching page to results/page/
#                     (oversim demo --html; open results/page/index.html)
#   ./run.sh test     install, build, run the test suite (ctest)
#   ./run.sh asan     the test suite under AddressSanitizer + UBSan (build-asan/)
#   ./run.sh fuzz [SECONDS]
#                     the libFuzzer targets of tests/fuzz (clang, build-fuzz/),
#                     SECONDS each (default 30), with the seed corpus and the
#                     dictionary; fails on any crash, copied to
#                     build-fuzz/crashes/<target>/ (see tests/fuzz/CMakeLists.txt)
#   ./run.sh valgrind the shipped scripts at tiny sizes under valgrind's
#                     memcheck (build/, outputs to a temporary folder)
#   ./run.sh bench    the benchmark (bench/run.lua) on a Release build (build-rel/),
#                     with its peers in numpy and PyTorch (bench/peers/; Debian's
#                     python3-numpy and python3-torch, installed when missing; a
#                     peer whose package cannot be installed is skipped)
#   ./run.sh slurm    a real single-node Slurm (slurmctld, slurmd, munged started
#                     and stopped by tests/slurm/run.sh; root): a job array of
#                     shards and its merge write the bytes of one process
#   ./run.sh mpi      the MPI build (build-mpi/, -DOVERSIM_MPI=ON, OpenMPI) and
#                     tests/mpi/run.sh: mpirun -n 2 and 3 write the bytes of one
#                     process; a failing run fails the job
#   ./run.sh install-test
#                     build, install into a temporary prefix and use it from
#                     elsewhere: the command, a stock lua5.4's require
#                     "oversim", pkg-config, a moved prefix, and (as root) the
#                     Debian package built by cpack, installed and removed
#                     (tests/install/run.sh)
#   ./run.sh mutants  mutation testing: tests/mutate/mutants.txt applied one at a
#                     time to a scratch copy, each must fail a core test
#                     (build-mutants/; extra arguments go to tests/mutate/run.sh)
# With OVERSIM_BLAS=openblas in the environment, any of these links OpenBLAS for
# matrix products instead (build folders get the suffix -openblas).
#   ./run.sh build    install and build only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="build-essential cmake pkg-config libgsl-dev liblua5.4-dev libcsv-dev libcmocka-dev
          gnuplot-nox"

# OVERSIM_BLAS=openblas: link OpenBLAS (build folders get the suffix -openblas)
BLAS=${OVERSIM_BLAS:-gsl}
SUFFIX=""
if [ "$BLAS" = openblas ]; then PACKAGES="$PACKAGES libopenblas-dev"; SUFFIX=-openblas; fi
# the fuzz and valgrind modes need their tools (libFuzzer: clang's runtime)
# the test suite drives the teaching page in headless Chromium (tests/test_page.c)
case "${1:-}" in
  fuzz) PACKAGES="$PACKAGES clang libclang-rt-dev" ;;
  valgrind) PACKAGES="$PACKAGES valgrind" ;;
  test|asan) PACKAGES="$PACKAGES chromium" ;;
  slurm) PACKAGES="$PACKAGES slurm-wlm munge" ;;
  mpi) PACKAGES="$PACKAGES libopenmpi-dev openmpi-bin" ;;
  install-test) PACKAGES="$PACKAGES lua5.4 groff-base" ;; # a stock interpreter; man page check
esac

# install_optional PKG...: install what is missing and installable, never fail
# (the benchmark's Python peers: bench/run.lua skips one it cannot import)
install_optional() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: not root: the benchmark's peers need ${missing[*]} (skipped if absent)" >&2
    return 0
  fi
  echo "run.sh: installing ${missing[*]} (optional: the benchmark's peers)" >&2
  apt-get update -qq || true
  for p in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null ||
      echo "run.sh: could not install $p; its peer is skipped" >&2
  done
}

install_missing() {
  local missing=()
  for p in $PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=sudo; else
      echo "run.sh: missing Debian packages: ${missing[*]} (run as root or install them)" >&2
      exit 1
    fi
  fi
  echo "run.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() { # build DIR [cmake options...]; DIR gets -openblas with OVERSIM_BLAS=openblas
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOVERSIM_BLAS="$BLAS" "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null
}

# fuzz SECONDS: build the targets of tests/fuzz with clang into build-fuzz/ and
# run each for SECONDS, new inputs kept in build-fuzz/corpus/<target>/ (the
# committed seeds in tests/fuzz/corpus/ are only read). Any crash, leak,
# sanitizer report, timeout (-timeout=10 s per input) or RSS over 2 GB fails;
# its input is copied to build-fuzz/crashes/<target>/. To keep one as a
# regression test, move it to tests/fuzz/crashes/<target>/ (ctest replays it).
fuzz() {
  local seconds=$1 failed=()
  case "$seconds" in ''|*[!0-9]*) echo "run.sh: fuzz takes a number of seconds (got '$seconds')" >&2; exit 1 ;; esac
  CC=clang build build-fuzz -DCMAKE_C_COMPILER=clang -DOVERSIM_FUZZ=ON -DOVERSIM_TESTS=OFF
  rm -rf build-fuzz/crashes # this run's crashes only
  for t in read_csv spec episodes scenario plot; do
    local work="build-fuzz/corpus/$t" crashes="build-fuzz/crashes/$t"
    mkdir -p "$work" "$crashes"
    echo "run.sh: fuzzing $t for ${seconds}s" >&2
    if ! "./build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -timeout=10 -dict=tests/fuzz/oversim.dict -artifact_prefix="$crashes/" \
        -print_final_stats=1 "$work" "tests/fuzz/corpus/$t" >"build-fuzz/fuzz_$t.log" 2>&1; then
      failed+=("$t")
      grep -E "ERROR|runtime error|fuzz:|SUMMARY" "build-fuzz/fuzz_$t.log" | head -5 >&2 || true
    fi
    grep -E "^stat::number_of_executed_units|^Done" "build-fuzz/fuzz_$t.log" | head -1 >&2 || true
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "run.sh: fuzz: crashes in ${failed[*]}; inputs in build-fuzz/crashes/, logs in build-fuzz/fuzz_<target>.log" >&2
    ls -l build-fuzz/crashes/*/ >&2
    exit 1
  fi
  echo "run.sh: fuzz: no crash in ${seconds}s per target" >&2
}

# valgrind_scripts OVERSIM: every shipped script at tiny sizes under memcheck,
# its outputs in a temporary folder; fails on any error or leak
valgrind_scripts() {
  local bin=$1 tmp status=0
  tmp=$(mktemp -d)
  local -a runs=(
    "scripts/naive_rlhf.lua seeds=1 rounds=3 labels=8"
    "scripts/assistance.lua seeds=1 rounds=2 labels=8 ladder=2"
    "scripts/optimisers.lua seeds=1 rounds=2 labels=8"
    "scripts/label_efficiency.lua seeds=1 rounds=2 budget=16 ensemble=2"
    "scripts/overoptimization.lua seeds=1 rounds=3 labels=8"
    "scripts/overjustification.lua seeds=1 rounds=3 labels=8"
    "scripts/examples/compare_overseers.lua seeds=1 rounds=2 labels=8"
    "scripts/examples/competence_budget.lua seeds=1 rounds=2"
    "scripts/examples/dpo_vs_bon.lua seeds=1 rounds=2"
    "scripts/control.lua n=200 trials=20"
    "scripts/lie_in_wait.lua seeds=1 rounds=2 labels=8"
    "scripts/red_team.lua seeds=1 rounds=2 labels=8 budget=2"
    "scripts/absent_supervisor.lua seeds=1 rounds=2 pairs=8"
    "scripts/tomato_watering.lua seeds=1 rounds=2 pairs=8"
    "scripts/myopia.lua seeds=1 rounds=2 pairs=8"
    "scripts/weak_to_strong.lua seeds=1 labels=64 weak=2 salience=0,3"
    "scripts/elicitation.lua seeds=1 budget=16 capabilities=0,3"
    "scripts/debate.lua seeds=1 rounds=2 kmax=2 levels=2"
    "scripts/page.lua seeds=1 rounds=2 kinds=human,assisted,recursive competence=0,2 unsure=looks recall=1 honesty=1 depth=1 labels=8 kl=0.5 realism=1 cue=3 budget=0,2"
  )
  for r in "${runs[@]}"; do
    local script=${r%% *} name
    name=$(basename "$script" .lua)
    echo "run.sh: valgrind $r" >&2
    # shellcheck disable=SC2086 # the options are words
    if ! valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
        --log-file="$tmp/$name.valgrind" "$bin" run $r out="$tmp/$name.csv" --quiet >/dev/null; then
      status=1
      echo "run.sh: valgrind: $r failed:" >&2
      grep -E "==[0-9]+== (Invalid|Conditional|Use of|Mismatched|.*definitely|.*indirectly|ERROR SUMMARY)" \
        "$tmp/$name.valgrind" | head -20 >&2 || tail -20 "$tmp/$name.valgrind" >&2
    fi
  done
  # oversim plot on one of those CSVs: read_csv and analysis/plot.lua (gnuplot,
  # its child, is not traced: not ours)
  echo "run.sh: valgrind oversim plot" >&2
  if ! valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
      --log-file="$tmp/plot.valgrind" "$bin" plot "$tmp/naive_rlhf.csv" --out "$tmp/figures" >/dev/null; then
    status=1
    echo "run.sh: valgrind: oversim plot failed:" >&2
    tail -20 "$tmp/plot.valgrind" >&2
  fi
  rm -rf "$tmp"
  return $status
}

install_missing
case "${1:-run}" in
  run)
    build "build$SUFFIX"
    "./build$SUFFIX/oversim" run scripts/naive_rlhf.lua
    "./build$SUFFIX/oversim" plot results/naive_rlhf.csv
    ;;
  demo)
    build "build$SUFFIX"
    "./build$SUFFIX/oversim" demo
    ;;
  page)
    build "build$SUFFIX"
    "./build$SUFFIX/oversim" demo --html results/page "${@:2}"
    ;;
  test)
    build "build$SUFFIX"
    ctest --test-dir "build$SUFFIX" --output-on-failure
    ;;
  asan)
    build "build-asan$SUFFIX" -DOVERSIM_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "build-asan$SUFFIX" --output-on-failure
    ;;
  fuzz)
    fuzz "${2:-30}"
    ;;
  valgrind)
    build "build$SUFFIX"
    valgrind_scripts "./build$SUFFIX/oversim"
    ;;
  bench)
    install_optional python3-numpy python3-torch
    build "build-rel$SUFFIX" -DCMAKE_BUILD_TYPE=Release -DOVERSIM_TESTS=OFF
    cmake --build "build-rel$SUFFIX" --target oversim_peak -- --no-print-directory >/dev/null
    echo "oversim benchmark, matrix products: $BLAS"
    # Debian's python3, where python3-numpy and python3-torch install (a python3
    # earlier on PATH, e.g. pyenv's, may not have them)
    py=python3
    [ -x /usr/bin/python3 ] && py=/usr/bin/python3
    "./build-rel$SUFFIX/oversim" run bench/run.lua bin="./build-rel$SUFFIX/oversim" python="$py" \
      peak="./build-rel$SUFFIX/oversim_peak" "${@:2}"
    ;;
  install-test)
    build "build$SUFFIX"
    tests/install/run.sh "build$SUFFIX"
    ;;
  mutants)
    tests/mutate/run.sh "${@:2}"
    ;;
  slurm)
    build "build$SUFFIX"
    tests/slurm/run.sh "./build$SUFFIX/oversim"
    ;;
  mpi)
    build "build$SUFFIX"
    build "build-mpi$SUFFIX" -DOVERSIM_MPI=ON -DOVERSIM_TESTS=OFF
    tests/mpi/run.sh "./build-mpi$SUFFIX/oversim" "./build$SUFFIX/oversim"
    ;;
  build)
    build "build$SUFFIX"
    ;;
  *)
    echo "usage: ./run.sh [run|demo|page|test|asan|fuzz [SECONDS]|valgrind|bench|install-test|mutants|slurm|mpi|build]" >&2
    exit 1
    ;;
esac
