/* test_rm_confidence.c — Burns et al.'s auxiliary confidence loss in the
 * reward model (rm.h): the mixed target's loss and gradient by hand, its
 * fixed point (exact), every fit method reaching it, the warm-up's order, and
 * the parameter's range. */
#include "helpers.h"
#include "rm.h"

/* One context, two behaviours, one feature x = (0, 1): r1 - r2 = -psi. */
static world *world_two(void)
{
    os_err err = { 0 };
    world *w = world_new(1, 2, &err);
    assert_non_null(w);
    assert_int_equal(world_set_context(w, 0, "c", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 0, 0, 1, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 1, 0, 1, &err), 0);
    const double phi[2] = { 0, 1 };
    assert_int_equal(world_set_features(w, 1, phi, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    return w;
}

static rm *make(const world *w, double alpha, rm_fit_method method, double l2)
{
    rm_params p;
    rm_params_default(&p);
    p.confidence = alpha;
    p.method = method;
    p.l2 = l2;
    p.tol = 1e-12;
    p.max_iter = method == RM_FIT_BFGS ? 1000 : 20000;
    p.lr = method == RM_FIT_ADAM ? 0.001 : 1;
    os_err err = { 0 };
    rm *m = rm_new(w, &p, &err);
    if (!m)
        fail_msg("rm_new: %s", err.msg);
    /* 3 labels prefer x, 1 prefers y */
    for (int k = 0; k < 3; k++)
        rm_add_label(m, 0, 0, 1, LABEL_FIRST);
    rm_add_label(m, 0, 0, 1, LABEL_SECOND);
    return m;
}

/* Mean loss and d loss / d psi, by hand: weights a for x, b for y, d = -psi. */
static void by_hand(double a, double b, double psi, double *loss, double *dpsi)
{
    double d = -psi, s = h_sigmoid(d);
    *loss = -(a * log(s) + b * log(1 - s)) / 4;
    *dpsi = -(a * (s - 1) + b * s) / 4;
}

static void loss_grad_by_hand(void **state)
{
    (void)state;
    world *w = world_two();
    rm *m = make(w, 0.5, RM_FIT_BFGS, 0);
    /* psi 0.8: the model prefers y (d = -0.8), so its verdict h = 0 and the
     * targets are (0.5 x 3 + 0.5 x 4 x 0, 0.5 x 1 + 0.5 x 4 x 1) = (1.5, 2.5);
     * psi -0.8: h = 1, (3.5, 0.5); psi 0: a tie, h = 1/2, (2.5, 1.5) */
    const double psis[3] = { 0.8, -0.8, 0 };
    const double as[3] = { 1.5, 3.5, 2.5 }, bs[3] = { 2.5, 0.5, 1.5 };
    for (int i = 0; i < 3; i++) {
        rm_set_psi(m, &psis[i]);
        double g, want, want_g;
        double loss = rm_loss_grad(m, 0, &g);
        by_hand(as[i], bs[i], psis[i], &want, &want_g);
        assert_close(loss, want, 1e-14);
        assert_close(rm_loss(m), want, 1e-14);
        assert_close(g, want_g, 1e-14);
    }
    /* alpha 0: the labels alone, (3, 1) */
    rm *plain = make(w, 0, RM_FIT_BFGS, 0);
    double psi = 0.8, g, want, want_g;
    rm_set_psi(plain, &psi);
    double loss = rm_loss_grad(plain, 0, &g);
    by_hand(3, 1, psi, &want, &want_g);
    assert_close(loss, want, 1e-14);
    assert_close(g, want_g, 1e-14);
    rm_free(plain);
    rm_free(m);
    world_free(w);
}

/* The fixed point: agreeing with its labels' majority (h = 1), the model's
 * targets are (1 - alpha)(3, 1) + alpha (4, 0), so sigma(d) = 3/4 + alpha/4:
 * d = log 3 without the loss, log 7 at alpha 1/2, log 15 at alpha 3/4 — more
 * confident than the labels. Every fit method gets there (l2 1e-9 shifts d
 * by about 1e-8). */
static void fixed_point_exact(void **state)
{
    (void)state;
    world *w = world_two();
    const double alphas[3] = { 0, 0.5, 0.75 }, want[3] = { log(3), log(7), log(15) };
    const rm_fit_method methods[3] = { RM_FIT_BFGS, RM_FIT_GD, RM_FIT_ADAM };
    const double tol[3] = { 1e-6, 1e-6, 1e-3 }; /* Adam: steps of about lr at the end */
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3; i++) {
            rm *m = make(w, alphas[i], methods[k], 1e-9);
            os_err err = { 0 };
            assert_int_equal(rm_fit(m, &err), 0);
            const double *r = rm_rewards(m);
            if (fabs(r[0] - r[1] - want[i]) > tol[k])
                fail_msg("fit %d, alpha %g: d = %.9f, want %.9f", k, alphas[i], r[0] - r[1],
                         want[i]);
            /* the loss rm_loss reports after a fit is the one minimised */
            double loss, dpsi, a = 3 + alphas[i], b = 1 - alphas[i];
            by_hand(a, b, rm_psi(m)[0], &loss, &dpsi);
            assert_close(rm_loss(m), loss, 1e-8); /* + l2's 1e-9 / 4 x psi^2 */
            rm_free(m);
        }
    world_free(w);
}

/* The warm-up decides which fixed point a fit reaches: started on the wrong
 * side (the model prefers y), the loss at full weight at once would be held
 * there by its own verdict (targets (1.5, 2.5) at alpha 1/2: sigma(d) = 3/8,
 * a fixed point too); fitting the labels first (BFGS) or ramping alpha (GD)
 * crosses over to the labels' side, d = log 7. */
static void warm_up_crosses_over(void **state)
{
    (void)state;
    world *w = world_two();
    for (int k = 0; k < 2; k++) {
        rm *m = make(w, 0.5, k ? RM_FIT_GD : RM_FIT_BFGS, 1e-9);
        double psi = 0.6; /* d = -0.6: the wrong side of 0 */
        rm_set_psi(m, &psi);
        os_err err = { 0 };
        assert_int_equal(rm_fit(m, &err), 0);
        const double *r = rm_rewards(m);
        assert_close(r[0] - r[1], log(7), 1e-6);
        rm_free(m);
    }
    /* without a warm-up the wrong side holds: d = log(3/5) is stationary */
    rm *m = make(w, 0.5, RM_FIT_BFGS, 0);
    double psi = -log(0.6), g;
    rm_set_psi(m, &psi);
    rm_loss_grad(m, 0, &g);
    assert_close(g, 0, 1e-15);
    rm_free(m);
    world_free(w);
}

static void confidence_range(void **state)
{
    (void)state;
    rm_params p;
    rm_params_default(&p);
    assert_true(p.confidence == 0);
    os_err err = { 0 };
    const double bad[3] = { 1, -0.1, NAN };
    for (int i = 0; i < 3; i++) {
        p.confidence = bad[i];
        assert_int_equal(rm_params_check(&p, NULL, &err), OS_EINVAL);
        assert_msg_has(err, "field 'confidence' of reward_model must be in [0,1)");
    }
    p.confidence = 0.75;
    assert_int_equal(rm_params_check(&p, NULL, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loss_grad_by_hand),
        cmocka_unit_test(fixed_point_exact),
        cmocka_unit_test(warm_up_crosses_over),
        cmocka_unit_test(confidence_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
