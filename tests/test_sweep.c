/* test_sweep.c — oversim.sweep: the same results for 1 and 2 workers, the same
 * as running each spec with oversim.train, errors that name the run. The Lua
 * is in tests/lua/sweep.lua and (the errors) tests/lua/errors.lua. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"

static void test_workers_do_not_change_results(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/sweep.lua");
    harness_call(L, LUA_TNONE, "workers_do_not_change_results", "");
    lua_close(L);
}

static void test_sweep_errors(void **state)
{
    (void)state;
    harness_errors("sweep");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workers_do_not_change_results),
        cmocka_unit_test(test_sweep_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
