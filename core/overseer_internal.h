/* overseer_internal.h — the overseer's state, shared by the files that
 * implement overseer.h: overseer.c (parameters, building, what it perceives,
 * assistance) and overseer_judge.c (judging one comparison), and by debate.c,
 * whose judge is an overseer (the slots of a comparison and the label rule
 * given what happened to each), and by epjudge.c, which judges the steps of
 * trajectory segments as the bandit judges outputs. Not part of the core's
 * interface: nothing else includes it. */
#ifndef OVERSIM_OVERSEER_INTERNAL_H
#define OVERSIM_OVERSEER_INTERNAL_H

#include "overseer.h"

/* slots of one comparison: context + facts of both outputs + a false alarm each */
#define MAX_COMPARISON_SLOTS (2 * WORLD_MAX_FACTS_PER_CELL + 3)
#define MAX_RANDOM_SLOTS 12

struct debate;

enum { SIDE_FIRST = 0, SIDE_SECOND = 1, SIDE_BOTH = 2 };
/* What happened to one unknown slot of a comparison: missed, pointed at and
 * verified, pointed at but not verifiable, or discovered unaided (soft
 * discovery only). A debate maps its claims onto the same outcomes. */
enum { OUT_HIDDEN = 0, OUT_VERIFIED = 1, OUT_UNVERIFIED = 2, OUT_KNOWN = 3, N_OUT = 4 };

typedef struct slot_event {
    double effect, weight, pp, pv; /* weight: myopic (discounts the choice only) */
    double pk;                     /* P(discovered unaided): 0 but for soft discovery */
    double claim;                  /* believed when trusted unverified */
    unsigned char side, false_alarm;
} slot_event;

/* The comparison's unknown slots into ev, in a fixed order: the context (if
 * unknown), then b1's facts, then b2's (none of an output judged by its
 * surface), then an assistant's false alarms. Returns how many. */
int overseer_gather(const overseer *o, int c, int b1, int b2, slot_event *ev);

/* The label distribution into p given each slot's outcome out[k]; returns the
 * region, counts the slots beyond unaided competence (*hidden) and those not
 * missed (*found), and, when u is not NULL, the perceived values of b1 and b2
 * (undiscounted). Allocates nothing. */
region_kind overseer_judge_given(const overseer *o, int c, int b1, int b2, double margin,
                                 const slot_event *ev, const unsigned char *out, int n,
                                 double p[N_LABELS], int *hidden, int *found, double u[2]);

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
    const struct debate *debate; /* kind DEBATE: the debate it judges from (not owned;
                                    NULL: no debate yet, it judges alone) */
};

#endif
