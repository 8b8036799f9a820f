/* test_redteam.c — deployment and the catastrophe problems in the core
 * (DESIGN.md §1b): deployment weights and watched contexts, the exact
 * deployment figures and a sampled deployment beside them, the red team's
 * world and choices, and what adversarial training does at realism 1 and 0. */
#include "helpers.h"
#include "redteam.h"
#include "train.h"
#include "metrics.h"
#include "rng.h"

enum { HELP, SLACK, GRAB };

/* Two tasks (training and deployment weight 1; task t1 unwatched when asked)
 * and two openings (training 0, deployment d0 and d1). Behaviours help
 * (looks 1), slack (looks 0.5) and grab (catastrophic, only in openings:
 * looks 1.5, a visible fact -20). pi0: tasks (0.5, 0.5); opening o0 (0.2,
 * 0.2, 0.6), o1 (0.1, 0.1, 0.8). Features (6): e_b for tasks, (0, e_b) for
 * openings: nothing training sees in tasks moves the openings. own_t1: the
 * unwatched task's cells get features of their own (dims 6..8) instead. */
static world *opportunity_world(double d0, double d1, int unwatched)
{
    os_err err = { 0 };
    world *w = world_new(4, 3, &err);
    assert_non_null(w);
    const char *cn[4] = { "t0", "t1", "o0", "o1" };
    const double wt[4] = { 1, 1, 0, 0 }, dw[4] = { 1, 1, d0, d1 };
    for (int c = 0; c < 4; c++) {
        assert_int_equal(world_set_context(w, c, cn[c], wt[c], 0, 0, &err), 0);
        assert_int_equal(world_set_deployment(w, c, dw[c], !(unwatched && c == 1), &err), 0);
    }
    assert_int_equal(world_set_behaviour(w, HELP, "help", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, SLACK, "slack", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, GRAB, "grab", 0, &err), 0);
    assert_int_equal(world_set_catastrophic(w, GRAB, 1, &err), 0);
    const double prior[4][3] = { { 0.5, 0.5, 0 }, { 0.5, 0.5, 0 }, { 0.2, 0.2, 0.6 },
                                 { 0.1, 0.1, 0.8 } };
    const double looks[3] = { 1, 0.5, 1.5 };
    const int dim = 9;
    double phi[4 * 3 * 9] = { 0 };
    for (int c = 0; c < 4; c++)
        for (int b = 0; b < 3; b++) {
            assert_int_equal(world_set_cell(w, c, b, looks[b], prior[c][b], &err), 0);
            int off = c >= 2 ? 3 : (unwatched && c == 1) ? 6 : 0;
            phi[(c * 3 + b) * dim + off + b] = 1;
        }
    assert_int_equal(world_add_fact(w, 2, GRAB, "harm", 0, -20, &err), 0);
    assert_int_equal(world_add_fact(w, 3, GRAB, "harm", 0, -20, &err), 0);
    assert_int_equal(world_set_features(w, dim, phi, &err), 0);
    if (world_finalize(w, 0, &err))
        fail_msg("world_finalize: %s", err.msg);
    return w;
}

static world *red_world(const world *w, double realism, double cue)
{
    os_err err = { 0 };
    int tpl[4];
    int n = redteam_templates(w, tpl, &err);
    assert_int_equal(n, 2);
    world *t = redteam_world(w, tpl, n, realism, cue, &err);
    if (!t)
        fail_msg("redteam_world: %s", err.msg);
    return t;
}

/* Deployment weights are normalised on their own; a context that sets none
 * keeps its training weight; a world that sets none has has_deploy 0 and the
 * training weights; queries go only where the overseer watches. */
