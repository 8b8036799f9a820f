/* segrm.h — a reward model of steps fitted on segment comparisons
 * (Christiano et al. 2017): r_psi(s,a) = phi(s,a) . psi (a table when phi is
 * one-hot), and P(seg1 preferred) = sigma(R1 - R2) with R the sum of r_psi
 * over a segment's steps.
 * Owns: the comparisons so far, each kept as the difference of its two
 *       segments' feature sums (so a refit costs nothing per step), sparse
 *       (its nonzeros only), and its target y, the parameters psi and the
 *       per-cell rewards.
 * Uses: mdp.h, overseer.h (label kinds), GSL's multimin (BFGS). rm.h's
 *       model stores labels per (context, b1, b2), which a segment is not:
 *       this is the same loss on another kind of comparison.
 * Loss: -(1/N) { sum_k [y_k log sigma(z_k) + (1 - y_k) log sigma(-z_k)]
 *       - l2 |psi|^2 }, z_k = psi . (Phi(seg1) - Phi(seg2)), over the N
 *       comparisons so far; y = 1 (first), 0 (second), 1/2 (equal); skips
 *       dropped. Before any comparison: l2 |psi|^2 (as rm.h). */
#ifndef OVERSIM_SEGRM_H
#define OVERSIM_SEGRM_H

#include "mdp.h"
#include "overseer.h"

typedef struct segrm segrm;

/* A reward model on m's features (m finalized, outliving it), psi = 0, with
 * room for `capacity` comparisons (>= 1) of segments of at most max_steps
 * steps each (>= 1): each is kept as its nonzero feature differences, at most
 * min(dim, 2 x max_steps) with one-hot features, else dim (sizes checked for
 * overflow: OS_ENOMEM), so adding never allocates. l2 finite >= 0. NULL with
 * err filled. */
segrm *segrm_new(const mdp *m, double l2, int capacity, int max_steps, os_err *err);
void segrm_free(segrm *r);

/* Record the label of (seg1, seg2): cells c1 (n1 steps), c2 (n2). A skip is
 * ignored (returns 0). OS_EINVAL when the store is full, or a difference has
 * more nonzeros than max_steps allows. */
int segrm_add(segrm *r, const int *c1, int n1, const int *c2, int n2, label_kind l,
              os_err *err);

/* Record a comparison with target y = P(seg1 preferred) in [0,1] (a soft
 * label; segrm_add is y = 1, 0 or 1/2). */
int segrm_add_prob(segrm *r, const int *c1, int n1, const int *c2, int n2, double y,
                   os_err *err);

/* Refit psi on every comparison so far by BFGS from the current psi (warm
 * start), at most max_iter iterations, stopping when |grad| < tol. Refreshes
 * the rewards. OS_EDIVERGE when psi or the loss become non-finite. */
int segrm_fit(segrm *r, int max_iter, double tol, os_err *err);

/* The loss at the current psi (as minimised), and optionally its gradient
 * (dim values). */
double segrm_loss(const segrm *r, double *grad);

/* psi (dim values, writable: call segrm_refresh after writing), per-cell
 * rewards r_psi (n_cells values), the dimension and the comparisons stored. */
double *segrm_psi(segrm *r);
const double *segrm_rewards(const segrm *r);
void segrm_refresh(segrm *r);
int segrm_dim(const segrm *r);
int segrm_count(const segrm *r);

#endif
