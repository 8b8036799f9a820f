/* test_examples.c — scripts/examples/: three experiments a new user would
 * write (a custom scenario comparing overseers; a competence x budget sweep
 * over seeds; DPO vs best-of-n). Each runs as `oversim run` would run it
 * (from any folder: it finds its scenario beside it), is under 40 lines, and
 * writes rows whose configurations can be told apart (tests/lua/examples.lua). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

/* Run scripts/examples/<name>.lua with seeds=<seeds> rounds=4, out in tmpdir. */
static void run_example(const char *name, int seeds)
{
    char path[256], out[256], s[32];
    snprintf(path, sizeof path, "scripts/examples/%s.lua", name);
    snprintf(out, sizeof out, "out=%s/%s.csv", tmpdir, name);
    snprintf(s, sizeof s, "seeds=%d", seeds);
    char *argv[] = { out, s, "rounds=4" };
    lua_State *L = luaL_newstate();
    oversim_lua_setup(L, path, 3, argv, "oversim run", 1);
    if (oversim_lua_run_file(L, path, 0) != LUA_OK)
        fail_msg("%s: %s", path, lua_tostring(L, -1));
    lua_close(L);
    L = harness_state(0, NULL);
    harness_load(L, "tests/lua/examples.lua");
    assert_true(harness_number(L, "short", "s", path) < 40);
    lua_close(L);
}

/* How many configurations <name>.csv has by the columns of `by` (Lua list
 * syntax); tests/lua/examples.lua's distinct fails unless there are `configs`
 * of them, each with `seeds` seeds, and every (run, round) is there once. */
static int configurations(const char *name, const char *by, int configs, int seeds)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/examples.lua"); /* also puts tests/lua on package.path */
    char code[512], buf[1024];
    snprintf(code, sizeof code, "return require('examples').distinct('%s', '%s', %s, %d, %d)",
             tmpdir, name, by, configs, seeds);
    const char *msg = harness_run(L, code, buf, sizeof buf);
    if (msg)
        fail_msg("%s", msg);
    if (!lua_isinteger(L, -1))
        fail_msg("distinct returned %s", luaL_typename(L, -1));
    int n = (int)lua_tointeger(L, -1);
    lua_close(L);
    return n;
}

static void test_compare_overseers(void **state)
{
    (void)state;
    run_example("compare_overseers", 3);
    assert_int_equal(configurations("compare_overseers", "{ 'overseer' }", 3, 3), 3);
    /* the overseer kinds are columns too */
    assert_int_equal(configurations("compare_overseers", "{ 'overseer_kind' }", 3, 3), 3);
}

static void test_competence_budget(void **state)
{
    (void)state;
    run_example("competence_budget", 2);
    assert_int_equal(configurations("competence_budget",
                                         "{ 'competence', 'labels_per_round' }", 9, 2), 9);
}

static void test_dpo_vs_bon(void **state)
{
    (void)state;
    run_example("dpo_vs_bon", 2);
    /* DPO's betas and best-of-n's n tell the 8 configurations apart */
    assert_int_equal(configurations("dpo_vs_bon", "{ 'method', 'kl_coef', 'n' }", 8, 2), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_compare_overseers, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_competence_budget, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_dpo_vs_bon, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
