/* model.c — see model.h. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>
#include <limits.h>
#include "mathx.h"
#include "mlp_kernels.h"
#include "size.h"

/* With OpenBLAS (-DOVERSIM_BLAS=openblas) an MLP on dense features runs its
 * passes as matrix-matrix products over all cells at once; otherwise cell by
 * cell in plain loops (GSL's reference CBLAS is slower than those). */
#ifdef OVERSIM_OPENBLAS
#define MODEL_BATCHED 1
#else
#define MODEL_BATCHED 0
#endif

/* Cells the plain backward pass takes at once (its scratch has as many rows). */
enum { BLOCK = MLP_BLOCK };

struct model {
    const world *w;
    model_spec s;
    int n_params;
    int h1, h2;           /* hidden sizes (h2 = 0 with one layer) */
    int o_b1, o_w2, o_b2, o_out; /* offsets into the parameter vector */
    double *params;
    double *a1, *a2;      /* per cell hidden activations (post-nonlinearity) */
    double *d1, *d2;      /* backward scratch, one hidden layer each (per cell when
                             batched) */
    double *w2t;          /* W2 transposed (h2 x h1), for the backward pass's
                             W2 d2 as a loop across outputs */
    double *mom1, *mom2;  /* Adam moments */
    const mlp_kernels *k; /* the dense products, for this processor */
    long adam_t;
};

void model_spec_linear(model_spec *s)
{
    memset(s, 0, sizeof *s);
    s->kind = MODEL_LINEAR;
}

int model_spec_check(const model_spec *s, const char *what, os_err *err)
{
    if (!what)
        what = "model";
    if (s->kind == MODEL_LINEAR)
        return 0;
    if (s->kind != MODEL_MLP)
        return err_set(err, OS_EINVAL, "field 'kind' of %s is unknown (%d)", what,
                       (int)s->kind);
    if (s->n_layers < 1 || s->n_layers > MODEL_MAX_LAYERS)
        return err_set(err, OS_EINVAL, "field 'hidden' of %s must list 1 or 2 layer sizes "
                       "(got %d)", what, s->n_layers);
    for (int l = 0; l < s->n_layers; l++) {
        if (s->hidden[l] < 1)
            return err_set(err, OS_EINVAL, "hidden layer sizes of %s must be integers >= 1 "
                           "(got %d)", what, s->hidden[l]);
        if (s->hidden[l] > MODEL_MAX_HIDDEN)
            return err_set(err, OS_EINVAL, "hidden layer sizes of %s must be at most %d "
                           "(got %d)", what, MODEL_MAX_HIDDEN, s->hidden[l]);
    }
    if (s->activation != MODEL_TANH && s->activation != MODEL_RELU)
        return err_set(err, OS_EINVAL, "field 'activation' of %s is unknown (%d)", what,
                       (int)s->activation);
    /* parameter counts and offsets are ints: the one product of two sizes a
     * spec fixes by itself must fit (the first layer's depends on the world:
     * model_new) */
    if (s->n_layers == 2 && (long long)s->hidden[0] * s->hidden[1] > INT_MAX)
        return err_set(err, OS_EINVAL, "hidden layers of %s are too large: %d x %d weights "
                       "(at most %d)", what, s->hidden[0], s->hidden[1], INT_MAX);
    return 0;
}

/* The parameter count of spec s on D features, and the offsets of b1, W2, b2
 * and w_out; 1 when the count exceeds INT_MAX (parameters are indexed by
 * int), else 0. */
static int layout(long long D, const model_spec *s, long long off[4], long long *n)
{
    if (s->kind == MODEL_LINEAR) {
        *n = D;
        return D > INT_MAX;
    }
    long long h1 = s->hidden[0], h2 = s->n_layers > 1 ? s->hidden[1] : 0;
    /* D <= 5e7 cells or an int, h1, h2 <= MODEL_MAX_HIDDEN: no long long overflow */
    off[0] = D * h1;
    off[1] = off[0] + h1;
    off[2] = off[1] + h1 * h2;
    off[3] = off[2] + h2;
    *n = off[3] + (h2 ? h2 : h1);
    return *n > INT_MAX;
}

long long model_count_params(const world *w, const model_spec *s)
{
    long long off[4], n;
    layout(w->dim, s, off, &n);
    return n;
}

