/* test_train.c — the iterated RLHF loop: selection for deception under a
 * biased overseer matches the closed form (DESIGN.md §3 fourth item),
 * reproducibility, the unsure region under coin/skip/looks, divergence and
 * parameter errors. */
#include "helpers.h"
#include "train.h"

#define MAX_ROUNDS 64

/* One context, behaviours good (looks 1) and bad (looks 0.5, tagged
 * `deceptive`), pi0 = (0.7, 0.3). */
static world *world_biased(void)
{
    const double looks[2] = { 1.0, 0.5 }, prior[2] = { 0.7, 0.3 };
    const int dec[2] = { 0, 1 };
    return h_world(1, 2, NULL, NULL, looks, prior, NULL, 0, dec, 0.5);
}

static train_params params(int rounds, int labels, double kl, uint64_t seed)
{
    train_params p;
    train_params_default(&p);
    p.rounds = rounds;
    p.labels_per_round = labels;
    p.kl_coef = kl;
    p.seed = seed;
    p.rm.l2 = 1e-6; /* shrinks the fitted gap by ~l2 d / p(1-p) < 1e-5 */
    p.lr = 2;
    p.steps = 20;
    return p;
}

static void run(const world *w, const overseer *o, const train_params *p,
                metrics_row *rows, double *probs, double *reward)
{
    os_err err = { 0 };
    memset(rows, 0, (p->rounds + 1) * sizeof *rows);
    if (train_run(w, o, p, rows, probs, reward, NULL, NULL, &err) != 0)
        fail_msg("train_run: %s", err.msg);
}

/* A human (competence 10, beta 2) with a misconception +1 on `bad`:
 * u = (1, 1.5), v* = (1, 0.5). 60 rounds x 500 labels, kl 1.
 * BT learns r_bad - r_good = beta (u_bad - u_good) = 1, so the policy goes to
 * policy_optimum(beta u, kl): pi(bad) = 0.3 e^3 / (0.7 e^2 + 0.3 e^3) = 0.538.
 * Tolerance: the 30000 labels all fall on the one pair with
 * p = sigma(1) = 0.73, so the fitted gap has se 1/sqrt(30000 * 0.197) = 0.013
 * and pi(bad) (slope pi(1 - pi) / kl = 0.25) has se 0.0033; 0.02 is 6 se.
 * The alternatives are far: beta ignored (r = u) gives 0.414, the
 * v*-optimum 0.136, pi0 0.3. */
static void test_biased_overseer_closed_form(void **state)
{
    (void)state;
    world *w = world_biased();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 10, 2.0);
    os_err err = { 0 };
    assert_int_equal(overseer_add_bias(o, 0, 1, 1.0, &err), 0);
    double r_u[2] = { 2.0 * overseer_perceived(o, 0), 2.0 * overseer_perceived(o, 1) };
    double closed[2];
    policy_optimum(w, r_u, 1.0, closed);
    assert_close(closed[1], 0.3 * exp(3) / (0.7 * exp(2) + 0.3 * exp(3)), 1e-12);

    train_params p = params(60, 500, 1.0, 1);
    metrics_row rows[MAX_ROUNDS];
    double probs[2], reward[2];
    run(w, o, &p, rows, probs, reward);
    /* row 0 is pi0 */
    assert_close(rows[0].deception_rate, 0.3, 1e-12);
    assert_close(rows[0].kl, 0, 0);
    assert_int_equal(rows[0].labels, 0);
    /* the selected deception */
    const metrics_row *last = &rows[60];
    assert_close(last->deception_rate, closed[1], 0.02);
    assert_close(probs[1], last->deception_rate, 1e-12);
    /* the fitted reward gap: beta (u_bad - u_good) = 1, 5 se = 0.065 */
    assert_close(reward[1] - reward[0], 1.0, 0.065);
    /* and the policy is at the exact optimum of the reward it was given:
     * each exact step of lr 2 contracts the error by ~1 - 2 pi(1-pi) = 0.5,
     * so 20 steps leave ~1e-6 of the last round's reward change (~1e-3);
     * seeds 1..8 gave <= 1.1e-16. Tolerance 1e-6. */
    double own[2];
    policy_optimum(w, reward, 1.0, own);
    assert_true(h_maxabs_diff(own, probs, 2) < 1e-6);
    /* bookkeeping and the policy-side metrics, from the final policy */
    assert_int_equal(last->labels, 30000);
    assert_close(last->label_cost, 30000, 0);
    assert_int_equal(last->region_labels[REGION_WRONG], 500);
    double pb = probs[1];
    assert_close(last->true_value, (1 - pb) * 1.0 + pb * 0.5, 1e-12);
    assert_close(last->perceived_value, (1 - pb) * 1.0 + pb * 1.5, 1e-12);
    assert_close(last->overestimation, pb * 1.0, 1e-12);
    assert_close(last->underestimation, 0, 1e-12);
    assert_close(last->proxy_value, (1 - pb) * reward[0] + pb * reward[1], 1e-12);
    assert_close(last->kl, (1 - pb) * log((1 - pb) / 0.7) + pb * log(pb / 0.3), 1e-12);
    /* labels agree with v* when they prefer good: P = 1 - sigma(1) = 0.269;
     * 500 labels, se 0.02, 5 se = 0.1 */
    assert_close(metrics_accuracy(last, REGION_WRONG), 1 - h_sigmoid(1.0), 0.1);
    overseer_free(o);
    world_free(w);
}

