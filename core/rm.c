/* rm.c — see rm.h: building, labels, fits (rm_query.c: what a fitted model
 * answers). */
#include "rm_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include "mathx.h"
#include "model.h"
#include "size.h"
#include "rng.h"


void rm_params_default(rm_params *p)
{
    p->l2 = 1;
    p->noise = 0;
    p->method = RM_FIT_BFGS;
    p->max_iter = 200;
    p->lr = 1;
    p->tol = 1e-7;
    model_spec_linear(&p->model);
    p->ensemble = 1;
    p->bootstrap = 1;
    p->confidence = 0;
}

/* The mean of the members' rewards into r (r_mem[0] is r when K == 1). */
static void mean_rewards(rm *m)
{
    if (m->K == 1)
        return;
    const int n = m->w->n_cells;
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < m->K; k++)
            s += m->r_mem[k][i];
        m->r[i] = s / m->K;
    }
}

/* Every member's rewards at its parameters, and their mean. */
static void refresh_rewards(rm *m)
{
    for (int k = 0; k < m->K; k++)
        model_forward(m->mem[k], model_params(m->mem[k]), m->r_mem[k]);
    mean_rewards(m);
}

int rm_params_check(const rm_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "reward_model";
    if (!(p->l2 >= 0) || !isfinite(p->l2))
        return err_set(err, OS_EINVAL, "field 'l2' of %s must be a finite number >= 0 "
                       "(got %g)", what, p->l2);
    if (!(p->noise >= 0 && p->noise < 1))
        return err_set(err, OS_EINVAL, "field 'noise' of %s must be in [0,1) (got %g)", what,
                       p->noise);
    if (p->method < RM_FIT_BFGS || p->method > RM_FIT_ADAM)
        return err_set(err, OS_EINVAL, "field 'fit' of %s is unknown (%d)", what,
                       (int)p->method);
    if (p->max_iter < 1)
        return err_set(err, OS_EINVAL, "field 'max_iter' of %s must be >= 1 (got %d)", what,
                       p->max_iter);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return err_set(err, OS_EINVAL, "field 'lr' of %s must be a finite number > 0 "
                       "(got %g)", what, p->lr);
    if (!(p->tol >= 0))
        return err_set(err, OS_EINVAL, "field 'tol' of %s must be >= 0 (got %g)", what,
                       p->tol);
    if (p->ensemble < 1)
        return err_set(err, OS_EINVAL, "field 'ensemble' of %s must be >= 1 (got %d)", what,
                       p->ensemble);
    if (p->ensemble > RM_MAX_ENSEMBLE)
        return err_set(err, OS_EINVAL, "field 'ensemble' of %s must be <= %d (got %d)", what,
                       RM_MAX_ENSEMBLE, p->ensemble);
    if (!(p->confidence >= 0 && p->confidence < 1))
        return err_set(err, OS_EINVAL, "field 'confidence' of %s must be in [0,1) (got %g)",
                       what, p->confidence);
    char mwhat[160];
    snprintf(mwhat, sizeof mwhat, "%s.model", what);
    return model_spec_check(&p->model, mwhat, err);
}

/* The distinct comparisons (b1 < b2) world w allows: n(n-1)/2 summed over
 * contexts with n behaviours available (at most 5e7 cells: no overflow). */
static size_t pair_capacity(const world *w)
{
    size_t cap = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        size_t n = (size_t)w->ctx_n_avail[c];
        cap += n * (n - (n > 0)) / 2;
    }
    return cap;
}

