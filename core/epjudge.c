/* epjudge.c — see epjudge.h. */
#include "epjudge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"
#include "rng.h"

world *epjudge_world(const mdp *m, os_err *err)
{
    const int S = m->n_states, A = m->n_actions;
    world *w = world_new(S, A, err);
    if (!w)
        return NULL;
    int rc = 0;
    char name[32];
    for (int s = 0; s < S && !rc; s++)
        rc = world_set_context(w, s, m->state_name[s], 1, -INFINITY, 0, err);
    for (int a = 0; a < A && !rc; a++) {
        if (!m->action_name[a])
            snprintf(name, sizeof name, "a%d", a + 1);
        rc = world_set_behaviour(w, a, m->action_name[a] ? m->action_name[a] : name, 0, err);
    }
    for (int i = 0; i < m->n_cells && !rc; i++) {
        int s = i / A, a = i % A;
        if (m->terminal[s]) {
            if (a == 0)
                rc = world_set_cell(w, s, 0, 0, 1, err); /* a placeholder: never judged */
            continue;
        }
        rc = world_set_cell(w, s, a, m->looks[i], m->prior[i], err);
        for (int f = m->fact_start[i]; f < m->fact_start[i + 1] && !rc; f++) {
            snprintf(name, sizeof name, "f%d", f + 1);
            rc = world_add_fact(w, s, a, name, m->fact_difficulty[f], m->fact_effect[f], err);
        }
    }
    if (!rc)
        rc = world_finalize(w, 0, err);
    if (rc) {
        world_free(w);
        return NULL;
    }
    return w;
}

struct epjudge {
    const mdp *m;
    const overseer *o;
    int max_steps;
    slot_event *ev;     /* the pair's random-or-not slots, in judging order */
    unsigned char *out; /* each slot's outcome */
    int *idx;           /* the random ones (exact probabilities) */
    /* a DEBATE overseer: its debate (reveals 0 until epjudge_set_debate: the
     * judge alone), the game of the pair being judged and that pair */
    debate_params dp;
    int max_slots;      /* the most slots a pair can have */
    game *g;
    const int *pc[2];
    int pn[2], first;
    double margin;
};

epjudge *epjudge_new(const mdp *m, const overseer *o, int max_steps, os_err *err)
{
    const world *w = overseer_world(o);
    if (o->knows_override) {
        err_set(err, OS_EINVAL, "a 'knows' predicate does not apply to episodes (it is "
                "per context and pair of behaviours; a segment's steps are in different "
                "states)");
        return NULL;
    }
    if (w->n_ctx != m->n_states || w->n_beh != m->n_actions) {
        err_set(err, OS_EINVAL, "the overseer's world (%d x %d) is not the episodes' cells "
                "(%d states x %d actions)", w->n_ctx, w->n_beh, m->n_states, m->n_actions);
        return NULL;
    }
    if (max_steps < 1) {
        err_set(err, OS_EINVAL, "segments need at least one step (got %d)", max_steps);
        return NULL;
    }
    int most = 0; /* the most facts of a cell */
    for (int i = 0; i < m->n_cells; i++)
        if (m->fact_start[i + 1] - m->fact_start[i] > most)
            most = m->fact_start[i + 1] - m->fact_start[i];
    size_t slots, bytes;
    /* per step: its facts and a false alarm; two segments */
    if (size_mul((size_t)max_steps, (size_t)most + 1, &slots) ||
        size_mul(slots, 2, &slots) ||
        size_mul(slots, sizeof(slot_event) + 1 + sizeof(int), &bytes)) {
        err_set(err, OS_ENOMEM, "segments of %d steps have too many slots", max_steps);
        return NULL;
    }
    epjudge *j = calloc(1, sizeof *j);
    if (!j || !(j->ev = malloc(slots * sizeof *j->ev)) || !(j->out = malloc(slots)) ||
        !(j->idx = malloc(slots * sizeof *j->idx))) {
        epjudge_free(j);
        err_set(err, OS_ENOMEM, "out of memory for an episode judge");
        return NULL;
    }
    j->m = m;
    j->o = o;
    j->max_steps = max_steps;
    if (o->p.kind == OVERSEER_DEBATE) {
        /* a debate's slots: the facts of both segments' steps (no false alarms),
         * no overflow as slots = 2 max_steps (most + 1) did not */
        size_t ds = slots / ((size_t)most + 1) * (size_t)most;
        if (ds > DMAX) {
            err_set(err, OS_EINVAL, "a debate over segments of %d steps can have %zu hidden "
                    "slots, above the limit of %d: shorten 'segment'", max_steps, ds, DMAX);
            epjudge_free(j);
            return NULL;
        }
        j->max_slots = (int)ds;
        debate_params_default(&j->dp);
        j->dp.reveals = 0;
        if (!(j->g = malloc(sizeof *j->g))) {
            epjudge_free(j);
            err_set(err, OS_ENOMEM, "out of memory for an episode judge");
            return NULL;
        }
    }
    return j;
}

