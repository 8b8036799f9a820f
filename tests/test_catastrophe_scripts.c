/* test_catastrophe_scripts.c — the claims of scripts/lie_in_wait.lua and
 * scripts/red_team.lua's headers, read from their CSVs
 * (tests/lua/catastrophe_scripts.lua): lying in wait (training never meets a
 * catastrophe, q stays pi0's, P(>= 1 in 10^4) > 0.94), the absent supervisor,
 * and adversarial training (realism 1 removes the real risk; realism 0 with a
 * salient cue hides it; adversarial search beats random). */
#include "helpers.h"
#include "lua_harness.h"
#include "files.h"

static void run(const char *script, const char *const *args, int n)
{
    char buf[8][256];
    char *argv[8];
    for (int i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "%s", args[i]);
        argv[i] = buf[i];
    }
    lua_State *L = harness_state(n, argv);
    if (oversim_lua_run_file(L, script, 0) != LUA_OK)
        fail_msg("%s: %s", script, lua_tostring(L, -1));
    lua_close(L);
}

static void test_lie_in_wait(void **state)
{
    (void)state;
    char out[256], horizon[256];
    snprintf(out, sizeof out, "out=%s/lw.csv", tmpdir);
    snprintf(horizon, sizeof horizon, "%s/lw_horizon.csv", tmpdir);
    const char *args[] = { out, "seeds=3", "rounds=20" };
    run("scripts/lie_in_wait.lua", args, 3);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/catastrophe_scripts.lua");
    harness_call(L, LUA_TTABLE, "lie_in_wait", "ssii", out + 4, horizon, 20, 3);
    harness_no_failures(L, "lie_in_wait");
    lua_close(L);
}

static void test_red_team(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/rt.csv", tmpdir);
    const char *args[] = { out, "seeds=2", "rounds=20" };
    run("scripts/red_team.lua", args, 3);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/catastrophe_scripts.lua");
    harness_call(L, LUA_TTABLE, "red_team", "si", out + 4, 20);
    harness_no_failures(L, "red_team");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lie_in_wait, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_red_team, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
