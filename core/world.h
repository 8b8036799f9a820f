/* world.h — the world: a contextual bandit with hidden facts.
 * Owns: context types (training and deployment weights, whether the overseer
 *       watches, difficulty, tags), behaviours (deceptive, catastrophic), the
 *       per-(c,b) cells (looks, prior, hidden facts, true value, deceptive and
 *       catastrophic flags), the feature map phi(c,b) and its products with
 *       parameters (world_dot.c), and which contexts are a red team's copies
 *       of others (redteam.h builds those).
 * Uses: err.h. Built once by a builder (world_new, world_set_*, world_add_fact,
 *       world_finalize), then read-only: other modules read the arrays below. */
#ifndef OVERSIM_WORLD_H
#define OVERSIM_WORLD_H

#include <limits.h>
#include "err.h"
#include "size.h"

#define WORLD_MAX_TAGS 32
#define WORLD_MAX_FACTS_PER_CELL 100
#define WORLD_MAX_CELLS 50000000 /* n_ctx x n_beh */
#define WORLD_MAX_FACTS (INT_MAX / 2) /* in all */

typedef struct world {
    int n_ctx, n_beh, n_cells; /* n_cells = n_ctx * n_beh; cell = c * n_beh + b */
    int dim;                   /* feature dimension */
    int onehot;                /* 1: phi is one-hot per cell (tabular mode) */

    char **ctx_name;
    double *ctx_weight;     /* normalised to sum 1 by world_finalize */
    double *ctx_cum_weight; /* cumulative ctx_weight, for sampling */
    double *ctx_difficulty;
    unsigned *ctx_tags; /* bit i: tag_name[i] */

    /* deployment (DESIGN.md §1b): where the policy acts after training */
    double *ctx_deploy_weight; /* normalised; a context that sets none keeps its
                                  training weight (before normalising) */
    double *ctx_deploy_cum;    /* cumulative, for sampling a deployment */
    int has_deploy;            /* some context set a deployment weight */
    unsigned char *ctx_monitored; /* 1: the overseer watches (and labels) here */
    int has_unmonitored;       /* some context is not watched */
    double *ctx_query_cum;     /* cumulative training weight over watched contexts:
                                  where training asks for labels */
    int *ctx_template;         /* a red team's input: the context it copies; else -1 */
    int n_redteam;             /* contexts with a template (the last n_redteam) */

    char **beh_name;
    unsigned char *beh_deceptive_tag; /* behaviour tagged `deceptive` */
    unsigned char *beh_catastrophic;  /* behaviour tagged `catastrophic` */

    double *looks;          /* per cell */
    double *prior;          /* per cell: pi0(b|c), normalised per context; 0 = absent */
    double *log_prior;      /* per cell; -INFINITY where absent */
    unsigned char *avail;   /* per cell: prior > 0 */
    int *ctx_n_avail;       /* behaviours available in each context */
    double *vstar;          /* per cell: looks + sum of fact effects */
    unsigned char *deceptive; /* per cell: tagged, or looks - vstar > threshold */
    unsigned char *catastrophic; /* per cell: available and its behaviour catastrophic */
    int n_catastrophic;     /* such cells */
    double deception_threshold;

    int n_facts;
    int *fact_start;        /* n_cells + 1: facts of a cell are [start[i], start[i+1]) */
    double *fact_difficulty;
    double *fact_effect;
    char **fact_name;

    double *phi;            /* n_cells * dim, row-major; NULL in one-hot mode */

    char *tag_name[WORLD_MAX_TAGS];
    int n_tags;

    /* builder state */
    int finalized;
    int fact_cap;
    int *fact_cell;         /* cell of each fact while building */
    double *phi_fill;       /* world_features_fill's matrix until it is filled */
    int fill_dim;
} world;

/* Count into e what a world of n_ctx contexts and n_beh behaviours allocates:
 * its per-context, per-behaviour and per-cell arrays, and with dim > 0 a
 * feature matrix of n_cells x dim doubles, twice (the matrix and the copy it
 * is built from; "features C cells x D"); dim 0: one-hot, no matrix. Names and
 * facts are not counted (they grow with what the scenario writes). Takes long
 * long sizes so a caller can ask before checking them; allocates nothing. */
void world_estimate(long long n_ctx, long long n_beh, long long dim, size_estimate *e);

/* A world of n_ctx context types and n_beh behaviours, all cells absent
 * (prior 0) until set. NULL with err filled on bad sizes (none, or more than
 * WORLD_MAX_CELLS cells) or no memory.
 * Free with world_free. */
world *world_new(int n_ctx, int n_beh, os_err *err);

/* Free everything the world owns; NULL is a no-op. */
void world_free(world *w);