static void test_reproducible(void **state)
{
    (void)state;
    world *w = world_biased();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 10, 1.0);
    train_params p = params(10, 50, 0.5, 42);
    p.method = PG_REINFORCE; /* the policy draws from the stream too */
    p.batch = 32;
    static metrics_row a[MAX_ROUNDS], b[MAX_ROUNDS];
    double pa[2], pb[2];
    run(w, o, &p, a, pa, NULL);
    run(w, o, &p, b, pb, NULL);
    assert_memory_equal(a, b, 11 * sizeof *a);
    assert_memory_equal(pa, pb, sizeof pa);
    p.seed = 43;
    run(w, o, &p, b, pb, NULL);
    assert_memory_not_equal(a, b, 11 * sizeof *a);
    assert_true(a[10].deception_rate != b[10].deception_rate);
    p.seed = 42, p.run_id = 2; /* another run of the same seed */
    run(w, o, &p, b, pb, NULL);
    assert_true(a[10].deception_rate != b[10].deception_rate);
    overseer_free(o);
    world_free(w);
}

/* Two contexts of weight 1/2: c0 easy; c1 (difficulty 5) where `bad` looks
 * 1.5 but hides a fact of effect -1 (v* 0.5, deceptive by threshold).
 * A human of competence 1 is unsure in c1. */
static world *world_unsure(void)
{
    const double diff[2] = { 0, 5 };
    const double looks[4] = { 1.0, 0.5, 1.0, 1.5 };
    const double prior[4] = { 0.5, 0.5, 0.6, 0.4 };
    const h_fact facts[1] = { { 1, 1, 0.0, -1.0 } };
    return h_world(2, 2, NULL, diff, looks, prior, facts, 1, NULL, 0.5);
}

struct unsure_result {
    double probs[4];
    long n_unsure, correct_unsure, asked_unsure, skipped;
};