void rm_estimate(const world *w, const rm_params *p, size_estimate *e)
{
    if (p->ensemble == 1) {
        model_estimate(w, &p->model, "reward_model.model", e);
    } else { /* the members as one item */
        size_estimate one;
        size_estimate_init(&one);
        model_estimate(w, &p->model, "reward_model.model", &one);
        size_estimate_add(e, size_mul3_sat((size_t)p->ensemble, one.bytes, 1),
                          "reward-model ensemble (%d members, each with %s)", p->ensemble,
                          one.what);
    }
    size_t cells = (size_t)w->n_cells, K = (size_t)p->ensemble;
    /* the mean reward and g_cell, plus one reward vector per member when K > 1,
     * and the compared cells' mark and list */
    size_estimate_add(e, size_add_sat(size_mul3_sat(cells, 2 + (K > 1 ? K : 0), sizeof(double)),
                                      size_mul3_sat(cells, sizeof(int) + 1, 1)),
                      "reward-model rewards (%d cells)", w->n_cells);
    /* grad, step, and GSL's BFGS with its x (about 10 vectors of the dimension) */
    size_estimate_add(e, size_mul3_sat((size_t)model_count_params(w, &p->model), 13,
                                       sizeof(double)), "reward-model fit buffers");
    /* the label store: the dense (c, b1, b2) slot table and every possible pair */
    size_t slots = size_mul3_sat(cells, (size_t)w->n_beh, sizeof(int));
    size_t per_pair = 3 * sizeof(int) + 2 * sizeof(double);
    if (p->ensemble > 1 && p->bootstrap) /* each member's own weights */
        per_pair = size_add_sat(per_pair, size_mul3_sat(K, 2, sizeof(double)));
    size_t pairs = size_mul3_sat(pair_capacity(w) + 1, per_pair, 1);
    if (w->n_ctx == 1)
        size_estimate_add(e, size_add_sat(slots, pairs), "reward-model pair table %d x %d",
                          w->n_beh, w->n_beh);
    else
        size_estimate_add(e, size_add_sat(slots, pairs), "reward-model pair table %d x %d "
                          "x %d", w->n_ctx, w->n_beh, w->n_beh);
}

rm *rm_new(const world *w, const rm_params *p, os_err *err)
{
    return rm_new_with(w, p, NULL, err);
}

rm *rm_new_with(const world *w, const rm_params *p, gsl_rng *init, os_err *err)
{
    if (rm_params_check(p, NULL, err))
        return NULL;
    const int random_init = p->model.kind != MODEL_LINEAR || p->ensemble > 1;
    if (random_init && !init) {
        err_set(err, OS_EINVAL, "an MLP or ensemble reward model needs a random stream to "
                "initialise it");
        return NULL;
    }
    rm *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->w = w;
    m->p = *p;
    m->alpha = p->confidence;
    m->K = p->ensemble;
    m->mem = calloc(m->K, sizeof *m->mem);
    m->r_mem = calloc(m->K, sizeof *m->r_mem);
    if (!m->mem || !m->r_mem)
        goto nomem;
    for (int k = 0; k < m->K; k++) {
        if (!(m->mem[k] = model_new(w, &p->model, err))) {
            rm_free(m);
            return NULL;
        }
        /* each member its own draw: initial scores ~ N(0, 1)-ish, so members
         * disagree where no label has reached them yet */
        if (random_init)
            model_init(m->mem[k], init, 1);
    }
    m->dim = model_n_params(m->mem[0]);
    m->psi = model_params(m->mem[0]);
    /* every distinct comparison (b1 < b2) a context allows, and the dense
     * (c, b1, b2) slot table: both checked, as an int indexes the pairs */
    size_t cap = pair_capacity(w), nslot;
    if (cap > INT_MAX - 1) {
        rm_free(m);
        err_set(err, OS_EINVAL, "reward model too large: %zu possible comparisons (at most "
                "%d)", cap, INT_MAX - 1);
        return NULL;
    }
    m->cap = (int)cap;
    size_t slot_bytes;
    if (size_mul((size_t)w->n_cells, (size_t)w->n_beh, &nslot) ||
        size_mul(nslot, sizeof *m->slot, &slot_bytes))
        goto nomem;
    m->grad = calloc(m->dim, sizeof *m->grad);
    m->step = calloc(m->dim, sizeof *m->step);
    m->r = calloc(w->n_cells, sizeof *m->r);
    if (!m->r)
        goto nomem;
    for (int k = 0; k < m->K; k++)
        if (m->K == 1)
            m->r_mem[k] = m->r;
        else if (!(m->r_mem[k] = calloc(w->n_cells, sizeof *m->r)))
            goto nomem;
    m->g_cell = calloc(w->n_cells, sizeof *m->g_cell); /* 0 outside the compared cells */
    m->seen = calloc(w->n_cells, sizeof *m->seen);
    m->cells = malloc(w->n_cells * sizeof *m->cells);
    m->slot = malloc(slot_bytes);
    m->pc = malloc((cap + 1) * sizeof *m->pc); /* cap < INT_MAX: no overflow */
    m->pb1 = malloc((cap + 1) * sizeof *m->pb1);
    m->pb2 = malloc((cap + 1) * sizeof *m->pb2);
    m->win1 = malloc((cap + 1) * sizeof *m->win1);
    m->win2 = malloc((cap + 1) * sizeof *m->win2);
    if (m->K > 1 && p->bootstrap) {
        size_t n, bytes;
        if (size_mul((size_t)m->K, cap + 1, &n) || size_mul(n, sizeof(double), &bytes))
            goto nomem;
        m->bw1 = malloc(bytes);
        m->bw2 = malloc(bytes);
        m->bn = calloc(m->K, sizeof *m->bn);
        m->boot = gsl_rng_alloc(rng_mt19937);
        if (!m->bw1 || !m->bw2 || !m->bn || !m->boot)
            goto nomem;
        gsl_rng_set(m->boot, gsl_rng_get(init)); /* after the members' draws */
    }
    m->x = gsl_vector_alloc(m->dim);
    m->min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, m->dim);
    if (!m->grad || !m->step || !m->g_cell || !m->seen || !m->cells || !m->slot || !m->pc || !m->pb1 ||
        !m->pb2 || !m->win1 || !m->win2 || !m->x || !m->min)
        goto nomem;
    for (size_t i = 0; i < nslot; i++)
        m->slot[i] = -1;
    refresh_rewards(m);
    return m;
