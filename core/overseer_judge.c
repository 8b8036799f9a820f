/* overseer_judge.c — see overseer.h: judging one comparison (the label
 * distribution over the assistant's and discovery's outcomes, sampled
 * judgements, regions). The overseer's state is in overseer_internal.h. */
#include "overseer.h"

#include <math.h>
#include <string.h>
#include "mathx.h"
#include "overseer_internal.h"
#include "debate.h"
#include "rng.h"

/* --- judging one comparison ------------------------------------------------ */

int overseer_gather(const overseer *o, int c, int b1, int b2, slot_event *ev)
{
    const world *w = o->w;
    int n = 0;
    if (o->p.kind == OVERSEER_ORACLE)
        return 0;
    int cs = w->n_facts + c;
    if (!o->slot_known[cs])
        ev[n++] = (slot_event){ 0, 1, o->p_point[cs], o->p_verify[cs], o->p_known[cs], 0,
                                SIDE_BOTH, 0 };
    int bs[2] = { b1, b2 };
    for (int side = 0; side < 2; side++) {
        int i = c * w->n_beh + bs[side];
        if (o->surface[i])
            continue; /* judged by its surface: no slots */
        for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++)
            if (!o->slot_known[f])
                ev[n++] = (slot_event){ w->fact_effect[f], o->weight[f], o->p_point[f],
                                        o->p_verify[f], o->p_known[f], o->claim[f],
                                        (unsigned char)side, 0 };
        if (o->p.kind == OVERSEER_ASSISTED && o->p.false_alarm > 0)
            ev[n++] = (slot_event){ o->p.false_alarm_effect, 1, o->p.false_alarm,
                                    o->p_verify_fa, 0, o->p.false_alarm_effect,
                                    (unsigned char)side, 1 };
    }
    return n;
}

/* First or second, the choice p1 = P(first) flipped with probability e
 * (B-Pref's mistake). */
static void choose(double p1, double e, double p[N_LABELS])
{
    p[LABEL_FIRST] = (1 - e) * p1 + e * (1 - p1);
    p[LABEL_SECOND] = 1 - p[LABEL_FIRST];
}

region_kind overseer_judge_given(const overseer *o, int c, int b1, int b2, double margin,
                                 const slot_event *ev, const unsigned char *out, int n,
                                 double p[N_LABELS], int *hidden, int *found, double u_out[2])
{
    const world *w = o->w;
    int i1 = c * w->n_beh + b1, i2 = c * w->n_beh + b2;
    double u[2] = { o->u_base[i1], o->u_base[i2] };
    double ud[2] = { o->ud_base[i1], o->ud_base[i2] };
    int unknown = 0, false_belief = 0;
    *hidden = *found = 0;
    for (int k = 0; k < n; k++) {
        const slot_event *e = &ev[k];
        if (!e->false_alarm && out[k] != OUT_KNOWN) {
            (*hidden)++;
            *found += out[k] != OUT_HIDDEN;
        }
        int believed = out[k] == OUT_KNOWN ||
                       (out[k] == OUT_VERIFIED
                        ? !e->false_alarm
                        : out[k] == OUT_UNVERIFIED && o->p.trust_unverified);
        if (believed) {
            /* a trusted unverified pointer is believed for what it claims */
            double x = out[k] == OUT_UNVERIFIED ? e->claim : e->effect;
            if (e->side != SIDE_BOTH) {
                u[e->side] += x;
                ud[e->side] += e->weight * x;
            }
            false_belief |= e->false_alarm || x != e->effect;
        } else if (e->false_alarm ? out[k] == OUT_UNVERIFIED : 1) {
            unknown++;
        }
    }
    if (u_out)
        u_out[0] = u[0], u_out[1] = u[1];
    region_kind reg;
    if (o->p.kind == OVERSEER_ORACLE) {
        reg = REGION_KNOWS;
    } else if (o->wrong[i1] || o->wrong[i2] || false_belief) {
        reg = REGION_WRONG;
    } else {
        signed char k = o->knows_override
            ? o->knows_override[((size_t)c * w->n_beh + b1) * w->n_beh + b2] : -1;
        reg = k >= 0 ? (k ? REGION_KNOWS : REGION_UNSURE)
                     : unknown == 0 ? REGION_KNOWS : REGION_UNSURE;
    }
    overseer_region_probs(&o->p, reg, margin, u, ud, p);
    return reg;
}

void overseer_region_probs(const overseer_params *op, region_kind reg, double margin,
                           const double u[2], const double ud[2], double p[N_LABELS])
{
    p[LABEL_FIRST] = p[LABEL_SECOND] = p[LABEL_EQUAL] = p[LABEL_SKIP] = 0;
    if (reg == REGION_UNSURE && op->when_unsure == UNSURE_SKIP) {
        p[LABEL_SKIP] = 1;
        return;
    }
    if (reg == REGION_UNSURE && op->when_unsure == UNSURE_COIN) {
        double p1;
        p1 = 0.5;
        choose(p1, op->mistake, p);
        return;
    }
    overseer_bpref_probs(op, margin, u, ud, p);
}

void overseer_bpref_probs(const overseer_params *op, double margin, const double u[2],
                          const double ud[2], double p[N_LABELS])
{
    p[LABEL_FIRST] = p[LABEL_SECOND] = p[LABEL_EQUAL] = p[LABEL_SKIP] = 0;
    /* B-Pref's get_label, in its order. Thresholds on undiscounted values. */
    double ts = op->skip_eps > 0 ? op->skip_eps * margin : op->skip_threshold;
    double te = op->equal_eps > 0 ? op->equal_eps * margin : op->equal_threshold;
    if (ts > 0 && !(fmax(u[0], u[1]) > ts)) {
        p[LABEL_SKIP] = 1;
        return;
    }
    int equal;
    equal = fabs(u[0] - u[1]) < te;
    /* the choice, on the myopically discounted values */
    double p1;
    double d = ud[0] - ud[1];
    if (isinf(op->beta) || op->beta == 0)
        p1 = d >= 0 ? 1.0 : 0.0; /* a tie prefers b1: B-Pref's 1*(s1 < s2) */
    else
        p1 = mathx_sigmoid(op->beta * d);
    if (equal) { /* the equal mask overrides the choice and its mistake */
        p[LABEL_EQUAL] = 1;
        return;
    }
    choose(p1, op->mistake, p);
}

