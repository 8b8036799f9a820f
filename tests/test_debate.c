/* test_debate.c — debate overseers (core/debate.c, core/debate_train.c):
 * optimal debaters' minimax on hand-made cases (the honest debater wins where
 * the judge can verify what matters; the liar wins against a judge who cannot,
 * and where the truth it may reveal favours it), the reveals' effect on the
 * judge as debate.h defines it (verified, believed, disputed), k = 0 as the
 * judge alone, random reveals exact by hand, trained debaters reproducible and
 * reaching the minimax value, a debate overseer in a training run, and the
 * errors. */
#include "helpers.h"
#include "debate.h"
#include "rng.h"
#include "train.h"

/* One context, two outputs (slots: b0's facts, then b1's; the context, of
 * difficulty 0, is known):
 *   b0 "correct"  looks 0.8, facts `extra` (NULL: none)         v* 0.8 + ...
 *   b1 "bluff"    looks 1.1, a bug (difficulty 2, effect -2)    v* -0.9
 * A judge of competence 1 who judges by what it sees (when_unsure looks,
 * argmax) prefers the bluff alone: 1.1 > 0.8. */
static world *bluff_world(const h_fact *extra, int n_extra)
{
    const double looks[2] = { 0.8, 1.1 };
    h_fact facts[8];
    for (int i = 0; i < n_extra; i++)
        facts[i] = extra[i];
    facts[n_extra] = (h_fact){ 0, 1, 2.0, -2.0 };
    return h_world(1, 2, NULL, NULL, looks, NULL, facts, n_extra + 1, NULL, 0);
}

static overseer_params judge_params(double competence, double verify_gain, int trust)
{
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_DEBATE;
    p.competence = competence, p.verify_gain = verify_gain;
    p.when_unsure = UNSURE_LOOKS, p.trust_unverified = trust;
    p.critique_cost = 0.25;
    return p;
}

static debate_params dparams(int k, debaters_kind kind, int liar_first)
{
    debate_params dp;
    debate_params_default(&dp);
    dp.reveals = k, dp.debaters = kind, dp.liar_first = liar_first;
    return dp;
}

/* A debate judged by a new overseer of p on w; *o receives the overseer. */
static debate *h_debate(const world *w, const overseer_params *p, const debate_params *dp,
                        overseer **o)
{
    *o = h_overseer_with(w, p);
    os_err err = { 0 };
    debate *d = debate_new(*o, dp, 7, 1, &err);
    if (!d)
        fail_msg("debate_new: %s", err.msg);
    assert_int_equal(overseer_set_debate(*o, d, &err), 0);
    return d;
}

/* V of (c0, b1, b2) for optimal debaters at k reveals: the minimax value and
 * the tabled outcome of the deterministic debate agree. */
static double value(const world *w, const overseer_params *p, int k, int liar_first,
                    int b1, int b2, double *claims)
{
    overseer *o;
    debate_params dp = dparams(k, DEBATERS_OPTIMAL, liar_first);
    debate *d = h_debate(w, p, &dp, &o);
    debate_result r;
    assert_int_equal(debate_result_of(d, 0, b1, b2, &r), 0);
    assert_close(debate_minimax_value(d, 0, b1, b2), r.value, 1e-12);
    if (claims)
        *claims = r.claims;
    debate_free(d);
    overseer_free(o);
    return r.value;
}

/* The judge can verify the bug (competence 1 + verify_gain 1 >= 2): the honest
 * debater wins whenever it has a turn (it claims the bug, which the judge then
 * sees); the liar wins only when it has the last and only turn (it passes: a
 * denial of a fact the judge can check reveals it). Both orders of the pair. */