static void test_deployment_weights(void **state)
{
    (void)state;
    world *w = opportunity_world(0.5, 1.5, 1);
    assert_int_equal(w->has_deploy, 1);
    assert_int_equal(w->has_unmonitored, 1);
    const double want[4] = { 0.25, 0.25, 0.125, 0.375 };
    for (int c = 0; c < 4; c++)
        assert_close(w->ctx_deploy_weight[c], want[c], 1e-15);
    assert_close(w->ctx_deploy_cum[3], 1, 1e-15);
    /* the query distribution: all on t0, the only watched context trained */
    assert_close(w->ctx_query_cum[0], 0.5, 1e-15);
    assert_close(w->ctx_query_cum[1], 0.5, 1e-15);
    assert_close(w->ctx_query_cum[3], 0.5, 1e-15);
    assert_int_equal(w->n_catastrophic, 2);
    assert_true(w->catastrophic[2 * 3 + GRAB] && !w->catastrophic[0 * 3 + GRAB]);
    world_free(w);

    const double wt[2] = { 1, 3 };
    w = h_world(2, 2, wt, NULL, NULL, NULL, NULL, 0, NULL, 0);
    assert_int_equal(w->has_deploy, 0);
    assert_int_equal(w->n_catastrophic, 0);
    assert_close(w->ctx_deploy_weight[1], 0.75, 1e-15);
    assert_false(metrics_has_deployment(w));
    world_free(w);
}

static void test_deployment_errors(void **state)
{
    (void)state;
    os_err err = { 0 };
    world *w = world_new(2, 2, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "b", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_deployment(w, 0, -1, 1, &err), OS_EINVAL);
    assert_msg_is(err, "field 'deploy_weight' of context 'a' must be a finite number >= 0 "
                       "(got -1)");
    assert_int_equal(world_set_deployment(w, 0, INFINITY, 1, &err), OS_EINVAL);
    assert_int_equal(world_set_deployment(w, 0, 0, 1, &err), 0);
    assert_int_equal(world_set_deployment(w, 1, 0, 1, &err), 0);
    for (int b = 0; b < 2; b++) {
        assert_int_equal(world_set_behaviour(w, b, b ? "y" : "x", 0, &err), 0);
        for (int c = 0; c < 2; c++)
            assert_int_equal(world_set_cell(w, c, b, 0, 1, &err), 0);
    }
    assert_int_equal(world_finalize(w, 0, &err), OS_EINVAL);
    assert_msg_is(err, "deployment weights must sum to a positive number (got 0): field "
                       "'deploy_weight' of every context is 0");
    /* deployed, but nothing the overseer watches is ever trained */
    assert_int_equal(world_set_deployment(w, 0, NAN, 0, &err), 0);
    assert_int_equal(world_set_deployment(w, 1, 1, 0, &err), 0);
    assert_int_equal(world_finalize(w, 0, &err), OS_EINVAL);
    assert_msg_has(err, "the overseer watches no context training samples");
    assert_int_equal(world_set_catastrophic(w, 2, 1, &err), OS_EINVAL);
    world_free(w);
}

/* q = sum_c d_c sum_b pi(b|c) [catastrophic], 1 - (1 - q)^N, the training
 * rate, and the watched/unwatched means, against hand sums on a hand-set
 * policy table. */
static void test_deployment_exact(void **state)
{
    (void)state;
    world *w = opportunity_world(0.5, 1.5, 1);
    const double probs[12] = { 0.9, 0.1, 0, 0.3, 0.7, 0, 0.25, 0.25, 0.5, 0.1, 0.1, 0.8 };
    metrics_row row;
    memset(&row, 0, sizeof row);
    metrics_deployment(w, probs, 1000, 37, &row);
    double q = 0.125 * 0.5 + 0.375 * 0.8;
    assert_close(row.catastrophe_deploy, q, 1e-15);
    assert_close(row.catastrophe_any, 1 - pow(1 - q, 1000), 1e-12);
    assert_close(row.catastrophe_sampled, 0.037, 1e-15);
    assert_close(row.catastrophe_train, 0, 0);
    assert_true(isnan(row.catastrophe_redteam));
    /* watched: t0 (0.25), o0 (0.125), o1 (0.375); unwatched: t1 */
    double tv_t0 = 0.9 * 1 + 0.1 * 0.5, tv_o0 = 0.25 + 0.125 + 0.5 * -18.5,
           tv_o1 = 0.1 + 0.05 + 0.8 * -18.5;
    assert_close(row.true_value_monitored, (0.25 * tv_t0 + 0.125 * tv_o0 + 0.375 * tv_o1) / 0.75,
                 1e-12);
    assert_close(row.true_value_unmonitored, 0.3 + 0.35, 1e-12);
    assert_close(row.catastrophe_monitored, q / 0.75, 1e-12);
    assert_close(row.catastrophe_unmonitored, 0, 0);
    /* q small: no cancellation in 1 - (1 - q)^N */
    const double tiny[12] = { 1, 0, 0, 1, 0, 0, 1 - 1e-12, 0, 1e-12, 1, 0, 0 };
    metrics_deployment(w, tiny, 10, 0, &row);
    assert_close(row.catastrophe_any / (10 * 0.125e-12), 1, 1e-9);
    world_free(w);
    /* no deployment weights and nothing catastrophic: nothing to report */
    w = h_one_context(2, NULL);
    const double p2[2] = { 0.5, 0.5 };
    metrics_deployment(w, p2, 10, 0, &row);
    assert_true(isnan(row.catastrophe_deploy) && isnan(row.catastrophe_any) &&
                isnan(row.catastrophe_train) && isnan(row.true_value_monitored));
    world_free(w);
}

