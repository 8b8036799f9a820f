/* segrm.c — see segrm.h. */
#include "segrm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_multimin.h>
#include "mathx.h"

struct segrm {
    const mdp *m;
    double l2;
    int dim, cap, n;
    /* comparison k's feature-sum difference, its nonzero entries only, in
     * ascending feature order: len[k] (<= nnz) indices idx[k * nnz + e] and
     * values val[k * nnz + e]. A dense sum over all features adds psi_j x 0 =
     * +-0 where these skip, which leaves a sum that is never -0 unchanged:
     * the loss and gradient have the bits of the dense loops, at the cost of
     * the nonzeros (at most 2 x the segment's steps with one-hot features:
     * 20 of 400 in the episodic benchmark) */
    int nnz;
    int *len, *idx;
    double *val;
    double *row;     /* dim: scratch for building a difference */
    double *y;       /* cap targets */
    double *psi, *reward, *grad;
    gsl_vector *gx;
    gsl_multimin_fdfminimizer *min;
};

segrm *segrm_new(const mdp *m, double l2, int capacity, int max_steps, os_err *err)
{
    if (!isfinite(l2) || l2 < 0) {
        err_set(err, OS_EINVAL, "field 'l2' of reward_model must be a finite number >= 0 "
                "(got %g)", l2);
        return NULL;
    }
    if (capacity < 1) {
        err_set(err, OS_EINVAL, "a segment reward model needs room for at least one "
                "comparison (got %d)", capacity);
        return NULL;
    }
    if (max_steps < 1) {
        err_set(err, OS_EINVAL, "a segment reward model needs segments of at least one step "
                "(got %d)", max_steps);
        return NULL;
    }
    /* nonzeros of one difference: 2 x max_steps cells of 1 (one-hot) or dim
     * features each, never more than dim */
    long long per_cell = m->onehot ? 1 : m->dim;
    long long nnz = 2 * (long long)max_steps * per_cell;
    if (nnz > m->dim)
        nnz = m->dim;
    size_t entries, xs, is;
    if (size_mul((size_t)capacity, (size_t)nnz, &entries) ||
        size_mul(entries, sizeof(double), &xs) || size_mul(entries, sizeof(int), &is)) {
        err_set(err, OS_ENOMEM, "segment reward model too large: %d comparisons x %lld "
                "features", capacity, nnz);
        return NULL;
    }
    segrm *r = calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->m = m;
    r->l2 = l2;
    r->dim = m->dim;
    r->cap = capacity;
    r->nnz = (int)nnz;
    r->val = malloc(xs);
    r->idx = malloc(is);
    r->len = malloc((size_t)capacity * sizeof *r->len);
    r->row = malloc((size_t)r->dim * sizeof *r->row);
    r->y = malloc((size_t)capacity * sizeof *r->y);
    r->psi = calloc((size_t)r->dim, sizeof *r->psi);
    r->grad = calloc((size_t)r->dim, sizeof *r->grad);
    r->reward = calloc((size_t)m->n_cells, sizeof *r->reward);
    r->gx = gsl_vector_alloc((size_t)r->dim);
    r->min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2,
                                             (size_t)r->dim);
    if (!r->val || !r->idx || !r->len || !r->row || !r->y || !r->psi || !r->grad || !r->reward || !r->gx || !r->min)
        goto nomem;
    return r;
nomem:
    segrm_free(r);
    err_set(err, OS_ENOMEM, "out of memory building a segment reward model");
    return NULL;
}

void segrm_free(segrm *r)
{
    if (!r)
        return;
    free(r->val);
    free(r->idx);
    free(r->len);
    free(r->row);
    free(r->y);
    free(r->psi);
    free(r->grad);
    free(r->reward);
    if (r->gx)
        gsl_vector_free(r->gx);
    if (r->min)
        gsl_multimin_fdfminimizer_free(r->min);
    free(r);
}

/* row += sign * phi(cell) */
static void add_phi(const mdp *m, int cell, double sign, double *row)
{
    if (m->onehot) {
        row[cell] += sign;
        return;
    }
    const double *phi = m->phi + (size_t)cell * (size_t)m->dim;
    for (int k = 0; k < m->dim; k++)
        row[k] += sign * phi[k];
}

