/* test_catastrophe.c — deployment, red teams and the absent supervisor
 * through the Lua binding (tests/lua/catastrophe.lua): the columns a run
 * reports, the red team's world and settings, the same rows whatever the
 * number of sweep workers, and bad input named by file, line and field. The
 * model's behaviour is tested in the core (test_redteam.c). */
#include "helpers.h"
#include "lua_harness.h"

static void call_true(const char *fn)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/catastrophe.lua");
    harness_call(L, LUA_TBOOLEAN, fn, "");
    lua_close(L);
}

static void test_columns(void **state) { (void)state; call_true("columns"); }
static void test_red_team(void **state) { (void)state; call_true("red_team"); }
static void test_sweep_workers(void **state) { (void)state; call_true("sweep_workers"); }

static void test_errors(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/catastrophe.lua");
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "catastrophe errors");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_red_team),
        cmocka_unit_test(test_sweep_workers),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
