/* test_rng.c — rng: one reproducible stream per (seed, run id), and
 * rng_pick_cumulative's frequencies. */
#include "helpers.h"
#include "rng.h"
#include <gsl/gsl_randist.h>

#define NDRAW 1000

static void draw(uint64_t seed, uint64_t run, unsigned long *out)
{
    gsl_rng *r = rng_new(seed, run);
    assert_non_null(r);
    for (int i = 0; i < NDRAW; i++)
        out[i] = gsl_rng_get(r);
    rng_free(r);
}

/* Number of positions where two sequences agree. Two independent MT19937
 * streams agree on a 32-bit draw with probability 2^-32, so any agreement at
 * all between "different" streams would be suspicious; we allow a handful. */
static int n_same(const unsigned long *a, const unsigned long *b)
{
    int n = 0;
    for (int i = 0; i < NDRAW; i++)
        n += a[i] == b[i];
    return n;
}

static void test_same_seed_same_sequence(void **state)
{
    (void)state;
    unsigned long a[NDRAW], b[NDRAW];
    draw(42, 7, a);
    draw(42, 7, b);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(rng_derive_seed(42, 7), rng_derive_seed(42, 7));
}

static void test_different_seed_or_run_differs(void **state)
{
    (void)state;
    unsigned long base[NDRAW], x[NDRAW];
    draw(42, 7, base);
    draw(43, 7, x); /* neighbouring seed */
    assert_true(n_same(base, x) < 5);
    draw(42, 8, x); /* neighbouring run id */
    assert_true(n_same(base, x) < 5);
    draw(7, 42, x); /* swapped: (seed, run) is not symmetric */
    assert_true(n_same(base, x) < 5);
    /* seed 0 and run 0 are ordinary inputs, not gsl's default seed */
    unsigned long z[NDRAW];
    draw(0, 0, z);
    draw(0, 1, x);
    assert_true(n_same(z, x) < 5);
    gsl_rng *d = gsl_rng_alloc(gsl_rng_mt19937); /* default seed 4357 */
    for (int i = 0; i < NDRAW; i++)
        x[i] = gsl_rng_get(d);
    gsl_rng_free(d);
    assert_true(n_same(z, x) < 5);
}

static void test_derived_seeds_distinct(void **state)
{
    (void)state;
    /* 64 seeds x 64 runs: 4096 derived 32-bit seeds. A collision among them
     * has probability about 4096^2 / 2^33 = 0.002 for a good mixer, and the
     * inputs are fixed, so this is deterministic. */
    enum { N = 64 };
    static uint32_t s[N * N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s[i * N + j] = rng_derive_seed(i, j);
            assert_int_not_equal(s[i * N + j], 0);
        }
    int coll = 0;
    for (int i = 0; i < N * N; i++)
        for (int j = i + 1; j < N * N; j++)
            coll += s[i] == s[j];
    assert_int_equal(coll, 0);
}

/* Draw n times from cum and check each frequency against weight / total
 * within 5 standard errors sqrt(p (1 - p) / n); zero weights exactly 0. */
static void check_pick(const double *weight, int k, int n, uint64_t seed)
{
    double cum[16], total = 0;
    for (int i = 0; i < k; i++)
        cum[i] = total += weight[i];
    long count[16] = { 0 };
    gsl_rng *r = rng_new(seed, 1);
    for (int t = 0; t < n; t++) {
        int i = rng_pick_cumulative(r, cum, k);
        assert_in_range(i, 0, k - 1);
        count[i]++;
    }
    rng_free(r);
    for (int i = 0; i < k; i++) {
        double p = weight[i] / total;
        if (p == 0) {
            assert_int_equal(count[i], 0);
            continue;
        }
        double se = sqrt(p * (1 - p) / n);
        assert_close((double)count[i] / n, p, 5 * se);
    }
}

/* The first i with u < cum[i], or n - 1: the search's definition, by a scan. */
static int first_above(const double *cum, int n, double u)
{
    for (int i = 0; i < n; i++)
        if (u < cum[i])
            return i;
    return n - 1;
}

/* The branch-free search is the scan, exactly: every prefix length 1..13 of
 * weights with zeros (ties in cum) at the start, middle and end, at every cum
 * value, one step either side of it, 0, the total, beyond it and NaN; and
 * rng_pick_cumulative is the search of one uniform times the total (the same
 * stream replayed). */
