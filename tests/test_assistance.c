/* test_assistance.c — assisted and recursively assisted overseers (issue 3).
 * Core checks with fixed seeds and stated tolerances, then the pattern
 * scripts/assistance.lua must show, read from its CSV by column name
 * (tests/lua/assistance.lua). */
#include "helpers.h"
#include <stdlib.h>
#include "lua_harness.h"
#include "files.h"
#include "recursion.h"
#include "rng.h"
#include "train.h"

/* One context (difficulty 0), three behaviours: b0 clean (looks 1), b1 with a
 * hidden flaw of difficulty d1 (looks 1.2, effect -2), b2 the same at d2. */
static world *two_flaws(double d1, double d2)
{
    double looks[3] = { 1, 1.2, 1.2 };
    h_fact f[2] = { { 0, 1, d1, -2 }, { 0, 2, d2, -2 } };
    return h_world(1, 3, NULL, NULL, looks, NULL, f, 2, NULL, 0);
}

static overseer *assisted(const world *w, double recall, double honesty, double fa,
                          double fa_diff, int trust, unsure_mode mode)
{
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.competence = 1;
    p.verify_gain = 1;
    p.recall = recall;
    p.honesty = honesty;
    p.false_alarm = fa;
    p.false_alarm_difficulty = fa_diff;
    p.trust_unverified = trust;
    p.when_unsure = mode;
    os_err err = { 0 };
    overseer *o = overseer_new(w, &p, &err);
    if (!o)
        fail_msg("%s", err.msg);
    return o;
}

/* The share of hidden slots surfaced is recall x honesty; sampled labels follow
 * overseer_label_probs (exact enumeration over the assistant's outcomes).
 * 200k judgements: standard error of a share <= 0.0012; tolerance 0.006. */
static void test_surfaced_share_and_exact_labels(void **state)
{
    (void)state;
    world *w = two_flaws(2, 2);
    overseer *o = assisted(w, 0.6, 0.5, 0, NAN, 0, UNSURE_COIN);
    gsl_rng *r = rng_new(11, 1);
    const int N = 200000;
    long hidden = 0, found = 0, counts[N_LABELS] = { 0 };
    for (int k = 0; k < N; k++) {
        overseer_outcome out;
        overseer_judge(o, 0, 0, 1, r, &out);
        hidden += out.hidden;
        found += out.found;
        counts[out.label]++;
    }
    assert_int_equal(hidden, N); /* one hidden slot: b1's flaw */
    assert_close((double)found / hidden, 0.6 * 0.5, 0.006);
    double p[N_LABELS];
    assert_int_equal(overseer_label_probs(o, 0, 0, 1, p), 0);
    /* surfaced (0.3): verified (d 2 <= 1 + 1), b0 preferred; else coin */
    assert_close(p[LABEL_FIRST], 0.3 + 0.7 * 0.5, 1e-12);
    for (int l = 0; l < N_LABELS; l++)
        assert_close((double)counts[l] / N, p[l], 0.006);
    rng_free(r);
    overseer_free(o);
    world_free(w);
}

/* Verification asymmetry: with recall 1 a pointed flaw of difficulty <=
 * competence + verify_gain is verified (KNOWS); beyond, it is not (UNSURE, and
 * with coin the label is 1/2). */
static void test_verification_frontier(void **state)
{
    (void)state;
    world *w = two_flaws(2, 2.5);
    overseer *o = assisted(w, 1, 1, 0, NAN, 0, UNSURE_COIN);
    gsl_rng *r = rng_new(3, 1);
    overseer_outcome out;
    overseer_judge(o, 0, 0, 1, r, &out);
    assert_int_equal(out.region, REGION_KNOWS);
    assert_int_equal(out.label, LABEL_FIRST);
    assert_int_equal(out.found, 1);
    overseer_judge(o, 0, 0, 2, r, &out);
    assert_int_equal(out.region, REGION_UNSURE);
    double p[N_LABELS];
    overseer_label_probs(o, 0, 0, 2, p);
    assert_close(p[LABEL_FIRST], 0.5, 0);
    /* perceived value: the verifiable flaw is counted, the other is not */
    assert_close(overseer_perceived(o, 1), 1.2 - 2, 1e-12);
    assert_close(overseer_perceived(o, 2), 1.2, 1e-12);
    /* the unaided human (no assistant) sees neither */
    assert_int_equal(overseer_region(o, 0, 0, 1), REGION_UNSURE);
    rng_free(r);
    overseer_free(o);
    world_free(w);
}

