#!/usr/bin/env bash
# tests/install/run.sh — oversim installed, used from the installed files only.
#
#   tests/install/run.sh [BUILD]     (./run.sh install-test builds, then runs it)
#
# BUILD (default build/) is a configured and built folder. The test installs it
# with `cmake --install` into a temporary prefix and, from a temporary folder
# outside the source tree:
#   1. the installed command runs a shipped script (the CSV is checked, and is
#      byte for byte what the build's own command writes), `oversim demo`,
#      `oversim plot`, a scenario from OVERSIM_PATH and the search order (and
#      no program from OVERSIM_PATH);
#   2. a stock lua5.4, with LUA_CPATH pointing at the install, requires
#      "oversim", builds a world, trains and writes a CSV, and runs a shipped
#      script (`lua5.4 -l oversim`) into the same bytes as `oversim run`;
#   3. a small C program compiles against liboversim with
#      `pkg-config --cflags --libs oversim` and runs;
#   4. the man page renders without a warning;
#   5. the prefix is moved elsewhere: demo, plot, require "oversim" with
#      oversim.scenario("hidden_bug"), and the pkg-config build still work;
#   6. as root: `cpack -G DEB` builds the package, its Depends cover every
#      library the command links, `apt-get install ./oversim_*.deb` installs
#      it, the installed oversim and `lua5.4 -e 'require "oversim"'` run, and
#      `dpkg -r oversim` removes it (also when a step fails).
# Needs lua5.4, pkg-config, a C compiler, groff and (step 6) dpkg-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD
BUILD=$(cd "${1:-build}" && pwd)
TMP=$(mktemp -d)
DEB_INSTALLED=0
cleanup() {
    if [ "$DEB_INSTALLED" = 1 ]; then dpkg -r oversim >/dev/null 2>&1 || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

step() { echo "install-test: $*" >&2; }
fail() { echo "install-test: FAILED: $*" >&2; exit 1; }
# expect WHAT HAYSTACK NEEDLE: HAYSTACK contains NEEDLE
expect() { case "$2" in *"$3"*) ;; *) fail "$1: expected '$3' in: $2" ;; esac; }

# the version the man page and the package must carry
VERSION=$(sed -n 's/^#define OVERSIM_VERSION "\(.*\)"$/\1/p' core/version.h)

P=$TMP/prefix
step "cmake --install $BUILD --prefix $P"
cmake --install "$BUILD" --prefix "$P" >/dev/null
for f in bin/oversim lib/liboversim.a lib/pkgconfig/oversim.pc lib/lua/5.4/oversim.so \
         include/oversim/train.h share/oversim/scenarios/hidden_bug.lua \
         share/oversim/analysis/plot.lua share/oversim/scripts/demo.lua \
         share/oversim/scripts/page.lua share/oversim/scripts/page_template.html \
         share/oversim/scripts/naive_rlhf.lua share/man/man1/oversim.1; do
    [ -f "$P/$f" ] || fail "not installed: $f"
done
[ ! -e "$P/include/oversim/overseer_internal.h" ] || fail "an internal header was installed"

W=$TMP/work # every run below starts here, outside the source tree
mkdir -p "$W"
cd "$W"

# --- 1. the installed command -------------------------------------------------
step "installed oversim run, demo, plot (from $W)"
RUN_ARGS=(seeds=2 rounds=5 labels=16)
"$P/bin/oversim" run "$P/share/oversim/scripts/naive_rlhf.lua" "${RUN_ARGS[@]}" \
    out=r/naive.csv --quiet >run.txt
expect "oversim run" "$(cat run.txt)" "wrote r/naive.csv and r/naive_policy.csv"
header=$(head -1 r/naive.csv)
expect "the CSV's header" "$header" "run,scenario,overseer,seed,round,"
expect "the CSV's header" "$header" "deception_rate"
rows=$(($(wc -l <r/naive.csv) - 1))
[ "$rows" = 36 ] || fail "r/naive.csv has $rows rows, not 3 overseers x 2 seeds x 6 rounds = 36"
grep -q ",hidden_bug," r/naive.csv || fail "r/naive.csv has no hidden_bug rows"
grep -q "^rows: 36$" r/naive.csv.manifest || fail "the manifest does not count 36 rows"
# the installed command computes what the build's own does
"$BUILD/oversim" run "$SRC/scripts/naive_rlhf.lua" "${RUN_ARGS[@]}" out=b/naive.csv --quiet >/dev/null
cmp r/naive.csv b/naive.csv || fail "installed and built oversim wrote different CSVs"

