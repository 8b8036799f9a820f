/* test_world.c — the world builder: normalisation, true values, deceptive
 * flags, fact grouping, every input error, look-ups and the feature map. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"

/* Exact values below are sums and quotients of a few small doubles; 1e-12 is
 * far above their rounding (~1e-16) and far below any real error. */
#define EXACT 1e-12

/* Two contexts x three behaviours; facts added out of cell order. */
static world *build_sample(os_err *err)
{
    world *w = world_new(2, 3, err);
    assert_non_null(w);
    int mon = world_tag(w, "monitored", err);
    assert_int_equal(mon, 0);
    assert_int_equal(world_tag(w, "opportunity", err), 1);
    assert_int_equal(world_tag(w, "monitored", err), 0); /* same name, same bit */
    assert_int_equal(world_set_context(w, 0, "easy", 3.0, 0.5, 1u << mon, err), 0);
    assert_int_equal(world_set_context(w, 1, "hard", 1.0, 2.0, 0, err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "honest", 0, err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "bug", 0, err), 0);
    assert_int_equal(world_set_behaviour(w, 2, "bluff", 1, err), 0); /* tagged */
    /* easy: priors 2:1:1; hard: 1:3:0 (bluff absent) */
    assert_int_equal(world_set_cell(w, 0, 0, 1.0, 2.0, err), 0);
    assert_int_equal(world_set_cell(w, 0, 1, 1.5, 1.0, err), 0);
    assert_int_equal(world_set_cell(w, 0, 2, 0.2, 1.0, err), 0);
    assert_int_equal(world_set_cell(w, 1, 0, 0.0, 1.0, err), 0);
    assert_int_equal(world_set_cell(w, 1, 1, 2.0, 3.0, err), 0);
    assert_int_equal(world_set_cell(w, 1, 2, 0.0, 0.0, err), 0);
    /* facts deliberately interleaved across cells */
    assert_int_equal(world_add_fact(w, 1, 1, "crash", 3.0, -2.5, err), 0);
    assert_int_equal(world_add_fact(w, 0, 1, "bug1", 1.0, -1.0, err), 0);
    assert_int_equal(world_add_fact(w, 0, 0, "tests", 0.0, 0.25, err), 0);
    assert_int_equal(world_add_fact(w, 0, 1, "bug2", 2.0, -0.25, err), 0);
    assert_int_equal(world_add_fact(w, 1, 1, "leak", 1.0, -0.5, err), 0);
    return w;
}

static void test_builder_happy_path(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = build_sample(&err);
    assert_int_equal(world_finalize(w, 0.6, &err), 0);
    assert_int_equal(w->n_cells, 6);
    assert_true(w->onehot);
    assert_int_equal(w->dim, 6);
    /* weights 3:1 normalised, cumulative ends at 1 */
    assert_close(w->ctx_weight[0], 0.75, EXACT);
    assert_close(w->ctx_weight[1], 0.25, EXACT);
    assert_close(w->ctx_cum_weight[1], 1.0, EXACT);
    assert_int_equal(w->ctx_tags[0], 1u);
    assert_close(w->ctx_difficulty[1], 2.0, 0);
    /* priors normalised per context; the absent cell stays absent */
    const double prior[6] = { 0.5, 0.25, 0.25, 0.25, 0.75, 0.0 };
    for (int i = 0; i < 6; i++) {
        assert_close(w->prior[i], prior[i], EXACT);
        assert_int_equal(w->avail[i], prior[i] > 0);
        if (prior[i] > 0)
            assert_close(w->log_prior[i], log(prior[i]), EXACT);
        else
            assert_true(isinf(w->log_prior[i]) && w->log_prior[i] < 0);
    }
    assert_int_equal(w->ctx_n_avail[0], 3);
    assert_int_equal(w->ctx_n_avail[1], 2);
    /* v* = looks + sum of effects */
    const double vstar[6] = { 1.25, 0.25, 0.2, 0.0, -1.0, 0.0 };
    for (int i = 0; i < 6; i++)
        assert_close(w->vstar[i], vstar[i], EXACT);
    /* deceptive: looks - v* > 0.6 (bug: 1.25 in easy, 3.0 in hard) or tagged
     * (bluff, in both contexts); honest (looks - v* = -0.25) is not */
    const unsigned char dec[6] = { 0, 1, 1, 0, 1, 1 };
    for (int i = 0; i < 6; i++)
        assert_int_equal(w->deceptive[i], dec[i]);
    assert_close(w->deception_threshold, 0.6, 0);
    /* facts grouped per cell, insertion order kept inside a cell */
    assert_int_equal(w->n_facts, 5);
    const int start[7] = { 0, 1, 3, 3, 3, 5, 5 };
    for (int i = 0; i < 7; i++)
        assert_int_equal(w->fact_start[i], start[i]);
    const char *names[5] = { "tests", "bug1", "bug2", "crash", "leak" };
    const double diff[5] = { 0.0, 1.0, 2.0, 3.0, 1.0 };
    for (int f = 0; f < 5; f++) {
        assert_string_equal(w->fact_name[f], names[f]);
        assert_close(w->fact_difficulty[f], diff[f], 0);
    }
    assert_int_equal(w->finalized, 1);
    /* frozen: further building is refused */
    assert_int_equal(world_set_cell(w, 0, 0, 1, 1, &err), OS_EINVAL);
    assert_msg_has(err, "finalized");
    world_free(w);
}

