/* rm.h — the reward model: Bradley-Terry on the overseer's labels.
 * Owns: the label store (labels on the same (c, b1, b2) aggregate into counts,
 *       so a refit costs what the distinct comparisons cost) and the reward
 *       r(c,b): one scoring model (linear phi . psi by default, tabular when phi
 *       is one-hot, or an MLP; model.h) or an ensemble of K such members, each
 *       its own init and, by default, its own bootstrap resample of the labels;
 *       the reward is their mean, and their spread on a pair drives
 *       disagreement-based queries.
 * Uses: world.h, model.h, overseer.h (label kinds), GSL's multimin (BFGS).
 * Loss: -(1/N) { sum [y log p + (1-y) log(1-p)] - l2 |psi|^2 } over the N
 *       labels so far, with p = noise/2 + (1-noise) sigma(r1 - r2); equal =
 *       1/2 to each side, skip dropped. The L2 term is a prior on the summed
 *       loss (MAP with psi ~ N(0, 1/(2 l2))): the labels overwhelm it as they
 *       accumulate, so under an oracle of rationality beta the fitted
 *       differences approach beta (v1 - v2). Before any label: l2 |psi|^2.
 * Confidence (Burns et al. 2023's auxiliary loss for weak-to-strong
 *       generalisation): with alpha > 0 a pair's label weights a (for b1), b
 *       (for b2) become (1 - alpha)(a, b) + alpha (a + b)(h, 1 - h), h =
 *       1[r1 > r2] (1/2 at r1 == r2) from the current rewards. Their sum is
 *       the pair's labels as before; the hardened term is -log sigma(|r1 -
 *       r2|) per label (with noise 0), continuous in psi, so BFGS minimises a
 *       fixed (not convex) objective. Its threshold is 0: a pair's order is
 *       arbitrary, so there is no class balance for Burns's adaptive threshold
 *       to keep. Burns ramp alpha up over the first 20% of training: GD and
 *       Adam do exactly that over each refit's steps; BFGS first fits the
 *       labels alone (alpha 0), then the mixed loss from there. */
#ifndef OVERSIM_RM_H
#define OVERSIM_RM_H

#include "world.h"
#include "overseer.h"
#include "model.h"

typedef enum { RM_FIT_BFGS = 0, RM_FIT_GD = 1, RM_FIT_ADAM = 2 } rm_fit_method;

#define RM_MAX_ENSEMBLE 1000 /* largest `ensemble` rm_params_check accepts */

typedef struct rm_params {
    double l2;        /* L2 prior on psi, on the summed loss, >= 0 */
    double noise;     /* assumed share of random labels in [0,1) (Christiano et al.: 0.1) */
    rm_fit_method method;
    int max_iter;     /* BFGS iterations / GD or Adam steps per refit, >= 1 */
    double lr;        /* GD or Adam step size, > 0 */
    double tol;       /* BFGS: stop when |grad| < tol */
    model_spec model; /* each member's scoring model */
    int ensemble;     /* members K in 1..RM_MAX_ENSEMBLE */
    int bootstrap;    /* K > 1: each member fits its own bootstrap resample of
                         the labels (every label counts Poisson(1) times for each
                         member: the online bootstrap), so members differ even
                         where a convex fit would make them identical */
    double confidence; /* Burns et al.'s auxiliary confidence loss, alpha in [0,1):
                          each label's target becomes (1 - alpha) x the label +
                          alpha x the model's own hardened verdict, 1[r1 > r2]
                          (one half at a tie), taken as fixed where the gradient
                          is formed. 0: off */
} rm_params;

typedef struct rm rm;

/* Defaults: l2 1, noise 0, BFGS, 200 iterations, lr 1, tol 1e-7, linear,
 * one member, bootstrap on (for ensembles). */
void rm_params_default(rm_params *p);

/* Check p: l2 finite >= 0, noise in [0,1), a known fit method, max_iter >= 1,
 * lr finite > 0, tol >= 0, ensemble in 1..RM_MAX_ENSEMBLE, and its model (model_spec_check,
 * named "<what>.model"). what names the record in messages (NULL:
 * "reward_model"): "field 'noise' of reward_model must be in [0,1) (got 1)".
 * 0, or OS_EINVAL with err filled. */
int rm_params_check(const rm_params *p, const char *what, os_err *err);

