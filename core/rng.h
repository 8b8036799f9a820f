/* rng.h — random streams for runs.
 * Owns: deriving one independent GSL generator per run from (seed, run id).
 * Uses: GSL's gsl_rng. A run's stream depends only on (seed, run id), never on
 * thread count or the order in which runs are made. */
#ifndef OVERSIM_RNG_H
#define OVERSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Mix (seed, run_id) into the 32-bit seed given to the generator (splitmix64). */
uint32_t rng_derive_seed(uint64_t seed, uint64_t run_id);

/* A new Mersenne-Twister stream for (seed, run_id); NULL when out of memory.
 * The caller frees it with rng_free. */
gsl_rng *rng_new(uint64_t seed, uint64_t run_id);

/* Free a stream; NULL is a no-op. */
void rng_free(gsl_rng *r);

/* Index drawn from the cumulative weights cum[0..n-1] (cum[n-1] is the total,
 * > 0). Binary search; allocates nothing. */
int rng_pick_cumulative(gsl_rng *r, const double *cum, int n);

#endif