static struct unsure_result run_unsure(unsure_mode mode)
{
    world *w = world_unsure();
    overseer_params op;
    overseer_params_default(&op);
    op.competence = 1, op.beta = 1, op.when_unsure = mode, op.cost = 0.25;
    os_err err = { 0 };
    overseer *o = overseer_new(w, &op, &err);
    assert_non_null(o);
    assert_int_equal(overseer_region(o, 1, 0, 1), REGION_UNSURE);
    assert_int_equal(overseer_region(o, 0, 0, 1), REGION_KNOWS);
    train_params p = params(40, 500, 0.5, 9);
    metrics_row rows[MAX_ROUNDS];
    struct unsure_result res = { { 0 }, 0, 0, 0, 0 };
    run(w, o, &p, rows, res.probs, NULL);
    for (int t = 1; t <= 40; t++) {
        res.n_unsure += rows[t].acc_n[REGION_UNSURE];
        res.correct_unsure += rows[t].acc_correct[REGION_UNSURE];
        res.asked_unsure += rows[t].region_labels[REGION_UNSURE];
        res.skipped += rows[t].skipped;
    }
    /* every label is asked and paid for, skips included */
    assert_int_equal(rows[40].labels, 40 * 500);
    assert_close(rows[40].label_cost, 0.25 * 40 * 500, 1e-9);
    /* deception only lives in c1 (weight 1/2) */
    assert_close(rows[40].deception_rate, 0.5 * res.probs[3], 1e-12);
    overseer_free(o);
    world_free(w);
    return res;
}

/* Beyond competence a coin selects for nothing. ~10000 labels fall in c1, so
 * the fitted gap there has se 2 / sqrt(10000) = 0.02 and pi(bad | c1) (slope
 * pi(1 - pi) / kl = 0.48) has se ~0.01: tolerance 0.05. Accuracy there: a
 * fair coin over ~10000 labels, se 0.005, tolerance 0.025. The `looks`
 * control moves pi(bad | c1) to 0.4 e / (0.6 + 0.4 e) = 0.644 (0.24 away)
 * with accuracy 1 - sigma(0.5) = 0.378: both checks can fail. */
static void test_unsure_region(void **state)
{
    (void)state;
    struct unsure_result coin = run_unsure(UNSURE_COIN);
    assert_true(coin.n_unsure > 8000);
    assert_close(coin.probs[2], 0.6, 0.05);
    assert_close(coin.probs[3], 0.4, 0.05);
    assert_close((double)coin.correct_unsure / coin.n_unsure, 0.5, 0.025);
    assert_int_equal(coin.skipped, 0);
    /* c0 is known and learned: pi0 (1/2, 1/2), r = u = (1, 0.5), kl 0.5 ->
     * pi(good) = e^2 / (e^2 + e) = 0.731; ~10000 labels, se ~0.006 -> 0.03 */
    assert_close(coin.probs[0], exp(2) / (exp(2) + exp(1)), 0.03);

    /* skip: no labels in c1 at all, so its reward and policy stay exactly at
     * 0 and pi0 */
    struct unsure_result skip = run_unsure(UNSURE_SKIP);
    assert_int_equal(skip.n_unsure, 0);
    assert_true(skip.asked_unsure > 8000);
    assert_int_equal(skip.skipped, skip.asked_unsure);
    assert_close(skip.probs[2], 0.6, 1e-12);
    assert_close(skip.probs[3], 0.4, 1e-12);

    /* looks: confidently wrong, deception selected */
    struct unsure_result looks = run_unsure(UNSURE_LOOKS);
    assert_close(looks.probs[3], 0.4 * exp(1) / (0.6 + 0.4 * exp(1)), 0.05);
    assert_close((double)looks.correct_unsure / looks.n_unsure, 1 - h_sigmoid(0.5), 0.025);
}

static int stop_at_3(void *ud, const metrics_row *row, os_err *err)
{
    int *calls = ud;
    ++*calls;
    if (row->round == 3)
        return err_set(err, OS_EINVAL, "stopped by the test at round %d", row->round);
    return 0;
}

