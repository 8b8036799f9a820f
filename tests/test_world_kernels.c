/* test_world_kernels.c — every build of the linear models' feature products
 * this processor can run (AVX2, baseline: world_kernels_all) gives the plain
 * loop's bits exactly: feature counts below, at and past every block (1 to
 * 100: blocks of 8, 4 and 1 vectors and the scalar rest), cells all or
 * listed, some with g exactly 0 (skipped), t starting nonzero. The products
 * in place: test_world.c. */
#include "helpers.h"
#include <gsl/gsl_randist.h>
#include "world_kernels.h"
#include "rng.h"

/* The plain loop world_kernels.h describes. */
static void add_rows_plain(double *t, int d, const double *phi, const double *g,
                           const int *cells, int n)
{
    for (int j = 0; j < n; j++) {
        const int c = cells ? cells[j] : j;
        if (g[c] == 0)
            continue;
        for (int k = 0; k < d; k++)
            t[k] += g[c] * phi[(size_t)c * d + k];
    }
}

static void test_every_build_is_the_plain_loop(void **state)
{
    (void)state;
    const world_kernels *all[2];
    int nk = world_kernels_all(all, 2);
    assert_int_equal(nk, oversim_simd_level() >= 1 ? 2 : 1); /* AVX2 where it runs */
    assert_string_equal(all[nk - 1]->name, "baseline"); /* always there, last */
    assert_ptr_equal(world_kernels_get(), all[0]);     /* the widest runs */
    gsl_rng *r = rng_new(29, 0);
    const int dims[] = { 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 36, 48, 64, 65, 100 };
    const int counts[] = { 0, 1, 5, 37 };
    for (int a = 0; a < (int)(sizeof dims / sizeof *dims); a++)
        for (int b = 0; b < (int)(sizeof counts / sizeof *counts); b++) {
            const int d = dims[a], n = counts[b], cells_n = 2 * n + 1;
            double *phi = malloc(sizeof(double) * cells_n * d), *g = malloc(sizeof(double) * cells_n);
            double t0[100], want[100], got[100];
            int *list = malloc(sizeof(int) * (n + 1));
            for (int i = 0; i < cells_n * d; i++)
                phi[i] = gsl_ran_gaussian(r, 1);
            for (int i = 0; i < cells_n; i++)
                g[i] = i % 3 == 1 ? 0 : gsl_ran_gaussian(r, 1) * 1e-3;
            for (int k = 0; k < d; k++)
                t0[k] = gsl_ran_gaussian(r, 1);
            for (int j = 0; j < n; j++) /* ascending, every other cell from 1 */
                list[j] = 2 * j + (j % 2);
            for (int q = 0; q < nk; q++)
                for (int listed = 0; listed < 2; listed++) {
                    const int *cells = listed ? list : NULL;
                    const int m = listed ? n : cells_n;
                    memcpy(want, t0, sizeof(double) * d);
                    memcpy(got, t0, sizeof(double) * d);
                    add_rows_plain(want, d, phi, g, cells, m);
                    all[q]->add_rows(got, d, phi, g, cells, m);
                    assert_memory_equal(got, want, sizeof(double) * d);
                }
            free(phi), free(g), free(list);
        }
    rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_build_is_the_plain_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