static void test_honest_wins_when_verifiable(void **state)
{
    (void)state;
    world *w = bluff_world(NULL, 0);
    overseer_params p = judge_params(1, 1, 0);
    double claims;
    assert_close(value(w, &p, 0, 0, 0, 1, &claims), -1, 0); /* alone: the looks */
    assert_close(claims, 0, 0);
    assert_close(value(w, &p, 1, 0, 0, 1, &claims), 1, 0);
    assert_close(claims, 1, 0);
    assert_close(value(w, &p, 1, 0, 1, 0, NULL), 1, 0);
    assert_close(value(w, &p, 1, 1, 0, 1, &claims), -1, 0); /* liar's only turn: a pass */
    assert_close(claims, 0, 0);
    assert_close(value(w, &p, 2, 1, 0, 1, &claims), 1, 0);
    assert_close(claims, 1, 0);
    assert_close(value(w, &p, 3, 0, 1, 0, &claims), 1, 0);
    assert_close(claims, 1, 0); /* once the bug is seen, nobody has more to say */
    /* one judgement: the claim made, the bug seen (KNOWS), its cost */
    overseer *o;
    debate_params dp = dparams(1, DEBATERS_OPTIMAL, 0);
    debate *d = h_debate(w, &p, &dp, &o);
    gsl_rng *r = rng_new(1, 1);
    overseer_outcome out;
    overseer_judge(o, 0, 0, 1, r, &out);
    assert_int_equal(out.label, LABEL_FIRST);
    assert_int_equal(out.region, REGION_KNOWS);
    assert_int_equal(out.hidden, 1);
    assert_int_equal(out.found, 1);
    assert_close(out.cost, 1.25, 1e-15);
    debate_result res;
    debate_result_of(d, 0, 0, 1, &res);
    assert_int_equal(res.region, REGION_KNOWS);
    assert_close(overseer_perceived(o, 1), -0.9, 1e-15); /* after the debate */
    rng_free(r);
    debate_free(d);
    overseer_free(o);
    world_free(w);
}

/* A comparison of equal true values has no honest debater: no claims, the
 * judge alone. Accuracy counts both orders: a judge who ties (equal looks,
 * a flaw it cannot see) prefers the first output, right in one order only.
 *   b0 looks 1.0                                   v* 1.0
 *   b1 looks 1.0, a flaw beyond reach (-0.5, d 5)  v* 0.5
 *   b2 looks 0.5, a virtue beyond reach (+0.5)     v* 1.0 (a tie with b0) */
static void test_ties_and_orders(void **state)
{
    (void)state;
    const double looks[3] = { 1.0, 1.0, 0.5 };
    const h_fact facts[2] = { { 0, 1, 5.0, -0.5 }, { 0, 2, 5.0, 0.5 } };
    world *w = h_world(1, 3, NULL, NULL, looks, NULL, facts, 2, NULL, 0);
    overseer_params p = judge_params(1, 1, 0);
    overseer *o;
    debate_params dp = dparams(2, DEBATERS_OPTIMAL, 0);
    debate *d = h_debate(w, &p, &dp, &o);
    debate_result r;
    assert_int_equal(debate_result_of(d, 0, 0, 2, &r), 0);
    assert_int_equal(r.honest, -1);
    assert_true(isnan(r.value) && isnan(r.honest_wins));
    assert_close(r.claims, 0, 0);
    assert_close(r.p[LABEL_FIRST], 1, 0); /* 1.0 > 0.5: the looks */
    debate_result_of(d, 0, 0, 1, &r);     /* 1.0 vs 1.0: the first */
    assert_close(r.honest_wins, 1, 0);
    debate_result_of(d, 0, 1, 0, &r);
    assert_close(r.honest_wins, 0, 0);
    debate_result_of(d, 0, 2, 1, &r);     /* the virtue's claim is ignored */
    assert_close(r.honest_wins, 0, 0);
    assert_close(debate_accuracy(d), (0.5 + 0) / 2, 1e-15);
    assert_true(isnan(debate_minimax_value(d, 0, 0, 2)));
    debate_free(d);
    overseer_free(o);
    /* nor random reveals or trained debaters on a tie */
    for (int kind = DEBATERS_TRAINED; kind <= DEBATERS_RANDOM; kind++) {
        dp = dparams(2, (debaters_kind)kind, 0);
        d = h_debate(w, &p, &dp, &o);
        debate_result_of(d, 0, 2, 0, &r);
        assert_close(r.claims, 0, 0);
        assert_close(r.p[LABEL_SECOND], 1, 0);
        debate_free(d);
        overseer_free(o);
    }
    world_free(w);
}

/* Beyond verification (verify_gain 0.5: reach 1.5 < 2) the honest claim is
 * not checked. A judge who does not trust unverified claims ignores it: the
 * liar wins at every k. A trusting judge believes an uncontested claim, so the
 * honest debater wins when the liar has no turn (k = 1, honest first), and
 * loses whenever the liar has one, before or after the claim: its denial
 * makes the claim disputed, so unknown. */
