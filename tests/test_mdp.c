/* test_mdp.c — the finite MDP (core/mdp.c, core/mdp_solve.c): soft value
 * iteration against its closed form on a 2-state MDP, the H = 1 MDP of a
 * bandit world against the bandit's exact optimum and metrics, exact
 * expectations against hand-computed ones, visits and occupancy-weighted
 * policies (mdp_visits.c) by hand, optimality of the soft-VI policy,
 * and every input error. */
#include <stdlib.h>
#include "helpers.h"
#include "mdp.h"
#include "policy.h"
#include "metrics.h"

/* Closed forms are sums, products, exp and log of a few small doubles:
 * 1e-12 is far above their rounding and far below any real error. */
#define EXACT 1e-12

enum { STAY = 0, GO = 1 };

/* Two states, both non-terminal, actions stay and go:
 *   s0: stay -> s0 (looks 1); go -> s1 w.p. 0.8, s0 w.p. 0.2 (looks 0)
 *   s1: stay -> s1 (looks 3, a hidden fact -0.5); go -> s0 (looks 1)
 * pi0: s0 (1/2, 1/2) given as weights 1:1; s1 (1/4, 3/4) given as 1:3.
 * init 3:2 (0.6, 0.4). */
static mdp *two_state(int horizon)
{
    os_err err = { 0 };
    mdp *m = mdp_new(2, 2, horizon, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "s0", 3, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "s1", 2, 0, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, STAY, "stay", &err), 0);
    assert_int_equal(mdp_set_action(m, GO, "go", &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, STAY, 1, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, GO, 0, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 1, STAY, 3, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 1, GO, 1, 3, &err), 0);
    assert_int_equal(mdp_add_fact(m, 1, STAY, 2, -0.5, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, STAY, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, GO, 1, 0.8, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, GO, 0, 0.2, &err), 0);
    assert_int_equal(mdp_add_transition(m, 1, STAY, 1, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 1, GO, 0, 1, &err), 0);
    if (mdp_finalize(m, &err))
        fail_msg("mdp_finalize: %s", err.msg);
    return m;
}

static void test_builder(void **state)
{
    (void)state;
    mdp *m = two_state(2);
    assert_int_equal(m->n_cells, 4);
    assert_close(m->init[0], 0.6, EXACT);
    assert_close(m->init[1], 0.4, EXACT);
    const double prior[4] = { 0.5, 0.5, 0.25, 0.75 };
    const double vstar[4] = { 1, 0, 2.5, 1 };
    for (int i = 0; i < 4; i++) {
        assert_close(m->prior[i], prior[i], EXACT);
        assert_close(m->log_prior[i], log(prior[i]), EXACT);
        assert_close(m->vstar[i], vstar[i], EXACT);
    }
    /* transitions ordered by cell: s0 go has two, in the order given */
    assert_int_equal(m->n_trans, 5);
    assert_int_equal(m->trans_start[1], 1);
    assert_int_equal(m->trans_start[2], 3);
    assert_int_equal(m->trans_next[1], 1);
    assert_close(m->trans_prob[1], 0.8, 0);
    assert_int_equal(m->trans_next[2], 0);
    assert_int_equal(mdp_find_state(m, "s1"), 1);
    assert_int_equal(mdp_find_action(m, "go"), GO);
    assert_int_equal(mdp_find_state(m, "nowhere"), -1);
    mdp_free(m);
    mdp_free(NULL);
}

/* log sum_a pi0(a) exp(q_a / beta), written plainly (no max subtracted) */
static double soft(double p0, double q0, double p1, double q1, double beta)
{
    return beta * log(p0 * exp(q0 / beta) + p1 * exp(q1 / beta));
}

/* Soft VI on the 2-state MDP, H = 2, against the closed form:
 *   V_1(s) = beta log sum_a pi0 exp(r/beta)
 *   Q_0(s,a) = r(s,a) + sum P V_1;  pi_t = pi0 exp((Q_t - V_t)/beta).
 * Rewards are the true values (the fact on s1 stay counts). Within 1e-12,
 * every probability and value. */