void epjudge_free(epjudge *j)
{
    if (!j)
        return;
    free(j->ev);
    free(j->out);
    free(j->idx);
    free(j->g);
    free(j);
}

double epjudge_perceived(const epjudge *j, int cell)
{
    return overseer_perceived(j->o, cell);
}

/* Does the overseer see a step in cell i? */
static int sees(const epjudge *j, int i)
{
    return j->o->p.kind == OVERSEER_ORACLE || j->m->watched[i / j->m->n_actions];
}

/* The slots of a step in cell i on `side` into ev (as overseer_gather's for
 * one output, without the context, which is always understood). */
static int step_slots(const overseer *o, int i, int side, slot_event *ev)
{
    const world *w = o->w;
    int n = 0;
    if (o->p.kind == OVERSEER_ORACLE || o->surface[i])
        return 0;
    for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++)
        if (!o->slot_known[f])
            ev[n++] = (slot_event){ w->fact_effect[f], 1, o->p_point[f], o->p_verify[f],
                                    o->p_known[f], o->claim[f], (unsigned char)side, 0 };
    if (o->p.kind == OVERSEER_ASSISTED && o->p.false_alarm > 0)
        ev[n++] = (slot_event){ o->p.false_alarm_effect, 1, o->p.false_alarm,
                                o->p_verify_fa, 0, o->p.false_alarm_effect,
                                (unsigned char)side, 1 };
    return n;
}

/* Both segments' slots into j->ev in judging order; *seen: watched steps. */
static int gather(epjudge *j, const int *const c[2], const int n[2], int *seen)
{
    int k = 0;
    *seen = 0;
    for (int side = 0; side < 2; side++)
        for (int t = n[side] - 1; t >= 0; t--) {
            int i = c[side][t];
            if (!sees(j, i))
                continue;
            (*seen)++;
            k += step_slots(j->o, i, side, j->ev + k);
        }
    return k;
}

/* Slots of a step in cell i (step_slots' count, without filling them). */
static int step_count(const overseer *o, int i)
{
    const world *w = o->w;
    int n = 0;
    if (o->p.kind == OVERSEER_ORACLE || o->surface[i])
        return 0;
    for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++)
        n += !o->slot_known[f];
    return n + (o->p.kind == OVERSEER_ASSISTED && o->p.false_alarm > 0);
}

/* The label distribution given each slot's outcome out[k] of ev[k] (gathered
 * with segment `first` first: 0 for gather's order): the perceived returns
 * (steps from the last, as segment_perceive sums them), the region, then the
 * region's rule. Counts hidden and found slots as overseer_judge_given; u
 * (may be NULL) receives the undiscounted perceived returns. hc, lc (NULL but
 * in a debate): the slots claimed by either debater; a claimed slot left
 * hidden (disputed, uncheckable) is a doubt the judge knows of, as an
 * unverifiable pointer it does not trust. */