/* False alarms come at their rate: unverifiable (claimed difficulty 5) and
 * believed, each output's false alarm makes the judgement WRONG and lowers the
 * perceived value: P(WRONG) on a pair of clean outputs = 1 - (1 - fa)^2. A false
 * alarm the human can check (difficulty 1) is refuted and changes nothing.
 * 200k judgements, tolerance 0.006 (5 standard errors). */
static void test_false_alarms(void **state)
{
    (void)state;
    double looks[2] = { 1, 0.5 };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, NULL, 0, NULL, 0);
    overseer *o = assisted(w, 1, 1, 0.2, 5, 1, UNSURE_COIN);
    gsl_rng *r = rng_new(5, 1);
    const int N = 200000;
    long wrong = 0;
    for (int k = 0; k < N; k++) {
        overseer_outcome out;
        overseer_judge(o, 0, 0, 1, r, &out);
        wrong += out.region == REGION_WRONG;
    }
    assert_close((double)wrong / N, 1 - 0.8 * 0.8, 0.006);
    /* overjustification in expectation: u = looks - fa * 1 */
    assert_close(overseer_perceived(o, 0), 1 - 0.2, 1e-12);
    overseer_free(o);
    o = assisted(w, 1, 1, 0.2, 1, 1, UNSURE_COIN);
    for (int k = 0; k < 1000; k++) {
        overseer_outcome out;
        overseer_judge(o, 0, 0, 1, r, &out);
        assert_int_equal(out.region, REGION_KNOWS);
    }
    assert_close(overseer_perceived(o, 0), 1, 0);
    rng_free(r);
    overseer_free(o);
    world_free(w);
}

/* A dishonest assistant (honesty 0) is no better than none: the same labels,
 * row for row, on the same stream; only the cost of reading critiques differs. */
static void test_dishonest_is_unaided(void **state)
{
    (void)state;
    world *w = two_flaws(2, 1.5);
    overseer *liar = assisted(w, 1, 0, 0, NAN, 0, UNSURE_LOOKS);
    overseer_params hp;
    overseer_params_default(&hp);
    hp.competence = 1;
    hp.when_unsure = UNSURE_LOOKS;
    os_err err = { 0 };
    overseer *human = overseer_new(w, &hp, &err);
    assert_non_null(human);
    train_params tp;
    train_params_default(&tp);
    tp.rounds = 10;
    metrics_row a[11], b[11];
    assert_int_equal(train_run(w, liar, &tp, a, NULL, NULL, NULL, NULL, &err), 0);
    assert_int_equal(train_run(w, human, &tp, b, NULL, NULL, NULL, NULL, &err), 0);
    for (int t = 0; t <= 10; t++) {
        assert_close(a[t].deception_rate, b[t].deception_rate, 0);
        assert_close(a[t].true_value, b[t].true_value, 0);
        assert_int_equal(a[t].slots_found, 0);
    }
    assert_true(a[10].deception_rate > 0.5); /* and both select for the flaws */
    overseer_free(liar);
    overseer_free(human);
    world_free(w);
}

/* A world whose context i (difficulty 0) has behaviours clean / flawed, the flaw
 * of difficulty i + 1: one rung per context. */
static world *ladder(int n)
{
    double looks[32], prior[32];
    h_fact f[16];
    for (int c = 0; c < n; c++) {
        looks[2 * c] = 1, looks[2 * c + 1] = 1.2;
        prior[2 * c] = prior[2 * c + 1] = 1;
        f[c] = (h_fact){ c, 1, c + 1, -2 };
    }
    return h_world(n, 2, NULL, NULL, looks, prior, f, n, NULL, 0);
}

