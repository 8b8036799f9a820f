/* test_segment.c — segments (core/segment.c) and the segment reward model
 * (core/segrm.c): labels of hand-built segment pairs against a
 * transcription of B-Pref's get_label (watched and unwatched steps, hidden
 * facts found or not, myopia over steps, every threshold), episode sampling
 * and cutting (distributions and the draws they spend), and Bradley-Terry on
 * segment sums (gradient, exact recovery from exact preferences, ranking
 * from sampled oracle labels). */
#include <stdlib.h>
#include "helpers.h"
#include "segment.h"
#include "segrm.h"
#include "rng.h"

#define EXACT 1e-12

/* Three states (s2 unwatched), two actions; every move to a uniformly random
 * state (so episodes visit everything), H = 4. Cells:
 *   (s0,a0) looks 1, fact d 0.5 e -0.4   human(competence 1) 0.6, v* 0.6
 *   (s0,a1) looks 0.2                    0.2, v* 0.2
 *   (s1,a0) looks 2, fact d 3 e -1.5     2 (fact not found), v* 0.5
 *   (s1,a1) looks -0.3, fact d 1 e 0.8   0.5 (d == competence: found), v* 0.5
 *   (s2,a0) looks 5                      unseen, v* 5
 *   (s2,a1) looks -1, fact d 0 e -1      unseen, v* -2 */
static mdp *three_state(void)
{
    os_err err = { 0 };
    mdp *m = mdp_new(3, 2, 4, &err);
    assert_non_null(m);
    const char *names[3] = { "s0", "s1", "s2" };
    for (int s = 0; s < 3; s++)
        assert_int_equal(mdp_set_state(m, s, names[s], 1, 0, s != 2, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "a0", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "a1", &err), 0);
    const double looks[6] = { 1, 0.2, 2, -0.3, 5, -1 };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(mdp_set_cell(m, i / 2, i % 2, looks[i], 1, &err), 0);
        for (int s2 = 0; s2 < 3; s2++)
            assert_int_equal(mdp_add_transition(m, i / 2, i % 2, s2, 1.0 / 3, &err), 0);
    }
    assert_int_equal(mdp_add_fact(m, 0, 0, 0.5, -0.4, &err), 0);
    assert_int_equal(mdp_add_fact(m, 1, 0, 3, -1.5, &err), 0);
    assert_int_equal(mdp_add_fact(m, 1, 1, 1, 0.8, &err), 0);
    assert_int_equal(mdp_add_fact(m, 2, 1, 0, -1, &err), 0);
    if (mdp_finalize(m, &err))
        fail_msg("mdp_finalize: %s", err.msg);
    return m;
}

/* Per-cell values by hand (NAN: the human does not see the step). */
static const double human_seen[6] = { 0.6, 0.2, 2, 0.5, NAN, NAN };
static const double oracle_seen[6] = { 0.6, 0.2, 0.5, 0.5, 5, -2 };

/* A segment's return and discounted return from the hand tables: step t of
 * n counts gamma^(n-1-t); an unseen step counts nothing. */
static void by_hand(const double *seen, const int *cells, int n, double gamma, double *u,
                    double *ud, int *count)
{
    *u = *ud = 0;
    *count = 0;
    for (int t = 0; t < n; t++) {
        double v = seen[cells[t]];
        if (isnan(v))
            continue;
        *u += v;
        *ud += pow(gamma, n - 1 - t) * v;
        (*count)++;
    }
}

/* Hand-built segments: A and D have the same undiscounted human return (2.6),
 * so the equal threshold and the rational tie are exercised; C is all
 * unwatched. */
static const int seg_a[3] = { 0, 2, 4 }, seg_b[3] = { 3, 1, 3 }, seg_c[2] = { 5, 4 },
                 seg_d[2] = { 2, 0 };

/* Every B-Pref teacher (rational as beta INFINITY and 0, Boltzmann 1 and 3;
 * mistake 0 and 0.1; gamma 1, 0.9, 0.5; skip off, 1, 2.6 = a pair's max,
 * relative 0.1 x margin 20; equal off, 0.15, relative 0.05 x margin; margin
 * NAN: relative thresholds off) on every ordered pair of the four segments,
 * as a human (competence 1) and as an oracle: the exact label probabilities
 * equal get_label's on the hand-computed returns, within 1e-12; a pair the
 * human saw nothing of is skipped. */
