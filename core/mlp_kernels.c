/* mlp_kernels.c — see mlp_kernels.h. */
#include "mlp_kernels.h"

#include <stddef.h>
#include <string.h>

typedef double v2d __attribute__((vector_size(16)));

#define KTARGET
#define KVEC v2d
#define KNAME(f) base_##f
#define KNAME_STR "baseline"
#include "mlp_kernels.inc"
#undef KTARGET
#undef KVEC
#undef KNAME
#undef KNAME_STR

/* GCC on x86-64: AVX2 and AVX-512 builds beside the baseline one (no FMA in
 * either: AVX2 does not imply it, and -ffp-contract=off keeps AVX-512's from
 * being used) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MLP_WIDE 1
typedef double v4d __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));

#define KTARGET __attribute__((target("avx2")))
#define KVEC v4d
#define KNAME(f) avx2_##f
#define KNAME_STR "avx2"
#include "mlp_kernels.inc"
#undef KTARGET
#undef KVEC
#undef KNAME
#undef KNAME_STR

#define KTARGET __attribute__((target("avx512f")))
#define KVEC v8d
#define KNAME(f) avx512_##f
#define KNAME_STR "avx512"
#include "mlp_kernels.inc"
#undef KTARGET
#undef KVEC
#undef KNAME
#undef KNAME_STR
#else
#define MLP_WIDE 0
#endif

int oversim_simd_level(void)
{
#if MLP_WIDE
    __builtin_cpu_init();
    if (OVERSIM_SIMD_MAX >= 2 && __builtin_cpu_supports("avx512f"))
        return 2;
    if (OVERSIM_SIMD_MAX >= 1 && __builtin_cpu_supports("avx2"))
        return 1;
#endif
    return 0;
}

int mlp_kernels_all(const mlp_kernels **out, int max)
{
    int n = 0;
#if MLP_WIDE
    const int level = oversim_simd_level(); /* AVX-512F processors all have AVX2 */
    if (level >= 2 && n < max)
        out[n++] = &avx512_table;
    if (level >= 1 && n < max)
        out[n++] = &avx2_table;
#endif
    if (n < max)
        out[n++] = &base_table;
    return n;
}

const mlp_kernels *mlp_kernels_get(void)
{
    const mlp_kernels *best;
    mlp_kernels_all(&best, 1); /* the widest first */
    return best;
}
