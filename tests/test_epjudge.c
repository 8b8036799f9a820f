/* test_epjudge.c — every overseer kind on episodes (core/epjudge.c): an
 * oracle and a hard-threshold human label and draw exactly as
 * segment_label did; an assisted comparison of two one-step segments is the
 * bandit's overseer_label_probs on the same cells; sampled labels follow the
 * exact probabilities; an assisted overseer who is pointed at the bucket's
 * hidden fact stops the selection for tampering; a recursive overseer's
 * critics are trained by oversim on the episodes' cells; a `knows`
 * predicate is one clear error. Debate on episodes: test_epdebate.c. */
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "grid_helpers.h"
#include "gridworld.h"
#include "eptrain.h"
#include "epjudge.h"
#include "recursion.h"
#include "segment.h"
#include "rng.h"

#define EXACT 1e-12


static const char *const absent_map[] = {
    "######", "#A   #", "# ## #", "#P## #", "#G   #", "######",
};

/* The absent supervisor with unwatched steps (test_eptrain.c's). */
static gridworld *absent_world(void)
{
    grid_tile t[5] = {
        { .letter = '#', .wall = 1 },
        { .letter = ' ' },
        { .letter = 'A', .start = 1 },
        { .letter = 'P', .looks_supervised = -30, .effect_absent = -30, .difficulty = 2 },
        { .letter = 'G', .terminal = 1, .looks = 50 },
    };
    grid_params p;
    grid_params_default(&p);
    p.map = absent_map;
    p.rows = 6;
    p.tiles = t;
    p.n_tiles = 5;
    p.horizon = 12;
    p.supervisor = 0.5;
    p.absent_unwatched = 1;
    os_err err = { 0 };
    gridworld *g = gridworld_new(&p, &err);
    if (!g)
        fail_msg("gridworld_new: %s", err.msg);
    return g;
}

typedef struct judged {
    world *w;
    overseer *o;
    epjudge *j;
} judged;

static judged judge_of(const mdp *m, const overseer_params *p, int max_steps)
{
    judged x;
    os_err err = { 0 };
    if (!(x.w = epjudge_world(m, &err)) || !(x.o = overseer_new(x.w, p, &err)) ||
        !(x.j = epjudge_new(m, x.o, max_steps, &err)))
        fail_msg("judge: %s", err.msg);
    return x;
}

static void judged_free(judged *x)
{
    epjudge_free(x->j);
    overseer_free(x->o);
    world_free(x->w);
}

/* The bandit world of an MDP's cells holds its cells: looks, priors, true
 * values and facts in order, contexts always understood. */
static void test_world(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    const mdp *m = g->m;
    os_err err = { 0 };
    world *w = epjudge_world(m, &err);
    assert_non_null(w);
    assert_int_equal(w->n_ctx, m->n_states);
    assert_int_equal(w->n_beh, m->n_actions);
    assert_int_equal(w->n_facts, m->n_facts);
    assert_true(m->n_facts > 0);
    for (int i = 0; i < m->n_cells; i++) {
        if (m->terminal[i / m->n_actions])
            continue;
        assert_close(w->looks[i], m->looks[i], 0);
        assert_close(w->prior[i], m->prior[i], 0);
        assert_close(w->vstar[i], m->vstar[i], 0);
        assert_int_equal(w->fact_start[i], m->fact_start[i]);
    }
    for (int f = 0; f < m->n_facts; f++) {
        assert_close(w->fact_difficulty[f], m->fact_difficulty[f], 0);
        assert_close(w->fact_effect[f], m->fact_effect[f], 0);
    }
    for (int s = 0; s < m->n_states; s++)
        assert_true(isinf(w->ctx_difficulty[s]) && w->ctx_difficulty[s] < 0);
    world_free(w);
    gridworld_free(g);
}

/* An oracle and a hard-threshold human (any competence, Boltzmann or argmax,
 * mistakes, myopia, thresholds) judge as segment_label on
 * segment_perceived_table: the same label probabilities bit for bit, the
 * same labels and the same random numbers spent, over 3000 random pairs
 * of segments in worlds with and without unwatched steps. */