int segrm_add_prob(segrm *r, const int *c1, int n1, const int *c2, int n2, double y,
                   os_err *err)
{
    if (!(y >= 0 && y <= 1))
        return err_set(err, OS_EINVAL, "a comparison's target must be a probability in [0,1] "
                       "(got %g)", y);
    if (r->n == r->cap)
        return err_set(err, OS_EINVAL, "the segment reward model is full (%d comparisons)",
                       r->cap);
    double *row = r->row;
    memset(row, 0, (size_t)r->dim * sizeof *row);
    for (int t = 0; t < n1; t++)
        add_phi(r->m, c1[t], 1, row);
    for (int t = 0; t < n2; t++)
        add_phi(r->m, c2[t], -1, row);
    int *idx = r->idx + (size_t)r->n * (size_t)r->nnz, e = 0;
    double *val = r->val + (size_t)r->n * (size_t)r->nnz;
    for (int j = 0; j < r->dim; j++) {
        if (row[j] == 0)
            continue;
        if (e == r->nnz)
            return err_set(err, OS_EINVAL, "a comparison of %d and %d steps is longer than "
                           "the segment reward model was made for", n1, n2);
        idx[e] = j, val[e++] = row[j];
    }
    r->len[r->n] = e;
    r->y[r->n++] = y;
    return 0;
}

int segrm_add(segrm *r, const int *c1, int n1, const int *c2, int n2, label_kind l,
              os_err *err)
{
    if (l == LABEL_SKIP)
        return 0;
    double y = l == LABEL_FIRST ? 1 : l == LABEL_SECOND ? 0 : 0.5;
    return segrm_add_prob(r, c1, n1, c2, n2, y, err);
}

/* The loss at psi and, when grad is not NULL, its gradient. */
static double loss_at(const segrm *r, const double *psi, double *grad)
{
    const int D = r->dim;
    double sum = 0;
    if (grad)
        memset(grad, 0, (size_t)D * sizeof *grad);
    for (int k = 0; k < r->n; k++) {
        const int *idx = r->idx + (size_t)k * (size_t)r->nnz, n = r->len[k];
        const double *x = r->val + (size_t)k * (size_t)r->nnz;
        double z = 0;
        for (int e = 0; e < n; e++)
            z += psi[idx[e]] * x[e];
        double e = exp(-fabs(z)), l = log1p(e), y = r->y[k];
        sum += y * mathx_log_sigmoid_l(z, l) + (1 - y) * mathx_log_sigmoid_l(-z, l);
        if (grad) {
            double g = y - mathx_sigmoid_e(z, e); /* d/dz of the log-likelihood */
            if (g != 0)
                for (int f = 0; f < n; f++)
                    grad[idx[f]] -= g * x[f];
        }
    }
    double sq = 0;
    for (int j = 0; j < D; j++)
        sq += psi[j] * psi[j];
    double scale = r->n > 0 ? 1.0 / r->n : 1;
    if (grad)
        for (int j = 0; j < D; j++)
            grad[j] = scale * (grad[j] + 2 * r->l2 * psi[j]);
    return scale * (-sum + r->l2 * sq);
}

double segrm_loss(const segrm *r, double *grad)
{
    return loss_at(r, r->psi, grad);
}

static double mm_f(const gsl_vector *x, void *params)
{
    return loss_at(params, x->data, NULL);
}

static void mm_df(const gsl_vector *x, void *params, gsl_vector *g)
{
    loss_at(params, x->data, g->data);
}

static void mm_fdf(const gsl_vector *x, void *params, double *f, gsl_vector *g)
{
    *f = loss_at(params, x->data, g->data);
}

void segrm_refresh(segrm *r)
{
    for (int i = 0; i < r->m->n_cells; i++)
        r->reward[i] = mdp_dot(r->m, i, r->psi);
}

int segrm_fit(segrm *r, int max_iter, double tol, os_err *err)
{
    if (r->n > 0) {
        gsl_multimin_function_fdf fn = { mm_f, mm_df, mm_fdf, (size_t)r->dim, r };
        memcpy(r->gx->data, r->psi, (size_t)r->dim * sizeof *r->psi);
        gsl_multimin_fdfminimizer_set(r->min, &fn, r->gx, 0.1, 0.1);
        for (int it = 0; it < max_iter; it++) {
            if (gsl_multimin_fdfminimizer_iterate(r->min))
                break; /* no further progress possible: at the optimum */
            if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(r->min), tol) ==
                GSL_SUCCESS)
                break;
        }
        memcpy(r->psi, gsl_multimin_fdfminimizer_x(r->min)->data,
               (size_t)r->dim * sizeof *r->psi);
    }
    segrm_refresh(r);
    int ok = isfinite(segrm_loss(r, NULL));
    for (int j = 0; j < r->dim && ok; j++)
        ok = isfinite(r->psi[j]);
    if (!ok)
        return err_set(err, OS_EDIVERGE, "segment reward model parameters became non-finite "
                       "(NaN or Inf); raise l2");
    return 0;
}

double *segrm_psi(segrm *r)
{
    return r->psi;
}

const double *segrm_rewards(const segrm *r)
{
    return r->reward;
}

int segrm_dim(const segrm *r)
{
    return r->dim;
}

int segrm_count(const segrm *r)
{
    return r->n;
}
