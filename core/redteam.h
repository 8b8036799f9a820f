/* redteam.h — a red team and adversarial training (DESIGN.md §1b).
 * Owns: the world a red team trains in (the real contexts plus one synthetic
 *       copy of each opportunity template, carrying a test cue of strength
 *       cue (1 - realism)), the choice of each round's red-team inputs (at
 *       random or against the current policy), and the red-team catastrophe
 *       rate. The labels and the training mix are train.c's.
 * Uses: world.h, rng.h.
 *
 * A red-team input copies its template's cells (looks, prior, facts,
 * difficulty, tags) and features, and adds n_beh cue features: the one-hot of
 * the behaviour times cue (1 - realism). At realism 1 its features are the
 * template's, so the policy and reward model cannot tell it from the real
 * opportunity; below 1 they can learn the cue (a test x behaviour
 * interaction). A one-hot world is first given explicit one-hot features (one
 * per real cell), so a copy at realism 1 shares its template's parameters. */
#ifndef OVERSIM_REDTEAM_H
#define OVERSIM_REDTEAM_H

#include <gsl/gsl_rng.h>
#include "world.h"

typedef enum { REDTEAM_RANDOM = 0, REDTEAM_ADVERSARIAL = 1 } redteam_search;

#define REDTEAM_MAX_BUDGET 1000000
#define REDTEAM_MAX_POOL 100000000

typedef struct redteam_params {
    int budget;            /* inputs per labelled round, 0 = no red team */
    redteam_search search; /* RANDOM: templates uniformly; ADVERSARIAL: the pool's
                              candidates of highest catastrophe probability */
    int pool;              /* adversarial: candidates drawn per round (0: 4 x budget) */
    double cost;           /* cost of building one input, on top of its label's */
} redteam_params;

/* No red team: budget 0, random search, pool 0, cost 0. */
void redteam_params_default(redteam_params *p);

/* Check p's fields on its own ("field 'budget' of red_team must be ..."), and,
 * with a budget and a world w (may be NULL), that w has red-team inputs. */
int redteam_check(const redteam_params *p, const world *w, os_err *err);

/* Candidates an adversarial round draws: pool, or 4 x budget. */
int redteam_pool(const redteam_params *p);

/* The default templates: contexts where a catastrophic behaviour is available,
 * training never goes (weight 0) and deployment does. Writes their indices to
 * out (room for w->n_ctx) and returns how many; 0 (err filled) when there is
 * none, the message saying why. */
int redteam_templates(const world *w, int *out, os_err *err);

/* Count into e what redteam_world(w, n templates) allocates. */
void redteam_estimate(const world *w, long long n, size_estimate *e);

/* A new finalized world: w's contexts, then one red-team input per template
 * (templates[k], distinct, each with a catastrophic behaviour available)
 * named "NAME (red team)", training and deployment weight 0, watched. realism
 * in [0, 1], cue finite >= 0. NULL with err filled on bad arguments or no
 * memory. w (finalized) is only read. */
world *redteam_world(const world *w, const int *templates, int n, double realism,
                     double cue, os_err *err);

/* This round's inputs into chosen[0..budget): red-team context indices of w.
 * RANDOM: uniform over the red-team contexts. ADVERSARIAL: redteam_pool(p)
 * candidates drawn uniformly, the budget with the highest catastrophe
 * probability under probs kept (ties: the one drawn first). work: scratch of
 * 4 x w->n_redteam ints, score: of w->n_redteam doubles. Allocates nothing. */
void redteam_choose(const world *w, const redteam_params *p, const double *probs,
                    gsl_rng *r, int *work, double *score, int *chosen);

/* Catastrophe probability of probs in context c: sum of its mass on
 * catastrophic cells. */
double redteam_catastrophe_at(const world *w, const double *probs, int c);

/* Mean over the red-team contexts (uniform) of the catastrophe probability;
 * NAN when w has none. */
double redteam_catastrophe(const world *w, const double *probs);

#endif