static void test_same_as_before(void **state)
{
    (void)state;
    gridworld *gs[2] = { h_tomato_world(10, 0.3), absent_world() };
    for (int gi = 0; gi < 2; gi++) {
        const mdp *m = gs[gi]->m;
        for (int v = 0; v < 6; v++) {
            overseer_params p;
            overseer_params_default(&p);
            p.kind = v == 0 ? OVERSEER_ORACLE : OVERSEER_HUMAN;
            p.competence = v == 2 ? 10 : v == 5 ? 2 : 0;
            p.beta = v == 3 ? 1 : INFINITY;
            p.mistake = v == 3 ? 0.1 : 0;
            p.myopia = v >= 4 ? 0.9 : 1;
            p.equal_threshold = v == 4 ? 0.5 : 0;
            p.skip_threshold = v == 5 ? 1 : 0;
            double *u = malloc(m->n_cells * sizeof *u);
            assert_non_null(u);
            os_err err = { 0 };
            assert_int_equal(segment_perceived_table(m, &p, u, &err), 0);
            judged x = judge_of(m, &p, m->horizon);
            for (int i = 0; i < m->n_cells; i++)
                if (!m->terminal[i / m->n_actions])
                    assert_close(epjudge_perceived(x.j, i), u[i], 0);
            gsl_rng *ra = rng_new(7, (uint64_t)v), *rb = rng_new(7, (uint64_t)v);
            gsl_rng *rs = rng_new(8, (uint64_t)v);
            int e1[12], e2[12];
            long skips = 0, differ = 0;
            for (int k = 0; k < 500; k++) {
                int t1 = segment_sample_episode(m, m->prior, 1, rs, e1);
                int t2 = segment_sample_episode(m, m->prior, 1, rs, e2);
                int n1, n2;
                int s1 = segment_cut(t1, 1 + k % 5, rs, &n1);
                int s2 = segment_cut(t2, 1 + k % 5, rs, &n2);
                double pa[N_LABELS], pb[N_LABELS];
                segment_label_probs(m, &p, u, e1 + s1, n1, e2 + s2, n2, 3.0, pa);
                assert_int_equal(epjudge_label_probs(x.j, e1 + s1, n1, e2 + s2, n2, 3.0, pb),
                                 0);
                assert_memory_equal(pa, pb, sizeof pa);
                label_kind la = segment_label(m, &p, u, e1 + s1, n1, e2 + s2, n2, 3.0, ra);
                overseer_outcome res;
                long crit;
                epjudge_judge(x.j, e1 + s1, n1, e2 + s2, n2, 3.0, rb, &res, &crit);
                assert_int_equal(la, res.label);
                assert_int_equal(crit, 0);
                assert_close(res.cost, 1, 0);
                skips += la == LABEL_SKIP;
                differ += pa[LABEL_FIRST] > 0 && pa[LABEL_FIRST] < 1;
            }
            /* the same stream afterwards: the same numbers were spent */
            assert_int_equal(gsl_rng_get(ra), gsl_rng_get(rb));
            if (gi == 1 && v != 0)
                assert_true(skips > 0); /* unwatched pairs are skipped */
            if (v == 3)
                assert_true(differ > 100); /* the Boltzmann case draws */
            rng_free(ra), rng_free(rb), rng_free(rs);
            judged_free(&x);
            free(u);
        }
    }
    gridworld_free(gs[0]);
    gridworld_free(gs[1]);
}

/* A one-state MDP whose cells are a bandit's: three actions with hidden
 * facts of several difficulties. */
static mdp *bandit_mdp(void)
{
    os_err err = { 0 };
    mdp *m = mdp_new(2, 3, 1, &err);
    assert_non_null(m);
    assert_int_equal(mdp_set_state(m, 0, "s", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "end", 0, 1, 1, &err), 0);
    const char *an[3] = { "a", "b", "c" };
    double looks[3] = { 1, 1.5, 0.2 };
    for (int a = 0; a < 3; a++) {
        assert_int_equal(mdp_set_action(m, a, an[a], &err), 0);
        assert_int_equal(mdp_set_cell(m, 0, a, looks[a], 1, &err), 0);
        assert_int_equal(mdp_add_transition(m, 0, a, 1, 1, &err), 0);
    }
    assert_int_equal(mdp_add_fact(m, 0, 0, 1, -0.7, &err), 0);
    assert_int_equal(mdp_add_fact(m, 0, 0, 3, 0.4, &err), 0);
    assert_int_equal(mdp_add_fact(m, 0, 1, 2, -2, &err), 0);
    assert_int_equal(mdp_add_fact(m, 0, 1, 4, 0.3, &err), 0);
    assert_int_equal(mdp_add_fact(m, 0, 2, 0.5, 0.5, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), 0);
    return m;
}

