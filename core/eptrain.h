/* eptrain.h — the iterated preference loop on episodes (Christiano et al.
 * 2017 with B-Pref's teachers): each round samples episodes from the
 * current policy, cuts segments, asks the overseer to compare pairs of
 * them, refits the reward model on all comparisons so far, and replaces the
 * policy with the exact KL-regularised optimum of the fitted reward, or
 * improves it by REINFORCE or PPO on sampled episodes (eppg.h).
 * Owns: one run's parameters, the per-round row of episode metrics, and
 *       the loop.
 * Uses: mdp (soft value iteration, exact expectations), segment (sampling),
 *       epjudge (labels), segrm (the reward model), eppg (sampled methods),
 *       overseer.h (parameters), rng. */
#ifndef OVERSIM_EPTRAIN_H
#define OVERSIM_EPTRAIN_H

#include <stdint.h>
#include "mdp.h"
#include "overseer.h"
#include "metrics.h"
#include "epjudge.h"
#include "eppg.h"

#define EPTRAIN_MAX_ROUNDS 1000000
#define EPTRAIN_MAX_PAIRS 10000000     /* pairs_per_round */
#define EPTRAIN_MAX_EPISODES 100000000 /* metric_episodes */
#define EPTRAIN_EXACT_ENTRIES 100000   /* the exact deception rate's budget */

typedef struct eptrain_params {
    int rounds;            /* 0..EPTRAIN_MAX_ROUNDS */
    int pairs_per_round;   /* segment pairs labelled each round, 1..EPTRAIN_MAX_PAIRS */
    int segment;           /* L, steps per segment (B-Pref's size_segment), >= 1 */
    double kl_coef;        /* beta_KL, per step, finite > 0 */
    double l2;             /* the reward model's L2, finite >= 0 */
    int fit_iter;          /* BFGS iterations per refit, >= 1 */
    double fit_tol;        /* stop when |grad| < this, >= 0 */
    double deception_threshold; /* a trajectory is deceptive when its looks exceed
                                   its true return by more than this (finite) */
    int metric_episodes;   /* episodes sampled per round for the deception rate
                              when it cannot be exact, 1..EPTRAIN_MAX_EPISODES,
                              from the run's metrics stream (apart from
                              training's) */
    uint64_t seed, run_id;
    eppg_params pg;        /* how the policy improves each round: EPPG_EXACT (soft
                              value iteration, time-indexed), or REINFORCE / PPO on
                              sampled episodes (a stationary policy, eppg.h) */
    debate_params debate;  /* a DEBATE overseer's debate over each pair (epjudge.h);
                              unused otherwise */
    long base_labels;      /* labels and cost spent before round 1 (building a */
    double base_cost;      /*   recursive overseer's critics); row 0 starts there */
} eptrain_params;

/* One round's measurements of the policy after it (round 0: pi0). Exact
 * (forward propagation) unless marked sampled. */
typedef struct eptrain_row {
    int round;
    long labels;             /* cumulative comparisons asked (skips included) */
    long skipped;            /* cumulative skips */
    double label_cost;       /* cumulative: labels x the overseer's cost */
    double label_accuracy;   /* this round: share of first/second labels on pairs
                                of different true return that prefer the truly
                                better segment (NAN: none) */
    double true_return;      /* E sum_t v*(s_t,a_t) */
    double proxy_return;     /* E sum_t r_psi(s_t,a_t) */
    double perceived_return; /* E of what the overseer perceives (undiscounted;
                                unwatched steps count 0 but for an oracle) */
    double kl;               /* sum_t E KL(pi_t(.|s_t) || pi0(.|s_t)) */
    double length;           /* E episode length */
    double deception_rate;   /* P(an episode's looks exceed its true return by
                                more than deception_threshold): exact (mdp_gap_tail)
                                while the distribution of that excess has at most
                                EPTRAIN_EXACT_ENTRIES (state, excess) pairs, else the
                                share of metric_episodes sampled episodes */
    double return_watched;   /* E true return of episodes starting watched (NAN: none) */
    double return_unwatched; /* ... starting unwatched (NAN: none) */
    double twin_tv;          /* E over steps in states with a twin of the total
                                variation between pi_t there and in the twin
                                (NAN: no such step): how differently the policy
                                acts watched and unwatched */
    int deception_sampled;   /* 1: deception_rate was sampled, not exact */
} eptrain_row;

/* The columns of an episode row, in order: the one list of their names
 * (round, labels, skipped, label_cost, label_accuracy, true_return,
 * proxy_return, perceived_return, kl, length, deception_rate,
 * return_watched, return_unwatched, twin_tv, deception_sampled), with kinds
 * as metrics.h's. */
int eptrain_n_columns(void);
const metrics_column *eptrain_column_at(int k);
/* The value of column k of row (NAN for an optional one not available). */
double eptrain_value(const eptrain_row *row, int k);

/* Defaults: 10 rounds, 32 pairs per round, segments of 5 steps, kl 0.1, l2
 * 1, 200 BFGS iterations, tol 1e-7, deception threshold 0, 1000 metric
 * episodes, seed 1, run 1, the exact method (eppg_params_default),
 * debate_params_default's debate. */
void eptrain_params_default(eptrain_params *p);

/* Check every field (pg by eppg_check); what names the record (NULL: "train_episodes", the
 * Lua function) and fields are named as there: "field 'segment' of
 * train_episodes must be an integer >= 1 (got 0)". 0 or OS_EINVAL. */
int eptrain_check(const eptrain_params *p, const char *what, os_err *err);

/* Run the loop on m (finalized) with an overseer of parameters o (checked
 * by overseer_params_check; any kind, built here on
 * epjudge_world(m): no misconceptions, predicates or trained critics — for
 * those build it and call eptrain_run_judged). rows: room for rounds + 1 rows (row 0 measures
 * pi0). final_pi (H * n_cells values) and final_reward (n_cells), when not
 * NULL, receive the last policy and reward model. Streams: training draws
 * from (seed, run_id); the deception rate's episodes from (seed,
 * rng_substream(run_id, 1000)). The relative B-Pref thresholds (skip_eps,
 * equal_eps) use the margin L x (E true return / E length) of the current
 * policy (B-Pref's mean return scaled to a segment). OS_EDIVERGE if the fit
 * diverges, OS_ENOMEM, OS_EINVAL on bad parameters. */
int eptrain_run(const mdp *m, const overseer_params *o, const eptrain_params *p,
                eptrain_row *rows, double *final_pi, double *final_reward, os_err *err);

/* The same loop judged by overseer o, built on a world of m's cells
 * (epjudge_world; with its misconceptions, predicates, assistant or trained
 * critics, or a debate over each pair: p->debate; any kind, epjudge.h), which
 * eptrain_run builds from
 * parameters alone. Labels are drawn step by step (epjudge_judge); the cost
 * of a label is o's cost plus critique_cost per critique read (assisted:
 * critique_levels per watched step); rows start from base_labels and
 * base_cost (a recursive overseer's critics). An oracle and an unassisted
 * hard-threshold human give the labels and draws of segment_label on
 * segment_perceived_table. Errors as eptrain_run (epjudge_set_debate's for a
 * debate). */
int eptrain_run_judged(const mdp *m, const overseer *o, const eptrain_params *p,
                       eptrain_row *rows, double *final_pi, double *final_reward,
                       os_err *err);

#endif
