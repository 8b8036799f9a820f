/* redteam.c — see redteam.h. */
#include "redteam.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

void redteam_params_default(redteam_params *p)
{
    p->budget = 0;
    p->search = REDTEAM_RANDOM;
    p->pool = 0;
    p->cost = 0;
}

int redteam_pool(const redteam_params *p)
{
    return p->pool > 0 ? p->pool : 4 * p->budget; /* budget <= 1e6: fits */
}

int redteam_check(const redteam_params *p, const world *w, os_err *err)
{
    if (p->budget < 0 || p->budget > REDTEAM_MAX_BUDGET)
        return err_set(err, OS_EINVAL, "field 'budget' of red_team must be in [0, %d] (got "
                       "%d)", REDTEAM_MAX_BUDGET, p->budget);
    if (p->search != REDTEAM_RANDOM && p->search != REDTEAM_ADVERSARIAL)
        return err_set(err, OS_EINVAL, "field 'search' of red_team is unknown (%d)",
                       (int)p->search);
    if (p->pool < 0 || p->pool > REDTEAM_MAX_POOL)
        return err_set(err, OS_EINVAL, "field 'pool' of red_team must be in [0, %d] (got "
                       "%d; 0 means 4 x budget)", REDTEAM_MAX_POOL, p->pool);
    if (p->search == REDTEAM_ADVERSARIAL && p->pool > 0 && p->pool < p->budget)
        return err_set(err, OS_EINVAL, "field 'pool' of red_team must be >= its budget %d "
                       "(got %d): the adversary keeps the budget best of the pool",
                       p->budget, p->pool);
    if (!(p->cost >= 0) || !isfinite(p->cost))
        return err_set(err, OS_EINVAL, "field 'cost' of red_team must be a finite number >= "
                       "0 (got %g)", p->cost);
    if (p->budget > 0 && w && w->n_redteam < 1)
        return err_set(err, OS_EINVAL, "a red team with a budget needs red-team inputs: "
                       "this world has none (build it with redteam_world)");
    return 0;
}

static int has_catastrophe(const world *w, int c)
{
    for (int b = 0; b < w->n_beh; b++)
        if (w->catastrophic[c * w->n_beh + b])
            return 1;
    return 0;
}

int redteam_templates(const world *w, int *out, os_err *err)
{
    if (w->n_catastrophic == 0) {
        err_set(err, OS_EINVAL, "a red team needs a catastrophe to elicit: no behaviour "
                "available anywhere has catastrophic = true");
        return 0;
    }
    int n = 0;
    for (int c = 0; c < w->n_ctx; c++)
        if (w->ctx_template[c] < 0 && has_catastrophe(w, c) && w->ctx_weight[c] == 0 &&
            w->ctx_deploy_weight[c] > 0)
            out[n++] = c;
    if (n == 0)
        err_set(err, OS_EINVAL, "a red team finds no opportunity to copy: no context has a "
                "catastrophic behaviour, training weight 0 and a deployment weight > 0 "
                "(name the templates)");
    return n;
}

/* Feature dimension of the red-team world: the base features (one per real
 * cell for a one-hot world) and one cue per behaviour. */
static long long rt_dim(const world *w)
{
    return (long long)(w->onehot ? w->n_cells : w->dim) + w->n_beh;
}

void redteam_estimate(const world *w, long long n, size_estimate *e)
{
    world_estimate(w->n_ctx + (n > 0 ? n : 0), w->n_beh, rt_dim(w), e);
}

/* Copy context c of w into context k of t (weights already normalised in w:
 * proportional is all world_finalize needs). */
static int copy_context(world *t, int k, const world *w, int c, const char *name,
                        double weight, double deploy, os_err *err)
{
    int rc;
    if ((rc = world_set_context(t, k, name, weight, w->ctx_difficulty[c], w->ctx_tags[c],
                                err)) ||
        (rc = world_set_deployment(t, k, deploy, k < w->n_ctx ? w->ctx_monitored[c] : 1,
                                   err)))
        return rc;
    const int B = w->n_beh;
    for (int b = 0; b < B; b++) {
        int i = c * B + b;
        if ((rc = world_set_cell(t, k, b, w->looks[i], w->prior[i], err)))
            return rc;
        for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++)
            if ((rc = world_add_fact(t, k, b, w->fact_name[f], w->fact_difficulty[f],
                                     w->fact_effect[f], err)))
                return rc;
    }
    return 0;
}