static region_kind judge_given(const epjudge *j, const int *const c[2], const int n[2],
                               int first, const slot_event *ev, const unsigned char *outs,
                               const unsigned char *hc, const unsigned char *lc,
                               double margin, double p[N_LABELS], int *hidden, int *found,
                               double u_out[2])
{
    const overseer *o = j->o;
    double u[2] = { 0, 0 }, ud[2] = { 0, 0 };
    int k = 0, unknown = 0, wrong = 0, seen[2] = { 0, 0 };
    *hidden = *found = 0;
    for (int q = 0; q < 2; q++) {
        int side = q ^ first;
        double wt = 1;
        for (int t = n[side] - 1; t >= 0; t--, wt *= o->p.myopia) {
            int i = c[side][t];
            if (!sees(j, i))
                continue;
            seen[side]++;
            double x = o->u_base[i];
            wrong |= o->wrong[i];
            int ns = step_count(o, i);
            for (int s = 0; s < ns; s++, k++) {
                const slot_event *e = &ev[k];
                int out = outs[k];
                if (!e->false_alarm && out != OUT_KNOWN) {
                    (*hidden)++;
                    *found += out != OUT_HIDDEN;
                }
                int believed = out == OUT_KNOWN ||
                               (out == OUT_VERIFIED ? !e->false_alarm
                                : out == OUT_UNVERIFIED && o->p.trust_unverified);
                if (believed) {
                    double v = out == OUT_UNVERIFIED ? e->claim : e->effect;
                    x += v;
                    wrong |= e->false_alarm || v != e->effect;
                } else if (out == OUT_UNVERIFIED || (hc && (hc[k] || lc[k]))) {
                    unknown++; /* a pointer it cannot check: a doubt it knows of */
                }
            }
            u[side] += x;
            ud[side] += wt * x;
        }
    }
    if (u_out)
        u_out[0] = u[0], u_out[1] = u[1];
    for (int l = 0; l < N_LABELS; l++)
        p[l] = 0;
    if (seen[0] == 0 && seen[1] == 0) { /* nothing seen, nothing to compare */
        p[LABEL_SKIP] = 1;
        return REGION_UNSURE;
    }
    region_kind reg = o->p.kind == OVERSEER_ORACLE ? REGION_KNOWS
                      : wrong ? REGION_WRONG : unknown ? REGION_UNSURE : REGION_KNOWS;
    overseer_region_probs(&o->p, reg, margin, u, ud, p);
    return reg;
}

static void debate_judge_pair(epjudge *j, const int *const c[2], const int n[2], double margin,
                              gsl_rng *r, overseer_outcome *res, long *critiques);
static int debate_probs_pair(epjudge *j, const int *const c[2], const int n[2], double margin,
                             double p[N_LABELS], double *claims);

/* Bernoulli draw that spends no random number on certain events (as
 * overseer_judge's). */
static int draw(gsl_rng *r, double prob)
{
    if (prob <= 0)
        return 0;
    if (prob >= 1)
        return 1;
    return rng_uniform(r) < prob;
}

void epjudge_judge(epjudge *j, const int *c1, int n1, const int *c2, int n2, double margin,
                   gsl_rng *r, overseer_outcome *res, long *critiques)
{
    const int *const c[2] = { c1, c2 };
    const int n[2] = { n1, n2 };
    if (j->g) {
        debate_judge_pair(j, c, n, margin, r, res, critiques);
        return;
    }
    int seen, ns = gather(j, c, n, &seen);
    for (int k = 0; k < ns; k++) {
        const slot_event *e = &j->ev[k];
        j->out[k] = draw(r, e->pk) ? OUT_KNOWN
                    : !draw(r, e->pp) ? OUT_HIDDEN
                    : draw(r, e->pv) ? OUT_VERIFIED : OUT_UNVERIFIED;
    }
    double p[N_LABELS];
    res->region = judge_given(j, c, n, 0, j->ev, j->out, NULL, NULL, margin, p, &res->hidden,
                              &res->found, NULL);
    res->label = overseer_draw_label(p, r);
    const overseer_params *op = &j->o->p;
    long crit = op->kind == OVERSEER_ASSISTED ? (long)seen * op->critique_levels : 0;
    res->cost = op->cost + op->critique_cost * (double)crit;
    if (critiques)
        *critiques = crit;
}

