/* rm.h — the reward model: Bradley-Terry on the overseer's labels.
 * Owns: the label store (labels on the same (c, b1, b2) aggregate into counts,
 *       so a refit costs what the distinct comparisons cost) and the linear
 *       reward r(c,b) = phi(c,b) . psi (tabular when phi is one-hot).
 * Uses: world.h, overseer.h (label kinds), GSL's multimin (BFGS).
 * Loss: -(1/N) sum [y log p + (1-y) log(1-p)] + l2 |psi|^2 with
 *       p = noise/2 + (1-noise) sigma(r1 - r2); equal = 1/2 to each side,
 *       skip dropped. */
#ifndef OVERSIM_RM_H
#define OVERSIM_RM_H

#include "world.h"
#include "overseer.h"

typedef enum { RM_FIT_BFGS = 0, RM_FIT_GD = 1 } rm_fit_method;

typedef struct rm_params {
    double l2;        /* L2 coefficient on psi, >= 0 */
    double noise;     /* assumed share of random labels in [0,1) (Christiano et al.: 0.1) */
    rm_fit_method method;
    int max_iter;     /* BFGS iterations / GD steps per refit, >= 1 */
    double lr;        /* GD step size (GD only), > 0 */
    double tol;       /* BFGS: stop when |grad| < tol */
} rm_params;

typedef struct rm rm;

/* Defaults: l2 1e-3, noise 0, BFGS, 200 iterations, lr 1, tol 1e-7. */
void rm_params_default(rm_params *p);

/* A reward model on world w (finalized, outliving it), psi = 0. Space for every
 * distinct comparison is reserved here, so adding labels never allocates. */
rm *rm_new(const world *w, const rm_params *p, os_err *err);
void rm_free(rm *m);

/* Record one label on (c, b1, b2). Skips and b1 == b2 are ignored. */
void rm_add_label(rm *m, int c, int b1, int b2, label_kind l);

/* Refit psi on all labels so far, starting from the current psi (warm start).
 * OS_EDIVERGE when psi or the loss become non-finite. */
int rm_fit(rm *m, os_err *err);

/* Loss at the current psi (as minimised by rm_fit). */
double rm_loss(rm *m);

/* Per-cell rewards at the current psi (n_cells values, valid after rm_fit or
 * rm_set_psi). */
const double *rm_rewards(const rm *m);

const double *rm_psi(const rm *m);
int rm_dim(const rm *m);
/* Set psi (dim values) and refresh rewards. */
void rm_set_psi(rm *m, const double *psi);

/* Mean BT loss (no L2, no noise model) of scores (per cell) on the stored
 * labels, and its gradient with respect to each cell's score into g_cell
 * (n_cells values; may be NULL). DPO uses it with scores = beta f_theta. */
double rm_score_loss(const rm *m, const double *score, double *g_cell);

/* Number of distinct comparisons stored, and the total label weight. */
int rm_n_pairs(const rm *m);
double rm_n_labels(const rm *m);

#endif
