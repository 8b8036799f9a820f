/* policy.c — see policy.h: building, the softmax cache, sampling, KL, tables
 * (policy_step.c: the gradient steps). */
#include "policy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mathx.h"
#include "rng.h"


void policy_estimate(const world *w, const model_spec *s, int batch, size_estimate *e)
{
    model_spec lin;
    if (!s) {
        model_spec_linear(&lin);
        s = &lin;
    }
    model_estimate(w, s, "policy.model", e);
    size_t cells = (size_t)w->n_cells;
    /* per cell 7 doubles and an int, per context 2 doubles, 3 ints and a
     * version, and a context's cell numbers */
    size_estimate_add(e, size_add_sat(size_add_sat(size_mul3_sat(cells, 7 * sizeof(double) +
                                                                 sizeof(int), 1),
                                                   size_mul3_sat((size_t)w->n_beh, sizeof(int), 1)),
                                      size_add_sat(size_mul3_sat((size_t)w->n_ctx,
                                                                 2 * sizeof(double) + 3 * sizeof(int) +
                                                                 sizeof(unsigned long long), 1),
                                                   size_mul3_sat((size_t)model_count_params(w, s),
                                                                 2, sizeof(double)))),
                      "policy buffers (%d cells)", w->n_cells);
    if (batch > 0)
        size_estimate_add(e, size_mul3_sat((size_t)batch, 2 * sizeof(int) + 2 * sizeof(double), 1),
                          "PPO batch of %d samples", batch);
}

policy *policy_new(const world *w, os_err *err)
{
    return policy_new_model(w, NULL, NULL, 0, err);
}

policy *policy_new_model(const world *w, const model_spec *spec, gsl_rng *init, int adam,
                         os_err *err)
{
    model_spec lin;
    if (!spec) {
        model_spec_linear(&lin);
        spec = &lin;
    }
    if (spec->kind != MODEL_LINEAR && !init) {
        err_set(err, OS_EINVAL, "an MLP policy needs a random stream to initialise it");
        return NULL;
    }
    policy *p = calloc(1, sizeof *p);
    if (!p)
        goto nomem;
    p->w = w;
    p->wt = w->ctx_weight;
    p->wt_cum = w->ctx_cum_weight;
    p->adam = adam;
    if (!(p->mdl = model_new(w, spec, err))) {
        policy_free(p);
        return NULL;
    }
    if (spec->kind != MODEL_LINEAR)
        model_init(p->mdl, init, 0); /* output weights 0: f = 0, pi = pi0 */
    p->dim = model_n_params(p->mdl);
    p->theta = model_params(p->mdl);
    p->grad = calloc(p->dim, sizeof *p->grad);
    p->step = calloc(p->dim, sizeof *p->step);
    p->f = calloc(w->n_cells, sizeof *p->f);
    p->probs = calloc(w->n_cells, sizeof *p->probs);
    p->logp = calloc(w->n_cells, sizeof *p->logp);
    p->g_cell = calloc(w->n_cells, sizeof *p->g_cell);
    p->adv = calloc(w->n_cells, sizeof *p->adv);
    p->adv_sum = calloc(w->n_ctx, sizeof *p->adv_sum);
    p->cum = calloc(w->n_cells, sizeof *p->cum);
    p->last = calloc(w->n_ctx, sizeof *p->last);
    p->ex = calloc(w->n_cells, sizeof *p->ex);
    p->ctx_max = calloc(w->n_ctx, sizeof *p->ctx_max);
    p->ctx_step = calloc(w->n_ctx, sizeof *p->ctx_step);
    p->ctx_list = malloc(w->n_ctx * sizeof *p->ctx_list);
    p->cell_list = malloc(w->n_cells * sizeof *p->cell_list);
    p->ctx_cells = malloc(w->n_beh * sizeof *p->ctx_cells);
    p->ctx_version = calloc(w->n_ctx, sizeof *p->ctx_version);
    if (!p->grad || !p->step || !p->f || !p->probs || !p->logp || !p->g_cell ||
        !p->adv || !p->adv_sum || !p->cum || !p->last || !p->ex || !p->ctx_max ||
        !p->ctx_step || !p->ctx_list || !p->cell_list || !p->ctx_cells || !p->ctx_version)
        goto nomem;
    policy_refresh(p);
    return p;
nomem:
    policy_free(p);
    err_set(err, OS_ENOMEM, "out of memory building a policy");
    return NULL;
}

