/* test_recursion.c — recursively assisted overseers (core/recursion.c): the
 * critic worlds' shape, the detect/verify chain as recursion.h defines it,
 * what trained critics learn where the answer is forced, the depth-K
 * overseer recursion_apply builds, labels and costs summed over levels, the
 * per-level sub-streams, and errors. */
#include "helpers.h"
#include "recursion.h"

/* One context, two behaviours; human competence 1, verify_gain 1.
 *   fact 0 (b0, difficulty 2):  hidden, verifiable one verify_gain easier
 *   fact 1 (b0, difficulty 5):  hidden and never verifiable at depth <= 2
 *   fact 2 (b1, difficulty 1):  difficulty == competence: known unaided
 * Slots: the three facts in this order, then the context (difficulty 0). */
#define S_VERIFIABLE 0
#define S_NEVER 1
#define S_KNOWN 2
#define S_CONTEXT 3

static world *task_world(void)
{
    const double looks[2] = { 1.0, 0.5 };
    const h_fact facts[3] = { { 0, 0, 2.0, -1.0 }, { 0, 0, 5.0, -0.5 }, { 0, 1, 1.0, 0.25 } };
    return h_world(1, 2, NULL, NULL, looks, NULL, facts, 3, NULL, 0.5);
}

static overseer *human(const world *w, double critique_cost)
{
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1, p.verify_gain = 1, p.beta = INFINITY;
    p.cost = 1, p.critique_cost = critique_cost;
    return h_overseer_with(w, &p);
}

static recursion_params params(int depth, int rounds)
{
    recursion_params rp;
    recursion_params_default(&rp);
    rp.depth = depth;
    for (int j = 0; j < depth; j++)
        rp.critic[j].rounds = rounds, rp.critic[j].labels_per_round = 64;
    return rp;
}

static recursion *build(const overseer *h, const recursion_params *rp)
{
    os_err err = { 0 };
    recursion *r = recursion_build_seeded(h, rp, 3, 1, &err);
    if (!r)
        fail_msg("recursion_build: %s", err.msg);
    return r;
}

/* Moved from test_overseer.c. */
static recursion_params small_recursion(int depth)
{
    recursion_params rp;
    recursion_params_default(&rp);
    rp.depth = depth;
    for (int j = 0; j < depth; j++)
        rp.critic[j].rounds = 3, rp.critic[j].labels_per_round = 40;
    return rp;
}

/* recursion_build_seeded trains critic j on (seed, rng_substream(stream, j)):
 * bit-identical to recursion_build with those streams set by hand, and not
 * to other streams. The critic contexts' difficulty is the slot's minus
 * shift verify_gains, verify is detect_{j-1}(s, m+1); a fact at INFINITY
 * stays at INFINITY (no NaN) and is detected at no level. */
