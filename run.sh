#!/usr/bin/env bash
# run.sh — install what is missing, build, and run oversim.
#   ./run.sh          install, build (build/), run scripts/naive_rlhf.lua and
#                     plot its CSV (results/figures/)
#   ./run.sh demo     install, build, run the teaching demo (oversim demo)
#   ./run.sh test     install, build, run the test suite (ctest)
#   ./run.sh asan     the test suite under AddressSanitizer + UBSan (build-asan/)
#   ./run.sh bench    the benchmark (bench/run.lua) on a Release build (build-rel/)
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
  test)
    build "build$SUFFIX"
    ctest --test-dir "build$SUFFIX" --output-on-failure
    ;;
  asan)
    build "build-asan$SUFFIX" -DOVERSIM_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "build-asan$SUFFIX" --output-on-failure
    ;;
  bench)
    build "build-rel$SUFFIX" -DCMAKE_BUILD_TYPE=Release -DOVERSIM_TESTS=OFF
    echo "oversim benchmark, matrix products: $BLAS"
    "./build-rel$SUFFIX/oversim" run bench/run.lua "${@:2}"
    ;;
  mutants)
    tests/mutate/run.sh "${@:2}"
    ;;
  build)
    build "build$SUFFIX"
    ;;
  *)
    echo "usage: ./run.sh [run|demo|test|asan|bench|mutants|build]" >&2
    exit 1
    ;;
esac
