/* test_overseer.c — perceived values, regions, and label statistics against
 * their definitions (DESIGN.md §1 "Overseer", §3 last item: B-Pref's
 * teachers give label statistics matching their definitions), for unaided
 * overseers; B-Pref's get_label transcribed is in test_bpref.c, the
 * assistant's part in test_overseer_assisted.c. */
#include "helpers.h"
#include "rng.h"

/* Closed forms are a sigmoid and a few products; both sides compute them in
 * double precision, so they agree to ~1e-16. 1e-12 leaves room for a
 * differently arranged but equivalent formula and nothing else. */
#define EXACT 1e-12
#define NSAMP 100000

/* World A: context c0 (difficulty 0.5) and c1 (difficulty 2), three
 * behaviours, facts of difficulty below, at and above competence 1. */
static world *world_a(void)
{
    const double diff[2] = { 0.5, 2.0 };
    const double looks[6] = { 1.0, 2.0, 0.5,    /* c0 */
                              1.0, 0.5, 0.0 };  /* c1 */
    const h_fact facts[4] = {
        { 0, 0, 0.5, 0.5 },   /* discovered by competence 1 */
        { 0, 0, 1.0, -0.25 }, /* difficulty == competence: discovered */
        { 0, 1, 1.5, -2.0 },  /* beyond competence */
        { 1, 0, 0.5, -1.0 },  /* easy fact, but the context is beyond competence */
    };
    return h_world(2, 3, NULL, diff, looks, NULL, facts, 4, NULL, 0.5);
}

/* World B: one context, no facts, looks spread out (u = looks = v*). */
static world *world_b(void)
{
    const double looks[5] = { 0.0, 0.4, 1.0, -0.3, 0.4 };
    return h_world(1, 5, NULL, NULL, looks, NULL, NULL, 0, NULL, 0.5);
}

/* Label probabilities equal want exactly, and NSAMP sampled labels match
 * them within 5 standard errors sqrt(p (1-p) / n) (labels that cannot
 * occur: never). */
static void check_labels(const overseer *o, int c, int b1, int b2,
                         const double want[N_LABELS], uint64_t seed)
{
    double p[N_LABELS];
    overseer_label_probs(o, c, b1, b2, p);
    for (int k = 0; k < N_LABELS; k++)
        assert_close(p[k], want[k], EXACT);
    long n[N_LABELS] = { 0 };
    gsl_rng *r = rng_new(seed, 0);
    for (int t = 0; t < NSAMP; t++) {
        label_kind l = overseer_label(o, c, b1, b2, r);
        assert_in_range(l, 0, N_LABELS - 1);
        n[l]++;
    }
    rng_free(r);
    for (int k = 0; k < N_LABELS; k++) {
        if (want[k] == 0) {
            assert_int_equal(n[k], 0);
            continue;
        }
        assert_close((double)n[k] / NSAMP, want[k],
                     5 * sqrt(want[k] * (1 - want[k]) / NSAMP));
    }
}

/* b1 / b2 / equal / skip with P(b1) = p1 before a mistake rate e flips it */
static void bt(double p1, double e, double out[N_LABELS])
{
    out[LABEL_FIRST] = (1 - e) * p1 + e * (1 - p1);
    out[LABEL_SECOND] = 1 - out[LABEL_FIRST];
    out[LABEL_EQUAL] = out[LABEL_SKIP] = 0;
}

static void test_oracle(void **state)
{
    (void)state;
    world *w = world_a();
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    for (int i = 0; i < w->n_cells; i++)
        assert_close(overseer_perceived(o, i), w->vstar[i], 0);
    for (int c = 0; c < 2; c++)
        for (int b1 = 0; b1 < 3; b1++)
            for (int b2 = 0; b2 < 3; b2++)
                assert_int_equal(overseer_region(o, c, b1, b2), REGION_KNOWS);
    /* argmax on v*: in c1, v*(b0) = 0 < v*(b1) = 0.5 although looks say otherwise */
    double want[N_LABELS];
    bt(0.0, 0, want);
    check_labels(o, 1, 0, 1, want, 1);
    overseer_free(o);
    world_free(w);
}

