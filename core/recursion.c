/* recursion.c — see recursion.h. */
#include "recursion.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

#define CRITIC_SILENT 0
#define CRITIC_POINT 1

typedef struct level {
    world *w;
    int n_shift;         /* shifts 0..n_shift-1 */
    metrics_row *rows;
    int n_rows;
    double *probs;       /* per critic cell */
} level;

struct recursion {
    int depth, n_slots;
    double competence, verify_gain;
    double fa_difficulty, fa_effect; /* recursion_params' (NAN: no false alarms) */
    double fa_refute[RECURSION_MAX_DEPTH + 2]; /* [m]: human refutes at shift m */
    level lv[RECURSION_MAX_DEPTH + 1]; /* lv[1..depth] */
    double *slot_diff;   /* per task slot: its difficulty as the human meets it */
    double *detect;      /* [(j * n_slots + s) * (depth + 2) + m] */
    long build_labels;
    double build_cost;
};

void recursion_params_default(recursion_params *p)
{
    memset(p, 0, sizeof *p);
    p->depth = 1;
    p->critic_prior = 0.5;
    p->fa_difficulty = NAN;
    p->fa_effect = -1;
    for (int j = 0; j < RECURSION_MAX_DEPTH; j++) {
        train_params_default(&p->critic[j]);
        p->critic[j].kl_coef = 0.5;
    }
}

static double *det(const recursion *r, int j, int s, int m)
{
    return &r->detect[((size_t)j * r->n_slots + s) * (r->depth + 2) + m];
}

double recursion_detect(const recursion *r, int level, int slot, int shift)
{
    if (level < 0 || level > r->depth || shift < 0 || shift > r->depth + 1 || slot < 0 ||
        slot >= r->n_slots)
        return 0;
    return *det(r, level, slot, shift);
}

int recursion_depth(const recursion *r) { return r->depth; }
long recursion_build_labels(const recursion *r) { return r->build_labels; }
double recursion_build_cost(const recursion *r) { return r->build_cost; }
const world *recursion_critic_world(const recursion *r, int j) { return r->lv[j].w; }

const metrics_row *recursion_rows(const recursion *r, int j, int *n_rows)
{
    *n_rows = r->lv[j].n_rows;
    return r->lv[j].rows;
}

void recursion_context(const recursion *r, int j, int x, int *slot, int *shift)
{
    int n_task = r->n_slots * r->lv[j].n_shift; /* false-alarm contexts follow */
    *slot = x < n_task ? x / r->lv[j].n_shift : -1;
    *shift = x < n_task ? x % r->lv[j].n_shift : x - n_task;
}

double recursion_p_point(const recursion *r, int j, int x)
{
    return r->lv[j].probs[x * 2 + CRITIC_POINT];
}

/* d_s - m verify_gain; verify_gain is finite (overseer_new checks it), so an
 * infinite difficulty stays infinite and never meets inf - inf. */
static double shifted_difficulty(const recursion *r, int s, int m)
{
    return r->slot_diff[s] - m * r->verify_gain;
}

double recursion_critic_difficulty(const recursion *r, int j, int x)
{
    int s, m;
    recursion_context(r, j, x, &s, &m);
    return s < 0 ? r->fa_difficulty - m * r->verify_gain : shifted_difficulty(r, s, m);
}

double recursion_critic_verify(const recursion *r, int j, int x)
{
    int s, m;
    recursion_context(r, j, x, &s, &m);
    return s < 0 ? r->fa_refute[m + 1] : *det(r, j - 1, s, m + 1);
}

void recursion_free(recursion *r)
{
    if (!r)
        return;
    for (int j = 1; j <= RECURSION_MAX_DEPTH; j++) {
        world_free(r->lv[j].w);
        free(r->lv[j].rows);
        free(r->lv[j].probs);
    }
    free(r->detect);
    free(r->slot_diff);
    free(r);
}

/* The task cell a fact slot belongs to (-1 for context slots). */
static int slot_cell(const world *w, int s)
{
    if (s >= w->n_facts)
        return -1;
    int i = 0;
    while (w->fact_start[i + 1] <= s)
        i++;
    return i;
}

/* Name of task slot s at shift m, for the critic world's context names. */
static void slot_name(const world *w, int s, int m, char *buf, size_t n)
{
    int i = slot_cell(w, s);
    if (i < 0)
        snprintf(buf, n, "%s/(context)@%d", w->ctx_name[s - w->n_facts], m);
    else
        snprintf(buf, n, "%s/%s/%s@%d", w->ctx_name[i / w->n_beh], w->beh_name[i % w->n_beh],
                 w->fact_name[s], m);
}

/* Critic context x: `silent` or `point`; pointing's one fact (never seen
 * unaided, only verified through the level below) is worth `value`: 1 for a
 * claim that checks out, -1 for a claim of a flaw that is not there. The
 * context itself is always understood. */