void model_estimate(const world *w, const model_spec *s, const char *what, size_estimate *e)
{
    long long n = model_count_params(w, s);
    /* parameters and Adam's two moments */
    size_estimate_add(e, size_mul3_sat(3, (size_t)n, sizeof(double)),
                      "%s parameters (%lld, with Adam's moments)", what, n);
    if (s->kind == MODEL_LINEAR)
        return;
    size_t rows = MODEL_BATCHED && !w->onehot ? (size_t)w->n_cells : BLOCK;
    for (int l = 0; l < s->n_layers; l++) {
        size_estimate_add(e, size_mul3_sat((size_t)w->n_cells, (size_t)s->hidden[l],
                                           sizeof(double)),
                          "%s activations (%d cells x %d units)", what, w->n_cells,
                          s->hidden[l]);
        size_estimate_add(e, size_mul3_sat(rows, (size_t)s->hidden[l], sizeof(double)),
                          "%s backward scratch", what);
    }
    if (s->n_layers > 1)
        size_estimate_add(e, size_mul3_sat((size_t)s->hidden[0], (size_t)s->hidden[1],
                                           sizeof(double)), "%s W2 transposed", what);
}

model *model_new(const world *w, const model_spec *s, os_err *err)
{
    if (model_spec_check(s, NULL, err))
        return NULL;
    model *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->w = w;
    m->s = *s;
    m->k = mlp_kernels_get();
    long long off[4], n;
    if (layout(w->dim, s, off, &n)) {
        model_free(m);
        err_set(err, OS_EINVAL, "model too large: %lld parameters on %d features (at most "
                "%d)", n, w->dim, INT_MAX);
        return NULL;
    }
    m->n_params = (int)n;
    if (s->kind == MODEL_MLP) {
        m->h1 = s->hidden[0];
        m->h2 = s->n_layers > 1 ? s->hidden[1] : 0;
        m->o_b1 = (int)off[0], m->o_w2 = (int)off[1], m->o_b2 = (int)off[2];
        m->o_out = (int)off[3];
        size_t rows = MODEL_BATCHED && !w->onehot ? (size_t)w->n_cells : BLOCK, n1, n2;
        if (size_mul((size_t)w->n_cells, (size_t)m->h1 * sizeof *m->a1, &n1) ||
            size_mul((size_t)w->n_cells, (size_t)m->h2 * sizeof *m->a2, &n2))
            goto nomem;
        m->a1 = malloc(n1);
        m->d1 = malloc(rows * m->h1 * sizeof *m->d1); /* rows x h1: at most 4 x n1 */
        if (!m->a1 || !m->d1)
            goto nomem;
        if (m->h2) {
            m->a2 = malloc(n2);
            m->d2 = malloc(rows * m->h2 * sizeof *m->d2);
            m->w2t = malloc((size_t)m->h1 * m->h2 * sizeof *m->w2t); /* <= n_params */
            if (!m->a2 || !m->d2 || !m->w2t)
                goto nomem;
        }
    }
    m->params = calloc(m->n_params, sizeof *m->params);
    m->mom1 = calloc(m->n_params, sizeof *m->mom1);
    m->mom2 = calloc(m->n_params, sizeof *m->mom2);
    if (!m->params || !m->mom1 || !m->mom2)
        goto nomem;
    return m;
nomem:
    model_free(m);
    err_set(err, OS_ENOMEM, "out of memory building a model");
    return NULL;
}

void model_free(model *m)
{
    if (!m)
        return;
    free(m->params), free(m->a1), free(m->a2), free(m->d1), free(m->d2), free(m->w2t);
    free(m->mom1), free(m->mom2);
    free(m);
}

int model_n_params(const model *m) { return m->n_params; }
const model_spec *model_get_spec(const model *m) { return &m->s; }
double *model_params(model *m) { return m->params; }

void model_init(model *m, gsl_rng *r, double out_sd)
{
    memset(m->params, 0, m->n_params * sizeof *m->params);
    model_adam_reset(m);
    if (m->s.kind == MODEL_LINEAR) {
        if (out_sd > 0)
            for (int j = 0; j < m->n_params; j++)
                m->params[j] = gsl_ran_gaussian(r, out_sd);
        return;
    }
    const double gain = m->s.activation == MODEL_RELU ? 2 : 1;
    for (int j = 0; j < m->o_b1; j++)
        m->params[j] = gsl_ran_gaussian(r, 1);
    for (int j = m->o_w2; j < m->o_b2; j++)
        m->params[j] = gsl_ran_gaussian(r, sqrt(gain / m->h1));
    if (out_sd > 0) {
        int last = m->h2 ? m->h2 : m->h1;
        for (int j = 0; j < last; j++)
            m->params[m->o_out + j] = gsl_ran_gaussian(r, out_sd / sqrt(last));
    }
}

