/* test_examples.c — scripts/examples/: three experiments a new user would
 * write (a custom scenario comparing overseers; a competence x budget sweep
 * over seeds; DPO vs best-of-n). Each runs as `oversim run` would run it
 * (from any folder: it finds its scenario beside it), is under 40 lines, and
 * writes rows whose configurations can be told apart (tests/lua/examples.lua),
 * and `oversim plot` draws one line per configuration with its seeds counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"
#include <stdlib.h>

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

/* `oversim plot` on <name>.csv: it must say `summary` (how many lines, by
 * what, over how many seeds) and the deception figure must name each label
 * in `labels` once and count its seeds. */
static void plot_groups(const char *name, const char *summary, const char *const *labels,
                        const char *seeds)
{
    char cmd[1024], path[512];
    snprintf(cmd, sizeof cmd, "%s plot %s/%s.csv > %s/plot.txt 2>&1", OVERSIM_BINARY, tmpdir,
             name, tmpdir);
    int rc = system(cmd);
    snprintf(path, sizeof path, "%s/plot.txt", tmpdir);
    char *out = slurp(path);
    if (rc != 0 || !out)
        fail_msg("oversim plot %s.csv failed: %s", name, out ? out : "(no output)");
    if (!strstr(out, summary))
        fail_msg("oversim plot %s.csv does not say '%s': %s", name, summary, out);
    free(out);
    snprintf(path, sizeof path, "%s/figures/%s_deception.svg", tmpdir, name);
    char *svg = slurp(path);
    assert_non_null(svg);
    for (int i = 0; labels[i]; i++) {
        char want[256];
        snprintf(want, sizeof want, ">%s<", labels[i]);
        const char *at = strstr(svg, want);
        if (!at || strstr(at + 1, want))
            fail_msg("%s: legend label '%s' is not there exactly once", path, labels[i]);
    }
    if (!strstr(svg, seeds))
        fail_msg("%s does not say '%s'", path, seeds);
    free(svg);
}

static void test_compare_overseers(void **state)
{
    (void)state;
    run_example("compare_overseers", 3);
    assert_int_equal(configurations("compare_overseers", "{ 'overseer' }", 3, 3), 3);
    /* the overseer kinds are columns too */
    assert_int_equal(configurations("compare_overseers", "{ 'overseer_kind' }", 3, 3), 3);
    const char *labels[] = { "oracle", "human", "assisted", NULL };
    plot_groups("compare_overseers", ": 3 lines by overseer, 3 seeds each)", labels,
                "line: mean over 3 seeds");
}

static void test_competence_budget(void **state)
{
    (void)state;
    run_example("competence_budget", 2);
    assert_int_equal(configurations("competence_budget",
                                         "{ 'competence', 'labels_per_round' }", 9, 2), 9);
    const char *labels[] = { "competence=0, labels_per_round=16",
                             "competence=1, labels_per_round=64",
                             "competence=2, labels_per_round=256", NULL };
    plot_groups("competence_budget", ": 9 lines by competence, labels_per_round, 2 seeds each)",
                labels, "line: mean over 2 seeds");
}

static void test_dpo_vs_bon(void **state)
{
    (void)state;
    run_example("dpo_vs_bon", 2);
    /* DPO's betas and best-of-n's n tell the 8 configurations apart */
    assert_int_equal(configurations("dpo_vs_bon", "{ 'method', 'kl_coef', 'n' }", 8, 2), 8);
    const char *labels[] = { "kl_coef=2, method=dpo", "kl_coef=0.25, method=dpo",
                             "method=bon, n=2", "method=bon, n=64", NULL };
    plot_groups("dpo_vs_bon", ": 8 lines by kl_coef, method, n, 2 seeds each)", labels,
                "line: mean over 2 seeds");
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
