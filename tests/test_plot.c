/* test_plot.c — `oversim plot` turns the CSVs of naive_rlhf, assistance,
 * optimisers, overoptimization and label_efficiency (and the tables beside
 * them) into SVG and PNG figures that name their series, fails with one clear
 * line on a CSV missing a column (leaving nothing behind), and
 * oversim.read_csv reads by column name.
 * The plot needs gnuplot: when it is missing these tests fail and say so
 * (CI installs it through run.sh), they do not skip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* Run a shell command; returns its exit status, its stdout in buf. */
static int sh(const char *cmd, char *buf, size_t n)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void need_gnuplot(void)
{
    char buf[256];
    if (sh("command -v gnuplot", buf, sizeof buf) != 0)
        fail_msg("gnuplot is not installed, and `oversim plot` needs it: install the "
                 "Debian package gnuplot-nox (./run.sh does)");
}

/* scripts/<name>.lua with a small configuration (seeds=, rounds=) into
 * <tmpdir>/<sub>/<name>.csv */
static void run_script(const char *name, const char *sub, const char *seeds,
                       const char *rounds)
{
    char out[256], script[128];
    snprintf(out, sizeof out, "out=%s/%s/%s.csv", tmpdir, sub, name);
    snprintf(script, sizeof script, "scripts/%s.lua", name);
    char *argv[3] = { out, (char *)seeds, (char *)rounds };
    lua_State *L = harness_state(3, argv);
    if (oversim_lua_run_file(L, script, 0) != LUA_OK)
        fail_msg("%s failed: %s", script, lua_tostring(L, -1));
    lua_close(L);
}

/* naive_rlhf with 2 seeds and 5 rounds into <tmpdir>/<sub>/naive_rlhf.csv */
static void small_csv(const char *sub)
{
    run_script("naive_rlhf", sub, "seeds=2", "rounds=5");
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* No file in dir whose name contains ".tmp" (half-written figures). */
static void assert_no_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp"))
            fail_msg("temporary file left behind: %s/%s", dir, e->d_name);
    closedir(d);
}

/* Figure <base>_<fig> exists as non-empty SVG and PNG in dir; the SVG's text
 * names every string in `names` (NULL-terminated). */
static void assert_figure_of(const char *dir, const char *base, const char *fig,
                             const char *const *names)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s_%s.png", dir, base, fig);
    long n = file_size(p);
    if (n <= 0)
        fail_msg("%s: missing or empty", p);
    FILE *f = fopen(p, "rb");
    unsigned char magic[8] = { 0 };
    assert_int_equal(fread(magic, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
    snprintf(p, sizeof p, "%s/%s_%s.svg", dir, base, fig);
    char *svg = slurp(p);
    if (!svg || !*svg)
        fail_msg("%s: missing or empty", p);
    assert_non_null(strstr(svg, "<svg"));
    for (int i = 0; names[i]; i++)
        if (!strstr(svg, names[i]))
            fail_msg("%s does not name the series '%s'", p, names[i]);
    free(svg);
}

static void assert_figure(const char *dir, const char *fig, const char *const *names)
{
    assert_figure_of(dir, "naive_rlhf", fig, names);
}

/* `oversim plot <tmpdir>/<sub>/<name>.csv` succeeds and lists `listed` */
static void plot_ok(const char *sub, const char *name, const char *listed)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s plot %s/%s/%s.csv 2>&1", OVERSIM_BINARY, tmpdir, sub, name);
    int rc = sh(cmd, out, sizeof out);
    if (rc != 0)
        fail_msg("oversim plot %s.csv failed (%d): %s", name, rc, out);
    if (!strstr(out, listed))
        fail_msg("oversim plot %s.csv does not list '%s': %s", name, listed, out);
}

