/* test_overseer_assisted.c — the assisted overseer (core/overseer.c,
 * overseer_judge.c): the parametric assistant, label probabilities over the
 * assistant's outcomes, claims that are false (a trained critic's false
 * alarms), and the random numbers a judgement spends. */
#include "helpers.h"
#include "rng.h"

/* exact closed forms agree to ~1e-16 (see test_overseer.c) */
#define EXACT 1e-12

/* One known context; b0 and b1 with looks 1, each with a flaw worth -1 of
 * difficulty d0 and d1. */
static world *two_flaws(double d0, double d1)
{
    const double looks[2] = { 1, 1 };
    const h_fact facts[2] = { { 0, 0, d0, -1 }, { 0, 1, d1, -1 } };
    return h_world(1, 2, NULL, NULL, looks, NULL, facts, 2, NULL, 0.5);
}

/* The parametric assistant and what it changes. World: one context (known),
 * b0 and b1 with looks 1, each with a flaw (effect -1): b0's of difficulty 2
 * (= competence 1 + verify_gain 1: verified, the boundary itself), b1's of
 * difficulty 3 (beyond verification). recall 0.8, honesty 1:
 *   p_point = 0.8 on both, p_verify = (1, 0);
 *   u_exp(b0) = 1 - 0.8 * 1 = 0.2; u_exp(b1) = 1 - 0.8 * 0 = 1, or with
 *   trust_unverified 1 - 0.8 * (0 + 1) = 0.2;
 *   label cost = cost + critique_cost * 2 * critique_levels. */
static void test_assisted_parametric(void **state)
{
    (void)state;
    world *w = two_flaws(2, 3);
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.competence = 1, p.verify_gain = 1, p.recall = 0.8;
    p.cost = 1, p.critique_cost = 0.25, p.critique_levels = 3;
    overseer *o = h_overseer_with(w, &p);
    assert_close(overseer_p_point(o)[0], 0.8, 0);
    assert_close(overseer_p_point(o)[1], 0.8, 0);
    assert_close(overseer_p_verify(o)[0], 1, 0);
    assert_close(overseer_p_verify(o)[1], 0, 0);
    assert_close(overseer_perceived(o, 0), 1 - 0.8, EXACT);
    assert_close(overseer_perceived(o, 1), 1, EXACT);
    assert_close(overseer_label_cost(o), 1 + 0.25 * 2 * 3, 0);
    overseer_free(o);
    p.trust_unverified = 1;
    o = h_overseer_with(w, &p);
    assert_close(overseer_perceived(o, 0), 1 - 0.8, EXACT);
    assert_close(overseer_perceived(o, 1), 1 - 0.8, EXACT);
    overseer_free(o);
    p.kind = OVERSEER_HUMAN; /* no critiques read, none paid */
    o = h_overseer_with(w, &p);
    assert_close(overseer_label_cost(o), 1, 0);
    overseer_free(o);
    world_free(w);
}

/* Label probabilities over the assistant's outcomes. b0's flaw pointed with
 * 0.8 and verified with 0.5: hidden 0.2, verified 0.4, pointed but not
 * verified 0.4 (not believed); b1's flaw never pointed. Unsure pairs judged by
 * what is believed (when_unsure looks), rationally: b0 loses only when its
 * flaw is verified, so P(first) = 0.6, P(second) = 0.4. */
static void test_assisted_label_probs(void **state)
{
    (void)state;
    world *w = two_flaws(5, 5);
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.when_unsure = UNSURE_LOOKS;
    overseer *o = h_overseer_with(w, &p);
    os_err err = { 0 };
    const double pp[3] = { 0.8, 0, 0 }, pv[3] = { 0.5, 0, 0 };
    assert_int_equal(overseer_set_assistance(o, pp, pv, &err), 0);
    double q[N_LABELS];
    assert_int_equal(overseer_label_probs(o, 0, 0, 1, q), 0);
    assert_close(q[LABEL_FIRST], 0.6, EXACT);
    assert_close(q[LABEL_SECOND], 0.4, EXACT);
    assert_close(q[LABEL_EQUAL], 0, 0);
    assert_close(q[LABEL_SKIP], 0, 0);
    overseer_free(o);
    world_free(w);
}

