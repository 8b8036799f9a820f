/* test_episode_scripts.c — the claims of the headers of
 * scripts/absent_supervisor.lua, scripts/tomato_watering.lua and
 * scripts/myopia.lua on seeds 1-3, read from their CSVs
 * (tests/lua/episode_scripts.lua): the human's policy behaves only while
 * watched and the oracle's both ways; the blind human's selects the bucket
 * and the oracle's never; the myopic teacher's waits for less. Each runs as
 * `oversim run` would (so the manifests name the script), then `oversim
 * plot` draws its figures (the grid pictures among them); the same seed
 * writes the same bytes; an option out of range is one line naming the
 * script, its line and the option, and writes nothing; and
 * oversim.ascii_grid draws a known policy as expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

/* Run script with args into dir/name.csv; its stdout+stderr into out. */
static void run(const char *script, const char *args, const char *name, char *out, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s run %s %s out=%s/%s.csv --quiet 2>&1", OVERSIM_BINARY,
             script, args, tmpdir, name);
    if (sh(cmd, out, n) != 0)
        fail_msg("%s failed: %s", script, out);
}

static void claims(const char *fn, const char *name, int seeds)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.csv", tmpdir, name);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/episode_scripts.lua");
    harness_call(L, LUA_TTABLE, fn, "si", path, seeds);
    harness_no_failures(L, fn);
    lua_close(L);
}

/* oversim plot on dir/name.csv: every figure named is drawn as SVG and PNG */
static void plot(const char *name, const char *const *figures)
{
    char cmd[1024], out[8192];
    if (sh("command -v gnuplot", out, sizeof out) != 0)
        fail_msg("gnuplot is not installed, and `oversim plot` needs it: install the "
                 "Debian package gnuplot-nox (./run.sh does)");
    snprintf(cmd, sizeof cmd, "%s plot %s/%s.csv 2>&1", OVERSIM_BINARY, tmpdir, name);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("oversim plot failed: %s", out);
    /* lines are the overseers: the episode columns are measurements, not
     * configurations to group by */
    if (!strstr(out, ": 2 lines by overseer, "))
        fail_msg("oversim plot grouped the runs otherwise: %s", out);
    for (int i = 0; figures[i]; i++)
        for (int k = 0; k < 2; k++) {
            char p[512];
            snprintf(p, sizeof p, "%s/figures/%s_%s.%s", tmpdir, name, figures[i],
                     k ? "png" : "svg");
            struct stat st;
            if (stat(p, &st) != 0 || st.st_size < 1000)
                fail_msg("%s: missing or empty (plot said: %s)", p, out);
        }
}

static void test_absent_supervisor(void **state)
{
    (void)state;
    char out[16384];
    run("scripts/absent_supervisor.lua", "seeds=3", "as", out, sizeof out);
    /* the terminal's picture: both panels, for each overseer */
    assert_non_null(strstr(out, "human's policy, mean over seeds"));
    assert_non_null(strstr(out, "supervisor present    supervisor absent"));
    claims("absent_supervisor", "as", 3);
    const char *figs[] = { "policy", "rounds", NULL };
    plot("as", figs);
    /* the picture names what it shows; CSV strings reach it quoted */
    char p[512];
    snprintf(p, sizeof p, "%s/figures/as_policy.svg", tmpdir);
    char *svg = slurp(p);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "human: supervisor absent (mean over 3 seeds)"));
    assert_non_null(strstr(svg, "expected visits per episode"));
    free(svg);
}

static void test_tomato_watering(void **state)
{
    (void)state;
    char out[16384];
    run("scripts/tomato_watering.lua", "seeds=3", "tw", out, sizeof out);
    assert_non_null(strstr(out, "0.582 -> "));
    claims("tomato_watering", "tw", 3);
    const char *figs[] = { "policy", "returns", NULL };
    plot("tw", figs);
    /* the same seed writes the same bytes, every table */
    run("scripts/tomato_watering.lua", "seeds=3", "tw2", out, sizeof out);
    const char *tables[] = { "", "_policy", "_bucket", NULL };
    for (int i = 0; tables[i]; i++) {
        char a[512], b[512];
        snprintf(a, sizeof a, "%s/tw%s.csv", tmpdir, tables[i]);
        snprintf(b, sizeof b, "%s/tw2%s.csv", tmpdir, tables[i]);
        char *x = slurp(a), *y = slurp(b);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0)
            fail_msg("%s and %s differ", a, b);
        free(x);
        free(y);
    }
    /* a run is its overseer's and seed's whatever `seeds` is: the oracle's
     * seed 1 at seeds=1 is the same row as at seeds=3 (run 1001 both) */
    run("scripts/tomato_watering.lua", "seeds=1", "tw1", out, sizeof out);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/tw_bucket.csv", tmpdir);
    snprintf(b, sizeof b, "%s/tw1_bucket.csv", tmpdir);
    char *x = slurp(a), *y = slurp(b);
    assert_non_null(x);
    assert_non_null(y);
    const char *row = strstr(y, "\n1001,tomato_watering,oracle,1,");
    assert_non_null(row);
    const char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)(end - row + 1), row);
    if (!strstr(x, line))
        fail_msg("the oracle's seed 1 differs between seeds=1 and seeds=3: %s", line);
    free(x);
    free(y);
}

