/* test_recursion.c — recursively assisted overseers (core/recursion.c): the
 * critic worlds' shape, the detect/verify chain as recursion.h defines it,
 * what trained critics learn where the answer is forced, the depth-K
 * overseer recursion_apply builds, labels and costs summed over levels, and
 * errors. */
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
    os_err err = { 0 };
    overseer *o = overseer_new(w, &p, &err);
    if (!o)
        fail_msg("overseer_new: %s", err.msg);
    return o;
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
        cmocka_unit_test(test_critics_learn_what_is_verified),
        cmocka_unit_test(test_wrong_human_rejects_claims),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_build_labels_and_costs),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
