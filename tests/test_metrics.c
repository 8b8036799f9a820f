/* test_metrics.c — what a training row reports (core/metrics.c): the
 * policy-side expectations on a tiny world written out by hand, the label
 * tallies and their accuracies, assisted_found, metrics_finite, and the one
 * column table. */
#include "helpers.h"
#include "metrics.h"

#define EXACT 1e-12

/* Two contexts of weight 1 and 3 (0.25, 0.75), two behaviours, uniform prior.
 *            looks  hidden fact (difficulty 5)   known fact (0.5)   v*   u (competence 1)
 *   c0 b0     1                                                       1    1
 *   c0 b1     2     -3                                               -1    2   deceptive
 *   c1 b0     0                                    +0.5              0.5  0.5
 *   c1 b1     1     +0.5                                             1.5   1
 * deception threshold 0.5: only c0 b1 (looks - v* = 3). */
static world *tiny(void)
{
    const double weight[2] = { 1, 3 };
    const double looks[4] = { 1, 2, 0, 1 };
    const h_fact facts[3] = { { 0, 1, 5, -3 }, { 1, 0, 0.5, 0.5 }, { 1, 1, 5, 0.5 } };
    return h_world(2, 2, weight, NULL, looks, NULL, facts, 3, NULL, 0.5);
}

static void test_policy_metrics(void **state)
{
    (void)state;
    world *w = tiny();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 1, INFINITY);
    const double vstar[4] = { 1, -1, 0.5, 1.5 }, u[4] = { 1, 2, 0.5, 1 };
    for (int i = 0; i < 4; i++) {
        assert_close(w->vstar[i], vstar[i], 0);
        assert_close(overseer_perceived(o, i), u[i], 0);
        assert_int_equal(w->deceptive[i], i == 1);
    }
    const double probs[4] = { 0.25, 0.75, 0.6, 0.4 };
    const double reward[4] = { 0.1, 0.2, 0.3, 0.4 };
    double logp[4];
    for (int i = 0; i < 4; i++)
        logp[i] = log(probs[i]);
    metrics_row row;
    memset(&row, 0, sizeof row);
    metrics_policy(w, o, probs, logp, reward, &row);
    assert_close(row.true_value, 0.25 * (0.25 * 1 + 0.75 * -1) + 0.75 * (0.6 * 0.5 + 0.4 * 1.5),
                 EXACT);
    assert_close(row.true_value, 0.55, EXACT);
    assert_close(row.proxy_value,
                 0.25 * (0.25 * 0.1 + 0.75 * 0.2) + 0.75 * (0.6 * 0.3 + 0.4 * 0.4), EXACT);
    assert_close(row.perceived_value, 0.25 * (0.25 * 1 + 0.75 * 2) + 0.75 * (0.6 * 0.5 + 0.4 * 1),
                 EXACT);
    assert_close(row.kl, 0.25 * (0.25 * log(0.5) + 0.75 * log(1.5)) +
                         0.75 * (0.6 * log(1.2) + 0.4 * log(0.8)), EXACT);
    assert_true(row.kl > 0);
    assert_close(row.deception_rate, 0.25 * 0.75, EXACT);
    assert_close(row.overestimation, 0.25 * 0.75 * 3, EXACT); /* c0 b1: u - v* = 3 */
    assert_close(row.underestimation, 0.75 * 0.4 * 0.5, EXACT); /* c1 b1: v* - u = 0.5 */
    /* no reward: proxy 0; the policy at pi0: KL exactly 0 */
    const double pi0[4] = { 0.5, 0.5, 0.5, 0.5 };
    for (int i = 0; i < 4; i++)
        logp[i] = w->log_prior[i];
    metrics_policy(w, o, pi0, logp, NULL, &row);
    assert_close(row.proxy_value, 0, 0);
    assert_close(row.kl, 0, 0);
    assert_close(row.true_value, 0.25 * 0 + 0.75 * 1, EXACT);
    /* an oracle perceives v*: no over- or underestimation */
    overseer *oracle = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    metrics_policy(w, oracle, probs, logp, reward, &row);
    assert_close(row.perceived_value, 0.55, EXACT);
    assert_close(row.overestimation, 0, 0);
    assert_close(row.underestimation, 0, 0);
    overseer_free(oracle);
    overseer_free(o);
    world_free(w);
}

