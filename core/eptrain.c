/* eptrain.c — see eptrain.h. */
#include "eptrain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "epjudge.h"
#include "rng.h"
#include "segment.h"
#include "segrm.h"

static const metrics_column COLUMNS[] = {
    { "round", METRIC_INT }, { "labels", METRIC_INT }, { "skipped", METRIC_INT },
    { "label_cost", METRIC_REAL }, { "label_accuracy", METRIC_OPTIONAL },
    { "true_return", METRIC_REAL }, { "proxy_return", METRIC_REAL },
    { "perceived_return", METRIC_REAL }, { "kl", METRIC_REAL }, { "length", METRIC_REAL },
    { "deception_rate", METRIC_REAL }, { "return_watched", METRIC_OPTIONAL },
    { "return_unwatched", METRIC_OPTIONAL }, { "twin_tv", METRIC_OPTIONAL },
    { "deception_sampled", METRIC_FLAG } };
#define N_COLUMNS ((int)(sizeof COLUMNS / sizeof COLUMNS[0]))

int eptrain_n_columns(void)
{
    return N_COLUMNS;
}

const metrics_column *eptrain_column_at(int k)
{
    return k >= 0 && k < N_COLUMNS ? &COLUMNS[k] : NULL;
}

double eptrain_value(const eptrain_row *row, int k)
{
    switch (k) {
    case 0: return row->round;
    case 1: return (double)row->labels;
    case 2: return (double)row->skipped;
    case 3: return row->label_cost;
    case 4: return row->label_accuracy;
    case 5: return row->true_return;
    case 6: return row->proxy_return;
    case 7: return row->perceived_return;
    case 8: return row->kl;
    case 9: return row->length;
    case 10: return row->deception_rate;
    case 11: return row->return_watched;
    case 12: return row->return_unwatched;
    case 13: return row->twin_tv;
    case 14: return row->deception_sampled;
    default: return NAN;
    }
}

void eptrain_params_default(eptrain_params *p)
{
    memset(p, 0, sizeof *p);
    p->rounds = 10;
    p->pairs_per_round = 32;
    p->segment = 5;
    p->kl_coef = 0.1;
    p->l2 = 1;
    p->fit_iter = 200;
    p->fit_tol = 1e-7;
    p->deception_threshold = 0;
    p->metric_episodes = 1000;
    p->seed = 1;
    p->run_id = 1;
    eppg_params_default(&p->pg);
    debate_params_default(&p->debate);
}

int eptrain_check(const eptrain_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "train_episodes";
    if (p->rounds < 0 || p->rounds > EPTRAIN_MAX_ROUNDS)
        return err_set(err, OS_EINVAL, "field 'rounds' of %s must be an integer in 0..%d "
                       "(got %d)", what, EPTRAIN_MAX_ROUNDS, p->rounds);
    if (p->pairs_per_round < 1 || p->pairs_per_round > EPTRAIN_MAX_PAIRS)
        return err_set(err, OS_EINVAL, "field 'pairs' of %s must be an integer in 1..%d "
                       "(got %d)", what, EPTRAIN_MAX_PAIRS, p->pairs_per_round);
    if (p->segment < 1)
        return err_set(err, OS_EINVAL, "field 'segment' of %s must be an integer >= 1 "
                       "(got %d)", what, p->segment);
    if (!(p->kl_coef > 0) || !isfinite(p->kl_coef))
        return err_set(err, OS_EINVAL, "field 'kl' of %s must be a finite number > 0 "
                       "(got %g)", what, p->kl_coef);
    if (!(p->l2 >= 0) || !isfinite(p->l2))
        return err_set(err, OS_EINVAL, "field 'l2' of %s must be a finite number >= 0 "
                       "(got %g)", what, p->l2);
    if (p->fit_iter < 1)
        return err_set(err, OS_EINVAL, "field 'max_iter' of %s must be an integer >= 1 "
                       "(got %d)", what, p->fit_iter);
    if (!(p->fit_tol >= 0))
        return err_set(err, OS_EINVAL, "field 'tol' of %s must be >= 0 (got %g)", what,
                       p->fit_tol);
    if (!isfinite(p->deception_threshold))
        return err_set(err, OS_EINVAL, "field 'deception_threshold' of %s must be finite "
                       "(got %g)", what, p->deception_threshold);
    if (p->metric_episodes < 1 || p->metric_episodes > EPTRAIN_MAX_EPISODES)
        return err_set(err, OS_EINVAL, "field 'metric_episodes' of %s must be an integer "
                       "in 1..%d (got %d)", what, EPTRAIN_MAX_EPISODES, p->metric_episodes);
    int rc = eppg_check(&p->pg, what, err);
    if (rc)
        return rc;
    if (p->base_labels < 0)
        return err_set(err, OS_EINVAL, "base labels of %s must be >= 0 (got %ld)", what,
                       p->base_labels);
    if (!(p->base_cost >= 0) || !isfinite(p->base_cost))
        return err_set(err, OS_EINVAL, "base cost of %s must be a finite number >= 0 "
                       "(got %g)", what, p->base_cost);
    return 0;
}