/* Probability of outcome x of slot e (overseer_judge.c's). */
static double outcome_prob(const slot_event *e, int x)
{
    double q = 1 - e->pk;
    switch (x) {
    case OUT_HIDDEN: return q * (1 - e->pp);
    case OUT_VERIFIED: return q * e->pp * e->pv;
    case OUT_UNVERIFIED: return q * e->pp * (1 - e->pv);
    default: return e->pk;
    }
}

int epjudge_label_probs(epjudge *j, const int *c1, int n1, const int *c2, int n2,
                        double margin, double p[N_LABELS])
{
    double claims;
    return epjudge_label_probs_claims(j, c1, n1, c2, n2, margin, p, &claims);
}

int epjudge_label_probs_claims(epjudge *j, const int *c1, int n1, const int *c2, int n2,
                               double margin, double p[N_LABELS], double *claims)
{
    const int *const c[2] = { c1, c2 };
    const int n[2] = { n1, n2 };
    *claims = 0;
    if (j->g)
        return debate_probs_pair(j, c, n, margin, p, claims);
    int seen, ns = gather(j, c, n, &seen), nr = 0;
    for (int l = 0; l < N_LABELS; l++)
        p[l] = 0;
    for (int k = 0; k < ns; k++) {
        int nonzero = 0;
        for (int x = 0; x < N_OUT; x++)
            if (outcome_prob(&j->ev[k], x) > 0) {
                nonzero++;
                j->out[k] = (unsigned char)x; /* the certain outcome, when one */
            }
        if (nonzero > 1)
            j->idx[nr++] = k;
    }
    if (nr > MAX_RANDOM_SLOTS)
        return OS_EINVAL;
    long total = 1;
    for (int k = 0; k < nr; k++)
        total *= N_OUT;
    for (long code = 0; code < total; code++) {
        long rest = code;
        double weight = 1;
        for (int k = 0; k < nr; k++) {
            int s = j->idx[k];
            j->out[s] = (unsigned char)(rest % N_OUT);
            rest /= N_OUT;
            weight *= outcome_prob(&j->ev[s], j->out[s]);
        }
        if (weight == 0)
            continue;
        double q[N_LABELS];
        int hidden, found;
        judge_given(j, c, n, 0, j->ev, j->out, NULL, NULL, margin, q, &hidden, &found, NULL);
        for (int l = 0; l < N_LABELS; l++)
            p[l] += weight * q[l];
    }
    return 0;
}

/* --- a debate over two segments ------------------------------------------- */

int epjudge_set_debate(epjudge *j, const debate_params *p, os_err *err)
{
    if (j->o->p.kind != OVERSEER_DEBATE)
        return err_set(err, OS_EINVAL, "only an overseer of kind 'debate' judges a debate");
    int rc = debate_params_check(p, NULL, err);
    if (rc)
        return rc;
    if (p->debaters == DEBATERS_TRAINED && p->reveals > 0)
        return err_set(err, OS_EINVAL, "debaters = 'trained' cannot debate episodes (their "
                       "policies are per comparison, and pairs of segments are not tabled): "
                       "use 'optimal' or 'random'");
    double leaves = game_leaves(j->max_slots, p->reveals);
    if (p->debaters == DEBATERS_OPTIMAL && leaves > DEBATE_MAX_LEAVES)
        return err_set(err, OS_EINVAL, "optimal debaters at %d reveals over segments of %d "
                       "steps (up to %d hidden slots a pair) could play %.3g claim sequences, "
                       "above the limit of %d: lower 'reveals' or 'segment'", p->reveals,
                       j->max_steps, j->max_slots, leaves, DEBATE_MAX_LEAVES);
    j->dp = *p;
    return 0;
}