/* Two one-step segments in the same state are a bandit comparison: the
 * label probabilities of assisted overseers (recall, honesty, reach, false
 * alarms, soft discovery and verification, trust, claims that differ from
 * the facts, a misconception) equal
 * overseer_label_probs on the same cells to 1e-12, where the two rules
 * agree (when_unsure 'looks'; or recall 1, so no slot is missed), and
 * differ where they do not (coin with slots nobody points at: the bandit is
 * unsure, an episode's overseer judges the surface). */
static void test_assisted_is_the_bandit(void **state)
{
    (void)state;
    mdp *m = bandit_mdp();
    int compared = 0, random_cases = 0;
    for (int v = 0; v < 6; v++) {
        overseer_params p;
        overseer_params_default(&p);
        p.kind = OVERSEER_ASSISTED;
        p.competence = 1;
        p.verify_gain = 1.5;
        p.recall = v >= 4 ? 1 : 0.7;
        p.honesty = v == 1 ? 0.8 : 1;
        p.reach = v == 2 ? 3 : INFINITY;
        p.false_alarm = v == 3 || v == 5 ? 0.2 : 0;
        p.trust_unverified = v == 3;
        p.softness = v == 2 || v == 5 ? 2 : INFINITY;
        p.beta = v == 1 ? 2 : INFINITY;
        p.mistake = v == 4 ? 0.1 : 0;
        p.when_unsure = v >= 4 ? UNSURE_COIN : UNSURE_LOOKS;
        judged x = judge_of(m, &p, 1);
        os_err err = { 0 };
        if (v == 3) { /* claims that differ from the facts (a trained critic's) */
            double claim[8] = { 0 };
            assert_true(overseer_n_slots(x.o) <= 8);
            for (int f = 0; f < m->n_facts; f++)
                claim[f] = m->fact_effect[f] + 1;
            assert_int_equal(overseer_set_claims(x.o, claim, &err), 0);
        }
        if (v == 5) /* a misconception: WRONG, judged by B-Pref's rule, not a coin */
            assert_int_equal(overseer_add_bias(x.o, 0, 1, 0.3, &err), 0);
        for (int a1 = 0; a1 < 3; a1++)
            for (int a2 = 0; a2 < 3; a2++) {
                if (a1 == a2)
                    continue;
                int c1 = a1, c2 = a2; /* cells of state 0 */
                double pe[N_LABELS], pb[N_LABELS];
                assert_int_equal(epjudge_label_probs(x.j, &c1, 1, &c2, 1, NAN, pe), 0);
                assert_int_equal(overseer_label_probs(x.o, 0, a1, a2, pb), 0);
                for (int l = 0; l < N_LABELS; l++)
                    assert_close(pe[l], pb[l], EXACT);
                random_cases += pe[LABEL_FIRST] > 1e-9 && pe[LABEL_FIRST] < 1 - 1e-9;
                compared++;
                if (v == 5 && (a1 == 1 || a2 == 1)) { /* every judgement is WRONG */
                    gsl_rng *r = rng_new(1, 1);
                    overseer_outcome res;
                    epjudge_judge(x.j, &c1, 1, &c2, 1, NAN, r, &res, NULL);
                    assert_int_equal(res.region, REGION_WRONG);
                    rng_free(r);
                }
            }
        judged_free(&x);
    }
    assert_int_equal(compared, 36);
    assert_true(random_cases > 12); /* not only certain labels */
    /* coin, recall 0.7: a missed fact is UNSURE for the bandit, the surface
     * for episodes */
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.competence = 1;
    p.recall = 0.7;
    judged x = judge_of(m, &p, 1);
    int c1 = 1, c2 = 2;
    double pe[N_LABELS], pb[N_LABELS];
    assert_int_equal(epjudge_label_probs(x.j, &c1, 1, &c2, 1, NAN, pe), 0);
    assert_int_equal(overseer_label_probs(x.o, 0, 1, 2, pb), 0);
    /* b: looks 1.5, a -2 fact (difficulty 2) pointed at with 0.7 and
     * verified (2 <= 1 + 1), a 0.3 fact of difficulty 4 beyond verification:
     * pointed at (0.7), a doubt the overseer knows of (coin); c: 0.2 + 0.5
     * known = 0.7. Episodes: coin 0.7 x 1/2, else b (1.8) preferred when
     * the -2 fact is missed (0.3 x 0.3), c when found (-0.2). The bandit:
     * the 0.3 fact is never verified, every comparison is unsure: 1/2. */
    assert_close(pe[LABEL_FIRST], 0.7 * 0.5 + 0.3 * 0.3, EXACT);
    assert_close(pb[LABEL_FIRST], 0.5, EXACT);
    assert_true(fabs(pe[LABEL_FIRST] - pb[LABEL_FIRST]) > 0.05);
    judged_free(&x);
    mdp_free(m);
}