world *redteam_world(const world *w, const int *templates, int n, double realism,
                     double cue, os_err *err)
{
    if (!(realism >= 0 && realism <= 1)) {
        err_set(err, OS_EINVAL, "field 'realism' of red_team must be in [0, 1] (got %g)",
                realism);
        return NULL;
    }
    if (!(cue >= 0) || !isfinite(cue)) {
        err_set(err, OS_EINVAL, "field 'cue' of red_team must be a finite number >= 0 (got "
                "%g)", cue);
        return NULL;
    }
    if (n < 1 || n > w->n_ctx) {
        err_set(err, OS_EINVAL, "a red team needs between 1 and %d templates (got %d)",
                w->n_ctx, n);
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        int c = templates[k];
        if (c < 0 || c >= w->n_ctx || w->ctx_template[c] >= 0) {
            err_set(err, OS_EINVAL, "red-team template %d is not a real context", k + 1);
            return NULL;
        }
        if (!has_catastrophe(w, c)) {
            err_set(err, OS_EINVAL, "red-team template '%s' has no catastrophic behaviour "
                    "to elicit", w->ctx_name[c]);
            return NULL;
        }
        for (int j = 0; j < k; j++)
            if (templates[j] == c) {
                err_set(err, OS_EINVAL, "red-team template '%s' is named twice",
                        w->ctx_name[c]);
                return NULL;
            }
    }
    const int C = w->n_ctx, B = w->n_beh, N = C + n;
    if ((long long)N * B > WORLD_MAX_CELLS || rt_dim(w) > INT_MAX / 2) {
        err_set(err, OS_EINVAL, "a red-team world of %d x %d cells is too large", N, B);
        return NULL;
    }
    const int base = w->onehot ? w->n_cells : w->dim, dim = base + B;
    size_t nphi, bytes;
    if (size_mul((size_t)N * B, (size_t)dim, &nphi) || size_mul(nphi, sizeof(double), &bytes)) {
        err_set(err, OS_ENOMEM, "out of memory for a red-team world");
        return NULL;
    }
    world *t = world_new(N, B, err);
    double *phi = t ? calloc(nphi, sizeof *phi) : NULL;
    if (!t || !phi)
        goto fail_nomem;
    int rc = 0;
    for (int b = 0; b < B && !rc; b++)
        if (!(rc = world_set_behaviour(t, b, w->beh_name[b], w->beh_deceptive_tag[b], err)))
            rc = world_set_catastrophic(t, b, w->beh_catastrophic[b], err);
    for (int g = 0; g < w->n_tags && !rc; g++)
        if (world_tag(t, w->tag_name[g], err) < 0) /* same indices: same order */
            rc = OS_EINVAL;
    for (int k = 0; k < N && !rc; k++) {
        int c = k < C ? k : templates[k - C];
        char name[512];
        snprintf(name, sizeof name, k < C ? "%s" : "%s (red team)", w->ctx_name[c]);
        double deploy = k < C && w->has_deploy ? w->ctx_deploy_weight[c] : NAN;
        rc = copy_context(t, k, w, c, name, k < C ? w->ctx_weight[c] : 0, deploy, err);
        for (int b = 0; b < B; b++) {
            double *row = phi + ((size_t)k * B + b) * dim;
            int i = c * B + b;
            if (w->onehot)
                row[i] = 1;
            else
                memcpy(row, w->phi + (size_t)i * w->dim, (size_t)w->dim * sizeof *row);
            if (k >= C)
                row[base + b] = cue * (1 - realism);
        }
    }
    if (rc || (rc = world_set_features(t, dim, phi, err)) ||
        (rc = world_finalize(t, w->deception_threshold, err))) {
        free(phi);
        world_free(t);
        return NULL;
    }
    free(phi);
    for (int k = 0; k < n; k++)
        t->ctx_template[C + k] = templates[k];
    t->n_redteam = n;
    return t;
fail_nomem:
    world_free(t);
    if (t)
        err_set(err, OS_ENOMEM, "out of memory for a red-team world");
    return NULL;
}

double redteam_catastrophe_at(const world *w, const double *probs, int c)
{
    double q = 0;
    for (int b = 0; b < w->n_beh; b++)
        q += w->catastrophic[c * w->n_beh + b] ? probs[c * w->n_beh + b] : 0;
    return q;
}

double redteam_catastrophe(const world *w, const double *probs)
{
    if (w->n_redteam < 1)
        return NAN;
    double s = 0;
    for (int c = w->n_ctx - w->n_redteam; c < w->n_ctx; c++)
        s += redteam_catastrophe_at(w, probs, c);
    return s / w->n_redteam;
}

/* Does red-team input a come before b: higher catastrophe probability, then
 * drawn first. */
static int before(const double *score, const int *first, int a, int b)
{
    return score[a] > score[b] || (score[a] == score[b] && first[a] < first[b]);
}

void redteam_choose(const world *w, const redteam_params *p, const double *probs,
                    gsl_rng *r, int *work, double *score, int *chosen)
{
    const int n = w->n_redteam, c0 = w->n_ctx - n;
    if (p->search == REDTEAM_RANDOM) {
        for (int j = 0; j < p->budget; j++)
            chosen[j] = c0 + (int)gsl_rng_uniform_int(r, (unsigned long)n);
        return;
    }
    int *count = work, *first = work + n, *order = work + 2 * n, *tmp = work + 3 * n;
    for (int k = 0; k < n; k++)
        count[k] = 0, first[k] = INT_MAX;
    const int pool = redteam_pool(p);
    for (int j = 0; j < pool; j++) {
        int k = (int)gsl_rng_uniform_int(r, (unsigned long)n);
        if (count[k]++ == 0)
            first[k] = j;
    }
    int m = 0;
    for (int k = 0; k < n; k++)
        if (count[k] > 0) {
            score[k] = redteam_catastrophe_at(w, probs, c0 + k);
            order[m++] = k;
        }
    /* bottom-up merge sort of order[0..m) by `before` (stable, O(m log m)) */
    for (int width = 1; width < m; width *= 2) {
        for (int lo = 0; lo < m; lo += 2 * width) {
            int mid = lo + width < m ? lo + width : m;
            int hi = lo + 2 * width < m ? lo + 2 * width : m;
            int a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] = before(score, first, order[b], order[a]) ? order[b++] : order[a++];
            while (a < mid)
                tmp[o++] = order[a++];
            while (b < hi)
                tmp[o++] = order[b++];
        }
        memcpy(order, tmp, (size_t)m * sizeof *order);
    }
    int j = 0;
    for (int i = 0; i < m && j < p->budget; i++)
        for (int c = 0; c < count[order[i]] && j < p->budget; c++)
            chosen[j++] = c0 + order[i];
}
