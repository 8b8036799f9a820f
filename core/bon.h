/* bon.h — best-of-n against a reward, exactly, over a finite behaviour set.
 * Owns: the best-of-n distribution: n draws from pi0, the highest reward
 *       kept, ties picked uniformly among the tied draws. Over the groups of
 *       equal reward in increasing order, P(G) = F(G)^n - F(G-)^n with F
 *       pi0's cumulative mass; within a group, mass proportional to pi0 (so
 *       a context whose rewards are all equal stays at pi0). Its exact KL
 *       from pi0, the analytic bound log n - (n-1)/n, and a sampler for checks.
 * Uses: world.h, GSL's rng. Beirami et al. 2024: the formula is only a bound. */
#ifndef OVERSIM_BON_H
#define OVERSIM_BON_H

#include <gsl/gsl_rng.h>
#include "world.h"

/* Best-of-n probabilities of every cell into out (n_cells; 0 where absent).
 * reward: per cell. order: scratch of n_beh ints. n >= 1. */
void bon_probs(const world *w, const double *reward, int n, int *order, double *out);

/* log n - (n - 1) / n: the bound on KL(best-of-n || pi0). */
double bon_kl_bound(int n);

/* One best-of-n draw in context c: n draws from pi0, the highest reward kept,
 * ties picked uniformly among the tied draws (as bon_probs). */
int bon_sample(const world *w, const double *reward, int n, int c, gsl_rng *r);

#endif
