/* model.h — per-cell scoring models: parameters -> a score for every (c,b) cell.
 * Owns: the parameters of one model (linear on phi, tabular when phi is
 *       one-hot, or an MLP on phi with one or two hidden layers), the forward
 *       pass over all cells, the backward pass from a per-cell gradient to the
 *       parameter gradient, and the model's Adam state. Everything is sized at
 *       model_new: the passes allocate nothing.
 * Uses: world.h (phi, world_dot_all / world_dot_transpose), GSL's gsl_rng for
 *       the seeded weight initialisation. The reward model and the policy both
 *       score cells through here. */
#ifndef OVERSIM_MODEL_H
#define OVERSIM_MODEL_H

#include <gsl/gsl_rng.h>
#include "world.h"
#include "size.h"

typedef enum { MODEL_LINEAR = 0, MODEL_MLP = 1 } model_kind;
typedef enum { MODEL_TANH = 0, MODEL_RELU = 1 } model_activation;

#define MODEL_MAX_LAYERS 2
#define MODEL_MAX_HIDDEN 1000000 /* largest hidden layer size */

typedef struct model_spec {
    model_kind kind;
    int n_layers;                  /* MLP: 1 or 2 hidden layers */
    int hidden[MODEL_MAX_LAYERS];  /* MLP: sizes, >= 1 */
    model_activation activation;   /* MLP */
} model_spec;

typedef struct model model;

/* The linear model (today's behaviour): score = phi . theta. */
void model_spec_linear(model_spec *s);

/* Check a spec: a known kind; an MLP has 1..MODEL_MAX_LAYERS hidden layers of
 * 1..MODEL_MAX_HIDDEN units, at most INT_MAX weights between two hidden
 * layers, and a known activation. what names the record in
 * messages (NULL: "model"), e.g. "hidden layer sizes of policy.model must be
 * integers >= 1 (got 0)". 0, or OS_EINVAL with err filled. */
int model_spec_check(const model_spec *s, const char *what, os_err *err);

/* The number of parameters model_new(w, s) would have (may exceed INT_MAX,
 * which model_new refuses). s must pass model_spec_check. */
long long model_count_params(const world *w, const model_spec *s);

/* Count into e what model_new(w, s) allocates: the parameters with Adam's two
 * moments and, for an MLP, the per-cell activations and backward scratch;
 * items named "<what> parameters (N, ...)", "<what> activations (C cells x H
 * units)". s must pass model_spec_check. Allocates nothing. */
void model_estimate(const world *w, const model_spec *s, const char *what, size_estimate *e);

/* A model on world w (finalized, outliving the model), all parameters 0.
 * Parameter layout: linear: theta (dim). MLP: W1 (dim x h1, input-major),
 * b1 (h1), [W2 (h1 x h2), b2 (h2)], w_out (last hidden size); no output bias
 * (a constant shift of every score changes neither a softmax per context nor
 * a Bradley-Terry difference). NULL with err filled on a bad spec or no memory. */
model *model_new(const world *w, const model_spec *s, os_err *err);
void model_free(model *m);

int model_n_params(const model *m);
const model_spec *model_get_spec(const model *m);
/* The parameters (n_params values), writable. */
double *model_params(model *m);

/* Seeded initialisation from stream r. Linear: theta ~ N(0, out_sd^2) (out_sd 0:
 * zeros, drawing nothing). MLP: first layer N(0, 1) (phi rows have norm ~1:
 * one-hot, or N(0, 1/dim) features), second N(0, g/h1) with g = 1 for tanh and
 * 2 for ReLU, biases 0, output weights N(0, out_sd^2 / h_last) (out_sd 0: zero,
 * so the scores start at 0 — a policy starts at pi0). */
void model_init(model *m, gsl_rng *r, double out_sd);

/* out[cell] = score of every cell under params (n_params values; usually
 * model_params(m), but a minimiser may pass its own). Caches the hidden
 * activations for model_backward. */
void model_forward(model *m, const double *params, double *out);

/* grad = d(sum_cell g_cell[cell] * score[cell]) / d params (overwrites
 * n_params values), at the params and activations of the last model_forward.
 * Cells with g_cell 0 cost nothing. */
void model_backward(model *m, const double *params, const double *g_cell, double *grad);

/* model_forward where only the n cells listed (ascending, distinct) are
 * needed: a linear model computes those (the same bits as model_forward
 * gives them) and leaves the other entries of out alone; an MLP runs its
 * full forward pass. */
void model_forward_cells(model *m, const double *params, const int *cells, int n,
                         double *out);

/* model_backward for a g_cell that is 0 outside the n cells listed
 * (ascending, distinct): the same gradient, bit for bit; a linear model
 * visits only those cells. */
void model_backward_cells(model *m, const double *params, const double *g_cell,
                          const int *cells, int n, double *grad);

/* One Adam step (beta1 0.9, beta2 0.999, eps 1e-8) on the model's own state:
 * step = -lr * mhat / (sqrt(vhat) + eps) for the gradient grad of a loss to
 * be *descended*; the step is written to `step` (n_params values), not applied,
 * so callers can check it before adding it to the parameters. */
void model_adam_step(model *m, const double *grad, double lr, double *step);

/* Forget the Adam moments (the next step is the first again). */
void model_adam_reset(model *m);

/* The tanh the MLP uses: one exp, and the odd Taylor series below |x| = 0.05
 * (faster than libm's; tests/test_model.c bounds its error against libm). */
double model_tanh(double x);

#endif
