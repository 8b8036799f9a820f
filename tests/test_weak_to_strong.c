/* test_weak_to_strong.c — scripts/weak_to_strong.lua's claims on 3 seeds
 * (tests/lua/weak_to_strong.lua): with the concept salient the strong student
 * recovers much of the gap its weak supervisor leaves (PGR > 0.4 at every weak
 * size), without it little (< 0.2); with Burns's confidence loss most of it
 * (> 0.8, and more than without) where the concept is salient, still little
 * where it is not; oracle labels give PGR 1 exactly; the
 * script refuses a weak model as strong as its student; and
 * oversim.reward_quality's errors. The measures themselves: test_w2s.c. */
#include "helpers.h"
#include "lua_harness.h"
#include "files.h"

static void run(const char *out, const char *extra)
{
    char cmd[1024], buf[4096];
    snprintf(cmd, sizeof cmd, "%s run scripts/weak_to_strong.lua seeds=3 out=%s/%s %s --quiet "
             "2>&1", OVERSIM_BINARY, tmpdir, out, extra);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    buf[k] = 0;
    if (pclose(f) != 0)
        fail_msg("%s\n%s", cmd, buf);
}

static void test_claims(void **state)
{
    (void)state;
    run("w.csv", "");
    run("o.csv", "supervisor=oracle salience=3 weak=2 confidence=0");
    char s[512], o[512];
    snprintf(s, sizeof s, "%s/w_summary.csv", tmpdir);
    snprintf(o, sizeof o, "%s/o.csv", tmpdir);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/weak_to_strong.lua");
    harness_call(L, LUA_TTABLE, "claims", "ss", s, o);
    harness_no_failures(L, "weak_to_strong claims");
    lua_close(L);
}

static void test_errors(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/weak_to_strong.lua");
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "weak_to_strong errors");
    lua_close(L);
    /* a weak model with all the student's features: no gap, refused */
    char cmd[512], buf[1024];
    snprintf(cmd, sizeof cmd, "%s run scripts/weak_to_strong.lua weak=8 2>&1", OVERSIM_BINARY);
    FILE *f = popen(cmd, "r");
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    buf[k] = 0;
    assert_int_not_equal(pclose(f), 0);
    if (!strstr(buf, "option 'weak': the weak model's features must be 1..7, fewer than the "
                     "student's 8 (got 8)"))
        fail_msg("%s", buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claims, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
