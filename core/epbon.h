/* epbon.h — best-of-n over whole episodes: from one start s_0 ~ init, n
 * episodes of a policy, the one of the highest proxy return sum_t
 * proxy(s_t,a_t) kept (of tied episodes the first: the first episode to
 * reach the highest return is distributed as the policy's episodes of that
 * return, as bon.h's uniform pick among tied draws). Its distribution over trajectories is not a per-step policy,
 * so its expectations are sampled, with standard errors; for H = 1 it is
 * bon.h's per-context best-of-n, whose exact expectations check it.
 * Owns: the estimate. Uses: mdp.h, segment.h (sampling), rng.h. */
#ifndef OVERSIM_EPBON_H
#define OVERSIM_EPBON_H

#include <gsl/gsl_rng.h>
#include "mdp.h"

#define EPBON_MAX_N 1000000

typedef struct epbon_result {
    double true_return, proxy_return, looks_return; /* means over the draws */
    double true_se, proxy_se, looks_se;             /* their standard errors */
} epbon_result;

/* `draws` best-of-n selections of policy pi (n_tables 1 or H) against proxy
 * (n_cells values), from r: per draw one start, then n episodes from it
 * (segment_sample_from). cells: scratch of 2 x H ints. n in 1..EPBON_MAX_N, draws
 * >= 2: else OS_EINVAL with err filled. Allocates nothing. */
int epbon_estimate(const mdp *m, const double *pi, int n_tables, const double *proxy, int n,
                   long draws, gsl_rng *r, int *cells, epbon_result *out, os_err *err);

#endif
