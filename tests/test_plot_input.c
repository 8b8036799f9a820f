/* test_plot_input.c — `oversim plot` on CSVs the tests write: a missing
 * column is one clear line and leaves nothing behind; configurations and
 * methods are grouped into lines; a figure module beside a script and a CSV
 * named after analysis/'s own files are not code to run; policy and critic
 * tables get their figures; user strings never reach gnuplot as code; and
 * oversim.read_csv reads by column name. Needs gnuplot (test_plot.c). */
#include "plot_helpers.h"

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
    snprintf(expect, sizeof expect, "oversim: %s: no figures: no figure module for experiment "
             "'other' (other.plot.lua beside its script, or analysis/other.lua), and not the "
             "columns of any standard figure: per round (seed, round, true_value, "
             "perceived_value, proxy_value); a policy table (context, behaviour, prior, "
             "probability); a critics table (level, context, shift, difficulty, detect)\n",
             path);
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
    snprintf(expect, sizeof expect, "oversim: %s: no column 'seed' (the naive_rlhf figure "
             "'values' needs it; %s is a table beside %s/m/naive_rlhf.csv, plot that)\n",
             path, path, tmpdir);
    assert_string_equal(out, expect);

    assert_int_equal(sh(OVERSIM_BINARY " plot 2>&1", out, sizeof out), 1);
    assert_string_equal(out, "oversim: plot needs a CSV file (oversim plot FILE.csv "
                             "[--out DIR] [--by COL,...])\n");
}

/* Write text to <tmpdir>/<rel>. */
static void write_text(const char *rel, const char *text)
{
    char path[sizeof tmpdir + 512 + 1]; /* rel: under 512 bytes (write_manifest's) */
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* A manifest beside <tmpdir>/<rel> naming `script` as what wrote it. */
static void write_manifest(const char *rel, const char *script)
{
    char name[512], text[1200];
    snprintf(name, sizeof name, "%s.manifest", rel);
    snprintf(text, sizeof text, "oversim_version: 0.1.0\ncommand: oversim run %s\n"
             "script: %s\n", script, script);
    write_text(name, text);
}

/* `oversim plot <tmpdir>/<rel> <extra>` (run in <tmpdir>), its exit status,
 * its output (stdout and stderr) in out */
static int plot_cmd(const char *rel, const char *extra, char *out, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s plot %s/%s %s 2>&1", tmpdir, OVERSIM_BINARY,
             tmpdir, rel, extra);
    return sh(cmd, out, n);
}

/* how many times needle occurs in hay */
static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* the SVG <tmpdir>/<dir>/<name>.svg as a string (fails when missing) */
static char *svg_of(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s/%s.svg", tmpdir, dir, name);
    char *svg = slurp(p);
    if (!svg || !*svg)
        fail_msg("%s: missing or empty", p);
    return svg;
}

/* A per-round CSV the test writes: n_cfg configurations of (kl_coef,
 * labels_per_round), seeds[i] seeds of configuration i, 3 rounds; overseer
 * "human" throughout. */
static void write_sweep(const char *rel, int n_kl, int n_lpr, const int *seeds)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("run,scenario,overseer,seed,round,labels,label_cost,true_value,proxy_value,"
          "perceived_value,kl,deception_rate,overestimation,underestimation,kl_coef,"
          "labels_per_round\n", f);
    static const double kls[] = { 0.5, 1, 2 };
    static const int lprs[] = { 16, 32, 64, 128 };
    int run = 0, cfg = 0;
    for (int k = 0; k < n_kl; k++)
        for (int l = 0; l < n_lpr; l++, cfg++)
            for (int s = 1; s <= seeds[cfg]; s++) {
                run++;
                for (int r = 0; r <= 3; r++)
                    fprintf(f, "%d,hidden_bug,human,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,"
                            "%.3f,%.3f,%g,%d\n", run, s, r, r * lprs[l], r * lprs[l],
                            0.3 + 0.01 * r * (cfg + 1) + 0.001 * s, 0.1 * r, 0.5 + 0.02 * r,
                            0.05 * r, 0.25 + 0.01 * r * k, 0.02 * r, 0.0, kls[k], lprs[l]);
            }
    fclose(f);
}

