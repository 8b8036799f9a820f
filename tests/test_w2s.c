/* test_w2s.c — the measures weak-to-strong generalisation is taken on
 * (core/w2s.h): preference accuracy against v* on pairs drawn from pi0 and the
 * true value of the KL-regularised optimum, exactly on hand-set worlds, and
 * PGR's formula. */
#include "helpers.h"
#include "policy.h"
#include "w2s.h"

/* One context, three behaviours: v* = looks = (1, 0, -1), pi0 = (0.5, 0.3,
 * 0.2). Pairs (b1 ~ pi0, b2 ~ pi0 without b1): P(0,1) = 0.5 * 0.3/0.5 = 0.3,
 * P(0,2) = 0.5 * 0.2/0.5 = 0.2, P(1,0) = 0.3 * 0.5/0.7, P(1,2) = 0.3 * 0.2/0.7,
 * P(2,0) = 0.2 * 0.5/0.8, P(2,1) = 0.2 * 0.3/0.8; all six differ in v*. */
static world *three(void)
{
    const double looks[3] = { 1, 0, -1 }, prior[3] = { 0.5, 0.3, 0.2 };
    return h_world(1, 3, NULL, NULL, looks, prior, NULL, 0, NULL, 0);
}

static void test_accuracy(void **state)
{
    (void)state;
    world *w = three();
    const double p01 = 0.3, p02 = 0.2, p10 = 0.3 * 0.5 / 0.7, p12 = 0.3 * 0.2 / 0.7,
                 p20 = 0.2 * 0.5 / 0.8, p21 = 0.2 * 0.3 / 0.8;
    const double total = p01 + p02 + p10 + p12 + p20 + p21;
    const double right[3] = { 5, 4, 3 }; /* the order of v*: every pair right */
    assert_close(w2s_accuracy(w, right), 1, 1e-15);
    const double wrong[3] = { -1, 0, 1 }; /* reversed: every pair wrong */
    assert_close(w2s_accuracy(w, wrong), 0, 1e-15);
    /* b1 and b2 swapped (0 < 1 in r): pairs {0,1} wrong, the rest right */
    const double swap[3] = { 0, 1, -1 };
    assert_close(w2s_accuracy(w, swap), (total - p01 - p10) / total, 1e-15);
    /* a tie between 1 and 2 counts one half */
    const double tie[3] = { 1, 0, 0 };
    assert_close(w2s_accuracy(w, tie), (total - 0.5 * (p12 + p21)) / total, 1e-15);
    world_free(w);
    /* no pair differs in v*: NAN */
    w = h_one_context(3, NULL);
    assert_true(isnan(w2s_accuracy(w, right)));
    world_free(w);
}

static void test_optimum_value(void **state)
{
    (void)state;
    world *w = three();
    const double r[3] = { 0.2, 0.5, -0.1 };
    double table[3];
    const double kl = 0.5;
    double z = 0.5 * exp(0.4) + 0.3 * exp(1.0) + 0.2 * exp(-0.2);
    double want = (0.5 * exp(0.4) * 1 + 0.3 * exp(1.0) * 0 + 0.2 * exp(-0.2) * -1) / z;
    assert_close(w2s_optimum_value(w, r, kl, table), want, 1e-14);
    world_free(w);
    /* two contexts of weights 1 and 3: the values weighted 0.25 and 0.75 */
    const double wt[2] = { 1, 3 }, looks[4] = { 1, 0, 2, -1 }, prior[4] = { 0.5, 0.5, 0.5, 0.5 };
    w = h_world(2, 2, wt, NULL, looks, prior, NULL, 0, NULL, 0);
    const double r2[4] = { 0, 0, 0, 0 }; /* the optimum is pi0 */
    double t4[4];
    assert_close(w2s_optimum_value(w, r2, 1, t4), 0.25 * 0.5 + 0.75 * 0.5, 1e-15);
    world_free(w);
}

static void test_pgr(void **state)
{
    (void)state;
    assert_close(w2s_pgr(0.8, 0.6, 1.0), 0.5, 1e-15);
    assert_close(w2s_pgr(1.0, 0.6, 1.0), 1, 0);
    assert_close(w2s_pgr(0.6, 0.6, 1.0), 0, 0);
    assert_close(w2s_pgr(0.5, 0.6, 1.0), -0.25, 1e-15);
    assert_true(isnan(w2s_pgr(0.7, 0.6, 0.6)));
    assert_true(isnan(w2s_pgr(NAN, 0.6, 0.9)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_optimum_value),
        cmocka_unit_test(test_pgr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