/* The glue of the MLP's passes (activations, their derivatives, the bias
 * and output sums) compiled for AVX-512, AVX2 and baseline x86-64, the best
 * chosen at load time (GCC's target_clones); vectors run across values,
 * never across a sum, and nothing is fused (-ffp-contract=off), so all three
 * give the same bits. The products are mlp_kernels.c's. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && OVERSIM_SIMD_MAX >= 2
#define MODEL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && OVERSIM_SIMD_MAX == 1
#define MODEL_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MODEL_CLONES
#endif

/* tanh through one exp: libm's tanh (expm1 plus a wrapper) was 60% of an MLP
 * run's time (perf, W2). Below |x| = 0.05 the odd Taylor series (to x^9)
 * avoids the cancellation in 1 - e. Measured against libm on a 1e-6 grid over
 * [-30, 30]: relative error at most 1.2e-15. */
static inline __attribute__((always_inline)) double fast_tanh(double x)
{
    double ax = fabs(x);
    if (ax < 0.05) {
        double x2 = x * x;
        return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 +
                                                                  x2 * (62.0 / 2835)))));
    }
    double e = exp(-2 * ax), y = (1 - e) / (1 + e);
    return x < 0 ? -y : y;
}

double model_tanh(double x)
{
    return fast_tanh(x);
}

static inline __attribute__((always_inline)) double act(model_activation a, double x)
{
    return a == MODEL_TANH ? fast_tanh(x) : (x > 0 ? x : 0);
}

/* derivative of the activation, from its output */
static inline __attribute__((always_inline)) double act_grad(model_activation a, double y)
{
    return a == MODEL_TANH ? 1 - y * y : (y > 0 ? 1 : 0);
}

/* act(x + bias) over an n x h block, in place */
static void activate(model_activation a, double *x, const double *bias, int n, int h)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < h; j++)
            x[(size_t)i * h + j] = act(a, x[(size_t)i * h + j] + bias[j]);
}

/* Forward over all cells as matrix products: A1 = act(Phi W1 + b1),
 * A2 = act(A1 W2 + b2), out = A_last w_out. Dense features only. */
static void forward_batched(model *m, const double *params, double *out)
{
    const world *w = m->w;
    const int n = w->n_cells, D = w->dim, H1 = m->h1, H2 = m->h2;
    const double *W1 = params, *b1 = params + m->o_b1, *W2 = params + m->o_w2,
                 *b2 = params + m->o_b2, *wo = params + m->o_out;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, H1, D, 1.0, w->phi, D, W1, H1,
                0.0, m->a1, H1);
    activate(m->s.activation, m->a1, b1, n, H1);
    const double *last = m->a1;
    int HL = H1;
    if (H2) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, H2, H1, 1.0, m->a1, H1, W2,
                    H2, 0.0, m->a2, H2);
        activate(m->s.activation, m->a2, b2, n, H2);
        last = m->a2, HL = H2;
    }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, n, HL, 1.0, last, HL, wo, 1, 0.0, out, 1);
}

/* Column sums of an n x h block into out (h values). */
static void colsum(const double *x, int n, int h, double *out)
{
    memset(out, 0, h * sizeof *out);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < h; j++)
            out[j] += x[(size_t)i * h + j];
}

/* Backward over all cells as matrix products (cells with g 0 add zeros). */
static void backward_batched(model *m, const double *params, const double *g, double *grad)
{
    const world *w = m->w;
    const int n = w->n_cells, D = w->dim, H1 = m->h1, H2 = m->h2;
    const model_activation A = m->s.activation;
    const double *W2 = params + m->o_w2, *wo = params + m->o_out;
    double *gW1 = grad, *gb1 = grad + m->o_b1, *gW2 = grad + m->o_w2, *gb2 = grad + m->o_b2,
           *gwo = grad + m->o_out;
    const double *last = H2 ? m->a2 : m->a1;
    const int HL = H2 ? H2 : H1;
    double *dl = H2 ? m->d2 : m->d1; /* d loss / d (pre-activation of the last layer) */
    cblas_dgemv(CblasRowMajor, CblasTrans, n, HL, 1.0, last, HL, g, 1, 0.0, gwo, 1);
    for (int i = 0; i < n; i++)
        for (int l = 0; l < HL; l++)
            dl[(size_t)i * HL + l] = g[i] * wo[l] * act_grad(A, last[(size_t)i * HL + l]);
    if (H2) {
        colsum(m->d2, n, H2, gb2);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H1, H2, n, 1.0, m->a1, H1, m->d2,
                    H2, 0.0, gW2, H2);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H1, H2, 1.0, m->d2, H2, W2, H2,
                    0.0, m->d1, H1);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < H1; j++)
                m->d1[(size_t)i * H1 + j] *= act_grad(A, m->a1[(size_t)i * H1 + j]);
    }
    colsum(m->d1, n, H1, gb1);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H1, n, 1.0, w->phi, D, m->d1, H1,
                0.0, gW1, H1);
}