static void test_soft_vi_closed_form(void **state)
{
    (void)state;
    mdp *m = two_state(2);
    const double beta = 0.7;
    const double *r = m->vstar; /* 1, 0, 2.5, 1 */
    double pi[2 * 4], value[3 * 2];
    os_err err = { 0 };
    assert_int_equal(mdp_soft_vi(m, r, beta, pi, value, &err), 0);
    double v1[2] = { soft(0.5, 1, 0.5, 0, beta), soft(0.25, 2.5, 0.75, 1, beta) };
    double q0[4] = { 1 + v1[0], 0 + 0.8 * v1[1] + 0.2 * v1[0], 2.5 + v1[1], 1 + v1[0] };
    double v0[2] = { soft(0.5, q0[0], 0.5, q0[1], beta), soft(0.25, q0[2], 0.75, q0[3], beta) };
    const double p0[4] = { 0.5, 0.5, 0.25, 0.75 };
    for (int i = 0; i < 4; i++) {
        int s = i / 2;
        assert_close(pi[4 + i], p0[i] * exp((r[i] - v1[s]) / beta), EXACT);
        assert_close(pi[i], p0[i] * exp((q0[i] - v0[s]) / beta), EXACT);
    }
    assert_close(value[0], v0[0], EXACT);
    assert_close(value[1], v0[1], EXACT);
    assert_close(value[2], v1[0], EXACT);
    assert_close(value[3], v1[1], EXACT);
    assert_close(value[4], 0, 0);
    assert_close(value[5], 0, 0);
    /* the step-0 policy differs from the step-1 policy: the optimum of a
     * finite horizon is time-dependent (why policies are time-indexed) */
    assert_true(fabs(pi[0] - pi[4]) > 0.05);
    /* without a value array: the same policy, to the bit */
    double pi2[2 * 4];
    assert_int_equal(mdp_soft_vi(m, r, beta, pi2, NULL, &err), 0);
    for (int i = 0; i < 8; i++)
        assert_close(pi2[i], pi[i], 0);
    mdp_free(m);
}

/* The objective of the soft-VI policy, computed by forward propagation
 * (E sum r - beta KL), equals sum_s init(s) V_0(s) (two independent
 * computations, within 1e-12), at H = 4; and every perturbation of one row of
 * one step's table lowers it (the policy is the optimum, not merely
 * consistent). */
static void test_soft_vi_optimal(void **state)
{
    (void)state;
    enum { H = 4 };
    mdp *m = two_state(H);
    const double beta = 0.4;
    double pi[H * 4], value[(H + 1) * 2];
    os_err err = { 0 };
    assert_int_equal(mdp_soft_vi(m, m->vstar, beta, pi, value, &err), 0);
    const double *vals[1] = { m->vstar };
    double ret, kl, len;
    assert_int_equal(mdp_expect(m, pi, H, 1, vals, &ret, &kl, &len, NULL, &err), 0);
    double j = ret - beta * kl;
    assert_close(j, 0.6 * value[0] + 0.4 * value[1], EXACT);
    assert_true(kl > 0.01); /* the check above is not vacuous */
    assert_close(len, H, EXACT); /* no terminal state: every episode runs H steps */
    int worse = 0;
    for (int t = 0; t < H; t++)
        for (int s = 0; s < 2; s++)
            for (int sign = -1; sign <= 1; sign += 2) {
                double q[H * 4];
                memcpy(q, pi, sizeof q);
                double *row = q + t * 4 + s * 2, d = sign * 0.1 * row[0] * row[1];
                row[0] += d, row[1] -= d; /* stays inside (0,1) */
                double r2, k2;
                assert_int_equal(mdp_expect(m, q, H, 1, vals, &r2, &k2, NULL, NULL, &err), 0);
                assert_true(r2 - beta * k2 < j - 1e-9);
                worse++;
            }
    assert_int_equal(worse, 2 * H * 2);
    mdp_free(m);
}

