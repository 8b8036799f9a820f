/* policy_step.c — see policy.h: the policy's gradient steps (exact,
 * REINFORCE, PPO, and a given per-cell gradient), each ending in one
 * parameter update through apply_gradient. */
#include "policy_internal.h"

#include <math.h>
#include <string.h>
#include "rng.h"

/* Logits past this are no KL-regularised optimum (those sit at r/kl_coef) but
 * a step size out of control: exp() saturates, the gradient vanishes and the
 * policy freezes on one behaviour without ever producing a NaN. */
#define POLICY_THETA_MAX 1e6

/* theta += lr * (d f / d theta)^T g_cell (or the Adam step along it), all or
 * nothing: a step that would diverge leaves the parameters as they were.
 * cells (n, ascending; NULL: all): where g_cell may be nonzero. lazy: leave
 * the cached scores behind (a new theta version) instead of refreshing them
 * all; the caller refreshes what it reads (refresh_context). */
static int apply_gradient_on(policy *p, double lr, const int *cells, int n, int lazy,
                             os_err *err)
{
    if (cells)
        model_backward_cells(p->mdl, p->theta, p->g_cell, cells, n, p->grad);
    else
        model_backward(p->mdl, p->theta, p->g_cell, p->grad);
    if (p->adam) {
        for (int j = 0; j < p->dim; j++)
            p->grad[j] = -p->grad[j]; /* Adam descends; the policy ascends */
        model_adam_step(p->mdl, p->grad, lr, p->step);
    } else {
        for (int j = 0; j < p->dim; j++)
            p->step[j] = lr * p->grad[j];
    }
    for (int j = 0; j < p->dim; j++) {
        double t = p->theta[j] + p->step[j];
        if (!isfinite(t))
            return err_set(err, OS_EDIVERGE, "policy parameters became non-finite (NaN or "
                           "Inf); lower policy.lr");
        if (fabs(t) > POLICY_THETA_MAX)
            return err_set(err, OS_EDIVERGE, "policy parameters exploded (|theta| = %g > "
                           "%g); lower policy.lr", fabs(t), POLICY_THETA_MAX);
    }
    for (int j = 0; j < p->dim; j++)
        p->theta[j] += p->step[j];
    if (lazy)
        p->version++;
    else
        policy_refresh(p);
    return 0;
}

static int apply_gradient(policy *p, double lr, os_err *err)
{
    p->g_zero = 0;
    return apply_gradient_on(p, lr, NULL, 0, 0, err);
}

/* g = r - kl log(pi/pi0) on cell i */
static double regularised(const policy *p, const double *reward, double kl_coef, int i)
{
    return reward[i] - kl_coef * (p->logp[i] - p->w->log_prior[i]);
}

/* E_pi g in context c */
static double baseline(const policy *p, const double *reward, double kl_coef, int c)
{
    const int B = p->w->n_beh;
    double v = 0;
    for (int b = 0; b < B; b++)
        if (p->probs[c * B + b] > 0)
            v += p->probs[c * B + b] * regularised(p, reward, kl_coef, c * B + b);
    return v;
}

/* Advantages g - E_pi g of context c's cells under the current policy. */
static void context_advantages(policy *p, const double *reward, double kl_coef, int c)
{
    const int B = p->w->n_beh;
    double v = baseline(p, reward, kl_coef, c);
    for (int b = 0; b < B; b++) {
        int i = c * B + b;
        p->adv[i] = p->probs[i] > 0 ? regularised(p, reward, kl_coef, i) - v : 0;
    }
}

/* Advantages of every cell, once per step. */
static void advantages(policy *p, const double *reward, double kl_coef)
{
    for (int c = 0; c < p->w->n_ctx; c++)
        context_advantages(p, reward, kl_coef, c);
}

int policy_step_exact(policy *p, const double *reward, double kl_coef, double lr,
                      os_err *err)
{
    const world *w = p->w;
    advantages(p, reward, kl_coef);
    for (int i = 0; i < w->n_cells; i++)
        p->g_cell[i] = p->wt[i / w->n_beh] * p->probs[i] * p->adv[i];
    return apply_gradient(p, lr, err);
}


/* One sample for the policy-gradient estimators: a context and a behaviour
 * from the current policy. REINFORCE and PPO draw through here, so on the same
 * stream they see the same samples. */