static void count(const world *w, int c, int b1, int b2, label_kind l, region_kind reg,
                  int hidden, int found, metrics_row *row)
{
    overseer_outcome out = { l, reg, hidden, found, 1 };
    metrics_count_label(w, c, b1, b2, &out, row);
}

/* Tallies: every label counts in its region; skips count as skips and not in
 * accuracy; pairs with equal v* count nowhere in accuracy; an equal label on
 * different values is wrong. Accuracies per region and overall. */
static void test_label_tallies(void **state)
{
    (void)state;
    world *w = tiny();
    metrics_row row;
    memset(&row, 0, sizeof row);
    count(w, 0, 0, 1, LABEL_FIRST, REGION_KNOWS, 0, 0, &row);   /* v* 1 > -1: right */
    count(w, 0, 1, 0, LABEL_SECOND, REGION_KNOWS, 0, 0, &row);  /* right */
    count(w, 0, 0, 1, LABEL_SECOND, REGION_WRONG, 1, 0, &row);  /* wrong */
    count(w, 0, 1, 0, LABEL_FIRST, REGION_WRONG, 1, 1, &row);   /* wrong */
    count(w, 1, 0, 1, LABEL_SECOND, REGION_UNSURE, 1, 0, &row); /* 0.5 < 1.5: right */
    count(w, 1, 0, 1, LABEL_EQUAL, REGION_UNSURE, 0, 0, &row);  /* different v*: wrong */
    count(w, 1, 1, 1, LABEL_FIRST, REGION_KNOWS, 0, 0, &row);   /* equal v*: not counted */
    count(w, 1, 0, 1, LABEL_SKIP, REGION_UNSURE, 0, 0, &row);   /* skipped */
    assert_int_equal(row.region_labels[REGION_KNOWS], 3);
    assert_int_equal(row.region_labels[REGION_UNSURE], 3);
    assert_int_equal(row.region_labels[REGION_WRONG], 2);
    assert_int_equal(row.skipped, 1);
    assert_int_equal(row.acc_n[REGION_KNOWS], 2);
    assert_int_equal(row.acc_correct[REGION_KNOWS], 2);
    assert_int_equal(row.acc_n[REGION_UNSURE], 2);
    assert_int_equal(row.acc_correct[REGION_UNSURE], 1);
    assert_int_equal(row.acc_n[REGION_WRONG], 2);
    assert_int_equal(row.acc_correct[REGION_WRONG], 0);
    assert_int_equal(row.acc_n[N_REGIONS], 6);
    assert_int_equal(row.acc_correct[N_REGIONS], 3);
    assert_close(metrics_accuracy(&row, N_REGIONS), 0.5, 0);
    assert_close(metrics_accuracy(&row, REGION_KNOWS), 1, 0);
    assert_close(metrics_accuracy(&row, REGION_UNSURE), 0.5, 0);
    assert_close(metrics_accuracy(&row, REGION_WRONG), 0, 0);
    assert_int_equal(row.slots_hidden, 3);
    assert_int_equal(row.slots_found, 1);
    assert_close(metrics_assisted_found(&row), 1.0 / 3, 1e-15);
    /* the columns read the same tallies */
    assert_close(metrics_value(&row, 10), 0.5, 0);
    assert_close(metrics_value(&row, 11), 1, 0);
    assert_close(metrics_value(&row, 12), 0.5, 0);
    assert_close(metrics_value(&row, 13), 0, 0);
    assert_close(metrics_value(&row, 14), 1.0 / 3, 1e-15);
    /* nothing tallied: not available */
    memset(&row, 0, sizeof row);
    assert_true(isnan(metrics_accuracy(&row, N_REGIONS)));
    assert_true(isnan(metrics_assisted_found(&row)));
    count(w, 1, 0, 1, LABEL_SKIP, REGION_KNOWS, 0, 0, &row);
    assert_true(isnan(metrics_accuracy(&row, REGION_KNOWS)));
    world_free(w);
}