/* Everything a run allocates, freed in one place. */
typedef struct run_state {
    double *pi;        /* H tables */
    double *u_table;   /* perceived value per cell */
    double *u_obs;     /* what the overseer perceives of a step: 0 where unwatched */
    double *occ;       /* H x S occupancy */
    double *init_part; /* S: the initial distribution restricted to watched or not */
    double *gap;       /* per cell: looks - v* (a step's deception) */
    int *ep1, *ep2;    /* H cells each */
    segrm *rm;
    epjudge *judge;
    eppg *pol;         /* the sampled methods' stationary policy */
    gsl_rng *r, *rmet, *rpol;
} run_state;

static void run_free(run_state *st)
{
    free(st->pi);
    free(st->u_table);
    free(st->u_obs);
    free(st->occ);
    free(st->init_part);
    free(st->gap);
    free(st->ep1);
    free(st->ep2);
    segrm_free(st->rm);
    epjudge_free(st->judge);
    eppg_free(st->pol);
    rng_free(st->rpol);
    rng_free(st->r);
    rng_free(st->rmet);
}

/* E true return of episodes starting in watched (want 1) or unwatched (0)
 * states; NAN when no initial mass starts so. */
static int split_return(const mdp *m, run_state *st, int want, double *out, os_err *err)
{
    double total = 0;
    for (int s = 0; s < m->n_states; s++) {
        st->init_part[s] = m->watched[s] == want ? m->init[s] : 0;
        total += st->init_part[s];
    }
    if (!(total > 0)) {
        *out = NAN;
        return 0;
    }
    const double *vals[1] = { m->vstar };
    double e;
    int rc = mdp_expect_from(m, st->init_part, st->pi, m->horizon, 1, vals, &e, NULL, NULL,
                             NULL, err);
    *out = e / total;
    return rc;
}

/* The policy-side fields of row for the current policy and reward model. */
static int measure(const mdp *m, const eptrain_params *p, run_state *st, eptrain_row *row,
                   os_err *err)
{
    const int S = m->n_states, A = m->n_actions, H = m->horizon;
    const double *vals[3] = { m->vstar, segrm_rewards(st->rm), st->u_obs };
    double out[3];
    int rc = mdp_expect(m, st->pi, H, 3, vals, out, &row->kl, &row->length, st->occ, err);
    if (rc)
        return rc;
    row->true_return = out[0];
    row->proxy_return = out[1];
    row->perceived_return = out[2];
    if ((rc = split_return(m, st, 1, &row->return_watched, err)) ||
        (rc = split_return(m, st, 0, &row->return_unwatched, err)))
        return rc;
    double tv = 0, mass = 0;
    for (int t = 0; t < H; t++)
        for (int s = 0; s < S; s++) {
            double d = st->occ[(size_t)t * S + s];
            int tw = m->twin[s];
            if (d == 0 || tw < 0 || m->terminal[s])
                continue;
            const double *a1 = st->pi + (size_t)t * m->n_cells + (size_t)s * A;
            const double *a2 = st->pi + (size_t)t * m->n_cells + (size_t)tw * A;
            double x = 0;
            for (int a = 0; a < A; a++)
                x += fabs(a1[a] - a2[a]);
            tv += d * 0.5 * x;
            mass += d;
        }
    row->twin_tv = mass > 0 ? tv / mass : NAN;
    rc = mdp_gap_tail(m, st->pi, H, st->gap, p->deception_threshold, EPTRAIN_EXACT_ENTRIES,
                      &row->deception_rate, err);
    if (rc != MDP_TOO_MANY) {
        row->deception_sampled = 0;
        return rc;
    }
    row->deception_sampled = 1; /* too many distinct excesses: sample episodes */
    long deceptive = 0;
    for (int e = 0; e < p->metric_episodes; e++) {
        int T = segment_sample_episode(m, st->pi, H, st->rmet, st->ep1);
        double gap = 0;
        for (int t = 0; t < T; t++)
            gap += m->looks[st->ep1[t]] - m->vstar[st->ep1[t]];
        deceptive += gap > p->deception_threshold;
    }
    row->deception_rate = (double)deceptive / p->metric_episodes;
    return 0;
}

