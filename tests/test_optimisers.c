/* test_optimisers.c — best-of-n, DPO, PPO and the exact optimum (issue 4). */
#include "helpers.h"
#include <stdlib.h>
#include "bon.h"
#include "policy.h"
#include "rng.h"
#include "train.h"

/* The exact best-of-n KL never exceeds log n - (n-1)/n (random priors and
 * rewards, ties included), and approaches it as distinct scores grow many
 * (2000 behaviours, uniform prior: within 0.2% for n = 2..64). */
static void test_bon_kl_bound(void **state)
{
    (void)state;
    gsl_rng *r = rng_new(1, 1);
    double prior[12], reward[12], p[12];
    int order[12];
    for (int trial = 0; trial < 2000; trial++) {
        int n_beh = 2 + trial % 11;
        for (int b = 0; b < n_beh; b++) {
            prior[b] = 0.05 + gsl_rng_uniform(r);
            reward[b] = (double)gsl_rng_uniform_int(r, 4); /* many ties */
        }
        world *w = h_one_context(n_beh, prior);
        int n = 1 + (int)gsl_rng_uniform_int(r, 40);
        bon_probs(w, reward, n, order, p);
        double s = 0;
        for (int b = 0; b < n_beh; b++)
            s += p[b];
        assert_close(s, 1, 1e-12);
        assert_true(h_kl(w, p) <= bon_kl_bound(n) + 1e-12);
        world_free(w);
    }
    enum { M = 2000 };
    double *rw = malloc(M * sizeof *rw), *pp = malloc(M * sizeof *pp);
    int *ord = malloc(M * sizeof *ord);
    world *w = h_one_context(M, NULL);
    for (int b = 0; b < M; b++)
        rw[b] = gsl_rng_uniform(r);
    for (int n = 2; n <= 64; n *= 2) {
        bon_probs(w, rw, n, ord, pp);
        double kl = h_kl(w, pp), bound = bon_kl_bound(n);
        assert_true(kl <= bound + 1e-12 && kl > bound * 0.998);
    }
    /* n = 1 is pi0 itself */
    bon_probs(w, rw, 1, ord, pp);
    assert_close(h_kl(w, pp), 0, 1e-12);
    world_free(w);
    free(rw), free(pp), free(ord);
    rng_free(r);
}

/* Sampling best-of-n (n draws from pi0, keep the best) agrees with the exact
 * distribution, ties included: 200k draws, 5 standard errors (<= 0.0056). */
static void test_bon_sampling_matches_exact(void **state)
{
    (void)state;
    double prior[5] = { 0.1, 0.3, 0.2, 0.25, 0.15 }, reward[5] = { 1, 0, 1, 2, 0 };
    world *w = h_one_context(5, prior);
    double p[5];
    int order[5];
    bon_probs(w, reward, 3, order, p);
    gsl_rng *r = rng_new(4, 2);
    const int N = 200000;
    long count[5] = { 0 };
    for (int k = 0; k < N; k++)
        count[bon_sample(w, reward, 3, 0, r)]++;
    for (int b = 0; b < 5; b++)
        assert_close((double)count[b] / N, p[b], 5 * sqrt(p[b] * (1 - p[b]) / N) + 1e-9);
    /* the best behaviour alone: 1 - (1 - 0.25)^3 */
    assert_close(p[3], 1 - pow(0.75, 3), 1e-12);
    rng_free(r);
    world_free(w);
}

/* PPO with clip = infinity and one epoch of one minibatch is the REINFORCE step
 * on the same draws: theta equal up to rounding (the two sum the same terms in
 * different orders; 1e-13). */
