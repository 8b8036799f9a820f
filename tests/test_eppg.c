/* test_eppg.c — REINFORCE and PPO on episodes (core/eppg.c): on an MDP
 * whose KL-regularised optimum is stationary (actions do not change where an
 * episode goes, so soft value iteration's tables agree at every step), both
 * approach the exact optimum's objective from pi0's, with one-hot and with
 * dense features; the same seed gives the same parameters; PPO's first
 * epoch is REINFORCE's step and its clipping bounds how far a batch moves
 * the policy; the REINFORCE estimate is unbiased and PPO's step is its
 * surrogate's gradient; bad parameters are one message each. */
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "eppg.h"
#include "mdp.h"
#include "rng.h"

#define KL 0.5

/* Three states, three actions, H = 4; the next state depends on the state
 * only; rewards and a non-uniform pi0 per cell; one action unavailable in
 * state c. */
static mdp *chain(int dense)
{
    os_err err = { 0 };
    mdp *m = mdp_new(3, 3, 4, &err);
    assert_non_null(m);
    const char *sn[3] = { "a", "b", "c" }, *an[3] = { "x", "y", "z" };
    double init[3] = { 0.5, 0.3, 0.2 };
    double looks[3][3] = { { 1, 0, -0.5 }, { 0.2, 0.8, 0 }, { -1, 1.5, 0 } };
    double prior[3][3] = { { 0.2, 0.5, 0.3 }, { 0.6, 0.2, 0.2 }, { 0.7, 0.3, 0 } };
    double next[3][3] = { { 0.1, 0.6, 0.3 }, { 0.5, 0.2, 0.3 }, { 0.3, 0.3, 0.4 } };
    for (int s = 0; s < 3; s++)
        assert_int_equal(mdp_set_state(m, s, sn[s], init[s], 0, 1, &err), 0);
    for (int a = 0; a < 3; a++)
        assert_int_equal(mdp_set_action(m, a, an[a], &err), 0);
    for (int s = 0; s < 3; s++)
        for (int a = 0; a < 3; a++) {
            assert_int_equal(mdp_set_cell(m, s, a, looks[s][a], prior[s][a], &err), 0);
            if (prior[s][a] > 0)
                for (int n = 0; n < 3; n++)
                    assert_int_equal(mdp_add_transition(m, s, a, n, next[s][n], &err), 0);
        }
    if (dense) { /* an invertible mix of the cells' one-hots: the same family */
        double phi[9 * 9];
        for (int i = 0; i < 9; i++)
            for (int k = 0; k < 9; k++)
                phi[i * 9 + k] = i == k ? 1 : (i + 2 * k) % 5 == 0 ? 0.3 : 0;
        assert_int_equal(mdp_set_features(m, 9, phi, &err), 0);
    }
    assert_int_equal(mdp_finalize(m, &err), 0);
    return m;
}

/* J = E sum r - KL sum E KL(pi || pi0) of a stationary policy, exactly. */
static double objective(const mdp *m, const double *pi)
{
    const double *vals[1] = { m->looks };
    double out, kl;
    os_err err = { 0 };
    assert_int_equal(mdp_expect(m, pi, 1, 1, vals, &out, &kl, NULL, NULL, &err), 0);
    return out - KL * kl;
}

static double optimum(const mdp *m, double *pi_t0)
{
    double *pi = malloc((size_t)m->horizon * m->n_cells * sizeof *pi);
    double *v = malloc((size_t)(m->horizon + 1) * m->n_states * sizeof *v);
    assert_true(pi && v);
    os_err err = { 0 };
    assert_int_equal(mdp_soft_vi(m, m->looks, KL, pi, v, &err), 0);
    double j = 0;
    for (int s = 0; s < m->n_states; s++)
        j += m->init[s] * v[s];
    /* stationary: every step's table is the first's */
    for (int t = 1; t < m->horizon; t++)
        for (int i = 0; i < m->n_cells; i++)
            assert_close(pi[(size_t)t * m->n_cells + i], pi[i], 1e-12);
    memcpy(pi_t0, pi, m->n_cells * sizeof *pi_t0);
    free(pi), free(v);
    return j;
}