"$P/bin/oversim" demo </dev/null >demo.txt || fail "oversim demo failed"
[ "$(grep -c "measured:" demo.txt)" -ge 10 ] || fail "oversim demo printed too few 'measured:' lines"

"$P/bin/oversim" plot r/naive.csv >plot.txt || fail "oversim plot failed"
for f in naive_values naive_deception naive_estimation naive_pi; do
    [ -s "r/figures/$f.svg" ] && [ -s "r/figures/$f.png" ] || fail "oversim plot drew no $f"
done

# the search order: the current folder, then OVERSIM_PATH, then the install
mkdir -p mine/scenarios scenarios
printf 'local o = oversim\nprint(o.scenario(o.args.name).name)\n' >which.lua
printf 'return oversim.scenario("hidden_bug", { name = "mine" })\n' >mine/scenarios/mine.lua
out=$(OVERSIM_PATH="$W/nothing::$W/mine" "$P/bin/oversim" run which.lua name=mine)
[ "$out" = mine ] || fail "a scenario on OVERSIM_PATH was not found (got '$out')"
printf 'return { name = "from_path" }\n' >mine/scenarios/hidden_bug.lua
out=$(OVERSIM_PATH="$W/mine" "$P/bin/oversim" run which.lua name=hidden_bug)
[ "$out" = from_path ] || fail "OVERSIM_PATH does not come before the install (got '$out')"
printf 'return { name = "from_here" }\n' >scenarios/hidden_bug.lua
out=$(OVERSIM_PATH="$W/mine" "$P/bin/oversim" run which.lua name=hidden_bug)
[ "$out" = from_here ] || fail "the current folder does not come first (got '$out')"
# OVERSIM_PATH is for scenarios only: a program there is never run
mkdir -p mine/analysis
printf 'error("OVERSIM_PATH ran this")\n' >mine/analysis/plot.lua
OVERSIM_PATH="$W/mine" "$P/bin/oversim" plot r/naive.csv --out r/fig_path >/dev/null ||
    fail "oversim plot ran analysis/plot.lua from OVERSIM_PATH"
rm -r scenarios mine r/fig_path
msg=$(OVERSIM_PATH=/no/such "$P/bin/oversim" run which.lua name=hidden_bugg 2>&1) && fail "a missing scenario loaded"
expect "a missing scenario's message" "$msg" \
    "no scenarios/hidden_bugg.lua here, in /no/such or in $P/share/oversim (did you mean 'hidden_bug'?)"
case "$msg" in *"$SRC"*) fail "the installed oversim looked in the source tree: $msg" ;; esac