void policy_free(policy *p)
{
    if (!p)
        return;
    model_free(p->mdl);
    free(p->grad), free(p->step), free(p->f), free(p->probs), free(p->logp);
    free(p->g_cell), free(p->adv), free(p->adv_sum), free(p->cum), free(p->last);
    free(p->ex), free(p->ctx_max);
    free(p->ctx_step), free(p->ctx_list), free(p->cell_list), free(p->ctx_cells);
    free(p->ctx_version);
    free(p->s_ctx), free(p->s_beh), free(p->s_adv), free(p->s_old);
    free(p);
}

const double *policy_probs(const policy *p) { return p->probs; }
const double *policy_log_probs(const policy *p) { return p->logp; }
double *policy_theta(policy *p) { return p->theta; }
int policy_dim(const policy *p) { return p->dim; }
model *policy_model(policy *p) { return p->mdl; }

/* The softmax of logits x over the available behaviours of context c, stably:
 * its largest logit into *mx and sum exp(x - mx) into *z. */
static void softmax_norm(const world *w, int c, const double *x, double *mx, double *z)
{
    const int o = c * w->n_beh;
    *mx = -INFINITY;
    for (int b = 0; b < w->n_beh; b++)
        if (w->avail[o + b] && x[o + b] > *mx)
            *mx = x[o + b];
    *z = 0;
    for (int b = 0; b < w->n_beh; b++)
        if (w->avail[o + b])
            *z += exp(x[o + b] - *mx);
}

/* Context c's running sums for policy_sample, as rng_search_probs adds them. */
static void context_cum(policy *p, int c)
{
    const int B = p->w->n_beh;
    const double *pr = p->probs + c * B;
    double *cum = p->cum + c * B, acc = 0;
    int last = -1;
    for (int b = 0; b < B; b++) {
        if (!(pr[b] <= 0)) {
            acc += pr[b];
            last = b;
        }
        cum[b] = acc;
    }
    p->last[c] = last;
}

/* Softmax of log pi0 + f within each of the contexts [c0, c1), computed
 * stably: per context mx = the largest logit, z = sum of exp(logit - mx) in
 * behaviour order, log pi = logit - (mx + log z), pi = exp(log pi), over the
 * available behaviours (the others: log pi = -inf, pi = 0). The exps go
 * through mathx_exp_n over the range's cells at once (libm's bits, four at
 * a time): the values that were exp()'s arguments one by one, in the same
 * sums. */
static void softmax_contexts(policy *p, int c0, int c1)
{
    const world *w = p->w;
    const int B = w->n_beh, i0 = c0 * B, n = (c1 - c0) * B;
    for (int i = i0; i < i0 + n; i++)
        p->logp[i] = w->log_prior[i] + p->f[i]; /* the logits, for now */
    for (int c = c0; c < c1; c++) {
        const int o = c * B;
        double mx = -INFINITY;
        for (int b = 0; b < B; b++)
            if (w->avail[o + b] && p->logp[o + b] > mx)
                mx = p->logp[o + b];
        p->ctx_max[c] = mx;
        for (int b = 0; b < B; b++)
            p->ex[o + b] = w->avail[o + b] ? p->logp[o + b] - mx : -INFINITY;
    }
    mathx_exp_n(p->ex + i0, p->ex + i0, n);
    for (int c = c0; c < c1; c++) {
        const int o = c * B;
        double z = 0;
        for (int b = 0; b < B; b++)
            if (w->avail[o + b])
                z += p->ex[o + b];
        double lz = p->ctx_max[c] + log(z);
        for (int b = 0; b < B; b++)
            p->logp[o + b] = w->avail[o + b] ? p->logp[o + b] - lz : -INFINITY;
    }
    mathx_exp_n(p->logp + i0, p->probs + i0, n); /* exp(-inf) = 0 where absent */
    for (int c = c0; c < c1; c++)
        context_cum(p, c);
}

void policy_refresh(policy *p)
{
    model_forward(p->mdl, p->theta, p->f);
    softmax_contexts(p, 0, p->w->n_ctx);
}

