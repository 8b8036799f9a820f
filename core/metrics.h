/* metrics.h — what is measured each round (DESIGN.md §2).
 * Owns: the per-round row, the policy-side metrics (exact expectations over
 *       contexts and the finite behaviour set) and label-accuracy tallies.
 * Uses: world.h, overseer.h. */
#ifndef OVERSIM_METRICS_H
#define OVERSIM_METRICS_H

#include "world.h"
#include "overseer.h"

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
} metrics_row;

/* Fill the policy-side fields of row (true/proxy/perceived value, kl,
 * deception, over/underestimation) from per-cell probabilities, log
 * probabilities and rewards (reward may be NULL: proxy 0). */
void metrics_policy(const world *w, const overseer *o, const double *probs,
                    const double *logp, const double *reward, metrics_row *row);

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