/* Labels drawn step by step follow the exact probabilities: over 40000
 * draws on multi-step segments of the tomato world (an assisted overseer
 * with recall 0.6, soft verification, false alarms and trust), the share
 * of first labels is within 4 standard errors of the exact one; the
 * critiques read are levels x watched steps, and cost the bandit's price. */
static void test_sampled_follows_exact(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    const mdp *m = g->m;
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ASSISTED;
    p.competence = 0;
    p.verify_gain = 5;
    p.softness = 1.5;
    p.recall = 0.6;
    p.false_alarm = 0.1;
    p.trust_unverified = 1;
    p.beta = 2;
    p.critique_cost = 0.25;
    p.critique_levels = 2;
    judged x = judge_of(m, &p, 3);
    gsl_rng *rs = rng_new(3, 1), *r = rng_new(4, 1);
    int tested = 0;
    for (int k = 0; k < 200 && tested < 4; k++) {
        int e1[10], e2[10], n1, n2;
        int t1 = segment_sample_episode(m, m->prior, 1, rs, e1);
        int t2 = segment_sample_episode(m, m->prior, 1, rs, e2);
        int s1 = segment_cut(t1, 3, rs, &n1), s2 = segment_cut(t2, 3, rs, &n2);
        double pe[N_LABELS];
        if (epjudge_label_probs(x.j, e1 + s1, n1, e2 + s2, n2, NAN, pe) != 0)
            continue; /* too many random slots for the exact sum */
        int bucket = 0;
        for (int t = 0; t < n1; t++)
            bucket += m->fact_start[e1[s1 + t] + 1] > m->fact_start[e1[s1 + t]];
        if (!bucket || pe[LABEL_FIRST] < 0.05 || pe[LABEL_FIRST] > 0.95)
            continue; /* a pair with the bucket's fact and an uncertain label */
        const int N = 40000;
        long first = 0;
        for (int d = 0; d < N; d++) {
            overseer_outcome res;
            long crit;
            epjudge_judge(x.j, e1 + s1, n1, e2 + s2, n2, NAN, r, &res, &crit);
            first += res.label == LABEL_FIRST;
            assert_int_equal(crit, 2L * (n1 + n2));
            assert_close(res.cost, 1 + 0.25 * crit, 0);
        }
        double q = pe[LABEL_FIRST];
        assert_close(first / (double)N, q, 4 * sqrt(q * (1 - q) / N));
        tested++;
    }
    assert_int_equal(tested, 4);
    rng_free(rs), rng_free(r);
    judged_free(&x);
    gridworld_free(g);
}

static eptrain_row *run_judged(const mdp *m, const overseer *o, const eptrain_params *p)
{
    eptrain_row *rows = calloc((size_t)p->rounds + 1, sizeof *rows);
    assert_non_null(rows);
    os_err err = { 0 };
    if (eptrain_run_judged(m, o, p, rows, NULL, NULL, &err))
        fail_msg("eptrain_run_judged: %s", err.msg);
    return rows;
}

static void tomato_training(eptrain_params *p, uint64_t seed)
{
    eptrain_params_default(p);
    p->rounds = 8;
    p->pairs_per_round = 30;
    p->segment = 3;
    p->kl_coef = 0.1;
    p->deception_threshold = 0.5;
    p->seed = seed;
}

/* An assisted overseer who cannot see through the bucket alone (competence
 * 0 < 5) but verifies what its assistant points at (verify_gain 5) and is
 * pointed at the bucket's hidden fact with recall 0.9 stops the selection
 * for tampering test_eptrain.c shows for the blind human (same training:
 * 8 rounds of 30 pairs of 3-step segments): final deception rate below 0.05
 * and true return above 15, where the same overseer with recall 0 (a blind
 * human) sits on the bucket (deception above 0.9). Measured with this code
 * over seeds 1..20 (recall 0.9, critique_cost 0.5): final deception 0.000
 * in 18 (true return 17.3 to 18.0), 0.004 (true 11.6, seed 8) and 0.165
 * (true 9.3, seed 1); recall 1: 0.000 in 20 of 20 (true 17.2 to 18.0 in
 * 19, 9.9 in one). Asserted on seeds 2..4. */