nomem:
    rm_free(m);
    err_set(err, OS_ENOMEM, "out of memory building a reward model");
    return NULL;
}

void rm_free(rm *m)
{
    if (!m)
        return;
    if (m->mem)
        for (int k = 0; k < m->K; k++)
            model_free(m->mem[k]);
    if (m->r_mem && m->K > 1)
        for (int k = 0; k < m->K; k++)
            free(m->r_mem[k]);
    free(m->mem), free(m->r_mem);
    free(m->grad), free(m->step), free(m->r), free(m->g_cell), free(m->slot);
    free(m->seen), free(m->cells);
    free(m->pc), free(m->pb1), free(m->pb2), free(m->win1), free(m->win2);
    free(m->bw1), free(m->bw2), free(m->bn);
    if (m->boot)
        gsl_rng_free(m->boot);
    if (m->x)
        gsl_vector_free(m->x);
    if (m->min)
        gsl_multimin_fdfminimizer_free(m->min);
    free(m);
}

void rm_add_label(rm *m, int c, int b1, int b2, label_kind l)
{
    if (l == LABEL_SKIP || b1 == b2)
        return;
    if (b1 > b2) {
        int t = b1;
        b1 = b2, b2 = t;
        if (l == LABEL_FIRST)
            l = LABEL_SECOND;
        else if (l == LABEL_SECOND)
            l = LABEL_FIRST;
    }
    const world *w = m->w;
    if (!w->avail[c * w->n_beh + b1] || !w->avail[c * w->n_beh + b2])
        return; /* an absent behaviour: not a real comparison */
    size_t key = ((size_t)c * w->n_beh + b1) * w->n_beh + b2;
    int k = m->slot[key];
    if (k < 0) {
        k = m->slot[key] = m->n_pairs++;
        m->pc[k] = c, m->pb1[k] = b1, m->pb2[k] = b2;
        for (int j = 0; j < 2; j++) {
            int cell = c * w->n_beh + (j ? b2 : b1);
            m->cells_stale |= !m->seen[cell];
            m->seen[cell] = 1;
        }
        m->win1[k] = m->win2[k] = 0;
        for (int j = 0; m->boot && j < m->K; j++)
            m->bw1[(size_t)j * (m->cap + 1) + k] = m->bw2[(size_t)j * (m->cap + 1) + k] = 0;
    }
    double a = l == LABEL_FIRST ? 1 : l == LABEL_SECOND ? 0 : 0.5;
    m->win1[k] += a;
    m->win2[k] += 1 - a;
    m->n_labels += 1;
    /* the online bootstrap: this label counts Poisson(1) times for each
     * member, so members fit different resamples (Christiano et al. 2017) */
    for (int j = 0; m->boot && j < m->K; j++) {
        double times = (double)gsl_ran_poisson(m->boot, 1.0);
        m->bw1[(size_t)j * (m->cap + 1) + k] += times * a;
        m->bw2[(size_t)j * (m->cap + 1) + k] += times * (1 - a);
        m->bn[j] += times;
    }
}