/* The column table: names and kinds in CSV order, NULL outside, and
 * metrics_value reading each field. */
static void test_columns(void **state)
{
    (void)state;
    static const char *names[] = { "round", "labels", "label_cost", "true_value",
        "proxy_value", "perceived_value", "kl", "deception_rate", "overestimation",
        "underestimation", "label_accuracy", "label_accuracy_knows", "label_accuracy_unsure",
        "label_accuracy_wrong", "assisted_found", "reference_true_value",
        "reference_perceived_value", "reference_overestimation", "reference_underestimation",
        "deceptive_inflation", "overjustification", "catastrophe_train",
        "catastrophe_deploy", "catastrophe_any", "catastrophe_sampled", "catastrophe_redteam",
        "redteam_labels", "true_value_monitored", "true_value_unmonitored",
        "catastrophe_monitored", "catastrophe_unmonitored" };
    const int n = (int)(sizeof names / sizeof names[0]);
    assert_int_equal(metrics_n_columns(), n);
    for (int k = 0; k < n; k++) {
        const metrics_column *col = metrics_column_at(k);
        assert_non_null(col);
        assert_string_equal(col->name, names[k]);
        assert_int_equal(col->kind, k < 2 ? METRIC_INT : k < 10 ? METRIC_REAL
                                    : k < 15 ? METRIC_OPTIONAL : k < 19 ? METRIC_REAL
                                    : k < 21 ? METRIC_FLAG : k == 26 ? METRIC_INT
                                    : METRIC_OPTIONAL);
    }
    assert_null(metrics_column_at(-1));
    assert_null(metrics_column_at(n));
    metrics_row row;
    memset(&row, 0, sizeof row);
    row.round = 7, row.labels = 123456789012L, row.label_cost = 2.5;
    row.true_value = 3, row.proxy_value = 4, row.perceived_value = 5, row.kl = 6;
    row.deception_rate = 0.7, row.overestimation = 8, row.underestimation = 9;
    row.ref.true_value = 10, row.ref.perceived_value = 11, row.ref.overestimation = 12;
    row.ref.underestimation = 13;
    const double want[10] = { 7, 123456789012.0, 2.5, 3, 4, 5, 6, 0.7, 8, 9 };
    for (int k = 0; k < 10; k++)
        assert_close(metrics_value(&row, k), want[k], 0);
    for (int k = 10; k < 15; k++)
        assert_true(isnan(metrics_value(&row, k)));
    for (int k = 15; k < 19; k++)
        assert_close(metrics_value(&row, k), 10 + (k - 15), 0);
    /* the deployment fields, each read from its own field */
    row.catastrophe_train = 21, row.catastrophe_deploy = 22, row.catastrophe_any = 23;
    row.catastrophe_sampled = 24, row.catastrophe_redteam = 25, row.redteam_labels = 26;
    row.true_value_monitored = 27, row.true_value_unmonitored = 28;
    row.catastrophe_monitored = 29, row.catastrophe_unmonitored = 30;
    for (int k = 21; k < 31; k++)
        assert_close(metrics_value(&row, k), k, 0);
    metrics_no_deployment(&row);
    for (int k = 21; k < 31; k++)
        assert_true(k == 26 || isnan(metrics_value(&row, k)));
    assert_true(isnan(metrics_value(&row, n)));
    assert_true(isnan(metrics_value(&row, -1)));
}

/* The reference is the true-value optimal policy (all mass on the best
 * behaviours, ties in proportion to pi0) seen by the overseer, and pi0's
 * over/underestimation: on one context whose best two behaviours tie (v* 1,
 * pi0 0.2 and 0.6), a human who misses the second's hidden +0.5 (so u = 0.5
 * there) and sees a flattering third (looks 2, hidden -2, v* 0): reference
 * true value 1, perceived 0.25 * 1 + 0.75 * 0.5, underestimation 0.75 * 0.5;
 * pi0's overestimation 0.2 * 2, underestimation 0.6 * 0.5. */
