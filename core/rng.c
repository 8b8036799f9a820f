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

/* MT19937 as GSL's mt.c has it (Matsumoto and Nishimura 1998, seeded by
 * their 2002 initialisation), in 32-bit words: GSL keeps them in unsigned
 * longs masked to 32 bits, the same numbers. */
enum { MT_N = 624, MT_M = 397 };
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu
#define MT_MAGIC(y) (((y) & 0x1) ? 0x9908b0dfu : 0)

void rng_mt_refill(rng_mt_state *s)
{
    uint32_t *const mt = s->mt;
    int kk;
    for (kk = 0; kk < MT_N - MT_M; kk++) {
        uint32_t y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
        mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ MT_MAGIC(y);
    }
    for (; kk < MT_N - 1; kk++) {
        uint32_t y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
        mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ MT_MAGIC(y);
    }
    uint32_t y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ MT_MAGIC(y);
    s->mti = 0;
}

/* out[j] = the tempered word mt[j] / 2^32, j < n: rng_uniform's numbers
 * (the division by a power of two is the multiplication by its inverse) in a
 * loop of independent words the compiler vectorises. */
static void mt_temper_n(const uint32_t *restrict mt, double *restrict out, int n)
{
    for (int j = 0; j < n; j++) {
        uint32_t k = rng_mt_temper(mt[j]);
        out[j] = (double)k * 0x1p-32;
    }
}

void rng_uniform_n(gsl_rng *r, double *out, int n)
{
    if (r->type != rng_mt19937) {
        for (int j = 0; j < n; j++)
            out[j] = gsl_rng_uniform(r);
        return;
    }
    rng_mt_state *s = (rng_mt_state *)r->state;
    while (n > 0) {
        if (s->mti >= MT_N)
            rng_mt_refill(s);
        const int m = MT_N - s->mti < n ? MT_N - s->mti : n;
        mt_temper_n(s->mt + s->mti, out, m);
        s->mti += m, out += m, n -= m;
    }
}

static unsigned long mt_get(void *vstate)
{
    rng_mt_state *s = vstate;
    if (s->mti >= MT_N)
        rng_mt_refill(s);
    return rng_mt_temper(s->mt[s->mti++]);
}

static double mt_get_double(void *vstate)
{
    return mt_get(vstate) / 4294967296.0;
}

static void mt_set(void *vstate, unsigned long seed)
{
    rng_mt_state *s = vstate;
    if (seed == 0)
        seed = 4357; /* GSL's default seed */
    s->mt[0] = (uint32_t)(seed & 0xffffffffu);
    for (int i = 1; i < MT_N; i++)
        s->mt[i] = 1812433253u * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + (uint32_t)i;
    s->mti = MT_N;
}

static const gsl_rng_type mt_type = { "oversim-mt19937", 0xffffffffUL, 0,
                                      sizeof(rng_mt_state), mt_set, mt_get, mt_get_double };
const gsl_rng_type *rng_mt19937 = &mt_type;

gsl_rng *rng_new(uint64_t seed, uint64_t run_id)
{
    gsl_rng *r = gsl_rng_alloc(rng_mt19937);
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
    return rng_search_cumulative(cum, n, rng_uniform(r) * cum[n - 1]);
}

uint64_t rng_substream(uint64_t stream, uint64_t k)
{
    return stream * 1000003u + k;
}

int rng_pick_probs(gsl_rng *r, const double *p, int n)
{
    return rng_search_probs(p, n, rng_uniform(r));
}

int rng_search_probs(const double *p, int n, double u)
{
    double acc = 0;
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