/* The policy after a refit: the exact optimum of the reward model, or
 * p->pg.steps sampled steps from the current parameters (a stationary table,
 * copied to each of the H steps). */
static int improve(const mdp *m, const eptrain_params *p, run_state *st, os_err *err)
{
    if (p->pg.method == EPPG_EXACT)
        return mdp_soft_vi(m, segrm_rewards(st->rm), p->kl_coef, st->pi, NULL, err);
    int rc = eppg_train(st->pol, segrm_rewards(st->rm), p->kl_coef, &p->pg, st->rpol, err);
    if (rc)
        return rc;
    for (int t = 0; t < m->horizon; t++)
        memcpy(st->pi + (size_t)t * m->n_cells, eppg_policy(st->pol),
               (size_t)m->n_cells * sizeof *st->pi);
    return 0;
}

static double seg_true(const mdp *m, const int *c, int n)
{
    double s = 0;
    for (int t = 0; t < n; t++)
        s += m->vstar[c[t]];
    return s;
}

int eptrain_run(const mdp *m, const overseer_params *o, const eptrain_params *p,
                eptrain_row *rows, double *final_pi, double *final_reward, os_err *err)
{
    int rc = eptrain_check(p, NULL, err);
    if (rc || (rc = overseer_params_check(o, NULL, err)))
        return rc;
    world *w = epjudge_world(m, err);
    if (!w)
        return err ? err->code : OS_ENOMEM;
    overseer *ov = overseer_new(w, o, err);
    rc = ov ? eptrain_run_judged(m, ov, p, rows, final_pi, final_reward, err)
            : err ? err->code : OS_EINVAL;
    overseer_free(ov);
    world_free(w);
    return rc;
}

