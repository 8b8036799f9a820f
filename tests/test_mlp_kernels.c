/* test_mlp_kernels.c — every build of the MLP's products this processor can
 * run (AVX-512, AVX2, baseline: mlp_kernels_all) gives the plain loops' bits
 * exactly, at sizes that reach every block and every remainder: rows 4k and
 * 4k + 1..3, outputs multiples of the widest blocks and not, blocks of cells
 * full and part. The model's own passes: test_model.c. */
#include "helpers.h"
#include <gsl/gsl_randist.h>
#include "mlp_kernels.h"
#include "rng.h"

static void fill(gsl_rng *r, double *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = gsl_ran_gaussian(r, 1);
}

/* The processor gets the widest build it runs: on GCC for x86-64, AVX-512
 * where it has AVX-512F, else AVX2 where it has AVX2 (up to OVERSIM_SIMD_MAX),
 * for the MLP's kernels and the features' alike (world_kernels has no
 * AVX-512 build) — so the vector builds are the ones tested below. */
static void test_the_widest_build_runs(void **state)
{
    (void)state;
    int want = 0;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    __builtin_cpu_init();
    if (OVERSIM_SIMD_MAX >= 2 && __builtin_cpu_supports("avx512f"))
        want = 2;
    else if (OVERSIM_SIMD_MAX >= 1 && __builtin_cpu_supports("avx2"))
        want = 1;
#endif
    assert_int_equal(oversim_simd_level(), want);
    const char *names[] = { "baseline", "avx2", "avx512" };
    assert_string_equal(mlp_kernels_get()->name, names[want]);
    const mlp_kernels *all[3];
    assert_int_equal(mlp_kernels_all(all, 3), want + 1);
}

static void test_every_build_is_the_plain_loops(void **state)
{
    (void)state;
    const mlp_kernels *all[3];
    int nk = mlp_kernels_all(all, 3);
    assert_true(nk >= 1);
    assert_string_equal(all[nk - 1]->name, "baseline"); /* always there, last */
    assert_ptr_equal(mlp_kernels_get(), all[0]);       /* the widest runs */
    gsl_rng *r = rng_new(23, 0);
    const int sizes[][3] = { /* n (rows), D (inputs / H2), H (outputs / H1) */
        { 4, 3, 16 }, { 7, 5, 12 }, { 9, 32, 64 }, { 11, 7, 40 }, { 1, 1, 1 }, { 6, 2, 65 },
    };
    for (int s = 0; s < (int)(sizeof sizes / sizeof *sizes); s++) {
        const int n = sizes[s][0], D = sizes[s][1], H = sizes[s][2];
        double *X = malloc(sizeof(double) * n * D), *W = malloc(sizeof(double) * D * H);
        double *b = malloc(sizeof(double) * H), *out = malloc(sizeof(double) * n * H);
        double *want = malloc(sizeof(double) * n * H);
        double *G = malloc(sizeof(double) * D * H), *G0 = malloc(sizeof(double) * D * H);
        double *Gw = malloc(sizeof(double) * D * H);
        double *u = malloc(sizeof(double) * MLP_BLOCK * D);
        double *v = malloc(sizeof(double) * MLP_BLOCK * H);
        double d1[65], d1w[65];
        fill(r, X, n * D), fill(r, W, D * H), fill(r, b, H), fill(r, G0, D * H);
        fill(r, u, MLP_BLOCK * D), fill(r, v, MLP_BLOCK * H);
        /* the plain loops */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < H; j++) {
                double t = b[j];
                for (int k = 0; k < D; k++)
                    t += X[i * D + k] * W[k * H + j];
                want[i * H + j] = t;
            }
        for (int j = 0; j < H; j++) { /* W as W^T of a D x H W2: d1 = W2 d2 */
            double t = 0;
            for (int l = 0; l < D; l++)
                t += W[l * H + j] * X[l % (n * D)];
            d1w[j] = t;
        }
        const double *us[MLP_BLOCK], *vs[MLP_BLOCK];
        for (int q = 0; q < MLP_BLOCK; q++)
            us[q] = u + q * D, vs[q] = v + q * H;
        for (int nb = 1; nb <= MLP_BLOCK; nb++) {
            memcpy(Gw, G0, sizeof(double) * D * H);
            for (int q = 0; q < nb; q++)
                for (int rr = 0; rr < D; rr++)
                    for (int c = 0; c < H; c++)
                        Gw[rr * H + c] += us[q][rr] * vs[q][c];
            for (int k = 0; k < nk; k++) {
                memcpy(G, G0, sizeof(double) * D * H);
                all[k]->outer_add(G, D, H, us, vs, nb);
                if (memcmp(G, Gw, sizeof(double) * D * H))
                    fail_msg("%s outer_add differs (%d x %d, %d cells)", all[k]->name, D, H, nb);
            }
        }
        double d2[32];
        for (int l = 0; l < D; l++)
            d2[l] = X[l % (n * D)];
        for (int k = 0; k < nk; k++) {
            all[k]->dense_rows(X, n, D, W, b, H, out);
            if (memcmp(out, want, sizeof(double) * n * H))
                fail_msg("%s dense_rows differs (%d x %d -> %d)", all[k]->name, n, D, H);
            all[k]->wt_times(W, H, D, d2, d1);
            if (memcmp(d1, d1w, sizeof(double) * H))
                fail_msg("%s wt_times differs (%d x %d)", all[k]->name, D, H);
        }
        free(X), free(W), free(b), free(out), free(want), free(G), free(G0), free(Gw);
        free(u), free(v);
    }
    rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_widest_build_runs),
        cmocka_unit_test(test_every_build_is_the_plain_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