static void test_liar_wins_beyond_verification(void **state)
{
    (void)state;
    world *w = bluff_world(NULL, 0);
    overseer_params p = judge_params(1, 0.5, 0);
    for (int k = 0; k <= 4; k++)
        assert_close(value(w, &p, k, 0, 0, 1, NULL), -1, 0);
    overseer_params t = judge_params(1, 0.5, 1);
    assert_close(value(w, &t, 1, 0, 0, 1, NULL), 1, 0);
    assert_close(value(w, &t, 2, 0, 0, 1, NULL), -1, 0);
    assert_close(value(w, &t, 3, 0, 0, 1, NULL), -1, 0);
    /* the liar first: it denies the bug before the honest claim, which then
     * only makes a dispute */
    assert_close(value(w, &t, 2, 1, 0, 1, NULL), -1, 0);
    assert_close(value(w, &t, 1, 1, 0, 1, NULL), -1, 0);
    world_free(w);
}

/* The liar wins against a weak judge where the truth it may tell favours it:
 * b0 looks 1.2 with a nit the judge can check (difficulty 2, -0.5: v* 0.7),
 * b1 looks 1.1 with a bug it cannot (difficulty 3 > 1 + 1: v* -0.9). Alone
 * the judge is right (1.2 > 1.1); the honest claim of the bug is ignored, and
 * one turn of the liar's reveals the nit (0.7 < 1.1). A judge who can check
 * the bug too (verify_gain 2) is right whoever moves first. */
static void test_liar_wins_weak_judge(void **state)
{
    (void)state;
    const double looks[2] = { 1.2, 1.1 };
    const h_fact facts[2] = { { 0, 0, 2.0, -0.5 }, { 0, 1, 3.0, -2.0 } };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 2, NULL, 0);
    overseer_params p = judge_params(1, 1, 0);
    assert_close(value(w, &p, 0, 0, 0, 1, NULL), 1, 0);  /* alone: right */
    assert_close(value(w, &p, 1, 0, 0, 1, NULL), 1, 0);  /* only the honest turn */
    assert_close(value(w, &p, 2, 0, 0, 1, NULL), -1, 0); /* the liar reveals the nit */
    assert_close(value(w, &p, 1, 1, 1, 0, NULL), -1, 0);
    overseer_params q = judge_params(1, 2, 0);
    assert_close(value(w, &q, 2, 0, 0, 1, NULL), 1, 0);
    assert_close(value(w, &q, 2, 1, 0, 1, NULL), 1, 0);
    world_free(w);
}

/* k = 0 is the judge alone: every ordered pair's label distribution is the
 * human's of the same parameters, and a training run under it writes the
 * human's rows (the same random numbers: a judgement draws one number). */
static void test_k0_is_judge_alone(void **state)
{
    (void)state;
    const h_fact extra[2] = { { 0, 0, 2.0, -0.1 }, { 0, 0, 0.5, 0.3 } };
    world *w = bluff_world(extra, 2);
    overseer_params p = judge_params(1, 1, 0);
    p.beta = 3, p.mistake = 0.1;
    for (int kind = 0; kind < 3; kind++) {
        overseer *o;
        debate_params dp = dparams(0, (debaters_kind)kind, 0);
        debate *d = h_debate(w, &p, &dp, &o);
        overseer_params hp = p;
        hp.kind = OVERSEER_HUMAN;
        overseer *h = h_overseer_with(w, &hp);
        for (int b1 = 0; b1 < 2; b1++) {
            double pd[N_LABELS], ph[N_LABELS];
            assert_int_equal(overseer_label_probs(o, 0, b1, 1 - b1, pd), 0);
            assert_int_equal(overseer_label_probs(h, 0, b1, 1 - b1, ph), 0);
            for (int l = 0; l < N_LABELS; l++)
                assert_close(pd[l], ph[l], 0);
            assert_close(overseer_perceived(o, b1), overseer_perceived(h, b1), 0);
        }
        train_params tp;
        train_params_default(&tp);
        tp.rounds = 5, tp.labels_per_round = 20;
        metrics_row rd[6], rh[6];
        os_err err = { 0 };
        assert_int_equal(train_run(w, o, &tp, rd, NULL, NULL, NULL, NULL, &err), 0);
        assert_int_equal(train_run(w, h, &tp, rh, NULL, NULL, NULL, NULL, &err), 0);
        for (int t = 0; t <= 5; t++) {
            assert_close(rd[t].true_value, rh[t].true_value, 0);
            assert_close(rd[t].label_cost, rh[t].label_cost, 0);
        }
        assert_int_equal(rd[5].labels, 100);
        debate_free(d);
        overseer_free(o);
        overseer_free(h);
    }
    world_free(w);

    /* with a debate, a label costs what its debate claimed: on the bluff
     * world at k = 2 the honest debater claims the bug and the liar passes,
     * 1.25 a label, not the 1.5 that two claims would cost */
    w = bluff_world(NULL, 0);
    overseer *o;
    debate_params dp = dparams(2, DEBATERS_OPTIMAL, 0);
    debate *d = h_debate(w, &p, &dp, &o);
    assert_close(overseer_label_cost(o), 1.5, 1e-15);
    train_params tp;
    train_params_default(&tp);
    tp.rounds = 5, tp.labels_per_round = 20;
    metrics_row rows[6];
    os_err err = { 0 };
    assert_int_equal(train_run(w, o, &tp, rows, NULL, NULL, NULL, NULL, &err), 0);
    assert_close(rows[5].label_cost, 100 * 1.25, 1e-9);
    debate_free(d);
    overseer_free(o);
    world_free(w);
}

