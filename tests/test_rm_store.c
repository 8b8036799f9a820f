/* test_rm_store.c — the reward model's label store and its sizes (the pair
 * capacity past an int refused, rm_estimate), ensembles (bootstrap resamples,
 * each member fitted on its own, the pair variance), and parameter errors. */
#include "rm_helpers.h"
#include "rng.h"

static void test_bad_params(void **state)
{
    (void)state;
    world *w = h_world(1, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0.5);
    rm_params p;
    os_err err = { 0 };
    struct { const char *field; int which; double bad; } cases[] = {
        { "'l2'", 0, -1e-3 }, { "'l2'", 0, NAN }, { "'noise'", 1, 1.0 },
        { "'noise'", 1, -0.1 }, { "'lr'", 2, 0.0 }, { "'tol'", 3, -1.0 },
        { "'max_iter'", 4, 0 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rm_params_default(&p);
        double v = cases[i].bad;
        switch (cases[i].which) {
        case 0: p.l2 = v; break;
        case 1: p.noise = v; break;
        case 2: p.lr = v; break;
        case 3: p.tol = v; break;
        default: p.max_iter = (int)v; break;
        }
        err.msg[0] = 0;
        assert_null(rm_new(w, &p, &err));
        assert_int_equal(err.code, OS_EINVAL);
        assert_msg_has(err, cases[i].field);
    }
    rm_params_default(&p); /* documented defaults */
    assert_close(p.l2, 1, 0);
    assert_close(p.noise, 0, 0);
    assert_int_equal(p.method, RM_FIT_BFGS);
    assert_int_equal(p.max_iter, 200);
    rm_free(NULL);
    world_free(w);
}

/* rm_params_check: every message names the field, the record and the value. */
static void test_params_check_messages(void **state)
{
    (void)state;
    rm_params p;
    os_err err = { 0 };
    struct { int which; double bad; const char *want; } cases[] = {
        { 0, -1e-3, "field 'l2' of reward_model must be a finite number >= 0 (got -0.001)" },
        { 0, INFINITY, "field 'l2' of reward_model must be a finite number >= 0 (got inf)" },
        { 1, 1.0, "field 'noise' of reward_model must be in [0,1) (got 1)" },
        { 1, -0.1, "field 'noise' of reward_model must be in [0,1) (got -0.1)" },
        { 2, 0.0, "field 'lr' of reward_model must be a finite number > 0 (got 0)" },
        { 3, -1.0, "field 'tol' of reward_model must be >= 0 (got -1)" },
        { 4, 0, "field 'max_iter' of reward_model must be >= 1 (got 0)" },
        { 5, 0, "field 'ensemble' of reward_model must be >= 1 (got 0)" },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rm_params_default(&p);
        double v = cases[i].bad;
        switch (cases[i].which) {
        case 0: p.l2 = v; break;
        case 1: p.noise = v; break;
        case 2: p.lr = v; break;
        case 3: p.tol = v; break;
        case 4: p.max_iter = (int)v; break;
        default: p.ensemble = (int)v; break;
        }
        assert_int_equal(rm_params_check(&p, NULL, &err), OS_EINVAL);
        assert_msg_is(err, cases[i].want);
    }
    rm_params_default(&p);
    assert_int_equal(rm_params_check(&p, "reward_model", &err), 0);
    p.noise = 0.999;
    assert_int_equal(rm_params_check(&p, NULL, &err), 0);
    p.model.kind = MODEL_MLP, p.model.n_layers = 1, p.model.hidden[0] = 0;
    rm_params_check(&p, "rm of critic 1", &err);
    assert_msg_is(err, "hidden layer sizes of rm of critic 1.model must be integers >= 1 "
                  "(got 0)");
}

/* Bootstrap: every label counts Poisson(1) times for each member (the online
 * bootstrap), so a linear ensemble fitted to convergence by BFGS, whose
 * members would otherwise all reach the same optimum, disagrees; each member
 * is the exact BT fit of its own resample (one pair: d solves w1 p'/p - w2
 * p'/(1-p) = l2 d with p = sigma(d), checked through the loss gradient
 * being 0). Without bootstrap the members agree. */
static void test_bootstrap_members_differ(void **state)
{
    (void)state;
    world *w = h_world(1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    double spread[2];
    for (int boot = 0; boot < 2; boot++) {
        rm_params p;
        rm_params_default(&p);
        p.ensemble = 4, p.bootstrap = boot, p.tol = 1e-10, p.max_iter = 1000;
        gsl_rng *init = rng_new(3, 1);
        os_err err = { 0 };
        rm *m = rm_new_with(w, &p, init, &err);
        assert_non_null(m);
        for (int k = 0; k < 30; k++) {
            rm_add_label(m, 0, 0, 1, k % 3 ? LABEL_FIRST : LABEL_SECOND);
            rm_add_label(m, 0, 1, 2, k % 4 ? LABEL_FIRST : LABEL_SECOND);
        }
        fit(m);
        double lo = INFINITY, hi = -INFINITY;
        for (int k = 0; k < 4; k++) {
            const double *r = rm_member_rewards(m, k);
            double d = r[0] - r[1];
            lo = fmin(lo, d), hi = fmax(hi, d);
            /* each member at its own optimum: the gradient of its loss is 0 */
            double g[3];
            rm_loss_grad(m, k, g);
            for (int j = 0; j < 3; j++)
                assert_close(g[j], 0, 1e-6);
        }
        spread[boot] = hi - lo;
        rm_free(m);
        rng_free(init);
    }
    assert_close(spread[0], 0, 1e-6); /* the same labels: the same optimum */
    assert_true(spread[1] > 0.1);      /* different resamples: they disagree */
    world_free(w);
}

/* GSL's callbacks fit the member they are given: after fitting an ensemble
 * each member's stored rewards are its own parameters' (a refresh changes
 * nothing), and every member moved from its init. */
static void test_ensemble_members_fit_their_own(void **state)
{
    (void)state;
    world *w = world_r(0);
    rm_params p;
    rm_params_default(&p);
    p.ensemble = 3;
    os_err err = { 0 };
    gsl_rng *init = rng_new(9, 9);
    rm *m = rm_new_with(w, &p, init, &err);
    assert_non_null(m);
    double before[3][8], after[3][8];
    for (int k = 0; k < 3; k++)
        memcpy(before[k], rm_member_rewards(m, k), sizeof before[k]);
    for (int k = 0; k < 60; k++)
        rm_add_label(m, k % 2, k % 4, (k / 4) % 4, k % 3 ? LABEL_FIRST : LABEL_SECOND);
    assert_int_equal(rm_fit(m, &err), 0);
    for (int k = 0; k < 3; k++)
        memcpy(after[k], rm_member_rewards(m, k), sizeof after[k]);
    rm_refresh(m);
    for (int k = 0; k < 3; k++) {
        assert_memory_equal(after[k], rm_member_rewards(m, k), sizeof after[k]);
        assert_true(h_maxabs_diff(before[k], after[k], 8) > 1e-3);
    }
    rm_free(m);
    rng_free(init);
    world_free(w);
}

/* The pair capacity sum n(n-1)/2 was an int: 65537 behaviours in a context
 * make 2147516416 comparisons, past it. Refused (65536 make 2147450880, the
 * most that fits, but their tables need 76 GB: not tried here). */
static void test_pair_capacity_past_an_int_is_refused(void **state)
{
    (void)state;
    world *w = h_world(1, 65537, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    rm_params p;
    rm_params_default(&p);
    os_err err = { 0 };
    assert_null(rm_new(w, &p, &err));
    assert_int_equal(err.code, OS_EINVAL);
    assert_msg_is(err, "reward model too large: 2147516416 possible comparisons (at most "
                  "2147483646)");
    world_free(w);
}

/* rm_estimate: the pair table of one context and 20,000 behaviours (the run
 * that took 1.6 GB and 8.7 s for 8 labels) is its largest item, counted
 * whole: 20000^2 slots of 4 bytes and 199990000 + 1 pairs of 28. */
static void test_estimate_pair_table(void **state)
{
    (void)state;
    world *w = h_world(1, 20000, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    rm_params p;
    rm_params_default(&p);
    size_estimate e;
    size_estimate_init(&e);
    rm_estimate(w, &p, &e);
    size_t pairs = 20000ull * 20000 * 4 + (199990000ull + 1) * 28;
    assert_int_equal(e.largest, pairs);
    assert_string_equal(e.what, "reward-model pair table 20000 x 20000");
    /* + linear parameters x 3, two reward vectors, 13 fit vectors, and the
     * compared cells' marks and list */
    assert_int_equal(e.bytes, pairs + (3 + 2 + 13) * 20000 * sizeof(double) +
                              20000 * (sizeof(int) + 1));
    /* an ensemble of 3 counts three members and three more reward vectors,
     * and, bootstrapped, each member's two weights per pair */
    p.ensemble = 3;
    p.bootstrap = 0;
    size_estimate e3;
    size_estimate_init(&e3);
    rm_estimate(w, &p, &e3);
    assert_int_equal(e3.bytes - e.bytes, (2 * 3 + 3) * 20000 * sizeof(double));
    p.bootstrap = 1;
    size_estimate_init(&e3);
    rm_estimate(w, &p, &e3);
    assert_int_equal(e3.bytes - e.bytes, (2 * 3 + 3) * 20000 * sizeof(double) +
                                         (199990000ull + 1) * 3 * 2 * sizeof(double));
    world_free(w);
    /* several contexts: named with the count, and only available pairs */
    static double prior[2 * 300];
    for (int i = 0; i < 2 * 300; i++)
        prior[i] = i < 2 * 300 - 1; /* the last behaviour is absent in context 2 */
    w = h_world(2, 300, NULL, NULL, NULL, prior, NULL, 0, NULL, 0);
    p.ensemble = 1;
    size_estimate_init(&e);
    rm_estimate(w, &p, &e);
    assert_string_equal(e.what, "reward-model pair table 2 x 300 x 300");
    assert_int_equal(e.largest, 2 * 300 * 300 * 4 + (300 * 299 / 2 + 299 * 298 / 2 + 1) * 28);
    world_free(w);
}

/* rm_pair_variance is the members' population variance of r1 - r2 (two
 * members: d = -1 and -3, mean -2, variance 1); a single model has none.
 * rm_pick_disagreement takes the largest variances first and breaks ties in
 * draw order. */
static void test_pair_variance_and_ties(void **state)
{
    (void)state;
    world *w = h_one_context(3, NULL);
    rm_params p;
    rm_params_default(&p);
    p.ensemble = 2;
    os_err err = { 0 };
    gsl_rng *init = rng_new(1, 1);
    rm *m = rm_new_with(w, &p, init, &err);
    assert_non_null(m);
    assert_int_equal(rm_dim(m), 3); /* one-hot: a parameter per cell */
    const double m0[3] = { 0, 1, 5 }, m1[3] = { 0, 3, 5 };
    memcpy(rm_member_params(m, 0), m0, sizeof m0);
    memcpy(rm_member_params(m, 1), m1, sizeof m1);
    rm_refresh(m);
    assert_close(rm_pair_variance(m, 0, 0, 1), 1, 1e-15);
    assert_close(rm_pair_variance(m, 0, 1, 2), 1, 1e-15);
    assert_close(rm_pair_variance(m, 0, 0, 2), 0, 0);
    int c[4] = { 0, 0, 0, 0 }, b1[4] = { 0, 0, 1, 0 }, b2[4] = { 2, 1, 2, 1 }, chosen[4];
    double var[4];
    assert_int_equal(rm_pick_disagreement(m, 4, c, b1, b2, 3, var, chosen), 3);
    assert_int_equal(chosen[0], 1); /* variance 1, the earlier of two */
    assert_int_equal(chosen[1], 2);
    assert_int_equal(chosen[2], 3);
    rm_free(m);
    /* one model: every variance 0, so the first n in draw order */
    rm *one = make_rm(w, 1e-3, 0);
    assert_close(rm_pair_variance(one, 0, 0, 1), 0, 0);
    assert_int_equal(rm_pick_disagreement(one, 4, c, b1, b2, 2, var, chosen), 2);
    assert_int_equal(chosen[0], 0);
    assert_int_equal(chosen[1], 1);
    assert_int_equal(rm_pick_disagreement(one, 4, c, b1, b2, 9, var, chosen), 4);
    for (int k = 0; k < 4; k++)
        assert_int_equal(chosen[k], k);
    rm_free(one);
    rng_free(init);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_params_check_messages),
        cmocka_unit_test(test_bootstrap_members_differ),
        cmocka_unit_test(test_ensemble_members_fit_their_own),
        cmocka_unit_test(test_pair_capacity_past_an_int_is_refused),
        cmocka_unit_test(test_estimate_pair_table),
        cmocka_unit_test(test_pair_variance_and_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
