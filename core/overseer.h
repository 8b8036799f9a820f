/* overseer.h — overseers: who turns a comparison (c, b1, b2) into a label.
 * Owns: the overseer's parameters (kind, competence, Boltzmann beta, B-Pref's
 *       mistake/skip/equal, when_unsure, cost), its misconceptions and region
 *       overrides, its perceived value u(c,b) and the exact label distribution.
 * Uses: world.h, GSL's rng. Lua predicates (knows/wrong) are evaluated by the
 *       binding once per (context type, b1, b2) and handed in as overrides. */
#ifndef OVERSIM_OVERSEER_H
#define OVERSIM_OVERSEER_H

#include <gsl/gsl_rng.h>
#include "world.h"

typedef enum { OVERSEER_ORACLE = 0, OVERSEER_HUMAN = 1 } overseer_kind;
typedef enum { UNSURE_COIN = 0, UNSURE_SKIP = 1, UNSURE_LOOKS = 2 } unsure_mode;
typedef enum { LABEL_FIRST = 0, LABEL_SECOND = 1, LABEL_EQUAL = 2, LABEL_SKIP = 3 } label_kind;
typedef enum { REGION_KNOWS = 0, REGION_UNSURE = 1, REGION_WRONG = 2 } region_kind;
#define N_LABELS 4
#define N_REGIONS 3

typedef struct overseer_params {
    overseer_kind kind;
    double competence;      /* discovers facts (and judges contexts) of difficulty <= this */
    double beta;            /* Boltzmann rationality; INFINITY = argmax, ties 0.5 */
    double mistake;         /* B-Pref: probability the label is flipped */
    double skip_threshold;  /* B-Pref: skip when max(u1,u2) < this; -INFINITY = never */
    double equal_threshold; /* B-Pref: `equal` when |u1-u2| < this; 0 = never */
    double cost;            /* cost of one label (time units), >= 0 */
    unsure_mode when_unsure;
} overseer_params;

typedef struct overseer overseer;

/* Defaults: human, competence 0, beta INFINITY, no mistakes/skips/equals,
 * cost 1, when_unsure coin. */
void overseer_params_default(overseer_params *p);

/* An overseer of `p` judging world w (which must be finalized and must outlive
 * it). Checks ranges (probabilities in [0,1], cost >= 0, beta >= 0). NULL with
 * err filled on bad parameters. Free with overseer_free. */
overseer *overseer_new(const world *w, const overseer_params *p, os_err *err);
void overseer_free(overseer *o);

const overseer_params *overseer_get_params(const overseer *o);

/* A scripted misconception: the overseer's perceived value of (c,b) is off by
 * `bias` (adds up over calls). The overseer is *wrong* about that cell. */
int overseer_add_bias(overseer *o, int c, int b, double bias, os_err *err);

/* Override the competence rule for (c,b1,b2) (both orders): knows = 1 or 0. */
int overseer_set_knows(overseer *o, int c, int b1, int b2, int knows, os_err *err);

/* Mark the overseer as wrong about (c,b): it judges the surface (looks + bias)
 * confidently, whatever its competence. */
int overseer_set_wrong(overseer *o, int c, int b, int wrong, os_err *err);

/* Perceived value u(c,b): v* for the oracle; otherwise looks + effects of the
 * facts it discovers + bias (looks + bias where it is wrong). */
double overseer_perceived(const overseer *o, int cell);

/* Region of a comparison: WRONG if it is wrong about b1 or b2, else KNOWS if
 * the context and every fact of b1 and b2 are within competence (or a knows
 * override says so), else UNSURE. The oracle always KNOWS. */
region_kind overseer_region(const overseer *o, int c, int b1, int b2);

/* Exact probabilities of the four labels (indexed by label_kind) for (c,b1,b2):
 *   unsure & skip  -> skip; unsure & coin -> 1/2, 1/2;
 *   otherwise: skip if max(u1,u2) < skip_threshold, equal if |u1-u2| <
 *   equal_threshold, else sigma(beta (u1-u2)); then `mistake` flips b1/b2. */
void overseer_label_probs(const overseer *o, int c, int b1, int b2, double p[N_LABELS]);

/* One label drawn from overseer_label_probs. Allocates nothing. */
label_kind overseer_label(const overseer *o, int c, int b1, int b2, gsl_rng *r);

#endif
