/* test_bpref.c — B-Pref's teachers (Lee et al. 2021) against a
 * transcription of its get_label: every teacher's exact label probabilities
 * on a grid of values, and the cases spelled out (core/overseer_judge.c). */
#include "helpers.h"

/* exact closed forms agree to ~1e-16 (see test_overseer.c) */
#define EXACT 1e-12

/* A value's parts in order are its looks, then its facts: part j of n counts
 * gamma^(n-1-j) (B-Pref discounts a segment's steps so, the last the most). */
static double discounted(double looks, const double *effects, int n, double gamma)
{
    double s = looks * pow(gamma, n);
    for (int k = 0; k < n; k++)
        s += effects[k] * pow(gamma, n - 1 - k);
    return s;
}

/* Every B-Pref teacher, on a 3-behaviour world whose values have several
 * parts (so myopia matters) and on its 2-behaviour restriction: the exact
 * label probabilities equal B-Pref's get_label for every ordered pair, over a
 * grid of beta (rational as INFINITY and as 0, Boltzmann 1 and 3), mistake
 * (0, 0.1), gamma (1, 0.9, 0.5), skip (off, 0.45, 0.5 = a pair's max: equality
 * skips, relative 0.1 x margin 5) and equal (off, 0.15, relative 0.1 x
 * margin). Within 1e-12. */
static void test_bpref_get_label(void **state)
{
    (void)state;
    /* b0: looks 2, fact -1.5 (v 0.5); b1: looks 0.4 (v 0.4); b2: looks 0.3,
     * facts +0.5, -0.2 (v 0.6) */
    const double looks[3] = { 2.0, 0.4, 0.3 };
    const h_fact facts[3] = { { 0, 0, 0, -1.5 }, { 0, 2, 0, 0.5 }, { 0, 2, 0, -0.2 } };
    const double e0[1] = { -1.5 }, e2[2] = { 0.5, -0.2 };
    world *w3 = h_world(1, 3, NULL, NULL, looks, NULL, facts, 3, NULL, 0);
    world *w2 = h_world(1, 2, NULL, NULL, looks, NULL, facts, 1, NULL, 0);
    const double betas[4] = { INFINITY, 0, 1, 3 }, epss[2] = { 0, 0.1 },
                 gammas[3] = { 1, 0.9, 0.5 };
    const struct { double abs, eps; } skips[4] = { { 0, 0 }, { 0.45, 0 }, { 0.5, 0 },
                                                   { 0, 0.1 } },
                                      equals[3] = { { 0, 0 }, { 0.15, 0 }, { 0, 0.1 } };
    const double margin = 5;
    int checked = 0;
    for (int wi = 0; wi < 2; wi++) {
        const world *w = wi ? w2 : w3;
        for (int bi = 0; bi < 4; bi++)
            for (int ei = 0; ei < 2; ei++)
                for (int gi = 0; gi < 3; gi++)
                    for (int si = 0; si < 4; si++)
                        for (int qi = 0; qi < 3; qi++) {
                            overseer_params p;
                            overseer_params_default(&p);
                            p.kind = OVERSEER_ORACLE;
                            p.beta = betas[bi], p.mistake = epss[ei], p.myopia = gammas[gi];
                            p.skip_threshold = skips[si].abs, p.skip_eps = skips[si].eps;
                            p.equal_threshold = equals[qi].abs, p.equal_eps = equals[qi].eps;
                            overseer *o = h_overseer_with(w, &p);
                            double g = gammas[gi];
                            double R[3] = { 0.5, 0.4, 0.6 };
                            double S[3] = { discounted(2.0, e0, 1, g),
                                            discounted(0.4, NULL, 0, g),
                                            discounted(0.3, e2, 2, g) };
                            double ts = skips[si].eps > 0 ? skips[si].eps * margin
                                                          : skips[si].abs;
                            double te = equals[qi].eps > 0 ? equals[qi].eps * margin
                                                           : equals[qi].abs;
                            for (int b1 = 0; b1 < w->n_beh; b1++)
                                for (int b2 = 0; b2 < w->n_beh; b2++) {
                                    if (b1 == b2)
                                        continue;
                                    double got[N_LABELS], want[N_LABELS];
                                    assert_int_equal(overseer_label_probs_at(o, 0, b1, b2,
                                                                             margin, got), 0);
                                    h_bpref_get_label(R[b1], R[b2], S[b1], S[b2], betas[bi],
                                                    epss[ei], ts, te, want);
                                    for (int k = 0; k < N_LABELS; k++)
                                        assert_close(got[k], want[k], EXACT);
                                    checked++;
                                }
                            overseer_free(o);
                        }
    }
    assert_int_equal(checked, 4 * 2 * 3 * 4 * 3 * (6 + 2));
    world_free(w2);
    world_free(w3);
}

/* The cases the grid above covers, spelled out: a myopic teacher (gamma 0.9)
 * prefers b1 (0.4, undiscounted 0.4) to b0 (worth 0.5, whose early looks
 * count 0.9 and so discount to 0.3), though it perceives b0 at 0.5 — only the
 * choice is discounted — and a behaviour with a single fact is discounted
 * too; the skip test keeps a pair only if its max exceeds the threshold (0.5
 * = max skips); the equal mask overrides a mistake; without a margin,
 * relative thresholds are off. */
static void test_bpref_cases(void **state)
{
    (void)state;
    const double looks[2] = { 2.0, 0.4 };
    const h_fact facts[1] = { { 0, 0, 0, -1.5 } };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 1, NULL, 0);
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ORACLE;
    overseer *o = h_overseer_with(w, &p);
    double q[N_LABELS];
    overseer_label_probs(o, 0, 0, 1, q);
    assert_close(q[LABEL_FIRST], 1, EXACT); /* not myopic: 0.5 > 0.4 */
    overseer_free(o);
    p.myopia = 0.9;
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, q);
    assert_close(q[LABEL_SECOND], 1, EXACT); /* myopic: 0.3 < 0.4 */
    assert_close(overseer_perceived(o, 0), 0.5, EXACT); /* it believes 0.5 */
    overseer_free(o);
    p.myopia = 1, p.skip_threshold = 0.5;
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, q);
    assert_close(q[LABEL_SKIP], 1, EXACT); /* max 0.5 is not > 0.5 */
    overseer_free(o);
    p.skip_threshold = 0.49;
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, q);
    assert_close(q[LABEL_FIRST], 1, EXACT);
    overseer_free(o);
    p.skip_threshold = 0, p.mistake = 0.3, p.equal_threshold = 0.2;
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, q);
    assert_close(q[LABEL_EQUAL], 1, EXACT); /* |0.5 - 0.4| < 0.2: no flip survives */
    overseer_free(o);
    p.equal_threshold = 0, p.mistake = 0, p.equal_eps = 0.1;
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, q); /* no margin: relative thresholds off */
    assert_close(q[LABEL_FIRST], 1, EXACT);
    overseer_label_probs_at(o, 0, 0, 1, 2.0, q); /* 0.1 x 2 = 0.2 > 0.1 */
    assert_close(q[LABEL_EQUAL], 1, EXACT);
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bpref_get_label),
        cmocka_unit_test(test_bpref_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