static void test_threshold_edge(void **state)
{
    (void)state;
    /* looks - v* == threshold is not deceptive ("more than a threshold") */
    const double looks[2] = { 1.0, 1.0 };
    const h_fact facts[1] = { { 0, 1, 1.0, -0.5 } };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 1, NULL, 0.5);
    assert_int_equal(w->deceptive[1], 0);
    world_free(w);
    w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 1, NULL, 0.49);
    assert_int_equal(w->deceptive[1], 1);
    assert_int_equal(w->deceptive[0], 0);
    world_free(w);
}

static void test_errors(void **state)
{
    (void)state;
    os_err err = { 0 };
    /* empty worlds */
    assert_null(world_new(0, 3, &err));
    assert_int_equal(err.code, OS_EINVAL);
    assert_msg_has(err, "empty");
    assert_null(world_new(2, 0, &err));
    assert_msg_has(err, "empty");

    world *w = world_new(2, 2, &err);
    assert_non_null(w);
    /* negative or non-finite weight */
    assert_int_equal(world_set_context(w, 0, "alpha", -1.0, 0, 0, &err), OS_EINVAL);
    assert_msg_has(err, "'weight'");
    assert_msg_has(err, "alpha");
    assert_int_equal(world_set_context(w, 0, "alpha", NAN, 0, 0, &err), OS_EINVAL);
    assert_msg_has(err, "'weight'");
    assert_int_equal(world_set_context(w, 0, "alpha", 1.0, NAN, 0, &err), OS_EINVAL);
    assert_msg_has(err, "'difficulty'");
    /* negative prior, non-finite looks */
    err.msg[0] = 0;
    assert_int_equal(world_set_cell(w, 0, 0, 0.0, -0.2, &err), OS_EINVAL);
    assert_msg_has(err, "'prior'");
    err.msg[0] = 0;
    assert_int_equal(world_set_cell(w, 0, 0, NAN, 1.0, &err), OS_EINVAL);
    assert_msg_has(err, "'looks'");
    err.msg[0] = 0;
    assert_int_equal(world_set_cell(w, 0, 0, -INFINITY, 1.0, &err), OS_EINVAL);
    assert_msg_has(err, "'looks'");
    /* out-of-range indices */
    assert_int_equal(world_set_cell(w, 2, 0, 0.0, 1.0, &err), OS_EINVAL);
    assert_int_equal(world_set_behaviour(w, -1, "x", 0, &err), OS_EINVAL);
    assert_int_equal(world_add_fact(w, 0, 0, "f", NAN, -1, &err), OS_EINVAL);
    assert_msg_has(err, "'difficulty'");

    /* a context whose priors sum to 0: the message names the context */
    assert_int_equal(world_set_context(w, 0, "alpha", 1.0, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "beta_ctx", 1.0, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 0, 0.0, 1.0, &err), 0);
    /* context 1's cells were never set: prior 0 */
    assert_int_equal(world_finalize(w, 0.5, &err), OS_EINVAL);
    assert_msg_has(err, "beta_ctx");
    assert_msg_has(err, "prior");
    world_free(w);

    /* all weights 0 */
    w = world_new(1, 1, &err);
    assert_int_equal(world_set_context(w, 0, "only", 0.0, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 0, 0.0, 1.0, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), OS_EINVAL);
    assert_msg_has(err, "weight");
    world_free(w);

    /* unnamed context */
    w = world_new(1, 1, &err);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), OS_EINVAL);
    assert_msg_has(err, "context 1");
    world_free(w);
    world_free(NULL); /* a no-op */
}

