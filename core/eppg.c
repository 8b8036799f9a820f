/* eppg.c — see eppg.h. */
#include "eppg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"
#include "segment.h"

void eppg_params_default(eppg_params *p)
{
    p->method = EPPG_EXACT;
    p->lr = 0.5;
    p->steps = 50;
    p->batch = 32;
    p->clip = 0.2;
    p->epochs = 4;
}

int eppg_check(const eppg_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "train_episodes";
    if (p->method < EPPG_EXACT || p->method > EPPG_PPO)
        return err_set(err, OS_EINVAL, "field 'method' of %s is unknown (%d)", what,
                       (int)p->method);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return err_set(err, OS_EINVAL, "field 'lr' of %s must be a finite number > 0 (got %g)",
                       what, p->lr);
    if (p->steps < 1 || p->steps > EPPG_MAX_STEPS)
        return err_set(err, OS_EINVAL, "field 'steps' of %s must be an integer in 1..%d "
                       "(got %d)", what, EPPG_MAX_STEPS, p->steps);
    if (p->batch < 2 || p->batch > EPPG_MAX_BATCH)
        return err_set(err, OS_EINVAL, "field 'batch' of %s must be an integer in 2..%d "
                       "(got %d)", what, EPPG_MAX_BATCH, p->batch);
    if (!(p->clip > 0 && p->clip < 1))
        return err_set(err, OS_EINVAL, "field 'clip' of %s must be in (0,1) (got %g)", what,
                       p->clip);
    if (p->epochs < 1)
        return err_set(err, OS_EINVAL, "field 'epochs' of %s must be an integer >= 1 "
                       "(got %d)", what, p->epochs);
    return 0;
}

struct eppg {
    const mdp *m;
    int batch;
    double *theta, *grad; /* dim */
    double *pi;           /* n_cells: the current policy */
    double *logpi;        /* n_cells: its logs (-INFINITY where absent) */
    double *old_logpi;    /* PPO: log pi_old of each sampled step (batch x H) */
    int *cells;           /* batch x H */
    int *len;             /* batch */
    double *adv;          /* batch x H: G_t, then G_t - b_t */
    double *sum_g;        /* H: sum over the batch of G_t (the baseline) */
    int *count;           /* H: episodes still running at t */
    int last;             /* episodes in the last batch (0: none yet) */
};

eppg *eppg_new(const mdp *m, int batch, os_err *err)
{
    size_t steps;
    if (batch < 2 || batch > EPPG_MAX_BATCH ||
        size_mul((size_t)batch, (size_t)m->horizon, &steps) ||
        size_mul(steps, sizeof(double), &(size_t){ 0 })) {
        err_set(err, OS_ENOMEM, "a batch of %d episodes of %d steps is too large", batch,
                m->horizon);
        return NULL;
    }
    eppg *g = calloc(1, sizeof *g);
    if (!g || !(g->theta = calloc((size_t)m->dim, sizeof *g->theta)) ||
        !(g->grad = malloc((size_t)m->dim * sizeof *g->grad)) ||
        !(g->pi = malloc((size_t)m->n_cells * sizeof *g->pi)) ||
        !(g->logpi = malloc((size_t)m->n_cells * sizeof *g->logpi)) ||
        !(g->old_logpi = malloc(steps * sizeof *g->old_logpi)) ||
        !(g->cells = malloc(steps * sizeof *g->cells)) ||
        !(g->len = malloc((size_t)batch * sizeof *g->len)) ||
        !(g->adv = malloc(steps * sizeof *g->adv)) ||
        !(g->sum_g = malloc((size_t)m->horizon * sizeof *g->sum_g)) ||
        !(g->count = malloc((size_t)m->horizon * sizeof *g->count))) {
        eppg_free(g);
        err_set(err, OS_ENOMEM, "out of memory for an episode policy");
        return NULL;
    }
    g->m = m;
    g->batch = batch;
    memcpy(g->pi, m->prior, (size_t)m->n_cells * sizeof *g->pi);
    memcpy(g->logpi, m->log_prior, (size_t)m->n_cells * sizeof *g->logpi);
    return g;
}

void eppg_free(eppg *g)
{
    if (!g)
        return;
    free(g->theta), free(g->grad), free(g->pi), free(g->logpi), free(g->old_logpi);
    free(g->cells), free(g->len), free(g->adv), free(g->sum_g), free(g->count);
    free(g);
}

const double *eppg_policy(const eppg *g) { return g->pi; }
const double *eppg_theta(const eppg *g) { return g->theta; }

static void refresh(eppg *g);

void eppg_set_theta(eppg *g, const double *theta)
{
    memcpy(g->theta, theta, (size_t)g->m->dim * sizeof *theta);
    refresh(g);
}

/* pi and log pi from theta: per state, log pi0 + phi . theta, normalised
 * with the largest subtracted (exp never overflows). */
static void refresh(eppg *g)
{
    const mdp *m = g->m;
    const int A = m->n_actions;
    for (int s = 0; s < m->n_states; s++) {
        double *lp = g->logpi + (size_t)s * A, *p = g->pi + (size_t)s * A;
        double top = -INFINITY;
        for (int a = 0; a < A; a++) {
            int i = s * A + a;
            lp[a] = m->avail[i] ? m->log_prior[i] + mdp_dot(m, i, g->theta) : -INFINITY;
            top = fmax(top, lp[a]);
        }
        if (top == -INFINITY) { /* a terminal state: no action */
            for (int a = 0; a < A; a++)
                p[a] = 0;
            continue;
        }
        double z = 0;
        for (int a = 0; a < A; a++)
            z += lp[a] > -INFINITY ? exp(lp[a] - top) : 0;
        double lz = top + log(z);
        for (int a = 0; a < A; a++) {
            lp[a] -= lz;
            p[a] = lp[a] > -INFINITY ? exp(lp[a]) : 0;
        }
    }
}