static void test_labels_match_bpref(void **state)
{
    (void)state;
    mdp *m = three_state();
    const int *segs[4] = { seg_a, seg_b, seg_c, seg_d };
    const int lens[4] = { 3, 3, 2, 2 };
    const double betas[4] = { INFINITY, 0, 1, 3 }, epss[2] = { 0, 0.1 },
                 gammas[3] = { 1, 0.9, 0.5 }, margins[2] = { 20, NAN };
    const struct { double abs, eps; } skips[4] = { { 0, 0 }, { 1, 0 }, { 2.6, 0 }, { 0, 0.1 } },
                                      equals[3] = { { 0, 0 }, { 0.15, 0 }, { 0, 0.05 } };
    int checked = 0, skipped_unseen = 0, equal_seen = 0;
    os_err err = { 0 };
    double u_table[6];
    for (int kind = 0; kind < 2; kind++) {
        overseer_params p;
        overseer_params_default(&p);
        p.kind = kind ? OVERSEER_ORACLE : OVERSEER_HUMAN;
        p.competence = 1;
        assert_int_equal(segment_perceived_table(m, &p, u_table, &err), 0);
        const double *seen = kind ? oracle_seen : human_seen;
        for (int i = 0; i < 6; i++)
            if (!isnan(seen[i]))
                assert_close(u_table[i], seen[i], EXACT);
        for (int bi = 0; bi < 4; bi++)
            for (int ei = 0; ei < 2; ei++)
                for (int gi = 0; gi < 3; gi++)
                    for (int si = 0; si < 4; si++)
                        for (int qi = 0; qi < 3; qi++)
                            for (int mi = 0; mi < 2; mi++)
                                for (int x = 0; x < 4; x++)
                                    for (int y = 0; y < 4; y++) {
                                        p.beta = betas[bi], p.mistake = epss[ei];
                                        p.myopia = gammas[gi];
                                        p.skip_threshold = skips[si].abs;
                                        p.skip_eps = skips[si].eps;
                                        p.equal_threshold = equals[qi].abs;
                                        p.equal_eps = equals[qi].eps;
                                        double mg = margins[mi];
                                        double u1, ud1, u2, ud2, want[N_LABELS], got[N_LABELS];
                                        int n1, n2;
                                        by_hand(seen, segs[x], lens[x], p.myopia, &u1, &ud1, &n1);
                                        by_hand(seen, segs[y], lens[y], p.myopia, &u2, &ud2, &n2);
                                        double ts = p.skip_eps > 0 ? p.skip_eps * mg
                                                                   : p.skip_threshold;
                                        double te = p.equal_eps > 0 ? p.equal_eps * mg
                                                                    : p.equal_threshold;
                                        if (n1 + n2 == 0) {
                                            memset(want, 0, sizeof want);
                                            want[LABEL_SKIP] = 1;
                                            skipped_unseen++;
                                        } else {
                                            h_bpref_get_label(u1, u2, ud1, ud2, p.beta,
                                                              p.mistake, ts, te, want);
                                        }
                                        segment_label_probs(m, &p, u_table, segs[x], lens[x],
                                                            segs[y], lens[y], mg, got);
                                        for (int l = 0; l < N_LABELS; l++)
                                            assert_close(got[l], want[l], EXACT);
                                        equal_seen += want[LABEL_EQUAL] == 1;
                                        checked++;
                                    }
    }
    assert_int_equal(checked, 2 * 4 * 2 * 3 * 4 * 3 * 2 * 16);
    assert_true(skipped_unseen > 0);
    assert_true(equal_seen > 0);
    mdp_free(m);
}