/* mdp_expect on hand-computed cases: pi0 on the 2-state MDP at H = 2
 * (E r_0 = 0.6 (1/2) + 0.4 (1/4 2.5 + 3/4 1) = 0.85; d_1(s1) = 0.6 (1/2)
 * 0.8 + 0.4 (1/4) = 0.34, E r_1 = 0.66 (1/2) + 0.34 (1.375) = 0.7975), KL 0;
 * a fixed policy's KL (s0: go w.p. 0.9 both steps; s1: stay):
 * 0.6 [0.1 log 0.2 + 0.9 log 1.8] + 0.4 log 4 at step 0, then d_1 =
 * (0.6 (0.1 + 0.18), 0.6 0.72 + 0.4) likewise; and occupancy. */
static void test_expect_by_hand(void **state)
{
    (void)state;
    mdp *m = two_state(2);
    os_err err = { 0 };
    const double *vals[2] = { m->vstar, m->looks };
    double out[2], kl, len;
    assert_int_equal(mdp_expect(m, m->prior, 1, 2, vals, out, &kl, &len, NULL, &err), 0);
    assert_close(out[0], 0.85 + 0.7975, EXACT);
    /* looks: s1 stay counts 3 instead of 2.5 */
    assert_close(out[1], 0.85 + 0.4 * 0.25 * 0.5 + 0.7975 + 0.34 * 0.25 * 0.5, EXACT);
    assert_close(kl, 0, EXACT);
    const double fixed[4] = { 0.1, 0.9, 1, 0 };
    double occ[2 * 2];
    assert_int_equal(mdp_expect(m, fixed, 1, 0, NULL, NULL, &kl, NULL, occ, &err), 0);
    double k0 = 0.1 * log(0.2) + 0.9 * log(1.8), k1 = log(4);
    double d1[2] = { 0.6 * (0.1 + 0.9 * 0.2), 0.6 * 0.9 * 0.8 + 0.4 };
    assert_close(kl, 0.6 * k0 + 0.4 * k1 + d1[0] * k0 + d1[1] * k1, EXACT);
    assert_close(occ[0], 0.6, EXACT);
    assert_close(occ[2], d1[0], EXACT);
    assert_close(occ[3], d1[1], EXACT);
    /* a stationary policy given as H identical tables: the same numbers */
    double two[8];
    memcpy(two, fixed, sizeof fixed);
    memcpy(two + 4, fixed, sizeof fixed);
    double kl2;
    assert_int_equal(mdp_expect(m, two, 2, 0, NULL, NULL, &kl2, NULL, NULL, &err), 0);
    assert_close(kl2, kl, 0);
    /* mass on an unavailable action, and a wrong number of tables */
    mdp_free(m);
    m = two_state(3);
    assert_int_equal(mdp_expect(m, two, 2, 0, NULL, NULL, &kl2, NULL, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "a policy has 1 or H = 3 tables (got 2)");
    mdp_free(m);
}

/* A chain with a terminal state: s0 --go--> end (looks 5), stay loops with
 * looks 1. Episode length under pi0 at H = 3 is 1 + 1/2 + 1/4; terminal
 * rows of the soft-VI policy are 0 and V there is 0; expected return 1/2 (1
 * + 5) (1 + 1/2 + 1/4). */
static void test_terminal(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(2, 2, 3, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "s0", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "end", 0, 1, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, STAY, "stay", &err), 0);
    assert_int_equal(mdp_set_action(m, GO, "go", &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, STAY, 1, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, GO, 5, 1, &err), 0);
    /* the terminal state's prior is ignored (no action is taken there) */
    assert_int_equal(mdp_set_cell(m, 1, STAY, 7, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, STAY, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, GO, 1, 1, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), 0);
    assert_close(m->prior[2], 0, 0);
    assert_int_equal(m->avail[2], 0);
    const double *vals[1] = { m->looks };
    double ret, len;
    assert_int_equal(mdp_expect(m, m->prior, 1, 1, vals, &ret, NULL, &len, NULL, &err), 0);
    assert_close(len, 1.75, EXACT);
    assert_close(ret, 3 * 1.75, EXACT);
    double pi[3 * 4], value[4 * 2];
    assert_int_equal(mdp_soft_vi(m, m->looks, 1, pi, value, &err), 0);
    for (int t = 0; t < 3; t++) {
        assert_close(pi[t * 4 + 2], 0, 0);
        assert_close(pi[t * 4 + 3], 0, 0);
        assert_close(value[t * 2 + 1], 0, 0);
    }
    /* last step: V_2(s0) = log(e/2 + e^5/2) */
    assert_close(value[2 * 2], log(0.5 * exp(1) + 0.5 * exp(5)), EXACT);
    mdp_free(m);
}