static void test_search_cumulative_exact(void **state)
{
    (void)state;
    const double weight[13] = { 0, 0.25, 0, 0, 1.5, 0.125, 0, 3, 0.5, 0.5, 0, 2, 0 };
    double cum[13], total = 0;
    for (int i = 0; i < 13; i++)
        cum[i] = total += weight[i];
    for (int n = 1; n <= 13; n++) {
        for (int i = -1; i <= n; i++) {
            double base = i < 0 ? 0 : i < n ? cum[i] : cum[n - 1] * 2;
            const double us[3] = { nextafter(base, -INFINITY), base, nextafter(base, INFINITY) };
            for (int j = 0; j < 3; j++)
                assert_int_equal(rng_search_cumulative(cum, n, us[j]),
                                 first_above(cum, n, us[j]));
        }
        assert_int_equal(rng_search_cumulative(cum, n, NAN), n - 1);
    }
    gsl_rng *a = rng_new(7, 3), *b = rng_new(7, 3);
    for (int t = 0; t < 10000; t++) {
        int n = 1 + t % 13;
        if (cum[n - 1] == 0)
            continue; /* a total of 0 is not a distribution */
        double u = gsl_rng_uniform(b) * cum[n - 1];
        assert_int_equal(rng_pick_cumulative(a, cum, n), first_above(cum, n, u));
    }
    rng_free(a);
    rng_free(b);
}

static void test_pick_cumulative_frequencies(void **state)
{
    (void)state;
    /* 200k draws: the 5-se band on p = 0.5 is +-0.0056; a pick off by one
     * index (the usual binary-search bug) moves mass by >= 0.1. */
    const double w1[] = { 0.2, 0.0, 0.5, 0.0, 0.3 };
    check_pick(w1, 5, 200000, 11);
    /* leading and trailing zero weights, unnormalised total 10 */
    const double w2[] = { 0.0, 0.0, 4.0, 1.0, 5.0, 0.0 };
    check_pick(w2, 6, 200000, 12);
    /* a single entry always wins */
    const double w3[] = { 3.0 };
    check_pick(w3, 1, 1000, 13);
    /* very unequal weights: the rare entry still appears at its rate */
    const double w4[] = { 1e-3, 1.0 - 1e-3 };
    check_pick(w4, 2, 200000, 14);
}

/* The recursion's per-level streams: the formula is pinned (changing it
 * changes every recursive result), wraps modulo 2^64, and a run's levels
 * 1..8 never land on a neighbouring run's own stream. */
static void test_substream_formula(void **state)
{
    (void)state;
    assert_true(rng_substream(0, 1) == 1);
    assert_true(rng_substream(1, 1) == 1000004u);
    assert_true(rng_substream(7, 3) == 7u * 1000003u + 3u);
    assert_true(rng_substream(UINT64_MAX, 2) == UINT64_MAX - 1000000u); /* -1000003 + 2 */
    for (uint64_t run = 1; run < 50; run++)
        for (uint64_t k = 1; k <= 8; k++)
            for (uint64_t other = 1; other < 50; other++)
                assert_true(rng_substream(run, k) != other);
}

/* rng_pick_probs: zero entries are never drawn, frequencies follow p, a
 * draw past the summed mass falls on the last positive entry, and an
 * all-zero row gives -1. */
static void test_pick_probs(void **state)
{
    (void)state;
    gsl_rng *r = rng_new(3, 4);
    const double p[5] = { 0, 0.25, 0, 0.75, 0 };
    int count[5] = { 0 };
    for (int i = 0; i < 40000; i++)
        count[rng_pick_probs(r, p, 5)]++;
    assert_int_equal(count[0] + count[2] + count[4], 0);
    /* 5 standard errors: sqrt(0.25 * 0.75 / 40000) ~ 0.0022 */
    assert_close(count[1] / 40000.0, 0.25, 0.011);
    /* mass 0.5 in all: draws u >= 0.5 take the last positive entry */
    const double half[3] = { 0.2, 0, 0.3 };
    int last = 0;
    for (int i = 0; i < 40000; i++)
        last += rng_pick_probs(r, half, 3) == 2;
    assert_close(last / 40000.0, 0.8, 0.011);
    const double none[2] = { 0, 0 };
    assert_int_equal(rng_pick_probs(r, none, 2), -1);
    rng_free(r);
}

/* rng_mt19937 is GSL's gsl_rng_mt19937 number for number: the raw 32-bit
 * words, gsl_rng_uniform and rng_uniform (inline), and GSL's own draws on it
 * (Gaussian, Poisson, uniform_int, uniform_pos), from seeds 0 (GSL's 4357),
 * 1, 4357, 2^32 - 1 and run-derived ones, over 10^6 words (1,600 refills),
 * and after a reseed midway; rng_uniform on another GSL type draws through
 * GSL. */