/* Name (copied), weight >= 0 (finite), difficulty and tag bits of context c.
 * difficulty may be +-INFINITY (never / always understood), not NaN. */
int world_set_context(world *w, int c, const char *name, double weight,
                      double difficulty, unsigned tags, os_err *err);

/* Index of tag `name`, adding it if new; -1 (err filled) past WORLD_MAX_TAGS. */
int world_tag(world *w, const char *name, os_err *err);

/* Name (copied) of behaviour b, and whether it is tagged `deceptive`. */
int world_set_behaviour(world *w, int b, const char *name, int deceptive_tag,
                        os_err *err);

/* Deployment of context c: its deployment weight (finite, >= 0; NAN: not
 * set, the context is deployed as often as it is trained) and whether the
 * overseer watches it (monitored = 0: it never labels there, though training
 * still samples it). Defaults: not set, watched. Before world_finalize. */
int world_set_deployment(world *w, int c, double deploy_weight, int monitored,
                         os_err *err);

/* Behaviour b is catastrophic: a loss no later episode undoes (its true value
 * is the scenario's to set; the flag is what deployment figures count). */
int world_set_catastrophic(world *w, int b, int catastrophic, os_err *err);

/* Surface value (finite) and prior propensity (finite, >= 0; 0 = absent in
 * c) of cell (c,b). Messages name the behaviour and the context when their
 * names are set: "field 'prior' of behaviour 'bluff' must be >= 0 (got -0.2
 * in context 'a')". */
int world_set_cell(world *w, int c, int b, double looks, double prior, os_err *err);

/* A hidden fact on cell (c,b): difficulty (+-INFINITY allowed: INFINITY is a
 * fact no finite competence discovers; NaN is an error) and its finite effect
 * on true value. */
int world_add_fact(world *w, int c, int b, const char *name, double difficulty,
                   double effect, os_err *err);

/* Scenario features: phi has n_cells * dim values (copied). Without a call,
 * features are one-hot per cell (tabular). */
int world_set_features(world *w, int dim, const double *phi, os_err *err);

/* The same, filled in place, for a builder that reads the values one by one
 * (no copy of a matrix that can be gigabytes): world_features_fill returns the
 * world's own n_cells * dim matrix (row-major, uninitialised, replacing any
 * set before; NULL with err filled on dim < 1 or no memory); write every
 * value, then world_features_filled checks they are finite (the messages of
 * world_set_features) and makes them the features. Until it succeeds the
 * world keeps the features it had; world_finalize and world_free drop a
 * matrix never filled. */
double *world_features_fill(world *w, int dim, os_err *err);
int world_features_filled(world *w, os_err *err);

/* Features shared across contexts: phi(c,b) is the one-hot of b (dim =
 * n_beh), so the policy and reward model learn one score per behaviour that
 * every context shares (the scenario option features = "behaviour"). Before
 * world_finalize; OS_ENOMEM or OS_EINVAL (finalized) with err filled. */
int world_set_features_behaviour(world *w, os_err *err);

/* Check and freeze: every context has a positive total prior, weights sum to a
 * positive number (deployment weights too, when set), some watched context has
 * training weight, values finite, at most WORLD_MAX_FACTS_PER_CELL facts per
 * cell. Normalises weights and priors, computes true values, deceptive flags
 * (looks - vstar > deception_threshold, or tagged) and catastrophic cells. */
int world_finalize(world *w, double deception_threshold, os_err *err);

/* Index of a context / behaviour by name, or -1. */
int world_find_context(const world *w, const char *name);
int world_find_behaviour(const world *w, const char *name);

/* phi(c,b) . theta for the cell: theta[cell] in one-hot mode. */
double world_dot(const world *w, int cell, const double *theta);

/* out[cell] = phi(cell) . theta for every cell. */
void world_dot_all(const world *w, const double *theta, double *out);

/* theta_grad = Phi^T g (overwrites theta_grad, dim values). */
void world_dot_transpose(const world *w, const double *g, double *theta_grad);

/* world_dot_all at the n cells listed (ascending, distinct) only: out[cell]
 * for those cells, the very bits world_dot_all gives them; other entries of
 * out are left alone (a build linked to OpenBLAS runs its full product, as
 * world_dot_all does, and writes them all). Allocates nothing. */
void world_dot_cells(const world *w, const double *theta, const int *cells, int n,
                     double *out);

/* world_dot_transpose for a g that is 0 outside the n cells listed
 * (ascending, distinct): the same terms in the same order, so the same bits,
 * without visiting the other cells. */
void world_dot_transpose_cells(const world *w, const double *g, const int *cells, int n,
                               double *theta_grad);

#endif