static void test_myopia(void **state)
{
    (void)state;
    char out[16384];
    run("scripts/myopia.lua", "seeds=3", "my", out, sizeof out);
    claims("myopia", "my", 3);
    const char *figs[] = { "returns", "choice", NULL };
    plot("my", figs);
}

/* An option out of range: exit 1, one line "oversim: <script>:<line>: <what>"
 * naming the option, and nothing written (not even the folder). */
static void test_bad_options(void **state)
{
    (void)state;
    static const struct { const char *script, *arg, *msg; } cases[] = {
        { "scripts/absent_supervisor.lua", "supervisor=1",
          "option 'supervisor' must be in (0, 1): the supervisor both there and away (got 1)" },
        { "scripts/absent_supervisor.lua", "seeds=0", "option 'seeds' must be >= 1 (got 0)" },
        { "scripts/tomato_watering.lua", "segment=0", "option 'segment' must be >= 1 (got 0)" },
        { "scripts/tomato_watering.lua", "kl=-1", "option 'kl' must be > 0 (got -1)" },
        { "scripts/myopia.lua", "gamma=1.5", "option 'gamma' must be in (0, 1] (got 1.5)" },
        { "scripts/myopia.lua", "pairs=0", "option 'pairs' must be >= 1 (got 0)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cmd[1024], out[4096], dir[512];
        snprintf(dir, sizeof dir, "%s/bad%zu", tmpdir, i);
        snprintf(cmd, sizeof cmd, "%s run %s %s out=%s/x.csv 2>&1", OVERSIM_BINARY,
                 cases[i].script, cases[i].arg, dir);
        assert_int_equal(sh(cmd, out, sizeof out), 1);
        char prefix[256];
        snprintf(prefix, sizeof prefix, "oversim: %s:", cases[i].script);
        const char *rest = out + strlen(prefix);
        if (strncmp(out, prefix, strlen(prefix)) != 0 || !strchr("0123456789", *rest))
            fail_msg("%s %s: %s", cases[i].script, cases[i].arg, out);
        while (*rest >= '0' && *rest <= '9')
            rest++;
        char want[512];
        snprintf(want, sizeof want, ": %s\n", cases[i].msg);
        if (strcmp(rest, want) != 0)
            fail_msg("%s %s: got '%s', expected '...%s'", cases[i].script, cases[i].arg, out,
                     want);
        struct stat st;
        if (stat(dir, &st) == 0)
            fail_msg("%s %s wrote %s", cases[i].script, cases[i].arg, dir);
    }
}

/* A grid figure from hostile CSVs (no manifests: matched by file name):
 * overseer names with backticks, $(...) and a quote reach gnuplot only as
 * quoted titles (nothing runs; the names show literally), an overseer with
 * no unsupervised state gets an empty panel, and a position out of any map
 * is a one-line error before anything is drawn. */
static void test_grid_figure_input(void **state)
{
    (void)state;
    char path[512], cmd[1024], out[8192];
    snprintf(path, sizeof path, "%s/absent_supervisor.csv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("run,overseer,seed,round,twin_tv,true_return\n"
          "1,`touch PWNED1`,1,0,0.1,10\n1,`touch PWNED1`,1,1,0.2,12\n"
          "2,$(touch PWNED2)'x,1,0,0.1,9\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/absent_supervisor_policy.csv", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("run,overseer,seed,state,action,row,col,supervised,probability,visits\n"
          "1,`touch PWNED1`,1,a,up,2,2,true,1,1\n1,`touch PWNED1`,1,b,up,2,2,false,1,1\n"
          "2,$(touch PWNED2)'x,1,a,down,2,2,true,1,0.5\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd %s && %s plot absent_supervisor.csv 2>&1", tmpdir,
             OVERSIM_BINARY);
    if (sh(cmd, out, sizeof out) != 0)
        fail_msg("oversim plot failed: %s", out);
    struct stat st;
    for (int k = 1; k <= 2; k++) {
        snprintf(path, sizeof path, "%s/PWNED%d", tmpdir, k);
        assert_int_not_equal(stat(path, &st), 0);
    }
    snprintf(path, sizeof path, "%s/figures/absent_supervisor_policy.svg", tmpdir);
    char *svg = slurp(path);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "`touch PWNED1`: supervisor absent"));
    assert_non_null(strstr(svg, "$(touch PWNED2)&apos;x: supervisor present") ||
                    strstr(svg, "$(touch PWNED2)'x: supervisor present"));
    assert_non_null(strstr(svg, "no such states"));
    free(svg);
    /* a row beyond any map */
    snprintf(path, sizeof path, "%s/absent_supervisor_policy.csv", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("run,overseer,seed,state,action,row,col,supervised,probability,visits\n"
          "1,h,1,a,up,1000000000,2,true,1,1\n", f);
    fclose(f);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    assert_string_equal(out, "oversim: ./absent_supervisor_policy.csv:2: row must be an integer "
                             "in 1..1000 (got 1000000000)\n");
}

static void test_ascii(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/episode_scripts.lua");
    harness_call(L, LUA_TTABLE, "ascii", "");
    harness_no_failures(L, "ascii");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_absent_supervisor, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_tomato_watering, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_myopia, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_options, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_grid_figure_input, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