/* act over n values in place: for tanh, in chunks, first the exp() calls
 * alone (mathx_exp_n: libm's values, four at a time where it can), then
 * fast_tanh's arithmetic (both branches, then a select) in a loop
 * that vectorises — the same values fast_tanh gives, with its divisions 8 (or
 * 4, or 2) at a time. */
static inline __attribute__((always_inline)) void activate_all(model_activation a, double *x, size_t n)
{
    if (a != MODEL_TANH) {
        for (size_t i = 0; i < n; i++)
            x[i] = act(a, x[i]);
        return;
    }
    enum { CHUNK = 256 };
    double e[CHUNK];
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        const size_t m = n - i0 < CHUNK ? n - i0 : CHUNK;
        double *xs = x + i0;
        for (size_t t = 0; t < m; t++) /* exp(-2|x|), used where |x| >= 0.05 */
            e[t] = -2 * fabs(xs[t]);
        mathx_exp_n(e, e, (int)m); /* libm's exp, bit for bit, four at a time */
        for (size_t t = 0; t < m; t++) {
            const double v = xs[t], ax = fabs(v), x2 = v * v;
            const double small = v * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 *
                                                (-17.0 / 315 + x2 * (62.0 / 2835)))));
            const double y = (1 - e[t]) / (1 + e[t]);
            xs[t] = ax < 0.05 ? small : (v < 0 ? -y : y);
        }
    }
}

MODEL_CLONES
void model_forward(model *m, const double *params, double *out)
{
    const world *w = m->w;
    if (m->s.kind == MODEL_LINEAR) {
        world_dot_all(w, params, out);
        return;
    }
    if (MODEL_BATCHED && !w->onehot) {
        forward_batched(m, params, out);
        return;
    }
    const int n = w->n_cells, D = w->dim, H1 = m->h1, H2 = m->h2;
    const model_activation A = m->s.activation;
    const double *W1 = params, *b1 = params + m->o_b1, *W2 = params + m->o_w2,
                 *b2 = params + m->o_b2, *wo = params + m->o_out;
    if (w->onehot) {
        for (int i = 0; i < n; i++) {
            const double *col = W1 + (size_t)i * H1;
            double *h1 = m->a1 + (size_t)i * H1;
            for (int j = 0; j < H1; j++)
                h1[j] = b1[j] + col[j];
        }
    } else {
        m->k->dense_rows(w->phi, n, D, W1, b1, H1, m->a1);
    }
    activate_all(A, m->a1, (size_t)n * H1);
    const double *last = m->a1;
    int HL = H1;
    if (H2) {
        m->k->dense_rows(m->a1, n, H1, W2, b2, H2, m->a2);
        activate_all(A, m->a2, (size_t)n * H2);
        last = m->a2, HL = H2;
    }
    for (int i = 0; i < n; i++) {
        const double *a = last + (size_t)i * HL;
        double s = 0;
        for (int j = 0; j < HL; j++)
            s += wo[j] * a[j];
        out[i] = s;
    }
}