/* d loss / d (r1 - r2) of one distinct pair: a labels for b1, b wins for b2,
 * s = sigma(r1 - r2), eps the assumed share of random labels. */
static inline double pair_dloss(double a, double b, double s, double eps)
{
    if (eps == 0)
        return a * (s - 1) + b * s;
    double p = eps / 2 + (1 - eps) * s, dp = (1 - eps) * s * (1 - s);
    return -a * dp / p + b * dp / (1 - p);
}

/* The list of compared cells, ascending, brought up to date. */
static void update_cells(rm *m)
{
    if (!m->cells_stale)
        return;
    int n = 0;
    for (int i = 0; i < m->w->n_cells; i++)
        if (m->seen[i])
            m->cells[n++] = i;
    m->n_seen = n;
    m->cells_stale = 0;
}

/* The one Bradley-Terry pass over the stored pairs, with label weights w1,
 * w2 (per pair) summing to n, for per-cell scores `score` and noise share eps;
 * alpha > 0 mixes each pair's labels with the scores' own hardened verdict
 * (the confidence loss, rm.h).
 * want_loss: return the mean loss (else 0: plain gradient descent needs no
 * logarithms). g_cell (n_cells values, or NULL): overwritten with d(mean
 * loss)/d score per cell; with `compared` only the compared cells are zeroed
 * (the others must be 0 already: m->g_cell is, as only pairs write it). No
 * L2 here. */
static double bt_pass(const rm *m, const double *w1, const double *w2, double n,
                      const double *score, double eps, double alpha, int want_loss,
                      double *g_cell, int compared)
{
    const int B = m->w->n_beh;
    const double inv_n = n > 0 ? 1.0 / n : 0;
    if (g_cell && compared)
        for (int j = 0; j < m->n_seen; j++)
            g_cell[m->cells[j]] = 0;
    else if (g_cell)
        memset(g_cell, 0, m->w->n_cells * sizeof *g_cell);
    double loss = 0;
    /* In chunks: first every pair's difference, then their exp() four at a
     * time (mathx_exp_n: libm's bits), then the sigmoids, losses and
     * gradients in pair order, as one loop did them. */
    enum { CHUNK = 256 };
    int ia[CHUNK], ib[CHUNK];
    double dd[CHUNK], ee[CHUNK];
    for (int k0 = 0; k0 < m->n_pairs; k0 += CHUNK) {
        const int nk = m->n_pairs - k0 < CHUNK ? m->n_pairs - k0 : CHUNK;
        for (int j = 0; j < nk; j++) {
            int k = k0 + j;
            ia[j] = m->pc[k] * B + m->pb1[k], ib[j] = m->pc[k] * B + m->pb2[k];
            dd[j] = score[ia[j]] - score[ib[j]];
            ee[j] = -fabs(dd[j]);
        }
        mathx_exp_n(ee, ee, nk); /* the one exp() of s and both log-sigmoids */
        if (g_cell && !want_loss && alpha == 0 && eps == 0) {
            /* a fit step's gradient alone (GD, Adam): the sigmoids and
             * pair_dloss's terms in a loop of independent pairs the compiler
             * vectorises (the division above all: one a pair), then the sums
             * into g_cell in pair order. mathx_sigmoid_e's value: its
             * numerator chosen, then the one division. */
            const double *a = w1 + k0, *b = w2 + k0;
            for (int j = 0; j < nk; j++) {
                const double e = ee[j], s = (dd[j] >= 0 ? 1 : e) / (1 + e);
                ee[j] = (a[j] * (s - 1) + b[j] * s) * inv_n;
            }
            for (int j = 0; j < nk; j++) {
                g_cell[ia[j]] += ee[j];
                g_cell[ib[j]] -= ee[j];
            }
            continue;
        }
        for (int j = 0; j < nk; j++) {
            double d = dd[j], e = ee[j], a = w1[k0 + j], b = w2[k0 + j];
            if (alpha > 0) { /* the target: (1 - alpha) labels + alpha verdict */
                double all = a + b, h = d > 0 ? 1 : d < 0 ? 0 : 0.5;
                a = (1 - alpha) * a + alpha * all * h;
                b = (1 - alpha) * b + alpha * all * (1 - h);
            }
            double s = mathx_sigmoid_e(d, e);
            if (want_loss) {
                if (eps == 0) {
                    double l = log1p(e);
                    loss -= a * mathx_log_sigmoid_l(d, l) + b * mathx_log_sigmoid_l(-d, l);
                } else {
                    double p = eps / 2 + (1 - eps) * s;
                    loss -= a * log(p) + b * log1p(-p);
                }
            }
            if (g_cell) {
                double dl = pair_dloss(a, b, s, eps) * inv_n;
                g_cell[ia[j]] += dl;
                g_cell[ib[j]] -= dl;
            }
        }
    }
    return loss * inv_n;
}