/* mdp_visits on test_terminal's MDP (s0: stay, or go to the terminal end;
 * H 3) and a state s2 no episode reaches, by hand. Time-indexed: step 0
 * stays, step 1 goes w.p. 1/2, step 2 goes: d = (1, 0), (1, 0), (1/2, 1/2),
 * (0, 1/2), so s0 is visited 2.5 times, end once (entered at step 2 or 3,
 * counted once: E length + 1 = 3.5 in all), and P(stay | s0) averaged by
 * occupancy is (1 + 1/2 + 0) / 2.5 = 0.6 (not the plain mean over steps,
 * 0.5); s2, never reached, shows step 0's row (0.3, 0.7). Stationary
 * uniform: 1.875 (steps 0 to 3) and 0.875, 1/2 each way. */
static void test_visits(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(3, 2, 3, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "s0", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "end", 0, 1, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 2, "s2", 0, 0, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, STAY, "stay", &err), 0);
    assert_int_equal(mdp_set_action(m, GO, "go", &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, STAY, 1, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, GO, 5, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 2, STAY, 0, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 2, GO, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, STAY, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, GO, 1, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 2, STAY, 2, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 2, GO, 2, 1, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), 0);
    double pi[3 * 6] = { 1, 0, 0, 0, 0.3, 0.7,  0.5, 0.5, 0, 0, 0.9, 0.1,
                         0, 1, 0, 0, 0.9, 0.1 };
    double visits[3], avg[6];
    assert_int_equal(mdp_visits(m, pi, 3, visits, avg, &err), 0);
    assert_close(visits[0], 2.5, EXACT);
    assert_close(visits[1], 1, EXACT);
    assert_close(visits[2], 0, 0);
    assert_close(avg[0], 0.6, EXACT);
    assert_close(avg[1], 0.4, EXACT);
    assert_close(avg[2], 0, 0); /* the terminal state: no action */
    assert_close(avg[3], 0, 0);
    assert_close(avg[4], 0.3, 0); /* s2, never reached: step 0's row */
    assert_close(avg[5], 0.7, 0);
    assert_int_equal(mdp_visits(m, m->prior, 1, visits, avg, &err), 0);
    assert_close(visits[0], 1.875, EXACT); /* steps 0..3: the last state counts */
    assert_close(visits[1], 0.875, EXACT);
    assert_close(avg[0], 0.5, EXACT);
    assert_int_equal(mdp_visits(m, pi, 2, visits, avg, &err), OS_EINVAL);
    assert_string_equal(err.msg, "a policy has 1 or H = 3 tables (got 2)");
    mdp_free(m);
}

/* A small beta gives the argmax without overflow: rewards of size 50 and
 * beta 1e-3 (logits of 5e4). r: s0 stay 50, go -50; s1 stay 49, go 47.5. At
 * H = 3 the best from s1 depends on the time left: with one or two steps
 * left, stay (49 a step vs 47.5 then 50); with three, go (47.5 + 100 = 147.5
 * beats 49 x 3 = 147). */
static void test_soft_vi_small_beta(void **state)
{
    (void)state;
    mdp *m = two_state(3);
    double r[4] = { 50, -50, 49, 47.5 }, pi[3 * 4], value[4 * 2];
    os_err err = { 0 };
    assert_int_equal(mdp_soft_vi(m, r, 1e-3, pi, value, &err), 0);
    for (int i = 0; i < 12; i++)
        assert_true(isfinite(pi[i]));
    for (int t = 0; t < 3; t++)
        assert_close(pi[t * 4 + STAY], 1, 1e-12); /* s0: stay */
    assert_close(pi[0 * 4 + 2 + GO], 1, 1e-12);   /* s1, 3 steps left: go */
    assert_close(pi[1 * 4 + 2 + STAY], 1, 1e-12); /* 2 left: stay */
    assert_close(pi[2 * 4 + 2 + STAY], 1, 1e-12); /* 1 left: stay */
    assert_close(value[1], 147.5, 1e-2);          /* V_0(s1), up to beta log pi0 */
    mdp_free(m);
}