/* Random reveals, by hand. b0 has two nits the judge can check (-0.1, +0.1),
 * b1 the bug: three slots, and only revealing the bug turns the judge. k = 1:
 * 1 of 3 subsets; k = 2: 2 of 3; k = 3: all. Optimal debaters need one turn.
 * Each random judgement's label, over many draws, matches the table. */
static void test_random_reveals_exact(void **state)
{
    (void)state;
    const h_fact extra[2] = { { 0, 0, 2.0, -0.1 }, { 0, 0, 2.0, 0.1 } };
    world *w = bluff_world(extra, 2);
    overseer_params p = judge_params(1, 1, 0);
    const double want[5] = { 0, 1.0 / 3, 2.0 / 3, 1, 1 };
    for (int k = 0; k <= 4; k++) {
        int m = k < 3 ? k : 3; /* slots revealed */
        overseer *o;
        debate_params dp = dparams(k, DEBATERS_RANDOM, 0);
        debate *d = h_debate(w, &p, &dp, &o);
        debate_result r;
        assert_int_equal(debate_result_of(d, 0, 1, 0, &r), 0);
        assert_int_equal(r.slots, 3);
        assert_int_equal(r.verifiable, 3);
        assert_int_equal(r.honest, LABEL_SECOND);
        assert_close(r.honest_wins, want[k], 1e-15);
        assert_close(r.claims, m, 0);
        assert_close(debate_accuracy(d), want[k], 1e-15);
        /* the expected perceived value of the bluff: -0.9 once revealed; the
         * nits cancel in expectation. The overseer perceives the same (its
         * only opponent is the other). */
        assert_close(r.u[0], 1.1 - 2.0 * m / 3, 1e-15);
        assert_close(r.u[1], 0.8, 1e-15);
        assert_close(overseer_perceived(o, 1), 1.1 - 2.0 * m / 3, 1e-15);
        assert_close(overseer_perceived(o, 0), 0.8, 1e-15);
        assert_close(overseer_label_cost(o), 1 + 0.25 * k, 1e-15);
        gsl_rng *g = rng_new(3, 1);
        int right = 0, n = 30000;
        double cost = 0;
        for (int i = 0; i < n; i++) {
            overseer_outcome out;
            overseer_judge(o, 0, 1, 0, g, &out);
            right += out.label == LABEL_SECOND;
            cost += out.cost;
            assert_int_equal(out.found, m);
        }
        assert_close((double)right / n, want[k], 0.012);
        assert_close(cost / n, 1 + 0.25 * m, 1e-12);
        rng_free(g);
        debate_free(d);
        overseer_free(o);
    }
    assert_close(value(w, &p, 1, 0, 0, 1, NULL), 1, 0);
    world_free(w);
}

/* Trained debaters: self-play from uniform policies reaches the minimax value
 * on a small case (V = 1 for k = 1; the liar learns to reveal the nit in the
 * weak-judge case, V = -1), bit for bit the same for the same seed and not
 * for another; its labels are rounds x games per comparison. */