/* Member k's label weights and their total: its bootstrap resample, or the
 * labels themselves. */
static void member_labels(const rm *m, int k, const double **w1, const double **w2,
                          double *n)
{
    if (m->boot) {
        *w1 = m->bw1 + (size_t)k * (m->cap + 1);
        *w2 = m->bw2 + (size_t)k * (m->cap + 1);
        *n = m->bn[k];
    } else {
        *w1 = m->win1, *w2 = m->win2, *n = m->n_labels;
    }
}

/* The prior's weight in the mean loss. The regulariser is l2 ||psi||^2 on the
 * summed Bradley-Terry loss (a Gaussian prior, DESIGN.md 1), which the labels
 * overwhelm as they accumulate: the fitted differences approach beta (v1 -
 * v2) under an oracle of rationality beta. Fits minimise the mean, so it is
 * l2 / labels here (before any label: l2 itself). */
static double l2_eff(const rm *m, double n)
{
    return n > 0 ? m->p.l2 / n : m->p.l2;
}

/* Member k at parameters psi: its rewards into r_mem[k]; the loss with L2
 * when want_loss (else 0); when grad != NULL the gradient (rm_dim values).
 * compared: the fit's steps, which need the rewards of the compared cells
 * only (a linear model leaves the others stale; the pass after a fit
 * refreshes them all). The same bits either way. */
static double member_pass(rm *m, int k, const double *psi, int want_loss, double *grad,
                          int compared)
{
    double *r = m->r_mem[k];
    if (compared) {
        update_cells(m);
        model_forward_cells(m->mem[k], psi, m->cells, m->n_seen, r);
    } else {
        model_forward(m->mem[k], psi, r);
    }
    const double *w1, *w2;
    double n;
    member_labels(m, k, &w1, &w2, &n);
    double loss = bt_pass(m, w1, w2, n, r, m->p.noise, m->alpha, want_loss,
                          grad ? m->g_cell : NULL, compared);
    if (want_loss) {
        double sq = 0;
        for (int j = 0; j < m->dim; j++)
            sq += psi[j] * psi[j];
        loss += l2_eff(m, n) * sq;
    }
    if (grad) {
        if (compared)
            model_backward_cells(m->mem[k], psi, m->g_cell, m->cells, m->n_seen, grad);
        else
            model_backward(m->mem[k], psi, m->g_cell, grad);
        double l2 = l2_eff(m, n);
        for (int j = 0; j < m->dim; j++)
            grad[j] += 2 * l2 * psi[j];
    }
    return loss;
}

double rm_score_loss(const rm *m, const double *score, double *g_cell)
{
    return bt_pass(m, m->win1, m->win2, m->n_labels, score, 0, 0, 1, g_cell, 0);
}

/* GSL's params for the minimiser's callbacks: which member is being fitted. */
typedef struct fit_target {
    rm *m;
    int member;
} fit_target;

static double mm_f(const gsl_vector *x, void *params)
{
    fit_target *t = params;
    return member_pass(t->m, t->member, x->data, 1, NULL, 1);
}

