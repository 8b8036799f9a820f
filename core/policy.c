/* policy.c — see policy.h. */
#include "policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mathx.h"
#include "rng.h"

struct policy {
    const world *w;
    const double *wt, *wt_cum; /* training distribution over contexts (default w's) */
    model *mdl;       /* scores f per cell; theta = its parameters */
    int adam;         /* 1: Adam steps on the model's state; 0: plain ascent */
    int dim;          /* number of parameters */
    double *theta, *f, *probs, *logp, *g_cell, *grad, *step;
    double *adv;      /* per cell: g - E_pi g, for the sampled estimators */
    double *adv_sum;  /* per context: sum of sampled advantages */
    /* for policy_sample: per cell the running sum of probs within its context
     * (entries <= 0 add nothing), exactly the sums rng_search_probs forms,
     * and per context the last behaviour that adds (-1: none) */
    double *cum;
    int *last;
    double *ex, *ctx_max; /* policy_refresh's scratch: per cell, per context */
    /* REINFORCE over the sampled contexts only: per context the step that
     * last sampled it, this step's contexts and their cells (ascending), a
     * context's cells for a forward pass of its own, and per context the
     * version of theta its cached scores are at (lazy refresh) */
    unsigned *ctx_step;
    unsigned step_id;
    int *ctx_list, *cell_list, *ctx_cells;
    unsigned long long *ctx_version, version;
    int g_zero;           /* 1: g_cell is all 0 (REINFORCE leaves it so) */
    /* PPO samples, reserved by policy_reserve */
    int cap;
    int *s_ctx, *s_beh;
    double *s_adv, *s_old;
};

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

/* Context c's scores, log-probabilities and probabilities at the current
 * theta, alone (a linear model: its cells' products, the same bits as the
 * full pass), when a lazy step left them behind. */
static void refresh_context(policy *p, int c)
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
    const int B = p->w->n_beh;
    const double *cum = p->cum + c * B;
    double u = gsl_rng_uniform(r);
    if (isnan(cum[B - 1]))
        return rng_search_probs(p->probs + c * B, B, u);
    int b = rng_search_cumulative(cum, B, u);
    return u < cum[b] ? b : p->last[c];
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
    double u = gsl_rng_uniform(r) * (uniform ? n_other : rest), acc = 0;
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
    for (int s = 0; s < batch; s++) {
        int c, b;
        draw_sample(p, r, &c, &b);
        double adv = p->adv[c * B + b];
        p->g_cell[c * B + b] += adv;
        p->adv_sum[c] += adv;
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
        refresh_context(p, c);
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
    const int sampled = model_get_spec(p->mdl)->kind == MODEL_LINEAR && w->n_ctx > batch;
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
