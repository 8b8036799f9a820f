/* bench/peak.c — this processor's peak double-precision rate on one core, the
 * yardstick for W2's GFLOPS (issue 15). Built by `./run.sh bench` (target
 * oversim_peak, not part of `all`); bench/run.lua runs it and reads its lines.
 *
 * Two rates, each with the widest vectors the processor runs (AVX-512, AVX2,
 * else SSE2), from 12 independent chains of 10^7 steps, best of 5 repetitions
 * in this thread's CPU time:
 *   fma      fused multiply-adds (2 flops a lane), the processor's peak;
 *   mul+add  a multiply and an add as separate instructions, the peak for
 *            oversim's own loops, which are compiled with -ffp-contract=off
 *            (every product and sum rounds as written), so half the above.
 * Output, one line each:  peak <fma|mul+add> <GFLOPS> <isa>
 * The values stay near 1 (multiplied by c then by 1/c; 0.5 added then taken
 * away), so no chain reaches a denormal or an infinity. */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define CHAINS 12
#define STEPS 10000000L

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static volatile double sink;

/* One kernel per width: VEC the vector type, SET1/ADD/MUL/FMA its intrinsics,
 * LANES its doubles. Each step is one instruction per chain. */
#define KERNELS(NAME, TARGET, VEC, SET1, ADD, SUB, MUL, FMA, LANES)                          \
    __attribute__((target(TARGET))) static double NAME##_fma(double c)                      \
    {                                                                                      \
        VEC acc[CHAINS], m = SET1(c), a = SET1(0.5 * (1 - c));                                  \
        for (int k = 0; k < CHAINS; k++)                                                   \
            acc[k] = SET1(0.5 + 0.01 * k);                                                 \
        for (long s = 0; s < STEPS; s++)                                                   \
            _Pragma("GCC unroll 12") /* the chains in registers, not memory */             \
            for (int k = 0; k < CHAINS; k++)                                               \
                acc[k] = FMA(acc[k], m, a); /* x c + (1 - c)/2: 0.5 stays */              \
        double out = 0, buf[LANES];                                                        \
        for (int k = 0; k < CHAINS; k++) {                                                 \
            __builtin_memcpy(buf, &acc[k], sizeof buf);                                    \
            out += buf[0];                                                                 \
        }                                                                                  \
        return out;                                                                        \
    }                                                                                      \
    __attribute__((target(TARGET))) static double NAME##_muladd(double c)                   \
    {                                                                                      \
        VEC p[CHAINS / 2], q[CHAINS / 2], m = SET1(c), mi = SET1(1 / c), h = SET1(0.5);   \
        for (int k = 0; k < CHAINS / 2; k++)                                               \
            p[k] = SET1(1.0 + 0.01 * k), q[k] = SET1(0.01 * k);                            \
        for (long s = 0; s < STEPS; s += 2) {                                              \
            _Pragma("GCC unroll 6")                                                        \
            for (int k = 0; k < CHAINS / 2; k++)                                           \
                p[k] = MUL(p[k], m), q[k] = ADD(q[k], h);                                  \
            _Pragma("GCC unroll 6")                                                        \
            for (int k = 0; k < CHAINS / 2; k++)                                           \
                p[k] = MUL(p[k], mi), q[k] = SUB(q[k], h);                                 \
        }                                                                                  \
        double out = 0, buf[LANES];                                                        \
        for (int k = 0; k < CHAINS / 2; k++) {                                             \
            __builtin_memcpy(buf, &p[k], sizeof buf);                                      \
            out += buf[0];                                                                 \
            __builtin_memcpy(buf, &q[k], sizeof buf);                                      \
            out += buf[0];                                                                 \
        }                                                                                  \
        return out;                                                                        \
    }

KERNELS(k512, "avx512f", __m512d, _mm512_set1_pd, _mm512_add_pd, _mm512_sub_pd, _mm512_mul_pd,
        _mm512_fmadd_pd, 8)
KERNELS(k256, "avx2,fma", __m256d, _mm256_set1_pd, _mm256_add_pd, _mm256_sub_pd, _mm256_mul_pd,
        _mm256_fmadd_pd, 4)
/* SSE2 has no FMA: its "fma" rate is the mul+add one counted the same way */
static inline __m128d fma128(__m128d x, __m128d m, __m128d a) { return _mm_add_pd(_mm_mul_pd(x, m), a); }
KERNELS(k128, "sse2", __m128d, _mm_set1_pd, _mm_add_pd, _mm_sub_pd, _mm_mul_pd, fma128, 2)

/* best of 5 repetitions, in GFLOPS, for a kernel doing flops_per_step flops a step */
static double rate(double (*kernel)(double), double flops_per_step)
{
    double best = 0;
    for (int r = 0; r < 5; r++) {
        double t0 = cpu_seconds();
        sink = kernel(1.0000001 + 1e-9 * r);
        double t = cpu_seconds() - t0;
        double g = flops_per_step * (double)STEPS / t / 1e9;
        if (g > best)
            best = g;
    }
    return best;
}

int main(void)
{
    __builtin_cpu_init();
    const char *isa;
    double fma, muladd;
    if (__builtin_cpu_supports("avx512f")) {
        isa = "avx512";
        fma = rate(k512_fma, CHAINS * 8 * 2.0);
        muladd = rate(k512_muladd, CHAINS * 8 * 1.0);
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        isa = "avx2";
        fma = rate(k256_fma, CHAINS * 4 * 2.0);
        muladd = rate(k256_muladd, CHAINS * 4 * 1.0);
    } else {
        isa = "sse2";
        fma = rate(k128_fma, CHAINS * 2 * 2.0); /* two instructions a step: a mul and an add */
        muladd = rate(k128_muladd, CHAINS * 2 * 1.0);
    }
    printf("peak fma %.1f %s\n", fma, isa);
    printf("peak mul+add %.1f %s\n", muladd, isa);
    return 0;
}