static void mm_df(const gsl_vector *x, void *params, gsl_vector *g)
{
    fit_target *t = params;
    member_pass(t->m, t->member, x->data, 1, g->data, 1);
}

static void mm_fdf(const gsl_vector *x, void *params, double *f, gsl_vector *g)
{
    fit_target *t = params;
    *f = member_pass(t->m, t->member, x->data, 1, g->data, 1);
}

static int all_finite(const double *x, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* The confidence loss's weight at step it of a refit's max_iter: Burns's
 * linear warm-up over the first 20% of the steps, then p.confidence. */
static double ramped_alpha(const rm *m, int it)
{
    double ramp = 0.2 * m->p.max_iter;
    return it + 1 >= ramp ? m->p.confidence : m->p.confidence * (it + 1) / ramp;
}

/* Fit member k from its current parameters (warm start), at confidence
 * weight m->alpha (GD and Adam: ramped up to it over their steps). */
static void fit_member(rm *m, int k)
{
    double *psi = model_params(m->mem[k]);
    const double alpha = m->alpha;
    if (m->p.method == RM_FIT_GD) {
        for (int it = 0; it < m->p.max_iter; it++) {
            if (alpha > 0)
                m->alpha = ramped_alpha(m, it);
            member_pass(m, k, psi, 0, m->grad, 1);
            for (int j = 0; j < m->dim; j++)
                psi[j] -= m->p.lr * m->grad[j];
        }
    } else if (m->p.method == RM_FIT_ADAM) {
        for (int it = 0; it < m->p.max_iter; it++) {
            if (alpha > 0)
                m->alpha = ramped_alpha(m, it);
            member_pass(m, k, psi, 0, m->grad, 1);
            model_adam_step(m->mem[k], m->grad, m->p.lr, m->step);
            for (int j = 0; j < m->dim; j++)
                psi[j] += m->step[j];
        }
    } else {
        fit_target target = { m, k };
        gsl_multimin_function_fdf fn = { mm_f, mm_df, mm_fdf, (size_t)m->dim, &target };
        memcpy(m->x->data, psi, m->dim * sizeof *psi);
        gsl_multimin_fdfminimizer_set(m->min, &fn, m->x, 0.1, 0.1);
        for (int it = 0; it < m->p.max_iter; it++) {
            if (gsl_multimin_fdfminimizer_iterate(m->min))
                break; /* no further progress possible: at the optimum */
            if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(m->min), m->p.tol) == GSL_SUCCESS)
                break;
        }
        memcpy(psi, gsl_multimin_fdfminimizer_x(m->min)->data, m->dim * sizeof *psi);
    }
}

int rm_fit(rm *m, os_err *err)
{
    int ok = 1;
    for (int k = 0; k < m->K; k++) {
        const double *w1, *w2;
        double n;
        member_labels(m, k, &w1, &w2, &n);
        if (n > 0) { /* a member whose resample has no label yet keeps its init */
            if (m->p.confidence > 0 && m->p.method == RM_FIT_BFGS) {
                m->alpha = 0; /* BFGS's warm-up: the labels alone first */
                fit_member(m, k);
            }
            m->alpha = m->p.confidence;
            fit_member(m, k);
        }
        m->alpha = m->p.confidence; /* the loss minimised, whatever the warm-up */
        double loss = member_pass(m, k, model_params(m->mem[k]), 1, NULL, 0); /* refreshes r_mem[k] */
        ok = ok && all_finite(model_params(m->mem[k]), m->dim) && isfinite(loss);
    }
    mean_rewards(m);
    if (!ok)
        return err_set(err, OS_EDIVERGE, "reward model parameters became non-finite "
                       "(NaN or Inf); lower reward_model.lr or raise l2");
    return 0;
}

double rm_loss(rm *m)
{
    return member_pass(m, 0, m->psi, 1, NULL, 0);
}

double rm_loss_grad(rm *m, int k, double *grad)
{
    return member_pass(m, k, model_params(m->mem[k]), 1, grad, 0);
}

void rm_set_psi(rm *m, const double *psi)
{
    memcpy(m->psi, psi, m->dim * sizeof *psi);
    refresh_rewards(m);
}

void rm_refresh(rm *m)
{
    refresh_rewards(m);
}
