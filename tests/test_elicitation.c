/* test_elicitation.c — scripts/elicitation.lua's claims on 2 seeds
 * (tests/lua/elicitation.lua): with an oracle RLHF reaches the target true
 * value at a lower capability than prompting; with a human who judges by
 * looks RLHF and best-of-n never reach it while prompting does, and RLHF's
 * deception is above prompting's at every capability. And oversim.compare:
 * its judgements (reproducible, the oracle right, the human by looks) and its
 * errors. */
#include "helpers.h"
#include "lua_harness.h"
#include "files.h"

static void test_claims(void **state)
{
    (void)state;
    char cmd[1024], buf[4096];
    snprintf(cmd, sizeof cmd, "%s run scripts/elicitation.lua seeds=2 out=%s/e.csv --quiet 2>&1",
             OVERSIM_BINARY, tmpdir);
    FILE *f = popen(cmd, "r");
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    buf[k] = 0;
    if (pclose(f) != 0)
        fail_msg("%s\n%s", cmd, buf);
    char s[512], t[512];
    snprintf(s, sizeof s, "%s/e_summary.csv", tmpdir);
    snprintf(t, sizeof t, "%s/e_threshold.csv", tmpdir);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/elicitation.lua");
    harness_call(L, LUA_TTABLE, "claims", "ss", s, t);
    harness_no_failures(L, "elicitation claims");
    lua_close(L);
}

static void test_compare(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/elicitation.lua");
    harness_call(L, LUA_TBOOLEAN, "judgements", "");
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "compare errors");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claims, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
