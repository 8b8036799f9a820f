/* test_label_efficiency.c — the pattern scripts/label_efficiency.lua's header
 * claims, read from its summary CSV (seeds=20 rounds=20, the defaults). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

/* Run the script into tmpdir, then the checks of tests/lua/label_efficiency.lua
 * over its summary and rows; they raise an error saying what failed. */
static void test_label_efficiency_pattern(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/le.csv", tmpdir);
    char *argv[] = { out };
    lua_State *L = harness_state(1, argv);
    if (oversim_lua_run_file(L, "scripts/label_efficiency.lua", 0) != LUA_OK)
        fail_msg("label_efficiency.lua: %s", lua_tostring(L, -1));
    lua_close(L);
    L = harness_state(0, NULL);
    harness_load(L, "tests/lua/label_efficiency.lua");
    harness_call(L, LUA_TNONE, "check", "s", tmpdir);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_efficiency_pattern),
    };
    return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}