static int seeds = 3;

static void run(int method, int dense, double want_gap, double want_tv)
{
  for (int seed = 1; seed <= seeds; seed++) {
    mdp *m = chain(dense);
    double star_pi[9];
    double jstar = optimum(m, star_pi), j0 = objective(m, m->prior);
    assert_close(objective(m, star_pi), jstar, 1e-12);
    eppg_params p;
    eppg_params_default(&p);
    p.method = method;
    p.steps = 300;
    p.batch = 32;
    p.lr = method == EPPG_PPO ? 0.1 : 0.3;
    os_err err = { 0 };
    eppg *g = eppg_new(m, p.batch, &err), *g2 = eppg_new(m, p.batch, &err);
    assert_true(g && g2);
    gsl_rng *r = rng_new((uint64_t)seed, 1), *r2 = rng_new((uint64_t)seed, 1);
    assert_int_equal(eppg_train(g, m->looks, KL, &p, r, &err), 0);
    assert_int_equal(eppg_train(g2, m->looks, KL, &p, r2, &err), 0);
    assert_memory_equal(eppg_theta(g), eppg_theta(g2), m->dim * sizeof(double));
    double j = objective(m, eppg_policy(g)), tv = 0;
    for (int i = 0; i < m->n_cells; i++)
        tv = fmax(tv, fabs(eppg_policy(g)[i] - star_pi[i]));
    print_message("method %d dense %d: J* %.6f J0 %.6f J %.6f gap %.2e max|pi - pi*| %.4f\n",
                  method, dense, jstar, j0, j, jstar - j, tv);
    assert_true(jstar - j0 > 0.5);   /* pi0 is far from the optimum */
    assert_true(jstar - j >= -1e-12); /* nothing stationary beats it */
    assert_true(jstar - j < want_gap);
    assert_true(tv < want_tv);
    rng_free(r), rng_free(r2);
    eppg_free(g), eppg_free(g2);
    mdp_free(m);
  }
}

/* 300 steps of 32 episodes from pi0 (the initial gap J* - J0 is 1.94):
 * measured over seeds 1..20 for each of the four (REINFORCE, PPO) x
 * (one-hot, dense) runs, the final gap is at most 2.41e-3 and the largest
 * |pi - pi*| over cells 0.031; asserted on seeds 1..3 with 5e-3 and 0.05
 * (`test_eppg 20` prints the 20). */
static void test_reinforce(void **state) { (void)state; run(EPPG_REINFORCE, 0, 5e-3, 0.05); }
static void test_ppo(void **state) { (void)state; run(EPPG_PPO, 0, 5e-3, 0.05); }
static void test_reinforce_dense(void **state) { (void)state; run(EPPG_REINFORCE, 1, 5e-3, 0.05); }
static void test_ppo_dense(void **state) { (void)state; run(EPPG_PPO, 1, 5e-3, 0.05); }

/* KL(pi_new || pi_old) summed over states weighted by pi_old's occupancy
 * is what clipping bounds; here simply the largest per-state KL. */
static double max_kl(const mdp *m, const double *p, const double *q)
{
    double most = 0;
    for (int s = 0; s < m->n_states; s++) {
        double kl = 0;
        for (int a = 0; a < m->n_actions; a++) {
            int i = s * m->n_actions + a;
            if (p[i] > 0)
                kl += p[i] * log(p[i] / q[i]);
        }
        most = fmax(most, kl);
    }
    return most;
}

/* PPO's first epoch on a batch is REINFORCE's step (rho = 1): with one epoch
 * the two give the same parameters bit for bit. With many epochs on one
 * batch and a large step, clipping keeps the new policy near the batch's:
 * 40 epochs at lr 2 move it less than a third as far (largest per-state KL)
 * with clip 0.2 as with clip 0.99 (which almost never clips). */
