/* policy.h — the policy pi(b|c) ∝ pi0(b|c) exp(f_theta(c,b)).
 * Owns: the scoring model f_theta (linear phi . theta by default, or an MLP;
 *       model.h), the cached per-cell probabilities, sampling, exact KL to pi0,
 *       and the KL-regularised policy-gradient steps (exact expectation over the
 *       finite action set, REINFORCE with a baseline, PPO, or any per-cell
 *       gradient), each by plain ascent or Adam.
 * Uses: world.h, model.h, rng.h. f = 0 at the start (linear theta = 0; an
 *       MLP's output weights 0), so the policy starts as pi0 (KL 0). */
#ifndef OVERSIM_POLICY_H
#define OVERSIM_POLICY_H

#include <gsl/gsl_rng.h>
#include "world.h"
#include "model.h"

typedef struct policy policy;

/* Count into e what policy_new_model(w, s) allocates (s NULL: linear): its
 * model (model_estimate, named "policy.model"), the per-cell caches and
 * gradients, and, for batch > 0, policy_reserve(batch)'s PPO samples.
 * Allocates nothing. */
void policy_estimate(const world *w, const model_spec *s, int batch, size_estimate *e);

/* A linear policy, theta = 0 on world w (finalized, outliving the policy),
 * stepped by plain ascent; buffers sized here. */
policy *policy_new(const world *w, os_err *err);

/* A policy whose logits are the model spec (NULL: linear), initialised from
 * stream init (needed for an MLP; unused for linear); adam = 1 makes every
 * step an Adam step of size lr on the same gradient instead of plain ascent. */
policy *policy_new_model(const world *w, const model_spec *spec, gsl_rng *init, int adam,
                         os_err *err);
void policy_free(policy *p);

/* Per-cell probabilities pi(b|c) (0 where absent), current with theta. */
const double *policy_probs(const policy *p);
/* Per-cell log pi(b|c) (-INFINITY where absent). */
const double *policy_log_probs(const policy *p);

/* The model's parameters (policy_dim values; linear: phi weights). */
double *policy_theta(policy *p);
int policy_dim(const policy *p);
/* The scoring model (owned by the policy). */
model *policy_model(policy *p);
/* Recompute the cache after writing theta through policy_theta. */
void policy_refresh(policy *p);

/* A behaviour drawn from pi(.|c); allocates nothing. */
int policy_sample(const policy *p, int c, gsl_rng *r);
/* A behaviour drawn from pi(.|c) restricted to b != exclude (uniform over the
 * other available ones if pi puts no mass there); -1 when c has no other. */
int policy_sample_other(const policy *p, int c, int exclude, gsl_rng *r);

/* Train on another distribution over contexts than the world's training
 * weights (adversarial training mixes in a red team's inputs): weight[c] (n_ctx
 * values summing to 1) and its cumulative sums, read by every later step and
 * not copied (the caller keeps them alive and may rewrite them between
 * steps). NULL: back to the world's. Sampling for labels, KL and metrics
 * keep the world's weights. */
void policy_set_context_weights(policy *p, const double *weight, const double *cum);

/* E_c KL(pi(.|c) || pi0(.|c)), exact. */
double policy_kl(const policy *p);

/* One ascent step on J = E_c [ E_pi r - kl_coef KL(pi || pi0) ] with the exact
 * gradient: dJ/df(c,a) = w_c pi(a|c) (g_a - E_pi g), g = r - kl_coef log(pi/pi0).
 * reward: per cell. OS_EDIVERGE when theta becomes non-finite or exceeds 1e6
 * in magnitude (a step size out of control saturates the softmax instead). */
int policy_step_exact(policy *p, const double *reward, double kl_coef, double lr,
                      os_err *err);

/* The same step with the gradient estimated by REINFORCE from `batch` samples
 * (c ~ weights, b ~ pi), baseline E_pi g per context. */
int policy_step_reinforce(policy *p, const double *reward, double kl_coef, double lr,
                          int batch, gsl_rng *r, os_err *err);

/* `steps` such steps in a row (stopping at the first error, the policy then
 * at the last good theta), as that many calls of policy_step_reinforce would
 * take them, bit for bit. Each step's gradient touches only the contexts it
 * samples; with a linear model and more contexts than samples a step
 * rescores only the contexts it samples, and all are rescored after the last
 * step. Allocates nothing. */
int policy_steps_reinforce(policy *p, const double *reward, double kl_coef, double lr,
                           int batch, int steps, gsl_rng *r, os_err *err);

/* Make the policy the table probs (n_cells values, summing to 1 per context
 * over available cells): sampling, KL and metrics use it until the next step
 * or policy_refresh. For best-of-n and the exact optimum, which have no theta. */
void policy_set_table(policy *p, const double *probs);

/* Current logits f_theta per cell (linear: phi . theta). */
const double *policy_logits(const policy *p);

/* Room for `batch` PPO samples; call before the loop so steps never allocate. */
int policy_reserve(policy *p, int batch, os_err *err);

/* theta += lr (df/dtheta)^T g_cell (g_cell: n_cells values; linear: Phi^T
 * g_cell): ascent along a gradient with respect to the logits (an Adam step
 * along it for an Adam policy). OS_EDIVERGE as for the other steps. */
int policy_step_logits(policy *p, const double *g_cell, double lr, os_err *err);

/* PPO-clip on E[r] - kl_coef KL: `batch` samples from the current policy
 * (c ~ weights, b ~ pi_old), advantages g - E_pi_old g per context with
 * g = r - kl_coef log(pi_old/pi0), then `epochs` passes over minibatches of
 * `minibatch` samples, each an ascent step of size lr on the clipped
 * surrogate mean(min(rho A, clip(rho, 1-clip, 1+clip) A)). With clip = INFINITY
 * and one epoch of one minibatch it is exactly policy_step_reinforce on the
 * same draws. Needs policy_reserve(batch). */
int policy_step_ppo(policy *p, const double *reward, double kl_coef, double lr, int batch,
                    int epochs, int minibatch, double clip, gsl_rng *r, os_err *err);

/* The KL-regularised optimum pi*(b|c) ∝ pi0(b|c) exp(r(c,b)/kl_coef), per
 * cell, into out (n_cells values). */
void policy_optimum(const world *w, const double *reward, double kl_coef, double *out);

#endif