static void test_divergence_and_callback(void **state)
{
    (void)state;
    world *w = world_biased();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 10, 1.0);
    metrics_row rows[MAX_ROUNDS];
    os_err err = { 0 };

    /* policy lr 1e300 passes train_check (finite) and blows up in round 1 */
    train_params p = params(5, 50, 0.5, 1);
    p.lr = 1e300;
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EDIVERGE);
    assert_int_equal(err.code, OS_EDIVERGE);
    assert_msg_has(err, "round 1");
    assert_msg_has(err, "policy");

    /* reward model GD with lr 1e300. An odd number of labels on the one pair
     * can't tie; a 25:25 tie would make the gradient exactly 0 and psi would
     * stay 0 that round (seed 1 with 50 labels does exactly that) */
    p = params(5, 51, 0.5, 1);
    p.rm.method = RM_FIT_GD, p.rm.lr = 1e300, p.rm.max_iter = 10;
    err.msg[0] = 0;
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EDIVERGE);
    assert_msg_has(err, "round 1");
    assert_msg_has(err, "reward model");

    /* a callback's non-zero return stops the run with its message */
    p = params(8, 20, 0.5, 1);
    int calls = 0;
    err.msg[0] = 0;
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, stop_at_3, &calls, &err), OS_EINVAL);
    assert_int_equal(calls, 4); /* rounds 0..3 */
    assert_msg_has(err, "stopped by the test at round 3");

    /* zero rounds: just row 0, and final outputs are pi0 and a zero reward */
    p = params(0, 20, 0.5, 1);
    double probs[2], reward[2] = { 9, 9 };
    assert_int_equal(train_run(w, o, &p, rows, probs, reward, NULL, NULL, &err), 0);
    assert_close(probs[1], 0.3, 1e-12);
    assert_close(reward[0], 0, 0);
    overseer_free(o);
    world_free(w);
}

static void test_check_errors(void **state)
{
    (void)state;
    train_params p;
    os_err err = { 0 };
    train_params_default(&p);
    assert_int_equal(train_check(&p, NULL, &err), 0);
#define BAD(stmt, field)                                         \
    do {                                                         \
        train_params_default(&p);                                \
        stmt;                                                    \
        err.msg[0] = 0;                                          \
        assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);      \
        assert_msg_has(err, field);                              \
    } while (0)
    BAD(p.rounds = -1, "'rounds'");
    BAD(p.labels_per_round = -1, "'labels_per_round'");
    BAD(p.kl_coef = 0, "'kl'");
    BAD(p.kl_coef = NAN, "'kl'");
    BAD(p.lr = 0, "'lr'");
    BAD(p.lr = INFINITY, "'lr'");
    BAD(p.steps = -1, "'steps'");
    BAD(p.batch = 0, "'batch'");
#undef BAD
    /* train_run checks before running */
    world *w = world_biased();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 10, 1.0);
    metrics_row rows[2];
    train_params_default(&p);
    p.rounds = 1, p.batch = 0;
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "'batch'");
    /* and so are the reward model's parameters */
    train_params_default(&p);
    p.rounds = 1, p.rm.noise = 1.0;
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "'noise'");
    overseer_free(o);
    world_free(w);
}

/* err_prefix puts context before the message, keeps the code, survives a
 * message that fills the buffer and a prefix longer than it, and takes NULL. */
static void test_err_prefix(void **state)
{
    (void)state;
    os_err e;
    err_set(&e, OS_EDIVERGE, "inner %d", 5);
    assert_int_equal(err_prefix(&e, "outer %s", "x"), OS_EDIVERGE);
    assert_int_equal(e.code, OS_EDIVERGE);
    assert_msg_is(e, "outer x: inner 5");
    memset(e.msg, 'a', sizeof e.msg - 1);
    e.msg[sizeof e.msg - 1] = 0;
    err_prefix(&e, "round %d", 3);
    assert_int_equal(strncmp(e.msg, "round 3: aaa", 12), 0);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    char longp[700];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = 0;
    err_set(&e, OS_EINVAL, "x");
    err_prefix(&e, "%s", longp);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_int_equal(e.msg[0], 'p');
    assert_int_equal(err_prefix(NULL, "nothing"), OS_OK);
}

/* train_check's messages name the field, the record and the value, and
 * agree with what the check accepts: label_rounds -1 and candidates 0 are
 * valid (every round; 8 x labels_per_round). */
