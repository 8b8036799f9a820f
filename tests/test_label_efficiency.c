/* test_label_efficiency.c — the pattern scripts/label_efficiency.lua's header
 * claims, read from its summary CSV (seeds=6 rounds=20, the defaults). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include "lua_harness.h"
#include "files.h"

/* Run the script into tmpdir, then the checks in Lua over its summary (S, by
 * "overseer/query") and rows; the chunk errors with what failed. */
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
    char code[4096];
    snprintf(code, sizeof code,
        "local S = {}\n"
        "for _, r in ipairs(oversim.read_csv('%s/le_summary.csv')) do\n"
        "  S[r.overseer_kind .. '/' .. r.query] = r end\n"
        "local function check(ok, what) if not ok then error(what, 2) end end\n"
        "for _, q in ipairs{ 'uniform', 'disagreement' } do\n"
        "  local e, c, s = S['expert/' .. q], S['crowd/' .. q], S['crowd-shallow/' .. q]\n"
        "  check(e.cost_final == c.cost_final and c.cost_final == s.cost_final, 'equal cost')\n"
        "  check(c.labels_final == 10 * e.labels_final, 'crowd has 10x the labels')\n"
        "  check(e.true_value_quarter > c.true_value_quarter, q .. ': expert leads early')\n"
        "  check(c.true_value_final > e.true_value_final, q .. ': crowd ends above expert')\n"
        "  check(s.true_value_final < math.min(e.true_value_final, c.true_value_final) - 0.4,\n"
        "        q .. ': shallow crowd far below')\n"
        "  check(s.deception_final > 0.8 and e.deception_final < 0.3 and c.deception_final < 0.3,\n"
        "        q .. ': deception')\n"
        "end\n"
        "for _, o in ipairs{ 'expert', 'crowd', 'crowd-shallow' } do\n"
        "  local d = S[o .. '/disagreement'].true_value_final - S[o .. '/uniform'].true_value_final\n"
        "  check(math.abs(d) < 0.1, o .. ': active within 0.1 of uniform (off by ' .. d .. ')')\n"
        "end\n"
        "local rows = oversim.read_csv('%s/le.csv')\n"
        "check(#rows == 3 * 2 * 6 * 21, 'one row per run and round')\n"
        "for _, r in ipairs(rows) do\n"
        "  check(r.label_cost == r.labels * r.label_price, 'cost = labels x price') end\n",
        tmpdir, tmpdir);
    L = harness_state(0, NULL);
    char err[1024];
    const char *msg = harness_run(L, code, err, sizeof err);
    if (msg)
        fail_msg("%s", msg);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_efficiency_pattern),
    };
    return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}
