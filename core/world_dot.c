/* world_dot.c — see world.h: the feature products phi . theta and Phi^T g
 * that linear models run every step (world.c builds the world). */
#include "world.h"
#include "world_kernels.h"

#include <string.h>
#include <gsl/gsl_cblas.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

double world_dot(const world *w, int cell, const double *theta)
{
    if (w->onehot)
        return theta[cell];
    const double *p = w->phi + (size_t)cell * w->dim;
    double s = 0;
    for (int k = 0; k < w->dim; k++)
        s += p[k] * theta[k];
    return s;
}

/* Phi is n_cells x dim, row-major. With GSL's reference CBLAS (the default
 * build) plain loops are faster at every size measured (32 to 512 features;
 * README's Benchmark), so the loops are used; a build linked to OpenBLAS
 * (-DOVERSIM_BLAS=openblas) uses its dgemv, which is faster at every size.
 * Either way a product's sums run in a fixed order on one thread (OpenBLAS is
 * pinned to one thread in world_new), so results do not depend on how many
 * workers a sweep uses. */
#ifdef OVERSIM_OPENBLAS
#define WORLD_USE_BLAS 1
#else
#define WORLD_USE_BLAS 0
#endif

/* The products of four cells' features with theta into res[0..3], each sum in
 * feature order from 0 as world_dot adds it (so the same bits): one sum is a
 * chain of dependent additions; four hide each other's latency (W1's 1024 x
 * 32 pass: 8.2 us -> 4.5 us). On x86-64 the sums go in pairs through SSE2
 * registers, two features a step, as the compiler vectorised the loop when
 * it wrote four adjacent outputs (and did not, scalar chains 20% slower,
 * once the four cells came from a list): each lane still multiplies then
 * adds, feature by feature, so the bits are the scalar loop's. */
static inline void dot_four(const double *restrict phi, int d, const double *restrict theta,
                            const int c[4], double *restrict res)
{
    const double *p0 = phi + (size_t)c[0] * d, *p1 = phi + (size_t)c[1] * d,
                 *p2 = phi + (size_t)c[2] * d, *p3 = phi + (size_t)c[3] * d;
    int k = 0;
#ifdef __SSE2__
    __m128d s01 = _mm_setzero_pd(), s23 = _mm_setzero_pd();
    for (; k + 2 <= d; k += 2) {
        const __m128d t = _mm_loadu_pd(theta + k);
        const __m128d x0 = _mm_mul_pd(_mm_loadu_pd(p0 + k), t);
        const __m128d x1 = _mm_mul_pd(_mm_loadu_pd(p1 + k), t);
        const __m128d x2 = _mm_mul_pd(_mm_loadu_pd(p2 + k), t);
        const __m128d x3 = _mm_mul_pd(_mm_loadu_pd(p3 + k), t);
        s01 = _mm_add_pd(s01, _mm_unpacklo_pd(x0, x1)); /* feature k */
        s23 = _mm_add_pd(s23, _mm_unpacklo_pd(x2, x3));
        s01 = _mm_add_pd(s01, _mm_unpackhi_pd(x0, x1)); /* feature k + 1 */
        s23 = _mm_add_pd(s23, _mm_unpackhi_pd(x2, x3));
    }
    double s[4];
    _mm_storeu_pd(s, s01);
    _mm_storeu_pd(s + 2, s23);
    double s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
#else
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#endif
    for (; k < d; k++) {
        const double t = theta[k];
        s0 += p0[k] * t;
        s1 += p1[k] * t;
        s2 += p2[k] * t;
        s3 += p3[k] * t;
    }
    res[0] = s0, res[1] = s1, res[2] = s2, res[3] = s3;
}

void world_dot_all(const world *w, const double *theta, double *out)
{
    if (w->onehot) {
        memcpy(out, theta, w->n_cells * sizeof *out);
        return;
    }
    const int d = w->dim;
    if (WORLD_USE_BLAS) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, w->n_cells, d, 1.0, w->phi, d, theta, 1,
                    0.0, out, 1);
        return;
    }
    int i = 0;
    for (; i + 4 <= w->n_cells; i += 4) {
        const int c[4] = { i, i + 1, i + 2, i + 3 };
        dot_four(w->phi, d, theta, c, out + i);
    }
    for (; i < w->n_cells; i++)
        out[i] = world_dot(w, i, theta);
}

void world_dot_cells(const world *w, const double *theta, const int *cells, int n,
                     double *out)
{
    if (w->onehot) {
        for (int j = 0; j < n; j++)
            out[cells[j]] = theta[cells[j]];
        return;
    }
    if (WORLD_USE_BLAS) {
        world_dot_all(w, theta, out);
        return;
    }
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        double res[4];
        dot_four(w->phi, w->dim, theta, cells + j, res);
        for (int q = 0; q < 4; q++)
            out[cells[j + q]] = res[q];
    }
    for (; j < n; j++)
        out[cells[j]] = world_dot(w, cells[j], theta);
}

void world_dot_transpose(const world *w, const double *g, double *theta_grad)
{
    if (w->onehot) {
        memcpy(theta_grad, g, w->n_cells * sizeof *theta_grad);
        return;
    }
    const int d = w->dim;
    if (WORLD_USE_BLAS) {
        cblas_dgemv(CblasRowMajor, CblasTrans, w->n_cells, d, 1.0, w->phi, d, g, 1, 0.0,
                    theta_grad, 1);
        return;
    }
    memset(theta_grad, 0, d * sizeof *theta_grad);
    /* the cells with g != 0 in ascending order (REINFORCE and pair gradients
     * touch few cells), the vectors across features (world_kernels.h): every
     * theta_grad[k] adds its terms one by one in cell order, the bits of one
     * cell at a time */
    world_kernels_get()->add_rows(theta_grad, d, w->phi, g, NULL, w->n_cells);
}

void world_dot_transpose_cells(const world *w, const double *g, const int *cells, int n,
                               double *theta_grad)
{
    if (w->onehot || WORLD_USE_BLAS) {
        world_dot_transpose(w, g, theta_grad);
        return;
    }
    const int d = w->dim;
    memset(theta_grad, 0, d * sizeof *theta_grad);
    /* the loop of world_dot_transpose over the listed cells only: every
     * other cell has g 0, which that loop skips */
    world_kernels_get()->add_rows(theta_grad, d, w->phi, g, cells, n);
}
