/* overseer.c — see overseer.h. */
#include "overseer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct overseer {
    const world *w;
    overseer_params p;
    double *u;                  /* per cell: perceived value */
    unsigned char *discovered;  /* per cell: every fact within competence */
    unsigned char *wrong;       /* per cell: region is WRONG (bias or predicate) */
    unsigned char *surface;     /* per cell: judged by looks only (wrong predicate) */
    double *bias;               /* per cell */
    signed char *knows_override; /* per (c,b1,b2): -1 none, 0, 1; NULL until used */
};

void overseer_params_default(overseer_params *p)
{
    p->kind = OVERSEER_HUMAN;
    p->competence = 0;
    p->beta = INFINITY;
    p->mistake = 0;
    p->skip_threshold = -INFINITY;
    p->equal_threshold = 0;
    p->cost = 1;
    p->when_unsure = UNSURE_COIN;
}

static int check_prob(double x, const char *field, os_err *err)
{
    if (!(x >= 0 && x <= 1))
        return err_set(err, OS_EINVAL, "field '%s' must be a probability in [0,1] (got %g)",
                       field, x);
    return 0;
}

/* Recompute the perceived value of every cell from looks, facts, bias. */
static void perceive(overseer *o)
{
    const world *w = o->w;
    for (int i = 0; i < w->n_cells; i++) {
        int c = i / w->n_beh;
        if (o->p.kind == OVERSEER_ORACLE) {
            o->u[i] = w->vstar[i];
            o->discovered[i] = 1;
            continue;
        }
        int ctx_ok = w->ctx_difficulty[c] <= o->p.competence;
        double u = w->looks[i];
        int all = ctx_ok;
        for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++) {
            int found = ctx_ok && w->fact_difficulty[f] <= o->p.competence;
            if (found && !o->surface[i])
                u += w->fact_effect[f];
            all &= found;
        }
        o->u[i] = u + o->bias[i];
        o->discovered[i] = (unsigned char)all;
    }
}

overseer *overseer_new(const world *w, const overseer_params *p, os_err *err)
{
    if (!w->finalized) {
        err_set(err, OS_EINVAL, "world is not finalized");
        return NULL;
    }
    if (check_prob(p->mistake, "mistake", err))
        return NULL;
    if (!(p->beta >= 0)) {
        err_set(err, OS_EINVAL, "field 'beta' must be >= 0 (got %g)", p->beta);
        return NULL;
    }
    if (!(p->cost >= 0) || !isfinite(p->cost)) {
        err_set(err, OS_EINVAL, "field 'cost' must be a finite number >= 0 (got %g)", p->cost);
        return NULL;
    }
    if (isnan(p->competence) || isnan(p->skip_threshold)) {
        err_set(err, OS_EINVAL, "field '%s' must be a number (got NaN)",
                isnan(p->competence) ? "competence" : "skip_threshold");
        return NULL;
    }
    if (!(p->equal_threshold >= 0)) {
        err_set(err, OS_EINVAL, "field 'equal_threshold' must be >= 0 (got %g)",
                p->equal_threshold);
        return NULL;
    }
    if (p->when_unsure < UNSURE_COIN || p->when_unsure > UNSURE_LOOKS ||
        p->kind < OVERSEER_ORACLE || p->kind > OVERSEER_HUMAN) {
        err_set(err, OS_EINVAL, "unknown overseer kind or when_unsure mode");
        return NULL;
    }
    overseer *o = calloc(1, sizeof *o);
    if (!o)
        goto nomem;
    o->w = w;
    o->p = *p;
    o->u = calloc(w->n_cells, sizeof *o->u);
    o->discovered = calloc(w->n_cells, 1);
    o->wrong = calloc(w->n_cells, 1);
    o->surface = calloc(w->n_cells, 1);
    o->bias = calloc(w->n_cells, sizeof *o->bias);
    if (!o->u || !o->discovered || !o->wrong || !o->surface || !o->bias)
        goto nomem;
    perceive(o);
    return o;
nomem:
    overseer_free(o);
    err_set(err, OS_ENOMEM, "out of memory building an overseer");
    return NULL;
}

void overseer_free(overseer *o)
{
    if (!o)
        return;
    free(o->u);
    free(o->discovered);
    free(o->wrong);
    free(o->surface);
    free(o->bias);
    free(o->knows_override);
    free(o);
}

const overseer_params *overseer_get_params(const overseer *o)
{
    return &o->p;
}

static int check_cell(const overseer *o, int c, int b, os_err *err)
{
    if (c < 0 || c >= o->w->n_ctx || b < 0 || b >= o->w->n_beh)
        return err_set(err, OS_EINVAL, "cell (%d,%d) out of range", c, b);
    return 0;
}

