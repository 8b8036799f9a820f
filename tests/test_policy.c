/* test_policy.c — the policy pi ∝ pi0 exp(f): the KL-regularised optimum
 * (DESIGN.md §3 first item) reached by exact and REINFORCE steps, REINFORCE's
 * unbiasedness, exact KL, sampling, and divergence. */
#include "helpers.h"
#include "policy.h"
#include "rng.h"

/* World P: 3 contexts of weights 0.5/0.3/0.2, unequal priors, b2 absent in
 * c2; a fixed per-cell reward. */
static const double P_WEIGHT[3] = { 0.5, 0.3, 0.2 };
static const double P_PRIOR[9] = { 0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.5, 0.5, 0 };
static const double P_REWARD[9] = { 0.2, 0.5, 1.0, 1.0, -0.5, 0.0, 0.3, -0.3, 0 };
#define KL_COEF 0.5

static world *world_p(void)
{
    return h_world(3, 3, P_WEIGHT, NULL, NULL, P_PRIOR, NULL, 0, NULL, 0.5);
}

static policy *make_policy(const world *w)
{
    os_err err = { 0 };
    policy *p = policy_new(w, &err);
    if (!p)
        fail_msg("policy_new: %s", err.msg);
    return p;
}

static void test_optimum_closed_form(void **state)
{
    (void)state;
    world *w = world_p();
    double opt[9];
    policy_optimum(w, P_REWARD, KL_COEF, opt);
    /* by hand for c1: pi0 (0.2, 0.2, 0.6), r/kl (2, -1, 0) */
    double z = 0.2 * exp(2) + 0.2 * exp(-1) + 0.6;
    assert_close(opt[3], 0.2 * exp(2) / z, 1e-12);
    assert_close(opt[5], 0.6 / z, 1e-12);
    assert_close(opt[8], 0, 0); /* absent stays absent */
    /* a huge reward does not overflow (computed relative to the max) */
    double big[9];
    for (int i = 0; i < 9; i++)
        big[i] = 1e3 * P_REWARD[i];
    policy_optimum(w, big, 0.01, opt);
    assert_close(opt[2], 1, 1e-12);
    assert_close(opt[3], 1, 1e-12);
    world_free(w);
}

/* Exact steps (lr 5, 3000 steps) converge to pi0 exp(r / kl) / Z. With lr 4
 * the error fell below 1e-9 after 559 steps (linear convergence), so 3000
 * steps at lr 5 leave rounding only; tolerance 1e-6 as asked. */
static void test_exact_steps_converge(void **state)
{
    (void)state;
    world *w = world_p();
    policy *p = make_policy(w);
    os_err err = { 0 };
    double opt[9];
    policy_optimum(w, P_REWARD, KL_COEF, opt);
    assert_true(h_maxabs_diff(policy_probs(p), opt, 9) > 0.1); /* starts far away */
    for (int s = 0; s < 3000; s++)
        assert_int_equal(policy_step_exact(p, P_REWARD, KL_COEF, 5.0, &err), 0);
    assert_true(h_maxabs_diff(policy_probs(p), opt, 9) < 1e-6);
    assert_close(policy_probs(p)[8], 0, 0);
    /* the KL at the optimum is E_c sum pi* log(pi* / pi0) */
    double kl = 0;
    for (int i = 0; i < 9; i++)
        if (opt[i] > 0)
            kl += P_WEIGHT[i / 3] * opt[i] * log(opt[i] / P_PRIOR[i]);
    assert_close(policy_kl(p), kl, 1e-6);
    policy_free(p);
    world_free(w);
}

/* REINFORCE (batch 256, lr 2 then 0.5) from seed 7. Its advantage
 * g - E_pi g vanishes at the optimum (g = kl log Z there, the same for every
 * b), so the estimator's variance goes to 0 and the iterates converge, not
 * just hover: seeds 1..5 all ended within 6e-16. Tolerance 1e-6. */
static void test_reinforce_converges(void **state)
{
    (void)state;
    world *w = world_p();
    policy *p = make_policy(w);
    os_err err = { 0 };
    double opt[9];
    policy_optimum(w, P_REWARD, KL_COEF, opt);
    gsl_rng *r = rng_new(7, 0);
    for (int s = 0; s < 4000; s++)
        assert_int_equal(policy_step_reinforce(p, P_REWARD, KL_COEF, s < 2000 ? 2.0 : 0.5,
                                               256, r, &err), 0);
    assert_true(h_maxabs_diff(policy_probs(p), opt, 9) < 1e-6);
    rng_free(r);
    policy_free(p);
    world_free(w);
}

