/* test_plot.c — `oversim plot` turns naive_rlhf's CSV into SVG and PNG figures
 * that name their series, fails with one clear line on a CSV missing a
 * column (leaving nothing behind), and oversim.read_csv reads by column name.
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

/* naive_rlhf with 2 seeds and 5 rounds into <tmpdir>/<sub>/naive_rlhf.csv */
static void small_csv(const char *sub)
{
    char out[256];
    snprintf(out, sizeof out, "out=%s/%s/naive_rlhf.csv", tmpdir, sub);
    char *argv[3] = { out, "seeds=2", "rounds=5" };
    lua_State *L = harness_state(3, argv);
    if (oversim_lua_run_file(L, "scripts/naive_rlhf.lua", 0) != LUA_OK)
        fail_msg("naive_rlhf.lua failed: %s", lua_tostring(L, -1));
    lua_close(L);
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

/* Each figure exists as non-empty SVG and PNG in dir; the SVG's text names
 * every string in `names` (NULL-terminated). */
static void assert_figure(const char *dir, const char *fig, const char *const *names)
{
    char p[512];
    snprintf(p, sizeof p, "%s/naive_rlhf_%s.png", dir, fig);
    long n = file_size(p);
    if (n <= 0)
        fail_msg("%s: missing or empty", p);
    FILE *f = fopen(p, "rb");
    unsigned char magic[8] = { 0 };
    assert_int_equal(fread(magic, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
    snprintf(p, sizeof p, "%s/naive_rlhf_%s.svg", dir, fig);
    char *svg = slurp(p);
    if (!svg || !*svg)
        fail_msg("%s: missing or empty", p);
    assert_non_null(strstr(svg, "<svg"));
    for (int i = 0; names[i]; i++)
        if (!strstr(svg, names[i]))
            fail_msg("%s does not name the series '%s'", p, names[i]);
    free(svg);
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
    char expect[1024];
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
             "by its file name), and its columns fit none of: naive_rlhf\n", path);
    assert_string_equal(out, expect);
    snprintf(cmd, sizeof cmd, "%s plot %s/m/absent.csv 2>&1", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: plot: cannot read %s/m/absent.csv: No such file "
             "or directory\n", tmpdir);
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
        cmocka_unit_test_setup_teardown(test_plot_missing_column, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_read_csv, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
