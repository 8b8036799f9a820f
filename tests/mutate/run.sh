#!/usr/bin/env bash
# tests/mutate/run.sh — mutation testing of the core: does the core suite
# notice when a line that matters is wrong?
#
#   tests/mutate/run.sh [LIST] [PATTERN]
#     LIST     the mutants (default tests/mutate/mutants.txt; format there)
#     PATTERN  only mutants whose file or name contains PATTERN
#
# Each mutant replaces one exact fragment of one core source (the fragment
# must occur exactly once, so the list cannot rot silently) in a scratch copy
# of the tree (build-mutants/src; the working tree is never touched), rebuilds
# the core (a shared library there) incrementally (build-mutants/build) and
# runs the core tests (the `core_tests` of tests/CMakeLists.txt) with a timeout
# per test, so a mutant that loops forever counts as killed: first the tests
# named after the mutated file (see first_tests), and only if they all pass,
# the whole suite. One line per mutant: `killed by <tests>` (those of the pass
# that killed it), `SURVIVED`, or `equivalent: why`.
# Exit status 1 if any mutant that is not declared equivalent survives, or a
# fragment is not found exactly once, or a mutant does not compile; else 0.
# An interrupted run leaves at most one mutated file in the scratch copy; the
# next run copies every file that differs from the working tree back first.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
LIST=${1:-tests/mutate/mutants.txt}
PATTERN=${2:-}
WORK=${OVERSIM_MUTANTS_DIR:-$ROOT/build-mutants}
SRC=$WORK/src
BLD=$WORK/build
TIMEOUT=${OVERSIM_MUTANT_TIMEOUT:-20} # seconds per test
JOBS=$(nproc)

die() { echo "mutants: $*" >&2; exit 2; }
[ -f "$LIST" ] || die "no mutant list $LIST"