/* One REINFORCE step is an unbiased estimate of the exact step. From a start
 * theta0, M = 400 runs (seeds 1..400) of one step of batch 500 each; per
 * coordinate, |mean - exact| must be below 5 standard errors of the mean
 * (the sample sd across runs / sqrt(M)), and the check is not vacuous: each
 * sd is > 0 and the exact step is larger than the band. */
static void check_unbiased(const world *w, const double theta0[9])
{
    os_err err = { 0 };
    const double lr = 1.0;
    enum { M = 400 };
    policy *p = make_policy(w);
    memcpy(policy_theta(p), theta0, 9 * sizeof *theta0);
    policy_refresh(p);
    assert_int_equal(policy_step_exact(p, P_REWARD, KL_COEF, lr, &err), 0);
    double exact[9];
    for (int j = 0; j < 9; j++)
        exact[j] = policy_theta(p)[j] - theta0[j];
    double sum[9] = { 0 }, sq[9] = { 0 };
    for (int m = 0; m < M; m++) {
        memcpy(policy_theta(p), theta0, 9 * sizeof *theta0);
        policy_refresh(p);
        gsl_rng *r = rng_new(1 + m, 0);
        assert_int_equal(policy_step_reinforce(p, P_REWARD, KL_COEF, lr, 500, r, &err), 0);
        rng_free(r);
        for (int j = 0; j < 9; j++) {
            double d = policy_theta(p)[j] - theta0[j];
            sum[j] += d, sq[j] += d * d;
        }
    }
    for (int j = 0; j < 9; j++) {
        double mean = sum[j] / M, sd = sqrt((sq[j] - M * mean * mean) / (M - 1));
        if (j == 8) { /* absent cell: never sampled, never moved */
            assert_close(mean, 0, 0);
            assert_close(exact[j], 0, 0);
            continue;
        }
        assert_true(sd > 0);
        double band = 5 * sd / sqrt(M);
        assert_true(fabs(exact[j]) > band);
        assert_close(mean, exact[j], band);
    }
    policy_free(p);
}

static void test_reinforce_unbiased(void **state)
{
    (void)state;
    world *w = world_p();
    const double zero[9] = { 0 };
    check_unbiased(w, zero); /* pi = pi0: g = r */
    /* away from pi0 the KL term of g is active too */
    const double theta0[9] = { 0.3, -0.2, 0.5, -0.4, 0.1, 0.2, 0.6, -0.1, 0 };
    check_unbiased(w, theta0);
    world_free(w);
}

static void test_kl(void **state)
{
    (void)state;
    /* c0: pi0 = (1/2, 1/4, 1/4), theta = (log 2, 0, 0) -> pi = (2/3, 1/6, 1/6);
     * c1 (weight 3/4): theta 0 -> KL 0 */
    const double weight[2] = { 1, 3 };
    const double prior[6] = { 2, 1, 1, 1, 1, 1 };
    world *w = h_world(2, 3, weight, NULL, NULL, prior, NULL, 0, NULL, 0.5);
    policy *p = make_policy(w);
    assert_close(policy_kl(p), 0, 0);
    for (int i = 0; i < 6; i++)
        assert_close(policy_probs(p)[i], w->prior[i], 1e-15);
    policy_theta(p)[0] = log(2.0);
    policy_refresh(p);
    assert_close(policy_probs(p)[0], 2.0 / 3, 1e-12);
    assert_close(policy_probs(p)[1], 1.0 / 6, 1e-12);
    assert_close(policy_log_probs(p)[2], log(1.0 / 6), 1e-12);
    double kl0 = 2.0 / 3 * log(4.0 / 3) + 2.0 / 6 * log(2.0 / 3);
    assert_close(policy_kl(p), 0.25 * kl0, 1e-12);
    /* a shift of theta within a context changes nothing */
    for (int b = 0; b < 3; b++)
        policy_theta(p)[b] += 5;
    policy_refresh(p);
    assert_close(policy_kl(p), 0.25 * kl0, 1e-12);
    assert_int_equal(policy_dim(p), 6);
    policy_free(p);
    policy_free(NULL);
    world_free(w);
}

/* n draws of policy_sample(_other) against want within 5 standard errors. */
static void check_freq(const policy *p, int c, int exclude, const double *want, int B,
                       uint64_t seed)
{
    const int n = 100000;
    long count[8] = { 0 };
    gsl_rng *r = rng_new(seed, 0);
    for (int t = 0; t < n; t++) {
        int b = exclude < 0 ? policy_sample(p, c, r) : policy_sample_other(p, c, exclude, r);
        assert_in_range(b, 0, B - 1);
        count[b]++;
    }
    rng_free(r);
    for (int b = 0; b < B; b++) {
        if (want[b] == 0)
            assert_int_equal(count[b], 0);
        else
            assert_close((double)count[b] / n, want[b], 5 * sqrt(want[b] * (1 - want[b]) / n));
    }
}