static void test_competence(void **state)
{
    (void)state;
    world *w = world_a();
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 1.0, INFINITY);
    /* c0: b0 discovers both facts (difficulty 0.5 and 1.0); b1 misses its fact.
     * c1 is beyond competence: nothing is discovered, u = looks. */
    const double u[6] = { 1.25, 2.0, 0.5, 1.0, 0.5, 0.0 };
    for (int i = 0; i < 6; i++)
        assert_close(overseer_perceived(o, i), u[i], EXACT);
    assert_int_equal(overseer_region(o, 0, 0, 2), REGION_KNOWS);
    assert_int_equal(overseer_region(o, 0, 2, 0), REGION_KNOWS);
    assert_int_equal(overseer_region(o, 0, 0, 1), REGION_UNSURE);
    assert_int_equal(overseer_region(o, 0, 2, 1), REGION_UNSURE);
    /* c1: even the fact-free pair is unsure, the context is too hard */
    assert_int_equal(overseer_region(o, 1, 1, 2), REGION_UNSURE);
    assert_int_equal(overseer_region(o, 1, 0, 1), REGION_UNSURE);
    overseer_free(o);

    /* competence 0.75: the difficulty-1.0 fact is now missed */
    o = h_overseer(w, OVERSEER_HUMAN, 0.75, INFINITY);
    assert_close(overseer_perceived(o, 0), 1.5, EXACT);
    assert_int_equal(overseer_region(o, 0, 0, 2), REGION_UNSURE);
    overseer_free(o);
    /* competence 0.25: even context c0 is beyond it */
    o = h_overseer(w, OVERSEER_HUMAN, 0.25, INFINITY);
    assert_close(overseer_perceived(o, 0), 1.0, EXACT);
    overseer_free(o);
    world_free(w);
}

static void test_label_statistics(void **state)
{
    (void)state;
    world *w = world_b();
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 10; /* knows everything */
    p.beta = 1.5;
    double want[N_LABELS];

    /* Boltzmann: u = (0, 0.4, 1.0, -0.3, 0.4) */
    overseer *o = h_overseer_with(w, &p);
    bt(h_sigmoid(1.5 * 1.0), 0, want);
    check_labels(o, 0, 2, 0, want, 10);
    bt(h_sigmoid(1.5 * -0.4), 0, want);
    check_labels(o, 0, 0, 1, want, 11);
    overseer_free(o);

    /* mistake 0.2 flips */
    p.mistake = 0.2;
    o = h_overseer_with(w, &p);
    bt(h_sigmoid(1.5 * 1.3), 0.2, want);
    check_labels(o, 0, 2, 3, want, 12);
    overseer_free(o);

    /* skip when max(u1, u2) < 0.5; mistakes do not turn a skip into a label */
    p.skip_threshold = 0.5;
    o = h_overseer_with(w, &p);
    want[0] = want[1] = want[2] = 0, want[LABEL_SKIP] = 1;
    check_labels(o, 0, 0, 1, want, 13); /* max 0.4 */
    check_labels(o, 0, 3, 4, want, 14); /* max 0.4 */
    bt(h_sigmoid(1.5 * -1.0), 0.2, want);
    check_labels(o, 0, 0, 2, want, 15); /* max 1.0: labelled */
    overseer_free(o);

    /* equal when |u1 - u2| < 0.5 */
    p.skip_threshold = 0;
    p.equal_threshold = 0.5;
    o = h_overseer_with(w, &p);
    want[0] = want[1] = want[3] = 0, want[LABEL_EQUAL] = 1;
    check_labels(o, 0, 0, 1, want, 16); /* |du| = 0.4 */
    check_labels(o, 0, 4, 1, want, 17); /* tie */
    bt(h_sigmoid(1.5 * 0.6), 0.2, want);
    check_labels(o, 0, 2, 1, want, 18); /* |du| = 0.6: labelled */
    overseer_free(o);

    /* beta = infinity: argmax; a tie prefers the first (B-Pref's
     * rational_labels = 1*(s1 < s2)) */
    overseer_params_default(&p);
    p.competence = 10;
    o = h_overseer_with(w, &p);
    bt(1.0, 0, want);
    check_labels(o, 0, 1, 3, want, 19);
    bt(1.0, 0, want);
    check_labels(o, 0, 1, 4, want, 20);
    check_labels(o, 0, 4, 1, want, 22);
    overseer_free(o);
    /* beta = 0 is B-Pref's "beta <= 0": perfectly rational too */
    p.beta = 0;
    o = h_overseer_with(w, &p);
    bt(1.0, 0, want);
    check_labels(o, 0, 2, 3, want, 21);
    bt(0.0, 0, want);
    check_labels(o, 0, 3, 2, want, 23);
    overseer_free(o);
    world_free(w);
}