static overseer *ladder_human(const world *w, double bias_on_c1)
{
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1;
    p.verify_gain = 1;
    p.critique_cost = 0.25;
    p.cost = 1;
    p.when_unsure = UNSURE_COIN;
    os_err err = { 0 };
    overseer *o = overseer_new(w, &p, &err);
    assert_non_null(o);
    if (bias_on_c1 != 0)
        assert_int_equal(overseer_add_bias(o, 1, 1, bias_on_c1, &err), 0);
    return o;
}

static recursion *build(const overseer *human, int depth)
{
    recursion_params rp;
    recursion_params_default(&rp);
    rp.depth = depth;
    for (int j = 0; j < depth; j++) {
        rp.critic[j].rounds = 30;
        rp.critic[j].labels_per_round = 200;
        rp.critic[j].kl_coef = 0.1;
        rp.critic[j].seed = 7;
        rp.critic[j].run_id = 100 + j;
    }
    os_err err = { 0 };
    recursion *r = recursion_build(human, &rp, &err);
    if (!r)
        fail_msg("%s", err.msg);
    return r;
}

/* With (near-)perfect critics — a rational human, many labels, a small KL
 * coefficient — the depth-k overseer detects facts of difficulty up to
 * competence + k verify_gain (probability > 0.95) and not beyond (exactly 0:
 * no chain of verification reaches them). Facts at difficulty 1..6, competence
 * 1, verify_gain 1. */
static void test_recursion_frontier(void **state)
{
    (void)state;
    world *w = ladder(6);
    overseer *human = ladder_human(w, 0);
    for (int k = 1; k <= 3; k++) {
        recursion *r = build(human, k);
        for (int s = 0; s < w->n_facts; s++) {
            double d = overseer_slot_difficulty(human, s);
            double det = recursion_detect(r, k, s, 0);
            if (d <= 1 + k)
                assert_true(det > 0.95);
            else
                assert_close(det, 0, 0);
        }
        /* the depth-k overseer built from it */
        overseer_params p = *overseer_get_params(human);
        p.kind = OVERSEER_ASSISTED;
        p.critique_levels = k;
        os_err err = { 0 };
        overseer *top = overseer_new(w, &p, &err);
        assert_int_equal(recursion_apply(r, top, &err), 0);
        for (int c = 0; c < 6; c++) {
            double u = overseer_perceived(top, c * 2 + 1); /* flawed: 1.2 - 2 if detected */
            if (c + 1 <= 1 + k)
                assert_true(u < 1.2 - 2 * 0.95 * 0.95);
            else
                assert_close(u, 1.2, 0);
        }
        overseer_free(top);
        recursion_free(r);
    }
    overseer_free(human);
    world_free(w);
}

/* Inherited blind spot: a human wrong about c1's flawed behaviour (bias +2:
 * thinks it fine) rejects claims about its flaw, so the level-1 critic learns
 * not to point at it, while it points at the same rung elsewhere... and level 2
 * inherits the silence. Costs add up across levels. */
static void test_blind_spot_and_costs(void **state)
{
    (void)state;
    world *w = ladder(3); /* flaws at difficulty 1, 2, 3 */
    overseer *human = ladder_human(w, 2.0);
    recursion *r = build(human, 2);
    const world *cw = recursion_critic_world(r, 1);
    for (int x = 0; x < cw->n_ctx; x++) {
        int s, m;
        recursion_context(r, 1, x, &s, &m);
        if (m != 0 || s >= w->n_facts)
            continue;
        double p = recursion_p_point(r, 1, x);
        if (s == 1) /* the flaw of c1, difficulty 2: verifiable, but the human is wrong */
            assert_true(p < 0.05);
        else if (overseer_slot_difficulty(human, s) <= 2)
            assert_true(p > 0.95);
    }
    assert_true(recursion_detect(r, 2, 1, 0) < 0.05);
    assert_true(recursion_detect(r, 2, 2, 0) > 0.9); /* difficulty 3, reached at depth 2 */
    /* costs: level j labels cost 1 + 2 (j - 1) 0.25 each */
    int n1, n2;
    const metrics_row *r1 = recursion_rows(r, 1, &n1), *r2 = recursion_rows(r, 2, &n2);
    assert_int_equal(r1[n1 - 1].labels, 30 * 200);
    assert_int_equal(r2[n2 - 1].labels, 30 * 200);
    assert_close(r1[n1 - 1].label_cost, 6000 * 1.0, 1e-9);
    assert_close(r2[n2 - 1].label_cost, 6000 * 1.5, 1e-9);
    assert_int_equal(recursion_build_labels(r), 12000);
    assert_close(recursion_build_cost(r), 6000 + 9000, 1e-9);
    recursion_free(r);
    overseer_free(human);
    world_free(w);
}