/* The label rule of the game over the pair j->pc: judge_given on its claims. */
static region_kind debate_given(const game *g, double p[N_LABELS], double u[2])
{
    const epjudge *j = g->ctx;
    int hidden, found;
    return judge_given(j, j->pc, j->pn, j->first, g->ev, g->out, g->hc, g->lc, j->margin, p,
                       &hidden, &found, u);
}

/* Is segment a before segment b (cells in order, then the shorter)? */
static int seg_before(const int *a, int na, const int *b, int nb)
{
    for (int t = 0; t < na && t < nb; t++)
        if (a[t] != b[t])
            return a[t] < b[t];
    return na < nb;
}

/* Set up j->g for the pair: its slots in canonical order (the segment that
 * comes first by seg_before, then the other; each from its last watched step
 * to its first, a step's facts in order), so that (seg1, seg2) and (seg2,
 * seg1) debate the same slots, the sides as the judge sees them; who is
 * honest by the true returns; the liar's claims. */
static void debate_setup(epjudge *j, const int *const c[2], const int n[2], double margin)
{
    game *g = j->g;
    const mdp *m = j->m;
    j->pc[0] = c[0], j->pc[1] = c[1], j->pn[0] = n[0], j->pn[1] = n[1];
    j->first = !seg_before(c[0], n[0], c[1], n[1]) &&
               seg_before(c[1], n[1], c[0], n[0]); /* equal segments: gather's order */
    j->margin = margin;
    g->o = j->o, g->c = g->b1 = g->b2 = -1, g->liar_first = j->dp.liar_first;
    g->given = debate_given, g->ctx = j;
    g->n = 0;
    double v[2] = { 0, 0 };
    for (int q = 0; q < 2; q++) {
        int side = q ^ j->first;
        for (int t = n[side] - 1; t >= 0; t--) {
            int i = c[side][t];
            v[side] += m->vstar[i];
            if (sees(j, i))
                g->n += step_slots(j->o, i, side, g->ev + g->n);
        }
    }
    game_start(g, v[0] > v[1] ? LABEL_FIRST : v[1] > v[0] ? LABEL_SECOND : -1, j->dp.reveals);
}

/* One debate over the pair and its label (epjudge_judge for a DEBATE overseer). */
static void debate_judge_pair(epjudge *j, const int *const c[2], const int n[2], double margin,
                              gsl_rng *r, overseer_outcome *res, long *critiques)
{
    game *g = j->g;
    debate_setup(j, c, n, margin);
    if (j->dp.debaters == DEBATERS_RANDOM && g->k > 0)
        game_draw_random(g, r);
    else if (g->k > 0)
        game_play_optimal(g);
    double p[N_LABELS];
    int found;
    res->region = (region_kind)0;
    game_leaf(g, p, NULL, &found, &res->region);
    res->label = overseer_draw_label(p, r);
    res->hidden = g->n, res->found = found;
    res->cost = j->o->p.cost + j->o->p.critique_cost * g->claims;
    if (critiques)
        *critiques = g->claims;
}

/* Exact label probabilities of a debate over the pair (epjudge_label_probs). */
static int debate_probs_pair(epjudge *j, const int *const c[2], const int n[2], double margin,
                             double p[N_LABELS], double *claims)
{
    game *g = j->g;
    debate_setup(j, c, n, margin);
    if (g->k > 0 && j->dp.debaters == DEBATERS_RANDOM) {
        if (game_subsets(g->n, g->k) > DEBATE_MAX_LEAVES) {
            memset(p, 0, N_LABELS * sizeof *p);
            return OS_EINVAL;
        }
        entry e;
        memset(&e, 0, sizeof e);
        game_expect_random(g, &e);
        memcpy(p, e.p, sizeof e.p);
        *claims = e.claims;
        return 0;
    }
    if (g->k > 0)
        game_play_optimal(g);
    game_leaf(g, p, NULL, NULL, NULL);
    *claims = g->claims;
    return 0;
}