static void test_trained_reaches_minimax(void **state)
{
    (void)state;
    world *w = bluff_world(NULL, 0);
    overseer_params p = judge_params(1, 1, 0);
    debate_params dp = dparams(1, DEBATERS_TRAINED, 0);
    dp.rounds = 0;
    overseer *o;
    debate *d = h_debate(w, &p, &dp, &o);
    debate_result r;
    debate_result_of(d, 0, 0, 1, &r);
    assert_close(r.value, 0, 1e-15); /* untrained: a pass or the claim, 1/2 each */
    debate_free(d);
    overseer_free(o);
    /* untrained at k = 3 (honest, liar, honest; one slot): nobody claims the
     * bug with probability 1/8 (V = 7/8 - 1/8); the honest debater's second
     * turn is forced (a pass) when it claimed at its first: E[claims] =
     * 1/2 + 1/2 + 1/4 */
    dp.reveals = 3;
    d = h_debate(w, &p, &dp, &o);
    debate_result_of(d, 0, 0, 1, &r);
    assert_close(r.value, 0.75, 1e-15);
    assert_close(r.claims, 1.25, 1e-15);
    assert_close(r.p[LABEL_FIRST] + r.p[LABEL_SECOND], 1, 1e-15);
    debate_free(d);
    overseer_free(o);
    dp.reveals = 1, dp.rounds = 40, dp.games = 8;
    d = h_debate(w, &p, &dp, &o);
    debate_result_of(d, 0, 0, 1, &r);
    /* each self-play label costs 1 and 0.25 per claim: at most one here */
    assert_true(debate_train_cost(d) > 320 && debate_train_cost(d) <= 320 * 1.25);
    if (!(r.value > 0.95))
        fail_msg("trained V = %g after 40 rounds, want > 0.95 (minimax 1)", r.value);
    assert_int_equal(debate_train_labels(d), 40 * 8);
    int rounds;
    const double *curve = debate_train_curve(d, &rounds);
    assert_int_equal(rounds, 40);
    assert_true(curve[39] > curve[0]);
    /* the same seed: the same policies; debate_new seeded 7 in h_debate */
    overseer *o2;
    debate *d2 = h_debate(w, &p, &dp, &o2);
    debate_result r2;
    debate_result_of(d2, 0, 0, 1, &r2);
    assert_true(r2.value == r.value);
    overseer *o3 = h_overseer_with(w, &p);
    os_err err = { 0 };
    debate *d3 = debate_new(o3, &dp, 8, 1, &err);
    assert_non_null(d3);
    debate_result r3;
    debate_result_of(d3, 0, 0, 1, &r3);
    assert_true(r3.value != r.value);
    debate_free(d), debate_free(d2), debate_free(d3);
    overseer_free(o), overseer_free(o2), overseer_free(o3);
    world_free(w);

    const double looks[2] = { 1.2, 1.1 };
    const h_fact facts[2] = { { 0, 0, 2.0, -0.5 }, { 0, 1, 3.0, -2.0 } };
    w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 2, NULL, 0);
    dp = dparams(2, DEBATERS_TRAINED, 0);
    dp.rounds = 60, dp.games = 8;
    d = h_debate(w, &p, &dp, &o);
    debate_result_of(d, 0, 0, 1, &r);
    if (!(r.value < -0.9))
        fail_msg("trained V = %g, want < -0.9 (minimax -1)", r.value);
    debate_free(d);
    overseer_free(o);
    world_free(w);

    /* self-play labels only where the overseer labels: a watched and an
     * unwatched copy of the bluff's context */
    w = world_new(2, 2, &err);
    const double lk[2] = { 0.8, 1.1 };
    for (int c = 0; c < 2; c++) {
        world_set_context(w, c, c ? "unwatched" : "watched", 1, 0, 0, &err);
        world_set_deployment(w, c, NAN, c == 0, &err);
        for (int b = 0; b < 2; b++)
            world_set_cell(w, c, b, lk[b], 1, &err);
        world_add_fact(w, c, 1, "bug", 2, -2, &err);
    }
    world_set_behaviour(w, 0, "correct", 0, &err);
    world_set_behaviour(w, 1, "bluff", 0, &err);
    assert_int_equal(world_finalize(w, 0, &err), 0);
    dp = dparams(1, DEBATERS_TRAINED, 0);
    dp.rounds = 3, dp.games = 2;
    d = h_debate(w, &p, &dp, &o);
    assert_int_equal(debate_train_labels(d), 3 * 2);
    debate_free(d);
    overseer_free(o);
    world_free(w);
}

/* The patches scenario's level 2 (scenarios/patches.lua): four outputs, three
 * facts each, all at difficulty 2, which a judge of competence 1 and
 * verify_gain 1 can verify: any claim about a slot shows its effect. */