# --- the scratch tree: copied file by file, only what changed (so the build
# folder stays incremental across runs) --------------------------------------
sync_tree() {
    local f
    mkdir -p "$SRC"
    while IFS= read -r f; do
        f=${f#./}
        if ! cmp -s "$f" "$SRC/$f"; then
            mkdir -p "$SRC/$(dirname "$f")"
            cp "$f" "$SRC/$f"
        fi
    done < <(find CMakeLists.txt cmake core binding cli tests -type f ! -path 'tests/mutate/*')
}
sync_tree

# the core tests, as tests/CMakeLists.txt lists them
CORE_TESTS=$(sed -n 's/^set(core_tests \(.*\))$/\1/p' tests/CMakeLists.txt)
[ -n "$CORE_TESTS" ] || die "no 'set(core_tests ...)' line in tests/CMakeLists.txt"
TARGETS=""
for t in $CORE_TESTS; do TARGETS="$TARGETS test_$t"; done
REGEX="^($(echo $CORE_TESTS | tr ' ' '|'))\$"

# configured every run (about a second when nothing changed), so that a test
# added to core_tests since the last run is a target before --target names it;
# -O1 and no debug information: a mutant rebuilds in about half the time. The
# core is a shared library here and the tests do not relink when it changes
# (CMAKE_LINK_DEPENDS_NO_SHARED), so a mutant compiles its file and links one
# library, not the library and every core test binary.
cmake -S "$SRC" -B "$BLD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O1 \
      -DOVERSIM_CORE_SHARED=ON -DCMAKE_LINK_DEPENDS_NO_SHARED=ON >/dev/null ||
    die "cmake configure failed in $BLD"
# build [TEST...]: the core and these core tests' binaries (default: all of them)
build() {
    local targets=$TARGETS t
    if [ $# -gt 0 ]; then targets=""; for t in "$@"; do targets="$targets test_$t"; done; fi
    cmake --build "$BLD" -j"$JOBS" --target $targets -- --no-print-directory >"$WORK/build.log" 2>&1
}
# the core tests named after a source file's stem (up to its first '_'), which
# a mutant of that file runs first: core/rm_query.c -> rm rm_store
# rm_confidence, core/policy_step.c -> policy; none for core/mathx.h
first_tests() {
    local stem=${1##*/} t
    stem=${stem%%.*}; stem=${stem%%_*}
    for t in $CORE_TESTS; do
        [ "${t%%_*}" = "$stem" ] && printf '%s ' "$t"
    done
    return 0
}
# run_tests [TEST...]: run these core tests (default: all); prints the names of
# those that failed (empty: all passed)
run_tests() {
    local log=$WORK/ctest.log regex=$REGEX
    if [ $# -gt 0 ]; then regex="^($(echo "$@" | tr ' ' '|'))\$"; fi
    if ctest --test-dir "$BLD" -R "$regex" -j"$JOBS" --timeout "$TIMEOUT" >"$log" 2>&1; then
        return 0
    fi
    # "  3 - rm (Failed)" / "(Timeout)" / "(SEGFAULT)" lines after "tests FAILED:"
    sed -n '/tests FAILED:/,$s/^[[:space:]]*[0-9]\+ - \([A-Za-z0-9_]\+\) (\(.*\))$/\1 (\2)/p' "$log" |
        tr '\n' ',' | sed 's/,$//; s/,/, /g; s/ (Failed)//g'
}

build || { cat "$WORK/build.log" >&2; die "the unmutated tree does not build"; }
failed=$(run_tests) || true
if [ -n "$failed" ] || ! grep -q '100% tests passed' "$WORK/ctest.log"; then
    cat "$WORK/ctest.log" >&2
    die "the unmutated core tests fail: fix them before mutating"
fi

# --- the mutants ------------------------------------------------------------
n=0 killed=0 survived=0 equivalent=0 broken=0
declare -A per_file_total per_file_killed

# apply one mutant: file, name, find, replacement, equivalence (may be empty)
mutate() {
    local file=$1 name=$2 find=$3 repl=$4 equiv=$5
    if [ -n "$PATTERN" ] && [[ "$file $name" != *"$PATTERN"* ]]; then
        return
    fi
    n=$((n + 1))
    local label
    label=$(printf '%-16s %s' "${file#core/}" "$name")
    local text stripped count
    if [ ! -f "$SRC/$file" ]; then
        echo "$label: ERROR no file $file"; broken=$((broken + 1)); return
    fi
    IFS= read -r -d '' text <"$ROOT/$file"
    stripped=${text//"$find"/}
    count=$(((${#text} - ${#stripped}) / ${#find}))
    if [ "$count" -ne 1 ]; then
        echo "$label: ERROR fragment found $count times (must be exactly once): $find"
        broken=$((broken + 1)); return
    fi
    per_file_total[$file]=$((${per_file_total[$file]:-0} + 1))
    printf '%s' "${text/"$find"/"$repl"}" >"$SRC/$file"
    local result first failed=""
    first=$(first_tests "$file")
    # the tests named after the file first: most mutants fail one of them, and
    # then the rest of the suite need not run; otherwise the whole suite
    if [ -n "$first" ] && build $first; then
        failed=$(run_tests $first)
    fi
    if [ -z "$failed" ] && ! build; then
        result="ERROR does not compile (see $WORK/broken-$n.log)"
        broken=$((broken + 1))
        cp "$WORK/build.log" "$WORK/broken-$n.log"
    else
        [ -n "$failed" ] || failed=$(run_tests)
        if [ -n "$failed" ]; then
            result="killed by $failed"
            killed=$((killed + 1))
            per_file_killed[$file]=$((${per_file_killed[$file]:-0} + 1))
        elif [ -n "$equiv" ]; then
            result="$equiv"
            equivalent=$((equivalent + 1))
        else
            result="SURVIVED"
            survived=$((survived + 1))
        fi
    fi
    # restore with a fresh time stamp, so the next build recompiles it
    cp "$ROOT/$file" "$SRC/$file"
    echo "$label: $result"
}

start=$(date +%s)
file="" name="" find="" repl="" equiv="" have=0
flush() {
    if [ "$have" = 1 ]; then
        mutate "$file" "$name" "$find" "$repl" "$equiv"
    fi
    have=0 find="" repl="" equiv=""
}
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case "$line" in
    '@ '*)
        flush
        rest=${line#@ }
        file=${rest%% *}
        name=${rest#"$file"}
        name=${name# }
        have=1
        ;;
    '- '*) find=${line#- } ;;
    '+ '*) repl=${line#+ } ;;
    '+') repl="" ;;
    '= equivalent: '*) equiv=${line#= } ;;
    '#'* | '') ;;
    *) die "$LIST:$lineno: cannot read: $line" ;;
    esac
done <"$LIST"
flush
# leave the scratch tree as the working tree is, for the next run
sync_tree
build >/dev/null 2>&1 || true

echo
echo "mutants: $n run, $killed killed, $equivalent equivalent, $survived survived," \
     "$broken broken, in $(( $(date +%s) - start )) s"
for f in $(printf '%s\n' "${!per_file_total[@]}" | sort); do
    printf '  %-20s %d mutants, %d killed\n' "$f" "${per_file_total[$f]}" "${per_file_killed[$f]:-0}"
done
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