static void test_ppo_limit_is_policy_gradient(void **state)
{
    (void)state;
    double prior[6] = { 0.2, 0.5, 0.3, 0.4, 0.4, 0.2 };
    double reward[6] = { 1, -0.5, 0.3, 0, 2, -1 };
    double weight[2] = { 1, 3 };
    world *w = h_world(2, 3, weight, NULL, NULL, prior, NULL, 0, NULL, 0);
    os_err err = { 0 };
    policy *a = policy_new(w, &err), *b = policy_new(w, &err);
    assert_int_equal(policy_reserve(b, 300, &err), 0);
    gsl_rng *ra = rng_new(9, 9), *rb = rng_new(9, 9);
    for (int step = 0; step < 5; step++) {
        assert_int_equal(policy_step_reinforce(a, reward, 0.3, 0.7, 300, ra, &err), 0);
        assert_int_equal(policy_step_ppo(b, reward, 0.3, 0.7, 300, 1, 300, INFINITY, rb, &err), 0);
        for (int j = 0; j < w->dim; j++)
            assert_close(policy_theta(a)[j], policy_theta(b)[j], 1e-13);
    }
    /* and clipping matters: with clip 0.01 and 8 epochs the step is smaller */
    policy *c = policy_new(w, &err), *d = policy_new(w, &err);
    assert_int_equal(policy_reserve(c, 300, &err), 0);
    assert_int_equal(policy_reserve(d, 300, &err), 0);
    gsl_rng *rc = rng_new(3, 3), *rd = rng_new(3, 3);
    policy_step_ppo(c, reward, 0.3, 0.7, 300, 8, 50, 0.01, rc, &err);
    policy_step_ppo(d, reward, 0.3, 0.7, 300, 8, 50, INFINITY, rd, &err);
    double nc = 0, nd = 0;
    for (int j = 0; j < w->dim; j++)
        nc += fabs(policy_theta(c)[j]), nd += fabs(policy_theta(d)[j]);
    assert_true(nc < 0.5 * nd);
    policy_free(a), policy_free(b), policy_free(c), policy_free(d);
    rng_free(ra), rng_free(rb), rng_free(rc), rng_free(rd);
    world_free(w);
}

/* PPO on a tabular world converges to the exact KL optimum pi0 exp(r/kl)/Z
 * when its effective step is moderate, and circles around it when not.
 * PPO computes the advantages — the KL penalty kl log(pi/pi0) included — once
 * per step, from the policy at its start, then makes (batch / minibatch) x
 * epochs updates on them: within a step nothing pulls the policy back, so
 * with lr x updates large the step overshoots the optimum, the clip bounds the
 * overshoot, and the policy settles into a cycle around the optimum instead of
 * on it (with no clip it diverges). Measured here as the mean of max|pi - pi*|
 * over steps 500..600 (minibatch 64, 4 epochs, clip 0.2, kl 0.3):
 *   batch 256,  lr 0.5 (16 updates a step, lr x updates 8):   < 0.001
 *   batch 4096, lr 0.5 (256 updates, 128):                     > 0.01
 *   batch 4096, lr 0.02 (256 updates, 5):                      < 0.001
 * (a scan: lr x updates up to ~30 converges; 100 and more cycles). */
static double ppo_distance(const world *w, const double *reward, int batch, double lr)
{
    os_err err = { 0 };
    policy *p = policy_new(w, &err);
    assert_non_null(p);
    assert_int_equal(policy_reserve(p, batch, &err), 0);
    double opt[6];
    policy_optimum(w, reward, 0.3, opt);
    gsl_rng *r = rng_new(1, 1);
    double sum = 0;
    int n = 0;
    for (int step = 0; step < 600; step++) {
        assert_int_equal(policy_step_ppo(p, reward, 0.3, lr, batch, 4, 64, 0.2, r, &err), 0);
        if (step >= 500) {
            sum += h_maxabs_diff(policy_probs(p), opt, w->n_cells);
            n++;
        }
    }
    rng_free(r);
    policy_free(p);
    return sum / n;
}

static void test_ppo_reaches_optimum(void **state)
{
    (void)state;
    double prior[6] = { 0.2, 0.5, 0.3, 0.4, 0.4, 0.2 };
    double reward[6] = { 1, -0.5, 0.3, 0, 0.6, -1 };
    world *w = h_world(2, 3, NULL, NULL, NULL, prior, NULL, 0, NULL, 0);
    double ok = ppo_distance(w, reward, 256, 0.5);
    double cycle = ppo_distance(w, reward, 4096, 0.5);
    double small = ppo_distance(w, reward, 4096, 0.02);
    print_message("PPO: %.4f (batch 256, lr 0.5), %.4f (4096, 0.5), %.4f (4096, 0.02)\n",
                  ok, cycle, small);
    assert_true(ok < 0.001);
    assert_true(cycle > 0.01);
    assert_true(small < 0.001);
    world_free(w);
}