/* The backward pass of nb (<= BLOCK) cells, in cell order for every sum. */
static inline __attribute__((always_inline)) void backward_cells(model *m, const double *params, const double *g_cell,
                                  const int *cells, int nb, double *grad)
{
    const world *w = m->w;
    const int D = w->dim, H1 = m->h1, H2 = m->h2;
    const model_activation A = m->s.activation;
    const double *wo = params + m->o_out;
    double *gW1 = grad, *gb1 = grad + m->o_b1, *gW2 = grad + m->o_w2, *gb2 = grad + m->o_b2,
           *gwo = grad + m->o_out;
    const double *h1s[BLOCK], *xs[BLOCK], *d1s[BLOCK], *d2s[BLOCK];
    for (int b = 0; b < nb; b++) {
        const int i = cells[b];
        const double g = g_cell[i];
        const double *h1 = m->a1 + (size_t)i * H1;
        double *restrict d1 = m->d1 + (size_t)b * H1;
        h1s[b] = h1, d1s[b] = d1;
        xs[b] = w->onehot ? NULL : w->phi + (size_t)i * D;
        if (H2) {
            const double *h2 = m->a2 + (size_t)i * H2;
            double *restrict d2 = m->d2 + (size_t)b * H2;
            d2s[b] = d2;
            for (int l = 0; l < H2; l++) {
                gwo[l] += g * h2[l];
                d2[l] = g * wo[l] * act_grad(A, h2[l]);
                gb2[l] += d2[l];
            }
            /* d1 = (W2 d2) act'(h1) */
            m->k->wt_times(m->w2t, H1, H2, d2, d1);
            for (int j = 0; j < H1; j++)
                d1[j] *= act_grad(A, h1[j]);
        } else {
            for (int j = 0; j < H1; j++) {
                gwo[j] += g * h1[j];
                d1[j] = g * wo[j] * act_grad(A, h1[j]);
            }
        }
        for (int j = 0; j < H1; j++)
            gb1[j] += d1[j];
        if (w->onehot) { /* each cell its own row of W1 */
            double *grow = gW1 + (size_t)i * H1;
            for (int j = 0; j < H1; j++)
                grow[j] += d1[j];
        }
    }
    if (H2) /* gW2 += h1 d2^T */
        m->k->outer_add(gW2, H1, H2, h1s, d2s, nb);
    if (!w->onehot) /* gW1 += x d1^T */
        m->k->outer_add(gW1, D, H1, xs, d1s, nb);
}

MODEL_CLONES
void model_backward(model *m, const double *params, const double *g_cell, double *grad)
{
    const world *w = m->w;
    if (m->s.kind == MODEL_LINEAR) {
        world_dot_transpose(w, g_cell, grad);
        return;
    }
    if (MODEL_BATCHED && !w->onehot) {
        backward_batched(m, params, g_cell, grad);
        return;
    }
    const int H1 = m->h1, H2 = m->h2;
    const double *W2 = params + m->o_w2;
    memset(grad, 0, m->n_params * sizeof *grad);
    if (H2) /* W2 d2 below runs across outputs j, over W2's columns */
        for (int j = 0; j < H1; j++)
            for (int l = 0; l < H2; l++)
                m->w2t[(size_t)l * H1 + j] = W2[(size_t)j * H2 + l];
    /* the cells with a gradient, BLOCK at a time */
    int cells[BLOCK], nb = 0;
    for (int i = 0; i < w->n_cells; i++) {
        if (g_cell[i] == 0)
            continue; /* pair and sampled gradients touch few cells */
        cells[nb++] = i;
        if (nb == BLOCK) {
            backward_cells(m, params, g_cell, cells, nb, grad);
            nb = 0;
        }
    }
    if (nb)
        backward_cells(m, params, g_cell, cells, nb, grad);
}

void model_forward_cells(model *m, const double *params, const int *cells, int n,
                         double *out)
{
    if (m->s.kind == MODEL_LINEAR)
        world_dot_cells(m->w, params, cells, n, out);
    else
        model_forward(m, params, out);
}

void model_backward_cells(model *m, const double *params, const double *g_cell,
                          const int *cells, int n, double *grad)
{
    if (m->s.kind == MODEL_LINEAR)
        world_dot_transpose_cells(m->w, g_cell, cells, n, grad);
    else
        model_backward(m, params, g_cell, grad);
}

void model_adam_step(model *m, const double *grad, double lr, double *step)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    m->adam_t++;
    const double c1 = 1 - pow(b1, (double)m->adam_t), c2 = 1 - pow(b2, (double)m->adam_t);
    for (int j = 0; j < m->n_params; j++) {
        m->mom1[j] = b1 * m->mom1[j] + (1 - b1) * grad[j];
        m->mom2[j] = b2 * m->mom2[j] + (1 - b2) * grad[j] * grad[j];
        step[j] = -lr * (m->mom1[j] / c1) / (sqrt(m->mom2[j] / c2) + eps);
    }
}

void model_adam_reset(model *m)
{
    memset(m->mom1, 0, m->n_params * sizeof *m->mom1);
    memset(m->mom2, 0, m->n_params * sizeof *m->mom2);
    m->adam_t = 0;
}