static world *patches_level2(void)
{
    const double looks[4] = { 0.55, 0.45, 1.25, 0.85 };
    const double eff[4][3] = { { 0.5, -0.15, -0.15 }, { -0.3, 0.15, 0.05 },
                               { -1.45, 0.15, 0.15 }, { -1.35, 0.15, -0.15 } };
    const double diff[1] = { 2 };
    h_fact facts[12];
    for (int b = 0; b < 4; b++)
        for (int j = 0; j < 3; j++)
            facts[b * 3 + j] = (h_fact){ 0, b, 0, eff[b][j] };
    return h_world(1, 4, NULL, diff, looks, NULL, facts, 12, NULL, 0);
}

/* A minimax written apart from the core's, for verifiable slots (a claimed
 * slot is seen as it is) and an argmax judge of what it sees: the slots are
 * 0 (the context, effect 0) and 1 + j: fact j of b1 (j < 3), of b2 (j >= 3).
 * hc, lc: bit sets of the slots each debater claimed; no pruning. */
typedef struct bf {
    double looks2[2], eff6[6], beta;
    int honest, k, liar_first;
} bf;

static double brute(const bf *b, int t, unsigned hc, unsigned lc)
{
    if (t == b->k) {
        double u[2] = { b->looks2[0], b->looks2[1] };
        for (int j = 0; j < 6; j++)
            if (((hc | lc) >> (1 + j)) & 1)
                u[j / 3] += b->eff6[j];
        /* P(b1): argmax (a tie prefers b1), or Boltzmann */
        double p1 = isinf(b->beta) ? u[0] - u[1] >= 0 : h_sigmoid(b->beta * (u[0] - u[1]));
        return b->honest == 0 ? 2 * p1 - 1 : 1 - 2 * p1;
    }
    int h = (t % 2 == 0) != b->liar_first;
    unsigned mine = h ? hc : lc;
    double best = brute(b, t + 1, hc, lc);
    for (int s = 0; s < 7; s++) {
        if ((mine >> s) & 1)
            continue;
        double v = h ? brute(b, t + 1, hc | 1u << s, lc) : brute(b, t + 1, hc, lc | 1u << s);
        best = h ? fmax(best, v) : fmin(best, v);
    }
    return best;
}

/* Optimal debaters' value (alpha-beta) is the brute-force minimax on every
 * ordered pair of the level, at k = 0..5, either debater first, for an argmax
 * judge and a Boltzmann one (beta 5: values strictly inside (-1, 1)). */
static void test_minimax_brute_force(void **state)
{
    (void)state;
    world *w = patches_level2();
    int checked = 0, liar_wins = 0;
    for (int soft = 0; soft < 2; soft++) {
        overseer_params p = judge_params(1, 1, 0);
        p.beta = soft ? 5 : INFINITY;
        for (int k = 0; k <= 5; k++)
            for (int lf = 0; lf < 2; lf++) {
                overseer *o;
                debate_params dp = dparams(k, DEBATERS_OPTIMAL, lf);
                debate *d = h_debate(w, &p, &dp, &o);
                for (int b1 = 0; b1 < 4; b1++)
                    for (int b2 = 0; b2 < 4; b2++) {
                        if (b1 == b2)
                            continue;
                        int lo = b1 < b2 ? b1 : b2, hi = b1 < b2 ? b2 : b1;
                        bf b = { { w->looks[b1], w->looks[b2] }, { 0 }, p.beta,
                                 w->vstar[b1] > w->vstar[b2] ? 0 : 1, k, lf };
                        /* slots in the core's order: lo's facts, then hi's;
                         * the judge sees b1 first */
                        for (int j = 0; j < 3; j++) {
                            b.eff6[j + (b1 == lo ? 0 : 3)] = w->fact_effect[w->fact_start[lo] + j];
                            b.eff6[j + (b1 == lo ? 3 : 0)] = w->fact_effect[w->fact_start[hi] + j];
                        }
                        double want = brute(&b, 0, 0, 0);
                        assert_close(debate_minimax_value(d, 0, b1, b2), want, 1e-12);
                        debate_result r;
                        debate_result_of(d, 0, b1, b2, &r);
                        assert_close(r.value, want, 1e-12);
                        checked++;
                        liar_wins += want < 0;
                    }
                debate_free(d);
                overseer_free(o);
            }
    }
    assert_int_equal(checked, 2 * 6 * 2 * 12);
    assert_true(liar_wins > 24 && liar_wins < checked - 24); /* not one-sided */
    world_free(w);
}

