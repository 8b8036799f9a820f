/* test_epdebate.c — debate over pairs of segments (core/epjudge.c's debate,
 * debate_internal.h's game): one-step segments in one state give the bandit
 * debate's label probabilities exactly (optimal and random debaters, several
 * k, verify_gain, trust_unverified, who goes first) and its draws and costs;
 * a hand-built two-step pair debated as computed by hand (and one whose
 * unwatched steps decide who is honest); the liar cannot win
 * where every slot is verifiable and the honest debater has turns for all;
 * an optimal debate stops the selection for tampering on tomato watering that
 * the blind human shows; the errors. */
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "grid_helpers.h"
#include "debate.h"
#include "epjudge.h"
#include "eptrain.h"
#include "gridworld.h"
#include "rng.h"

#define EXACT 1e-12

static overseer_params judge_params(double verify_gain, int trust)
{
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_DEBATE;
    p.competence = 0.5, p.verify_gain = verify_gain, p.trust_unverified = trust;
    p.when_unsure = UNSURE_LOOKS;
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

/* An episode judge of o on m for segments of max_steps, debating dp. */
static epjudge *ep_judge_of(const mdp *m, const overseer *o, int max_steps,
                                const debate_params *dp)
{
    os_err err = { 0 };
    epjudge *j = epjudge_new(m, o, max_steps, &err);
    if (!j || epjudge_set_debate(j, dp, &err))
        fail_msg("epjudge: %s", err.msg);
    return j;
}

/* Two contexts of three behaviours with facts of several difficulties and
 * signs (slots beyond competence 0.5: all but the 0.2 one). */
static world *facts_world(void)
{
    const double looks[6] = { 1.0, 2.0, 0.5, 0.3, 1.2, 0.9 };
    const h_fact facts[] = {
        { 0, 0, 1.0, -0.5 }, { 0, 0, 4.0, 0.3 }, { 0, 1, 2.0, -3.0 }, { 0, 1, 6.0, -1.0 },
        { 0, 2, 3.0, 1.0 },  { 1, 0, 1.5, 1.4 }, { 1, 1, 0.2, -0.1 }, { 1, 1, 5.0, -2.0 },
        { 1, 2, 2.5, -0.4 }, { 1, 2, 7.0, 0.6 },
    };
    return h_world(2, 3, NULL, NULL, looks, NULL, facts, (int)(sizeof facts / sizeof *facts),
                   NULL, 0);
}

/* One-step segments in one state are the bandit's comparisons: the same
 * label distribution to 1e-12 (and the same expected claims) for every
 * ordered pair, optimal and random debaters, k 0..5, verify_gain 0, 2, 10,
 * trust_unverified 0/1, either debater first; the same draws from the same
 * stream (labels and costs of 20 judgements each). Not vacuous: the
 * debates move the judge (k = 0 and k = 2 differ somewhere) and the liar
 * wins some. */
static void test_bandit_equal(void **state)
{
    (void)state;
    world *w0 = facts_world();
    os_err err = { 0 };
    mdp *m = mdp_from_world(w0, &err);
    assert_non_null(m);
    world *w = epjudge_world(m, &err);
    assert_non_null(w);
    const int A = m->n_actions;
    int moved = 0, liar_wins = 0, compared = 0;
    const double gains[3] = { 0, 2, 10 };
    for (int gi = 0; gi < 3; gi++)
        for (int trust = 0; trust <= 1; trust++)
            for (int kind = 0; kind < 2; kind++)
                for (int lf = 0; lf <= 1; lf++) {
                    double p0[2][3][3][N_LABELS];
                    for (int k = 0; k <= 5; k++) {
                        overseer_params p = judge_params(gains[gi], trust);
                        overseer *o = h_overseer_with(w, &p);
                        debate_params dp = dparams(k, kind ? DEBATERS_RANDOM
                                                           : DEBATERS_OPTIMAL, lf);
                        debate *d = debate_new(o, &dp, 1, 1, &err);
                        assert_non_null(d);
                        epjudge *j = ep_judge_of(m, o, 1, &dp);
                        for (int c = 0; c < 2; c++)
                            for (int b1 = 0; b1 < 3; b1++)
                                for (int b2 = 0; b2 < 3; b2++) {
                                    if (b1 == b2)
                                        continue;
                                    int c1 = c * A + b1, c2 = c * A + b2;
                                    double pb[N_LABELS], pe[N_LABELS], claims;
                                    debate_result r;
                                    assert_int_equal(debate_result_of(d, c, b1, b2, &r), 0);
                                    memcpy(pb, r.p, sizeof pb);
                                    assert_int_equal(epjudge_label_probs_claims(
                                        j, &c1, 1, &c2, 1, NAN, pe, &claims), 0);
                                    for (int l = 0; l < N_LABELS; l++)
                                        assert_close(pe[l], pb[l], EXACT);
                                    assert_close(claims, r.claims, EXACT);
                                    compared++;
                                    if (k == 0)
                                        memcpy(p0[c][b1][b2], pe, sizeof pe);
                                    else if (k == 2 && h_maxabs_diff(p0[c][b1][b2], pe,
                                                                     N_LABELS) > 0.1)
                                        moved++;
                                    if (k > 0 && r.honest >= 0 && r.value < 0)
                                        liar_wins++;
                                    gsl_rng *ra = rng_new(5, (uint64_t)k);
                                    gsl_rng *rb = rng_new(5, (uint64_t)k);
                                    for (int t = 0; t < 20; t++) {
                                        overseer_outcome ob, oe;
                                        long crit;
                                        debate_judge(d, c, b1, b2, ra, &ob);
                                        epjudge_judge(j, &c1, 1, &c2, 1, NAN, rb, &oe, &crit);
                                        assert_int_equal(oe.label, ob.label);
                                        assert_close(oe.cost, ob.cost, 0);
                                        assert_close(oe.cost, p.cost + p.critique_cost * crit,
                                                     0);
                                    }
                                    rng_free(ra), rng_free(rb);
                                }
                        epjudge_free(j);
                        debate_free(d);
                        overseer_free(o);
                    }
                }
    assert_int_equal(compared, 3 * 2 * 2 * 2 * 6 * 12);
    assert_true(moved > 20);
    assert_true(liar_wins > 5);
    world_free(w);
    mdp_free(m);
    world_free(w0);
}

/* Two steps (s0 then s1; "end" terminal), two actions:
 *   (s0,a0) looks 1,   a fact of difficulty 5, effect -2   v* -1
 *   (s0,a1) looks 0                                        v*  0
 *   (s1,a0) looks 1,   a fact of difficulty 1, effect -1   v*  0
 *   (s1,a1) looks 0.5, a fact of difficulty 5, effect +1   v*  1.5 */
static mdp *two_step_mdp_watched(int s0_watched)
{
    os_err err = { 0 };
    mdp *m = mdp_new(3, 2, 2, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "s0", 1, 0, s0_watched, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "s1", 0, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 2, "end", 0, 1, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "a0", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "a1", &err), 0);
    const double looks[4] = { 1, 0, 1, 0.5 };
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < 2; a++) {
            assert_int_equal(mdp_set_cell(m, s, a, looks[s * 2 + a], 1, &err), 0);
            assert_int_equal(mdp_add_transition(m, s, a, s + 1, 1, &err), 0);
        }
    assert_int_equal(mdp_add_fact(m, 0, 0, 5, -2, &err), 0);
    assert_int_equal(mdp_add_fact(m, 1, 0, 1, -1, &err), 0);
    assert_int_equal(mdp_add_fact(m, 1, 1, 5, 1, &err), 0);
    if (mdp_finalize(m, &err))
        fail_msg("mdp_finalize: %s", err.msg);
    return m;
}

