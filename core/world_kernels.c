/* world_kernels.c — see world_kernels.h. */
#include "world_kernels.h"

#include <stddef.h>
#include <string.h>

typedef double v2d __attribute__((vector_size(16)));

#define KTARGET
#define KVEC v2d
#define KNAME(f) base_##f
#define KNAME_STR "baseline"
#include "world_kernels.inc"
#undef KTARGET
#undef KVEC
#undef KNAME
#undef KNAME_STR

/* GCC on x86-64: an AVX2 build beside the baseline one (no FMA:
 * -ffp-contract=off). No AVX-512 build: for W1's 32 features its four
 * 8-wide chains wait on the additions' latency as AVX2's eight 4-wide ones
 * do, and the whole run measured slower with it (1.02x over the baseline
 * against AVX2's 1.05x, in alternating pairs). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WORLD_WIDE 1
typedef double v4d __attribute__((vector_size(32)));

#define KTARGET __attribute__((target("avx2")))
#define KVEC v4d
#define KNAME(f) avx2_##f
#define KNAME_STR "avx2"
#include "world_kernels.inc"
#undef KTARGET
#undef KVEC
#undef KNAME
#undef KNAME_STR
#else
#define WORLD_WIDE 0
#endif

int world_kernels_all(const world_kernels **out, int max)
{
    int n = 0;
#if WORLD_WIDE
    if (oversim_simd_level() >= 1 && n < max)
        out[n++] = &avx2_table;
#endif
    if (n < max)
        out[n++] = &base_table;
    return n;
}

const world_kernels *world_kernels_get(void)
{
    const world_kernels *best;
    world_kernels_all(&best, 1); /* the widest first */
    return best;
}