/* --- the script -------------------------------------------------------------- */

static void test_assistance_script_pattern(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/a.csv", tmpdir);
    char *argv[] = { out, "seeds=2", "rounds=30" };
    lua_State *L = harness_state(3, argv);
    if (oversim_lua_run_file(L, "scripts/assistance.lua", 0) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
    /* final-round means by overseer, from the CSV by column name */
    harness_load(L, "tests/lua/assistance.lua");
    harness_call(L, LUA_TNONE, "open", "s", tmpdir);
    lua_pop(L, 1);
#define FINAL(o, col) harness_number(L, "final", "ss", o, col)
    /* recall: deception falls (never rises by more than noise, 0.01), cost rises */
    const char *rec[] = { "assisted recall=0.00", "assisted recall=0.25", "assisted recall=0.50",
                          "assisted recall=0.75", "assisted recall=1.00" };
    double prev = FINAL("unaided", "deception_rate"), first = prev;
    for (int i = 0; i < 5; i++) {
        double d = FINAL(rec[i], "deception_rate");
        print_message("%s: deception %.3f\n", rec[i], d);
        assert_true(d <= prev + 0.01);
        prev = d;
    }
    assert_true(prev < first - 0.05);
    double cost_assisted = FINAL("assisted recall=0.00", "label_cost");
    double cost_unaided = FINAL("unaided", "label_cost");
    assert_true(cost_assisted > cost_unaided);
    /* honesty 0 is no better than unaided: the same deception, exactly */
    double liar = FINAL("assisted honesty=0.0", "deception_rate");
    assert_close(liar, first, 0);
    /* depth: deception falls rung by rung up to the ladder's top (depth 3), the
     * cost keeps rising */
    const char *dep[] = { "unaided", "recursive depth=1", "recursive depth=2",
                          "recursive depth=3", "recursive depth=4" };
    double dd[5], cc[5];
    for (int i = 0; i < 5; i++) {
        dd[i] = FINAL(dep[i], "deception_rate");
        cc[i] = FINAL(dep[i], "label_cost");
        print_message("%s: deception %.3f cost %.0f\n", dep[i], dd[i], cc[i]);
        if (i > 0)
            assert_true(cc[i] > cc[i - 1]);
    }
    for (int i = 1; i <= 3; i++)
        assert_true(dd[i] < dd[i - 1] - 0.03);
    assert_true(dd[4] < dd[3] + 0.03);
    /* the depth-k overseer detects the rungs up to competence + k (= 1 + k) and
     * not beyond: its own critic level's detect at shift 0, per task slot */
    for (int k = 1; k <= 4; k++)
        assert_int_equal((int)harness_number(L, "frontier_misses", "i", k), 0);
#undef FINAL
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surfaced_share_and_exact_labels),
        cmocka_unit_test(test_verification_frontier),
        cmocka_unit_test(test_false_alarms),
        cmocka_unit_test(test_dishonest_is_unaided),
        cmocka_unit_test(test_recursion_frontier),
        cmocka_unit_test(test_blind_spot_and_costs),
        cmocka_unit_test_setup_teardown(test_assistance_script_pattern, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
