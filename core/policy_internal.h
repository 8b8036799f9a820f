/* policy_internal.h — the policy's state, shared by policy.c (building, the
 * softmax cache, sampling) and policy_step.c (the gradient steps). Not part
 * of the core's interface: nothing else includes it. */
#ifndef OVERSIM_POLICY_INTERNAL_H
#define OVERSIM_POLICY_INTERNAL_H

#include "policy.h"
#include <math.h>
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

/* Context c's cached scores, log-probabilities, probabilities and running
 * sums at the current theta (a linear model: its cells' products, the same
 * bits as the full pass), if a lazy step (version) left them behind. */
void policy_refresh_context(policy *p, int c);

/* policy_sample's behaviour for context c given its uniform u (see
 * policy.c): the batched REINFORCE step draws its uniforms first. */
static inline int policy_sample_u(const policy *p, int c, double u)
{
    const int B = p->w->n_beh;
    const double *cum = p->cum + c * B;
    if (isnan(cum[B - 1]))
        return rng_search_probs(p->probs + c * B, B, u);
    int b = rng_search_cumulative(cum, B, u);
    return u < cum[b] ? b : p->last[c];
}

#endif
