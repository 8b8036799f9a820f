/* test_control_lua.c — oversim.control from Lua (the checks are in
 * tests/lua/control.lua): bad input is one line naming the file, the line and
 * the field; rows have the shape README gives and the same seed writes the
 * same CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

static lua_State *load(void)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/control.lua");
    return L;
}

/* The error cases of tests/lua/control.lua, each in a fresh state. */
static void test_control_errors(void **state)
{
    (void)state;
    lua_State *L = load();
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "control errors");
    lua_close(L);
}

static void test_control_rows(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "rows", "s", tmpdir), 0);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_errors),
        cmocka_unit_test_setup_teardown(test_control_rows, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