static void draw_sample(const policy *p, gsl_rng *r, int *c, int *b)
{
    const world *w = p->w;
    *c = rng_pick_cumulative(r, p->wt_cum, w->n_ctx);
    *b = policy_sample(p, *c, r);
}

/* One REINFORCE step over all cells: the advantages of every context, the
 * samples, then every cell's gradient. */
static int reinforce_step_all(policy *p, const double *reward, double kl_coef, double lr,
                              int batch, gsl_rng *r, os_err *err)
{
    const world *w = p->w;
    const int B = w->n_beh;
    advantages(p, reward, kl_coef);
    memset(p->g_cell, 0, w->n_cells * sizeof *p->g_cell);
    memset(p->adv_sum, 0, w->n_ctx * sizeof *p->adv_sum);
    /* grad of log pi(b|c) wrt f(c,.) is e_b - pi(.|c): sum the e_b parts per
     * cell and the advantages per context, and subtract pi once at the end */
    /* draw_sample's draws in chunks: each sample's two uniforms first (the
     * same numbers in the same order), then the contexts' searches, then the
     * behaviours', then the sums in sample order. Each search is a chain of
     * dependent loads; a loop of nothing but independent searches lets the
     * processor run several at once. */
    enum { CHUNK = 256 };
    double u[2 * CHUNK];
    int cs[CHUNK], is[CHUNK];
    const double total = p->wt_cum[w->n_ctx - 1];
    for (int s0 = 0; s0 < batch; s0 += CHUNK) {
        const int n = batch - s0 < CHUNK ? batch - s0 : CHUNK;
        rng_uniform_n(r, u, 2 * n);
        for (int j = 0; j < n; j++)
            cs[j] = rng_search_cumulative(p->wt_cum, w->n_ctx, u[2 * j] * total);
        for (int j = 0; j < n; j++)
            is[j] = cs[j] * B + policy_sample_u(p, cs[j], u[2 * j + 1]);
        for (int j = 0; j < n; j++) {
            const int c = cs[j], i = is[j];
            const double adv = p->adv[i];
            p->g_cell[i] += adv;
            p->adv_sum[c] += adv;
        }
    }
    for (int c = 0; c < w->n_ctx; c++)
        for (int a = 0; a < B; a++)
            p->g_cell[c * B + a] = (p->g_cell[c * B + a] - p->adv_sum[c] *
                                    p->probs[c * B + a]) / batch;
    return apply_gradient(p, lr, err);
}

/* One REINFORCE step touching only the contexts it samples: their
 * advantages (computed when first sampled), their cells' gradient, the
 * transpose over their cells in ascending order. Every other context's
 * gradient was (0 - 0 pi) / batch = 0, which the transpose skipped, so the
 * same step as over all cells, bit for bit. Lazy: a context's scores are
 * refreshed when it is sampled, and none after the update. */
static int reinforce_step_sampled(policy *p, const double *reward, double kl_coef,
                                  double lr, int batch, gsl_rng *r, os_err *err)
{
    const world *w = p->w;
    const int B = w->n_beh;
    if (!p->g_zero)
        memset(p->g_cell, 0, w->n_cells * sizeof *p->g_cell);
    if (++p->step_id == 0) { /* after 2^32 steps: forget the old stamps */
        memset(p->ctx_step, 0, w->n_ctx * sizeof *p->ctx_step);
        p->step_id = 1;
    }
    /* as reinforce_step_all; the draws are draw_sample's: a context, then a
     * behaviour */
    for (int s = 0; s < batch; s++) {
        int c = rng_pick_cumulative(r, p->wt_cum, w->n_ctx);
        policy_refresh_context(p, c);
        int b = policy_sample(p, c, r);
        if (p->ctx_step[c] != p->step_id) {
            p->ctx_step[c] = p->step_id;
            context_advantages(p, reward, kl_coef, c);
            p->adv_sum[c] = 0;
        }
        double adv = p->adv[c * B + b];
        p->g_cell[c * B + b] += adv;
        p->adv_sum[c] += adv;
    }
    /* the sampled contexts in ascending order: a scan of the stamps costs
     * less than sorting the list (W1 at 65,536 contexts: 1,000 sampled) */
    int n_ctx = 0;
    for (int c = 0; c < w->n_ctx; c++)
        if (p->ctx_step[c] == p->step_id)
            p->ctx_list[n_ctx++] = c;
    int n = 0;
    for (int j = 0; j < n_ctx; j++) {
        const int c = p->ctx_list[j];
        for (int a = 0; a < B; a++) {
            const int i = c * B + a;
            p->g_cell[i] = (p->g_cell[i] - p->adv_sum[c] * p->probs[i]) / batch;
            p->cell_list[n++] = i;
        }
    }
    int rc = apply_gradient_on(p, lr, p->cell_list, n, 1, err);
    for (int j = 0; j < n; j++)
        p->g_cell[p->cell_list[j]] = 0;
    p->g_zero = 1;
    return rc;
}