/* H = 1 is the bandit: the MDP of a world (mdp_from_world) solved by soft
 * VI gives policy_optimum's table, and its exact expectations give the
 * bandit metrics' true value and KL, within 1e-12. A world with facts, an
 * absent cell, unequal weights and priors. */
static void test_bandit_h1(void **state)
{
    (void)state;
    const double weight[3] = { 1, 2, 5 };
    const double looks[9] = { 1, 0.5, -0.2, 2, 0, 1, 0.3, 0.3, 4 };
    const double prior[9] = { 1, 2, 3, 1, 0, 1, 5, 1, 1 }; /* (c1, b1) absent */
    const h_fact facts[3] = { { 0, 0, 1, -1.5 }, { 2, 2, 2, -3 }, { 2, 2, 0, 0.5 } };
    world *w = h_world(3, 3, weight, NULL, looks, prior, facts, 3, NULL, 0);
    os_err err = { 0 };
    mdp *m = mdp_from_world(w, &err);
    if (!m)
        fail_msg("mdp_from_world: %s", err.msg);
    assert_int_equal(m->n_states, 4);
    assert_int_equal(m->horizon, 1);
    assert_true(m->terminal[3]);
    double r[12] = { 0 }, pi[12], opt[9];
    for (int i = 0; i < 9; i++) {
        r[i] = w->vstar[i];
        assert_close(m->vstar[i], w->vstar[i], EXACT);
    }
    const double kl_coef = 0.3;
    assert_int_equal(mdp_soft_vi(m, r, kl_coef, pi, NULL, &err), 0);
    policy_optimum(w, w->vstar, kl_coef, opt);
    for (int i = 0; i < 9; i++)
        assert_close(pi[i], opt[i], EXACT);
    assert_true(fabs(opt[0] - w->prior[0]) > 0.05); /* the optimum moved */
    /* the bandit's metrics of that table vs the MDP's expectations */
    policy *p = policy_new(w, &err);
    assert_non_null(p);
    policy_set_table(p, opt);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    metrics_row row;
    memset(&row, 0, sizeof row);
    metrics_policy(w, o, policy_probs(p), policy_log_probs(p), NULL, &row);
    const double *vals[2] = { m->vstar, m->looks };
    double out[2], kl, len;
    assert_int_equal(mdp_expect(m, pi, 1, 2, vals, out, &kl, &len, NULL, &err), 0);
    assert_close(out[0], row.true_value, EXACT);
    assert_close(kl, row.kl, EXACT);
    assert_close(kl, policy_kl(p), EXACT);
    assert_close(len, 1, EXACT);
    overseer_free(o);
    policy_free(p);
    mdp_free(m);
    world_free(w);
}

/* mdp_from_world keeps scenario features (mdp_dot = world_dot on every
 * context's cells; the end state's rows are 0) and which contexts are
 * watched; a one-hot world stays one-hot. */