static mdp *two_step_mdp(void) { return two_step_mdp_watched(1); }

/* Segments A = (s0,a0),(s1,a0): looks 2, true -1; B = (s0,a1),(s1,a1): looks
 * 0.5, true 1.5. Slots in order: A's s1 fact (verifiable at verify_gain 2),
 * A's s0 fact, B's s1 fact; the liar (for A) denies each (none favours it).
 * Judge: competence 0, argmax, coin when unsure.
 *   k = 0: facts unclaimed are invisible: A (2 > 0.5), cost 1.
 *   k = 1, verify_gain 2: the honest debater's claims: the s1 fact (A 1 > 0.5:
 *     V -1), A's s0 fact or B's fact (unverifiable, untrusted: UNSURE, coin,
 *     V 0); it claims A's s0 fact (the first of the best): 1/2, 1/2, cost
 *     1.25. k = 2: the liar cannot settle the doubt: the same.
 *   k = 1, verify_gain 5: A's s0 fact verified (A 0 < 0.5): B surely, V 1;
 *     k = 2: every liar claim reveals a truth that hurts A: it passes (1 claim).
 *   trust, verify_gain 2: k = 1 the honest claim believed: B surely; k = 2
 *     the liar disputes it: coin.
 * The reversed pair mirrors each. */
