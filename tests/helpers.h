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

#endif
