/* test_control_lua.c — oversim.control from Lua (the checks are in
 * tests/lua/control.lua): bad input is one line naming the file, the line and
 * the field; rows have the shape README gives and the same seed writes the
 * same CSV; scripts/control.lua (n=500) shows what its header claims, and
 * `oversim plot` draws its three figures (gnuplot needed, as in test_plot.c). */
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
    harness_load(L, "tests/lua/control.lua");
    return L;
}

/* The error cases of tests/lua/control.lua, each in a fresh state. */
static void test_control_errors(void **state)
{
    (void)state;
    lua_State *L = load();
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "control errors");
    lua_close(L);
}

static void test_control_rows(void **state)
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
    snprintf(p, sizeof p, "%s/figures/control_%s.png", tmpdir, fig);
    char *png = slurp(p);
    if (!png)
        fail_msg("%s: missing", p);
    free(png);
    snprintf(p, sizeof p, "%s/figures/control_%s.svg", tmpdir, fig);
    char *svg = slurp(p);
    if (!svg || !strstr(svg, "<svg"))
        fail_msg("%s: missing or not SVG", p);
    for (int i = 0; names[i]; i++)
        if (!strstr(svg, names[i]))
            fail_msg("%s does not name '%s'", p, names[i]);
    free(svg);
}

/* scripts/control.lua at n = 500 (run by the oversim command, so that its
 * manifest names the script): the claims of its header; then its figures. */
static void test_control_script(void **state)
{
    (void)state;
    char cmd[1024], out[16384], path[512];
    snprintf(path, sizeof path, "%s/control.csv", tmpdir);
    snprintf(cmd, sizeof cmd, "%s run scripts/control.lua n=500 trials=1000 out=%s --quiet 2>&1",
             OVERSIM_BINARY, path);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("scripts/control.lua failed: %s", out);
    assert_non_null(strstr(out, "safety-usefulness frontier:"));
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "script", "s", path), 0);
    lua_close(L);

    if (sh("command -v gnuplot", out, sizeof out) != 0)
        fail_msg("gnuplot is not installed, and `oversim plot` needs it: install the "
                 "Debian package gnuplot-nox (./run.sh does)");
    snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("oversim plot failed: %s", out);
    assert_non_null(strstr(out, "control_attack_rate.svg .png"));
    const char *safety[] = { "upfront", "random", "trusted monitoring d'=2",
                             "defer to trusted d'=3, 10% deferred",
                             "audit budget a (% of tasks audited, log scale)",
                             "the closed form", "N = 500 tasks", NULL };
    const char *frontier[] = { "defer to trusted d'=1", "defer to trusted d'=3",
                               "usefulness (1 − deferred fraction", NULL };
    const char *rate[] = { "the red team's optimal p* (lowest safety)",
                           "deployments whose audits ran out (%)", NULL };
    assert_figure("safety", safety);
    assert_figure("frontier", frontier);
    assert_figure("attack_rate", rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_errors),
        cmocka_unit_test_setup_teardown(test_control_rows, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_control_script, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