int overseer_add_bias(overseer *o, int c, int b, double bias, os_err *err)
{
    int rc = check_cell(o, c, b, err);
    if (rc)
        return rc;
    if (!isfinite(bias))
        return err_set(err, OS_EINVAL, "field 'bias' must be finite (got %g)", bias);
    if (o->p.kind == OVERSEER_ORACLE)
        return err_set(err, OS_EINVAL, "an oracle has no misconceptions");
    int i = c * o->w->n_beh + b;
    o->bias[i] += bias;
    o->wrong[i] = o->wrong[i] || bias != 0;
    perceive(o);
    return 0;
}

int overseer_set_knows(overseer *o, int c, int b1, int b2, int knows, os_err *err)
{
    int rc = check_cell(o, c, b1, err);
    if (!rc)
        rc = check_cell(o, c, b2, err);
    if (rc)
        return rc;
    const world *w = o->w;
    if (!o->knows_override) {
        size_t n = (size_t)w->n_ctx * w->n_beh * w->n_beh;
        o->knows_override = malloc(n);
        if (!o->knows_override)
            return err_set(err, OS_ENOMEM, "out of memory");
        memset(o->knows_override, -1, n);
    }
    signed char k = knows ? 1 : 0;
    o->knows_override[((size_t)c * w->n_beh + b1) * w->n_beh + b2] = k;
    o->knows_override[((size_t)c * w->n_beh + b2) * w->n_beh + b1] = k;
    return 0;
}

int overseer_set_wrong(overseer *o, int c, int b, int wrong, os_err *err)
{
    int rc = check_cell(o, c, b, err);
    if (rc)
        return rc;
    if (o->p.kind == OVERSEER_ORACLE)
        return err_set(err, OS_EINVAL, "an oracle is never wrong");
    int i = c * o->w->n_beh + b;
    o->surface[i] = wrong ? 1 : 0;
    o->wrong[i] = o->surface[i] || o->bias[i] != 0;
    perceive(o);
    return 0;
}

double overseer_perceived(const overseer *o, int cell)
{
    return o->u[cell];
}

region_kind overseer_region(const overseer *o, int c, int b1, int b2)
{
    if (o->p.kind == OVERSEER_ORACLE)
        return REGION_KNOWS;
    const world *w = o->w;
    int i1 = c * w->n_beh + b1, i2 = c * w->n_beh + b2;
    if (o->wrong[i1] || o->wrong[i2])
        return REGION_WRONG;
    if (o->knows_override) {
        signed char k = o->knows_override[((size_t)c * w->n_beh + b1) * w->n_beh + b2];
        if (k >= 0)
            return k ? REGION_KNOWS : REGION_UNSURE;
    }
    return o->discovered[i1] && o->discovered[i2] ? REGION_KNOWS : REGION_UNSURE;
}

static double sigmoid(double x)
{
    return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}

void overseer_label_probs(const overseer *o, int c, int b1, int b2, double p[N_LABELS])
{
    const world *w = o->w;
    p[LABEL_FIRST] = p[LABEL_SECOND] = p[LABEL_EQUAL] = p[LABEL_SKIP] = 0;
    region_kind reg = overseer_region(o, c, b1, b2);
    if (reg == REGION_UNSURE && o->p.when_unsure == UNSURE_SKIP) {
        p[LABEL_SKIP] = 1;
        return;
    }
    double p1;
    if (reg == REGION_UNSURE && o->p.when_unsure == UNSURE_COIN) {
        p1 = 0.5;
    } else {
        double u1 = o->u[c * w->n_beh + b1], u2 = o->u[c * w->n_beh + b2];
        if (fmax(u1, u2) < o->p.skip_threshold) {
            p[LABEL_SKIP] = 1;
            return;
        }
        if (fabs(u1 - u2) < o->p.equal_threshold) {
            p[LABEL_EQUAL] = 1;
            return;
        }
        double d = u1 - u2;
        if (isinf(o->p.beta))
            p1 = d > 0 ? 1.0 : d < 0 ? 0.0 : 0.5;
        else
            p1 = sigmoid(o->p.beta * d);
    }
    double e = o->p.mistake;
    p[LABEL_FIRST] = (1 - e) * p1 + e * (1 - p1);
    p[LABEL_SECOND] = 1 - p[LABEL_FIRST];
}

label_kind overseer_label(const overseer *o, int c, int b1, int b2, gsl_rng *r)
{
    double p[N_LABELS];
    overseer_label_probs(o, c, b1, b2, p);
    if (p[LABEL_SKIP] == 1)
        return LABEL_SKIP;
    if (p[LABEL_EQUAL] == 1)
        return LABEL_EQUAL;
    return gsl_rng_uniform(r) < p[LABEL_FIRST] ? LABEL_FIRST : LABEL_SECOND;
}