int eptrain_run_judged(const mdp *m, const overseer *ov, const eptrain_params *p,
                       eptrain_row *rows, double *final_pi, double *final_reward, os_err *err)
{
    int rc = eptrain_check(p, NULL, err);
    if (rc)
        return rc;
    const overseer_params *o = overseer_get_params(ov);
    const int H = m->horizon, L = p->segment;
    long long cap = (long long)p->rounds * p->pairs_per_round;
    if (cap > INT_MAX)
        return err_set(err, OS_EINVAL, "rounds x pairs must be at most %d (got %lld)", INT_MAX,
                       cap);
    run_state st = { 0 };
    size_t tables;
    if (size_mul((size_t)H, (size_t)m->n_cells, &tables) ||
        size_mul(tables, sizeof(double), &tables) ||
        !(st.pi = malloc(tables)) ||
        !(st.u_table = malloc((size_t)m->n_cells * sizeof *st.u_table)) ||
        !(st.u_obs = malloc((size_t)m->n_cells * sizeof *st.u_obs)) ||
        !(st.occ = malloc((size_t)H * (size_t)m->n_states * sizeof *st.occ)) ||
        !(st.init_part = malloc((size_t)m->n_states * sizeof *st.init_part)) ||
        !(st.gap = malloc((size_t)m->n_cells * sizeof *st.gap)) ||
        !(st.ep1 = malloc((size_t)H * sizeof *st.ep1)) ||
        !(st.ep2 = malloc((size_t)H * sizeof *st.ep2)) ||
        !(st.r = rng_new(p->seed, p->run_id)) ||
        !(st.rmet = rng_new(p->seed, rng_substream(p->run_id, 1000)))) {
        rc = err_set(err, OS_ENOMEM, "out of memory for an episode run");
        goto done;
    }
    os_err local = { 0 };
    if (!(st.rm = segrm_new(m, p->l2, cap > 0 ? (int)cap : 1, L < H ? L : H, &local))) {
        rc = local.code;
        if (err)
            *err = local;
        goto done;
    }
    if (!(st.judge = epjudge_new(m, ov, L < H ? L : H, &local))) {
        rc = local.code;
        if (err)
            *err = local;
        goto done;
    }
    if (o->kind == OVERSEER_DEBATE && epjudge_set_debate(st.judge, &p->debate, &local)) {
        rc = local.code;
        if (err)
            *err = local;
        goto done;
    }
    for (int i = 0; i < m->n_cells; i++)
        st.u_table[i] = epjudge_perceived(st.judge, i);
    if (p->pg.method != EPPG_EXACT) {
        if (!(st.pol = eppg_new(m, p->pg.batch, err))) {
            rc = err ? err->code : OS_ENOMEM;
            goto done;
        }
        if (!(st.rpol = rng_new(p->seed, rng_substream(p->run_id, 2000)))) {
            rc = err_set(err, OS_ENOMEM, "out of memory for an episode run");
            goto done;
        }
    }
    for (int i = 0; i < m->n_cells; i++) {
        st.u_obs[i] = o->kind == OVERSEER_ORACLE || m->watched[i / m->n_actions]
                      ? st.u_table[i] : 0;
        st.gap[i] = m->looks[i] - m->vstar[i];
    }
    for (int t = 0; t < H; t++)
        memcpy(st.pi + (size_t)t * m->n_cells, m->prior, (size_t)m->n_cells * sizeof *m->prior);
    memset(rows, 0, ((size_t)p->rounds + 1) * sizeof *rows);
    rows[0].label_accuracy = NAN;
    rows[0].labels = p->base_labels;
    rows[0].label_cost = p->base_cost;
    long critiques = 0; /* read so far */
    if ((rc = measure(m, p, &st, &rows[0], err)))
        goto done;
    for (int round = 1; round <= p->rounds; round++) {
        eptrain_row *row = &rows[round], *prev = &rows[round - 1];
        row->round = round;
        row->labels = prev->labels;
        row->skipped = prev->skipped;
        double margin = prev->length > 0 ? L * prev->true_return / prev->length : NAN;
        long acc_n = 0, acc_ok = 0;
        for (int k = 0; k < p->pairs_per_round; k++) {
            int n1, n2;
            int t1 = segment_sample_episode(m, st.pi, H, st.r, st.ep1);
            int s1 = segment_cut(t1, L, st.r, &n1);
            int t2 = segment_sample_episode(m, st.pi, H, st.r, st.ep2);
            int s2 = segment_cut(t2, L, st.r, &n2);
            const int *c1 = st.ep1 + s1, *c2 = st.ep2 + s2;
            overseer_outcome res;
            long crit;
            epjudge_judge(st.judge, c1, n1, c2, n2, margin, st.r, &res, &crit);
            label_kind l = res.label;
            critiques += crit;
            row->labels++;
            row->skipped += l == LABEL_SKIP;
            double v1 = seg_true(m, c1, n1), v2 = seg_true(m, c2, n2);
            if ((l == LABEL_FIRST || l == LABEL_SECOND) && v1 != v2) {
                acc_n++;
                acc_ok += (l == LABEL_FIRST) == (v1 > v2);
            }
            if ((rc = segrm_add(st.rm, c1, n1, c2, n2, l, err)))
                goto done;
        }
        /* the bandit's count: every label costs o->cost, every critique read
         * critique_cost (train.c); a recursive overseer's critics' labels
         * before round 1 */
        row->label_cost = p->base_cost + (double)(row->labels - p->base_labels) * o->cost +
                          o->critique_cost * (double)critiques;
        row->label_accuracy = acc_n ? (double)acc_ok / acc_n : NAN;
        if (!(rc = segrm_fit(st.rm, p->fit_iter, p->fit_tol, err)))
            rc = improve(m, p, &st, err);
        if (rc || (rc = measure(m, p, &st, row, err))) {
            err_prefix(err, "round %d", round);
            goto done;
        }
    }
    if (final_pi)
        memcpy(final_pi, st.pi, tables);
    if (final_reward)
        memcpy(final_reward, segrm_rewards(st.rm), (size_t)m->n_cells * sizeof *final_reward);
done:
    run_free(&st);
    return rc;
}