/* A false claim (overseer_set_claims): b0's flaw (-1) is pointed at surely
 * and verified with 0.25; a trusting overseer that cannot verify believes the
 * pointer's claim, +1 here (a trained critic's false alarm), instead of the
 * fact. Perceived b0 = 1 + 0.25 (-1) + 0.75 (+1) = 1.5; against b1 (looks 1,
 * its flaw hidden, judged by what is believed: 1) b0 wins when unverified
 * (0.75), loses when verified (0.25); believing the claim is being wrong. */
static void test_false_claims(void **state)
{
    (void)state;
    world *w = two_flaws(5, 5);
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.when_unsure = UNSURE_LOOKS, p.trust_unverified = 1;
    overseer *o = h_overseer_with(w, &p);
    os_err err = { 0 };
    const double pp[3] = { 1, 0, 0 }, pv[3] = { 0.25, 0, 0 }, claim[3] = { 1, -1, 0 };
    assert_int_equal(overseer_set_assistance(o, pp, pv, &err), 0);
    assert_close(overseer_perceived(o, 0), 1 - 1, EXACT); /* honest: believed either way */
    assert_int_equal(overseer_set_claims(o, claim, &err), 0);
    assert_close(overseer_perceived(o, 0), 1.5, EXACT);
    double q[N_LABELS];
    assert_int_equal(overseer_label_probs(o, 0, 0, 1, q), 0);
    assert_close(q[LABEL_FIRST], 0.75, EXACT);
    assert_close(q[LABEL_SECOND], 0.25, EXACT);
    gsl_rng *r = rng_new(5, 5);
    for (int t = 0; t < 200; t++) {
        overseer_outcome res;
        overseer_judge(o, 0, 0, 1, r, &res);
        assert_int_equal(res.region, res.label == LABEL_FIRST ? REGION_WRONG : REGION_UNSURE);
    }
    rng_free(r);
    const double bad[3] = { NAN, 0, 0 };
    assert_int_not_equal(overseer_set_claims(o, bad, &err), 0);
    assert_msg_has(err, "claim of slot 0 is not finite");
    /* a trained critic's false alarms: rate 0.5, refuted 0.2, claiming -2 */
    assert_int_equal(overseer_set_false_alarm(o, 0.5, 0.2, -2, &err), 0);
    assert_close(overseer_perceived(o, 1), 1 + 0.5 * 0.8 * -2, EXACT); /* flaw hidden */
    assert_int_not_equal(overseer_set_false_alarm(o, 1.5, 0.2, -2, &err), 0);
    overseer_free(o);
    world_free(w);
}

/* An event of probability 1 spends no random number: an overseer whose
 * assistant surely points and surely verifies draws one number per label,
 * exactly as one without an assistant. */
static void test_certain_events_spend_no_random_number(void **state)
{
    (void)state;
    const double looks[2] = { 1, 0 };
    const h_fact facts[2] = { { 0, 0, 5, -3 }, { 0, 1, 5, -1 } };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 2, NULL, 0.5);
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.beta = 1;
    overseer *o = h_overseer_with(w, &p);
    os_err err = { 0 };
    const double one[3] = { 1, 1, 1 };
    assert_int_equal(overseer_set_assistance(o, one, one, &err), 0);
    gsl_rng *a = rng_new(7, 3), *b = rng_new(7, 3);
    for (int t = 0; t < 10; t++) {
        overseer_outcome res;
        overseer_judge(o, 0, 0, 1, a, &res);
        assert_int_equal(res.hidden, 2);
        assert_int_equal(res.found, 2);
        assert_int_equal(res.region, REGION_KNOWS);
        (void)gsl_rng_uniform(b);
    }
    assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    rng_free(a), rng_free(b);
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assisted_parametric),
        cmocka_unit_test(test_assisted_label_probs),
        cmocka_unit_test(test_false_claims),
        cmocka_unit_test(test_certain_events_spend_no_random_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