static void test_ppo_is_reinforce_and_clips(void **state)
{
    (void)state;
    mdp *m = chain(0);
    os_err err = { 0 };
    eppg_params p;
    eppg_params_default(&p);
    p.steps = 20;
    p.epochs = 1;
    eppg *a = eppg_new(m, p.batch, &err), *b = eppg_new(m, p.batch, &err);
    gsl_rng *ra = rng_new(5, 1), *rb = rng_new(5, 1);
    p.method = EPPG_REINFORCE;
    assert_int_equal(eppg_train(a, m->looks, KL, &p, ra, &err), 0);
    p.method = EPPG_PPO;
    assert_int_equal(eppg_train(b, m->looks, KL, &p, rb, &err), 0);
    assert_memory_equal(eppg_theta(a), eppg_theta(b), m->dim * sizeof(double));
    assert_true(fabs(eppg_theta(a)[0]) > 1e-3); /* it moved */
    eppg_free(a), eppg_free(b);
    rng_free(ra), rng_free(rb);
    double kls[2];
    for (int k = 0; k < 2; k++) {
        eppg *g = eppg_new(m, p.batch, &err);
        gsl_rng *r = rng_new(6, 1);
        p.steps = 1;
        p.epochs = 40;
        p.lr = 2;
        p.clip = k == 0 ? 0.2 : 0.99;
        assert_int_equal(eppg_train(g, m->looks, KL, &p, r, &err), 0);
        kls[k] = max_kl(m, eppg_policy(g), m->prior);
        eppg_free(g);
        rng_free(r);
    }
    print_message("max KL: clip 0.2 %.4f, clip 0.99 %.4f\n", kls[0], kls[1]);
    assert_true(kls[0] < kls[1] / 3);
    mdp_free(m);
}

/* pi_theta for a one-hot theta: pi0 exp(theta) normalised per state. */
static void policy_of(const mdp *m, const double *theta, double *pi)
{
    for (int s = 0; s < m->n_states; s++) {
        double z = 0;
        for (int a = 0; a < m->n_actions; a++) {
            int i = s * m->n_actions + a;
            pi[i] = m->prior[i] * exp(theta[i]);
            z += pi[i];
        }
        for (int a = 0; a < m->n_actions; a++)
            pi[s * m->n_actions + a] /= z;
    }
}

/* The REINFORCE estimate is unbiased: at pi0 (theta = 0) the mean of the
 * surrogate's gradient over 20000 batches of 4 episodes matches the exact
 * gradient of J (central differences of the exact objective, h 1e-5)
 * within 4.5 standard errors in every parameter; the largest component is
 * over 20 standard errors from 0, so a baseline that includes the episode
 * itself (an estimate shrunk by 1/4 here) would be seen. */
static void test_reinforce_unbiased(void **state)
{
    (void)state;
    mdp *m = chain(0);
    const int D = 9, N = 20000;
    double theta[9] = { 0 }, pi[9], exact[9];
    for (int k = 0; k < D; k++) {
        double h = 1e-5, jp, jm;
        theta[k] = h;
        policy_of(m, theta, pi);
        jp = objective(m, pi);
        theta[k] = -h;
        policy_of(m, theta, pi);
        jm = objective(m, pi);
        theta[k] = 0;
        exact[k] = (jp - jm) / (2 * h);
    }
    os_err err = { 0 };
    eppg_params p;
    eppg_params_default(&p);
    p.method = EPPG_REINFORCE;
    p.steps = 1;
    p.batch = 4;
    eppg *g = eppg_new(m, 4, &err);
    gsl_rng *r = rng_new(11, 1);
    double sum[9] = { 0 }, sum2[9] = { 0 }, grad[9];
    for (int n = 0; n < N; n++) {
        eppg_set_theta(g, theta); /* back to pi0 */
        assert_int_equal(eppg_train(g, m->looks, KL, &p, r, &err), 0);
        eppg_set_theta(g, theta); /* the batch's policy: rho = 1 */
        eppg_surrogate(g, INFINITY, grad);
        for (int k = 0; k < D; k++)
            sum[k] += grad[k], sum2[k] += grad[k] * grad[k];
    }
    double most = 0;
    for (int k = 0; k < D; k++) {
        double mean = sum[k] / N, se = sqrt((sum2[k] / N - mean * mean) / N);
        if (se == 0) { /* the unavailable cell: no gradient, exactly */
            assert_close(mean, 0, 0);
            assert_close(exact[k], 0, 1e-8);
            continue;
        }
        assert_close(mean, exact[k], 4.5 * se);
        most = fmax(most, fabs(exact[k]) / se);
    }
    assert_true(most > 20);
    rng_free(r);
    eppg_free(g);
    mdp_free(m);
}

