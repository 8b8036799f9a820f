/* segment.h — trajectory segments and how an overseer compares them
 * (B-Pref, Lee et al. 2021; Christiano et al. 2017).
 * Owns: sampling episodes from a policy, cutting segments of length L
 *       (B-Pref's size_segment), an overseer's perceived value of each step
 *       in an mdp, what it sees of a segment (nothing of a step in an
 *       unwatched state; myopic gamma over steps), and the labels of segment
 *       pairs: exact probabilities and draws.
 * Uses: mdp.h, overseer.h (its parameters and B-Pref's rule,
 *       overseer_bpref_probs: written once, for behaviours and segments),
 *       rng.h.
 *
 * A segment is an array of cells (cell = s * n_actions + a), one per step,
 * in the order taken. */
#ifndef OVERSIM_SEGMENT_H
#define OVERSIM_SEGMENT_H

#include <gsl/gsl_rng.h>
#include "mdp.h"
#include "overseer.h"

/* The perceived value of each step (n_cells values into u) for an overseer
 * of parameters p: an oracle perceives the true value v*; a human the looks
 * plus the effects of the facts it discovers (difficulty <= competence).
 * This is the deterministic case only, kept as the reference the general
 * judge (epjudge.h: every kind, built on the bandit's overseer)
 * must equal: another kind, or softness other than INFINITY, is OS_EINVAL.
 * p must pass overseer_params_check. */
int segment_perceived_table(const mdp *m, const overseer_params *p, double *u, os_err *err);

/* One episode of policy pi (n_tables 1 or H; see mdp.h) drawn from r: its
 * cells into cells (room for H), returning its length T in 1..H (it ends
 * after H steps or on entering a terminal state). Draws: one for the
 * initial state, one per action, and one per transition that is not
 * certain (a deterministic move spends none). Allocates nothing. */
int segment_sample_episode(const mdp *m, const double *pi, int n_tables, gsl_rng *r,
                           int *cells);

/* The same from state s (not terminal): no draw for the start. */
int segment_sample_from(const mdp *m, const double *pi, int n_tables, int s, gsl_rng *r,
                        int *cells);

/* Where a segment of length L (>= 1) starts in an episode of T steps: start
 * uniform in 0..T-L (one draw); an episode of T <= L steps is its own
 * segment (start 0, no draw). *n receives the segment's length min(L, T). */
int segment_cut(int T, int L, gsl_rng *r, int *n);

/* What an overseer perceives of a segment: its return u (the sum of the
 * perceived values of its watched steps), the myopically discounted return
 * ud (step t of n counts gamma^(n-1-t), gamma = p->myopia: B-Pref's teacher
 * discounts the segment's early steps, the last the least), and how many of
 * its steps it saw. An oracle sees every step. */
typedef struct segment_view {
    double u, ud;
    int seen;
} segment_view;

void segment_perceive(const mdp *m, const overseer_params *p, const double *u_table,
                      const int *cells, int n, segment_view *out);

/* Exact label probabilities of the pair (seg1, seg2) (indexed by
 * label_kind): B-Pref's get_label on the two views (overseer_bpref_probs,
 * margin as there: NAN turns relative thresholds off), except that a pair of
 * which the overseer saw no step at all is skipped (nothing seen, nothing to
 * compare). u_table from segment_perceived_table. */
void segment_label_probs(const mdp *m, const overseer_params *p, const double *u_table,
                         const int *c1, int n1, const int *c2, int n2, double margin,
                         double probs[N_LABELS]);

/* One label drawn from those probabilities (overseer_draw_label: one draw
 * unless the label is certain to be skip or equal). */
label_kind segment_label(const mdp *m, const overseer_params *p, const double *u_table,
                         const int *c1, int n1, const int *c2, int n2, double margin,
                         gsl_rng *r);

#endif
