/* test_bon.c — best-of-n over a finite behaviour set (core/bon.h), against
 * its definition: n draws from pi0, the highest reward kept, ties picked
 * uniformly among the tied draws. Checked against a brute-force enumeration
 * of every n-tuple of draws, and on all-tied contexts, which must stay at pi0. */
#include "helpers.h"
#include <stdlib.h>
#include "bon.h"
#include "rng.h"

/* The best-of-n distribution by enumerating all B^n tuples of draws from
 * pi0: each tuple's probability goes to its tied maxima, split evenly. */
static void brute_force(const world *w, const double *reward, int n, double *out)
{
    const int B = w->n_beh;
    int t[8] = { 0 };
    for (int b = 0; b < B; b++)
        out[b] = 0;
    for (;;) {
        double p = 1, best = -INFINITY;
        for (int k = 0; k < n; k++) {
            p *= w->prior[t[k]];
            if (reward[t[k]] > best)
                best = reward[t[k]];
        }
        int tied = 0;
        for (int k = 0; k < n; k++)
            tied += reward[t[k]] == best;
        for (int k = 0; k < n; k++)
            if (reward[t[k]] == best)
                out[t[k]] += p / tied;
        int k = 0; /* next tuple, like an odometer */
        while (k < n && ++t[k] == B)
            t[k++] = 0;
        if (k == n)
            break;
    }
}

/* A context whose rewards are all equal (a reward model that cannot tell the
 * behaviours apart: every never-labelled cell) stays at pi0, exactly, with KL
 * 0, for every n; declaration order does not matter. */
static void test_all_tied_stays_at_pi0(void **state)
{
    (void)state;
    double prior[4] = { 0.1, 0.4, 0.2, 0.3 }, reward[4] = { 0.5, 0.5, 0.5, 0.5 }, p[4];
    int order[4];
    world *w = h_one_context(4, prior);
    for (int n = 1; n <= 1024; n *= 2) {
        bon_probs(w, reward, n, order, p);
        for (int b = 0; b < 4; b++)
            assert_true(p[b] == w->prior[b]);
        assert_true(h_kl(w, p) == 0);
    }
    world_free(w);
}

/* Two tied groups (and a lone best): the exact distribution equals the
 * brute-force enumeration for n = 1..6 within 1e-12; so do random rewards
 * from {0, 1, 2} (many ties) on 2..5 behaviours. */
static void test_ties_match_enumeration(void **state)
{
    (void)state;
    double prior[5] = { 0.1, 0.3, 0.2, 0.25, 0.15 }, reward[5] = { 1, 0, 1, 2, 0 };
    double p[5], q[5];
    int order[5];
    world *w = h_one_context(5, prior);
    for (int n = 1; n <= 6; n++) {
        bon_probs(w, reward, n, order, p);
        brute_force(w, reward, n, q);
        for (int b = 0; b < 5; b++)
            assert_close(p[b], q[b], 1e-12);
    }
    /* two groups only: rewards {1, 1, 2, 2}: within a group, mass ~ pi0 */
    double r2[4] = { 1, 1, 2, 2 }, pr2[4] = { 0.4, 0.1, 0.2, 0.3 };
    world *w2 = h_one_context(4, pr2);
    bon_probs(w2, r2, 3, order, p);
    brute_force(w2, r2, 3, q);
    for (int b = 0; b < 4; b++)
        assert_close(p[b], q[b], 1e-12);
    assert_close(p[2] / p[3], 0.2 / 0.3, 1e-12);
    world_free(w2);
    world_free(w);
    gsl_rng *r = rng_new(3, 3);
    for (int trial = 0; trial < 300; trial++) {
        int B = 2 + trial % 4, n = 1 + (int)gsl_rng_uniform_int(r, 5);
        double pr[5], rw[5];
        for (int b = 0; b < B; b++) {
            pr[b] = 0.05 + gsl_rng_uniform(r);
            rw[b] = (double)gsl_rng_uniform_int(r, 3);
        }
        world *wt = h_one_context(B, pr);
        bon_probs(wt, rw, n, order, p);
        brute_force(wt, rw, n, q);
        for (int b = 0; b < B; b++)
            assert_close(p[b], q[b], 1e-12);
        world_free(wt);
    }
    rng_free(r);
}

/* The sampler follows the same rule: on an all-tied context its draws are
 * pi0's (200k draws, 5 standard errors). */
static void test_sampler_ties_uniform(void **state)
{
    (void)state;
    double prior[3] = { 0.6, 0.3, 0.1 }, reward[3] = { 0, 0, 0 };
    world *w = h_one_context(3, prior);
    gsl_rng *r = rng_new(5, 1);
    const int N = 200000;
    long count[3] = { 0 };
    for (int k = 0; k < N; k++)
        count[bon_sample(w, reward, 8, 0, r)]++;
    for (int b = 0; b < 3; b++) {
        double p = w->prior[b];
        assert_close((double)count[b] / N, p, 5 * sqrt(p * (1 - p) / N));
    }
    rng_free(r);
    world_free(w);
}

/* pi0 whose normalised masses do not sum to 1.0 in floating point (0.1, 0.2,
 * 0.3 / 0.6: the sum is 1 - 2^-53): an all-tied context is still pi0 itself,
 * bit for bit, not pi0 divided by that sum. */
static void test_all_tied_exact_when_masses_do_not_sum_to_one(void **state)
{
    (void)state;
    double prior[3] = { 0.1, 0.2, 0.3 }, reward[3] = { 1, 1, 1 }, p[3];
    int order[3];
    world *w = h_one_context(3, prior);
    assert_true(w->prior[0] + w->prior[1] + w->prior[2] != 1.0); /* not vacuous */
    for (int n = 1; n <= 64; n *= 4) {
        bon_probs(w, reward, n, order, p);
        for (int b = 0; b < 3; b++)
            assert_true(p[b] == w->prior[b]);
    }
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_tied_stays_at_pi0),
        cmocka_unit_test(test_ties_match_enumeration),
        cmocka_unit_test(test_sampler_ties_uniform),
        cmocka_unit_test(test_all_tied_exact_when_masses_do_not_sum_to_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