static void test_recursion_streams_and_difficulty(void **state)
{
    (void)state;
    const double looks[2] = { 1.0, 0.5 };
    const h_fact facts[3] = { { 0, 0, 1.5, -1.0 }, { 0, 0, INFINITY, -2.0 },
                              { 0, 1, 2.5, 0.5 } };
    world *w = h_world(1, 2, NULL, NULL, looks, NULL, facts, 3, NULL, 0.5);
    overseer *h = human(w, 0);
    recursion_params rp = small_recursion(2);
    os_err err = { 0 };
    recursion *a = recursion_build_seeded(h, &rp, 11, 5, &err);
    if (!a)
        fail_msg("%s", err.msg);
    recursion_params byhand = rp, other = rp;
    for (int j = 1; j <= 2; j++) {
        byhand.critic[j - 1].seed = 11, byhand.critic[j - 1].run_id = 5 * 1000003u + j;
        other.critic[j - 1].seed = 11, other.critic[j - 1].run_id = 6 * 1000003u + j;
    }
    recursion *b = recursion_build(h, &byhand, &err);
    recursion *c = recursion_build(h, &other, &err);
    assert_non_null(b);
    assert_non_null(c);
    int differs = 0;
    for (int j = 1; j <= 2; j++) {
        const world *cw = recursion_critic_world(a, j);
        int na, nb;
        const metrics_row *ra = recursion_rows(a, j, &na), *rb = recursion_rows(b, j, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(ra, rb, na * sizeof *ra);
        for (int x = 0; x < cw->n_ctx; x++) {
            assert_true(recursion_p_point(a, j, x) == recursion_p_point(b, j, x));
            differs |= recursion_p_point(a, j, x) != recursion_p_point(c, j, x);
            int s, m;
            recursion_context(a, j, x, &s, &m);
            double d = recursion_critic_difficulty(a, j, x);
            assert_false(isnan(d));
            assert_true(d == overseer_slot_difficulty(h, s) - m * 1.0);
            assert_true(recursion_critic_verify(a, j, x) == recursion_detect(a, j - 1, s, m + 1));
            if (s == 1) { /* the fact at INFINITY */
                assert_true(isinf(d) && d > 0);
                assert_close(recursion_detect(a, j, s, m), 0, 0);
            }
        }
    }
    assert_true(differs); /* another stream trains other critics */
    for (int j = 0; j <= 2; j++)
        for (int m = 0; m <= 2 - j; m++)
            assert_close(recursion_detect(a, j, 1, m), 0, 0);
    recursion_free(a), recursion_free(b), recursion_free(c);
    recursion_free(NULL);
    overseer_free(h);
    world_free(w);
}

/* recursion_params_check: depth, the critics' prior and each critic's
 * training, named by level. */
static void test_recursion_check_messages(void **state)
{
    (void)state;
    recursion_params rp = small_recursion(2);
    os_err err = { 0 };
    const char *r = "overseer 'r'";
    assert_int_equal(recursion_params_check(&rp, r, &err), 0);
    rp.depth = 0;
    assert_int_equal(recursion_params_check(&rp, r, &err), OS_EINVAL);
    assert_msg_is(err, "field 'depth' of overseer 'r' must be in [1,8] (got 0)");
    rp.depth = RECURSION_MAX_DEPTH + 1;
    recursion_params_check(&rp, r, &err);
    assert_msg_is(err, "field 'depth' of overseer 'r' must be in [1,8] (got 9)");
    rp = small_recursion(2);
    rp.critic_prior = 1;
    recursion_params_check(&rp, r, &err);
    assert_msg_is(err, "field 'prior' of critic of overseer 'r' must be in (0,1) (got 1)");
    rp = small_recursion(2);
    rp.critic[1].rounds = -1;
    recursion_params_check(&rp, r, &err);
    assert_msg_is(err, "field 'rounds' of critic 2 of overseer 'r' must be >= 0 (got -1)");
    rp.depth = 1; /* only the levels in use are checked */
    assert_int_equal(recursion_params_check(&rp, r, &err), 0);
}

/* Critic j's world: n_slots x (K - j + 1) contexts (slot-major), behaviours
 * silent and point, pi0(point) = critic_prior, the claim worth 1. */
static void test_critic_world_shape(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *h = human(w, 0);
    recursion_params rp = params(2, 2);
    rp.critic_prior = 0.3;
    recursion *r = build(h, &rp);
    assert_int_equal(recursion_depth(r), 2);
    assert_int_equal(overseer_n_slots(h), 4);
    for (int j = 1; j <= 2; j++) {
        const world *cw = recursion_critic_world(r, j);
        int n_shift = 2 - j + 1;
        assert_int_equal(cw->n_ctx, 4 * n_shift);
        assert_int_equal(cw->n_beh, 2);
        assert_string_equal(cw->beh_name[0], "silent");
        assert_string_equal(cw->beh_name[1], "point");
        for (int x = 0; x < cw->n_ctx; x++) {
            int s, m;
            recursion_context(r, j, x, &s, &m);
            assert_int_equal(s, x / n_shift);
            assert_int_equal(m, x % n_shift);
            assert_close(cw->prior[x * 2 + 1], 0.3, 1e-15);
            assert_close(cw->prior[x * 2 + 0], 0.7, 1e-15);
            assert_close(cw->vstar[x * 2 + 1], 1, 0);
            assert_close(cw->vstar[x * 2 + 0], 0, 0);
        }
        int n_rows;
        recursion_rows(r, j, &n_rows);
        assert_int_equal(n_rows, 3);
    }
    assert_string_equal(recursion_critic_world(r, 1)->ctx_name[0], "c0/b0/f0@0");
    assert_string_equal(recursion_critic_world(r, 1)->ctx_name[1], "c0/b0/f0@1");
    assert_string_equal(recursion_critic_world(r, 2)->ctx_name[3], "c0/(context)@0");
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* detect_0(s, m) = [d_s - m verify_gain <= competence] (equality detects),
 * detect_j(s, m) = p_j(s, m) detect_{j-1}(s, m + 1), verify of critic
 * context (s, m) at level j = detect_{j-1}(s, m + 1); 0 outside the range. */
static void test_detect_chain(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *h = human(w, 0);
    recursion_params rp = params(2, 4);
    recursion *r = build(h, &rp);
    const double d[4] = { 2, 5, 1, 0 };
    for (int s = 0; s < 4; s++) {
        assert_close(overseer_slot_difficulty(h, s), d[s], 0);
        for (int m = 0; m <= 3; m++)
            assert_close(recursion_detect(r, 0, s, m), d[s] - m <= 1 ? 1 : 0, 0);
    }
    assert_close(recursion_detect(r, 0, S_KNOWN, 0), 1, 0); /* the boundary itself */
    assert_close(recursion_detect(r, 0, S_VERIFIABLE, 0), 0, 0);
    assert_close(recursion_detect(r, 0, S_VERIFIABLE, 1), 1, 0);
    for (int j = 1; j <= 2; j++) {
        int n_shift = 2 - j + 1;
        for (int s = 0; s < 4; s++)
            for (int m = 0; m < n_shift; m++) {
                int x = s * n_shift + m;
                double want = recursion_p_point(r, j, x) * recursion_detect(r, j - 1, s, m + 1);
                assert_true(recursion_detect(r, j, s, m) == want);
                assert_true(recursion_critic_verify(r, j, x) ==
                            recursion_detect(r, j - 1, s, m + 1));
                assert_close(recursion_critic_difficulty(r, j, x), d[s] - m, 0);
            }
    }
    assert_close(recursion_detect(r, 3, 0, 0), 0, 0);
    assert_close(recursion_detect(r, -1, 0, 0), 0, 0);
    assert_close(recursion_detect(r, 0, 0, -1), 0, 0);
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* Soft discovery (overseer softness): the human's own reach detect_0(s, m) is
 * sigma(softness (competence - (d_s - m verify_gain))), so a claim one
 * difficulty beyond competence is still verified sometimes, and the chain
 * detect_1 = p_point x detect_0(s, m+1) carries that probability upward. */
static void test_detect_chain_soft(void **state)
{
    (void)state;
    world *w = task_world();
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1, p.verify_gain = 1, p.beta = INFINITY, p.softness = 2;
    overseer *h = h_overseer_with(w, &p);
    recursion_params rp = params(1, 4);
    recursion *r = build(h, &rp);
    const double d[4] = { 2, 5, 1, 0 };
    for (int s = 0; s < 4; s++)
        for (int m = 0; m <= 2; m++) {
            double want = 1 / (1 + exp(-2 * (1 - (d[s] - m))));
            assert_close(recursion_detect(r, 0, s, m), want, 1e-12);
        }
    /* at the boundary a coin, one beyond it sigma(-2) */
    assert_close(recursion_detect(r, 0, S_KNOWN, 0), 0.5, 1e-12);
    assert_close(recursion_detect(r, 0, S_VERIFIABLE, 0), 1 / (1 + exp(2.0)), 1e-12);
    for (int s = 0; s < 4; s++) {
        double want = recursion_p_point(r, 1, s) * recursion_detect(r, 0, s, 1); /* one shift */
        assert_close(recursion_detect(r, 1, s, 0), want, 1e-12);
    }
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* Trained critics' false alarms: with false_alarms offered at difficulty d,
 * critic 1's world has one more context, "(no flaw)@0", where pointing claims
 * a flaw that is not there. The human refutes it when it reaches d one
 * verify_gain easier: d = 1.5 is refuted (punished: the critic learns to stay
 * silent), d = 10 never is, and a trusting human rewards it (the critic learns
 * to raise it), a skipping one gives no labels (the critic keeps its prior).
 * The depth-1 overseer's assistant then raises a false alarm per output with
 * the critic's probability, claiming fa_effect, and lowers every perceived
 * value by p (1 - refuted) |effect|. */
static double false_alarm_run(double difficulty, int trust, unsure_mode unsure,
                              double *perceived_drop)
{
    world *w = task_world();
    overseer_params p;
    overseer_params_default(&p);
    p.competence = 1, p.verify_gain = 1, p.beta = INFINITY;
    p.trust_unverified = trust, p.when_unsure = unsure;
    overseer *h = h_overseer_with(w, &p);
    recursion_params rp = params(1, 30);
    rp.fa_difficulty = difficulty, rp.fa_effect = -2;
    recursion *r = build(h, &rp);
    const world *cw = recursion_critic_world(r, 1);
    assert_int_equal(cw->n_ctx, 4 + 1);
    int x = 4, s, m;
    assert_string_equal(cw->ctx_name[x], "(no flaw)@0");
    recursion_context(r, 1, x, &s, &m);
    assert_int_equal(s, -1), assert_int_equal(m, 0);
    assert_close(recursion_critic_difficulty(r, 1, x), difficulty, 0);
    assert_close(recursion_critic_verify(r, 1, x), difficulty - 1 <= 1 ? 1 : 0, 0);
    assert_close(recursion_detect(r, 1, s, m), 0, 0);
    double pf = recursion_p_point(r, 1, x);
    print_message("false alarm at difficulty %g (trust %d): p_point %.4f\n", difficulty,
                  trust, pf);
    /* applied: an overseer with every slot known but b0's hidden fact */
    p.kind = OVERSEER_ASSISTED, p.critique_levels = 1;
    overseer *top = h_overseer_with(w, &p), *plain = h_overseer_with(w, &p);
    os_err err = { 0 };
    assert_int_equal(recursion_apply(r, top, &err), 0);
    assert_int_equal(recursion_apply(r, plain, &err), 0);
    overseer_set_false_alarm(plain, 0, 0, -2, &err); /* the same without false alarms */
    *perceived_drop = overseer_perceived(plain, 1) - overseer_perceived(top, 1);
    overseer_free(top), overseer_free(plain);
    recursion_free(r);
    overseer_free(h);
    world_free(w);
    return pf;
}

static void test_critic_false_alarms(void **state)
{
    (void)state;
    double drop;
    double refuted = false_alarm_run(1.5, 1, UNSURE_COIN, &drop);
    assert_true(refuted < 0.05);
    assert_close(drop, 0, 0); /* refuted: never believed */
    double believed = false_alarm_run(10, 1, UNSURE_COIN, &drop);
    assert_true(believed > 0.95);
    assert_close(drop, believed * 2, 1e-12);
    double ignored = false_alarm_run(10, 0, UNSURE_SKIP, &drop);
    assert_close(ignored, 0.5, 1e-9); /* no labels: the prior */
    assert_close(drop, 0, 0); /* distrustful: unrefuted alarms are not believed */
}

/* Trained critics where the answer is forced: on a task where every slot
 * (the context's too) has difficulty 2, nothing is known unaided (detect_0 at
 * shift 0 is 0) and every claim is verifiable one verify_gain easier
 * (detect_0 at shift 1 is 1). Critic 1's claims are verified at shift 1, so
 * pointing (worth 1) is rewarded and the critic learns to point everywhere;
 * verified at its own shift nothing would be, and it would stay at its prior. */
static void test_critics_learn_what_is_verified(void **state)
{
    (void)state;
    const double diff[1] = { 2.0 };
    const h_fact facts[2] = { { 0, 0, 2.0, -1.0 }, { 0, 1, 0.5, 0.5 } };
    world *w = h_world(1, 2, NULL, diff, NULL, NULL, facts, 2, NULL, 0.5);
    overseer *h = human(w, 0);
    recursion_params rp = params(1, 30);
    recursion *r = build(h, &rp);
    for (int s = 0; s < 3; s++) {
        assert_close(overseer_slot_difficulty(h, s), 2, 0);
        assert_close(recursion_detect(r, 0, s, 0), 0, 0);
        assert_close(recursion_detect(r, 0, s, 1), 1, 0);
        double p = recursion_p_point(r, 1, s);
        if (!(p > 0.9))
            fail_msg("slot %d: p_point %.4f, expected > 0.9", s, p);
        assert_close(recursion_detect(r, 1, s, 0), p, 0);
    }
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* Where the human is wrong about a behaviour (a bias on its cell), it rejects
 * every claim of a flaw in it: critic 1 learns not to point at b0's facts. */
static void test_wrong_human_rejects_claims(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *h = human(w, 0);
    os_err err = { 0 };
    assert_int_equal(overseer_add_bias(h, 0, 0, 0.5, &err), 0);
    recursion_params rp = params(1, 30);
    recursion *r = build(h, &rp);
    double p_ver = recursion_p_point(r, 1, S_VERIFIABLE * 2 + 0);
    print_message("p_point under a wrong human: %.4f\n", p_ver);
    assert_true(p_ver < 0.1);
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* recursion_apply: the depth-K overseer points with p_K(s, 0) (0 on slots it
 * knows) and verifies with detect_{K-1}(s, 1). */
static void test_apply(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *h = human(w, 0);
    for (int K = 1; K <= 2; K++) {
        recursion_params rp = params(K, 30);
        recursion *r = build(h, &rp);
        overseer_params ap = *overseer_get_params(h);
        ap.kind = OVERSEER_ASSISTED;
        ap.critique_levels = K;
        os_err err = { 0 };
        overseer *o = overseer_new(w, &ap, &err);
        assert_non_null(o);
        assert_int_equal(recursion_apply(r, o, &err), 0);
        const double *pp = overseer_p_point(o), *pv = overseer_p_verify(o);
        for (int s = 0; s < 4; s++) {
            double want = overseer_slot_known(o, s) ? 0 : recursion_p_point(r, K, s * 1 + 0);
            assert_true(pp[s] == want);
            assert_true(pv[s] == recursion_detect(r, K - 1, s, 1));
        }
        assert_true(pp[S_VERIFIABLE] > 0.9); /* not the silent behaviour's mass */
        assert_close(pv[S_VERIFIABLE], K == 1 ? 1 : recursion_detect(r, 1, S_VERIFIABLE, 1), 0);
        overseer_free(o);
        recursion_free(r);
    }
    overseer_free(h);
    world_free(w);
}

/* Labels and costs over all levels: critic j is judged by level j-1, which
 * reads j-1 critiques per output (each output's: 2 (j-1) critique costs). */
static void test_build_labels_and_costs(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *h = human(w, 0.25);
    recursion_params rp = params(3, 2);
    recursion *r = build(h, &rp);
    long labels = 0;
    double cost = 0;
    for (int j = 1; j <= 3; j++) {
        int n_rows;
        const metrics_row *rows = recursion_rows(r, j, &n_rows);
        assert_int_equal(n_rows, 3);
        assert_int_equal(rows[2].labels, 2 * 64);
        assert_close(rows[2].label_cost, 2 * 64 * (1 + 0.25 * 2 * (j - 1)), 1e-9);
        labels += rows[2].labels;
        cost += rows[2].label_cost;
    }
    assert_int_equal(recursion_build_labels(r), labels);
    assert_int_equal(recursion_build_labels(r), 3 * 128);
    assert_close(recursion_build_cost(r), cost, 1e-9);
    assert_close(recursion_build_cost(r), 128 * (1 + 1.5 + 2), 1e-9);
    recursion_free(r);
    overseer_free(h);
    world_free(w);
}

/* Errors: level 0 must be a human, the parameters are checked, and
 * recursion_apply refuses an overseer on another world. */
static void test_errors(void **state)
{
    (void)state;
    world *w = task_world();
    overseer *oracle = h_overseer(w, OVERSEER_ORACLE, 0, INFINITY);
    recursion_params rp = params(1, 2);
    os_err err = { 0 };
    assert_null(recursion_build(oracle, &rp, &err));
    assert_msg_is(err, "level 0 of a recursive overseer must be a human");
    overseer *h = human(w, 0);
    rp.depth = 0;
    assert_null(recursion_build(h, &rp, &err));
    assert_msg_is(err, "field 'depth' of recursive overseer must be in [1,8] (got 0)");
    rp = params(1, 2);
    rp.critic_prior = 0;
    assert_null(recursion_build(h, &rp, &err));
    assert_msg_is(err, "field 'prior' of critic of recursive overseer must be in (0,1) (got 0)");
    rp = params(1, 2);
    recursion *r = build(h, &rp);
    world *other = h_world(2, 2, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
    overseer *o = h_overseer(other, OVERSEER_ASSISTED, 0, INFINITY);
    assert_int_equal(recursion_apply(r, o, &err), OS_EINVAL);
    assert_msg_is(err, "overseer and recursion are on different worlds");
    overseer_free(o);
    world_free(other);
    recursion_free(r);
    overseer_free(h);
    overseer_free(oracle);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_critic_world_shape),
        cmocka_unit_test(test_detect_chain),
        cmocka_unit_test(test_detect_chain_soft),
        cmocka_unit_test(test_critic_false_alarms),
        cmocka_unit_test(test_critics_learn_what_is_verified),
        cmocka_unit_test(test_wrong_human_rejects_claims),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_build_labels_and_costs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_recursion_streams_and_difficulty),
        cmocka_unit_test(test_recursion_check_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
