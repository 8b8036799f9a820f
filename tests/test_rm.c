/* test_rm.c — the Bradley-Terry reward model: recovery of beta * v* from an
 * oracle's labels (DESIGN.md §3), label bookkeeping (equal, skip, order), the
 * loss and its gradient, the noise model, GD vs BFGS, the one pass over pairs,
 * and the pair pass's exp (mathx_exp_n) against libm's. The store, ensembles
 * and parameter errors: test_rm_store.c. */
#include <float.h>
#include "rm_helpers.h"
#include "mathx.h"
#include "rng.h"

/* 200k oracle labels (beta 1.5) on uniformly random contexts and distinct
 * pairs, then a fit with l2 = 1e-8 (a shrinkage of ~1e-8 relative). */
static rm *fit_oracle(const world *w, double beta, uint64_t seed)
{
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, beta);
    rm *m = make_rm(w, 1e-8, 0);
    gsl_rng *r = rng_new(seed, 0);
    for (int k = 0; k < 200000; k++) {
        int c = (int)gsl_rng_uniform_int(r, 2);
        int b1 = (int)gsl_rng_uniform_int(r, 4), b2 = (int)gsl_rng_uniform_int(r, 3);
        b2 += b2 >= b1;
        rm_add_label(m, c, b1, b2, overseer_label(o, c, b1, b2, r));
    }
    rng_free(r);
    overseer_free(o);
    assert_int_equal(rm_n_pairs(m), 12);
    assert_close(rm_n_labels(m), 200000, 0);
    fit(m);
    return m;
}

/* max over cells of |(r - mean_c r) - beta (v* - mean_c v*)| */
static double centred_dev(const world *w, const double *r, double beta)
{
    double mx = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        double mr = 0, mv = 0;
        for (int b = 0; b < w->n_beh; b++)
            mr += r[c * w->n_beh + b] / w->n_beh, mv += w->vstar[c * w->n_beh + b] / w->n_beh;
        for (int b = 0; b < w->n_beh; b++) {
            int i = c * w->n_beh + b;
            double d = fabs((r[i] - mr) - beta * (w->vstar[i] - mv));
            if (!(d <= mx))
                mx = d;
        }
    }
    return mx;
}

/* Tolerance 0.05: each of the 12 pairs gets ~16.7k labels with
 * p(1-p) >= 0.05 (largest |beta dv| = 3.2), so one pair's logit has a
 * standard error <= 0.035 and a centred cell reward, fitted from three pairs,
 * about 0.01; across seeds 1..10 the maximum over the 8 cells was 0.007 to
 * 0.019. 0.05 is ~5 standard errors. beta = 1.5, not 1, so the test also
 * checks the scale. A model that ignored the hidden facts (learned looks)
 * would be off by >= 0.7 * 1.5 * 3/4 = 0.79. */
static void test_oracle_recovers_vstar_tabular(void **state)
{
    (void)state;
    world *w = world_r(0);
    rm *m = fit_oracle(w, 1.5, 3);
    assert_close(centred_dev(w, rm_rewards(m), 1.5), 0, 0.05);
    rm_free(m);
    world_free(w);
}

/* Linear features [looks, effects]: psi = (beta, beta) exactly in the limit.
 * Two parameters from 200k labels: across seeds 1..6 psi was within 0.021 of
 * 1.5 (sd ~0.009); tolerance 0.05. */
static void test_oracle_recovers_vstar_linear(void **state)
{
    (void)state;
    world *w = world_r(1);
    rm *m = fit_oracle(w, 1.5, 4);
    assert_int_equal(rm_dim(m), 2);
    assert_close(rm_psi(m)[0], 1.5, 0.05);
    assert_close(rm_psi(m)[1], 1.5, 0.05);
    assert_close(centred_dev(w, rm_rewards(m), 1.5), 0, 0.05);
    rm_free(m);
    world_free(w);
}

/* The exact BT optimum for one pair (b0, b1) with a wins and b losses under
 * the prior l2 |psi|^2 on the summed loss: by symmetry psi = (d/2, -d/2), and
 * d solves
 *   a p'/p - b p'/(1-p) = l2 d,  p = e/2 + (1-e) sigma(d).
 * Bisection to 1e-14. */