static int claim_context(world *w, int x, const char *name, double prior, const char *fact,
                         double value, os_err *err)
{
    int rc;
    if ((rc = world_set_context(w, x, name, 1, -INFINITY, 0, err)) ||
        (rc = world_set_cell(w, x, CRITIC_SILENT, 0, 1 - prior, err)) ||
        (rc = world_set_cell(w, x, CRITIC_POINT, 0, prior, err)))
        return rc;
    return world_add_fact(w, x, CRITIC_POINT, fact, INFINITY, value, err);
}

static world *critic_world(const world *task, int n_slots, int n_shift, double prior,
                           int false_alarms, os_err *err)
{
    if ((long long)(n_slots + 1) * n_shift > WORLD_MAX_CELLS / 2) { /* int products below */
        err_set(err, OS_EINVAL, "critic world too large: %d slots x %d shifts (at most %d "
                "contexts)", n_slots, n_shift, WORLD_MAX_CELLS / 2);
        return NULL;
    }
    int n_task = n_slots * n_shift;
    world *w = world_new(n_task + (false_alarms ? n_shift : 0), 2, err);
    if (!w)
        return NULL;
    char name[512];
    int rc = world_set_behaviour(w, CRITIC_SILENT, "silent", 0, err);
    if (!rc)
        rc = world_set_behaviour(w, CRITIC_POINT, "point", 0, err);
    for (int s = 0; s < n_slots && !rc; s++)
        for (int m = 0; m < n_shift && !rc; m++) {
            slot_name(task, s, m, name, sizeof name);
            rc = claim_context(w, s * n_shift + m, name, prior, "claim checks out", 1, err);
        }
    for (int m = 0; false_alarms && m < n_shift && !rc; m++) {
        snprintf(name, sizeof name, "(no flaw)@%d", m);
        rc = claim_context(w, n_task + m, name, prior, "claim is false", -1, err);
    }
    if (!rc)
        rc = world_finalize(w, 0, err);
    if (rc) {
        world_free(w);
        return NULL;
    }
    return w;
}

/* Train critic j under level j-1; fills r->lv[j] and detect_j. */
static int train_level(recursion *r, const overseer *human, const recursion_params *p,
                       int j, os_err *err)
{
    const world *task = overseer_world(human);
    const overseer_params *hp = overseer_get_params(human);
    level *L = &r->lv[j];
    L->n_shift = r->depth - j + 1;
    int fa = !isnan(r->fa_difficulty);
    if (!(L->w = critic_world(task, r->n_slots, L->n_shift, p->critic_prior, fa, err)))
        return err->code;
    overseer_params op = *hp;
    op.kind = OVERSEER_ASSISTED;
    op.critique_levels = j - 1;
    op.false_alarm = 0;
    overseer *o = overseer_new(L->w, &op, err);
    if (!o)
        return err->code;
    int nc = L->w->n_ctx, rc = 0;
    int ns = overseer_n_slots(o); /* critic facts, then critic contexts */
    double *pp = calloc(ns, sizeof *pp), *pv = calloc(ns, sizeof *pv);
    double *claim = calloc(ns, sizeof *claim);
    const train_params *tp = &p->critic[j - 1];
    L->n_rows = tp->rounds + 1;
    L->rows = calloc(L->n_rows, sizeof *L->rows);
    L->probs = calloc(L->w->n_cells, sizeof *L->probs);
    if (!pp || !pv || !claim || !L->rows || !L->probs) {
        rc = err_set(err, OS_ENOMEM, "out of memory training critic %d", j);
        goto done;
    }
    for (int x = 0; x < nc; x++) {
        int s, m;
        recursion_context(r, j, x, &s, &m);
        int f = L->w->fact_start[x * 2 + CRITIC_POINT]; /* the claim's slot */
        pp[f] = 1;
        claim[f] = 1; /* what a claim says: there is this flaw (worth 1 to find) */
        if (s < 0) { /* a false alarm, refuted by the human alone */
            pv[f] = r->fa_refute[m + 1];
            continue;
        }
        pv[f] = *det(r, j - 1, s, m + 1);
        int cell = slot_cell(task, s);
        if (cell >= 0 && overseer_is_wrong(human, cell) &&
            (rc = overseer_add_bias(o, x, CRITIC_POINT, -2, err)))
            goto done; /* it believes the behaviour fine: a claim of a flaw is false */
    }
    if ((rc = overseer_set_assistance(o, pp, pv, err)) ||
        (rc = overseer_set_claims(o, claim, err)))
        goto done;
    if ((rc = train_run(L->w, o, tp, L->rows, L->probs, NULL, NULL, NULL, err))) {
        err_prefix(err, "critic level %d", j);
        goto done;
    }
    for (int x = 0; x < r->n_slots * L->n_shift; x++) { /* task slots only */
        int s = x / L->n_shift, m = x % L->n_shift;
        *det(r, j, s, m) = L->probs[x * 2 + CRITIC_POINT] * *det(r, j - 1, s, m + 1);
    }
    r->build_labels += L->rows[tp->rounds].labels;
    r->build_cost += L->rows[tp->rounds].label_cost;
done:
    free(pp);
    free(pv);
    free(claim);
    overseer_free(o);
    return rc;
}

