/* test_page.c — the teaching page (`oversim demo --html DIR`,
 * scripts/page.lua): the data embedded in it is the CSVs the runs wrote, byte
 * for byte; it fetches nothing; a scenario's names appear only as escaped
 * text; and in a real browser (headless Chromium, networking off) moving the
 * competence slider from 0 to 3 changes the displayed final deception rate to
 * the value in the data. A screenshot is taken too (README's picture is one).
 * Needs `chromium` (./run.sh test installs it); OVERSIM_NO_BROWSER=1 skips the
 * browser test, saying so. */
#include "helpers.h"
#include <stdlib.h>
#include <sys/stat.h>
#include "lua_harness.h"
#include "files.h"

/* A small grid: two competences, human and assisted, one of everything else,
 * two seeds (every run and the page in about a second). */
#define SMALL_GRID "seeds=2 rounds=12 kinds=human,assisted competence=0,3 unsure=looks " \
                   "recall=1 honesty=1 labels=32 kl=0.5 realism=0,1 cue=3 budget=0,8"

static void write_page(const char *dir, const char *extra)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s demo --html %s " SMALL_GRID " %s --quiet 2>&1", OVERSIM_BINARY,
             dir, extra);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(out, 1, sizeof out - 1, f);
    out[k] = 0;
    int st = pclose(f);
    if (st != 0)
        fail_msg("%s\n%s", cmd, out);
    if (!strstr(out, "/index.html in a browser"))
        fail_msg("the page's command says nothing of where it wrote:\n%s", out);
}

static void no_failures(const char *fn, const char *dir)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/page.lua");
    harness_call(L, LUA_TTABLE, fn, "s", dir);
    harness_no_failures(L, fn);
    lua_close(L);
}

static void test_embedded_data(void **state)
{
    (void)state;
    write_page(tmpdir, "");
    no_failures("embedded", tmpdir);
}

static void test_names_escaped(void **state)
{
    (void)state;
    write_page(tmpdir, "scenario=tests/lua/page_names.lua");
    no_failures("names_escaped", tmpdir);
}

/* Runs cmd, its output into buf; returns the exit status. */
static int run(const char *cmd, char *buf, size_t n)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = 0;
    return pclose(f);
}

static void test_browser(void **state)
{
    (void)state;
    if (getenv("OVERSIM_NO_BROWSER")) {
        print_message("browser test skipped: OVERSIM_NO_BROWSER is set\n");
        skip();
    }
    static char out[1 << 16];
    if (run("command -v chromium 2>&1", out, sizeof out) != 0)
        fail_msg("no chromium: install it (./run.sh test does) or set OVERSIM_NO_BROWSER=1");
    write_page(tmpdir, "");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp tests/page_harness.html %s/harness.html", tmpdir);
    assert_int_equal(system(cmd), 0);
    /* networking off: a fresh network namespace has no interface but lo, down */
    const char *net = run("unshare -n true 2>&1", out, sizeof out) == 0 ? "unshare -n " : NULL;
    if (!net)
        fail_msg("cannot turn networking off for the browser (unshare -n: %s); run as root", out);
    const char *flags = "--headless --no-sandbox --disable-gpu --no-first-run "
                        "--disable-extensions --allow-file-access-from-files "
                        "--virtual-time-budget=5000";
    snprintf(cmd, sizeof cmd, "cd %s && %stimeout 120 chromium %s --dump-dom "
             "file://%s/harness.html 2>/dev/null", tmpdir, net, flags, tmpdir);
    if (run(cmd, out, sizeof out) != 0)
        fail_msg("chromium failed: %s\n%s", cmd, out);
    const char *r = strstr(out, "RESULT ");
    if (!r)
        fail_msg("the harness wrote no result:\n%.2000s", out);
    char got[128] = "", comp[64] = "";
    if (sscanf(r, "RESULT %127s COMPETENCE %63s END", got, comp) != 2)
        fail_msg("unreadable result: %.200s", r);
    assert_string_equal(comp, "0,3");
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/page.lua");
    harness_call(L, LUA_TSTRING, "expected_deception", "s", tmpdir);
    const char *want = lua_tostring(L, -1);
    print_message("displayed %s, data %s\n", got, want);
    assert_string_equal(got, want);
    /* and the slider moved the number: the two differ */
    const char *semi = strchr(want, ';');
    assert_non_null(semi);
    assert_true(strncmp(want, semi + 1, (size_t)(semi - want)) != 0);
    lua_close(L);
    /* a screenshot of the page itself */
    snprintf(cmd, sizeof cmd, "cd %s && %stimeout 120 chromium %s --window-size=1280,1600 "
             "--screenshot=%s/shot.png file://%s/index.html >/dev/null 2>&1", tmpdir, net,
             flags, tmpdir, tmpdir);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    char png[512];
    snprintf(png, sizeof png, "%s/shot.png", tmpdir);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_true(st.st_size > 20000); /* a page of text and charts, not a blank image */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_embedded_data, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_names_escaped, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_browser, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