int policy_steps_reinforce(policy *p, const double *reward, double kl_coef, double lr,
                           int batch, int steps, gsl_rng *r, os_err *err)
{
    const world *w = p->w;
    /* With more contexts than samples a step misses many contexts (W1 at
     * 4,096 contexts: 3,200 of them), so it works on the ones it samples and
     * rescores only those (a linear model scores a context on its own), and
     * every context is rescored after the last step. With as many samples as
     * contexts or more, the plain step over all cells costs less. Both give
     * the same bits. */
    int sampled = model_get_spec(p->mdl)->kind == MODEL_LINEAR && w->n_ctx > batch;
#ifdef OVERSIM_OPENBLAS
    /* OpenBLAS scores cells by one dgemv over all of them (world_dot_cells
     * too, to keep its bits), so rescoring context by context would run that
     * product once per context: the plain step */
    sampled = 0;
#endif
    int rc = 0;
    if (!sampled) {
        for (int s = 0; s < steps && !rc; s++)
            rc = reinforce_step_all(p, reward, kl_coef, lr, batch, r, err);
        return rc;
    }
    for (int c = 0; c < w->n_ctx; c++) /* the caches are current: this version */
        p->ctx_version[c] = p->version;
    for (int s = 0; s < steps && !rc; s++)
        rc = reinforce_step_sampled(p, reward, kl_coef, lr, batch, r, err);
    policy_refresh(p);
    return rc;
}

int policy_step_reinforce(policy *p, const double *reward, double kl_coef, double lr,
                          int batch, gsl_rng *r, os_err *err)
{
    return policy_steps_reinforce(p, reward, kl_coef, lr, batch, 1, r, err);
}

int policy_step_logits(policy *p, const double *g_cell, double lr, os_err *err)
{
    memcpy(p->g_cell, g_cell, p->w->n_cells * sizeof *g_cell);
    return apply_gradient(p, lr, err);
}

int policy_step_ppo(policy *p, const double *reward, double kl_coef, double lr, int batch,
                    int epochs, int minibatch, double clip, gsl_rng *r, os_err *err)
{
    const world *w = p->w;
    const int B = w->n_beh;
    if (batch > p->cap)
        return err_set(err, OS_EINVAL, "PPO batch %d exceeds the reserved %d", batch, p->cap);
    advantages(p, reward, kl_coef);
    for (int s = 0; s < batch; s++) {
        draw_sample(p, r, &p->s_ctx[s], &p->s_beh[s]);
        p->s_adv[s] = p->adv[p->s_ctx[s] * B + p->s_beh[s]];
        p->s_old[s] = p->probs[p->s_ctx[s] * B + p->s_beh[s]];
    }
    for (int e = 0; e < epochs; e++)
        for (int start = 0; start < batch; start += minibatch) {
            int end = start + minibatch < batch ? start + minibatch : batch;
            int n = end - start;
            memset(p->g_cell, 0, w->n_cells * sizeof *p->g_cell);
            for (int s = start; s < end; s++) {
                int c = p->s_ctx[s], b = p->s_beh[s];
                double adv = p->s_adv[s];
                double rho = p->probs[c * B + b] / p->s_old[s];
                /* the clipped term is the min (and flat) when rho left the band
                 * in the direction the advantage favours */
                if ((adv > 0 && rho > 1 + clip) || (adv < 0 && rho < 1 - clip))
                    continue;
                /* d(rho A)/df(c,.) = rho A (e_b - pi(.|c)) */
                double k = rho * adv / n;
                for (int a = 0; a < B; a++)
                    p->g_cell[c * B + a] -= k * p->probs[c * B + a];
                p->g_cell[c * B + b] += k;
            }
            int rc = apply_gradient(p, lr, err);
            if (rc)
                return rc;
        }
    return 0;
}

