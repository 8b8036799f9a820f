/* test_overoptimization.c — the patterns scripts/overoptimization.lua and
 * scripts/optimisers.lua must show, read from their CSVs by column name
 * (the checks are in tests/lua/overoptimization.lua). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

static void run_script(const char *script, int argc, char **argv)
{
    lua_State *L = harness_state(argc, argv);
    if (oversim_lua_run_file(L, script, 0) != LUA_OK)
        fail_msg("%s: %s", script, lua_tostring(L, -1));
    lua_close(L);
}

/* The number of violations fn of tests/lua/overoptimization.lua finds in the
 * CSVs under tmpdir (a number: nil or anything else fails the test). */
static int violations(const char *fn)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/overoptimization.lua");
    double bad = harness_number(L, fn, "s", tmpdir);
    lua_close(L);
    return (int)bad;
}

/* overoptimization.lua on two disjoint sets of 10 seeds (1-10 and 11-20):
 * the claims of tests/lua/overoptimization.lua's shape_violations, which hold
 * for any 10 seeds, hold for both. */
static void test_overoptimization_shape(void **state)
{
    (void)state;
    const char *first[2] = { "seed=1", "seed=11" }, *name[2] = { "o", "p" };
    for (int k = 0; k < 2; k++) {
        char out[256];
        snprintf(out, sizeof out, "out=%s/%s.csv", tmpdir, name[k]);
        char *argv[] = { out, "seeds=10", (char *)first[k] };
        run_script("scripts/overoptimization.lua", 3, argv);
        lua_State *L = harness_state(0, NULL);
        harness_load(L, "tests/lua/overoptimization.lua");
        double bad = harness_number(L, "shape_violations", "ss", tmpdir, name[k]);
        lua_close(L);
        if (bad != 0)
            fail_msg("seeds from %s: %g violations", first[k], bad);
    }
}

/* optimisers.lua (1 seed, 10 rounds): for every method a larger KL coefficient
 * (a smaller n) ends at a smaller KL, and every method has a matched point. */
static void test_optimisers_sweep(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/p.csv", tmpdir);
    char *argv[] = { out, "seeds=1", "rounds=10" };
    run_script("scripts/optimisers.lua", 3, argv);
    assert_int_equal(violations("optimiser_violations"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overoptimization_shape, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_optimisers_sweep, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