/* The cases spelled out: the human prefers A (2.6) to B (1.2) rationally and
 * without myopia, but with gamma 0.5 A's 2 at its middle step and 0.6 at the
 * first count 0.5 x 2 + 0.25 x 0.6 = 1.15 against B's 0.125 + 0.1 + 0.5 =
 * 0.725: still A; with gamma 0.1, A discounts to 0.206 and B to 0.525: B.
 * The oracle sees A's unwatched last step (5) and A's hidden fact (-1.5). */
static void test_label_cases(void **state)
{
    (void)state;
    mdp *m = three_state();
    os_err err = { 0 };
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_HUMAN;
    p.competence = 1;
    double u[6], probs[N_LABELS];
    assert_int_equal(segment_perceived_table(m, &p, u, &err), 0);
    segment_view v;
    segment_perceive(m, &p, u, seg_a, 3, &v);
    assert_close(v.u, 2.6, EXACT);
    assert_int_equal(v.seen, 2);
    p.myopia = 0.5;
    segment_perceive(m, &p, u, seg_a, 3, &v);
    assert_close(v.ud, 1.15, EXACT);
    segment_label_probs(m, &p, u, seg_a, 3, seg_b, 3, NAN, probs);
    assert_close(probs[LABEL_FIRST], 1, 0);
    p.myopia = 0.1;
    segment_label_probs(m, &p, u, seg_a, 3, seg_b, 3, NAN, probs);
    assert_close(probs[LABEL_SECOND], 1, 0);
    segment_label_probs(m, &p, u, seg_c, 2, seg_c, 2, NAN, probs);
    assert_close(probs[LABEL_SKIP], 1, 0);
    p.kind = OVERSEER_ORACLE;
    p.myopia = 1;
    assert_int_equal(segment_perceived_table(m, &p, u, &err), 0);
    segment_perceive(m, &p, u, seg_a, 3, &v);
    assert_close(v.u, 0.6 + 0.5 + 5, EXACT);
    assert_int_equal(v.seen, 3);
    /* random perceptions have no table (epjudge.h judges them) */
    p.kind = OVERSEER_ASSISTED;
    assert_int_equal(segment_perceived_table(m, &p, u, &err), OS_EINVAL);
    assert_msg_is(err, "a table of perceived values is an oracle's or a human's (an "
                       "assisted overseer's are random: epjudge.h)");
    p.kind = OVERSEER_HUMAN;
    p.softness = 2;
    assert_int_equal(segment_perceived_table(m, &p, u, &err), OS_EINVAL);
    assert_msg_is(err, "field 'softness' must be inf for a table of perceived values (soft "
                       "discovery is random: epjudge.h; got 2)");
    mdp_free(m);
}

/* Sampled episodes follow the policy: the mean sampled return of pi0 and of
 * a skewed stationary policy match mdp_expect within 4 standard errors
 * (20000 episodes); every episode has H steps (no terminal state). */
static void test_sample_episode(void **state)
{
    (void)state;
    mdp *m = three_state();
    gsl_rng *r = rng_new(7, 1);
    const double skew[6] = { 0.9, 0.1, 0.2, 0.8, 0.5, 0.5 };
    const double *pols[2] = { m->prior, skew };
    for (int k = 0; k < 2; k++) {
        const double *vals[1] = { m->vstar };
        double exact;
        os_err err = { 0 };
        assert_int_equal(mdp_expect(m, pols[k], 1, 1, vals, &exact, NULL, NULL, NULL, &err), 0);
        const int N = 20000;
        double sum = 0, sq = 0;
        for (int e = 0; e < N; e++) {
            int cells[4];
            int T = segment_sample_episode(m, pols[k], 1, r, cells);
            assert_int_equal(T, 4);
            double ret = 0;
            for (int t = 0; t < T; t++)
                ret += m->vstar[cells[t]];
            sum += ret;
            sq += ret * ret;
        }
        double mean = sum / N, sd = sqrt(sq / N - mean * mean);
        assert_close(mean, exact, 4 * sd / sqrt(N));
    }
    rng_free(r);
    mdp_free(m);
}

/* A deterministic world spends one draw for the start and one per action
 * only (a certain move spends none): after an episode of T steps the stream
 * is where a copy is after 1 + T uniform draws. A terminal state ends
 * episodes early. */