static void test_check_messages(void **state)
{
    (void)state;
    train_params p;
    os_err err = { 0 };
    train_params_default(&p);
    p.label_rounds = -1;
    p.candidates = 0;
    assert_int_equal(train_check(&p, NULL, &err), 0);
    p.label_rounds = -2;
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'label_rounds' of train must be >= -1 (got -2; -1 means every "
                  "round)");
    train_params_default(&p);
    p.candidates = -1;
    assert_int_equal(train_check(&p, "critic 2 of overseer 'r'", &err), OS_EINVAL);
    assert_msg_is(err, "field 'candidates' of critic 2 of overseer 'r' must be >= 0 (got -1; "
                  "0 means 8 x labels_per_round)");
    train_params_default(&p);
    p.rounds = -1;
    assert_int_equal(train_check(&p, "train", &err), OS_EINVAL);
    assert_msg_is(err, "field 'rounds' of train must be >= 0 (got -1)");
    train_params_default(&p);
    p.kl_coef = 0;
    train_check(&p, NULL, &err);
    assert_msg_is(err, "field 'kl' of policy must be a finite number > 0 (got 0)");
    train_params_default(&p);
    p.rm.noise = 1;
    train_check(&p, NULL, &err);
    assert_msg_is(err, "field 'noise' of reward_model must be in [0,1) (got 1)");
    train_params_default(&p);
    p.rm.model.kind = MODEL_MLP, p.rm.model.n_layers = 1, p.rm.model.hidden[0] = 0;
    train_check(&p, NULL, &err);
    assert_msg_is(err, "hidden layer sizes of reward_model.model must be integers >= 1 (got 0)");
    train_params_default(&p);
    p.policy_model.kind = MODEL_MLP, p.policy_model.n_layers = 3;
    train_check(&p, NULL, &err);
    assert_msg_is(err, "field 'hidden' of policy.model must list 1 or 2 layer sizes (got 3)");
    train_params_default(&p);
    p.base_cost = -1;
    train_check(&p, NULL, &err);
    assert_msg_is(err, "base label cost of train must be a finite number >= 0 (got -1)");
}

/* B-Pref's relative skip threshold reads the round's margin, the mean true
 * value of the policy's outputs as the round starts (round 1: pi0's). One
 * context, values 0.05, 0.06, 3.0 under a uniform pi0: margin 1.0367, so
 * skip_eps 0.1 skips exactly the pairs whose best is <= 0.10367, the pair
 * {0.05, 0.06}, drawn with probability 1/3 (distinct pairs from pi0); 6000
 * labels: within 5 standard errors. Without the relative form, nothing is
 * skipped. */
static void test_relative_skip_uses_the_margin(void **state)
{
    (void)state;
    const double looks[3] = { 0.05, 0.06, 3.0 };
    world *w = h_world(1, 3, NULL, NULL, looks, NULL, NULL, 0, NULL, 0.5);
    overseer_params op;
    overseer_params_default(&op);
    op.kind = OVERSEER_ORACLE;
    op.skip_eps = 0.1;
    os_err err = { 0 };
    overseer *o = overseer_new(w, &op, &err);
    assert_non_null(o);
    train_params p = params(1, 6000, 1, 7);
    metrics_row rows[2];
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), 0);
    assert_close(rows[0].true_value, (0.05 + 0.06 + 3.0) / 3, 1e-12);
    double share = (double)rows[1].skipped / rows[1].labels;
    assert_close(share, 1.0 / 3, 5 * sqrt((1.0 / 3) * (2.0 / 3) / 6000));
    overseer_free(o);
    op.skip_eps = 0;
    o = overseer_new(w, &op, &err);
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), 0);
    assert_int_equal(rows[1].skipped, 0);
    overseer_free(o);
    world_free(w);
}

/* The largest values train_check accepts, and one past each. 8 x
 * labels_per_round (disagreement's default candidates) was an int product: at
 * 268435456 labels it wrapped to INT_MIN and the run labelled nothing,
 * silently; now the maximum keeps it at 8e7. */
