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

/* For each seed and method: the proxy keeps rising (its final value is its
 * largest, up to 0.01), the gold peaks strictly inside the path and ends at
 * least 0.1 below its peak; every per-seed fit has beta > 0 and R^2 > 0.5;
 * best-of-n's KL respects log n - (n-1)/n. */
static void test_overoptimization_shape(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/o.csv", tmpdir);
    char *argv[] = { out };
    run_script("scripts/overoptimization.lua", 1, argv);
    assert_int_equal(violations("shape_violations"), 0);
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