static void test_sample_draws(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(2, 2, 5, &err);
    assert_int_equal(mdp_set_state(m, 0, "s", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "end", 0, 1, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "stay", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "go", &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, 0, 0, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, 1, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 0, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 1, 1, 1, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), 0);
    gsl_rng *r = rng_new(3, 9), *copy = rng_new(3, 9);
    long lens = 0, shorter = 0;
    for (int e = 0; e < 200; e++) {
        int cells[5];
        int T = segment_sample_episode(m, m->prior, 1, r, cells);
        assert_true(T >= 1 && T <= 5);
        /* the episode stops on go, and only then (or at H) */
        for (int t = 0; t < T - 1; t++)
            assert_int_equal(cells[t], 0);
        if (T < 5)
            assert_int_equal(cells[T - 1], 1);
        for (int k = 0; k < 1 + T; k++)
            gsl_rng_uniform(copy);
        assert_int_equal(gsl_rng_get(r), gsl_rng_get(copy));
        lens += T;
        shorter += T < 5;
    }
    assert_true(shorter > 150); /* P(T < 5) = 1 - 1/16 */
    /* expected length 1 + 1/2 + 1/4 + 1/8 + 1/16 = 1.9375, within 4 SE */
    assert_close(lens / 200.0, 1.9375, 4 * 1.2 / sqrt(200));
    rng_free(r);
    rng_free(copy);
    mdp_free(m);
}

/* Cutting: an episode no longer than L is its own segment (no draw); a
 * longer one starts uniformly in 0..T-L (each of 4 starts within 4 SE of
 * 1/4 over 8000 cuts). */