/* DPO on a tabular world converges to the exact optimum for the same
 * preferences: labels from an oracle of beta 1.5, all asked in round 1 from
 * pi0 (the same stream for both runs), then DPO steps vs the exact optimum of
 * the unregularised BT fit, both with beta_KL = 0.5. Tolerance 1e-3 on every
 * probability (DPO's gradient descent stops short of the optimum by less). */
static void test_dpo_matches_exact_optimum(void **state)
{
    (void)state;
    double looks[6] = { 1, 0.2, -0.5, 0.3, 0.9, 0 };
    double prior[6] = { 0.3, 0.3, 0.4, 0.5, 0.2, 0.3 };
    world *w = h_world(2, 3, NULL, NULL, looks, prior, NULL, 0, NULL, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 1.5);
    train_params tp;
    train_params_default(&tp);
    tp.rounds = 3;
    tp.labels_per_round = 20000;
    tp.label_rounds = 1;
    tp.kl_coef = 0.5;
    tp.rm.l2 = 0;
    tp.rm.max_iter = 1000;
    tp.rm.tol = 1e-12;
    metrics_row rows[4];
    double exact[6], dpo[6];
    os_err err = { 0 };
    tp.method = PG_OPTIMUM;
    assert_int_equal(train_run(w, o, &tp, rows, exact, NULL, NULL, NULL, &err), 0);
    tp.method = PG_DPO;
    tp.lr = 5;
    tp.steps = 3000;
    assert_int_equal(train_run(w, o, &tp, rows, dpo, NULL, NULL, NULL, &err), 0);
    assert_true(h_maxabs_diff(exact, dpo, 6) < 1e-3);
    /* and it moved: the optimum is far from pi0 */
    assert_true(h_maxabs_diff(exact, w->prior, 6) > 0.1);
    overseer_free(o);
    world_free(w);
}

/* The best-of-n method reports its exact KL. Checked against a closed form
 * that does not call bon_probs: the oracle's labels order the fitted rewards
 * as the looks (1 > 0.5 > 0.2 > 0), all distinct, so under the uniform pi0 of
 * 4 behaviours the one of rank k (1 = lowest) is the best of 8 draws with
 * probability (k/4)^8 - ((k-1)/4)^8, and KL = sum p log(4 p). */
static void test_methods_report_exact_kl(void **state)
{
    (void)state;
    double looks[4] = { 1, 0, 0.5, 0.2 };
    const int rank[4] = { 4, 1, 3, 2 };
    world *w = h_world(1, 4, NULL, NULL, looks, NULL, NULL, 0, NULL, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    train_params tp;
    train_params_default(&tp);
    tp.rounds = 2;
    tp.method = PG_BON;
    tp.bon_n = 8;
    metrics_row rows[3];
    double probs[4], reward[4];
    os_err err = { 0 };
    assert_int_equal(train_run(w, o, &tp, rows, probs, reward, NULL, NULL, &err), 0);
    for (int a = 0; a < 4; a++) /* the fitted rewards rank as the looks, no ties */
        for (int b = 0; b < 4; b++)
            if (rank[a] > rank[b])
                assert_true(reward[a] > reward[b]);
    double kl = 0;
    for (int b = 0; b < 4; b++) {
        double want = pow(rank[b] / 4.0, 8) - pow((rank[b] - 1) / 4.0, 8);
        assert_close(probs[b], want, 1e-15);
        kl += want * log(4 * want);
    }
    assert_close(probs[0], 1 - pow(0.75, 8), 1e-15); /* the best: 0.8999 */
    assert_close(rows[2].kl, kl, 1e-12);
    assert_true(rows[2].kl <= bon_kl_bound(8));
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bon_kl_bound),
        cmocka_unit_test(test_bon_sampling_matches_exact),
        cmocka_unit_test(test_ppo_limit_is_policy_gradient),
        cmocka_unit_test(test_ppo_reaches_optimum),
        cmocka_unit_test(test_dpo_matches_exact_optimum),
        cmocka_unit_test(test_methods_report_exact_kl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