/* PPO's step is the gradient of its clipped surrogate away from the batch's
 * policy too (rho != 1, some steps clipped): after 6 epochs at lr 1 the
 * gradient eppg_surrogate gives matches central differences of its value
 * (h 1e-6) to 1e-6 in every parameter, and some steps are clipped there
 * (the unclipped value differs). */
static void test_ppo_gradient(void **state)
{
    (void)state;
    mdp *m = chain(1);
    os_err err = { 0 };
    eppg_params p;
    eppg_params_default(&p);
    p.method = EPPG_PPO;
    p.steps = 1;
    p.epochs = 6;
    p.lr = 1;
    eppg *g = eppg_new(m, p.batch, &err);
    gsl_rng *r = rng_new(12, 1);
    assert_int_equal(eppg_train(g, m->looks, KL, &p, r, &err), 0);
    double theta[9], grad[9];
    memcpy(theta, eppg_theta(g), sizeof theta);
    double v = eppg_surrogate(g, p.clip, grad);
    assert_true(fabs(v - eppg_surrogate(g, INFINITY, NULL)) > 1e-3); /* some clipped */
    for (int k = 0; k < m->dim; k++) {
        double t0 = theta[k], h = 1e-6;
        theta[k] = t0 + h;
        eppg_set_theta(g, theta);
        double vp = eppg_surrogate(g, p.clip, NULL);
        theta[k] = t0 - h;
        eppg_set_theta(g, theta);
        double vm = eppg_surrogate(g, p.clip, NULL);
        theta[k] = t0;
        assert_close(grad[k], (vp - vm) / (2 * h), 1e-6);
    }
    eppg_set_theta(g, theta);
    rng_free(r);
    eppg_free(g);
    mdp_free(m);
}

static void test_errors(void **state)
{
    (void)state;
    eppg_params p;
    eppg_params_default(&p);
    os_err err = { 0 };
    assert_int_equal(eppg_check(&p, NULL, &err), 0);
    p.batch = 1;
    assert_int_equal(eppg_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'batch' of train_episodes must be an integer in 2..1000000 "
                       "(got 1)");
    p.batch = 32;
    p.lr = 0;
    assert_int_equal(eppg_check(&p, "t", &err), OS_EINVAL);
    assert_msg_is(err, "field 'lr' of t must be a finite number > 0 (got 0)");
    p.lr = 0.5;
    p.clip = 1;
    assert_int_equal(eppg_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'clip' of train_episodes must be in (0,1) (got 1)");
    p.clip = 0.2;
    p.steps = 0;
    assert_int_equal(eppg_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'steps' of train_episodes must be an integer in 1..100000000 "
                       "(got 0)");
    p.steps = 1;
    mdp *m = chain(0);
    eppg *g = eppg_new(m, 4, &err);
    p.batch = 5;
    p.method = EPPG_REINFORCE;
    gsl_rng *r = rng_new(1, 1);
    assert_int_equal(eppg_train(g, m->looks, KL, &p, r, &err), OS_EINVAL);
    assert_msg_is(err, "a batch of 5 episodes exceeds the policy's buffers (4)");
    /* a step that overflows is a divergence, not a NaN policy */
    double huge[9];
    for (int i = 0; i < 9; i++)
        huge[i] = m->looks[i] * 1e306;
    p.batch = 4;
    p.lr = 1e10;
    assert_int_equal(eppg_train(g, huge, KL, &p, r, &err), OS_EDIVERGE);
    assert_msg_has(err, "diverged");
    rng_free(r);
    eppg_free(g);
    mdp_free(m);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seeds = atoi(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reinforce),
        cmocka_unit_test(test_ppo),
        cmocka_unit_test(test_reinforce_dense),
        cmocka_unit_test(test_ppo_dense),
        cmocka_unit_test(test_ppo_is_reinforce_and_clips),
        cmocka_unit_test(test_reinforce_unbiased),
        cmocka_unit_test(test_ppo_gradient),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
