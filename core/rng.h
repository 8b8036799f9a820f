/* rng.h — random streams for runs.
 * Owns: deriving one independent GSL generator per run from (seed, run id),
 *       the sub-streams of a run (a recursive overseer's critics), and the
 *       two index draws every sampler uses (cumulative weights, probabilities).
 * Uses: GSL's gsl_rng. A run's stream depends only on (seed, run id), never on
 * thread count or the order in which runs are made. */
#ifndef OVERSIM_RNG_H
#define OVERSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Mix (seed, run_id) into the 32-bit seed given to the generator (splitmix64). */
uint32_t rng_derive_seed(uint64_t seed, uint64_t run_id);

/* Sub-stream k of run stream `stream`: stream * 1000003 + k (mod 2^64). A
 * recursive overseer's level-k critic (k = 1..depth) trains on (seed,
 * rng_substream(stream, k)), apart from the run's own (seed, stream) as long as
 * k < 1000003. Pure arithmetic: changing it changes every recursive result. */
uint64_t rng_substream(uint64_t stream, uint64_t k);

/* oversim's MT19937: GSL's gsl_rng_mt19937, number for number (the same
 * seeding, seed 0 meaning 4357, the same 32-bit outputs and doubles), as a
 * GSL generator type of its own so that rng_uniform can draw inline from a
 * state whose layout is ours. Every GSL function (gsl_ran_*) works on it
 * through its type as on GSL's. */
extern const gsl_rng_type *rng_mt19937;

/* Its state (do not touch: read by rng_uniform). */
typedef struct rng_mt_state {
    uint32_t mt[624];
    int mti;
} rng_mt_state;

/* The 624 next words of an exhausted state (mti = 0 after). */
void rng_mt_refill(rng_mt_state *s);

/* MT19937's tempering of a state word: the generator's output. */
static inline uint32_t rng_mt_temper(uint32_t k)
{
    k ^= k >> 11;
    k ^= (k << 7) & 0x9d2c5680u;
    k ^= (k << 15) & 0xefc60000u;
    k ^= k >> 18;
    return k;
}

/* gsl_rng_uniform(r), bit for bit, drawn inline when r is an rng_mt19937 (a
 * function call through GSL's type otherwise): every sample draws one or two
 * (W1: 3.5 M a run). */
static inline double rng_uniform(gsl_rng *r)
{
    if (r->type != rng_mt19937)
        return gsl_rng_uniform(r);
    rng_mt_state *s = (rng_mt_state *)r->state;
    if (s->mti >= 624)
        rng_mt_refill(s);
    return rng_mt_temper(s->mt[s->mti++]) / 4294967296.0;
}

/* out[0..n-1] = n draws of rng_uniform(r) in order, the same numbers: from
 * an rng_mt19937 a block of the state's words at a time. */
void rng_uniform_n(gsl_rng *r, double *out, int n);

/* A new Mersenne-Twister stream (rng_mt19937) for (seed, run_id); NULL when
 * out of memory. The caller frees it with rng_free. */
gsl_rng *rng_new(uint64_t seed, uint64_t run_id);

/* Free a stream; NULL is a no-op. */
void rng_free(gsl_rng *r);

/* Index drawn from the cumulative weights cum[0..n-1] (cum[n-1] is the total,
 * > 0): rng_search_cumulative of one uniform draw times the total. Binary
 * search; allocates nothing. */
int rng_pick_cumulative(gsl_rng *r, const double *cum, int n);

/* The first i in [0, n-1] with u < cum[i], or n - 1 when there is none;
 * cum non-decreasing, n >= 1. O(log n), no branch on u. Inline: the
 * samplers' loops run several searches at once. */
static inline int rng_search_cumulative(const double *cum, int n, double u)
{
    /* Halving without a branch on u: the answer lies in [lo, lo + len - 1];
     * probing lo + half - 1 either keeps lo (the answer is at or before it)
     * or moves past it, and both leave len - half candidates (the first
     * range is wider than needed, never wrong). The compiler turns the
     * choice into a conditional move: the branchy search mispredicted about
     * half its steps (W1: 1.7 M draws a run over 64 contexts). A NaN u
     * compares false everywhere and gives n - 1, as the loop it replaced. */
    int lo = 0, len = n;
    while (len > 1) {
        int half = len / 2;
        lo = u < cum[lo + half - 1] ? lo : lo + half;
        len -= half;
    }
    return lo;
}

/* Index drawn with probabilities p[0..n-1] (>= 0, summing to 1 up to
 * rounding): one uniform draw, entries <= 0 never chosen; a draw beyond the
 * summed mass (rounding) gives the last positive entry. -1 when none is
 * positive. Allocates nothing. */
int rng_pick_probs(gsl_rng *r, const double *p, int n);

/* rng_pick_probs for a uniform u already drawn: the first i with p[i] > 0
 * (or NaN) whose running sum of such entries exceeds u, else the last such i,
 * else -1. */
int rng_search_probs(const double *p, int n, double u);

#endif