/* grad += w grad_theta log pi(a|s) at cell i = w (phi(s,a) - sum_a' pi(a'|s)
 * phi(s,a')). */
static void add_score(eppg *g, int i, double w)
{
    const mdp *m = g->m;
    const int A = m->n_actions, s = i / A;
    const double *p = g->pi + (size_t)s * A;
    if (m->onehot) {
        g->grad[i] += w;
        for (int a = 0; a < A; a++)
            g->grad[s * A + a] -= w * p[a];
        return;
    }
    const int D = m->dim;
    const double *row = m->phi + (size_t)i * D;
    for (int k = 0; k < D; k++)
        g->grad[k] += w * row[k];
    for (int a = 0; a < A; a++) {
        if (p[a] == 0)
            continue;
        const double *ra = m->phi + (size_t)(s * A + a) * D;
        for (int k = 0; k < D; k++)
            g->grad[k] -= w * p[a] * ra[k];
    }
}

/* Sample a batch of the current policy; advantages G_t - b_t (leave one
 * out) into adv; log pi of each step into old_logpi. */
static void sample_batch(eppg *g, int batch, const double *reward, double kl_coef,
                         gsl_rng *r)
{
    const mdp *m = g->m;
    const int H = m->horizon;
    for (int t = 0; t < H; t++)
        g->sum_g[t] = 0, g->count[t] = 0;
    for (int e = 0; e < batch; e++) {
        int *c = g->cells + (size_t)e * H;
        double *adv = g->adv + (size_t)e * H, *olp = g->old_logpi + (size_t)e * H;
        int T = g->len[e] = segment_sample_episode(m, g->pi, 1, r, c);
        double ret = 0;
        for (int t = T - 1; t >= 0; t--) {
            int i = c[t];
            olp[t] = g->logpi[i];
            ret += reward[i] - kl_coef * (g->logpi[i] - m->log_prior[i]);
            adv[t] = ret;
            g->sum_g[t] += ret;
            g->count[t]++;
        }
    }
    g->last = batch;
    for (int e = 0; e < batch; e++) {
        double *adv = g->adv + (size_t)e * H;
        for (int t = 0; t < g->len[e]; t++) {
            int n = g->count[t] - 1; /* the others still running at t */
            double b = n > 0 ? (g->sum_g[t] - adv[t]) / n : 0;
            adv[t] -= b;
        }
    }
}

double eppg_surrogate(eppg *g, double clip, double *grad)
{
    const int H = g->m->horizon, D = g->m->dim;
    double *gr = grad ? grad : g->grad;
    memset(gr, 0, (size_t)D * sizeof *gr);
    double *save = g->grad;
    g->grad = gr; /* add_score accumulates into g->grad */
    double value = 0;
    for (int e = 0; e < g->last; e++) {
        const int *c = g->cells + (size_t)e * H;
        const double *adv = g->adv + (size_t)e * H;
        const double *olp = g->old_logpi + (size_t)e * H;
        for (int t = 0; t < g->len[e]; t++) {
            double a = adv[t];
            double rho = exp(g->logpi[c[t]] - olp[t]); /* exactly 1 at the batch's policy */
            if ((a > 0 && rho > 1 + clip) || (a < 0 && rho < 1 - clip)) {
                value += (a > 0 ? 1 + clip : 1 - clip) * a; /* clipped: no gradient */
                continue;
            }
            value += rho * a;
            add_score(g, c[t], a * rho);
        }
    }
    g->grad = save;
    if (g->last > 0) {
        for (int k = 0; k < D; k++)
            gr[k] /= g->last;
        value /= g->last;
    }
    return value;
}

/* theta += lr grad; OS_EDIVERGE when theta leaves the reals. */
static int step(eppg *g, double lr, os_err *err)
{
    const int D = g->m->dim;
    for (int k = 0; k < D; k++) {
        g->theta[k] += lr * g->grad[k];
        if (!isfinite(g->theta[k]))
            return err_set(err, OS_EDIVERGE, "the episode policy diverged (parameter %d is "
                           "%g): lower lr", k + 1, g->theta[k]);
    }
    refresh(g);
    return 0;
}

int eppg_train(eppg *g, const double *reward, double kl_coef, const eppg_params *p,
               gsl_rng *r, os_err *err)
{
    int rc = eppg_check(p, NULL, err);
    if (rc)
        return rc;
    if (p->batch > g->batch)
        return err_set(err, OS_EINVAL, "a batch of %d episodes exceeds the policy's buffers "
                       "(%d)", p->batch, g->batch);
    if (!(kl_coef > 0) || !isfinite(kl_coef))
        return err_set(err, OS_EINVAL, "kl_coef must be a finite number > 0 (got %g)",
                       kl_coef);
    refresh(g);
    for (int it = 0; it < p->steps; it++) {
        sample_batch(g, p->batch, reward, kl_coef, r);
        /* REINFORCE: one step on the unclipped surrogate at the batch's
         * policy (rho = 1: the score-function estimate itself) */
        int ppo = p->method == EPPG_PPO, epochs = ppo ? p->epochs : 1;
        for (int ep = 0; ep < epochs; ep++) {
            eppg_surrogate(g, ppo ? p->clip : INFINITY, NULL);
            if ((rc = step(g, p->lr, err)))
                return rc;
        }
    }
    return 0;
}
