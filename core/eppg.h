/* eppg.h — sampled policy optimisation on episodes: REINFORCE and PPO-clip
 * beside the exact soft value iteration (mdp_soft_vi).
 * Owns: a stationary policy pi_theta(a|s) proportional to
 *       pi0(a|s) exp(phi(s,a) . theta) (a table when phi is one-hot: one
 *       parameter per cell; else the MDP's features), its parameters theta,
 *       and the buffers of one batch of sampled episodes.
 * Uses: mdp.h (features, priors, transitions), segment.h (sampling an
 *       episode), rng.h.
 *
 * Objective, KL-regularised per step as the exact method's:
 *   J(theta) = E[sum_t r(s_t,a_t)] - kl_coef sum_t E KL(pi(.|s_t) || pi0(.|s_t)).
 * Both methods estimate its gradient from `batch` episodes of the current
 * policy, with the KL as a per-step reward r~_t = r(s_t,a_t) - kl_coef
 * log(pi(a_t|s_t) / pi0(a_t|s_t)) (its own score term has mean 0), returns to
 * go G_t = sum_{t' >= t} r~_t', and a leave-one-out baseline per step t (the
 * mean G_t of the batch's other episodes still running at t), so the
 * estimate is unbiased:
 *   REINFORCE: theta += lr / batch sum_i sum_t (G_t - b_t) grad log pi(a_t|s_t);
 *     (lr x the gradient of eppg_surrogate at the batch's policy);
 *   PPO-clip: `epochs` steps per batch on the clipped surrogate
 *     sum min(rho A, clip(rho, 1 - clip, 1 + clip) A), rho = pi_theta / pi_old,
 *     A = G_t - b_t (from the batch's policy), same step size.
 * The time-indexed optimum can be better than any stationary policy; where
 * the optimum is stationary (actions do not change where an episode goes)
 * the two coincide (tests/test_eppg.c). */
#ifndef OVERSIM_EPPG_H
#define OVERSIM_EPPG_H

#include <gsl/gsl_rng.h>
#include "mdp.h"

typedef enum { EPPG_EXACT = 0, EPPG_REINFORCE = 1, EPPG_PPO = 2 } eppg_method;

#define EPPG_MAX_BATCH 1000000
#define EPPG_MAX_STEPS 100000000

typedef struct eppg_params {
    eppg_method method; /* EXACT: no sampling (eptrain's soft value iteration) */
    double lr;          /* step size, finite > 0 */
    int steps;          /* gradient steps (PPO: batches) per call, 1..EPPG_MAX_STEPS */
    int batch;          /* episodes per step, 2..EPPG_MAX_BATCH (the baseline
                           leaves one out) */
    double clip;        /* PPO's epsilon, in (0,1) */
    int epochs;         /* PPO's steps per batch, >= 1 */
} eppg_params;

/* Defaults: exact, lr 0.5, 50 steps, batch 32, clip 0.2, 4 epochs. */
void eppg_params_default(eppg_params *p);

/* Check p (every field whatever the method); what names the record (NULL:
 * "train_episodes") with the Lua names: "field 'batch' of train_episodes
 * must be an integer in 2..1000000 (got 1)". 0 or OS_EINVAL. */
int eppg_check(const eppg_params *p, const char *what, os_err *err);

typedef struct eppg eppg;

/* A policy on m (finalized, outliving it), theta = 0 (pi = pi0), with
 * buffers for `batch` episodes of H steps (overflow-checked: OS_ENOMEM).
 * NULL with err filled. */
eppg *eppg_new(const mdp *m, int batch, os_err *err);
void eppg_free(eppg *g);

/* Take p->steps steps of p->method (REINFORCE or PPO) on reward (n_cells
 * values, finite where available) with kl_coef (finite > 0), drawing episodes
 * from r. theta carries over between calls (a warm start). p is checked
 * (eppg_check), and p->batch must not exceed the batch given to eppg_new.
 * OS_EDIVERGE when theta becomes non-finite. Allocates nothing. */
int eppg_train(eppg *g, const double *reward, double kl_coef, const eppg_params *p,
               gsl_rng *r, os_err *err);

/* The surrogate of the last batch sampled (eppg_train's) at the current
 * theta: (1/B) sum_i sum_t min(rho A, clip(rho, 1 - clip, 1 + clip) A), rho
 * = pi_theta(a_t|s_t) / pi_batch(a_t|s_t), A = G_t - b_t; clip INFINITY:
 * unclipped. grad (dim values, when not NULL) receives its gradient; a
 * REINFORCE step is lr times it at the batch's policy (rho = 1), a PPO epoch
 * the same at the current theta. 0 before any batch. Allocates nothing. */
double eppg_surrogate(eppg *g, double clip, double *grad);

/* Set theta (dim values, copied) and the policy with it. */
void eppg_set_theta(eppg *g, const double *theta);

/* The current stationary policy: n_cells values (rows of terminal states 0). */
const double *eppg_policy(const eppg *g);
/* theta (dim values: n_cells when one-hot). */
const double *eppg_theta(const eppg *g);

#endif
