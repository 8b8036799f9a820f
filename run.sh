#!/usr/bin/env bash
# run.sh — install what is missing, build, and run oversim.
#   ./run.sh          install, build (build/), run scripts/naive_rlhf.lua and
#                     plot its CSV (results/figures/)
#   ./run.sh demo     install, build, run the teaching demo (oversim demo)
#   ./run.sh test     install, build, run the test suite (ctest)
#   ./run.sh asan     the test suite under AddressSanitizer + UBSan (build-asan/)
#   ./run.sh bench    the benchmark (bench/run.lua) on a Release build (build-rel/);
#                     OVERSIM_BLAS=openblas ./run.sh bench links OpenBLAS instead
#                     (build-rel-openblas/)
#   ./run.sh build    install and build only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="build-essential cmake pkg-config libgsl-dev liblua5.4-dev libcsv-dev libcmocka-dev
          gnuplot-nox"

BLAS=${OVERSIM_BLAS:-gsl}
[ "$BLAS" = openblas ] && PACKAGES="$PACKAGES libopenblas-dev"

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

build() { # build DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null
}

install_missing
case "${1:-run}" in
  run)
    build build
    ./build/oversim run scripts/naive_rlhf.lua
    ./build/oversim plot results/naive_rlhf.csv
    ;;
  demo)
    build build
    ./build/oversim demo
    ;;
  test)
    build build
    ctest --test-dir build --output-on-failure
    ;;
  asan)
    build build-asan -DOVERSIM_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure
    ;;
  bench)
    dir=build-rel
    [ "$BLAS" = gsl ] || dir=build-rel-$BLAS
    build "$dir" -DCMAKE_BUILD_TYPE=Release -DOVERSIM_TESTS=OFF -DOVERSIM_BLAS="$BLAS"
    echo "oversim benchmark, matrix products: $BLAS"
    "./$dir/oversim" run bench/run.lua "${@:2}"
    ;;
  build)
    build build
    ;;
  *)
    echo "usage: ./run.sh [run|demo|test|asan|bench|build]" >&2
    exit 1
    ;;
esac