/* Soft discovery: a slot of difficulty d is discovered unaided with
 * probability sigma(s (competence - d)). On one context with b0 (looks 1, a
 * hidden -2 at difficulty 1.5) against b1 (looks 0.5), a human of competence
 * 1 and softness 4 discovers the fact with q = sigma(-2): then it prefers b1
 * (-1 < 0.5); otherwise the comparison is unsure and, judging by looks, it
 * prefers b0. So P(b1) = q exactly, its perceived value of b0 is 1 - 2q, and
 * a very large softness is the hard threshold again. Every slot is soft: a
 * context of difficulty 0 is understood with sigma(4 x 1). */
static void test_soft_discovery(void **state)
{
    (void)state;
    /* the context at difficulty -infinity: understood for sure, soft or not
     * (a context of difficulty 0 would be understood with sigma(4) only) */
    const double looks[2] = { 1.0, 0.5 }, diff[1] = { -INFINITY };
    const h_fact facts[1] = { { 0, 0, 1.5, -2.0 } };
    world *w = h_world(1, 2, NULL, diff, looks, NULL, facts, 1, NULL, 0);
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1, p.when_unsure = UNSURE_LOOKS, p.softness = 4;
    overseer *o = h_overseer_with(w, &p);
    double q = h_sigmoid(4 * (1 - 1.5)), lp[N_LABELS];
    assert_close(overseer_reach_prob(&p, 1, 1.5), q, EXACT);
    assert_int_equal(overseer_label_probs(o, 0, 0, 1, lp), 0);
    assert_close(lp[LABEL_SECOND], q, EXACT);
    assert_close(lp[LABEL_FIRST], 1 - q, EXACT);
    assert_close(overseer_perceived(o, 0), 1 - 2 * q, EXACT);
    /* sampled judgements agree, and count the slot as hidden only when missed */
    gsl_rng *r = rng_new(4, 4);
    long second = 0, hidden = 0;
    for (int t = 0; t < NSAMP; t++) {
        overseer_outcome out;
        overseer_judge(o, 0, 0, 1, r, &out);
        second += out.label == LABEL_SECOND;
        hidden += out.hidden;
        assert_int_equal(out.region, out.label == LABEL_SECOND ? REGION_KNOWS : REGION_UNSURE);
    }
    assert_close((double)second / NSAMP, q, 5 * sqrt(q * (1 - q) / NSAMP));
    assert_int_equal(hidden, NSAMP - second);
    rng_free(r);
    overseer_free(o);
    /* assisted: a pointer (recall 1) is verified with sigma(4 (1 + 1 - 1.5)),
     * a false alarm at difficulty 3 refuted with sigma(4 (2 - 3)) */
    p.kind = OVERSEER_ASSISTED, p.verify_gain = 1, p.reach = 10, p.recall = 1;
    p.honesty = 1, p.trust_unverified = 1, p.false_alarm = 0.5;
    p.false_alarm_effect = -10, p.false_alarm_difficulty = 3;
    o = h_overseer_with(w, &p);
    double v = h_sigmoid(4 * 0.5), vfa = h_sigmoid(-4);
    assert_close(overseer_reach_prob(&p, 2, 1.5), v, EXACT);
    /* believed: known or pointed (verified or trusted): all of it; plus the
     * false alarm when not refuted */
    assert_close(overseer_perceived(o, 0), 1 - 2 - 0.5 * (1 - vfa) * 10, 1e-12);
    p.trust_unverified = 0, p.false_alarm = 0;
    overseer_free(o);
    o = h_overseer_with(w, &p);
    assert_close(overseer_perceived(o, 0), 1 - 2 * (q + (1 - q) * v), 1e-12);
    overseer_label_probs(o, 0, 0, 1, lp);
    assert_close(lp[LABEL_SECOND], q + (1 - q) * v, 1e-12);
    overseer_free(o);
    p.kind = OVERSEER_HUMAN;
    p.softness = 1e9; /* the hard threshold: 1.5 > 1, never discovered */
    o = h_overseer_with(w, &p);
    overseer_label_probs(o, 0, 0, 1, lp);
    assert_close(lp[LABEL_FIRST], 1, EXACT);
    overseer_free(o);
    assert_close(overseer_reach_prob(&p, 1, 0), 1, 0); /* 1e9: the threshold */
    p.softness = 4;
    assert_close(overseer_reach_prob(&p, 1, 0), h_sigmoid(4), EXACT);
    assert_close(overseer_reach_prob(&p, 1, INFINITY), 0, 0);
    assert_close(overseer_reach_prob(&p, 1, -INFINITY), 1, 0);
    p.softness = 0;
    os_err err = { 0 };
    assert_null(overseer_new(w, &p, &err));
    assert_msg_has(err, "field 'softness' of overseer must be > 0 (got 0;");
    world_free(w);
}