/* See policy_internal.h. */
void policy_refresh_context(policy *p, int c)
{
    if (p->ctx_version[c] == p->version)
        return;
    const int B = p->w->n_beh;
    for (int b = 0; b < B; b++)
        p->ctx_cells[b] = c * B + b;
    model_forward_cells(p->mdl, p->theta, p->ctx_cells, B, p->f);
    softmax_contexts(p, c, c + 1);
    p->ctx_version[c] = p->version;
}

int policy_sample(const policy *p, int c, gsl_rng *r)
{
    /* rng_pick_probs's draw by binary search over the running sums it would
     * form (the same sums, so the same behaviour): the linear scan's branch
     * on u mispredicted about once a draw (W1: 1.7 M draws a run). Sums are
     * non-decreasing, so the first b with u < cum[b] is one that adds (u >=
     * 0); past the total, the last that adds. A NaN sum is not ordered: the
     * scan itself then. */
    return policy_sample_u(p, c, rng_uniform(r));
}

int policy_sample_other(const policy *p, int c, int exclude, gsl_rng *r)
{
    const world *w = p->w;
    const int B = w->n_beh;
    const double *pr = p->probs + c * B;
    double rest = 0;
    int n_other = 0;
    for (int b = 0; b < B; b++)
        if (b != exclude && w->avail[c * B + b]) {
            rest += pr[b];
            n_other++;
        }
    if (n_other == 0)
        return -1;
    int uniform = !(rest > 1e-300);
    double u = rng_uniform(r) * (uniform ? n_other : rest), acc = 0;
    int last = -1;
    for (int b = 0; b < B; b++) {
        if (b == exclude || !w->avail[c * B + b])
            continue;
        acc += uniform ? 1.0 : pr[b];
        last = b;
        if (u < acc)
            return b;
    }
    return last;
}

double policy_kl(const policy *p)
{
    const world *w = p->w;
    double kl = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        double k = 0;
        for (int b = 0; b < w->n_beh; b++) {
            int i = c * w->n_beh + b;
            if (p->probs[i] > 0)
                k += p->probs[i] * (p->logp[i] - w->log_prior[i]);
        }
        kl += w->ctx_weight[c] * k;
    }
    return kl;
}

void policy_set_context_weights(policy *p, const double *weight, const double *cum)
{
    p->wt = weight ? weight : p->w->ctx_weight;
    p->wt_cum = weight ? cum : p->w->ctx_cum_weight;
}

void policy_set_table(policy *p, const double *probs)
{
    const world *w = p->w;
    for (int i = 0; i < w->n_cells; i++) {
        p->probs[i] = w->avail[i] ? probs[i] : 0;
        p->logp[i] = p->probs[i] > 0 ? log(p->probs[i]) : -INFINITY;
    }
    for (int c = 0; c < w->n_ctx; c++)
        context_cum(p, c);
}

const double *policy_logits(const policy *p) { return p->f; }

int policy_reserve(policy *p, int batch, os_err *err)
{
    if (batch <= p->cap)
        return 0;
    size_t n = (size_t)batch;
    /* each buffer resized in turn; on failure the old one stays (policy_free
     * frees it) */
#define GROW(field)                                                            \
    do {                                                                       \
        void *q_ = realloc(p->field, n * sizeof *p->field);                    \
        if (!q_)                                                               \
            return err_set(err, OS_ENOMEM, "out of memory for a batch of %d", batch); \
        p->field = q_;                                                         \
    } while (0)
    GROW(s_ctx);
    GROW(s_beh);
    GROW(s_adv);
    GROW(s_old);
#undef GROW
    p->cap = batch;
    return 0;
}

void policy_optimum(const world *w, const double *reward, double kl_coef, double *out)
{
    const int B = w->n_beh;
    for (int i = 0; i < w->n_cells; i++)
        out[i] = w->log_prior[i] + reward[i] / kl_coef; /* the logits, for now */
    for (int c = 0; c < w->n_ctx; c++) {
        double mx, z;
        softmax_norm(w, c, out, &mx, &z);
        for (int b = 0; b < B; b++)
            out[c * B + b] = w->avail[c * B + b] ? exp(out[c * B + b] - mx) / z : 0;
    }
}