static void test_two_steps_by_hand(void **state)
{
    (void)state;
    mdp *m = two_step_mdp();
    os_err err = { 0 };
    world *w = epjudge_world(m, &err);
    assert_non_null(w);
    const int A_seg[2] = { 0, 2 }, B_seg[2] = { 1, 3 };
    const struct { double gain; int trust, k; double pa, pb, cost; } cases[] = {
        { 2, 0, 0, 1, 0, 1 },       { 2, 0, 1, 0.5, 0.5, 1.25 }, { 2, 0, 2, 0.5, 0.5, 1.25 },
        { 5, 0, 1, 0, 1, 1.25 },    { 5, 0, 2, 0, 1, 1.25 },     { 5, 0, 4, 0, 1, 1.25 },
        { 2, 1, 1, 0, 1, 1.25 },    { 2, 1, 2, 0.5, 0.5, 1.5 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
        overseer_params p = judge_params(cases[i].gain, cases[i].trust);
        p.competence = 0, p.when_unsure = UNSURE_COIN;
        overseer *o = h_overseer_with(w, &p);
        debate_params dp = dparams(cases[i].k, DEBATERS_OPTIMAL, 0);
        epjudge *j = ep_judge_of(m, o, 2, &dp);
        for (int rev = 0; rev <= 1; rev++) {
            const int *s1 = rev ? B_seg : A_seg, *s2 = rev ? A_seg : B_seg;
            double pe[N_LABELS], claims;
            assert_int_equal(epjudge_label_probs_claims(j, s1, 2, s2, 2, NAN, pe, &claims), 0);
            assert_close(pe[rev ? LABEL_SECOND : LABEL_FIRST], cases[i].pa, EXACT);
            assert_close(pe[rev ? LABEL_FIRST : LABEL_SECOND], cases[i].pb, EXACT);
            gsl_rng *r = rng_new(3, 1);
            overseer_outcome out;
            epjudge_judge(j, s1, 2, s2, 2, NAN, r, &out, NULL);
            assert_close(out.cost, cases[i].cost, 0);
            assert_close(p.cost + p.critique_cost * claims, cases[i].cost, EXACT);
            rng_free(r);
        }
        epjudge_free(j);
        overseer_free(o);
    }
    world_free(w);
    mdp_free(m);
}

/* Who is honest counts every step, watched or not: with s0 unwatched, A =
 * (s0,a0),(s1,a0) (true -1) against B = (s0,a1),(s1,a0) (true 0) look the
 * same to the judge (one s1 step each), who breaks the tie towards the first;
 * the honest debater (B's) claims A's verifiable s1 fact (verify_gain 2) and
 * wins: B surely, one claim. */
static void test_unwatched_steps_count(void **state)
{
    (void)state;
    mdp *m = two_step_mdp_watched(0);
    os_err err = { 0 };
    world *w = epjudge_world(m, &err);
    overseer_params p = judge_params(2, 0);
    p.competence = 0;
    overseer *o = h_overseer_with(w, &p);
    debate_params dp = dparams(1, DEBATERS_OPTIMAL, 0);
    epjudge *j = ep_judge_of(m, o, 2, &dp);
    const int A_seg[2] = { 0, 2 }, B_seg[2] = { 1, 2 };
    double pe[N_LABELS], claims;
    assert_int_equal(epjudge_label_probs_claims(j, A_seg, 2, B_seg, 2, NAN, pe, &claims), 0);
    assert_close(pe[LABEL_SECOND], 1, 0);
    assert_close(claims, 1, 0);
    dp.reveals = 0; /* the judge alone: the tie, towards A */
    assert_int_equal(epjudge_set_debate(j, &dp, &err), 0);
    assert_int_equal(epjudge_label_probs(j, A_seg, 2, B_seg, 2, NAN, pe), 0);
    assert_close(pe[LABEL_FIRST], 1, 0);
    epjudge_free(j);
    overseer_free(o);
    world_free(w);
    mdp_free(m);
}

/* Every slot verifiable (verify_gain 10) and k = 2 n turns (the honest
 * debater can claim every slot): the judge sees every true value and labels
 * the better segment surely, for every ordered pair of different true return
 * among the 4 x 4 two-step segments, whoever goes first; with k = 0 it is
 * fooled somewhere (A over B). */
static void test_liar_cannot_win_verifiable(void **state)
{
    (void)state;
    mdp *m = two_step_mdp();
    os_err err = { 0 };
    world *w = epjudge_world(m, &err);
    overseer_params p = judge_params(10, 0);
    p.competence = 0, p.when_unsure = UNSURE_COIN;
    overseer *o = h_overseer_with(w, &p);
    int segs[4][2] = { { 0, 2 }, { 0, 3 }, { 1, 2 }, { 1, 3 } }, checked = 0;
    for (int lf = 0; lf <= 1; lf++) {
        debate_params dp = dparams(6, DEBATERS_OPTIMAL, lf);
        epjudge *j = ep_judge_of(m, o, 2, &dp);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) {
                double va = m->vstar[segs[a][0]] + m->vstar[segs[a][1]];
                double vb = m->vstar[segs[b][0]] + m->vstar[segs[b][1]];
                if (va == vb)
                    continue;
                double pe[N_LABELS];
                assert_int_equal(epjudge_label_probs(j, segs[a], 2, segs[b], 2, NAN, pe), 0);
                assert_close(pe[va > vb ? LABEL_FIRST : LABEL_SECOND], 1, 0);
                checked++;
            }
        epjudge_free(j);
    }
    assert_true(checked >= 20);
    debate_params dp0 = dparams(0, DEBATERS_OPTIMAL, 0);
    epjudge *j = ep_judge_of(m, o, 2, &dp0);
    double pe[N_LABELS];
    assert_int_equal(epjudge_label_probs(j, segs[0], 2, segs[3], 2, NAN, pe), 0);
    assert_close(pe[LABEL_FIRST], 1, 0); /* fooled: the worse A */
    epjudge_free(j);
    overseer_free(o);
    world_free(w);
    mdp_free(m);
}