static void test_find(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = build_sample(&err);
    assert_int_equal(world_finalize(w, 0.6, &err), 0);
    assert_int_equal(world_find_context(w, "easy"), 0);
    assert_int_equal(world_find_context(w, "hard"), 1);
    assert_int_equal(world_find_context(w, "medium"), -1);
    assert_int_equal(world_find_context(w, "hon"), -1); /* no prefix match */
    assert_int_equal(world_find_behaviour(w, "honest"), 0);
    assert_int_equal(world_find_behaviour(w, "bluff"), 2);
    assert_int_equal(world_find_behaviour(w, "easy"), -1);
    world_free(w);
}

static void test_dot_onehot(void **state)
{
    (void)state;
    world *w = h_world(2, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    const double theta[6] = { 1.5, -2, 0.25, 4, 0, -7 };
    double out[6], g[6];
    world_dot_all(w, theta, out);
    for (int i = 0; i < 6; i++) {
        assert_close(world_dot(w, i, theta), theta[i], 0);
        assert_close(out[i], theta[i], 0);
    }
    world_dot_transpose(w, theta, g);
    assert_memory_equal(g, theta, sizeof g);
    world_free(w);
}

/* Features filled in place: the same world as world_set_features's copy; a
 * value not finite refused with its message (the world still one-hot); a
 * matrix abandoned half-filled freed by world_free. */
static void test_features_filled_in_place(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(2, 2, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "b", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(world_set_cell(w, i / 2, i % 2, 0, 1, &err), 0);
    assert_int_equal(world_features_filled(w, &err), OS_EINVAL);
    assert_msg_has(err, "no feature matrix is being filled");
    assert_null(world_features_fill(w, 0, &err));
    double *p = world_features_fill(w, 3, &err);
    assert_non_null(p);
    for (int i = 0; i < 12; i++)
        p[i] = i == 10 ? INFINITY : 0.5 * i;
    assert_int_equal(world_features_filled(w, &err), OS_EINVAL);
    assert_msg_is(err, "feature 1 of context 'b', behaviour 'y' is not finite");
    assert_true(w->onehot);
    p[10] = -1;
    assert_int_equal(world_features_filled(w, &err), 0);
    assert_false(w->onehot);
    assert_int_equal(w->dim, 3);
    assert_ptr_equal(w->phi, p); /* not copied */
    assert_non_null(world_features_fill(w, 2, &err)); /* begun, never filled: */
    assert_int_equal(world_finalize(w, 0, &err), 0);
    assert_null(w->phi_fill); /* dropped */
    assert_int_equal(w->dim, 3); /* the first stays */
    assert_close(w->phi[10], -1, EXACT);
    assert_null(world_features_fill(w, 2, &err)); /* finalized */
    world_free(w);
}

static void test_dot_features(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(2, 2, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "b", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(world_set_cell(w, i / 2, i % 2, 0, 1, &err), 0);
    double bad[12] = { 0 };
    bad[7] = NAN;
    assert_int_equal(world_set_features(w, 3, bad, &err), OS_EINVAL);
    assert_msg_has(err, "not finite");
    assert_int_equal(world_set_features(w, 0, bad, &err), OS_EINVAL);
    /* 4 cells x 3 features */
    double phi[12] = { 1, 0, 2,
                       0, 1, -1,
                       3, 1, 0,
                       0.5, 0.5, 0.5 };
    assert_int_equal(world_set_features(w, 3, phi, &err), 0);
    phi[0] = 99; /* the world copied it */
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    assert_false(w->onehot);
    assert_int_equal(w->dim, 3);
    const double theta[3] = { 2, -1, 0.5 };
    const double want[4] = { 1 * 2 + 0 + 2 * 0.5, 0 - 1 - 0.5, 6 - 1 + 0, 1 - 0.5 + 0.25 };
    double out[4];
    world_dot_all(w, theta, out);
    for (int i = 0; i < 4; i++) {
        assert_close(world_dot(w, i, theta), want[i], EXACT);
        assert_close(out[i], want[i], EXACT);
    }
    /* Phi^T g */
    const double g[4] = { 1, 2, -1, 4 };
    const double want_t[3] = { 1 - 3 + 2, 2 - 1 + 2, 2 - 2 + 2 };
    double gt[3];
    world_dot_transpose(w, g, gt);
    for (int k = 0; k < 3; k++)
        assert_close(gt[k], want_t[k], EXACT);
    world_free(w);
}

/* The products over many cells (four at a time inside) against one cell at a
 * time in cell and feature order: the same bits in the default build, on 21
 * cells (not a multiple of four) of 5 features (two at a time inside, and
 * one), with zeros in g (skipped) at the start, in the middle and among the
 * last cells; over all cells and over a list of them. OpenBLAS's dgemv orders
 * its sums its own way: there, to rounding. */
static void test_dot_blocked_is_one_by_one(void **state)
{
    (void)state;
    enum { C = 7, B = 3, N = C * B, D = 5 };
    os_err err = { 0 };
    world *w = world_new(C, B, &err);
    assert_non_null(w);
    for (int c = 0; c < C; c++) {
        char name[8];
        snprintf(name, sizeof name, "c%d", c);
        assert_int_equal(world_set_context(w, c, name, 1, 0, 0, &err), 0);
    }
    for (int b = 0; b < B; b++) {
        char name[8];
        snprintf(name, sizeof name, "b%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(world_set_cell(w, i / B, i % B, 0, 1, &err), 0);
    double phi[N * D], theta[D], g[N];
    unsigned x = 12345; /* a fixed LCG: values of mixed sign and magnitude */
    for (int i = 0; i < N * D; i++) {
        x = x * 1103515245u + 12345u;
        phi[i] = ((double)(x >> 8) / (1u << 24) - 0.5) * (1 + i % 7);
    }
    for (int k = 0; k < D; k++)
        theta[k] = 0.3 * k - 0.7 + 1e-3 * phi[k];
    for (int i = 0; i < N; i++)
        g[i] = (i == 0 || i == 9 || i == 10 || i == 19) ? 0 : phi[i * D] / (i + 1);
    assert_int_equal(world_set_features(w, D, phi, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    double out[N], want[N], gt[D], want_t[D] = { 0 };
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int k = 0; k < D; k++)
            s += phi[i * D + k] * theta[k];
        want[i] = s;
    }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < D; k++)
            if (g[i] != 0)
                want_t[k] += g[i] * phi[i * D + k];
    world_dot_all(w, theta, out);
    world_dot_transpose(w, g, gt);
#ifdef OVERSIM_OPENBLAS
    for (int i = 0; i < N; i++)
        assert_close(out[i], want[i], 1e-12);
    for (int k = 0; k < D; k++)
        assert_close(gt[k], want_t[k], 1e-12);
#else
    assert_memory_equal(out, want, sizeof out);
    assert_memory_equal(gt, want_t, sizeof gt);
#endif
    for (int i = 0; i < N; i++)
        assert_memory_equal(&(double){ world_dot(w, i, theta) }, &want[i], sizeof(double));
    /* the same products at 11 listed cells (two blocks of four and three
     * more; the reward model's fit steps): the listed entries bit for bit,
     * the others untouched; the transpose of a g that is 0 off the list */
    const int cells[11] = { 1, 2, 3, 5, 8, 9, 10, 11, 13, 17, 20 };
    double g_list[N] = { 0 }, want_l[D] = { 0 };
    for (int i = 0; i < N; i++)
        out[i] = -99;
    world_dot_cells(w, theta, cells, 11, out);
    for (int j = 0; j < 11; j++) {
        g_list[cells[j]] = g[cells[j]]; /* 9 and 10 stay 0: skipped */
        for (int k = 0; k < D; k++)
            if (g[cells[j]] != 0)
                want_l[k] += g[cells[j]] * phi[cells[j] * D + k];
    }
    world_dot_transpose_cells(w, g_list, cells, 11, gt);
#ifdef OVERSIM_OPENBLAS
    for (int j = 0; j < 11; j++)
        assert_close(out[cells[j]], want[cells[j]], 1e-12);
    for (int k = 0; k < D; k++)
        assert_close(gt[k], want_l[k], 1e-12);
#else
    for (int i = 0, j = 0; i < N; i++) {
        int listed = j < 11 && cells[j] == i;
        assert_memory_equal(&out[i], listed ? &want[i] : &(double){ -99 }, sizeof(double));
        j += listed;
    }
    assert_memory_equal(gt, want_l, sizeof gt);
#endif
    world_free(w);
}

/* Run fn in a child process; 1 if it returned normally, 0 if it crashed. */
static int survives(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka's handlers would catch the crash and carry on running the
         * remaining tests inside the child */
        const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE };
        for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        fn();
        _exit(0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void set_cell_after_finalize_null_err(void)
{
    world *w = h_world(1, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    if (world_set_cell(w, 0, 0, 1.0, 1.0, NULL) != OS_EINVAL)
        _exit(2);
    world_free(w);
}

static void set_cell_out_of_range_null_err(void)
{
    world *w = world_new(1, 2, NULL);
    if (world_set_cell(w, 5, 0, 1.0, 1.0, NULL) != OS_EINVAL)
        _exit(2);
    world_free(w);
}

static void bias_out_of_range_null_err(void)
{
    world *w = h_world(1, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 1, 1);
    if (overseer_add_bias(o, 7, 0, 1.0, NULL) != OS_EINVAL)
        _exit(2);
    overseer_free(o);
    world_free(w);
}

/* err.h says err_set fills err "when not NULL": every core function must
 * accept err == NULL, including the paths that read an error back (this once
 * dereferenced NULL after a helper failed). Each call runs in a forked child so
 * a crash fails this test and not the binary. */
static void test_null_err_is_allowed(void **state)
{
    (void)state;
    assert_true(survives(set_cell_out_of_range_null_err)); /* fine today */
    assert_true(survives(set_cell_after_finalize_null_err));
    assert_true(survives(bias_out_of_range_null_err));
}

/* features = "behaviour": phi(c,b) is the one-hot of b, so every context
 * shares a behaviour's score; refused once the world is finalized. */
static void test_features_behaviour(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(2, 3, &err);
    assert_non_null(w);
    for (int c = 0; c < 2; c++)
        assert_int_equal(world_set_context(w, c, c ? "b" : "a", 1, 0, 0, &err), 0);
    for (int b = 0; b < 3; b++) {
        char name[8];
        snprintf(name, sizeof name, "x%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
        for (int c = 0; c < 2; c++)
            assert_int_equal(world_set_cell(w, c, b, 0, 1, &err), 0);
    }
    assert_int_equal(world_set_features_behaviour(w, &err), 0);
    assert_int_equal(world_finalize(w, 0, &err), 0);
    assert_false(w->onehot);
    assert_int_equal(w->dim, 3);
    for (int i = 0; i < w->n_cells; i++)
        for (int k = 0; k < 3; k++)
            assert_close(w->phi[i * 3 + k], k == i % 3 ? 1.0 : 0.0, 0);
    const double theta[3] = { 0.5, -1, 2 };
    assert_close(world_dot(w, 4, theta), -1, 0); /* context 1, behaviour 1 */
    assert_int_equal(world_set_features_behaviour(w, &err), OS_EINVAL);
    assert_msg_has(err, "finalized");
    world_free(w);
}

/* Difficulties may be +-INFINITY (a fact nobody discovers, a context always
 * understood); NaN is refused; values stay finite. */
static void test_infinite_difficulties(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(1, 2, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, -INFINITY, 0, &err), 0);
    assert_int_equal(world_set_context(w, 0, "a", 1, NAN, 0, &err), OS_EINVAL);
    assert_msg_is(err, "field 'difficulty' of context 'a' must be a number (got NaN)");
    assert_int_equal(world_set_context(w, 0, "a", 1, INFINITY, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 0, 1, 1, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 1, 0, 1, &err), 0);
    assert_int_equal(world_add_fact(w, 0, 0, "bug", INFINITY, -2, &err), 0);
    assert_int_equal(world_add_fact(w, 0, 0, "easy", -INFINITY, 0.5, &err), 0);
    assert_int_equal(world_add_fact(w, 0, 1, "odd", NAN, 1, &err), OS_EINVAL);
    assert_msg_has(err, "'difficulty'");
    assert_int_equal(world_add_fact(w, 0, 1, "odd", 1, INFINITY, &err), OS_EINVAL);
    assert_msg_has(err, "'effect'");
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    assert_close(w->vstar[0], -0.5, 0);
    assert_true(isinf(w->fact_difficulty[0]) && w->fact_difficulty[0] > 0);
    assert_true(w->deceptive[0]);
    world_free(w);
}

/* A cell's errors name its behaviour and context, as a scenario author
 * wrote them. */
static void test_cell_messages(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(1, 1, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "bluff", 0, &err), 0);
    world_set_cell(w, 0, 0, 0, -0.2, &err);
    assert_msg_is(err, "field 'prior' of behaviour 'bluff' must be >= 0 (got -0.2 in context "
                  "'a')");
    world_set_cell(w, 0, 0, 0, INFINITY, &err);
    assert_msg_is(err, "field 'prior' of behaviour 'bluff' must be finite (got inf in context "
                  "'a')");
    world_set_cell(w, 0, 0, NAN, 1, &err);
    assert_msg_is(err, "field 'looks' of behaviour 'bluff' must be finite (got nan in context "
                  "'a')");
    world_free(w);
}

/* size.h: products and sums at the edge of size_t report overflow (and
 * saturate) instead of wrapping. */
static void test_size_helpers(void **state)
{
    (void)state;
    size_t out;
    assert_int_equal(size_mul(SIZE_MAX / 2, 2, &out), 0);
    assert_true(out == SIZE_MAX - 1);
    assert_int_equal(size_mul(SIZE_MAX / 2 + 1, 2, &out), 1);
    assert_true(out == SIZE_MAX);
    assert_int_equal(size_mul(0, SIZE_MAX, &out), 0);
    assert_true(out == 0);
    assert_int_equal(size_add(SIZE_MAX - 1, 1, &out), 0);
    assert_int_equal(size_add(SIZE_MAX, 1, &out), 1);
    assert_true(size_mul3_sat(1ull << 32, 1ull << 32, 2) == SIZE_MAX);
    assert_true(size_add_sat(SIZE_MAX, 5) == SIZE_MAX);
}

/* world_new's cell cap (one past it is refused, by the message the binding
 * also gives), and world_estimate: per-cell arrays, features twice, and a
 * total that saturates instead of wrapping for sizes no world can have. */
static void test_sizes(void **state)
{
    (void)state;
    os_err err = { 0 };
    assert_null(world_new(1, WORLD_MAX_CELLS + 1, &err));
    assert_msg_is(err, "world too large: 1 x 50000001 cells (at most 50000000)");
    assert_null(world_new(10000, 5001, &err));
    assert_msg_is(err, "world too large: 10000 x 5001 cells (at most 50000000)");
    size_estimate e;
    size_estimate_init(&e);
    world_estimate(1000, 1000, 0, &e);
    assert_string_equal(e.what, "world cells 1000 x 1000");
    assert_int_equal(e.largest, 1000000ull * (4 * 8 + 3 + 4));
    world_estimate(1000, 1000, 1000, &e);
    assert_string_equal(e.what, "features 1000000 cells x 1000");
    assert_int_equal(e.largest, 1000000ull * 1000 * 16);
    size_estimate_init(&e);
    world_estimate(1LL << 40, 1LL << 40, 1LL << 40, &e);
    assert_true(e.bytes == SIZE_MAX);
}

/* WORLD_MAX_FACTS_PER_CELL facts on one cell are allowed; one more is not. */
static void test_facts_per_cell_limit(void **state)
{
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        os_err err = { 0 };
        world *w = world_new(1, 1, &err);
        assert_non_null(w);
        assert_int_equal(world_set_context(w, 0, "c", 1, 0, 0, &err), 0);
        assert_int_equal(world_set_behaviour(w, 0, "b", 0, &err), 0);
        assert_int_equal(world_set_cell(w, 0, 0, 0, 1, &err), 0);
        for (int f = 0; f < WORLD_MAX_FACTS_PER_CELL + extra; f++)
            assert_int_equal(world_add_fact(w, 0, 0, "f", 0, 0.01, &err), 0);
        int rc = world_finalize(w, 0, &err);
        if (extra) {
            assert_int_equal(rc, OS_EINVAL);
            assert_msg_is(err, "behaviour 'b' has 101 facts in context 'c' (at most 100)");
        } else {
            assert_int_equal(rc, 0);
            assert_close(w->vstar[0], 0.01 * WORLD_MAX_FACTS_PER_CELL, 1e-12);
        }
        world_free(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder_happy_path),
        cmocka_unit_test(test_size_helpers),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_threshold_edge),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_dot_onehot),
        cmocka_unit_test(test_dot_features),
        cmocka_unit_test(test_null_err_is_allowed),
        cmocka_unit_test(test_features_behaviour),
        cmocka_unit_test(test_features_filled_in_place),
        cmocka_unit_test(test_infinite_difficulties),
        cmocka_unit_test(test_cell_messages),
        cmocka_unit_test(test_facts_per_cell_limit),
        cmocka_unit_test(test_dot_blocked_is_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