static void test_from_world_features(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(2, 2, &err);
    assert_non_null(w);
    assert_int_equal(world_set_context(w, 0, "c0", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "c1", 3, 0, 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "b0", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "b1", 0, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(world_set_cell(w, i / 2, i % 2, i, 1, &err), 0);
    const double phi[12] = { 1, 0, 2, 0, 1, -1, 0.5, 0.5, 0, 3, 0, 1 };
    assert_int_equal(world_set_features(w, 3, phi, &err), 0);
    assert_int_equal(world_set_deployment(w, 1, NAN, 0, &err), 0);
    assert_int_equal(world_finalize(w, 0, &err), 0);
    mdp *m = mdp_from_world(w, &err);
    if (!m)
        fail_msg("mdp_from_world: %s", err.msg);
    assert_false(m->onehot);
    assert_int_equal(m->dim, 3);
    const double psi[3] = { 0.3, -2, 1.5 };
    for (int i = 0; i < 4; i++)
        assert_close(mdp_dot(m, i, psi), world_dot(w, i, psi), EXACT);
    assert_close(mdp_dot(m, 4, psi), 0, 0);
    assert_true(m->watched[0]);
    assert_false(m->watched[1]);
    assert_close(m->init[1], 0.75, EXACT);
    mdp_free(m);
    world_free(w);
}

/* Twins (symmetric; not oneself), expectations from another initial
 * distribution (scaling with its total), and the size estimate. */
static void test_twins_expect_from_estimate(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(3, 1, 2, &err);
    assert_int_equal(m->twin[2], -1);
    assert_int_equal(mdp_set_twin(m, 0, 2, &err), 0);
    assert_int_equal(m->twin[2], 0);
    assert_int_equal(m->twin[0], 2);
    assert_int_equal(mdp_set_twin(m, 1, 1, &err), OS_EINVAL);
    assert_msg_is(err, "state 2 cannot be its own twin");
    assert_int_equal(mdp_set_twin(m, 1, 3, &err), OS_EINVAL);
    assert_msg_is(err, "twin state 4 out of range (the mdp has 3 states)");
    mdp_free(m);

    m = two_state(2);
    const double *vals[1] = { m->vstar };
    double e, e0, e1, l;
    const double only0[2] = { 1, 0 }, only1[2] = { 0, 2 };
    assert_int_equal(mdp_expect(m, m->prior, 1, 1, vals, &e, NULL, NULL, NULL, &err), 0);
    assert_int_equal(mdp_expect_from(m, only0, m->prior, 1, 1, vals, &e0, NULL, &l, NULL,
                                     &err), 0);
    assert_close(l, 2, EXACT);
    assert_int_equal(mdp_expect_from(m, only1, m->prior, 1, 1, vals, &e1, NULL, NULL, NULL,
                                     &err), 0);
    assert_close(0.6 * e0 + 0.4 * e1 / 2, e, EXACT);
    assert_true(fabs(e0 - e1 / 2) > 0.1); /* the starts differ */
    mdp_free(m);

    size_estimate est;
    size_estimate_init(&est);
    mdp_estimate(1000, 4, &est);
    assert_true(est.bytes >= 4000 * (4 * sizeof(double)));
    assert_string_equal(est.what, "mdp cells 1000 x 4");
}

/* The tail of a summed gap, exactly: on the 2-state MDP at H = 2 under pi0
 * with gap 0.5 on (s1, stay) only, P(sum > 0.25) = P(some step is s1 stay)
 * = 0.1 + 0.085 - 0.025 = 0.16 (step 0: 0.4 x 1/4; step 1: d_1(s1) = 0.34
 * x 1/4; both: 0.1 x 1/4, s1 stay staying in s1), P(sum > 0.5) = P(sum >
 * 0.75) = 0.025 (strictly greater: a single step's 0.5 is not > 0.5); a
 * budget of one entry is too small for two initial states. */
static void test_gap_tail(void **state)
{
    (void)state;
    mdp *m = two_state(2);
    const double gap[4] = { 0, 0, 0.5, 0 };
    double p;
    os_err err = { 0 };
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 0.25, 100, &p, &err), 0);
    assert_close(p, 0.16, EXACT);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 0.5, 100, &p, &err), 0);
    assert_close(p, 0.025, EXACT);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 0.75, 100, &p, &err), 0);
    assert_close(p, 0.025, EXACT);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, -1, 100, &p, &err), 0);
    assert_close(p, 1, EXACT);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 0.25, 1, &p, &err), MDP_TOO_MANY);
    assert_true(isnan(p));
    /* entries merge: at most 2 states x 31 sums (0, 0.5, ..., 15) live at H =
     * 30, where unmerged paths would number 4^30 */
    mdp_free(m);
    m = two_state(30);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 7.25, 62, &p, &err), 0);
    assert_true(p > 0 && p < 1);
    mdp_free(m);
}

