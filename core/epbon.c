/* epbon.c — see epbon.h. */
#include "epbon.h"

#include <math.h>
#include <string.h>
#include "rng.h"
#include "segment.h"

static double sum_of(const double *v, const int *c, int T)
{
    double s = 0;
    for (int t = 0; t < T; t++)
        s += v[c[t]];
    return s;
}

int epbon_estimate(const mdp *m, const double *pi, int n_tables, const double *proxy, int n,
                   long draws, gsl_rng *r, int *cells, epbon_result *out, os_err *err)
{
    if (n < 1 || n > EPBON_MAX_N)
        return err_set(err, OS_EINVAL, "field 'n' of best_of_n must be an integer in 1..%d "
                       "(got %d)", EPBON_MAX_N, n);
    if (draws < 2)
        return err_set(err, OS_EINVAL, "field 'draws' of best_of_n must be an integer >= 2 "
                       "(got %ld)", draws);
    const int H = m->horizon;
    int *cur = cells, *best = cells + H;
    double sum[3] = { 0, 0, 0 }, sum2[3] = { 0, 0, 0 };
    for (long d = 0; d < draws; d++) {
        int s0 = rng_pick_probs(r, m->init, m->n_states), kept = 0;
        double top = -INFINITY;
        for (int k = 0; k < n; k++) {
            int T = segment_sample_from(m, pi, n_tables, s0, r, cur);
            double v = sum_of(proxy, cur, T);
            if (v > top) { /* a tie keeps the first */
                top = v;
                kept = T;
                int *x = cur;
                cur = best;
                best = x;
            }
        }
        double x[3] = { sum_of(m->vstar, best, kept), top, sum_of(m->looks, best, kept) };
        for (int j = 0; j < 3; j++)
            sum[j] += x[j], sum2[j] += x[j] * x[j];
    }
    double mean[3], se[3];
    for (int j = 0; j < 3; j++) {
        mean[j] = sum[j] / draws;
        double var = (sum2[j] - draws * mean[j] * mean[j]) / (draws - 1);
        se[j] = sqrt(fmax(var, 0) / draws);
    }
    out->true_return = mean[0], out->proxy_return = mean[1], out->looks_return = mean[2];
    out->true_se = se[0], out->proxy_se = se[1], out->looks_se = se[2];
    return 0;
}