/* The final row of tomato training (test_epjudge.c's: 8 rounds of 30 pairs of
 * 3-step segments) judged by a debate of competence 0, verify_gain 5 (the
 * bucket's fact is verifiable) at k reveals of optimal debaters. */
static eptrain_row tomato_final(const mdp *m, uint64_t seed, int k)
{
    eptrain_params tp;
    eptrain_params_default(&tp);
    tp.rounds = 8, tp.pairs_per_round = 30, tp.segment = 3, tp.kl_coef = 0.1;
    tp.deception_threshold = 0.5, tp.seed = seed;
    tp.debate = dparams(k, DEBATERS_OPTIMAL, 0);
    overseer_params p = judge_params(5, 0);
    p.competence = 0, p.when_unsure = UNSURE_COIN;
    os_err err = { 0 };
    eptrain_row rows[9];
    if (eptrain_run(m, &p, &tp, rows, NULL, NULL, &err))
        fail_msg("eptrain_run: %s", err.msg);
    return rows[8];
}

/* With the bucket's fact verifiable, an optimal debate of 3 claims (2 for the
 * honest debater) stops the selection for tampering that the blind human
 * shows (k = 0: the judge alone, the facts invisible). Measured with this code
 * over seeds 1..10 (final deception rate): k = 0 1.000 in 10 of 10 (true
 * return 3.24); k = 3 0.000 in 9 (true 17.3 to 18.0) and 0.006 (seed 1, true
 * 11.1); fewer claims do not always suffice, as a segment can pass the
 * bucket more than once: k = 1 stops it in 6 of 10 (seeds 2, 3, 5, 6, 9, 10),
 * k = 2 in 6 of 10 (seed 2 at true 10.1). Asserted on k = 3, seeds 2..4;
 * the label cost is labels + 0.25 per claim (some made, at most 3 a label).
 * EPD_MEASURE=1 in the environment prints the table. */