/* The merge is exact and tight: from A, action a0 (gap 0) goes to A and a1
 * (gap 1) to B, from either state, pi0 uniform, H = 12. The summed gap is
 * Binomial(12, 1/2): P(sum > 6) = (1 - C(12,6) / 2^12) / 2 = 3172 / 8192
 * exactly. After step t the live entries are A with sums 0..t and B with
 * 1..t+1, 2 (t + 1) of them, 22 at t = 10 (the last step ends episodes):
 * a budget of 22 suffices and 21 does not, so entries of one state and one
 * sum must all merge (sorted together), and no two others may. */
static void test_gap_tail_merge_is_tight(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(2, 2, 12, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "A", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "B", 0, 0, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "a0", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "a1", &err), 0);
    for (int s = 0; s < 2; s++) {
        for (int a = 0; a < 2; a++) {
            assert_int_equal(mdp_set_cell(m, s, a, 0, 1, &err), 0);
            assert_int_equal(mdp_add_transition(m, s, a, a, 1, &err), 0);
        }
    }
    if (mdp_finalize(m, &err))
        fail_msg("mdp_finalize: %s", err.msg);
    const double gap[4] = { 0, 1, 0, 1 };
    double p;
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 6, 22, &p, &err), 0);
    assert_close(p, 3172.0 / 8192, EXACT);
    assert_int_equal(mdp_gap_tail(m, m->prior, 1, gap, 6, 21, &p, &err), MDP_TOO_MANY);
    mdp_free(m);
}