static void test_sampling(void **state)
{
    (void)state;
    /* c0: 4 behaviours, b1 absent; c1: only b2 available */
    const double prior[8] = { 0.5, 0, 0.2, 0.3, 0, 0, 1, 0 };
    world *w = h_world(2, 4, NULL, NULL, NULL, prior, NULL, 0, NULL, 0.5);
    policy *p = make_policy(w);
    policy_theta(p)[3] = 1.0;
    policy_refresh(p);
    const double *pr = policy_probs(p);
    double z = 0.5 + 0.2 + 0.3 * exp(1.0);
    const double want[4] = { 0.5 / z, 0, 0.2 / z, 0.3 * exp(1.0) / z };
    for (int b = 0; b < 4; b++)
        assert_close(pr[b], want[b], 1e-12);
    check_freq(p, 0, -1, want, 4, 1);
    /* restricted to b != 3: proportional to the rest, b1 still never */
    const double want_o[4] = { 0.5 / 0.7, 0, 0.2 / 0.7, 0 };
    check_freq(p, 0, 3, want_o, 4, 2);
    const double want_o0[4] = { 0, 0, 0.2 / (0.2 + 0.3 * exp(1.0)), 0.3 * exp(1.0) / (0.2 + 0.3 * exp(1.0)) };
    check_freq(p, 0, 0, want_o0, 4, 3);
    /* c1 has no other behaviour: -1; its single one is always sampled */
    gsl_rng *r = rng_new(4, 0);
    assert_int_equal(policy_sample_other(p, 1, 2, r), -1);
    for (int t = 0; t < 1000; t++)
        assert_int_equal(policy_sample(p, 1, r), 2);
    rng_free(r);
    /* all mass on the excluded behaviour: uniform over the other available */
    policy_theta(p)[0] = 1000;
    policy_refresh(p);
    assert_close(policy_probs(p)[0], 1, 0);
    const double want_u[4] = { 0, 0, 0.5, 0.5 };
    check_freq(p, 0, 0, want_u, 4, 5);
    policy_free(p);
    world_free(w);
}

/* Divergence: OS_EDIVERGE when theta becomes non-finite or exceeds 1e6.
 * (Before the 1e6 cap was added, lr = 1e300 "succeeded": theta ~1e299 stayed
 * finite, the softmax saturated to one-hot and the exact gradient was then
 * exactly 0, so the policy froze at the reward's argmax.) */
static void test_huge_lr(void **state)
{
    (void)state;
    world *w = world_p();
    policy *p = make_policy(w);
    os_err err = { 0 };
    assert_int_equal(policy_step_exact(p, P_REWARD, KL_COEF, 1e300, &err), OS_EDIVERGE);
    assert_int_equal(err.code, OS_EDIVERGE);
    assert_msg_has(err, "policy");
    assert_msg_has(err, "lr");
    policy_free(p);

    /* an ordinary lr with an enormous reward: the gradient ~1e9 overshoots */
    double big[9];
    for (int i = 0; i < 9; i++)
        big[i] = 1e10 * P_REWARD[i];
    p = make_policy(w);
    err.msg[0] = 0;
    assert_int_equal(policy_step_exact(p, big, KL_COEF, 1.0, &err), OS_EDIVERGE);
    assert_msg_has(err, "lr");
    policy_free(p);

    /* an infinite lr (not range-checked here: train_check does that) */
    p = make_policy(w);
    gsl_rng *r = rng_new(1, 0);
    err.msg[0] = 0;
    assert_int_equal(policy_step_reinforce(p, P_REWARD, KL_COEF, INFINITY, 16, r, &err),
                     OS_EDIVERGE);
    assert_msg_has(err, "non-finite");
    rng_free(r);
    policy_free(p);

    /* a large but sane lr saturates without an error: lr 1e3 moves theta by
     * at most ~1e3 * 0.1 per step, far below the cap */
    p = make_policy(w);
    for (int s = 0; s < 5; s++)
        assert_int_equal(policy_step_exact(p, P_REWARD, KL_COEF, 1e3, &err), OS_OK);
    for (int j = 0; j < 9; j++)
        assert_true(isfinite(policy_theta(p)[j]) && fabs(policy_theta(p)[j]) <= 1e6);
    policy_free(p);
    world_free(w);
}