static void test_cut(void **state)
{
    (void)state;
    gsl_rng *r = rng_new(5, 1), *copy = rng_new(5, 1);
    int n;
    assert_int_equal(segment_cut(3, 3, r, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(segment_cut(2, 3, r, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(gsl_rng_get(r), gsl_rng_get(copy)); /* no draw spent */
    long count[4] = { 0 };
    const int N = 8000;
    for (int k = 0; k < N; k++) {
        int s = segment_cut(6, 3, r, &n);
        assert_int_equal(n, 3);
        assert_true(s >= 0 && s <= 3);
        count[s]++;
    }
    for (int s = 0; s < 4; s++)
        assert_close(count[s] / (double)N, 0.25, 4 * sqrt(0.25 * 0.75 / N));
    rng_free(r);
    rng_free(copy);
}

/* Comparisons of random segments of length L drawn from pi0 on m. */
static int draw_pair(const mdp *m, gsl_rng *r, int L, int *c1, int *n1, int *c2, int *n2)
{
    int ep[8];
    int T = segment_sample_episode(m, m->prior, 1, r, ep);
    int s = segment_cut(T, L, r, n1);
    memcpy(c1, ep + s, *n1 * sizeof *c1);
    T = segment_sample_episode(m, m->prior, 1, r, ep);
    s = segment_cut(T, L, r, n2);
    memcpy(c2, ep + s, *n2 * sizeof *c2);
    return 0;
}

static double seg_sum(const double *v, const int *c, int n)
{
    double s = 0;
    for (int t = 0; t < n; t++)
        s += v[c[t]];
    return s;
}

/* The loss's gradient against central differences (step 1e-6, within
 * 1e-6), with l2 > 0 and a mix of labels, at a random psi. */
static void test_segrm_gradient(void **state)
{
    (void)state;
    mdp *m = three_state();
    os_err err = { 0 };
    segrm *rm = segrm_new(m, 0.3, 50, 2, &err);
    assert_non_null(rm);
    gsl_rng *r = rng_new(11, 1);
    for (int k = 0; k < 40; k++) {
        int c1[2], c2[2], n1, n2;
        draw_pair(m, r, 2, c1, &n1, c2, &n2);
        assert_int_equal(segrm_add(rm, c1, n1, c2, n2, (label_kind)(k % 4), &err), 0);
    }
    assert_int_equal(segrm_count(rm), 30); /* skips (k % 4 == 3) dropped */
    double *psi = segrm_psi(rm), g[6];
    for (int j = 0; j < 6; j++)
        psi[j] = gsl_rng_uniform(r) * 2 - 1;
    segrm_loss(rm, g);
    for (int j = 0; j < 6; j++) {
        double keep = psi[j], h = 1e-6;
        psi[j] = keep + h;
        double lp = segrm_loss(rm, NULL);
        psi[j] = keep - h;
        double lm = segrm_loss(rm, NULL);
        psi[j] = keep;
        assert_close(g[j], (lp - lm) / (2 * h), 1e-6);
    }
    rng_free(r);
    segrm_free(rm);
    mdp_free(m);
}

/* The loss by hand: at psi = (0.5, -1, 2, 0, 0, 1) with l2 0.2, a first
 * (A over B: z = psi.(phi(A) - phi(B))), a second and an equal label, and a
 * skip that does not count:
 *   -(1/3) [log s(zA) + log s(-zB) + (log s(zC) + log s(-zC)) / 2 - 0.2 |psi|^2]. */
static void test_segrm_loss_by_hand(void **state)
{
    (void)state;
    mdp *m = three_state();
    os_err err = { 0 };
    segrm *rm = segrm_new(m, 0.2, 4, 2, &err);
    assert_non_null(rm);
    const int x1[2] = { 0, 2 }, y1[2] = { 1, 1 };  /* z = 0.5 + 2 - 2 (-1) = 4.5 */
    const int x2[1] = { 5 }, y2[2] = { 0, 3 };     /* z = 1 - 0.5 = 0.5 */
    const int x3[2] = { 4, 4 }, y3[1] = { 1 };     /* z = 0 + 1 = 1 */
    assert_int_equal(segrm_add(rm, x1, 2, y1, 2, LABEL_FIRST, &err), 0);
    assert_int_equal(segrm_add(rm, x2, 1, y2, 2, LABEL_SECOND, &err), 0);
    assert_int_equal(segrm_add(rm, x3, 2, y3, 1, LABEL_EQUAL, &err), 0);
    assert_int_equal(segrm_add(rm, x1, 2, y1, 2, LABEL_SKIP, &err), 0);
    assert_int_equal(segrm_count(rm), 3);
    const double psi[6] = { 0.5, -1, 2, 0, 0, 1 };
    memcpy(segrm_psi(rm), psi, sizeof psi);
    segrm_refresh(rm);
    assert_close(segrm_rewards(rm)[2], 2, 0);
    double want = -(log(h_sigmoid(4.5)) + log(h_sigmoid(-0.5)) +
                    0.5 * (log(h_sigmoid(1)) + log(h_sigmoid(-1))) - 0.2 * (0.25 + 1 + 4 + 1)) / 3;
    assert_close(segrm_loss(rm, NULL), want, EXACT);
    segrm_free(rm);
    mdp_free(m);
}

/* Exact preferences (soft labels y = sigma(V1 - V2), l2 0) on 400 pairs of
 * segments of length 2: the fit recovers v* up to the one thing segment
 * sums of equal length cannot tell, a constant: centred rewards equal
 * centred v* within 1e-5 (BFGS to |grad| < 1e-12). */
static void test_segrm_exact_recovery(void **state)
{
    (void)state;
    mdp *m = three_state();
    os_err err = { 0 };
    segrm *rm = segrm_new(m, 0, 400, 2, &err);
    gsl_rng *r = rng_new(12, 1);
    for (int k = 0; k < 400; k++) {
        int c1[2], c2[2], n1, n2;
        draw_pair(m, r, 2, c1, &n1, c2, &n2);
        double d = seg_sum(m->vstar, c1, n1) - seg_sum(m->vstar, c2, n2);
        assert_int_equal(segrm_add_prob(rm, c1, n1, c2, n2, h_sigmoid(d), &err), 0);
    }
    assert_int_equal(segrm_fit(rm, 1000, 1e-12, &err), 0);
    const double *rw = segrm_rewards(rm);
    double mr = 0, mv = 0;
    for (int i = 0; i < 6; i++)
        mr += rw[i] / 6, mv += m->vstar[i] / 6;
    for (int i = 0; i < 6; i++)
        assert_close(rw[i] - mr, m->vstar[i] - mv, 1e-5);
    assert_true(fabs(m->vstar[4] - mv) > 1); /* not vacuous: the values differ */
    /* full store; bad target */
    int c[1] = { 0 };
    assert_int_equal(segrm_add_prob(rm, c, 1, c, 1, 0.5, &err), OS_EINVAL);
    assert_msg_is(err, "the segment reward model is full (400 comparisons)");
    rng_free(r);
    segrm_free(rm);
    rm = segrm_new(m, 0, 1, 2, &err);
    assert_int_equal(segrm_add_prob(rm, c, 1, c, 1, 1.5, &err), OS_EINVAL);
    assert_msg_is(err, "a comparison's target must be a probability in [0,1] (got 1.5)");
    segrm_free(rm);
    assert_null(segrm_new(m, -1, 1, 2, &err));
    assert_msg_is(err, "field 'l2' of reward_model must be a finite number >= 0 (got -1)");
    assert_null(segrm_new(m, 0, 1, 0, &err));
    assert_msg_is(err, "a segment reward model needs segments of at least one step (got 0)");
    /* made for 1-step segments (2 nonzeros), given 2 steps on each side with
     * 4 distinct cells: refused, nothing stored */
    rm = segrm_new(m, 0, 4, 1, &err);
    const int d1[2] = { 0, 2 }, d2[2] = { 1, 3 };
    assert_int_equal(segrm_add(rm, d1, 2, d2, 2, LABEL_FIRST, &err), OS_EINVAL);
    assert_msg_is(err, "a comparison of 2 and 2 steps is longer than the segment reward model "
                  "was made for");
    assert_int_equal(segrm_count(rm), 0);
    /* the same cells on both sides cancel: no nonzero, stored */
    assert_int_equal(segrm_add(rm, d1, 2, d1, 2, LABEL_EQUAL, &err), 0);
    assert_int_equal(segrm_count(rm), 1);
    segrm_free(rm);
    mdp_free(m);
}

/* Three states, two actions, moves to a uniformly random state, H = 4, all
 * watched, no facts; true values spaced 0.5 apart, in no particular cell
 * order: 0.25, -1.25, 1.25, -0.25, 0.75, -0.75. */
static mdp *ranked(void)
{
    os_err err = { 0 };
    mdp *m = mdp_new(3, 2, 4, &err);
    assert_non_null(m);
    const char *names[3] = { "s0", "s1", "s2" };
    for (int s = 0; s < 3; s++)
        assert_int_equal(mdp_set_state(m, s, names[s], 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_action(m, 0, "a0", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "a1", &err), 0);
    const double looks[6] = { 0.25, -1.25, 1.25, -0.25, 0.75, -0.75 };
    for (int i = 0; i < 6; i++) {
        assert_int_equal(mdp_set_cell(m, i / 2, i % 2, looks[i], 1, &err), 0);
        for (int s2 = 0; s2 < 3; s2++)
            assert_int_equal(mdp_add_transition(m, i / 2, i % 2, s2, 1.0 / 3, &err), 0);
    }
    assert_int_equal(mdp_finalize(m, &err), 0);
    return m;
}

/* With scenario features (dim 2, not one-hot) and v* linear in them
 * (v* = phi . (1, -0.5)), exact preferences recover psi itself (segments of
 * different lengths: nothing is left unidentified), within 1e-6; rewards
 * are phi . psi. */
static void test_segrm_features(void **state)
{
    (void)state;
    os_err err = { 0 };
    mdp *m = mdp_new(2, 2, 3, &err);
    assert_int_equal(mdp_set_state(m, 0, "s0", 1, 0, 1, &err), 0);
    assert_int_equal(mdp_set_state(m, 1, "s1", 0, 1, 1, &err), 0); /* terminal */
    assert_int_equal(mdp_set_action(m, 0, "a", &err), 0);
    assert_int_equal(mdp_set_action(m, 1, "b", &err), 0);
    const double phi[8] = { 1, 0, 0.5, 2, 0, 0, 0, 0 };
    const double truth[2] = { 1, -0.5 };
    /* v*(s0,a) = 1, v*(s0,b) = 0.5 - 1 = -0.5; a stays, b ends the episode */
    assert_int_equal(mdp_set_cell(m, 0, 0, 1, 1, &err), 0);
    assert_int_equal(mdp_set_cell(m, 0, 1, -0.5, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 0, 0, 1, &err), 0);
    assert_int_equal(mdp_add_transition(m, 0, 1, 1, 1, &err), 0);
    assert_int_equal(mdp_set_features(m, 2, phi, &err), 0);
    assert_int_equal(mdp_finalize(m, &err), 0);
    segrm *rm = segrm_new(m, 0, 200, 2, &err);
    assert_non_null(rm);
    assert_int_equal(segrm_dim(rm), 2);
    gsl_rng *r = rng_new(4, 1);
    for (int k = 0; k < 200; k++) {
        int c1[3], c2[3];
        int n1 = segment_sample_episode(m, m->prior, 1, r, c1);
        int n2 = segment_sample_episode(m, m->prior, 1, r, c2);
        double d = seg_sum(m->vstar, c1, n1) - seg_sum(m->vstar, c2, n2);
        assert_int_equal(segrm_add_prob(rm, c1, n1, c2, n2, h_sigmoid(d), &err), 0);
    }
    assert_int_equal(segrm_fit(rm, 1000, 1e-12, &err), 0);
    const double *psi = segrm_psi(rm);
    assert_close(psi[0], truth[0], 1e-6);
    assert_close(psi[1], truth[1], 1e-6);
    assert_close(segrm_rewards(rm)[1], m->vstar[1], 1e-6);
    rng_free(r);
    segrm_free(rm);
    mdp_free(m);
}

/* Sampled labels of a Boltzmann oracle (beta 1: the Bradley-Terry model
 * itself) on 2000 pairs of segments of length 2 drawn from pi0 (l2 1)
 * recover the ranking of the six cells' true values, and each centred reward
 * within 0.3 of the centred v*. Measured with this code over seeds 1..60
 * (stream run 1): the ranking right in all 60, largest error 0.216 (seed 1,
 * the one used: 0.080). */
static void test_segrm_oracle_labels(void **state)
{
    (void)state;
    mdp *m = ranked();
    os_err err = { 0 };
    overseer_params p;
    overseer_params_default(&p);
    p.kind = OVERSEER_ORACLE;
    p.beta = 1;
    double u[6];
    assert_int_equal(segment_perceived_table(m, &p, u, &err), 0);
    segrm *rm = segrm_new(m, 1, 2000, 2, &err);
    gsl_rng *r = rng_new(1, 1);
    for (int k = 0; k < 2000; k++) {
        int c1[2], c2[2], n1, n2;
        draw_pair(m, r, 2, c1, &n1, c2, &n2);
        label_kind l = segment_label(m, &p, u, c1, n1, c2, n2, NAN, r);
        assert_int_equal(segrm_add(rm, c1, n1, c2, n2, l, &err), 0);
    }
    assert_int_equal(segrm_fit(rm, 500, 1e-10, &err), 0);
    const double *rw = segrm_rewards(rm);
    double mr = 0, mv = 0, worst = 0;
    for (int i = 0; i < 6; i++)
        mr += rw[i] / 6, mv += m->vstar[i] / 6;
    for (int i = 0; i < 6; i++) {
        worst = fmax(worst, fabs((rw[i] - mr) - (m->vstar[i] - mv)));
        for (int j = 0; j < 6; j++)
            if (m->vstar[i] > m->vstar[j])
                assert_true(rw[i] > rw[j]);
    }
    assert_true(worst < 0.3);
    rng_free(r);
    segrm_free(rm);
    mdp_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_match_bpref),
        cmocka_unit_test(test_label_cases),
        cmocka_unit_test(test_sample_episode),
        cmocka_unit_test(test_sample_draws),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_segrm_gradient),
        cmocka_unit_test(test_segrm_loss_by_hand),
        cmocka_unit_test(test_segrm_exact_recovery),
        cmocka_unit_test(test_segrm_oracle_labels),
        cmocka_unit_test(test_segrm_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
