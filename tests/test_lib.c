/* test_lib.c — the experiment layer (binding/oversim.lua) and the rows runs
 * make, checked by tests/lua/lib.lua: one cmocka test per entry of the table
 * that file returns, each in a fresh state with DIR a fresh folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

/* Run entry `name` of tests/lua/lib.lua (error positions read
 * tests/lua/lib.lua:LINE), with DIR the test's folder. */
static void run_entry(const char *name)
{
    lua_State *L = harness_state(0, NULL);
    lua_pushstring(L, tmpdir);
    lua_setglobal(L, "DIR");
    harness_load(L, "tests/lua/lib.lua");
    harness_call(L, LUA_TNONE, name, "");
    lua_close(L);
}

#define ENTRY(n) static void test_##n(void **state) { (void)state; run_entry(#n); }
ENTRY(options)
ENTRY(grid)
ENTRY(stats)
ENTRY(summarize)
ENTRY(print_table)
ENTRY(sibling_and_save)
ENTRY(run_ids_and_streams)
ENTRY(config_columns)
ENTRY(duplicate_keys)
ENTRY(sweep_shape)
ENTRY(objects)
ENTRY(metric_columns_one_list)
ENTRY(infinite_settings)
ENTRY(constructors_copy)
ENTRY(teachers)
ENTRY(from_to)
ENTRY(confidence_column)

#define T(n) cmocka_unit_test_setup_teardown(test_##n, tmp_setup, tmp_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(options), T(grid), T(stats), T(summarize), T(print_table), T(sibling_and_save),
        T(run_ids_and_streams), T(config_columns), T(duplicate_keys), T(sweep_shape),
        T(objects), T(metric_columns_one_list), T(infinite_settings), T(constructors_copy), T(teachers), T(from_to),
        T(confidence_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