/* Every input error, by exact message. */
static void test_errors(void **state)
{
    (void)state;
    os_err err = { 0 };
    assert_null(mdp_new(2, 2, 0, &err));
    assert_int_equal(err.code, OS_EINVAL);
    assert_msg_is(err, "field 'horizon' must be an integer in 1..1000000 (got 0)");
    assert_null(mdp_new(0, 2, 1, &err));
    assert_msg_is(err, "mdp is empty: 0 states and 2 actions (need at least one of each)");
    assert_null(mdp_new(10000, 10000, 1, &err));
    assert_msg_is(err, "mdp too large: 10000 x 10000 cells (at most 50000000)");

    mdp *m = mdp_new(2, 2, 2, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "a", -1, 0, 1, &err), OS_EINVAL);
    assert_msg_is(err, "field 'init' of state 'a' must be a finite number >= 0 (got -1)");
    assert_int_equal(mdp_set_state(m, 2, "c", 1, 0, 1, &err), OS_EINVAL);
    assert_msg_is(err, "state 3 out of range (the mdp has 2 states)");
    assert_int_equal(mdp_set_state(m, 0, "a", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "b", 0, 0, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "x", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "y", &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, 1, 0, -0.2, &err), OS_EINVAL);
    assert_msg_is(err, "field 'prior' of action 'y' must be >= 0 (got -0.2 in state 'a')");
    assert_int_equal(mdp_set_cell(m, 0, 1, NAN, 1, &err), OS_EINVAL);
    assert_msg_is(err, "field 'looks' of action 'y' must be finite (got nan in state 'a')");
    assert_int_equal(mdp_add_transition(m, 0, 0, 1, 1.5, &err), OS_EINVAL);
    assert_msg_is(err, "transition probability of action 'x' in state 'a' must be in [0,1] "
                       "(got 1.5)");
    assert_int_equal(mdp_add_transition(m, 0, 0, -1, NAN, &err), OS_EINVAL);
    assert_msg_is(err, "next state 0 out of range (the mdp has 2 states)");
    assert_int_equal(mdp_add_transition(m, 0, 0, 1, NAN, &err), OS_EINVAL);
    assert_int_equal(mdp_add_fact(m, 0, 0, NAN, 1, &err), OS_EINVAL);
    assert_msg_is(err, "field 'difficulty' of a fact of action 'x' in state 'a' must be a "
                       "number (got nan)");
    for (int i = 0; i < 4; i++)
        assert_int_equal(mdp_set_cell(m, i / 2, i % 2, 0, 1, &err), 0);
    /* rows: (a,x) 0.3 + 0.7 split across calls to the same next state (merged);
     * (a,y) 0.9: short; (b,*) 1 */
    assert_int_equal(mdp_add_transition(m, 0, 0, 1, 0.3, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 0, 1, 0.7, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 1, 0, 0.9, &err), 0);
    assert_int_equal(mdp_add_transition(m, 1, 0, 1, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 1, 1, 1, 1, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), OS_EINVAL);
    assert_msg_is(err, "transition probabilities of action 'y' in state 'a' sum to "
                       "0.9 (must be 1 within 1e-09)");
    mdp_free(m);

    /* the tolerance: 1 + 5e-10 passes, 1 + 2e-9 fails; a missing row fails */
    const double extra[3] = { 5e-10, 2e-9, -1 };
    for (int k = 0; k < 3; k++) {
        m = mdp_new(1, 1, 1, &err);
        assert_int_equal(mdp_set_state(m, 0, "a", 1, 0, 1, &err), 0);
        assert_int_equal(mdp_set_action(m, 0, "x", &err), 0);
        assert_int_equal(mdp_set_cell(m, 0, 0, 0, 1, &err), 0);
        if (extra[k] >= 0) {
            assert_int_equal(mdp_add_transition(m, 0, 0, 0, 0.5, &err), 0);
            assert_int_equal(mdp_add_transition(m, 0, 0, 0, 0.5 + extra[k], &err), 0);
        }
        int rc = mdp_finalize(m, &err);
        assert_int_equal(rc, k == 0 ? 0 : OS_EINVAL);
        if (k == 2)
            assert_msg_is(err, "transition probabilities of action 'x' in state 'a' sum to 0 "
                               "(must be 1 within 1e-09)");
        if (k == 0)
            assert_int_equal(m->n_trans, 1); /* merged */
        mdp_free(m);
    }

    /* unnamed state; terminal initial state; no initial weight; no prior */
    for (int k = 0; k < 4; k++) {
        m = mdp_new(2, 1, 1, &err);
        assert_int_equal(mdp_set_action(m, 0, "x", &err), 0);
        if (k != 0)
            assert_int_equal(mdp_set_state(m, 0, "a", k == 2 ? 0 : 1, 0, 1, &err), 0);
        assert_int_equal(mdp_set_state(m, 1, "end", k == 1 ? 1 : 0, 1, 1, &err), 0);
        assert_int_equal(mdp_set_cell(m, 0, 0, 0, k == 3 ? 0 : 1, &err), 0);
        assert_int_equal(mdp_add_transition(m, 0, 0, 1, 1, &err), 0);
        assert_int_equal(mdp_finalize(m, &err), OS_EINVAL);
        const char *want[4] = {
            "state 1 has no name",
            "terminal state 'end' cannot be an initial state (init 1)",
            "initial weights of the states must sum to a positive number (got 0)",
            "priors of the actions in state 'a' must sum to a positive number (got 0)" };
        assert_msg_is(err, want[k]);
        mdp_free(m);
    }

    /* after finalize: frozen; kl_coef must be > 0 */
    m = two_state(1);
    assert_int_equal(mdp_set_cell(m, 0, 0, 1, 1, &err), OS_EINVAL);
    assert_msg_is(err, "mdp is already finalized");
    double pi[4];
    assert_int_equal(mdp_soft_vi(m, m->vstar, 0, pi, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'kl' must be a finite number > 0 (got 0)");
    double bad[4] = { 0, INFINITY, 0, 0 };
    assert_int_equal(mdp_soft_vi(m, bad, 1, pi, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "reward of action 'go' in state 's0' is not finite (got inf)");
    mdp_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_soft_vi_closed_form),
        cmocka_unit_test(test_soft_vi_optimal),
        cmocka_unit_test(test_expect_by_hand),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_visits),
        cmocka_unit_test(test_soft_vi_small_beta),
        cmocka_unit_test(test_bandit_h1),
        cmocka_unit_test(test_from_world_features),
        cmocka_unit_test(test_twins_expect_from_estimate),
        cmocka_unit_test(test_gap_tail),
        cmocka_unit_test(test_gap_tail_merge_is_tight),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