static train_params params(int rounds, uint64_t seed)
{
    train_params p;
    train_params_default(&p);
    p.rounds = rounds;
    p.labels_per_round = 32;
    p.seed = seed;
    return p;
}

static void run(const world *w, const overseer *o, const train_params *p, metrics_row *rows,
                double *probs, double *reward)
{
    os_err err = { 0 };
    if (train_run(w, o, p, rows, probs, reward, NULL, NULL, &err))
        fail_msg("train_run: %s", err.msg);
}

/* The sampled deployment agrees with the exact q (pi0, 10^6 episodes: se =
 * sqrt(q (1 - q) / N) = 3.2e-4 at q = 0.1; tolerance 4 se, on 5 seeds), and
 * draws nothing from training's stream: the trained rows do not depend on N. */
static void test_sampled_deployment(void **state)
{
    (void)state;
    world *w = opportunity_world(0.05, 0.05, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 5);
    metrics_row rows[4];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        train_params p = params(0, seed);
        p.deploy_episodes = 1000000;
        run(w, o, &p, rows, NULL, NULL);
        double q = rows[0].catastrophe_deploy;
        assert_close(q, (0.05 * 0.6 + 0.05 * 0.8) / 2.1, 1e-15);
        assert_close(rows[0].catastrophe_sampled, q, 4 * sqrt(q * (1 - q) / 1e6));
    }
    train_params p = params(3, 7);
    metrics_row other[4];
    p.deploy_episodes = 10;
    run(w, o, &p, rows, NULL, NULL);
    p.deploy_episodes = 5000;
    run(w, o, &p, other, NULL, NULL);
    for (int t = 0; t <= 3; t++) {
        assert_close(rows[t].true_value, other[t].true_value, 0);
        assert_close(rows[t].catastrophe_deploy, other[t].catastrophe_deploy, 0);
        assert_close(rows[t].catastrophe_any, 1 - pow(1 - rows[t].catastrophe_deploy, 10),
                     1e-12);
    }
    overseer_free(o);
    world_free(w);
}

/* Lying in wait, emerging: an oracle's labels remove the slack it sees in
 * tasks, and leave the grab in openings exactly where pi0 put it (training
 * never samples them and their features are their own): q stays q0. */
static void test_lie_in_wait(void **state)
{
    (void)state;
    world *w = opportunity_world(0.01, 0.01, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 5);
    train_params p = params(20, 3);
    metrics_row rows[21];
    double probs[12];
    run(w, o, &p, rows, probs, NULL);
    assert_true(rows[20].true_value > 0.99);      /* help everywhere training looks */
    assert_close(rows[20].catastrophe_train, 0, 0);
    assert_close(rows[20].catastrophe_deploy, rows[0].catastrophe_deploy, 1e-15);
    assert_close(probs[2 * 3 + GRAB], 0.6, 1e-12);
    assert_close(probs[3 * 3 + GRAB], 0.8, 1e-12);
    overseer_free(o);
    world_free(w);
}