static double one_pair_gap(double a, double b, double e, double l2)
{
    double lo = -50, hi = 50;
    for (int it = 0; it < 200; it++) {
        double d = (lo + hi) / 2, s = h_sigmoid(d);
        double p = e / 2 + (1 - e) * s, dp = (1 - e) * s * (1 - s);
        double g = a * dp / p - b * dp / (1 - p) - l2 * d; /* -f'(d), summed */
        if (g > 0)
            lo = d;
        else
            hi = d;
    }
    return (lo + hi) / 2;
}

static double gap_after(const world *w, double wins, double losses, double noise, double l2)
{
    rm *m = make_rm(w, l2, noise);
    for (int k = 0; k < wins; k++)
        rm_add_label(m, 0, 0, 1, LABEL_FIRST);
    for (int k = 0; k < losses; k++)
        rm_add_label(m, 0, 0, 1, LABEL_SECOND);
    double before = rm_loss(m);
    fit(m);
    assert_true(rm_loss(m) < before); /* the fit decreased the loss */
    double d = rm_rewards(m)[0] - rm_rewards(m)[1];
    rm_free(m);
    return d;
}

/* BFGS to |grad| < 1e-10 with curvature >= l2 = 0.01 leaves d within ~1e-8
 * of the optimum; tolerance 1e-6. */
