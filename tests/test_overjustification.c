/* test_overjustification.c — scripts/overjustification.lua shows Lang et al.
 * (2024)'s overjustification for the overseer that underestimates, not for the
 * oracle or for one that merely lacks signal (tests/lua/overjustification.lua),
 * and the flags' definition on hidden_bug: human-looks' policy is deceptively
 * inflated, human-coin's and the oracle's are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

static void run(const char *script, const char *out)
{
    char arg[512];
    snprintf(arg, sizeof arg, "out=%s/%s", tmpdir, out);
    char *argv[] = { arg };
    lua_State *L = harness_state(1, argv);
    if (oversim_lua_run_file(L, script, 0) != LUA_OK)
        fail_msg("%s: %s", script, lua_tostring(L, -1));
    lua_close(L);
}

static void test_overjustification_flags(void **state)
{
    (void)state;
    run("scripts/overjustification.lua", "oj.csv");
    char path[512];
    snprintf(path, sizeof path, "%s/oj.csv", tmpdir);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/overjustification.lua");
    assert_int_equal((int)harness_number(L, "violations", "s", path), 0);
    lua_close(L);
}

/* On hidden_bug (naive_rlhf's defaults) the looks-judging human's policy is
 * deceptively inflated on every seed at round 40, and no policy is
 * overjustified; human-coin's overestimation does not grow, so it is not
 * flagged. */
static void test_inflation_on_hidden_bug(void **state)
{
    (void)state;
    run("scripts/naive_rlhf.lua", "n.csv");
    char code[1024], buf[1024];
    snprintf(code, sizeof code,
             "local n = { }\n"
             "for _, r in ipairs(oversim.read_csv('%s/n.csv')) do\n"
             "  if r.round == 40 then\n"
             "    local k = r.overseer\n"
             "    n[k] = n[k] or { i = 0, o = 0 }\n"
             "    if r.deceptive_inflation then n[k].i = n[k].i + 1 end\n"
             "    if r.overjustification then n[k].o = n[k].o + 1 end\n"
             "  end\n"
             "end\n"
             "assert(n['human-looks'].i == 5, 'human-looks inflated on every seed')\n"
             "assert(n['human-coin'].i == 0 and n.oracle.i == 0, 'nobody else inflated')\n"
             "assert(n['human-looks'].o + n['human-coin'].o + n.oracle.o == 0, 'none overjustified')\n",
             tmpdir);
    lua_State *L = harness_state(0, NULL);
    const char *err = harness_run(L, code, buf, sizeof buf);
    if (err)
        fail_msg("%s", err);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overjustification_flags, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_inflation_on_hidden_bug, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