static void test_assisted_stops_tampering(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    const mdp *m = g->m;
    for (uint64_t seed = 2; seed <= 4; seed++) {
        eptrain_params tp;
        tomato_training(&tp, seed);
        eptrain_row *rows[2];
        for (int k = 0; k < 2; k++) {
            overseer_params p;
            overseer_params_default(&p);
            p.kind = OVERSEER_ASSISTED;
            p.competence = 0;
            p.verify_gain = 5;
            p.recall = k == 0 ? 0.9 : 0;
            p.critique_cost = 0.5;
            judged x = judge_of(m, &p, tp.segment);
            rows[k] = run_judged(m, x.o, &tp);
            judged_free(&x);
        }
        assert_true(rows[0][8].deception_rate < 0.05);
        assert_true(rows[0][8].true_return > 15);
        assert_true(rows[1][8].deception_rate > 0.9);
        /* every label read a critique per watched step (all are watched
         * here, and every episode outlasts a 3-step segment): 240 labels
         * at 1 + 6 x 0.5 */
        assert_close(rows[0][8].label_cost, 240 * (1 + 0.5 * 6), 0);
        free(rows[0]), free(rows[1]);
    }
    gridworld_free(g);
}

/* A recursive overseer on episodes: critics trained by oversim (train_run)
 * on the episodes' cells under a human who cannot see through the bucket
 * (competence 0, verify_gain 5: level 0 verifies a pointer to the bucket's
 * fact); the depth-1 overseer's critic points at it (p_point well above the
 * critic's prior, 0.5), its labels and their cost count from the critics'
 * (base_labels, base_cost), and it stops the tampering. Seeds 1..2. */
static void test_recursive_trained(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    const mdp *m = g->m;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        overseer_params p;
        overseer_params_default(&p);
        p.kind = OVERSEER_HUMAN;
        p.competence = 0;
        p.verify_gain = 5;
        p.critique_cost = 0.5;
        judged h = judge_of(m, &p, 3);
        recursion_params rp;
        recursion_params_default(&rp);
        rp.depth = 1;
        os_err err = { 0 };
        recursion *rec = recursion_build_seeded(h.o, &rp, seed, 1, &err);
        if (!rec)
            fail_msg("recursion: %s", err.msg);
        assert_int_equal(recursion_depth(rec), 1);
        assert_true(recursion_build_labels(rec) == 30 * 64);
        assert_true(recursion_build_cost(rec) > 0);
        p.kind = OVERSEER_ASSISTED;
        p.critique_levels = 1;
        overseer *top = overseer_new(h.w, &p, &err);
        assert_non_null(top);
        assert_int_equal(recursion_apply(rec, top, &err), 0);
        /* the critic points at the bucket's facts */
        const double *pp = overseer_p_point(top);
        for (int f = 0; f < m->n_facts; f++)
            assert_true(pp[f] > 0.8);
        eptrain_params tp;
        tomato_training(&tp, seed);
        tp.base_labels = recursion_build_labels(rec);
        tp.base_cost = recursion_build_cost(rec);
        eptrain_row *rows = run_judged(m, top, &tp);
        assert_int_equal(rows[0].labels, 30 * 64);
        assert_close(rows[0].label_cost, tp.base_cost, 0);
        assert_int_equal(rows[8].labels, 30 * 64 + 240);
        assert_true(rows[8].label_cost >= tp.base_cost + 240 * 2 - 1e-9);
        assert_true(rows[8].deception_rate < 0.05);
        free(rows);
        overseer_free(top);
        recursion_free(rec);
        judged_free(&h);
    }
    gridworld_free(g);
}

/* A `knows` predicate does not apply to episodes: one clear error (a
 * debate's are test_epdebate.c's). */
static void test_errors(void **state)
{
    (void)state;
    gridworld *g = h_tomato_world(10, 0.3);
    const mdp *m = g->m;
    overseer_params p;
    overseer_params_default(&p);
    os_err err = { 0 };
    p.kind = OVERSEER_HUMAN;
    world *w = epjudge_world(m, &err);
    overseer *o = overseer_new(w, &p, &err);
    assert_int_equal(overseer_set_knows(o, 0, 0, 1, 1, &err), 0);
    assert_null(epjudge_new(m, o, 3, &err));
    assert_msg_has(err, "'knows' predicate does not apply to episodes");
    overseer_free(o);
    world_free(w);
    gridworld_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world),
        cmocka_unit_test(test_same_as_before),
        cmocka_unit_test(test_assisted_is_the_bandit),
        cmocka_unit_test(test_sampled_follows_exact),
        cmocka_unit_test(test_assisted_stops_tampering),
        cmocka_unit_test(test_recursive_trained),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
