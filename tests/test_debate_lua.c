/* test_debate_lua.c — debate overseers from Lua (the checks are in
 * tests/lua/debate.lua): bad input is one line naming the file, the line and
 * the field; oversim.debate's rows; debate as the overseer of training runs
 * (labels right where the judge can verify, claims and self-play in the label
 * cost, the same bytes for any number of workers); scripts/debate.lua (kmax
 * 4, 2 seeds, 20 rounds) shows what its header claims, and `oversim plot`
 * draws its figures (gnuplot needed, as in test_plot.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "lua_harness.h"
#include "files.h"

static lua_State *load(void)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/debate.lua");
    return L;
}

static void test_debate_errors(void **state)
{
    (void)state;
    lua_State *L = load();
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "debate errors");
    lua_close(L);
}

static void test_debate_rows(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "rows", "s", tmpdir), 0);
    lua_close(L);
}

/* The SVG of figure fig names every string in names (NULL-terminated); the
 * PNG is there. */
static void assert_figure(const char *fig, const char *const *names)
{
    char p[512];
    snprintf(p, sizeof p, "%s/figures/debate_%s.png", tmpdir, fig);
    char *png = slurp(p);
    if (!png)
        fail_msg("%s: missing", p);
    free(png);
    snprintf(p, sizeof p, "%s/figures/debate_%s.svg", tmpdir, fig);
    char *svg = slurp(p);
    if (!svg || !strstr(svg, "<svg"))
        fail_msg("%s: missing or not SVG", p);
    for (int i = 0; names[i]; i++)
        if (!strstr(svg, names[i]))
            fail_msg("%s does not name '%s'", p, names[i]);
    free(svg);
}

static void test_debate_script(void **state)
{
    (void)state;
    char cmd[1024], out[16384], path[512];
    snprintf(path, sizeof path, "%s/debate.csv", tmpdir);
    snprintf(cmd, sizeof cmd, "%s run scripts/debate.lua kmax=4 seeds=2 rounds=20 out=%s "
             "--quiet 2>&1", OVERSIM_BINARY, path);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("scripts/debate.lua failed: %s", out);
    assert_non_null(strstr(out, "at matched label cost"));
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "script", "s", tmpdir), 0);
    lua_close(L);

    if (sh("command -v gnuplot", out, sizeof out) != 0)
        fail_msg("gnuplot is not installed, and `oversim plot` needs it: install the "
                 "Debian package gnuplot-nox (./run.sh does)");
    snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("oversim plot failed: %s", out);
    assert_non_null(strstr(out, "debate_tradeoff.svg .png"));
    const char *accuracy[] = { "k random reveals (the sparse judge)",
                               "optimal debaters (minimax), honest first",
                               "trained debaters (self-play)", "optimal debaters, liar first",
                               "facts beyond verification", "over 2 seeds", NULL };
    const char *tradeoff[] = { "unaided", "assisted", "recursive depth=2",
                               "debate optimal k=1", "random reveals k=4",
                               "label cost over the whole run", NULL };
    assert_figure("accuracy", accuracy);
    assert_figure("tradeoff", tradeoff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debate_errors),
        cmocka_unit_test_setup_teardown(test_debate_rows, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_debate_script, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
