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
    double *x;       /* cap x dim: feature-sum differences */
    double *y;       /* cap targets */
    double *psi, *reward, *grad;
    gsl_vector *gx;
    gsl_multimin_fdfminimizer *min;
};

segrm *segrm_new(const mdp *m, double l2, int capacity, os_err *err)
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
    size_t xs;
    if (size_mul((size_t)capacity, (size_t)m->dim, &xs) || size_mul(xs, sizeof(double), &xs)) {
        err_set(err, OS_ENOMEM, "segment reward model too large: %d comparisons x %d "
                "features", capacity, m->dim);
        return NULL;
    }
    segrm *r = calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->m = m;
    r->l2 = l2;
    r->dim = m->dim;
    r->cap = capacity;
    r->x = malloc(xs);
    r->y = malloc((size_t)capacity * sizeof *r->y);
    r->psi = calloc((size_t)r->dim, sizeof *r->psi);
    r->grad = calloc((size_t)r->dim, sizeof *r->grad);
    r->reward = calloc((size_t)m->n_cells, sizeof *r->reward);
    r->gx = gsl_vector_alloc((size_t)r->dim);
    r->min = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2,
                                             (size_t)r->dim);
    if (!r->x || !r->y || !r->psi || !r->grad || !r->reward || !r->gx || !r->min)
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
    free(r->x);
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
    double *row = r->x + (size_t)r->n * (size_t)r->dim;
    memset(row, 0, (size_t)r->dim * sizeof *row);
    for (int t = 0; t < n1; t++)
        add_phi(r->m, c1[t], 1, row);
    for (int t = 0; t < n2; t++)
        add_phi(r->m, c2[t], -1, row);
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
        const double *x = r->x + (size_t)k * (size_t)D;
        double z = 0;
        for (int j = 0; j < D; j++)
            z += psi[j] * x[j];
        double e = exp(-fabs(z)), l = log1p(e), y = r->y[k];
        sum += y * mathx_log_sigmoid_l(z, l) + (1 - y) * mathx_log_sigmoid_l(-z, l);
        if (grad) {
            double g = y - mathx_sigmoid_e(z, e); /* d/dz of the log-likelihood */
            if (g != 0)
                for (int j = 0; j < D; j++)
                    grad[j] -= g * x[j];
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