/* policy_sample draws as rng_pick_probs does: on the same stream the two
 * give the same behaviours, draw for draw (so bon.c's pi0 draw, which uses it
 * too, samples as the policy at theta = 0 does). policy_sample searches the
 * running sums the scan forms, so this checks the search against the scan:
 * absent behaviours first, in the middle and last, and a table whose mass
 * falls short of 1 (a draw past it takes the last positive entry, not an
 * absent or zero one after it). */
static void test_sample_is_pick_probs(void **state)
{
    (void)state;
    world *w = world_p();
    policy *p = make_policy(w);
    policy_theta(p)[4] = 0.8;
    policy_refresh(p);
    gsl_rng *a = rng_new(21, 2), *b = rng_new(21, 2);
    for (int t = 0; t < 3000; t++) {
        int c = t % 3;
        assert_int_equal(policy_sample(p, c, a),
                         rng_pick_probs(b, policy_probs(p) + c * 3, 3));
    }
    rng_free(a), rng_free(b);
    policy_free(p);
    world_free(w);

    /* 3 contexts x 5 behaviours: b0 absent in c0, b2 in c1, b4 in c2 */
    const double prior[15] = { 0, 0.3, 0.3, 0.2, 0.2, 0.1, 0.2, 0, 0.3, 0.4,
                               0.25, 0.25, 0.25, 0.25, 0 };
    w = h_world(3, 5, NULL, NULL, NULL, prior, NULL, 0, NULL, 0.5);
    p = make_policy(w);
    for (int j = 0; j < 15; j++)
        policy_theta(p)[j] = 0.3 * (j % 4) - 0.4;
    policy_refresh(p);
    a = rng_new(5, 1), b = rng_new(5, 1);
    for (int t = 0; t < 30000; t++) {
        int c = t % 3;
        assert_int_equal(policy_sample(p, c, a),
                         rng_pick_probs(b, policy_probs(p) + c * 5, 5));
    }
    /* a table with mass 0.5 in c0 and 0.6 in c1, zeros after the last positive
     * entry: half the draws run past the total */
    const double table[15] = { 0, 0.25, 0.25, 0, 0, 0.1, 0.2, 0, 0.3, 0,
                               0.2, 0.2, 0.2, 0.4, 0 };
    policy_set_table(p, table);
    int past = 0;
    for (int t = 0; t < 30000; t++) {
        int c = t % 3;
        int want = rng_pick_probs(b, policy_probs(p) + c * 5, 5);
        assert_int_equal(policy_sample(p, c, a), want);
        assert_true(table[c * 5 + want] > 0);
        past += c == 0 && want == 2;
    }
    assert_true(past > 6000); /* c0's b2: 0.25 of its mass plus the half past it */
    rng_free(a), rng_free(b);
    policy_free(p);
    world_free(w);
}

/* REINFORCE with more contexts than samples works on the sampled contexts
 * only and rescores them lazily (policy_steps_reinforce); it must take the
 * very steps of the plain algorithm over all cells: here that algorithm,
 * written out with the public calls (the same draws, advantages and
 * gradient, applied by policy_step_logits), and theta, pi and log pi
 * compared bit for bit after each of 6 steps of batch 16 over 40 contexts
 * (absent behaviours included), with 3 features and one-hot (tabular). */