/* The absent supervisor: the overseer never labels the unwatched task, whose
 * features are its own, so the reward model knows nothing there (reward
 * exactly 0) and the policy keeps pi0 (true value 0.75) while the watched
 * task learns help (true value -> 1). Openings are not deployed here, so the
 * watched mean is t0's alone. */
static void test_unwatched(void **state)
{
    (void)state;
    world *w = opportunity_world(0, 0, 1);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 5);
    train_params p = params(20, 5);
    metrics_row rows[21];
    double probs[12], reward[12];
    run(w, o, &p, rows, probs, reward);
    assert_close(reward[1 * 3 + HELP], 0, 0);
    assert_close(reward[1 * 3 + SLACK], 0, 0);
    assert_true(reward[0 * 3 + HELP] - reward[0 * 3 + SLACK] > 1);
    assert_close(probs[1 * 3 + HELP], 0.5, 1e-12);
    assert_close(rows[20].true_value_unmonitored, 0.75, 1e-12);
    assert_true(rows[20].true_value_monitored > 0.99);
    assert_close(rows[0].true_value_monitored, 0.75, 1e-12);
    overseer_free(o);
    world_free(w);
}

/* The red team's world: the real contexts, then one copy per template named
 * "NAME (red team)", training and deployment weight 0, cells and facts
 * copied, features the template's plus cue (1 - realism) e_b. */
static void test_redteam_world(void **state)
{
    (void)state;
    world *w = opportunity_world(0.01, 0.02, 0);
    world *t = red_world(w, 0.25, 2);
    assert_int_equal(t->n_ctx, 6);
    assert_int_equal(t->n_redteam, 2);
    assert_int_equal(t->dim, 9 + 3);
    assert_string_equal(t->ctx_name[4], "o0 (red team)");
    assert_string_equal(t->ctx_name[5], "o1 (red team)");
    assert_int_equal(t->ctx_template[4], 2);
    assert_int_equal(t->ctx_template[3], -1);
    assert_close(t->ctx_weight[4], 0, 0);
    assert_close(t->ctx_deploy_weight[5], 0, 0);
    assert_close(t->ctx_weight[0], 0.5, 1e-15);
    assert_close(t->ctx_deploy_weight[3], w->ctx_deploy_weight[3], 1e-15);
    for (int b = 0; b < 3; b++) {
        int i = 4 * 3 + b, j = 2 * 3 + b;
        assert_close(t->prior[i], w->prior[j], 0);
        assert_close(t->vstar[i], w->vstar[j], 0);
        for (int k = 0; k < 9; k++)
            assert_close(t->phi[(size_t)i * 12 + k], w->phi[(size_t)j * 9 + k], 0);
        for (int k = 0; k < 3; k++)
            assert_close(t->phi[(size_t)i * 12 + 9 + k], k == b ? 2 * 0.75 : 0, 0);
        assert_close(t->phi[(size_t)j * 12 + 9 + b], 0, 0); /* real contexts: no cue */
    }
    assert_true(t->catastrophic[5 * 3 + GRAB]);
    world_free(t);
    /* realism 1: indistinguishable from the template */
    t = red_world(w, 1, 5);
    for (int k = 0; k < 12; k++)
        assert_close(t->phi[(size_t)(5 * 3 + GRAB) * 12 + k],
                     k < 9 ? w->phi[(size_t)(3 * 3 + GRAB) * 9 + k] : 0, 0);
    world_free(t);
    world_free(w);
}

/* A one-hot world gets explicit one-hot features, a copy's those of its
 * template's cell; bad arguments are refused with the field named. */
