/* rng.c — see rng.h. */
#include "rng.h"

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

uint32_t rng_derive_seed(uint64_t seed, uint64_t run_id)
{
    uint64_t h = splitmix64(splitmix64(seed) ^ splitmix64(run_id + 0x5851F42D4C957F2Dull));
    uint32_t s = (uint32_t)(h ^ (h >> 32));
    /* gsl's mt19937 treats seed 0 as its default seed 4357; keep streams apart. */
    return s ? s : 0x6A09E667u;
}

gsl_rng *rng_new(uint64_t seed, uint64_t run_id)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, rng_derive_seed(seed, run_id));
    return r;
}

void rng_free(gsl_rng *r)
{
    if (r)
        gsl_rng_free(r);
}

int rng_pick_cumulative(gsl_rng *r, const double *cum, int n)
{
    double u = gsl_rng_uniform(r) * cum[n - 1];
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (u < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t rng_substream(uint64_t stream, uint64_t k)
{
    return stream * 1000003u + k;
}

int rng_pick_probs(gsl_rng *r, const double *p, int n)
{
    double u = gsl_rng_uniform(r), acc = 0;
    int last = -1;
    for (int i = 0; i < n; i++) {
        if (p[i] <= 0)
            continue;
        acc += p[i];
        last = i;
        if (u < acc)
            return i;
    }
    return last;
}