static void check_sampled_steps(world *w)
{
    enum { BATCH = 16, STEPS = 6 };
    const int C = w->n_ctx, B = w->n_beh, N = w->n_cells;
    double *reward = malloc(N * sizeof *reward), *g = malloc(N * sizeof *g),
           *adv = malloc(N * sizeof *adv), *adv_sum = malloc(C * sizeof *adv_sum);
    for (int i = 0; i < N; i++)
        reward[i] = sin(0.37 * i) * (1 + i % 3);
    policy *a = make_policy(w), *b = make_policy(w);
    gsl_rng *ra = rng_new(9, 4), *rb = rng_new(9, 4);
    os_err err = { 0 };
    for (int t = 0; t < STEPS; t++) {
        assert_int_equal(policy_steps_reinforce(a, reward, KL_COEF, 0.8, BATCH, 1, ra, &err), 0);
        const double *pr = policy_probs(b), *lp = policy_log_probs(b);
        for (int c = 0; c < C; c++) {
            double v = 0;
            for (int k = 0; k < B; k++)
                if (pr[c * B + k] > 0)
                    v += pr[c * B + k] * (reward[c * B + k] - KL_COEF * (lp[c * B + k] -
                                                                         w->log_prior[c * B + k]));
            for (int k = 0; k < B; k++) {
                int i = c * B + k;
                adv[i] = pr[i] > 0 ? reward[i] - KL_COEF * (lp[i] - w->log_prior[i]) - v : 0;
            }
            adv_sum[c] = 0;
        }
        memset(g, 0, N * sizeof *g);
        for (int s = 0; s < BATCH; s++) {
            int c = rng_pick_cumulative(rb, w->ctx_cum_weight, C);
            int k = rng_pick_probs(rb, pr + c * B, B);
            g[c * B + k] += adv[c * B + k];
            adv_sum[c] += adv[c * B + k];
        }
        for (int i = 0; i < N; i++)
            g[i] = (g[i] - adv_sum[i / B] * pr[i]) / BATCH;
        assert_int_equal(policy_step_logits(b, g, 0.8, &err), 0);
        assert_memory_equal(policy_theta(a), policy_theta(b), policy_dim(a) * sizeof(double));
        assert_memory_equal(policy_probs(a), policy_probs(b), N * sizeof(double));
        assert_memory_equal(policy_log_probs(a), policy_log_probs(b), N * sizeof(double));
    }
    /* several steps in one call: the same as one at a time */
    policy *c2 = make_policy(w);
    gsl_rng *rc = rng_new(9, 4);
    assert_int_equal(policy_steps_reinforce(c2, reward, KL_COEF, 0.8, BATCH, STEPS, rc, &err), 0);
    assert_memory_equal(policy_theta(c2), policy_theta(a), policy_dim(a) * sizeof(double));
    assert_memory_equal(policy_probs(c2), policy_probs(a), N * sizeof(double));
    rng_free(ra), rng_free(rb), rng_free(rc);
    policy_free(a), policy_free(b), policy_free(c2);
    free(reward), free(g), free(adv), free(adv_sum);
}

static void test_reinforce_sampled_contexts(void **state)
{
    (void)state;
    enum { C = 40, B = 5, D = 3 };
    double prior[C * B], phi[C * B * D];
    for (int i = 0; i < C * B; i++)
        prior[i] = i % 7 == 3 ? 0 : 1 + (i % 4); /* some absent */
    for (int i = 0; i < C * B * D; i++)
        phi[i] = cos(1.3 * i) * (1 + i % 5) / 3;
    world *w = h_world(C, B, NULL, NULL, NULL, prior, NULL, 0, NULL, 0.5);
    check_sampled_steps(w); /* one-hot */
    world_free(w);
    os_err err = { 0 };
    w = world_new(C, B, &err);
    assert_non_null(w);
    for (int c = 0; c < C; c++) {
        char name[8];
        snprintf(name, sizeof name, "c%d", c);
        assert_int_equal(world_set_context(w, c, name, 1 + c % 3, 0, 0, &err), 0);
    }
    for (int b = 0; b < B; b++) {
        char name[8];
        snprintf(name, sizeof name, "b%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
    }
    for (int i = 0; i < C * B; i++)
        assert_int_equal(world_set_cell(w, i / B, i % B, 0, prior[i], &err), 0);
    assert_int_equal(world_set_features(w, D, phi, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    check_sampled_steps(w); /* features */
    world_free(w);
}

/* policy_estimate: the model, seven doubles and an int per cell, an int per
 * behaviour, two doubles, three ints and a version per context, two of the
 * parameter count, and PPO's samples when a batch is given. */
static void test_estimate(void **state)
{
    (void)state;
    world *w = h_world(2, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    size_estimate e;
    size_estimate_init(&e);
    policy_estimate(w, NULL, 0, &e);
    assert_int_equal(e.bytes, (3 * 6 + 7 * 6 + 2 * 2 + 2 * 6) * sizeof(double) +
                              6 * sizeof(int) + 3 * sizeof(int) + 2 * (3 * sizeof(int) +
                                                                   sizeof(unsigned long long)));
    policy_estimate(w, NULL, 1000, &e);
    assert_string_equal(e.what, "PPO batch of 1000 samples");
    assert_int_equal(e.largest, 1000 * 24);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimum_closed_form),
        cmocka_unit_test(test_estimate),
        cmocka_unit_test(test_exact_steps_converge),
        cmocka_unit_test(test_reinforce_converges),
        cmocka_unit_test(test_reinforce_unbiased),
        cmocka_unit_test(test_kl),
        cmocka_unit_test(test_sampling),
        cmocka_unit_test(test_huge_lr),
        cmocka_unit_test(test_sample_is_pick_probs),
        cmocka_unit_test(test_reinforce_sampled_contexts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