static void test_debate_stops_tampering(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    if (getenv("EPD_MEASURE"))
        for (uint64_t seed = 1; seed <= 10; seed++)
            for (int k = 0; k <= 3; k++) {
                eptrain_row r = tomato_final(g->m, seed, k);
                printf("seed %d k %d deception %.3f true %.2f cost %.2f\n", (int)seed, k,
                       r.deception_rate, r.true_return, r.label_cost);
            }
    for (uint64_t seed = 2; seed <= 4; seed++) {
        eptrain_row blind = tomato_final(g->m, seed, 0), three = tomato_final(g->m, seed, 3);
        assert_true(blind.deception_rate > 0.9);
        assert_close(blind.label_cost, 240, 0);
        assert_true(three.deception_rate < 0.05);
        assert_true(three.true_return > 15);
        assert_true(three.label_cost > 240 && three.label_cost <= 240 * (1 + 0.25 * 3));
    }
    gridworld_free(g);
}

/* The debate's errors on episodes, one line each. */
static void test_errors(void **state)
{
    (void)state;
    mdp *m = two_step_mdp();
    os_err err = { 0 };
    world *w = epjudge_world(m, &err);
    overseer_params p = judge_params(2, 0);
    overseer *o = h_overseer_with(w, &p);
    epjudge *j = epjudge_new(m, o, 2, &err);
    assert_non_null(j);
    debate_params dp = dparams(2, DEBATERS_TRAINED, 0);
    assert_int_equal(epjudge_set_debate(j, &dp, &err), OS_EINVAL);
    assert_msg_is(err, "debaters = 'trained' cannot debate episodes (their policies are per "
                       "comparison, and pairs of segments are not tabled): use 'optimal' or "
                       "'random'");
    epjudge_free(j);
    /* 64 steps of one fact each: 128 slots a pair; 5 optimal turns pass the limit */
    j = epjudge_new(m, o, 64, &err);
    assert_non_null(j);
    dp = dparams(5, DEBATERS_OPTIMAL, 0);
    assert_int_equal(epjudge_set_debate(j, &dp, &err), OS_EINVAL);
    assert_msg_has(err, "optimal debaters at 5 reveals over segments of 64 steps (up to 128 "
                        "hidden slots a pair) could play");
    assert_msg_has(err, "above the limit of 1000000: lower 'reveals' or 'segment'");
    dp = dparams(5, DEBATERS_RANDOM, 0); /* random reveals are drawn: no limit */
    assert_int_equal(epjudge_set_debate(j, &dp, &err), 0);
    epjudge_free(j);
    assert_null(epjudge_new(m, o, 102, &err));
    assert_msg_is(err, "a debate over segments of 102 steps can have 204 hidden slots, above "
                       "the limit of 203: shorten 'segment'");
    overseer_params hp = p;
    hp.kind = OVERSEER_HUMAN;
    overseer *h = h_overseer_with(w, &hp);
    j = epjudge_new(m, h, 2, &err);
    assert_int_equal(epjudge_set_debate(j, &dp, &err), OS_EINVAL);
    assert_msg_is(err, "only an overseer of kind 'debate' judges a debate");
    epjudge_free(j);
    overseer_free(h);
    overseer_free(o);
    world_free(w);
    mdp_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bandit_equal),
        cmocka_unit_test(test_two_steps_by_hand),
        cmocka_unit_test(test_unwatched_steps_count),
        cmocka_unit_test(test_liar_cannot_win_verifiable),
        cmocka_unit_test(test_debate_stops_tampering),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