static void test_noise_model(void **state)
{
    (void)state;
    world *w = h_world(1, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    const double l2 = 0.01;
    /* deterministic labels: noise caps P at 0.95, so the gap is smaller */
    double d0 = gap_after(w, 20, 0, 0.0, l2), d1 = gap_after(w, 20, 0, 0.1, l2);
    assert_close(d0, one_pair_gap(20, 0, 0.0, l2), 1e-6);
    assert_close(d1, one_pair_gap(20, 0, 0.1, l2), 1e-6);
    assert_true(d1 < d0 - 0.01);
    /* 16:4 labels: the noise model must explain 0.8 with a sigmoid squeezed
     * into [0.05, 0.95], so the gap is larger (ln 5 vs ln 4 without l2) */
    d0 = gap_after(w, 16, 4, 0.0, l2), d1 = gap_after(w, 16, 4, 0.1, l2);
    assert_close(d0, one_pair_gap(16, 4, 0.0, l2), 1e-6);
    assert_close(d1, one_pair_gap(16, 4, 0.1, l2), 1e-6);
    assert_true(d1 > d0 + 0.1);
    world_free(w);
}

/* The prior is one the labels overwhelm: under an oracle of rationality beta
 * (0.5, 1.5, 4), 10^5 labels in the exact proportions sigma(beta dv) on the
 * three pairs of a one-context tabular world (v* 0, 0.5, 1) recover the
 * differences beta dv within 1% with the default l2 (on a mean loss, l2 =
 * 1e-3 shrank them by 6%, 9% and 24%, whatever the number of labels). */
static void test_prior_is_overwhelmed(void **state)
{
    (void)state;
    const double looks[3] = { 0, 0.5, 1.0 };
    world *w = h_world(1, 3, NULL, NULL, looks, NULL, NULL, 0, NULL, 0.5);
    const double betas[3] = { 0.5, 1.5, 4 };
    const int per_pair = 33334;
    for (int k = 0; k < 3; k++) {
        rm_params p;
        rm_params_default(&p);
        p.tol = 1e-10, p.max_iter = 1000;
        os_err err = { 0 };
        rm *m = rm_new(w, &p, &err);
        assert_non_null(m);
        for (int b1 = 0; b1 < 3; b1++)
            for (int b2 = b1 + 1; b2 < 3; b2++) {
                double pf = h_sigmoid(betas[k] * (looks[b1] - looks[b2]));
                int first = (int)lround(pf * per_pair);
                for (int n = 0; n < per_pair; n++)
                    rm_add_label(m, 0, b1, b2, n < first ? LABEL_FIRST : LABEL_SECOND);
            }
        fit(m);
        const double *r = rm_rewards(m);
        for (int b1 = 0; b1 < 3; b1++)
            for (int b2 = b1 + 1; b2 < 3; b2++) {
                double want = betas[k] * (looks[b2] - looks[b1]);
                assert_close(r[b2] - r[b1], want, 0.01 * want);
            }
        rm_free(m);
    }
    world_free(w);
}

/* The loss formula at a given psi, by hand (1e-12: a few logs). */
static void test_loss_value(void **state)
{
    (void)state;
    world *w = h_world(1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    const double psi[3] = { 0.5, -0.25, 1.0 };
    for (int pass = 0; pass < 2; pass++) {
        double e = pass ? 0.1 : 0.0;
        rm *m = make_rm(w, 0.02, e);
        for (int k = 0; k < 3; k++)
            rm_add_label(m, 0, 0, 1, LABEL_FIRST);
        rm_add_label(m, 0, 1, 0, LABEL_FIRST); /* b1 over b0 */
        rm_add_label(m, 0, 2, 1, LABEL_EQUAL);
        rm_set_psi(m, psi);
        double p01 = e / 2 + (1 - e) * h_sigmoid(0.75), p12 = e / 2 + (1 - e) * h_sigmoid(-1.25);
        /* the prior is on the summed loss: divided by the 5 labels too */
        double want = -(3 * log(p01) + log(1 - p01) + 0.5 * log(p12) + 0.5 * log(1 - p12)) / 5
                      + 0.02 * (0.25 + 0.0625 + 1.0) / 5;
        assert_close(rm_loss(m), want, 1e-12);
        assert_close(rm_rewards(m)[2], 1.0, 0);
        rm_free(m);
    }
    world_free(w);
}

/* The gradient rm_fit follows, read off one GD step of lr 1 (psi - psi'),
 * equals central finite differences of rm_loss. h = 1e-5: truncation
 * ~h^2 |f'''| ~ 1e-10, rounding ~1e-16 / h ~ 1e-11; tolerance 1e-7. */
static void test_gradient_matches_finite_differences(void **state)
{
    (void)state;
    for (int linear = 0; linear < 2; linear++) {
        world *w = world_r(linear);
        for (int pass = 0; pass < 2; pass++) {
            rm_params p;
            rm_params_default(&p);
            p.l2 = 0.05, p.noise = pass ? 0.1 : 0.0;
            p.method = RM_FIT_GD, p.max_iter = 1, p.lr = 1;
            os_err err = { 0 };
            rm *m = rm_new(w, &p, &err);
            assert_non_null(m);
            const label_kind ls[4] = { LABEL_FIRST, LABEL_SECOND, LABEL_EQUAL, LABEL_FIRST };
            for (int k = 0; k < 40; k++)
                rm_add_label(m, k % 2, k % 4, (k / 4) % 4, ls[(k * 7) % 4]);
            int dim = rm_dim(m);
            double psi[8], x[8];
            for (int j = 0; j < 8; j++)
                psi[j] = 0.3 * sin(1.7 * j + 1) + 0.1 * j;
            rm_set_psi(m, psi);
            assert_int_equal(rm_fit(m, &err), 0);
            double stepped[8];
            memcpy(stepped, rm_psi(m), dim * sizeof *stepped);
            for (int j = 0; j < dim; j++) {
                double g = psi[j] - stepped[j];
                const double h = 1e-5;
                memcpy(x, psi, sizeof x);
                x[j] = psi[j] + h;
                rm_set_psi(m, x);
                double fp = rm_loss(m);
                x[j] = psi[j] - h;
                rm_set_psi(m, x);
                double fm = rm_loss(m);
                assert_close(g, (fp - fm) / (2 * h), 1e-7);
            }
            rm_free(m);
        }
        world_free(w);
    }
}

/* Fit m on `first`/`second`/`equal` labels on (b0, b1) -- given as (b1, b0)
 * with the label mirrored when `reversed` -- plus 4:1 for b2 over b1. */
static void fit_counts(rm *m, int first, int second, int equal, int reversed)
{
    for (int k = 0; k < first; k++)
        reversed ? rm_add_label(m, 0, 1, 0, LABEL_SECOND) : rm_add_label(m, 0, 0, 1, LABEL_FIRST);
    for (int k = 0; k < second; k++)
        reversed ? rm_add_label(m, 0, 1, 0, LABEL_FIRST) : rm_add_label(m, 0, 0, 1, LABEL_SECOND);
    for (int k = 0; k < equal; k++)
        reversed ? rm_add_label(m, 0, 1, 0, LABEL_EQUAL) : rm_add_label(m, 0, 0, 1, LABEL_EQUAL);
    /* a second pair so the fit is not trivially symmetric */
    for (int k = 0; k < 5; k++)
        rm_add_label(m, 0, 2, 1, k < 4 ? LABEL_FIRST : LABEL_SECOND);
    fit(m);
}

/* Same counts, same arithmetic: identical up to BFGS's own rounding, 1e-9. */
static void test_equal_skip_and_order(void **state)
{
    (void)state;
    world *w = h_world(1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    /* equal = 1/2 to each side: 10 first + 4 equal == 12 first + 2 second */
    rm *a = make_rm(w, 1e-3, 0), *b = make_rm(w, 1e-3, 0);
    fit_counts(a, 10, 0, 4, 0);
    fit_counts(b, 12, 2, 0, 0);
    assert_close(rm_n_labels(a), 19, 0);
    assert_close(rm_n_labels(b), 19, 0);
    assert_close(rm_loss(a), rm_loss(b), 1e-12);
    assert_true(h_maxabs_diff(rm_rewards(a), rm_rewards(b), 3) < 1e-9);
    rm_free(a), rm_free(b);

    /* either order: (b0, b1, first) == (b1, b0, second) */
    a = make_rm(w, 1e-3, 0), b = make_rm(w, 1e-3, 0);
    fit_counts(a, 7, 3, 2, 0);
    fit_counts(b, 7, 3, 2, 1);
    assert_int_equal(rm_n_pairs(a), 2);
    assert_int_equal(rm_n_pairs(b), 2);
    assert_true(h_maxabs_diff(rm_rewards(a), rm_rewards(b), 3) < 1e-9);
    assert_true(rm_rewards(a)[0] > rm_rewards(a)[1]); /* 7:3 for b0 */
    rm_free(b);

    /* skips, self-comparisons change nothing */
    double psi[3], n = rm_n_labels(a);
    memcpy(psi, rm_psi(a), sizeof psi);
    rm_add_label(a, 0, 0, 2, LABEL_SKIP);
    rm_add_label(a, 0, 1, 1, LABEL_FIRST);
    assert_close(rm_n_labels(a), n, 0);
    assert_int_equal(rm_n_pairs(a), 2);
    fit(a);
    assert_true(h_maxabs_diff(rm_psi(a), psi, 3) < 1e-9);
    rm_free(a);

    /* only equal labels: r1 == r2, even from a warm start where they differ */
    a = make_rm(w, 1e-3, 0);
    const double start[3] = { 1.0, -1.0, 0.0 };
    rm_set_psi(a, start);
    for (int k = 0; k < 10; k++)
        rm_add_label(a, 0, 0, 1, LABEL_EQUAL);
    fit(a);
    assert_close(rm_rewards(a)[0], rm_rewards(a)[1], 1e-6);
    rm_free(a);
    world_free(w);

    /* an absent behaviour is not a comparison */
    const double prior[3] = { 1, 1, 0 };
    w = h_world(1, 3, NULL, NULL, NULL, prior, NULL, 0, NULL, 0.5);
    a = make_rm(w, 1e-3, 0);
    rm_add_label(a, 0, 0, 2, LABEL_FIRST);
    assert_close(rm_n_labels(a), 0, 0);
    assert_int_equal(rm_n_pairs(a), 0);
    fit(a); /* no labels: psi stays 0 */
    assert_close(rm_psi(a)[0], 0, 0);
    rm_free(a);
    world_free(w);
}

/* GD (lr 1, 20000 steps) and BFGS reach the same optimum. The slowest GD
 * direction (a shift of all rewards) contracts by 1 - 2 l2 = 0.98 per step,
 * so 20000 steps leave ~e^-400; BFGS stops at |grad| < 1e-10. 1e-6. */
static void test_gd_matches_bfgs(void **state)
{
    (void)state;
    world *w = world_r(0);
    rm_params p;
    rm_params_default(&p);
    p.l2 = 0.01, p.tol = 1e-10, p.max_iter = 1000;
    os_err err = { 0 };
    rm *a = rm_new(w, &p, &err);
    p.method = RM_FIT_GD, p.lr = 1, p.max_iter = 20000;
    rm *b = rm_new(w, &p, &err);
    assert_non_null(a);
    assert_non_null(b);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 1.0);
    gsl_rng *r = rng_new(5, 0);
    for (int k = 0; k < 300; k++) {
        int c = k % 2, b1 = (int)gsl_rng_uniform_int(r, 4), b2 = (b1 + 1 + k % 3) % 4;
        label_kind l = overseer_label(o, c, b1, b2, r);
        rm_add_label(a, c, b1, b2, l);
        rm_add_label(b, c, b1, b2, l);
    }
    fit(a);
    fit(b);
    assert_true(h_maxabs_diff(rm_rewards(a), rm_rewards(b), 8) < 1e-6);
    assert_close(rm_loss(a), rm_loss(b), 1e-10);
    rng_free(r);
    overseer_free(o);
    rm_free(a), rm_free(b);
    world_free(w);
}

/* The one Bradley-Terry pass: loss alone, loss with gradient, and the
 * gradient a GD step follows agree exactly (one code path), and with no noise
 * and no L2 rm_score_loss on the rewards is the same loss, its per-cell
 * gradient matching central differences. */
static void test_one_pass(void **state)
{
    (void)state;
    world *w = world_r(1);
    for (int pass = 0; pass < 2; pass++) {
        rm_params p;
        rm_params_default(&p);
        p.l2 = pass ? 0.05 : 0, p.noise = pass ? 0.1 : 0;
        p.method = RM_FIT_GD, p.max_iter = 1, p.lr = 1;
        os_err err = { 0 };
        rm *m = rm_new(w, &p, &err);
        assert_non_null(m);
        const label_kind ls[4] = { LABEL_FIRST, LABEL_SECOND, LABEL_EQUAL, LABEL_FIRST };
        for (int k = 0; k < 40; k++)
            rm_add_label(m, k % 2, k % 4, (k / 4) % 4, ls[(k * 7) % 4]);
        const double psi[2] = { 0.7, -0.4 };
        rm_set_psi(m, psi);
        double grad[2];
        double l_only = rm_loss(m), l_grad = rm_loss_grad(m, 0, grad);
        assert_true(l_only == l_grad);
        assert_int_equal(rm_fit(m, &err), 0); /* one GD step of lr 1 */
        for (int j = 0; j < 2; j++)
            assert_true(rm_psi(m)[j] == psi[j] - grad[j]);
        if (!pass) {
            rm_set_psi(m, psi);
            double score[8], g_cell[8];
            memcpy(score, rm_rewards(m), sizeof score);
            assert_true(rm_score_loss(m, score, g_cell) == l_only);
            for (int i = 0; i < 8; i++) {
                const double h = 1e-5, s0 = score[i];
                score[i] = s0 + h;
                double fp = rm_score_loss(m, score, NULL);
                score[i] = s0 - h;
                double fm = rm_score_loss(m, score, NULL);
                score[i] = s0;
                assert_close(g_cell[i], (fp - fm) / (2 * h), 1e-8);
            }
        }
        rm_free(m);
    }
    world_free(w);
}

/* More distinct pairs than the pass takes in one chunk (256): 2 contexts x 30
 * behaviours, 870 comparisons, each labelled 1 to 3 times (b1 and b2 wins
 * mixed, some equal). rm_score_loss's loss and per-cell gradient equal a
 * one-pair-at-a-time computation from the BT formula (loss to 1e-12, each
 * cell's gradient to 1e-15: a lost or doubled pair moves it by ~1e-4). */
static void test_pass_over_many_pairs(void **state)
{
    (void)state;
    enum { C = 2, B = 30, N = C * B };
    world *w = h_world(C, B, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    rm *m = make_rm(w, 0, 0);
    double score[N], win[N][B] = { { 0 } }; /* win[c * B + i][j]: label weight for i over j */
    double labels = 0;
    for (int i = 0; i < N; i++)
        score[i] = sin(1.7 * i) * (1 + i % 5);
    for (int c = 0; c < C; c++)
        for (int i = 0; i < B; i++)
            for (int j = i + 1; j < B; j++) {
                int t = (i * 7 + j * 3 + c) % 4; /* 0: b1 wins, 1: b2 wins, 2: equal, 3: both */
                const label_kind l1 = t == 1 ? LABEL_SECOND : t == 2 ? LABEL_EQUAL : LABEL_FIRST;
                rm_add_label(m, c, i, j, l1);
                if (t == 3)
                    rm_add_label(m, c, j, i, LABEL_FIRST); /* j over i, as the second label */
                double a = t == 0 || t == 3 ? 1 : t == 2 ? 0.5 : 0;
                win[c * B + i][j] += a;
                win[c * B + j][i] += (t == 3 ? 2 : 1) - a;
                labels += t == 3 ? 2 : 1;
            }
    assert_int_equal(rm_n_pairs(m), C * B * (B - 1) / 2);
    double want_g[N] = { 0 }, want_loss = 0;
    for (int c = 0; c < C; c++)
        for (int i = 0; i < B; i++)
            for (int j = i + 1; j < B; j++) {
                double a = win[c * B + i][j], b = win[c * B + j][i];
                double d = score[c * B + i] - score[c * B + j], s = h_sigmoid(d);
                want_loss -= a * log(s) + b * log(1 - s);
                double dl = (a * (s - 1) + b * s) / labels;
                want_g[c * B + i] += dl;
                want_g[c * B + j] -= dl;
            }
    double g[N];
    assert_close(rm_score_loss(m, score, g), want_loss / labels, 1e-12);
    for (int i = 0; i < N; i++)
        assert_close(g[i], want_g[i], 1e-15);
    rm_free(m);
    world_free(w);
}

/* mathx_exp_n is libm's exp() bit for bit: on 10^6 arguments across and
 * beyond its four-lane range (every binade from 2^-60 to 2^10, both signs,
 * the pair pass's -|d| and the softmax's logits), on the special values
 * (0, -0, the range's edges, overflow, underflow to subnormals and to 0,
 * +-inf, NaN) mixed into groups of four with ordinary ones, in place, and
 * for lengths that are not a multiple of four. */
static void test_exp_is_libm(void **state)
{
    (void)state;
    enum { N = 1000003 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    uint64_t s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double u = (double)(s >> 11) * 0x1p-53;
        double v;
        switch (i % 5) {
        case 0: v = ldexp(1 + u, -60 + (int)((s >> 3) % 71)); break;
        case 1: v = -fabs(20 * (u - 0.5)); break;
        case 2: v = 1500 * (u - 0.5); break;
        case 3: v = -745 - 10 * u; break;
        default: v = ldexp(u, -1074 + (int)((s >> 5) % 1100)); break;
        }
        x[i] = (s >> 60) & 1 ? -v : v;
    }
    const double special[] = { 0.0, -0.0, 0x1p-54, -0x1p-54, 0x1.fffffffffffffp-55, 512,
                               -512, 0x1.fffffffffffffp+8, -0x1.fffffffffffffp+8, 709.78,
                               709.79, 710, -708.4, -708.39, -745.13, -745.14, -746, 1e-300,
                               INFINITY, -INFINITY, NAN, -NAN, DBL_MAX, -DBL_MAX,
                               DBL_MIN, -DBL_MIN, 0x1p-1074 };
    const int n_special = (int)(sizeof special / sizeof special[0]);
    for (int j = 0; j < n_special; j++)
        x[1000 + 7 * j] = special[j]; /* each in a group of four ordinary values */
    for (int j = 0; j < n_special; j++)
        x[N - n_special + j] = special[j];
    int lengths[] = { N, 1, 2, 3, 5, 7 };
    for (unsigned t = 0; t < sizeof lengths / sizeof lengths[0]; t++) {
        int n = lengths[t];
        const double *xs = t ? x + 1000 : x;
        mathx_exp_n(xs, y, n);
        for (int i = 0; i < n; i++) {
            double want = exp(xs[i]);
            if (isnan(want))
                assert_true(isnan(y[i]));
            else
                assert_memory_equal(&y[i], &want, sizeof want);
        }
    }
    memcpy(y, x, N * sizeof *x);
    mathx_exp_n(y, y, N); /* in place */
    for (int i = 0; i < N; i++) {
        double want = exp(x[i]);
        if (!isnan(want))
            assert_memory_equal(&y[i], &want, sizeof want);
    }
    print_message("mathx_exp_n: %s\n", mathx_exp_vectorised() ? "four lanes (AVX2, FMA)"
                                                             : "libm's exp, one by one");
    free(x);
    free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_recovers_vstar_tabular),
        cmocka_unit_test(test_oracle_recovers_vstar_linear),
        cmocka_unit_test(test_noise_model),
        cmocka_unit_test(test_loss_value),
        cmocka_unit_test(test_prior_is_overwhelmed),
        cmocka_unit_test(test_gradient_matches_finite_differences),
        cmocka_unit_test(test_equal_skip_and_order),
        cmocka_unit_test(test_gd_matches_bfgs),
        cmocka_unit_test(test_one_pass),
        cmocka_unit_test(test_pass_over_many_pairs),
        cmocka_unit_test(test_exp_is_libm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
