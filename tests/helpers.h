/* helpers.h — small shared helpers for the core's cmocka tests.
 * Owns: nothing; static inline builders for small worlds and overseers, and a
 *       tolerance assertion that prints both values.
 * Uses: cmocka, world.h, overseer.h. Every builder asserts that the core
 *       accepted its input, so a test never runs on a half-built world. */
#ifndef OVERSIM_TEST_HELPERS_H
#define OVERSIM_TEST_HELPERS_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "world.h"
#include "overseer.h"

/* |a - b| <= tol, printing both values on failure (cmocka's assert_float_equal
 * casts to float, too coarse for 1e-12 checks). NaN always fails. */
#define assert_close(a, b, tol)                                                   \
    do {                                                                          \
        double a_ = (a), b_ = (b), t_ = (tol);                                    \
        if (!(fabs(a_ - b_) <= t_))                                               \
            fail_msg("%s = %.15g, expected %s = %.15g within %g (off by %.3g)",   \
                     #a, a_, #b, b_, t_, fabs(a_ - b_));                          \
    } while (0)

/* err->msg contains needle. */
#define assert_msg_has(err, needle)                                               \
    do {                                                                          \
        if (!strstr((err).msg, (needle)))                                         \
            fail_msg("error message '%s' does not mention '%s'", (err).msg,      \
                     (needle));                                                   \
    } while (0)

/* err->msg is exactly want. */
#define assert_msg_is(err, want)                                                  \
    do {                                                                          \
        if (strcmp((err).msg, (want)) != 0)                                       \
            fail_msg("error message '%s', expected '%s'", (err).msg, (want));    \
    } while (0)

/* A hidden fact for h_world. */
typedef struct h_fact {
    int c, b;
    double difficulty, effect;
} h_fact;

/* A finalized world of n_ctx contexts ("c0", "c1", ...) and n_beh behaviours
 * ("b0", ...). Arrays may be NULL: weight and prior default to 1, difficulty
 * and looks to 0, dec_tag to untagged. looks and prior have n_ctx * n_beh
 * values (cell = c * n_beh + b). */
static inline world *h_world(int n_ctx, int n_beh, const double *weight,
                             const double *difficulty, const double *looks,
                             const double *prior, const h_fact *facts, int n_facts,
                             const int *dec_tag, double threshold)
{
    os_err err = { 0 };
    world *w = world_new(n_ctx, n_beh, &err);
    assert_non_null(w);
    char name[32];
    for (int c = 0; c < n_ctx; c++) {
        snprintf(name, sizeof name, "c%d", c);
        assert_int_equal(world_set_context(w, c, name, weight ? weight[c] : 1,
                                           difficulty ? difficulty[c] : 0, 0, &err), 0);
    }
    for (int b = 0; b < n_beh; b++) {
        snprintf(name, sizeof name, "b%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, dec_tag ? dec_tag[b] : 0, &err), 0);
    }
    for (int i = 0; i < n_ctx * n_beh; i++)
        assert_int_equal(world_set_cell(w, i / n_beh, i % n_beh, looks ? looks[i] : 0,
                                        prior ? prior[i] : 1, &err), 0);
    for (int f = 0; f < n_facts; f++) {
        snprintf(name, sizeof name, "f%d", f);
        assert_int_equal(world_add_fact(w, facts[f].c, facts[f].b, name,
                                        facts[f].difficulty, facts[f].effect, &err), 0);
    }
    if (world_finalize(w, threshold, &err) != 0)
        fail_msg("world_finalize: %s", err.msg);
    return w;
}

/* An overseer of kind, competence and beta, other parameters default. */
/* overseer_new(w, p), failing the test with its message if it fails. */
static inline overseer *h_overseer_with(const world *w, const overseer_params *p)
{
    os_err err = { 0 };
    overseer *o = overseer_new(w, p, &err);
    if (!o)
        fail_msg("overseer_new: %s", err.msg);
    return o;
}

static inline overseer *h_overseer(const world *w, overseer_kind kind, double competence,
                                   double beta)
{
    overseer_params p;
    overseer_params_default(&p);
    p.kind = kind;
    p.competence = competence;
    p.beta = beta;
    return h_overseer_with(w, &p);
}

/* A one-context world of n behaviours with the given prior (NULL: uniform). */
static inline world *h_one_context(int n, const double *prior)
{
    return h_world(1, n, NULL, NULL, NULL, prior, NULL, 0, NULL, 0);
}

/* E_c KL(p(.|c) || pi0(.|c)) of per-cell probabilities p on w. */
static inline double h_kl(const world *w, const double *p)
{
    double k = 0;
    for (int i = 0; i < w->n_cells; i++)
        if (p[i] > 0)
            k += w->ctx_weight[i / w->n_beh] * p[i] * log(p[i] / w->prior[i]);
    return k;
}

static inline double h_sigmoid(double x)
{
    return 1 / (1 + exp(-x));
}

static inline double h_maxabs_diff(const double *a, const double *b, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= m)) /* not fmax: a NaN must propagate, not be dropped */
            m = d;
    }
    return m;
}

/* B-Pref's get_label (Lee et al. 2021, reward_model.py), written out for one
 * pair as exact probabilities (for behaviours in test_bpref.c, segments in
 * test_segment.c): R undiscounted returns, S myopically discounted ones,
 * beta (<= 0 or infinite: rational), eps (mistake), ts and te the skip and
 * equal thresholds. Independent of core/overseer_judge.c. */
static inline void h_bpref_get_label(double r1, double r2, double s1, double s2, double beta,
                                     double eps, double ts, double te, double want[N_LABELS])
{
    want[0] = want[1] = want[2] = want[3] = 0;
    if (ts > 0 && !(fmax(r1, r2) > ts)) { /* max_index = max_r_t > thres_skip */
        want[LABEL_SKIP] = 1;
        return;
    }
    int margin_index = fabs(r1 - r2) < te;
    double second; /* label 1: the second segment preferred */
    if (!(beta > 0) || isinf(beta))
        second = s1 < s2 ? 1 : 0; /* rational_labels = 1*(sum_r_t_1 < sum_r_t_2) */
    else
        second = exp(beta * s2) / (exp(beta * s1) + exp(beta * s2));
    second = (1 - eps) * second + eps * (1 - second); /* labels[noise] = 1 - labels */
    if (margin_index) { /* labels[margin_index] = -1 */
        want[LABEL_EQUAL] = 1;
        return;
    }
    want[LABEL_FIRST] = 1 - second;
    want[LABEL_SECOND] = second;
}

#endif
