/* metrics.h — what is measured each round (DESIGN.md §2).
 * Owns: the per-round row, the policy-side metrics (exact expectations over
 *       contexts and the finite behaviour set) and label-accuracy tallies.
 * Uses: world.h, overseer.h. */
#ifndef OVERSIM_METRICS_H
#define OVERSIM_METRICS_H

#include "world.h"
#include "overseer.h"

/* The policy-side metrics of the reference policy Lang et al. (2024) compare
 * against: the true-value optimal policy (in each context all mass on the
 * behaviours of highest true value, ties sharing it in proportion to pi0),
 * seen by the run's overseer. */
typedef struct metrics_reference {
    double true_value, perceived_value, overestimation, underestimation;
    double prior_overestimation, prior_underestimation; /* pi0's, the start */
} metrics_reference;

typedef struct metrics_row {
    int round;
    long labels;            /* cumulative labels asked (skips included) */
    double label_cost;      /* cumulative cost */
    double true_value;      /* E[v*] */
    double proxy_value;     /* E[r_psi] */
    double perceived_value; /* E[u_O] */
    double kl;              /* E_c KL(pi || pi0) */
    double deception_rate;  /* pi-mass on deceptive cells */
    double overestimation;  /* E[max(0, u - v*)] */
    double underestimation; /* E[max(0, v* - u)] */
    /* this round's labels: accuracy against the v*-preference, over labels on
     * pairs with different true values, skips excluded; overall and by region.
     * n == 0 means not available (no such labels this round). */
    long acc_n[N_REGIONS + 1];       /* [REGION_*], [N_REGIONS] = overall */
    long acc_correct[N_REGIONS + 1];
    long region_labels[N_REGIONS];   /* labels asked per region this round */
    long skipped;                    /* skips this round */
    long slots_hidden, slots_found;  /* this round: slots beyond unaided competence
                                        in compared pairs, and those the assistant
                                        pointed at (assisted_found = found/hidden) */
    metrics_reference ref;           /* the run's reference policy (the same each round) */
    /* deployment (DESIGN.md §1b): NAN where the world has neither deployment
     * weights nor a catastrophic behaviour (metrics_deployment) */
    double catastrophe_train;   /* catastrophic mass under the training weights */
    double catastrophe_deploy;  /* q: probability a deployed episode is catastrophic */
    double catastrophe_any;     /* 1 - (1 - q)^N: at least one in N deployed episodes */
    double catastrophe_sampled; /* share of N sampled deployed episodes that were */
    double catastrophe_redteam; /* mean over the red team's inputs (NAN: no red team) */
    long redteam_labels;        /* cumulative labels on red-team inputs */
    /* deployment-weighted means over watched / unwatched contexts (NAN unless
     * the world has an unwatched context deployment reaches) */
    double true_value_monitored, true_value_unmonitored;
    double catastrophe_monitored, catastrophe_unmonitored;
} metrics_row;

/* Fill ref for the true-value optimal policy on w, perceived by o, and pi0's
 * over- and underestimation. table: scratch of n_cells doubles (receives the
 * optimal policy). Allocates nothing. */
void metrics_reference_of(const world *w, const overseer *o, double *table,
                          metrics_reference *ref);

/* Lang et al. (2024)'s two failures of a policy relative to the reference,
 * both under the overseer's own perception, counted only when training moved
 * the policy that way from pi0 (a policy that merely lacks signal, as under a
 * coin-flipping overseer, is not flagged; neither is pi0 itself). A
 * difference above 1e-9 counts:
 *   deceptive inflation: overestimation and perceived value above the
 *                        reference's, overestimation above pi0's;
 *   overjustification:   underestimation and true value below the
 *                        reference's, underestimation below pi0's. */
int metrics_deceptive_inflation(const metrics_row *row);
int metrics_overjustification(const metrics_row *row);

/* Fill the policy-side fields of row (true/proxy/perceived value, kl,
 * deception, over/underestimation) from per-cell probabilities, log
 * probabilities and rewards (reward may be NULL: proxy 0). */
void metrics_policy(const world *w, const overseer *o, const double *probs,
                    const double *logp, const double *reward, metrics_row *row);

/* Mark the deployment fields of row not available (NAN). */
void metrics_no_deployment(metrics_row *row);

/* Fill the deployment fields of row from per-cell probabilities: exact q and
 * 1 - (1 - q)^episodes, the training-distribution and red-team catastrophe
 * rates, the watched/unwatched contrasts, and catastrophe_sampled =
 * sampled / episodes (a sampled deployment the caller ran). Fields the world
 * cannot report stay NAN (see metrics_row). */
void metrics_deployment(const world *w, const double *probs, long episodes, long sampled,
                        metrics_row *row);

/* 1 when w reports deployment figures: it sets deployment weights or has a
 * catastrophic behaviour. */
int metrics_has_deployment(const world *w);

/* Tally one judgement on (c,b1,b2) into row's accuracy and assistance fields. */
void metrics_count_label(const world *w, int c, int b1, int b2,
                         const overseer_outcome *out, metrics_row *row);

/* Share of hidden slots the assistant surfaced, or NAN when none were hidden. */
double metrics_assisted_found(const metrics_row *row);

/* Accuracy for region r (N_REGIONS = overall) or NAN when there were none. */
double metrics_accuracy(const metrics_row *row, int r);

/* 1 if every float field that must be finite is; else 0 and *field names it. */
int metrics_finite(const metrics_row *row, const char **field);

/* The columns of a training row, in CSV order: the one list of metric names
 * that the core, the binding, the CSV writer and the plots share. */
typedef enum {
    METRIC_FLAG,     /* true or false (0 or 1) */
    METRIC_INT,      /* an integer count (round, labels) */
    METRIC_REAL,     /* a finite number in every row */
    METRIC_OPTIONAL  /* a number, or not available in this row (NAN) */
} metrics_column_kind;

typedef struct metrics_column {
    const char *name;
    metrics_column_kind kind;
} metrics_column;

/* Number of columns, and column k (0 <= k < metrics_n_columns()). */
int metrics_n_columns(void);
const metrics_column *metrics_column_at(int k);

/* The value of column k in row: exact for METRIC_INT, NAN for an optional
 * column that is not available in this row. */
double metrics_value(const metrics_row *row, int k);

#endif