static void test_when_unsure(void **state)
{
    (void)state;
    world *w = world_a();
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1.0;
    p.beta = 2.0;
    p.mistake = 0.3; /* a flipped coin is still a coin */
    double want[N_LABELS];

    p.when_unsure = UNSURE_COIN;
    overseer *o = h_overseer_with(w, &p);
    bt(0.5, 0, want);
    check_labels(o, 1, 0, 1, want, 30);
    check_labels(o, 0, 1, 2, want, 31);
    /* the known pair is still judged: u = 1.25 vs 0.5 */
    bt(h_sigmoid(2.0 * 0.75), 0.3, want);
    check_labels(o, 0, 0, 2, want, 32);
    overseer_free(o);

    p.when_unsure = UNSURE_SKIP;
    o = h_overseer_with(w, &p);
    want[0] = want[1] = want[2] = 0, want[LABEL_SKIP] = 1;
    check_labels(o, 1, 0, 1, want, 33);
    check_labels(o, 0, 0, 1, want, 34);
    overseer_free(o);

    p.when_unsure = UNSURE_LOOKS;
    o = h_overseer_with(w, &p);
    /* c1: looks 1.0 vs 0.5 (true values 0 vs 0.5: the wrong way round) */
    bt(h_sigmoid(2.0 * 0.5), 0.3, want);
    check_labels(o, 1, 0, 1, want, 35);
    /* c0 (b0, b1): unsure because of b1's hidden bug; judged on what it sees:
     * u(b0) = 1.25 (facts it found), u(b1) = looks 2.0 */
    bt(h_sigmoid(2.0 * -0.75), 0.3, want);
    check_labels(o, 0, 0, 1, want, 36);
    overseer_free(o);
    world_free(w);
}