static void test_reference(void **state)
{
    (void)state;
    const double looks[3] = { 1.0, 0.5, 2.0 }, prior[3] = { 0.2, 0.6, 0.2 };
    const h_fact facts[2] = { { 0, 1, 2, 0.5 }, { 0, 2, 2, -2.0 } };
    world *w = h_world(1, 3, NULL, NULL, looks, prior, facts, 2, NULL, 0.5);
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 1, INFINITY);
    double table[3];
    metrics_reference ref;
    metrics_reference_of(w, o, table, &ref);
    assert_close(table[0], 0.25, 1e-15);
    assert_close(table[1], 0.75, 1e-15);
    assert_close(table[2], 0, 0);
    assert_close(ref.true_value, 1.0, 1e-15);
    assert_close(ref.perceived_value, 0.25 + 0.75 * 0.5, 1e-15);
    assert_close(ref.overestimation, 0, 1e-15);
    assert_close(ref.underestimation, 0.75 * 0.5, 1e-15);
    assert_close(ref.prior_overestimation, 0.2 * 2, 1e-15);
    assert_close(ref.prior_underestimation, 0.6 * 0.5, 1e-15);
    overseer_free(o);
    world_free(w);
}

/* The flags: each of Lang et al.'s two conditions against the reference, and
 * the training having moved the policy that way from pi0; a difference within
 * 1e-9 does not count. */
static void test_flags(void **state)
{
    (void)state;
    metrics_row r;
    memset(&r, 0, sizeof r);
    r.ref = (metrics_reference){ 1.0, 0.5, 0.1, 0.4, 0.2, 0.3 };
    /* inflation: overestimation 0.3 > 0.1 and > pi0's 0.2, perceived 0.6 > 0.5 */
    r.overestimation = 0.3, r.perceived_value = 0.6;
    assert_int_equal(metrics_deceptive_inflation(&r), 1);
    r.perceived_value = 0.5; /* not above the reference */
    assert_int_equal(metrics_deceptive_inflation(&r), 0);
    r.perceived_value = 0.6, r.overestimation = 0.2; /* not above pi0's */
    assert_int_equal(metrics_deceptive_inflation(&r), 0);
    /* within the tolerance of the reference (pi0's overestimation 0 here) */
    metrics_row t = r;
    t.ref.prior_overestimation = 0, t.overestimation = 0.1 + 5e-10;
    assert_int_equal(metrics_deceptive_inflation(&t), 0);
    t.overestimation = 0.1 + 5e-9;
    assert_int_equal(metrics_deceptive_inflation(&t), 1);
    /* overjustification: underestimation 0.1 < 0.4 and < pi0's 0.3, true 0.8 < 1 */
    r.underestimation = 0.1, r.true_value = 0.8;
    assert_int_equal(metrics_overjustification(&r), 1);
    r.true_value = 1.0;
    assert_int_equal(metrics_overjustification(&r), 0);
    r.true_value = 0.8, r.underestimation = 0.3; /* not below pi0's */
    assert_int_equal(metrics_overjustification(&r), 0);
    r.underestimation = 0.35; /* below the reference but above pi0's */
    assert_int_equal(metrics_overjustification(&r), 0);
    assert_close(metrics_value(&r, 19), 0, 0);
    r.underestimation = 0.1;
    assert_close(metrics_value(&r, 20), 1, 0);
}

/* metrics_finite: every REAL column must be finite (and names the first that
 * is not); optional columns may be NaN. */
static void test_finite(void **state)
{
    (void)state;
    metrics_row row;
    memset(&row, 0, sizeof row);
    const char *field = NULL;
    assert_int_equal(metrics_finite(&row, &field), 1); /* optional columns all NaN */
    assert_null(field);
    row.kl = INFINITY;
    assert_int_equal(metrics_finite(&row, &field), 0);
    assert_string_equal(field, "kl");
    row.true_value = NAN;
    assert_int_equal(metrics_finite(&row, &field), 0);
    assert_string_equal(field, "true_value");
    memset(&row, 0, sizeof row);
    row.underestimation = -INFINITY;
    assert_int_equal(metrics_finite(&row, &field), 0);
    assert_string_equal(field, "underestimation");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_metrics),
        cmocka_unit_test(test_label_tallies),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
