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
    const double want[4] = { 0, 1.0 / 3, 2.0 / 3, 1 };
    for (int k = 0; k <= 3; k++) {
        overseer *o;
        debate_params dp = dparams(k, DEBATERS_RANDOM, 0);
        debate *d = h_debate(w, &p, &dp, &o);
        debate_result r;
        assert_int_equal(debate_result_of(d, 0, 1, 0, &r), 0);
        assert_int_equal(r.slots, 3);
        assert_int_equal(r.verifiable, 3);
        assert_int_equal(r.honest, LABEL_SECOND);
        assert_close(r.honest_wins, want[k], 1e-15);
        assert_close(r.claims, k, 0);
        assert_close(debate_accuracy(d), want[k], 1e-15);
        /* the expected perceived value of the bluff: -0.9 once revealed */
        assert_close(r.u[0], 1.1 - 2.0 * k / 3, 1e-15);
        gsl_rng *g = rng_new(3, 1);
        int right = 0, n = 30000;
        double cost = 0;
        for (int i = 0; i < n; i++) {
            overseer_outcome out;
            overseer_judge(o, 0, 1, 0, g, &out);
            right += out.label == LABEL_SECOND;
            cost += out.cost;
            assert_int_equal(out.found, k);
        }
        assert_close((double)right / n, want[k], 0.012);
        assert_close(cost / n, 1 + 0.25 * k, 1e-12);
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
    dp.rounds = 40, dp.games = 8;
    d = h_debate(w, &p, &dp, &o);
    debate_result_of(d, 0, 0, 1, &r);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