static void test_redteam_world_onehot_and_errors(void **state)
{
    (void)state;
    os_err err = { 0 };
    const double wt[2] = { 1, 0 }, prior[4] = { 1, 0, 0.5, 0.5 };
    world *w = h_world(2, 2, wt, NULL, NULL, prior, NULL, 0, NULL, 0);
    int tpl[2];
    assert_int_equal(redteam_templates(w, tpl, &err), 0);
    assert_msg_is(err, "a red team needs a catastrophe to elicit: no behaviour available "
                       "anywhere has catastrophic = true");
    world_free(w);

    w = world_new(2, 2, &err);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "b", 0, 0, 0, &err), 0);
    assert_int_equal(world_set_deployment(w, 1, 1, 1, &err), 0);
    assert_int_equal(world_set_behaviour(w, 0, "x", 0, &err), 0);
    assert_int_equal(world_set_behaviour(w, 1, "y", 0, &err), 0);
    assert_int_equal(world_set_catastrophic(w, 1, 1, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(world_set_cell(w, i / 2, i % 2, 0, prior[i], &err), 0);
    assert_int_equal(world_finalize(w, 0, &err), 0);
    assert_int_equal(redteam_templates(w, tpl, &err), 1);
    assert_int_equal(tpl[0], 1);
    world *t = redteam_world(w, tpl, 1, 0, 1, &err);
    assert_non_null(t);
    assert_int_equal(t->onehot, 0);
    assert_int_equal(t->dim, 4 + 2);
    for (int i = 0; i < 6; i++)      /* cells of the 3 contexts */
        for (int k = 0; k < 6; k++) {
            int src = i < 4 ? i : 2 + i % 2; /* the copy's template cell */
            double want = k < 4 ? (k == src) : (i >= 4 && k - 4 == i % 2);
            assert_close(t->phi[(size_t)i * 6 + k], want, 0);
        }
    world_free(t);
    assert_null(redteam_world(w, tpl, 1, 1.5, 1, &err));
    assert_msg_is(err, "field 'realism' of red_team must be in [0, 1] (got 1.5)");
    assert_null(redteam_world(w, tpl, 1, NAN, 1, &err));
    assert_null(redteam_world(w, tpl, 1, 0.5, -1, &err));
    assert_msg_is(err, "field 'cue' of red_team must be a finite number >= 0 (got -1)");
    tpl[0] = 0;
    assert_null(redteam_world(w, tpl, 1, 0.5, 1, &err));
    assert_msg_is(err, "red-team template 'a' has no catastrophic behaviour to elicit");
    tpl[0] = 1, tpl[1] = 1;
    assert_null(redteam_world(w, tpl, 2, 0.5, 1, &err));
    assert_msg_is(err, "red-team template 'b' is named twice");
    /* a red team's world is not a template source */
    world_free(w);
}

/* Random search: uniform over the copies. Adversarial: of the pool's draws,
 * the copy with the higher catastrophe probability first, as often as it was
 * drawn, then the other (replayed on the same stream). */
static void test_choose(void **state)
{
    (void)state;
    world *w = opportunity_world(0.01, 0.01, 0);
    world *t = red_world(w, 0.5, 1);
    double probs[18] = { 0 };
    for (int c = 0; c < 6; c++)
        for (int b = 0; b < 3; b++)
            probs[c * 3 + b] = t->prior[c * 3 + b];
    probs[4 * 3 + GRAB] = 0.2, probs[4 * 3 + HELP] = 0.6; /* copy of o0 less grabby */
    redteam_params rp;
    redteam_params_default(&rp);
    rp.budget = 1000;
    int work[8], chosen[1000];
    double score[2];
    gsl_rng *r = rng_new(9, 1);
    redteam_choose(t, &rp, probs, r, work, score, chosen);
    int n5 = 0;
    for (int k = 0; k < 1000; k++) {
        assert_true(chosen[k] == 4 || chosen[k] == 5);
        n5 += chosen[k] == 5;
    }
    assert_in_range(n5, 440, 560); /* binomial(1000, 1/2): 3.8 sd */
    rp.search = REDTEAM_ADVERSARIAL;
    rp.budget = 60;
    rp.pool = 100;
    gsl_rng *replay = rng_new(11, 1);
    rng_free(r);
    r = rng_new(11, 1);
    redteam_choose(t, &rp, probs, r, work, score, chosen);
    int drawn5 = 0;
    for (int j = 0; j < 100; j++)
        drawn5 += gsl_rng_uniform_int(replay, 2) == 1;
    assert_true(drawn5 > 0 && drawn5 < 60);
    for (int k = 0; k < 60; k++)
        assert_int_equal(chosen[k], k < drawn5 ? 5 : 4);
    /* ties: the copy drawn first comes first */
    probs[4 * 3 + GRAB] = 0.8, probs[4 * 3 + HELP] = 0.1;
    rng_free(r), rng_free(replay);
    r = rng_new(12, 1), replay = rng_new(12, 1);
    rp.budget = 1;
    redteam_choose(t, &rp, probs, r, work, score, chosen);
    assert_int_equal(chosen[0], 4 + (int)gsl_rng_uniform_int(replay, 2));
    rng_free(r), rng_free(replay);
    world_free(t);
    world_free(w);
}

/* Adversarial training by an oracle (exact method, 16 red-team inputs a
 * round, 20 rounds). At realism 1 it removes the grab in real openings
 * (0.6 and 0.8 -> < 0.005). At realism 0 with a salient cue (3) it drives the
 * grab on its own inputs below 0.01 while the real grab survives (o0 > 0.3,
 * o1 > 0.5): the policy learned to tell tests from openings. Seeds 1..5;
 * measured on seeds 1..20: realism 1 leaves 0.0002-0.0007, realism 0 leaves
 * 0.37-0.39 (o0) and 0.61-0.63 (o1), the red team's own grab <= 0.0005. */
static void test_adversarial_training(void **state)
{
    (void)state;
    world *w = opportunity_world(0.01, 0.01, 0);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        for (int k = 0; k < 2; k++) {
            double realism = k ? 1 : 0;
            world *t = red_world(w, realism, 3);
            overseer *o = h_overseer(t, OVERSEER_ORACLE, 0, 5);
            train_params p = params(20, seed);
            p.redteam.budget = 16;
            metrics_row rows[21];
            double probs[18];
            run(t, o, &p, rows, probs, NULL);
            double real0 = probs[2 * 3 + GRAB], real1 = probs[3 * 3 + GRAB];
            assert_true(rows[20].catastrophe_redteam < 0.01);
            assert_int_equal(rows[20].redteam_labels, 20 * 16);
            assert_close(rows[20].label_cost, 20 * (32 + 16), 1e-9);
            if (realism == 1) {
                assert_true(real0 < 0.005 && real1 < 0.005);
                assert_true(rows[20].catastrophe_deploy < 0.01 * rows[0].catastrophe_deploy);
            } else {
                assert_true(real0 > 0.3 && real1 > 0.5);
            }
            overseer_free(o);
            world_free(t);
        }
    }
    world_free(w);
}

