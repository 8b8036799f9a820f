/* test_model.c — the per-cell scoring models (issue 4): the linear model is
 * world_dot_all / world_dot_transpose exactly; MLP gradients (tanh and ReLU,
 * one and two hidden layers, dense and one-hot features) match central finite
 * differences, for the model itself, the reward model's Bradley-Terry loss and
 * the policy's KL-regularised objective; Adam; spec errors. */
#include "helpers.h"
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "model.h"
#include "policy.h"
#include "rm.h"
#include "rng.h"

/* 3 contexts x 4 behaviours, every cell available, random looks and prior;
 * dense: 5 Gaussian features (N(0, 1/5)), else one-hot. */
static world *small_world(int dense, uint64_t seed)
{
    double looks[12], prior[12];
    gsl_rng *r = rng_new(seed, 7);
    for (int i = 0; i < 12; i++)
        looks[i] = gsl_ran_gaussian(r, 1), prior[i] = 0.2 + gsl_rng_uniform(r);
    os_err err = { 0 };
    world *w = world_new(3, 4, &err);
    char name[16];
    for (int c = 0; c < 3; c++) {
        snprintf(name, sizeof name, "c%d", c);
        assert_int_equal(world_set_context(w, c, name, 1 + c, 0, 0, &err), 0);
    }
    for (int b = 0; b < 4; b++) {
        snprintf(name, sizeof name, "b%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
    }
    for (int i = 0; i < 12; i++)
        assert_int_equal(world_set_cell(w, i / 4, i % 4, looks[i], prior[i], &err), 0);
    if (dense) {
        double phi[12 * 5];
        for (int i = 0; i < 60; i++)
            phi[i] = gsl_ran_gaussian(r, sqrt(1.0 / 5));
        assert_int_equal(world_set_features(w, 5, phi, &err), 0);
    }
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    rng_free(r);
    return w;
}

static model_spec mlp(int n_layers, int h1, int h2, model_activation a)
{
    model_spec s = { .kind = MODEL_MLP, .n_layers = n_layers, .hidden = { h1, h2 },
                     .activation = a };
    return s;
}

/* The linear model is world_dot_all and world_dot_transpose, bit for bit. */
static void test_linear_is_world_dot(void **state)
{
    (void)state;
    for (int dense = 0; dense < 2; dense++) {
        world *w = small_world(dense, 3);
        model_spec s;
        model_spec_linear(&s);
        os_err err = { 0 };
        model *m = model_new(w, &s, &err);
        assert_non_null(m);
        assert_int_equal(model_n_params(m), w->dim);
        gsl_rng *r = rng_new(5, 5);
        model_init(m, r, 1);
        double out[12], ref[12], g[12], grad[12], gref[12];
        for (int i = 0; i < 12; i++)
            g[i] = gsl_ran_gaussian(r, 1);
        model_forward(m, model_params(m), out);
        world_dot_all(w, model_params(m), ref);
        assert_memory_equal(out, ref, sizeof out);
        model_backward(m, model_params(m), g, grad);
        world_dot_transpose(w, g, gref);
        assert_memory_equal(grad, gref, w->dim * sizeof *grad);
        model_init(m, r, 0); /* zeros, no draw */
        for (int j = 0; j < w->dim; j++)
            assert_true(model_params(m)[j] == 0);
        rng_free(r);
        model_free(m);
        world_free(w);
    }
}

/* d(sum c_i score_i)/d params by model_backward equals central differences
 * (h = 1e-6) within 1e-6 relative, for both activations, 1 and 2 layers,
 * dense and one-hot features. */
static void test_mlp_gradient_matches_finite_differences(void **state)
{
    (void)state;
    for (int dense = 0; dense < 2; dense++)
        for (int act = 0; act < 2; act++)
            for (int layers = 1; layers <= 2; layers++) {
                world *w = small_world(dense, 11 + act);
                model_spec s = mlp(layers, 6, 4, (model_activation)act);
                os_err err = { 0 };
                model *m = model_new(w, &s, &err);
                assert_non_null(m);
                int n = model_n_params(m);
                int expect = w->dim * 6 + 6 + (layers == 2 ? 6 * 4 + 4 + 4 : 6);
                assert_int_equal(n, expect);
                gsl_rng *r = rng_new(act, layers + 2 * dense);
                model_init(m, r, 1);
                double *p = model_params(m);
                for (int j = 0; j < n; j++) /* biases too, so ReLUs sit off 0 */
                    p[j] += gsl_ran_gaussian(r, 0.3);
                double g[12], out[12], *grad = malloc(n * sizeof *grad);
                for (int i = 0; i < 12; i++)
                    g[i] = gsl_ran_gaussian(r, 1);
                g[5] = 0; /* skipped cells contribute nothing */
                model_forward(m, p, out);
                model_backward(m, p, g, grad);
                const double h = 1e-6;
                for (int j = 0; j < n; j++) {
                    double keep = p[j], lp = 0, lm = 0;
                    p[j] = keep + h;
                    model_forward(m, p, out);
                    for (int i = 0; i < 12; i++)
                        lp += g[i] * out[i];
                    p[j] = keep - h;
                    model_forward(m, p, out);
                    for (int i = 0; i < 12; i++)
                        lm += g[i] * out[i];
                    p[j] = keep;
                    double fd = (lp - lm) / (2 * h);
                    assert_close(grad[j], fd, 1e-6 * (1 + fabs(fd)));
                }
                free(grad);
                rng_free(r);
                model_free(m);
                world_free(w);
            }
}

/* The reward model's BT loss (with L2, with and without the noise model)
 * through an MLP: rm_loss_grad equals central differences of the loss. */
static void test_rm_mlp_loss_gradient(void **state)
{
    (void)state;
    for (int act = 0; act < 2; act++)
        for (int layers = 1; layers <= 2; layers++) {
            world *w = small_world(1, 21);
            rm_params p;
            rm_params_default(&p);
            p.model = mlp(layers, 5, 3, (model_activation)act);
            p.noise = layers == 2 ? 0.1 : 0;
            p.l2 = 1e-2;
            os_err err = { 0 };
            gsl_rng *r = rng_new(2, act + 2 * layers);
            rm *m = rm_new_with(w, &p, r, &err);
            if (!m)
                fail_msg("rm_new_with: %s", err.msg);
            for (int k = 0; k < 200; k++) {
                int c = (int)gsl_rng_uniform_int(r, 3);
                int b1 = (int)gsl_rng_uniform_int(r, 4), b2 = (int)gsl_rng_uniform_int(r, 4);
                rm_add_label(m, c, b1, b2, (label_kind)gsl_rng_uniform_int(r, 3));
            }
            int n = rm_dim(m);
            double *x = rm_member_params(m, 0), *grad = malloc(n * sizeof *grad);
            for (int j = 0; j < n; j++)
                x[j] += gsl_ran_gaussian(r, 0.3);
            rm_loss_grad(m, 0, grad);
            const double h = 1e-6;
            for (int j = 0; j < n; j++) {
                double keep = x[j];
                x[j] = keep + h;
                double lp = rm_loss_grad(m, 0, NULL);
                x[j] = keep - h;
                double lm = rm_loss_grad(m, 0, NULL);
                x[j] = keep;
                double fd = (lp - lm) / (2 * h);
                assert_close(grad[j], fd, 1e-7 * (1 + fabs(fd)));
            }
            free(grad);
            rng_free(r);
            rm_free(m);
            world_free(w);
        }
}

/* J = sum_c w_c [E_pi r - kl KL(pi || pi0)] from the policy's probabilities. */
static double objective(const world *w, policy *pol, const double *reward, double kl)
{
    const double *pr = policy_probs(pol), *lp = policy_log_probs(pol);
    double j = 0;
    for (int i = 0; i < w->n_cells; i++)
        if (pr[i] > 0)
            j += w->ctx_weight[i / w->n_beh] * pr[i] *
                 (reward[i] - kl * (lp[i] - w->log_prior[i]));
    return j;
}

/* The exact policy step through an MLP moves theta by lr * dJ/dtheta: with
 * lr = 1 the move equals central differences of J (both activations, 1 and 2
 * layers, dense and one-hot). The MLP policy starts at pi0 (KL 0). */
static void test_policy_mlp_objective_gradient(void **state)
{
    (void)state;
    for (int dense = 0; dense < 2; dense++)
        for (int act = 0; act < 2; act++)
            for (int layers = 1; layers <= 2; layers++) {
                world *w = small_world(dense, 31);
                model_spec s = mlp(layers, 5, 4, (model_activation)act);
                os_err err = { 0 };
                gsl_rng *r = rng_new(4, act + 2 * layers + 4 * dense);
                policy *pol = policy_new_model(w, &s, r, 0, &err);
                if (!pol)
                    fail_msg("policy_new_model: %s", err.msg);
                assert_close(policy_kl(pol), 0, 1e-15);
                int n = policy_dim(pol);
                double *th = policy_theta(pol), *t0 = malloc(n * sizeof *t0);
                for (int j = 0; j < n; j++)
                    th[j] += gsl_ran_gaussian(r, 0.4);
                policy_refresh(pol);
                memcpy(t0, th, n * sizeof *t0);
                double reward[12];
                for (int i = 0; i < 12; i++)
                    reward[i] = gsl_ran_gaussian(r, 1);
                const double kl = 0.3, h = 1e-6;
                assert_int_equal(policy_step_exact(pol, reward, kl, 1, &err), 0);
                double *move = malloc(n * sizeof *move);
                for (int j = 0; j < n; j++)
                    move[j] = th[j] - t0[j];
                for (int j = 0; j < n; j++) {
                    memcpy(th, t0, n * sizeof *t0);
                    th[j] = t0[j] + h;
                    policy_refresh(pol);
                    double jp = objective(w, pol, reward, kl);
                    th[j] = t0[j] - h;
                    policy_refresh(pol);
                    double jm = objective(w, pol, reward, kl);
                    double fd = (jp - jm) / (2 * h);
                    assert_close(move[j], fd, 1e-7 * (1 + fabs(fd)));
                }
                free(move);
                free(t0);
                rng_free(r);
                policy_free(pol);
                world_free(w);
            }
}

/* Adam's first step is -lr sign(grad) (bias-corrected moments); it then
 * minimises a quadratic; reset forgets the moments. */
static void test_adam(void **state)
{
    (void)state;
    world *w = small_world(1, 1);
    model_spec s;
    model_spec_linear(&s);
    os_err err = { 0 };
    model *m = model_new(w, &s, &err);
    double grad[5] = { 3, -0.5, 1e-3, 0, -7 }, step[5];
    model_adam_step(m, grad, 0.1, step);
    for (int j = 0; j < 5; j++)
        assert_close(step[j], grad[j] == 0 ? 0 : -0.1 * (grad[j] > 0 ? 1 : -1), 1e-6);
    /* minimise sum (x_j - j)^2 from 0 */
    model_adam_reset(m);
    double *x = model_params(m);
    for (int it = 0; it < 3000; it++) {
        for (int j = 0; j < 5; j++)
            grad[j] = 2 * (x[j] - j);
        model_adam_step(m, grad, 0.05, step);
        for (int j = 0; j < 5; j++)
            x[j] += step[j];
    }
    for (int j = 0; j < 5; j++)
        assert_close(x[j], j, 1e-3);
    model_free(m);
    world_free(w);
}

/* Bad specs are refused with a message naming the problem. */
static void test_spec_errors(void **state)
{
    (void)state;
    world *w = small_world(0, 1);
    os_err err = { 0 };
    model_spec s = mlp(1, 0, 0, MODEL_TANH);
    assert_null(model_new(w, &s, &err));
    assert_msg_has(err, "hidden layer sizes of model must be integers >= 1 (got 0)");
    s = mlp(3, 4, 4, MODEL_TANH);
    assert_null(model_new(w, &s, &err));
    assert_msg_has(err, "field 'hidden' of model must list 1 or 2 layer sizes (got 3)");
    s = mlp(1, 4, 0, MODEL_TANH);
    assert_null(policy_new_model(w, &s, NULL, 0, &err));
    assert_msg_has(err, "needs a random stream");
    rm_params p;
    rm_params_default(&p);
    p.ensemble = 3;
    assert_null(rm_new(w, &p, &err));
    assert_msg_has(err, "needs a random stream");
    p.ensemble = 0;
    assert_null(rm_new(w, &p, &err));
    assert_msg_has(err, "field 'ensemble' of reward_model must be >= 1 (got 0)");
    world_free(w);
}

/* The MLP's tanh agrees with libm's to a relative 2e-15 on a 1e-5 grid over
 * [-25, 25] (measured worst: 1.2e-15, just below the series cutoff), is odd,
 * and saturates to +-1 exactly. */
static void test_fast_tanh(void **state)
{
    (void)state;
    double worst = 0;
    for (double x = -25; x <= 25; x += 1e-5) {
        double t = tanh(x), f = model_tanh(x);
        double r = t == 0 ? fabs(f) : fabs(f - t) / fabs(t);
        if (r > worst)
            worst = r;
        assert_true(model_tanh(-x) == -f);
    }
    assert_true(worst <= 2e-15);
    assert_true(model_tanh(0) == 0);
    assert_true(model_tanh(40) == 1 && model_tanh(-40) == -1);
    assert_true(model_tanh(1e-300) == 1e-300);
}

/* model_spec_check names the record it is given. */
static void test_spec_check_messages(void **state)
{
    (void)state;
    os_err err = { 0 };
    model_spec s = mlp(2, 8, 0, MODEL_RELU);
    assert_int_equal(model_spec_check(&s, "policy.model", &err), OS_EINVAL);
    assert_msg_is(err, "hidden layer sizes of policy.model must be integers >= 1 (got 0)");
    s = mlp(1, MODEL_MAX_HIDDEN + 1, 0, MODEL_TANH);
    model_spec_check(&s, "policy.model", &err);
    assert_msg_is(err, "hidden layer sizes of policy.model must be at most 1000000 "
                  "(got 1000001)");
    s = mlp(0, 8, 0, MODEL_TANH);
    model_spec_check(&s, NULL, &err);
    assert_msg_is(err, "field 'hidden' of model must list 1 or 2 layer sizes (got 0)");
    s = mlp(1, MODEL_MAX_HIDDEN, 0, MODEL_TANH);
    assert_int_equal(model_spec_check(&s, NULL, &err), 0);
    model_spec_linear(&s);
    assert_int_equal(model_spec_check(&s, NULL, &err), 0);
}

/* Sizes past an int are refused, never wrapped: {65536, 65536} made
 * h1 * h2 = 2^32, which wrapped to 0 as an int (model_forward then wrote past
 * the parameters). Boundaries: 46340^2 fits an int, 46341^2 does not. */
static void test_sizes_past_an_int_are_refused(void **state)
{
    (void)state;
    os_err err = { 0 };
    model_spec s = mlp(2, 46340, 46340, MODEL_TANH);
    assert_int_equal(model_spec_check(&s, "policy.model", &err), 0);
    s = mlp(2, 46341, 46341, MODEL_TANH);
    assert_int_equal(model_spec_check(&s, "policy.model", &err), OS_EINVAL);
    assert_msg_is(err, "hidden layers of policy.model are too large: 46341 x 46341 weights "
                  "(at most 2147483647)");
    world *w = h_world(1, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    s = mlp(2, 65536, 65536, MODEL_TANH);
    assert_null(model_new(w, &s, &err));
    assert_msg_is(err, "hidden layers of model are too large: 65536 x 65536 weights "
                  "(at most 2147483647)");
    /* the count itself does not wrap: D h1 + h1 + h1 h2 + h2 + h2, D = 2 cells */
    assert_true(model_count_params(w, &s) == 2LL * 65536 + 65536 + 65536LL * 65536 + 2 * 65536);
    /* a spec that passes alone but not on this world: 1e6 x 2147 weights fit an
     * int, the whole model (2150004294 parameters) does not; refused before any
     * allocation */
    s = mlp(2, 1000000, 2147, MODEL_TANH);
    assert_int_equal(model_spec_check(&s, NULL, &err), 0);
    assert_null(model_new(w, &s, &err));
    assert_int_equal(err.code, OS_EINVAL);
    assert_msg_is(err, "model too large: 2150004294 parameters on 2 features (at most "
                  "2147483647)");
    world_free(w);
    /* one layer on dense features: D h1 past an int */
    w = world_new(1, 1, &err);
    assert_non_null(w);
    assert_int_equal(world_set_context(w, 0, "c", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "b", 0, &err), 0);
    assert_int_equal(world_set_cell(w, 0, 0, 0, 1, &err), 0);
    static double phi[3000];
    phi[0] = 1;
    assert_int_equal(world_set_features(w, 3000, phi, &err), 0);
    assert_int_equal(world_finalize(w, 0, &err), 0);
    s = mlp(1, 1000000, 0, MODEL_TANH);
    assert_null(model_new(w, &s, &err));
    assert_msg_is(err, "model too large: 3002000000 parameters on 3000 features (at most "
                  "2147483647)");
    world_free(w);
}

/* model_estimate counts the parameters with Adam's two moments and an MLP's
 * per-cell activations, by the sizes model_new allocates. */
static void test_estimate(void **state)
{
    (void)state;
    world *w = h_world(3, 4, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    size_estimate e;
    size_estimate_init(&e);
    model_spec s;
    model_spec_linear(&s);
    model_estimate(w, &s, "policy.model", &e);
    assert_int_equal(e.bytes, 3 * 12 * sizeof(double));
    assert_string_equal(e.what, "policy.model parameters (12, with Adam's moments)");
    size_estimate_init(&e);
    s = mlp(2, 1000, 10, MODEL_TANH);
    model_estimate(w, &s, "reward_model.model", &e);
    long long n = 12LL * 1000 + 1000 + 1000 * 10 + 10 + 10;
    assert_true(model_count_params(w, &s) == n);
    /* parameters x 3, activations 12 x (1000 + 10), scratch 4 x (1000 + 10)
     * (one-hot features: four rows, the cells the backward pass takes at
     * once), W2 transposed 1000 x 10 */
    assert_int_equal(e.bytes, (3 * n + 12 * 1010 + 4 * 1010 + 1000 * 10) * sizeof(double));
    assert_string_equal(e.what, "reward_model.model parameters (23020, with Adam's moments)");
    world_free(w);
}

/* The plain passes cell by cell, as model.c had them before its 4-cell and
 * 8-output blocks: [W1 | b1 | W2 | b2 | w_out], each sum in the same order. */
static double ref_act(model_activation a, double x)
{
    return a == MODEL_TANH ? model_tanh(x) : (x > 0 ? x : 0);
}

static double ref_act_grad(model_activation a, double y)
{
    return a == MODEL_TANH ? 1 - y * y : (y > 0 ? 1 : 0);
}

static void ref_passes(const world *w, const model_spec *s, const double *p, const double *g,
                       double *out, double *grad, int n_params)
{
    const int D = w->dim, H1 = s->hidden[0], H2 = s->n_layers > 1 ? s->hidden[1] : 0;
    const int HL = H2 ? H2 : H1;
    const double *W1 = p, *b1 = W1 + D * H1, *W2 = b1 + H1, *b2 = W2 + H1 * H2,
                 *wo = H2 ? b2 + H2 : b1 + H1;
    double *gW1 = grad, *gb1 = gW1 + D * H1, *gW2 = gb1 + H1, *gb2 = gW2 + H1 * H2,
           *gwo = H2 ? gb2 + H2 : gb1 + H1;
    double h1[64], h2[64], d1[64], d2[64];
    memset(grad, 0, n_params * sizeof *grad);
    for (int i = 0; i < w->n_cells; i++) {
        for (int j = 0; j < H1; j++) {
            double t = b1[j];
            if (w->onehot)
                t = b1[j] + W1[(size_t)i * H1 + j];
            else
                for (int k = 0; k < D; k++)
                    t += w->phi[(size_t)i * D + k] * W1[k * H1 + j];
            h1[j] = ref_act(s->activation, t);
        }
        for (int l = 0; l < H2; l++) {
            double t = b2[l];
            for (int j = 0; j < H1; j++)
                t += h1[j] * W2[j * H2 + l];
            h2[l] = ref_act(s->activation, t);
        }
        const double *last = H2 ? h2 : h1;
        double o = 0;
        for (int j = 0; j < HL; j++)
            o += wo[j] * last[j];
        out[i] = o;
        if (g[i] == 0)
            continue;
        for (int l = 0; l < HL; l++) {
            gwo[l] += g[i] * last[l];
            (H2 ? d2 : d1)[l] = g[i] * wo[l] * ref_act_grad(s->activation, last[l]);
        }
        if (H2) {
            for (int l = 0; l < H2; l++)
                gb2[l] += d2[l];
            for (int j = 0; j < H1; j++) {
                double t = 0;
                for (int l = 0; l < H2; l++) {
                    gW2[j * H2 + l] += h1[j] * d2[l];
                    t += W2[j * H2 + l] * d2[l];
                }
                d1[j] = t * ref_act_grad(s->activation, h1[j]);
            }
        }
        for (int j = 0; j < H1; j++) {
            gb1[j] += d1[j];
            if (w->onehot)
                gW1[(size_t)i * H1 + j] += d1[j];
            else
                for (int k = 0; k < D; k++)
                    gW1[k * H1 + j] += w->phi[(size_t)i * D + k] * d1[j];
        }
    }
}

/* The blocked passes (4 cells, 8 outputs at a time, in whichever of the
 * AVX-512, AVX2 or baseline builds of them this processor runs) give the
 * plain passes' bits exactly: 11 cells, hidden sizes 12 and 9 (a block of 8
 * and the rest) and 40 and 13 (W2 d2's block of 32 too), two cells without a gradient
 * among nine with (blocks of 4, 4 and 1), both activations, one and two layers, dense and one-hot
 * features. (Linked to OpenBLAS, dense passes are its matrix products,
 * whose sums run in other orders: there within 1e-12.) */
static void test_blocked_passes_are_the_plain_ones(void **state)
{
    (void)state;
    const int shapes[2][2] = { { 12, 9 }, { 40, 13 } };
    for (int v = 0; v < 16; v++) { /* shape, features, activation, layers */
        const int shape = v / 8, dense = v / 4 % 2, act = v / 2 % 2, layers = 1 + v % 2;
        const int C = 11;
        double looks[11], prior[11], phi[11 * 7];
        gsl_rng *r = rng_new(17 + shape, (uint64_t)(act + 2 * layers + 4 * dense));
        os_err err = { 0 };
        world *w = world_new(1, C, &err);
        assert_int_equal(world_set_context(w, 0, "c", 1, 0, 0, &err), 0);
        for (int b = 0; b < C; b++) {
            char name[8];
            snprintf(name, sizeof name, "b%d", b);
            assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
            looks[b] = gsl_ran_gaussian(r, 1), prior[b] = 0.1 + gsl_rng_uniform(r);
            assert_int_equal(world_set_cell(w, 0, b, looks[b], prior[b], &err), 0);
        }
        for (int i = 0; i < C * 7; i++)
            phi[i] = gsl_ran_gaussian(r, 0.5);
        if (dense)
            assert_int_equal(world_set_features(w, 7, phi, &err), 0);
        assert_int_equal(world_finalize(w, 0.5, &err), 0);
        model_spec s = mlp(layers, shapes[shape][0], shapes[shape][1],
                           (model_activation)act);
        model *m = model_new(w, &s, &err);
        assert_non_null(m);
        int n = model_n_params(m);
        model_init(m, r, 1);
        double *p = model_params(m);
        for (int j = 0; j < n; j++)
            p[j] += gsl_ran_gaussian(r, 0.3);
        double g[11], out[11], ref_out[11];
        double *grad = malloc(n * sizeof *grad), *ref_grad = malloc(n * sizeof *grad);
        for (int i = 0; i < C; i++)
            g[i] = i == 1 || i == 4 ? 0 : gsl_ran_gaussian(r, 1); /* 4 + 4 + 1 */
        model_forward(m, p, out);
        model_backward(m, p, g, grad);
        ref_passes(w, &s, p, g, ref_out, ref_grad, n);
#ifdef OVERSIM_OPENBLAS /* dense passes are OpenBLAS's products: other sums */
        for (int i = 0; i < C; i++)
            assert_close(out[i], ref_out[i], 1e-12);
        for (int j = 0; j < n; j++)
            assert_close(grad[j], ref_grad[j], 1e-12);
#else
        assert_memory_equal(out, ref_out, sizeof out);
        assert_memory_equal(grad, ref_grad, n * sizeof *grad);
#endif
        free(grad), free(ref_grad);
        rng_free(r);
        model_free(m);
        world_free(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_tanh),
        cmocka_unit_test(test_linear_is_world_dot),
        cmocka_unit_test(test_mlp_gradient_matches_finite_differences),
        cmocka_unit_test(test_blocked_passes_are_the_plain_ones),
        cmocka_unit_test(test_rm_mlp_loss_gradient),
        cmocka_unit_test(test_policy_mlp_objective_gradient),
        cmocka_unit_test(test_adam),
        cmocka_unit_test(test_spec_errors),
        cmocka_unit_test(test_spec_check_messages),
        cmocka_unit_test(test_sizes_past_an_int_are_refused),
        cmocka_unit_test(test_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
