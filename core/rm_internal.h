/* rm_internal.h — the reward model's state, shared by rm.c (building,
 * labels, fits) and rm_query.c (accessors, the ensemble's disagreement). Not
 * part of the core's interface: nothing else includes it. */
#ifndef OVERSIM_RM_INTERNAL_H
#define OVERSIM_RM_INTERNAL_H

#include <gsl/gsl_multimin.h>
#include "rm.h"
#include "model.h"

struct rm {
    const world *w;
    rm_params p;
    int dim;            /* parameters per member */
    int K;              /* ensemble members */
    model **mem;
    double **r_mem;     /* per member rewards; r_mem[0] == r when K == 1 */
    double *psi, *r, *g_cell, *grad, *step;
    double alpha;       /* the confidence loss's weight now (its warm-up) */
    /* distinct comparisons (b1 < b2), reserved for all possible pairs */
    int *slot;          /* per (c,b1,b2) with b1 < b2: index into arrays below, -1 */
    int n_pairs, cap;
    int *pc, *pb1, *pb2;
    double *win1, *win2; /* label weight preferring b1 / b2 */
    /* the cells some pair compares, ascending: a fit's steps score and
     * differentiate only these (W1 at 4,096 contexts: 13,000 of 65,536 cells
     * after 50 rounds). `seen` marks them as pairs arrive; the list is
     * rebuilt from it before a fit when a new cell came in. */
    unsigned char *seen;
    int *cells, n_seen, cells_stale;
    double n_labels;
    /* bootstrap (K > 1 and p.bootstrap): each member's own weights of the
     * same pairs, every label counting Poisson(1) times for each member, and
     * their sums; drawn from a generator of the reward model's own */
    double *bw1, *bw2;  /* [k * (cap + 1) + pair] */
    double *bn;         /* per member */
    gsl_rng *boot;
    gsl_multimin_fdfminimizer *min;
    gsl_vector *x;
};

#endif
