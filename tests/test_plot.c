/* test_plot.c — `oversim plot` turns the CSVs of naive_rlhf, assistance,
 * optimisers, overoptimization and label_efficiency (and the tables beside
 * them) into SVG and PNG figures that name their series. CSVs written by the
 * tests themselves (grouping, missing columns, injection, read_csv):
 * test_plot_input.c.
 * The plot needs gnuplot: when it is missing these tests fail and say so
 * (CI installs it through run.sh), they do not skip. */
#include "plot_helpers.h"

/* scripts/<name>.lua with a small configuration (seeds=, rounds=) into
 * <tmpdir>/<sub>/<name>.csv, run by the oversim command so that the manifest
 * names the script as a user's run would */
static void run_script(const char *name, const char *sub, const char *seeds,
                       const char *rounds)
{
    char cmd[1024], out[8192];
    snprintf(cmd, sizeof cmd, "%s run scripts/%s.lua %s %s out=%s/%s/%s.csv --quiet 2>&1",
             OVERSIM_BINARY, name, seeds, rounds, tmpdir, sub, name);
    int rc = sh(cmd, out, sizeof out);
    if (rc != 0)
        fail_msg("scripts/%s.lua failed (%d): %s", name, rc, out);
}

/* naive_rlhf with 2 seeds and 5 rounds into <tmpdir>/<sub>/naive_rlhf.csv */
static void small_csv(const char *sub)
{
    run_script("naive_rlhf", sub, "seeds=2", "rounds=5");
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
    snprintf(expect, sizeof expect, "figures for naive_rlhf (%s/r/naive_rlhf.csv: 3 lines by "
             "overseer, 2 seeds each) in %s/:\n", tmpdir, dir);
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
    /* the policy table the script wrote beside the CSV: pi against pi0 */
    assert_non_null(strstr(out, "naive_rlhf_pi.svg .png"));
    const char *pi[] = { "naive_rlhf on hidden_bug: the final policy", "context: easy",
                         "context: hard", "pi, oracle (2 seeds)", "pi, human-looks (2 seeds)",
                         "prior pi0", "(deceptive)", NULL };
    assert_figure(dir, "pi", pi);
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
    /* the labels_per_round column says 64 for every run (the recursive
     * overseers' cumulative labels also count their critics', so labels at
     * round 1 would not) */
    const char *rounds[] = { "unaided", "assisted, recall 1.00", "recursive, depth 1",
                             "recursive, depth 4", ">round (64 labels per round)<",
                             "min–max over 1 seed", NULL };
    const char *levels[] = { "critic 1 (labelled by level 0)", "critic 4 (labelled by level 3)",
                             "depth-4 overseer", "label accuracy", NULL };
    const char *frontier[] = { "depth 1", "depth 4", "slot difficulty",
                               "P(overseer sees the slot)", NULL };
    assert_figure_of(dir, "assistance", "tradeoff", tradeoff);
    assert_figure_of(dir, "assistance", "rounds", rounds);
    assert_figure_of(dir, "assistance", "levels", levels);
    assert_figure_of(dir, "assistance", "frontier", frontier);
    /* the standard figures too, lines by configuration; the module's
     * frontier, not the standard detection figure, shows _critics.csv */
    const char *deception[] = { ">unaided<", ">assisted recall=0.25<", ">recursive depth=4<",
                                "assistance on hidden_bug: deception rate per round",
                                "line: mean over 1 seed", NULL };
    assert_figure_of(dir, "assistance", "deception", deception);
    char det[600];
    snprintf(det, sizeof det, "%s/assistance_detection.svg", dir);
    assert_int_not_equal(access(det, F_OK), 0);
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
 * shared-beta fits (their bootstrap interval over seeds), and each seed's own
 * fit; no standard per-round figures (the module turns them off) */
static void test_plot_overoptimization(void **state)
{
    (void)state;
    need_gnuplot();
    run_script("overoptimization", "g", "seeds=1", "rounds=40");
    plot_ok("g", "overoptimization", "overoptimization_fits.svg .png");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/g/figures", tmpdir);
    char std_fig[600];
    snprintf(std_fig, sizeof std_fig, "%s/overoptimization_deception.svg", dir);
    assert_int_equal(access(std_fig, F_OK), -1);
    const char *gold[] = { "RL path", "best-of-n", "RL fit d(α − β log d)", "BoN fit d(α − β d)",
                           "one beta shared by all seeds", "95% CI", "d = sqrt(KL(pi || pi0))",
                           "gold", "proxy", NULL };
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
    strcat(path, ".manifest"); /* a hand-made table: its old manifest would refuse it */
    remove(path);
    path[strlen(path) - strlen(".manifest")] = 0;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plot_naive_rlhf, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_assistance, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_optimisers, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_overoptimization, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_label_efficiency, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