static void test_misconceptions_and_overrides(void **state)
{
    (void)state;
    world *w = world_a();
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1.0;
    p.beta = 1.0;
    overseer *o = h_overseer_with(w, &p);
    os_err err = { 0 };
    double want[N_LABELS];

    /* bias on a known cell: WRONG, u = looks + bias; biases add up */
    assert_int_equal(overseer_region(o, 0, 0, 2), REGION_KNOWS);
    assert_int_equal(overseer_add_bias(o, 0, 2, 1.0, &err), 0);
    assert_close(overseer_perceived(o, 2), 1.5, EXACT);
    assert_int_equal(overseer_add_bias(o, 0, 2, 0.5, &err), 0);
    assert_close(overseer_perceived(o, 2), 2.0, EXACT);
    assert_int_equal(overseer_region(o, 0, 0, 2), REGION_WRONG);
    assert_int_equal(overseer_region(o, 0, 2, 1), REGION_WRONG);
    /* bias on a cell with discovered facts: looks + discovered effects + bias */
    assert_int_equal(overseer_add_bias(o, 0, 0, -0.5, &err), 0);
    assert_close(overseer_perceived(o, 0), 1.0 + 0.5 - 0.25 - 0.5, EXACT);
    /* wrong labels are confident (not coins): sigma(u1 - u2) */
    bt(h_sigmoid(0.75 - 2.0), 0, want);
    check_labels(o, 0, 0, 2, want, 40);

    /* set_wrong: judged by looks (+ bias) only, discovered facts ignored */
    assert_int_equal(overseer_set_wrong(o, 0, 0, 1, &err), 0);
    assert_close(overseer_perceived(o, 0), 1.0 - 0.5, EXACT);
    assert_int_equal(overseer_set_wrong(o, 0, 0, 0, &err), 0);
    assert_close(overseer_perceived(o, 0), 0.75, EXACT);
    assert_int_equal(overseer_region(o, 0, 0, 1), REGION_WRONG); /* bias remains */
    /* on an unbiased unsure cell: WRONG while set, UNSURE after */
    assert_int_equal(overseer_region(o, 1, 1, 2), REGION_UNSURE);
    assert_int_equal(overseer_set_wrong(o, 1, 1, 1, &err), 0);
    assert_int_equal(overseer_region(o, 1, 1, 2), REGION_WRONG);
    bt(h_sigmoid(0.5 - 0.0), 0, want); /* looks, not a coin */
    check_labels(o, 1, 1, 2, want, 41);
    assert_int_equal(overseer_set_wrong(o, 1, 1, 0, &err), 0);
    assert_int_equal(overseer_region(o, 1, 1, 2), REGION_UNSURE);

    /* set_knows overrides the competence rule, both orders */
    assert_int_equal(overseer_set_knows(o, 1, 2, 1, 1, &err), 0);
    assert_int_equal(overseer_region(o, 1, 1, 2), REGION_KNOWS);
    assert_int_equal(overseer_region(o, 1, 2, 1), REGION_KNOWS);
    assert_int_equal(overseer_region(o, 1, 0, 1), REGION_UNSURE); /* others unchanged */
    bt(h_sigmoid(0.5), 0, want);
    check_labels(o, 1, 1, 2, want, 42);
    overseer_free(o);

    o = h_overseer_with(w, &p);
    assert_int_equal(overseer_set_knows(o, 0, 0, 2, 0, &err), 0);
    assert_int_equal(overseer_region(o, 0, 2, 0), REGION_UNSURE);
    bt(0.5, 0, want); /* coin */
    check_labels(o, 0, 0, 2, want, 43);
    /* wrong beats a knows override */
    assert_int_equal(overseer_set_knows(o, 1, 0, 1, 1, &err), 0);
    assert_int_equal(overseer_set_wrong(o, 1, 0, 1, &err), 0);
    assert_int_equal(overseer_region(o, 1, 0, 1), REGION_WRONG);
    /* bad cells and values */
    assert_int_equal(overseer_add_bias(o, 2, 0, 1.0, &err), OS_EINVAL);
    assert_int_equal(overseer_add_bias(o, 0, 0, NAN, &err), OS_EINVAL);
    assert_msg_has(err, "'bias'");
    assert_int_equal(overseer_set_knows(o, 0, 0, 3, 1, &err), OS_EINVAL);
    overseer_free(o);

    /* the oracle has no misconceptions */
    o = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    assert_int_equal(overseer_add_bias(o, 0, 0, 1.0, &err), OS_EINVAL);
    assert_int_equal(overseer_set_wrong(o, 0, 0, 1, &err), OS_EINVAL);
    assert_close(overseer_perceived(o, 0), w->vstar[0], 0);
    overseer_free(o);
    world_free(w);
}