int recursion_params_check(const recursion_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "recursive overseer";
    if (p->depth < 1 || p->depth > RECURSION_MAX_DEPTH)
        return err_set(err, OS_EINVAL, "field 'depth' of %s must be in [1,%d] (got %d)", what,
                       RECURSION_MAX_DEPTH, p->depth);
    if (!isfinite(p->fa_effect))
        return err_set(err, OS_EINVAL, "field 'effect' of false_alarms of %s must be a "
                       "finite number (got %g)", what, p->fa_effect);
    if (!(p->critic_prior > 0 && p->critic_prior < 1))
        return err_set(err, OS_EINVAL, "field 'prior' of critic of %s must be in (0,1) "
                       "(got %g)", what, p->critic_prior);
    for (int j = 1; j <= p->depth; j++) {
        char cwhat[256];
        snprintf(cwhat, sizeof cwhat, "critic %d of %s", j, what);
        int rc = train_check(&p->critic[j - 1], cwhat, err);
        if (rc)
            return rc;
    }
    return 0;
}

recursion *recursion_build(const overseer *human, const recursion_params *p, os_err *err)
{
    os_err local;
    if (!err)
        err = &local;
    const overseer_params *hp = overseer_get_params(human);
    if (hp->kind != OVERSEER_HUMAN) {
        err_set(err, OS_EINVAL, "level 0 of a recursive overseer must be a human");
        return NULL;
    }
    if (recursion_params_check(p, NULL, err))
        return NULL;
    recursion *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(err, OS_ENOMEM, "out of memory");
        return NULL;
    }
    r->depth = p->depth;
    r->n_slots = overseer_n_slots(human);
    r->competence = hp->competence;
    r->verify_gain = hp->verify_gain;
    r->fa_difficulty = p->fa_difficulty;
    r->fa_effect = p->fa_effect;
    for (int m = 0; m <= r->depth + 1; m++) /* NAN when not offered: never read */
        r->fa_refute[m] = isnan(p->fa_difficulty) ? NAN
            : overseer_reach_prob(hp, r->competence, p->fa_difficulty - m * r->verify_gain);
    r->detect = calloc((size_t)(r->depth + 1) * r->n_slots * (r->depth + 2), sizeof(double));
    r->slot_diff = calloc(r->n_slots, sizeof *r->slot_diff);
    if (!r->detect || !r->slot_diff) {
        recursion_free(r);
        err_set(err, OS_ENOMEM, "out of memory");
        return NULL;
    }
    /* level 0: the human's own competence, at every shift a chain can ask for */
    for (int s = 0; s < r->n_slots; s++) {
        r->slot_diff[s] = overseer_slot_difficulty(human, s);
        for (int m = 0; m <= r->depth + 1; m++)
            /* the human's own reach (soft discovery: a probability) */
            *det(r, 0, s, m) = overseer_reach_prob(hp, r->competence,
                                                   shifted_difficulty(r, s, m));
    }
    for (int j = 1; j <= r->depth; j++)
        if (train_level(r, human, p, j, err)) {
            recursion_free(r);
            return NULL;
        }
    return r;
}

recursion *recursion_build_seeded(const overseer *human, const recursion_params *p,
                                  uint64_t seed, uint64_t stream, os_err *err)
{
    recursion_params rp = *p;
    for (int j = 1; j <= RECURSION_MAX_DEPTH; j++) {
        rp.critic[j - 1].seed = seed;
        rp.critic[j - 1].run_id = rng_substream(stream, (uint64_t)j); /* a stream per level */
    }
    return recursion_build(human, &rp, err);
}

int recursion_apply(const recursion *r, overseer *o, os_err *err)
{
    if (overseer_n_slots(o) != r->n_slots)
        return err_set(err, OS_EINVAL, "overseer and recursion are on different worlds");
    int K = r->depth;
    double *pp = calloc(r->n_slots, sizeof *pp), *pv = calloc(r->n_slots, sizeof *pv);
    if (!pp || !pv) {
        free(pp), free(pv);
        return err_set(err, OS_ENOMEM, "out of memory");
    }
    for (int s = 0; s < r->n_slots; s++) {
        pp[s] = r->lv[K].probs[(s * r->lv[K].n_shift + 0) * 2 + CRITIC_POINT];
        pv[s] = *det(r, K - 1, s, 1);
    }
    int rc = overseer_set_assistance(o, pp, pv, err);
    free(pp), free(pv);
    if (!rc && !isnan(r->fa_difficulty)) { /* critic K's false alarms, on every output */
        int xf = r->n_slots * r->lv[K].n_shift; /* "(no flaw)@0" */
        rc = overseer_set_false_alarm(o, r->lv[K].probs[xf * 2 + CRITIC_POINT],
                                      r->fa_refute[1], r->fa_effect, err);
    }
    return rc;
}
