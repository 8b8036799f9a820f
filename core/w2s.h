/* w2s.h — how good a reward is on a world, for weak-to-strong generalisation
 * (Burns et al. 2023; DESIGN.md §1d).
 * Owns: the two measures PGR is taken on — a reward's preference accuracy
 *       against the true value, and the true value of the policy it trains
 *       (the KL-regularised optimum) — and PGR itself.
 * Uses: world.h, policy.h (policy_optimum). Exact sums over the finite cells;
 *       allocates nothing. */
#ifndef OVERSIM_W2S_H
#define OVERSIM_W2S_H

#include "world.h"

/* The probability that reward orders a pair as the true value does, for
 * pairs drawn as RLHF's first queries are: a context by its training weight,
 * then two different behaviours by pi0 (b1 ~ pi0, b2 ~ pi0 restricted to
 * b != b1). Pairs of equal true value are left out; a reward tie counts one
 * half. NAN when no pair has different true values. */
double w2s_accuracy(const world *w, const double *reward);

/* E[v*] (training weights) of pi0(b|c) exp(reward(c,b) / kl) / Z, exact;
 * table: scratch of n_cells doubles. kl > 0. */
double w2s_optimum_value(const world *w, const double *reward, double kl, double *table);

/* Performance gap recovered: (student - weak) / (ceiling - weak); NAN when
 * ceiling == weak (no gap to recover) or any input is not finite. */
double w2s_pgr(double student, double weak, double ceiling);

#endif