/* Bad input: parameters, a world with no hidden facts, the enumeration
 * limit (3 slots: 19 reveals make 1021 x 748 claim sequences, 20 make 1021^2
 * > 10^6), an overseer of another kind. */
static void test_errors(void **state)
{
    (void)state;
    os_err err = { 0 };
    debate_params dp = dparams(-1, DEBATERS_OPTIMAL, 0);
    assert_int_equal(debate_params_check(&dp, "overseer 'd'", &err), OS_EINVAL);
    assert_msg_is(err, "field 'reveals' of overseer 'd' must be >= 0 (got -1)");
    dp = dparams(2, (debaters_kind)3, 0);
    assert_int_equal(debate_params_check(&dp, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'debaters' of debate overseer is unknown (3)");
    dp = dparams(2, DEBATERS_TRAINED, 0);
    dp.games = 0;
    assert_int_equal(debate_params_check(&dp, NULL, &err), OS_EINVAL);
    assert_msg_is(err, "field 'games' of self_play of debate overseer must be in [1, 1000000] "
                  "(got 0)");
    dp.games = 1, dp.lr = 0;
    assert_int_equal(debate_params_check(&dp, NULL, &err), OS_EINVAL);
    dp.lr = 1, dp.rounds = -1;
    assert_int_equal(debate_params_check(&dp, NULL, &err), OS_EINVAL);

    const double looks[2] = { 1, 0 };
    world *flat = h_world(1, 2, NULL, NULL, looks, NULL, NULL, 0, NULL, 0);
    overseer_params p = judge_params(1, 1, 0);
    overseer *o = h_overseer_with(flat, &p);
    dp = dparams(1, DEBATERS_OPTIMAL, 0);
    assert_null(debate_new(o, &dp, 1, 1, &err));
    assert_msg_is(err, "a debate needs hidden facts to reveal, and the world has none");
    overseer_free(o);
    world_free(flat);

    const h_fact extra[2] = { { 0, 0, 2.0, -0.1 }, { 0, 0, 2.0, 0.1 } };
    world *w = bluff_world(extra, 2);
    o = h_overseer_with(w, &p);
    for (int kind = 0; kind < 2; kind++) {
        dp = dparams(20, (debaters_kind)kind, 0);
        assert_null(debate_new(o, &dp, 1, 1, &err));
        assert_msg_is(err, kind == 0 ? "optimal debaters at 20 reveals over the 3 hidden slots "
                      "of (context 'c0': 'b0' vs 'b1') play 1.04e+06 claim sequences, above "
                      "the limit of 1000000: lower 'reveals'"
                      : "trained debaters at 20 reveals over the 3 hidden slots of (context "
                      "'c0': 'b0' vs 'b1') play 1.04e+06 claim sequences, above the limit of "
                      "1000000: lower 'reveals'");
    }
    dp = dparams(19, DEBATERS_OPTIMAL, 0);
    debate *d = debate_new(o, &dp, 1, 1, &err);
    assert_non_null(d);
    assert_close(debate_minimax_value(d, 0, 0, 1), 1, 0);
    assert_int_equal(overseer_set_debate(o, d, &err), 0);
    assert_int_equal(overseer_set_debate(o, d, &err), OS_EINVAL);
    assert_int_equal(overseer_add_bias(o, 0, 0, 1, &err), OS_EINVAL); /* fixed now */
    assert_msg_has(err, "already built");
    overseer_params hp = p;
    hp.kind = OVERSEER_HUMAN;
    overseer *h = h_overseer_with(w, &hp);
    assert_null(debate_new(h, &dp, 1, 1, &err));
    assert_int_equal(overseer_set_debate(h, d, &err), OS_EINVAL);
    debate_free(d);
    overseer_free(h);
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_honest_wins_when_verifiable),
        cmocka_unit_test(test_liar_wins_beyond_verification),
        cmocka_unit_test(test_liar_wins_weak_judge),
        cmocka_unit_test(test_k0_is_judge_alone),
        cmocka_unit_test(test_random_reveals_exact),
        cmocka_unit_test(test_trained_reaches_minimax),
        cmocka_unit_test(test_ties_and_orders),
        cmocka_unit_test(test_minimax_brute_force),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
