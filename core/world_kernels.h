/* world_kernels.h — the linear models' feature products, built for the
 * vectors the processor has.
 * Owns: the transpose's accumulation t += sum over cells of g[c] phi[c] (the
 *       vectors across features, each t[k] adding its terms cell by cell in
 *       the listed order), compiled for AVX2 and baseline x86-64
 *       (world_kernels.c includes world_kernels.inc once per target) and
 *       chosen by what the processor supports, as mlp_kernels.h does
 *       (OVERSIM_SIMD_MAX 0 keeps the baseline).
 * Uses: nothing. No FMA (-ffp-contract=off): every build gives the bits of the
 * plain loop; tests/test_world_kernels.c checks each bit for bit. */
#ifndef OVERSIM_WORLD_KERNELS_H
#define OVERSIM_WORLD_KERNELS_H

#include "mlp_kernels.h" /* OVERSIM_SIMD_MAX */

typedef struct world_kernels {
    const char *name; /* "avx2" or "baseline" */
    /* t[k] += g[c] * phi[c * d + k] for k < d, over the cells c = cells[j],
     * j < n in that order (cells NULL: c = j), skipping cells with g[c] == 0:
     * each t[k] adds its terms one by one in that order */
    void (*add_rows)(double *t, int d, const double *phi, const double *g, const int *cells,
                     int n);
} world_kernels;

/* The kernels for this processor (the same table on every call). */
const world_kernels *world_kernels_get(void);

/* Every build this binary has, for tests: up to 2, the running processor's
 * supported ones only, widest first; returns how many were written. */
int world_kernels_all(const world_kernels **out, int max);

#endif