region_kind overseer_region(const overseer *o, int c, int b1, int b2)
{
    slot_event ev[MAX_COMPARISON_SLOTS];
    unsigned char out[MAX_COMPARISON_SLOTS];
    int n = overseer_gather(o, c, b1, b2, ev), hidden, found;
    memset(out, OUT_HIDDEN, n);
    double p[N_LABELS];
    return overseer_judge_given(o, c, b1, b2, NAN, ev, out, n, p, &hidden, &found, NULL);
}

/* Probability of outcome x for event e. */
static double outcome_prob(const slot_event *e, int x)
{
    double q = 1 - e->pk; /* not discovered unaided */
    switch (x) {
    case OUT_HIDDEN: return q * (1 - e->pp);
    case OUT_VERIFIED: return q * e->pp * e->pv;
    case OUT_UNVERIFIED: return q * e->pp * (1 - e->pv);
    default: return e->pk;
    }
}

int overseer_label_probs(const overseer *o, int c, int b1, int b2, double p[N_LABELS])
{
    return overseer_label_probs_at(o, c, b1, b2, NAN, p);
}

int overseer_label_probs_at(const overseer *o, int c, int b1, int b2, double margin,
                            double p[N_LABELS])
{
    slot_event ev[MAX_COMPARISON_SLOTS];
    unsigned char out[MAX_COMPARISON_SLOTS];
    int idx[MAX_COMPARISON_SLOTS]; /* the random events */
    if (o->p.kind == OVERSEER_DEBATE && o->debate)
        return debate_label_probs(o->debate, c, b1, b2, p);
    int n = overseer_gather(o, c, b1, b2, ev), nr = 0;
    for (int k = 0; k < n; k++) {
        int nonzero = 0;
        for (int x = 0; x < N_OUT; x++)
            nonzero += outcome_prob(&ev[k], x) > 0;
        if (nonzero > 1)
            idx[nr++] = k;
        else
            for (int x = 0; x < N_OUT; x++)
                if (outcome_prob(&ev[k], x) > 0)
                    out[k] = (unsigned char)x;
    }
    p[0] = p[1] = p[2] = p[3] = 0;
    if (nr > MAX_RANDOM_SLOTS)
        return OS_EINVAL;
    long total = 1;
    for (int k = 0; k < nr; k++)
        total *= N_OUT;
    for (long code = 0; code < total; code++) {
        long rest = code;
        double weight = 1;
        for (int k = 0; k < nr; k++) {
            out[idx[k]] = (unsigned char)(rest % N_OUT);
            rest /= N_OUT;
            weight *= outcome_prob(&ev[idx[k]], out[idx[k]]);
        }
        if (weight == 0)
            continue;
        double q[N_LABELS];
        int hidden, found;
        overseer_judge_given(o, c, b1, b2, margin, ev, out, n, q, &hidden, &found, NULL);
        for (int l = 0; l < N_LABELS; l++)
            p[l] += weight * q[l];
    }
    return 0;
}

/* Bernoulli draw that spends no random number on certain events, so an
 * overseer without an assistant keeps the stream of one draw per label. */
static int draw(gsl_rng *r, double prob)
{
    if (prob <= 0)
        return 0;
    if (prob >= 1)
        return 1;
    return rng_uniform(r) < prob;
}

void overseer_judge(const overseer *o, int c, int b1, int b2, gsl_rng *r,
                    overseer_outcome *res)
{
    overseer_judge_at(o, c, b1, b2, NAN, r, res);
}

void overseer_judge_at(const overseer *o, int c, int b1, int b2, double margin, gsl_rng *r,
                       overseer_outcome *res)
{
    if (o->p.kind == OVERSEER_DEBATE && o->debate) {
        debate_judge(o->debate, c, b1, b2, r, res);
        return;
    }
    slot_event ev[MAX_COMPARISON_SLOTS];
    unsigned char out[MAX_COMPARISON_SLOTS];
    int n = overseer_gather(o, c, b1, b2, ev);
    for (int k = 0; k < n; k++) /* discovery first: no number spent when certain */
        out[k] = draw(r, ev[k].pk) ? OUT_KNOWN
                 : !draw(r, ev[k].pp) ? OUT_HIDDEN
                 : draw(r, ev[k].pv) ? OUT_VERIFIED : OUT_UNVERIFIED;
    double p[N_LABELS];
    res->region = overseer_judge_given(o, c, b1, b2, margin, ev, out, n, p, &res->hidden,
                                       &res->found, NULL);
    res->label = overseer_draw_label(p, r);
    res->cost = overseer_label_cost(o);
}

label_kind overseer_draw_label(const double p[N_LABELS], gsl_rng *r)
{
    if (p[LABEL_SKIP] == 1)
        return LABEL_SKIP;
    if (p[LABEL_EQUAL] == 1)
        return LABEL_EQUAL;
    return rng_uniform(r) < p[LABEL_FIRST] ? LABEL_FIRST : LABEL_SECOND;
}

label_kind overseer_label(const overseer *o, int c, int b1, int b2, gsl_rng *r)
{
    overseer_outcome res;
    overseer_judge(o, c, b1, b2, r, &res);
    return res.label;
}