/* A 12-configuration x 8-seed sweep (overseer constant): 12 lines by default,
 * labelled by the two columns that vary, over 8 seeds (not 96), titled by
 * the manifest's script and not as naive RLHF; --by picks the columns. */
static void test_plot_groups_configurations(void **state)
{
    (void)state;
    need_gnuplot();
    char out[8192];
    int seeds[12];
    for (int i = 0; i < 12; i++)
        seeds[i] = 8;
    write_sweep("sweep.csv", 3, 4, seeds);
    write_manifest("sweep.csv", "scripts/my_sweep.lua");
    int rc = plot_cmd("sweep.csv", "", out, sizeof out);
    if (rc != 0)
        fail_msg("plot failed (%d): %s", rc, out);
    if (!strstr(out, ": 12 lines by kl_coef, labels_per_round, 8 seeds each) in "))
        fail_msg("the output does not say 12 lines over 8 seeds: %s", out);
    char *svg = svg_of("figures", "sweep_deception");
    static const double kls[] = { 0.5, 1, 2 };
    static const int lprs[] = { 16, 32, 64, 128 };
    for (int k = 0; k < 3; k++)
        for (int l = 0; l < 4; l++) {
            char label[128];
            snprintf(label, sizeof label, ">kl_coef=%g, labels_per_round=%d<", kls[k], lprs[l]);
            if (count_of(svg, label) != 1)
                fail_msg("deception: legend label '%s' appears %d times, not once", label,
                         count_of(svg, label));
        }
    assert_int_equal(count_of(svg, "kl_coef="), 12);
    assert_non_null(strstr(svg, "my_sweep on hidden_bug: deception rate per round"));
    assert_non_null(strstr(svg, "line: mean over 8 seeds"));
    assert_null(strstr(svg, "96 seeds"));
    assert_null(strstr(svg, "naive"));
    assert_non_null(strstr(svg, "band: min–max over 8 seeds"));
    free(svg);
    svg = svg_of("figures", "sweep_values");
    assert_int_equal(count_of(svg, "(8 seeds)"), 12); /* a panel per line */
    assert_null(strstr(svg, "naive"));
    free(svg);
    svg = svg_of("figures", "sweep_estimation");
    assert_null(strstr(svg, "naive"));
    free(svg);

    /* --by one column: 3 lines, each still over 8 distinct seeds */
    rc = plot_cmd("sweep.csv", "--by kl_coef --out by", out, sizeof out);
    if (rc != 0)
        fail_msg("plot --by failed (%d): %s", rc, out);
    svg = svg_of("by", "sweep_deception");
    assert_int_equal(count_of(svg, "kl_coef="), 3);
    assert_non_null(strstr(svg, ">kl_coef=0.5<"));
    assert_null(strstr(svg, "labels_per_round="));
    assert_non_null(strstr(svg, "line: mean over 8 seeds"));
    free(svg);

    /* an unknown column: one line naming it, a close match and the columns */
    rc = plot_cmd("sweep.csv", "--by kl_coef,nosuch --out bad", out, sizeof out);
    assert_int_equal(rc, 1);
    char expect[2048];
    snprintf(expect, sizeof expect, "oversim: %s/sweep.csv: --by names no column 'nosuch'; "
             "its columns are: run, scenario, overseer, seed, round, labels, label_cost, "
             "true_value, proxy_value, perceived_value, kl, deception_rate, overestimation, "
             "underestimation, kl_coef, labels_per_round\n", tmpdir);
    assert_string_equal(out, expect);
    rc = plot_cmd("sweep.csv", "--by kl_cof --out bad", out, sizeof out);
    assert_int_equal(rc, 1);
    snprintf(expect, sizeof expect, "oversim: %s/sweep.csv: --by names no column 'kl_cof' "
             "(did you mean 'kl_coef'?); its columns are: run, scenario, overseer, seed, "
             "round, labels, label_cost, true_value, proxy_value, perceived_value, kl, "
             "deception_rate, overestimation, underestimation, kl_coef, labels_per_round\n",
             tmpdir);
    assert_string_equal(out, expect);
    char bad[512];
    snprintf(bad, sizeof bad, "%s/bad", tmpdir);
    assert_int_not_equal(access(bad, F_OK), 0);
    /* --by outside plot, and without its list */
    assert_int_equal(sh(OVERSIM_BINARY " run x.lua --by a 2>&1", out, sizeof out), 1);
    assert_string_equal(out, "oversim: --by is an option of 'oversim plot'\n");
    assert_int_equal(plot_cmd("sweep.csv", "--by", out, sizeof out), 1);
    assert_string_equal(out, "oversim: --by takes a list of columns (--by col1,col2)\n");
}