static void test_plot_naive_rlhf(void **state)
{
    (void)state;
    need_gnuplot();
    small_csv("r");
    char cmd[1024], out[4096], dir[512];
    snprintf(cmd, sizeof cmd, "%s plot %s/r/naive_rlhf.csv 2>&1", OVERSIM_BINARY, tmpdir);
    int rc = sh(cmd, out, sizeof out);
    if (rc != 0)
        fail_msg("oversim plot failed (%d): %s", rc, out);
    /* default folder: figures/ beside the CSV; the output says where */
    snprintf(dir, sizeof dir, "%s/r/figures", tmpdir);
    char expect[1200];
    snprintf(expect, sizeof expect, "figures for naive_rlhf (%s/r/naive_rlhf.csv, 3 overseers "
             "x 2 seeds) in %s/:\n", tmpdir, dir);
    assert_non_null(strstr(out, expect));
    assert_non_null(strstr(out, "naive_rlhf_deception.svg .png"));
    const char *per_overseer[] = { "oracle", "human-coin", "human-looks",
                                   "min–max over 2 seeds", "round (64 labels per round)", NULL };
    const char *panels[] = { "overseer: oracle", "overseer: human-coin",
                             "overseer: human-looks", "true value", "perceived value",
                             "proxy value", NULL };
    assert_figure(dir, "values", panels);
    assert_figure(dir, "deception", per_overseer);
    assert_figure(dir, "estimation", per_overseer);
    assert_no_temp_files(dir);

    /* --out puts them elsewhere, creating the folder */
    snprintf(cmd, sizeof cmd, "%s plot %s/r/naive_rlhf.csv --out %s/elsewhere/figs 2>&1",
             OVERSIM_BINARY, tmpdir, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    snprintf(dir, sizeof dir, "%s/elsewhere/figs", tmpdir);
    assert_figure(dir, "deception", per_overseer);
}

/* assistance (1 seed, 5 rounds): the cost/safety trade-off, deception and
 * true value per round, and from the tables beside the CSV the critics'
 * training per level and the discovery frontier. */
static void test_plot_assistance(void **state)
{
    (void)state;
    need_gnuplot();
    run_script("assistance", "a", "seeds=1", "rounds=5");
    plot_ok("a", "assistance", "assistance_frontier.svg .png");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/a/figures", tmpdir);
    const char *tradeoff[] = { "unaided", "assisted, recall swept (honesty 1)",
                               "assisted, recall 1, honesty &lt; 1", "recall 0.00 = honesty 0.0",
                               "depth 4", "whiskers: min–max over 1 seed", "label cost",
                               "final deception rate", "final true value", NULL };
    const char *rounds[] = { "unaided", "assisted, recall 1.00", "recursive, depth 1",
                             "recursive, depth 4", "round (64 labels per round)",
                             "min–max over 1 seed", NULL };
    const char *levels[] = { "critic 1 (labelled by level 0)", "critic 4 (labelled by level 3)",
                             "depth-4 overseer", "label accuracy", NULL };
    const char *frontier[] = { "depth 1", "depth 4", "slot difficulty",
                               "P(overseer sees the slot)", NULL };
    assert_figure_of(dir, "assistance", "tradeoff", tradeoff);
    assert_figure_of(dir, "assistance", "rounds", rounds);
    assert_figure_of(dir, "assistance", "levels", levels);
    assert_figure_of(dir, "assistance", "frontier", frontier);
    assert_no_temp_files(dir);

    /* without the tables beside it, the figures that need them are left out
     * and the output says so */
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s/a/assistance_levels.csv", tmpdir);
    assert_int_equal(remove(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s plot %s/a/assistance.csv --out %s/a/less 2>&1",
             OVERSIM_BINARY, tmpdir, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    char expect[1024];
    snprintf(expect, sizeof expect, "  (not drawn: assistance_levels, which needs "
             "%s/a/assistance_levels.csv)\n", tmpdir);
    assert_non_null(strstr(out, expect));
    snprintf(dir, sizeof dir, "%s/a/less/assistance_levels.svg", tmpdir);
    assert_int_not_equal(access(dir, F_OK), 0);
    snprintf(dir, sizeof dir, "%s/a/less", tmpdir);
    assert_figure_of(dir, "assistance", "frontier", frontier);
}

/* optimisers (1 seed, 3 rounds): final values against KL, a line per method */
static void test_plot_optimisers(void **state)
{
    (void)state;
    need_gnuplot();
    run_script("optimisers", "o", "seeds=1", "rounds=3");
    plot_ok("o", "optimisers", "optimisers_kl.svg .png");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/o/figures", tmpdir);
    const char *kl[] = { "exact (KL coef. = 16 .. 0.25)", "reinforce", "ppo", "optimum",
                         "dpo (beta = 16 .. 0.25)", "bon (n = 2 .. 64)",
                         "whiskers: min–max over 1 seed", "KL(pi || pi0)",
                         "final true value", "final deception rate", "final proxy value",
                         NULL };
    assert_figure_of(dir, "optimisers", "kl", kl);
}

/* overoptimization (1 seed, 40 RL rounds): gold and proxy against d with the
 * pooled fits, and each seed's own fit */
static void test_plot_overoptimization(void **state)
{
    (void)state;
    need_gnuplot();
    run_script("overoptimization", "g", "seeds=1", "rounds=40");
    plot_ok("g", "overoptimization", "overoptimization_fits.svg .png");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/g/figures", tmpdir);
    const char *gold[] = { "RL path", "best-of-n", "RL fit d(α − β log d)", "BoN fit d(α − β d)",
                           "pooled (seed 'all')", "d = sqrt(KL(pi || pi0))", "gold", "proxy",
                           NULL };
    const char *fits[] = { "seed 1", "RL path", "best-of-n", "fit d(α − β log d)", NULL };
    assert_figure_of(dir, "overoptimization", "gold", gold);
    assert_figure_of(dir, "overoptimization", "fits", fits);

    /* a fit table without a column the figure reads: one line naming that
     * file and column, and no figure (of either kind) written */
    char path[512], cmd[1024], out[4096];
    snprintf(path, sizeof path, "%s/g/overoptimization_fit.csv", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("seed,alpha,method\nall,0.1,rl\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s plot %s/g/overoptimization.csv --out %s/g/bad 2>&1",
             OVERSIM_BINARY, tmpdir, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    char expect[1024];
    snprintf(expect, sizeof expect, "oversim: %s: no column 'beta' (the overoptimization "
             "figure 'gold' needs it)\n", path);
    assert_string_equal(out, expect);
    snprintf(cmd, sizeof cmd, "%s/g/bad", tmpdir);
    assert_int_not_equal(access(cmd, F_OK), 0);
}

/* label_efficiency (2 seeds, 4 rounds): true value against labels and
 * against label cost, and deception against label cost, a panel per query and
 * a band per overseer */
static void test_plot_label_efficiency(void **state)
{
    (void)state;
    need_gnuplot();
    run_script("label_efficiency", "e", "seeds=2", "rounds=4");
    plot_ok("e", "label_efficiency", "label_efficiency_deception.svg .png");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/e/figures", tmpdir);
    const char *value[] = { "expert (10 a label)", "crowd (1 a label)",
                            "crowd-shallow (1 a label)", "min–max over 2 seeds",
                            "uniform queries (pairs drawn from the policy): against labels",
                            "disagreement queries (the pairs the ensemble disagrees on most): "
                            "against label cost",
                            "labels so far (count, log scale", "true value E[v*]",
                            "4 rounds of 160 cost units", "linear ensemble of 5", NULL };
    const char *deception[] = { "expert (10 a label)", "crowd (1 a label)",
                                "crowd-shallow (1 a label)", "min–max over 2 seeds",
                                "uniform queries", "disagreement queries",
                                "label cost so far", "deception rate", NULL };
    assert_figure_of(dir, "label_efficiency", "value", value);
    assert_figure_of(dir, "label_efficiency", "deception", deception);
    assert_no_temp_files(dir);
}

/* A CSV without a column a figure needs: one line naming the file and the
 * column, exit 1, and no figure written (not even a folder for them). */
static void test_plot_missing_column(void **state)
{
    (void)state;
    need_gnuplot();
    char path[512], cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s/m", tmpdir);
    assert_int_equal(mkdir(cmd, 0700), 0);
    snprintf(path, sizeof path, "%s/m/naive_rlhf.csv", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("run,scenario,overseer,seed,round,true_value,perceived_value,proxy_value\n"
          "1,hidden_bug,oracle,1,0,0.35,0.35,0\n"
          "1,hidden_bug,oracle,1,1,0.8,0.8,3\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    char expect[2048];
    snprintf(expect, sizeof expect, "oversim: %s: no column 'deception_rate' (the naive_rlhf "
             "figure 'deception' needs it)\n", path);
    assert_string_equal(out, expect);
    snprintf(cmd, sizeof cmd, "%s/m/figures", tmpdir);
    assert_int_not_equal(access(cmd, F_OK), 0);

    /* a CSV no experiment's figures fit; a file that is not there */
    snprintf(path, sizeof path, "%s/m/other.csv", tmpdir);
    f = fopen(path, "w");
    fputs("a,b\n1,2\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: %s: no figures for experiment 'other' (named "
             "by its file name), and its columns fit none of: naive_rlhf, assistance, "
             "optimisers, overoptimization, label_efficiency\n", path);
    assert_string_equal(out, expect);
    snprintf(cmd, sizeof cmd, "%s plot %s/m/absent.csv 2>&1", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: plot: cannot read %s/m/absent.csv: No such file "
             "or directory\n", tmpdir);
    assert_string_equal(out, expect);
    /* each new experiment's CSV without one of its columns */
    static const struct {
        const char *name, *header, *row, *column, *figure;
    } cases[] = {
        { "assistance", "run,scenario,overseer,seed,round,config,recall,honesty,depth,"
          "label_cost,true_value", "1,hidden_bug,unaided,1,0,unaided,0,0,0,0,0.35",
          "deception_rate", "tradeoff" },
        { "optimisers", "run,scenario,overseer,seed,round,method,strength,kl,true_value,"
          "proxy_value", "1,random_flaws,human-looks,1,0,exact,16,0,-0.27,0",
          "deception_rate", "kl" },
        { "overoptimization", "seed,method,d,gold,proxy,step", "1,rl,0.1,0.01,0.02,1", "n",
          "gold" },
        { "label_efficiency", "run,scenario,overseer,seed,round,labels,label_cost,label_price,"
          "true_value,deception_rate,rm,ensemble", "1,random_flaws,expert,1,0,0,0,10,-0.28,0.26,"
          "linear,5", "query", "value" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/m/%s.csv", tmpdir, cases[i].name);
        f = fopen(path, "w");
        fprintf(f, "%s\n%s\n", cases[i].header, cases[i].row);
        fclose(f);
        snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
        assert_int_equal(sh(cmd, out, sizeof out), 1);
        snprintf(expect, sizeof expect, "oversim: %s: no column '%s' (the %s figure '%s' "
                 "needs it)\n", path, cases[i].column, cases[i].name, cases[i].figure);
        assert_string_equal(out, expect);
    }
    snprintf(cmd, sizeof cmd, "%s/m/figures", tmpdir);
    assert_int_not_equal(access(cmd, F_OK), 0);

    /* a table a script writes beside its CSV carries the script's manifest;
     * plotting it points at the CSV */
    snprintf(path, sizeof path, "%s/m/naive_rlhf_policy.csv", tmpdir);
    f = fopen(path, "w");
    fputs("run,context,behaviour\n1,easy,honest\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s.manifest", path);
    f = fopen(cmd, "w");
    fputs("oversim_version: 0.1.0\nscript: scripts/naive_rlhf.lua\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s plot %s 2>&1", OVERSIM_BINARY, path);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: %s: no column 'scenario' (the naive_rlhf figure "
             "'values' needs it; %s is a table beside %s/m/naive_rlhf.csv, plot that)\n",
             path, path, tmpdir);
    assert_string_equal(out, expect);

    assert_int_equal(sh(OVERSIM_BINARY " plot 2>&1", out, sizeof out), 1);
    assert_string_equal(out, "oversim: plot needs a CSV file (oversim plot FILE.csv "
                             "[--out DIR])\n");
}

/* read_csv gives back what write_csv wrote, by column name: numbers as
 * numbers, empty cells as nil, booleans, quoted strings. */
static void test_read_csv(void **state)
{
    (void)state;
    char code[2048], buf[1024];
    snprintf(code, sizeof code,
             "local p = '%s/rt.csv'\n"
             "oversim.write_csv(p, { { a = 1, b = 'x, \"y\"', c = true },\n"
             "                       { a = 2.5, c = false } })\n"
             "local rows, cols = oversim.read_csv(p)\n"
             "assert(#rows == 2 and #cols == 3, 'shape')\n"
             "assert(cols[1] == 'a' and cols[2] == 'b' and cols[3] == 'c', 'column order')\n"
             "assert(rows[1].a == 1 and math.type(rows[1].a) == 'integer', 'integer')\n"
             "assert(rows[1].b == 'x, \"y\"', 'quoted: ' .. tostring(rows[1].b))\n"
             "assert(rows[1].c == true and rows[2].c == false, 'booleans')\n"
             "assert(rows[2].a == 2.5 and rows[2].b == nil, 'float, empty')\n"
             "local f = io.open('%s/bad.csv', 'w'); f:write('a,b\\n1,2\\n3\\n'); f:close()\n"
             "local ok, e = pcall(oversim.read_csv, '%s/bad.csv')\n"
             "return e\n", tmpdir, tmpdir, tmpdir);
    lua_State *L = harness_state(0, NULL);
    const char *err = harness_run(L, code, buf, sizeof buf);
    if (err)
        fail_msg("%s", err);
    char expect[512];
    snprintf(expect, sizeof expect, "%s/bad.csv:3: 1 cells, but the header has 2 columns",
             tmpdir);
    assert_string_equal(lua_tostring(L, -1), expect);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plot_naive_rlhf, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_assistance, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_optimisers, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_overoptimization, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_label_efficiency, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_missing_column, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_read_csv, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