/* Count into e what rm_new_with(w, p) allocates: its members' models
 * (model_estimate; K > 1 as one item "reward-model ensemble (K members, ...)"),
 * per-cell rewards, the fit's buffers (grad, step, GSL's BFGS: about 13
 * vectors of the parameter count) and the label store ("reward-model pair
 * table B x B" with one context, "C x B x B" otherwise): the dense (c, b1, b2)
 * slot table of n_ctx x n_beh^2 ints plus room for every possible pair, 28
 * bytes each. p must pass rm_params_check; allocates nothing. */
void rm_estimate(const world *w, const rm_params *p, size_estimate *e);

/* A linear, single-member reward model on world w (finalized, outliving it),
 * psi = 0. Space for every distinct comparison is reserved here, so adding
 * labels never allocates. (An MLP or an ensemble needs rm_new_with.) More
 * than INT_MAX - 1 possible comparisons is OS_EINVAL ("reward model too
 * large: ..."); slot-table sizes are checked for overflow (OS_ENOMEM). */
rm *rm_new(const world *w, const rm_params *p, os_err *err);

/* Any reward model of p (checked by rm_params_check): a single linear member starts at psi = 0 and draws
 * nothing; MLP members and every member of an ensemble (K > 1) are
 * initialised from stream init (model_init with output sd 1), one after the
 * other, so each has its own init. */
rm *rm_new_with(const world *w, const rm_params *p, gsl_rng *init, os_err *err);
void rm_free(rm *m);

/* Record one label on (c, b1, b2). Skips and b1 == b2 are ignored. */
void rm_add_label(rm *m, int c, int b1, int b2, label_kind l);

/* Refit every member on all labels so far, starting from its current
 * parameters (warm start; Adam keeps its moments across refits).
 * OS_EDIVERGE when parameters or the loss become non-finite. */
int rm_fit(rm *m, os_err *err);

/* Loss of member 0 at its current parameters (as minimised by rm_fit). */
double rm_loss(rm *m);

/* Loss of member k at its current parameters, and its gradient with respect
 * to them into grad (rm_dim values). Leaves member k's rewards at those
 * parameters (the ensemble mean is refreshed by rm_fit or rm_refresh). */
double rm_loss_grad(rm *m, int k, double *grad);

/* Per-cell rewards, the ensemble mean (n_cells values, valid after rm_new,
 * rm_fit, rm_set_psi or rm_refresh). */
const double *rm_rewards(const rm *m);

/* Member 0's parameters (the only member's, psi for a linear model). */
const double *rm_psi(const rm *m);
/* Parameters per member. */
int rm_dim(const rm *m);
/* Set member 0's parameters (dim values) and refresh rewards. */
void rm_set_psi(rm *m, const double *psi);

/* Ensemble size K; member k's rewards (n_cells values) and parameters
 * (writable; call rm_refresh after writing). */
int rm_ensemble(const rm *m);
const double *rm_member_rewards(const rm *m, int k);
double *rm_member_params(rm *m, int k);
/* Recompute every member's rewards and the mean from their parameters. */
void rm_refresh(rm *m);

/* Variance across members (population, divided by K) of r_k(c,b1) - r_k(c,b2):
 * how much the ensemble disagrees about the pair; 0 with one member. */
double rm_pair_variance(const rm *m, int c, int b1, int b2);

/* Disagreement-based query selection (Christiano et al. 2017): of the n_cand
 * candidate pairs (c[i], b1[i], b2[i]), the min(n, n_cand) with the largest
 * rm_pair_variance, as indices into chosen (largest first; ties: the lower
 * index first). var: scratch of n_cand values. Returns how many were chosen. */
int rm_pick_disagreement(const rm *m, int n_cand, const int *c, const int *b1,
                         const int *b2, int n, double *var, int *chosen);

/* Mean BT loss (no L2, no noise model) of scores (per cell) on the stored
 * labels, and its gradient with respect to each cell's score into g_cell
 * (n_cells values; may be NULL). DPO uses it with scores = beta f_theta. */
double rm_score_loss(const rm *m, const double *score, double *g_cell);

/* Number of distinct comparisons stored, and the total label weight. */
int rm_n_pairs(const rm *m);
double rm_n_labels(const rm *m);

#endif