/* Three methods with 3, 4 and 5 seeds: three lines, the title says 3–5
 * seeds; an empty cell is a value of its own ("default"). */
static void test_plot_methods(void **state)
{
    (void)state;
    need_gnuplot();
    char path[512];
    snprintf(path, sizeof path, "%s/opt.csv", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("run,scenario,overseer,seed,round,true_value,deception_rate,method,beta\n", f);
    static const char *methods[] = { "exact", "dpo", "bon" };
    static const char *betas[] = { "", "0.5", "" };
    int run = 0;
    for (int m = 0; m < 3; m++)
        for (int s = 1; s <= 3 + m; s++) {
            run++;
            for (int r = 0; r <= 2; r++)
                fprintf(f, "%d,random_flaws,human-looks,%d,%d,%.3f,%.3f,%s,%s\n", run, s, r,
                        0.1 * r * m, 0.25 - 0.02 * r * m, methods[m], betas[m]);
        }
    fclose(f);
    write_manifest("opt.csv", "elsewhere/compare.lua");
    char out[4096];
    int rc = plot_cmd("opt.csv", "", out, sizeof out);
    if (rc != 0)
        fail_msg("plot failed (%d): %s", rc, out);
    /* without perceived value and estimation columns: the deception figure only */
    assert_non_null(strstr(out, "opt_deception.svg .png"));
    assert_null(strstr(out, "opt_values"));
    char *svg = svg_of("figures", "opt_deception");
    /* beta follows from method, so the legend names the method alone */
    assert_int_equal(count_of(svg, ">method=exact<"), 1);
    assert_int_equal(count_of(svg, ">method=dpo<"), 1);
    assert_int_equal(count_of(svg, ">method=bon<"), 1);
    assert_non_null(strstr(svg, "compare on random_flaws: deception rate per round"));
    assert_non_null(strstr(svg, "line: mean over 3–5 seeds"));
    assert_non_null(strstr(svg, "band: min–max over 3–5 seeds"));
    free(svg);
    rc = plot_cmd("opt.csv", "--by beta --out b", out, sizeof out);
    if (rc != 0)
        fail_msg("plot --by beta failed (%d): %s", rc, out);
    svg = svg_of("b", "opt_deception");
    assert_int_equal(count_of(svg, ">beta=default<"), 1);
    assert_int_equal(count_of(svg, ">beta=0.5<"), 1);
    free(svg);
}

/* A figure module beside the script the manifest names is code: it is not
 * run unasked (the output suggests it), and --figures runs it, with the
 * standard figures the CSV has columns for. */
static void test_plot_module_beside_script(void **state)
{
    (void)state;
    need_gnuplot();
    int seeds[1] = { 2 };
    write_sweep("c.csv", 1, 1, seeds);
    char script[512], module[600], opts[700];
    snprintf(script, sizeof script, "%s/tests/lua/plot_custom.lua", OVERSIM_SOURCE_DIR);
    snprintf(module, sizeof module, "%s/tests/lua/plot_custom.plot.lua", OVERSIM_SOURCE_DIR);
    write_manifest("c.csv", script);
    char out[4096];
    int rc = plot_cmd("c.csv", "", out, sizeof out);
    if (rc != 0)
        fail_msg("plot failed (%d): %s", rc, out);
    assert_null(strstr(out, "c_custom.svg .png"));
    char want[1400];
    snprintf(want, sizeof want, "(not run: %s, the figure module beside the script the "
             "manifest names; it is code: to draw its figures, plot with --figures %s)",
             module, module);
    if (!strstr(out, want))
        fail_msg("no suggestion '%s': %s", want, out);
    snprintf(opts, sizeof opts, "--figures %s", module);
    rc = plot_cmd("c.csv", opts, out, sizeof out);
    if (rc != 0)
        fail_msg("plot --figures failed (%d): %s", rc, out);
    if (!strstr(out, "figures for plot_custom ("))
        fail_msg("not named by the manifest's script: %s", out);
    assert_non_null(strstr(out, "c_custom.svg .png"));
    assert_non_null(strstr(out, "c_deception.svg .png"));
    const char *custom[] = { "custom figure from plot_custom.plot.lua", "every run", NULL };
    char dir[512];
    snprintf(dir, sizeof dir, "%s/figures", tmpdir);
    assert_figure_of(dir, "c", "custom", custom);
    /* a single configuration: one line, named by its overseer */
    const char *one[] = { ">human<", "plot_custom on hidden_bug", "mean over 2 seeds", NULL };
    assert_figure_of(dir, "c", "deception", one);
}

/* A CSV named after one of analysis/'s own files (plot, standard, figlib) is
 * not taken for an experiment whose module that file is: it gets the standard
 * figures (plot.lua run as a module would run itself again, and fail). */
static void test_plot_reserved_names(void **state)
{
    (void)state;
    need_gnuplot();
    int seeds[1] = { 2 };
    const char *names[] = { "plot", "standard", "figlib" };
    for (int i = 0; i < 3; i++) {
        char rel[64], out[4096], want[128];
        snprintf(rel, sizeof rel, "%s.csv", names[i]);
        write_sweep(rel, 1, 1, seeds);
        int rc = plot_cmd(rel, "", out, sizeof out);
        if (rc != 0)
            fail_msg("plot %s failed (%d): %s", rel, rc, out);
        snprintf(want, sizeof want, "%s_deception.svg .png", names[i]);
        if (!strstr(out, want))
            fail_msg("no standard figure for %s: %s", rel, out);
    }
}

/* A policy table gets the pi-vs-pi0 figure, a critic table the detection
 * figure, found by their columns (and named by the manifest's script). */
static void test_plot_policy_and_critics(void **state)
{
    (void)state;
    need_gnuplot();
    write_text("p_policy.csv",
               "run,scenario,overseer,seed,context,behaviour,deceptive,prior,probability\n"
               "1,hidden_bug,oracle,1,easy,correct,false,0.6,0.9\n"
               "1,hidden_bug,oracle,1,easy,flatter,true,0.4,0.1\n"
               "2,hidden_bug,oracle,2,easy,correct,false,0.6,0.8\n"
               "2,hidden_bug,oracle,2,easy,flatter,true,0.4,0.2\n"
               "3,hidden_bug,human-looks,1,easy,correct,false,0.6,0.3\n"
               "3,hidden_bug,human-looks,1,easy,flatter,true,0.4,0.7\n"
               "1,hidden_bug,oracle,1,hard,bluff,true,1,1\n"
               "2,hidden_bug,oracle,2,hard,bluff,true,1,1\n"
               "3,hidden_bug,human-looks,1,hard,bluff,true,1,1\n");
    write_manifest("p_policy.csv", "scripts/pol.lua");
    char out[4096], dir[512];
    int rc = plot_cmd("p_policy.csv", "", out, sizeof out);
    if (rc != 0)
        fail_msg("policy plot failed (%d): %s", rc, out);
    assert_non_null(strstr(out, "p_policy_pi.svg .png"));
    snprintf(dir, sizeof dir, "%s/figures", tmpdir);
    const char *pi[] = { "pol on hidden_bug: the final policy", "context: easy", "context: hard",
                         "pi, oracle (2 seeds)", "pi, human-looks (1 seed)", "prior pi0",
                         "(deceptive)", "deceptive behaviour", "mean over 1–2 seeds",
                         "probability of the behaviour", NULL };
    assert_figure_of(dir, "p_policy", "pi", pi);

    write_text("p_critics.csv",
               "run,overseer,seed,context,depth,detect,difficulty,level,p_point,shift,verify\n"
               "1,rec1,1,a,1,0.9,1,1,0.9,0,1\n"
               "1,rec1,1,b,1,0.1,2,1,0.1,0,0\n"
               "2,rec2,1,a,2,0.95,1,2,0.9,0,1\n"
               "2,rec2,1,b,2,0.8,2,2,0.8,0,1\n"
               "2,rec2,1,a,2,0.7,1,1,0.7,0,1\n"
               "2,rec2,1,b,2,0.5,2,1,0.5,1,1\n"
               "4,rec2,2,a,2,0.93,1,2,0.9,0,1\n"
               "4,rec2,2,b,2,0.7,2,2,0.8,0,1\n");
    rc = plot_cmd("p_critics.csv", "", out, sizeof out);
    if (rc != 0)
        fail_msg("critic plot failed (%d): %s", rc, out);
    assert_non_null(strstr(out, "p_critics_detection.svg .png"));
    /* no manifest: named by the file */
    const char *det[] = { "p_critics: how likely the overseer is to detect", ">rec1<", ">rec2<",
                          "slot difficulty", "P(overseer detects the slot)",
                          "over 1–2 seeds", NULL };
    assert_figure_of(dir, "p_critics", "detection", det);
}

/* User-controlled strings reach gnuplot only in single-quoted strings: an
 * overseer (and a CSV file and a folder) named with backticks, system(),
 * $(...) and quotes runs nothing, and the plot still succeeds. */
static void test_plot_no_injection(void **state)
{
    (void)state;
    need_gnuplot();
    char path[512];
    snprintf(path, sizeof path, "%s/in`touch BT_FILE`.csv", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("run,scenario,overseer,seed,round,true_value,perceived_value,proxy_value,"
          "deception_rate\n", f);
    for (int s = 1; s <= 2; s++)
        for (int r = 0; r <= 2; r++) {
            fprintf(f, "%d,\"sc`touch BT_SC`\",\"h`touch BT_O` system(\"\"touch BT_SYS\"\") "
                    "$(touch BT_DOLLAR) 'q' \"\"dq\"\" \\\\n @GPVAL_PWD\",%d,%d,0.3,0.4,0.1,0.2\n",
                    s, s, r);
            fprintf(f, "%d,\"sc`touch BT_SC`\",plain,%d,%d,0.3,0.4,0.1,0.2\n", s + 2, s, r);
        }
    fclose(f);
    char out[4096];
    int rc = plot_cmd("'in`touch BT_FILE`.csv'", "--out 'fig`touch BT_OUT`'", out, sizeof out);
    if (rc != 0)
        fail_msg("plot failed (%d): %s", rc, out);
    static const char *made[] = { "BT_FILE", "BT_SC", "BT_O", "BT_SYS", "BT_DOLLAR", "BT_OUT" };
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", tmpdir, made[i]);
        if (access(p, F_OK) == 0)
            fail_msg("gnuplot ran a command from a string: %s exists", p);
        snprintf(p, sizeof p, "%s/%s", OVERSIM_SOURCE_DIR, made[i]);
        if (access(p, F_OK) == 0)
            fail_msg("gnuplot ran a command from a string: %s exists", p);
    }
    char dir[512];
    snprintf(dir, sizeof dir, "%s/fig`touch BT_OUT`", tmpdir);
    const char *names[] = { "h`touch BT_O` system(\"touch BT_SYS\") $(touch BT_DOLLAR) 'q' \"dq\"",
                            "sc`touch BT_SC`", "@GPVAL_PWD", NULL };
    assert_figure_of(dir, "in`touch BT_FILE`", "deception", names);
    assert_figure_of(dir, "in`touch BT_FILE`", "values", names);
    assert_no_temp_files(dir);
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
    /* a nil (no error raised) must fail here, not reach strcmp as NULL */
    if (!lua_isstring(L, -1))
        fail_msg("read_csv of a short row returned %s, not an error", luaL_typename(L, -1));
    assert_string_equal(lua_tostring(L, -1), expect);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plot_missing_column, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_groups_configurations, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_methods, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_module_beside_script, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_reserved_names, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_policy_and_critics, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_plot_no_injection, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_read_csv, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