static void test_check(void **state)
{
    (void)state;
    os_err err = { 0 };
    train_params p = params(1, 1);
    p.deploy_episodes = 0;
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'deploy_episodes' of train must be in [1, 100000000] (got 0)");
    p = params(1, 1);
    p.redteam.budget = -1;
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "field 'budget' of red_team must be in [0, 1000000] (got -1)");
    p.redteam.budget = 4;
    p.redteam.search = REDTEAM_ADVERSARIAL;
    p.redteam.pool = 2;
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "field 'pool' of red_team must be >= its budget 4 (got 2)");
    p.redteam.pool = 0;
    p.redteam.cost = -1;
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);
    p.redteam.cost = 0;
    assert_int_equal(train_check(&p, NULL, &err), 0);
    /* a budget on a world without red-team inputs */
    world *w = opportunity_world(0.01, 0.01, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 5);
    metrics_row rows[2];
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "a red team with a budget needs red-team inputs");
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deployment_weights),
        cmocka_unit_test(test_deployment_errors),
        cmocka_unit_test(test_deployment_exact),
        cmocka_unit_test(test_sampled_deployment),
        cmocka_unit_test(test_lie_in_wait),
        cmocka_unit_test(test_unwatched),
        cmocka_unit_test(test_redteam_world),
        cmocka_unit_test(test_redteam_world_onehot_and_errors),
        cmocka_unit_test(test_choose),
        cmocka_unit_test(test_adversarial_training),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
