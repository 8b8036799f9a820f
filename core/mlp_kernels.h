/* mlp_kernels.h — the MLP's dense products, built for the widest vectors the
 * processor has.
 * Owns: three products (a dense layer over rows, W2^T d2, rank-one updates of
 *       a gradient block), each compiled for AVX-512, AVX2 and baseline x86-64
 *       (mlp_kernels.c includes mlp_kernels.inc once per target) and chosen
 *       once, at the first call of mlp_kernels_get, by what the processor
 *       supports.
 * Every output is summed in the same order in all three — the vectors run
 * across outputs, never across a sum — and nothing is fused into an FMA
 * (-ffp-contract=off), so every build gives the same bits; tests/test_model.c
 * checks each against the plain loops bit for bit. */
#ifndef OVERSIM_MLP_KERNELS_H
#define OVERSIM_MLP_KERNELS_H

/* The widest builds a binary may use: 2 (AVX-512, AVX2, baseline; the
 * default), 1 (AVX2 and baseline) or 0 (baseline only). -DOVERSIM_SIMD_MAX=N
 * builds what a processor without the wider vectors runs, here. */
#ifndef OVERSIM_SIMD_MAX
#define OVERSIM_SIMD_MAX 2
#endif

/* Cells the backward pass's rank-one updates take at once. */
#define MLP_BLOCK 4

typedef struct mlp_kernels {
    const char *name; /* "avx512", "avx2" or "baseline" */
    /* out[i][j] = b[j] + sum_k X[i][k] W[k][j], i < n, j < H; X is n x D,
     * W is D x H; each sum from b[j] in k order */
    void (*dense_rows)(const double *X, int n, int D, const double *W, const double *b,
                       int H, double *out);
    /* d1[j] = sum_l WT[l][j] d2[l], j < H1, l < H2 (WT is H2 x H1); each sum
     * from 0 in l order */
    void (*wt_times)(const double *WT, int H1, int H2, const double *d2, double *d1);
    /* G[r][c] += u_b[r] v_b[c] for b = 0 .. nb-1 in order (nb <= MLP_BLOCK),
     * G rows x cols */
    void (*outer_add)(double *G, int rows, int cols, const double *const *u,
                      const double *const *v, int nb);
} mlp_kernels;

/* The widest vectors this processor runs that this binary may use: 2
 * (AVX-512F), 1 (AVX2) or 0 (baseline), at most OVERSIM_SIMD_MAX; 0 where
 * the core has no wider builds (not GCC on x86-64). The one rule world_kernels
 * also picks its build by. */
int oversim_simd_level(void);

/* The kernels for this processor (the same table on every call). */
const mlp_kernels *mlp_kernels_get(void);

/* Every build this binary has, for tests: up to 3, the running processor's
 * supported ones only; returns how many were written to out. */
int mlp_kernels_all(const mlp_kernels **out, int max);

#endif
