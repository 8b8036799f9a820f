/* overseer_internal.h — the overseer's state, shared by the two files that
 * implement overseer.h: overseer.c (parameters, building, what it perceives,
 * assistance) and overseer_judge.c (judging one comparison). Not part of the
 * core's interface: nothing else includes it. */
#ifndef OVERSIM_OVERSEER_INTERNAL_H
#define OVERSIM_OVERSEER_INTERNAL_H

#include "overseer.h"

/* slots of one comparison: context + facts of both outputs + a false alarm each */
#define MAX_COMPARISON_SLOTS (2 * WORLD_MAX_FACTS_PER_CELL + 3)
#define MAX_RANDOM_SLOTS 12

struct overseer {
    const world *w;
    overseer_params p;
    int n_slots;
    double *slot_diff;          /* per slot */
    unsigned char *slot_known;  /* per slot: known unaided, for sure */
    double *p_known;            /* per slot: P(discovered unaided) (1 when known) */
    double *claim;              /* per slot: what a pointer says of it, believed when
                                   trusted unverified (the fact's effect, unless a
                                   trained critic's false alarm says otherwise) */
    double *p_point, *p_verify; /* per slot */
    double p_verify_fa;         /* P(a false alarm is refuted) */
    double *weight;             /* per fact: myopic weight gamma^(n-1-k) */
    double *look_w;             /* per cell: its looks' weight gamma^n (n facts) */
    double *u_base;             /* per cell: looks + bias + known effects */
    double *ud_base;            /* per cell: the same, myopically discounted */
    double *u_exp;              /* per cell: expected perceived value */
    unsigned char *wrong;       /* per cell: region is WRONG (bias or predicate) */
    unsigned char *surface;     /* per cell: judged by looks only (wrong predicate) */
    double *bias;               /* per cell */
    signed char *knows_override; /* per (c,b1,b2): -1 none, 0, 1; NULL until used */
};

#endif