static void test_mt19937_is_gsl(void **state)
{
    (void)state;
    const unsigned long seeds[] = { 0, 1, 4357, 0xffffffffUL, rng_derive_seed(7, 3),
                                    rng_derive_seed(1, 1) };
    for (unsigned j = 0; j < sizeof seeds / sizeof seeds[0]; j++) {
        gsl_rng *a = gsl_rng_alloc(rng_mt19937), *b = gsl_rng_alloc(gsl_rng_mt19937);
        assert_non_null(a);
        assert_non_null(b);
        gsl_rng_set(a, seeds[j]);
        gsl_rng_set(b, seeds[j]);
        int n = j == 0 ? 1000000 : 20000;
        for (int i = 0; i < n; i++) {
            switch (i % 7) {
            case 0: assert_int_equal(gsl_rng_get(a), gsl_rng_get(b)); break;
            case 1: {
                double x = rng_uniform(a), y = gsl_rng_uniform(b);
                assert_memory_equal(&x, &y, sizeof x);
                break;
            }
            case 2: {
                double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
                assert_memory_equal(&x, &y, sizeof x);
                break;
            }
            case 3: {
                double x = gsl_ran_gaussian(a, 2), y = gsl_ran_gaussian(b, 2);
                assert_memory_equal(&x, &y, sizeof x);
                break;
            }
            case 4: assert_int_equal(gsl_ran_poisson(a, 1.5), gsl_ran_poisson(b, 1.5)); break;
            case 5:
                assert_int_equal(gsl_rng_uniform_int(a, 1000 + i % 97),
                                 gsl_rng_uniform_int(b, 1000 + i % 97));
                break;
            default: {
                double x = gsl_rng_uniform_pos(a), y = gsl_rng_uniform_pos(b);
                assert_memory_equal(&x, &y, sizeof x);
            }
            }
            if (i == n / 2) { /* reseeded midway */
                gsl_rng_set(a, seeds[j] + 11);
                gsl_rng_set(b, seeds[j] + 11);
            }
        }
        assert_int_equal(gsl_rng_max(a), gsl_rng_max(b));
        assert_int_equal(gsl_rng_min(a), gsl_rng_min(b));
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    /* streams from rng_new are this generator */
    gsl_rng *r = rng_new(5, 2), *g = gsl_rng_alloc(gsl_rng_mt19937);
    assert_ptr_equal(r->type, rng_mt19937);
    gsl_rng_set(g, rng_derive_seed(5, 2));
    for (int i = 0; i < 5000; i++) {
        double x = rng_uniform(r), y = gsl_rng_uniform(g);
        assert_memory_equal(&x, &y, sizeof x);
    }
    rng_free(r);
    /* another type: rng_uniform is gsl_rng_uniform */
    gsl_rng *t1 = gsl_rng_alloc(gsl_rng_taus2), *t2 = gsl_rng_alloc(gsl_rng_taus2);
    for (int i = 0; i < 1000; i++) {
        double x = rng_uniform(t1), y = gsl_rng_uniform(t2);
        assert_memory_equal(&x, &y, sizeof x);
    }
    gsl_rng_free(t1), gsl_rng_free(t2), gsl_rng_free(g);
}

/* rng_uniform_n is rng_uniform, number for number: blocks of every length
 * from 0 to 1,300 (across refills, starting anywhere in the state) mixed
 * with single draws, on rng_mt19937 against GSL's own generator, and on
 * another GSL type. */
static void test_uniform_n(void **state)
{
    (void)state;
    gsl_rng *a = rng_new(3, 9), *b = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(a);
    assert_non_null(b);
    gsl_rng_set(b, rng_derive_seed(3, 9));
    static double buf[1300];
    for (int len = 0; len <= 1300; len += 1 + len / 7) {
        rng_uniform_n(a, buf, len);
        for (int i = 0; i < len; i++) {
            double y = gsl_rng_uniform(b);
            assert_memory_equal(&buf[i], &y, sizeof y);
        }
        double x = rng_uniform(a), y = gsl_rng_uniform(b); /* shifts the block starts */
        assert_memory_equal(&x, &y, sizeof x);
    }
    rng_free(a);
    gsl_rng *t1 = gsl_rng_alloc(gsl_rng_taus2), *t2 = gsl_rng_alloc(gsl_rng_taus2);
    rng_uniform_n(t1, buf, 100);
    for (int i = 0; i < 100; i++) {
        double y = gsl_rng_uniform(t2);
        assert_memory_equal(&buf[i], &y, sizeof y);
    }
    gsl_rng_free(t1), gsl_rng_free(t2), gsl_rng_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_sequence),
        cmocka_unit_test(test_different_seed_or_run_differs),
        cmocka_unit_test(test_derived_seeds_distinct),
        cmocka_unit_test(test_pick_cumulative_frequencies),
        cmocka_unit_test(test_search_cumulative_exact),
        cmocka_unit_test(test_substream_formula),
        cmocka_unit_test(test_pick_probs),
        cmocka_unit_test(test_mt19937_is_gsl),
        cmocka_unit_test(test_uniform_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