# --- 2. a stock lua5.4 ----------------------------------------------------------
step "lua5.4: require \"oversim\" from the install"
export LUA_CPATH="$P/lib/lua/5.4/?.so;;"
lua5.4 -e '
local o = require "oversim"
assert(oversim == nil, "require set a global")
local world = o.world{
  name = "toy",
  contexts = { o.context{ name = "easy", difficulty = 0 }, o.context{ name = "hard", difficulty = 2 } },
  behaviours = {
    o.behaviour{ name = "honest", looks = 1 },
    o.behaviour{ name = "bluff", looks = 1.1, prior = 0.5, contexts = { "hard" },
                 facts = { o.fact{ name = "bug", difficulty = 2, effect = -2 } } },
  },
}
local human = o.overseer{ name = "human", competence = 1, beta = 5, when_unsure = "looks" }
local rows, policy = o.train{ world = world, overseer = human, rounds = 10, labels_per_round = 32, seed = 1 }
o.write_csv("lua/toy.csv", rows)
o.write_csv("lua/toy_policy.csv", policy)
local back = o.read_csv("lua/toy.csv")
assert(#back == 11 and back[11].round == 10, "read back " .. #back .. " rows")
print(o.scenario("hidden_bug").name, rows[#rows].deception_rate > 0.25)
' >lua.txt || fail "lua5.4 could not build, train and write"
[ "$(cat lua.txt)" = "hidden_bug	true" ] || fail "lua5.4 run printed: $(cat lua.txt)"
grep -q "^rows: 11$" lua/toy.csv.manifest || fail "lua/toy.csv's manifest"
# a shipped script under a stock interpreter: the same bytes as oversim run
lua5.4 -l oversim "$P/share/oversim/scripts/naive_rlhf.lua" "${RUN_ARGS[@]}" out=l/naive.csv >/dev/null
cmp l/naive.csv r/naive.csv || fail "lua5.4 -l oversim and oversim run wrote different CSVs"
cmp l/naive_policy.csv r/naive_policy.csv || fail "lua5.4 -l oversim: different policy CSVs"
grep -q "^command: lua5.4 -l oversim .*naive_rlhf.lua seeds=2" l/naive.csv.manifest ||
    fail "the manifest of a lua5.4 run does not record its command line"

# --- 3. pkg-config and liboversim ----------------------------------------------
# prog.c: the exact safety of upfront auditing (README: 0.095 at 2% of 5000
# tasks, the red team at its best p) and a checked error, from the core alone
cat >prog.c <<'EOF'
#include <stdio.h>
#include <oversim/control.h>
#include <oversim/rng.h>
#include <oversim/version.h>
int main(void)
{
    control_params p;
    control_params_default(&p);
    p.n = 5000;
    p.audit = 0.02;
    double best = control_optimal_attack(&p);
    gsl_rng *r = rng_new(1, 1);
    control_sim sim;
    os_err err;
    if (!r || control_simulate(&p, best, 2000, r, &sim, &err))
        return 1;
    rng_free(r);
    p.audit = 1.5;
    int bad = control_check(&p, "control", &err);
    printf("oversim %s: safety %.3f, simulated %.2f; %s\n", OVERSIM_VERSION,
           control_safety(&(control_params){ .protocol = CONTROL_UPFRONT, .n = 5000,
                                             .audit = 0.02, .success = 1 }, best),
           sim.safety, bad ? err.msg : "no error");
    return 0;
}
EOF
pkgconfig_build() { # pkgconfig_build PREFIX: compile prog.c against it and run it
    local flags
    flags=$(PKG_CONFIG_PATH="$1/lib/pkgconfig" pkg-config --cflags --libs oversim) ||
        fail "pkg-config does not know oversim in $1"
    # shellcheck disable=SC2086 # the flags are words
    cc -Wall -Wextra -o prog prog.c $flags || fail "prog.c did not compile with: $flags"
    ./prog >prog.txt || fail "prog failed"
    expect "prog's output" "$(cat prog.txt)" "oversim $VERSION: safety 0.095, simulated 0.0"
    expect "prog's output" "$(cat prog.txt)" "field 'audit' of control must be a probability in [0,1] (got 1.5)"
    rm -f prog prog.txt
}
step "pkg-config --cflags --libs oversim: a C program against liboversim"
pkgconfig_build "$P"

# --- 4. the man page -------------------------------------------------------------
step "the man page"
warnings=$(groff -man -Tutf8 -ww -z "$P/share/man/man1/oversim.1" 2>&1)
[ -z "$warnings" ] || fail "oversim.1: $warnings"
grep -q "^\.TH OVERSIM 1 .*\"oversim $VERSION\"" "$P/share/man/man1/oversim.1" ||
    fail "oversim.1 does not carry version $VERSION"
for word in OVERSIM_PATH OVERSIM_MAX_MEMORY "EXIT STATUS" EXAMPLES FILES; do
    grep -q "$word" "$P/share/man/man1/oversim.1" || fail "oversim.1 does not mention $word"
done

# --- 5. moved -----------------------------------------------------------------------
M=$TMP/moved/elsewhere
step "the prefix moved to $M"
mkdir -p "$(dirname "$M")"
mv "$P" "$M"
rm -rf r/figures
"$M/bin/oversim" demo </dev/null >demo2.txt || fail "moved: oversim demo failed"
cmp demo.txt demo2.txt || fail "moved: oversim demo printed something else"
"$M/bin/oversim" plot r/naive.csv >/dev/null || fail "moved: oversim plot failed"
[ -s r/figures/naive_values.svg ] || fail "moved: oversim plot drew nothing"
out=$(LUA_CPATH="$M/lib/lua/5.4/?.so" lua5.4 -e '
local o = require "oversim"
local s = o.scenario("hidden_bug")
local rows = o.train{ world = s.world, overseer = s.overseers["human-looks"], rounds = 3, seed = 1 }
print(s.name, #rows)') || fail "moved: require \"oversim\" failed"
[ "$out" = "hidden_bug	4" ] || fail "moved: lua5.4 printed '$out'"
msg=$(LUA_CPATH="$M/lib/lua/5.4/?.so" lua5.4 -e 'require "oversim".scenario("nope")' 2>&1) || true
expect "moved: the module's search" "$msg" "no scenarios/nope.lua here or in $M/share/oversim"
pkgconfig_build "$M"

# --- 6. the Debian package ------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    step "not root: the Debian package is not built and installed (run as root for that step)"
    exit 0
fi
if dpkg -s oversim >/dev/null 2>&1; then
    fail "a package 'oversim' is already installed; remove it first (dpkg -r oversim)"
fi
step "cpack -G DEB"
(cd "$BUILD" && cpack -G DEB -B "$TMP/deb" >"$TMP/cpack.log" 2>&1) ||
    { cat "$TMP/cpack.log" >&2; fail "cpack -G DEB"; }
DEB=$(ls "$TMP"/deb/oversim_"$VERSION"_*.deb)
depends=$(dpkg-deb -f "$DEB" Depends)
step "Depends: $depends"
# every library the command and the module need comes from a package the
# .deb depends on (what those libraries need, their own packages declare)
for bin in "$BUILD/oversim" "$BUILD/oversim.so"; do
    for name in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
        lib=$(ldd "$bin" | awk -v l="$name" '$1 == l {print $3}')
        [ -n "$lib" ] || fail "ldd does not resolve $name for $bin"
        pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1) ||
            pkg=$(dpkg -S "$lib" | head -1 | cut -d: -f1)
        expect "Depends (for $name, which $(basename "$bin") needs)" "$depends" "$pkg"
    done
done
if readelf -d "$BUILD/oversim.so" | grep -q "NEEDED.*liblua"; then
    fail "oversim.so links liblua: the interpreter that loads it provides Lua"
fi
expect "Depends" "$depends" "gnuplot-nox"
contents=$(dpkg-deb -c "$DEB")
for f in ./usr/bin/oversim ./usr/lib/lua/5.4/oversim.so ./usr/lib/pkgconfig/oversim.pc \
         ./usr/share/oversim/scenarios/hidden_bug.lua ./usr/share/man/man1/oversim.1; do
    expect "the .deb's files" "$contents" " $f"
done

step "apt-get install $DEB"
DEB_INSTALLED=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >"$TMP/apt.log" 2>&1 ||
    { cat "$TMP/apt.log" >&2; fail "apt-get install of the .deb"; }
unset LUA_CPATH
[ "$(command -v oversim)" = /usr/bin/oversim ] || fail "oversim is not /usr/bin/oversim"
oversim --version | grep -qx "oversim $VERSION" || fail "the packaged oversim --version"
oversim run /usr/share/oversim/scripts/naive_rlhf.lua "${RUN_ARGS[@]}" out=d/naive.csv --quiet >/dev/null
cmp d/naive.csv r/naive.csv || fail "the packaged oversim wrote a different CSV"
out=$(lua5.4 -e 'local o = require "oversim"; print(o.version, o.scenario("hidden_bug").name)')
[ "$out" = "$VERSION	hidden_bug" ] || fail "packaged: lua5.4 -e 'require \"oversim\"' printed '$out'"
pkg-config --exists oversim || fail "packaged: pkg-config does not find oversim"
[ -f /usr/share/man/man1/oversim.1 ] || fail "packaged: no /usr/share/man/man1/oversim.1"
if command -v man >/dev/null; then
    man -w oversim >/dev/null 2>&1 || fail "packaged: man does not find oversim(1)"
fi
dpkg -r oversim >/dev/null
DEB_INSTALLED=0
[ ! -e /usr/bin/oversim ] || fail "dpkg -r left /usr/bin/oversim"
step "passed"