static void test_maxima(void **state)
{
    (void)state;
    train_params p;
    os_err err = { 0 };
#define AT_AND_PAST(field, max, msg)                                              \
    train_params_default(&p);                                                     \
    p.field = (max);                                                              \
    assert_int_equal(train_check(&p, NULL, &err), 0);                             \
    p.field = (max) + 1;                                                          \
    assert_int_equal(train_check(&p, NULL, &err), OS_EINVAL);                     \
    assert_msg_is(err, msg)
    AT_AND_PAST(rounds, TRAIN_MAX_ROUNDS,
                "field 'rounds' of train must be <= 10000000 (got 10000001)");
    AT_AND_PAST(labels_per_round, TRAIN_MAX_LABELS,
                "field 'labels_per_round' of train must be <= 10000000 (got 10000001)");
    AT_AND_PAST(candidates, TRAIN_MAX_CANDIDATES,
                "field 'candidates' of train must be <= 100000000 (got 100000001)");
    AT_AND_PAST(batch, TRAIN_MAX_BATCH,
                "field 'batch' of policy must be <= 100000000 (got 100000001)");
    AT_AND_PAST(rm.ensemble, RM_MAX_ENSEMBLE,
                "field 'ensemble' of reward_model must be <= 1000 (got 1001)");
#undef AT_AND_PAST
    /* the run that labelled nothing: refused before anything is allocated */
    world *w = h_world(1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    train_params_default(&p);
    p.rounds = 1;
    p.labels_per_round = 268435456;
    p.query = QUERY_DISAGREEMENT;
    p.rm.ensemble = 2;
    metrics_row rows[2];
    assert_int_equal(train_run(w, o, &p, rows, NULL, NULL, NULL, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'labels_per_round' of train must be <= 10000000 (got "
                  "268435456)");
    /* at the maximum the candidates (8e7 + 1 of 24 bytes) are counted, not wrapped */
    p.labels_per_round = TRAIN_MAX_LABELS;
    assert_int_equal(train_check(&p, NULL, &err), 0);
    size_estimate e;
    size_estimate_init(&e);
    train_estimate(w, &p, &e);
    assert_string_equal(e.what, "80000000 candidate pairs");
    assert_int_equal(e.largest, (80000000ull + 1) * 24);
    overseer_free(o);
    world_free(w);
}

/* train_estimate counts the rows a run's caller provides (rounds + 1, and the
 * two per-cell result vectors) and PPO's samples. */
static void test_estimate_rows_and_batch(void **state)
{
    (void)state;
    world *w = h_world(2, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    train_params p;
    train_params_default(&p);
    p.rounds = TRAIN_MAX_ROUNDS;
    size_estimate e;
    size_estimate_init(&e);
    train_estimate(w, &p, &e);
    assert_string_equal(e.what, "rows of 10000000 rounds");
    assert_int_equal(e.largest, (10000000ull + 1) * sizeof(metrics_row) + 2 * 6 * sizeof(double));
    train_params_default(&p);
    p.method = PG_PPO;
    p.batch = TRAIN_MAX_BATCH;
    size_estimate_init(&e);
    train_estimate(w, &p, &e);
    assert_string_equal(e.what, "PPO batch of 100000000 samples");
    assert_int_equal(e.largest, 100000000ull * 24);
    world_free(w);
}

/* Labels and cost start from base_labels and base_cost (what building the
 * overseer spent) and add each round's labels at the overseer's cost. */
static void test_base_labels_and_costs(void **state)
{
    (void)state;
    world *w = world_biased();
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    train_params p = params(2, 3, 1, 1);
    p.base_labels = 5, p.base_cost = 2.5;
    metrics_row rows[3];
    run(w, o, &p, rows, NULL, NULL);
    for (int t = 0; t <= 2; t++) {
        assert_int_equal(rows[t].round, t);
        assert_int_equal(rows[t].labels, 5 + 3 * t);
        assert_close(rows[t].label_cost, 2.5 + 3 * t, 1e-12);
    }
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_biased_overseer_closed_form),
        cmocka_unit_test(test_relative_skip_uses_the_margin),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_maxima),
        cmocka_unit_test(test_estimate_rows_and_batch),
        cmocka_unit_test(test_unsure_region),
        cmocka_unit_test(test_divergence_and_callback),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_err_prefix),
        cmocka_unit_test(test_check_messages),
        cmocka_unit_test(test_base_labels_and_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