static void test_bad_params(void **state)
{
    (void)state;
    world *w = world_b();
    overseer_params p;
    os_err err = { 0 };
    struct { const char *field; double *slot; double bad; } cases[] = {
        { "'mistake'", &p.mistake, 1.5 },
        { "'mistake'", &p.mistake, -0.1 },
        { "'mistake'", &p.mistake, NAN },
        { "'cost'", &p.cost, -1.0 },
        { "'cost'", &p.cost, INFINITY },
        { "'beta'", &p.beta, -1.0 },
        { "'beta'", &p.beta, NAN },
        { "'equal_threshold'", &p.equal_threshold, -0.5 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        overseer_params_default(&p);
        *cases[i].slot = cases[i].bad;
        err.msg[0] = 0;
        assert_null(overseer_new(w, &p, &err));
        assert_int_equal(err.code, OS_EINVAL);
        assert_msg_has(err, cases[i].field);
    }
    overseer_params_default(&p);
    p.when_unsure = (unsure_mode)7;
    assert_null(overseer_new(w, &p, &err));
    /* defaults as documented */
    overseer_params_default(&p);
    assert_int_equal(p.kind, OVERSEER_HUMAN);
    assert_true(isinf(p.beta) && p.beta > 0);
    assert_close(p.cost, 1.0, 0);
    assert_int_equal(p.when_unsure, UNSURE_COIN);
    overseer *o = h_overseer_with(w, &p);
    assert_close(overseer_get_params(o)->cost, 1.0, 0);
    overseer_free(o);
    overseer_free(NULL);
    /* a world still being built is refused */
    world *nb = world_new(1, 1, &err);
    assert_null(overseer_new(nb, &p, &err));
    assert_msg_has(err, "finalized");
    world_free(nb);
    world_free(w);
}

/* overseer_params_check names the field, the record and the value, one
 * message per way a field can be wrong; the assistant's fields name the
 * assistant. */
static void test_params_check_messages(void **state)
{
    (void)state;
    overseer_params p;
    os_err err = { 0 };
    const char *h = "overseer 'h'";
    struct { double *slot; double bad; const char *want; } cases[] = {
        { &p.mistake, 1.5, "field 'mistake' of overseer 'h' must be a probability in [0,1] "
                           "(got 1.5)" },
        { &p.cost, -1, "field 'cost' of overseer 'h' must be >= 0 (got -1)" },
        { &p.cost, INFINITY, "field 'cost' of overseer 'h' must be finite (got inf)" },
        { &p.verify_gain, INFINITY, "field 'verify_gain' of overseer 'h' must be finite "
                                    "(got inf)" },
        { &p.critique_cost, -2, "field 'critique_cost' of overseer 'h' must be >= 0 (got -2)" },
        { &p.myopia, 0, "field 'myopia' of overseer 'h' must be in (0,1] (got 0)" },
        { &p.myopia, 1.5, "field 'myopia' of overseer 'h' must be in (0,1] (got 1.5)" },
        { &p.beta, -1, "field 'beta' of overseer 'h' must be >= 0 (got -1)" },
        { &p.equal_threshold, -0.5, "field 'equal_threshold' of overseer 'h' must be >= 0 "
                                    "(got -0.5)" },
        { &p.competence, NAN, "field 'competence' of overseer 'h' must be a number (got NaN)" },
        { &p.recall, 2, "field 'recall' of assistant of overseer 'h' must be a probability "
                        "in [0,1] (got 2)" },
        { &p.false_alarm_effect, INFINITY, "field 'false_alarm_effect' of assistant of "
                                           "overseer 'h' must be finite (got inf)" },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        overseer_params_default(&p);
        *cases[i].slot = cases[i].bad;
        assert_int_equal(overseer_params_check(&p, h, &err), OS_EINVAL);
        assert_msg_is(err, cases[i].want);
    }
    overseer_params_default(&p);
    assert_int_equal(overseer_params_check(&p, h, &err), 0);
    p.competence = INFINITY, p.reach = -INFINITY, p.skip_threshold = INFINITY;
    assert_int_equal(overseer_params_check(&p, h, &err), 0); /* infinities are numbers */
    p.mistake = -0.1;
    overseer_params_check(&p, NULL, &err);
    assert_msg_is(err, "field 'mistake' of overseer must be a probability in [0,1] (got -0.1)");
}

/* A fact at difficulty INFINITY is never discovered: not by competence 1e6,
 * not verified by an assistant that points at it (competence + verify_gain is
 * finite), so the comparison stays UNSURE; and nothing becomes NaN. Its
 * context at -INFINITY is always understood. */
static void test_infinite_difficulty(void **state)
{
    (void)state;
    const double diff[1] = { -INFINITY };
    const double looks[2] = { 1.0, 0.5 };
    const h_fact facts[2] = { { 0, 0, INFINITY, -2.0 }, { 0, 1, 0.0, 0.25 } };
    world *w = h_world(1, 2, NULL, diff, looks, NULL, facts, 2, NULL, 0.5);
    assert_close(w->vstar[0], -1.0, 0);
    for (int kind = OVERSEER_HUMAN; kind <= OVERSEER_ASSISTED; kind++) {
        overseer_params p;
        overseer_params_default(&p);
        p.kind = (overseer_kind)kind;
        p.competence = 1e6;
        p.verify_gain = 1e6;
        overseer *o = h_overseer_with(w, &p);
        assert_false(overseer_slot_known(o, 0));
        assert_true(isinf(overseer_slot_difficulty(o, 0)));
        assert_true(overseer_slot_known(o, w->n_facts)); /* the context at -inf */
        if (kind == OVERSEER_ASSISTED) {
            assert_close(overseer_p_point(o)[0], 1.0, 0); /* reach INFINITY reaches it */
            assert_close(overseer_p_verify(o)[0], 0.0, 0);
        }
        assert_close(overseer_perceived(o, 0), 1.0, 0); /* the -2 is never seen */
        assert_close(overseer_perceived(o, 1), 0.75, 0);
        assert_int_equal(overseer_region(o, 0, 0, 1), REGION_UNSURE);
        double pl[N_LABELS];
        assert_int_equal(overseer_label_probs(o, 0, 0, 1, pl), 0);
        for (int l = 0; l < N_LABELS; l++)
            assert_false(isnan(pl[l]));
        assert_close(pl[LABEL_FIRST], 0.5, 0); /* unsure: a coin */
        overseer_free(o);
    }
    world_free(w);
}

/* overseer_estimate: per-slot and per-cell arrays, and the knows table
 * (n_ctx x n_beh^2 bytes) only when asked; overseer_set_knows allocates
 * that table through a checked product. */
static void test_estimate(void **state)
{
    (void)state;
    h_fact facts[2] = { { 0, 1, 1, -1 }, { 1, 2, 1, -1 } };
    world *w = h_world(2, 3, NULL, NULL, NULL, NULL, facts, 2, NULL, 0);
    size_estimate e;
    size_estimate_init(&e);
    overseer_estimate(w, 0, &e);
    assert_string_equal(e.what, "overseer (6 cells)");
    assert_int_equal(e.bytes, (2 + 2) * (3 * 8 + 1) + 6 * (3 * 8 + 2));
    world_free(w);
    w = h_world(2, 300, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    size_estimate_init(&e);
    overseer_estimate(w, 1, &e);
    assert_string_equal(e.what, "overseer's knows table 2 x 300 x 300");
    assert_int_equal(e.largest, 2 * 300 * 300);
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 0, INFINITY);
    os_err err = { 0 };
    assert_int_equal(overseer_set_knows(o, 1, 299, 0, 1, &err), 0);
    overseer_free(o);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle),
        cmocka_unit_test(test_estimate),
        cmocka_unit_test(test_competence),
        cmocka_unit_test(test_label_statistics),
        cmocka_unit_test(test_soft_discovery),
        cmocka_unit_test(test_when_unsure),
        cmocka_unit_test(test_misconceptions_and_overrides),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_params_check_messages),
        cmocka_unit_test(test_infinite_difficulty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
