/* bon.c — see bon.h. */
#include "bon.h"

#include <math.h>
#include "rng.h"

void bon_probs(const world *w, const double *reward, int n, int *order, double *out)
{
    const int B = w->n_beh;
    for (int c = 0; c < w->n_ctx; c++) {
        const int o = c * B;
        int k = 0;
        for (int b = 0; b < B; b++) {
            out[o + b] = 0;
            if (!w->avail[o + b])
                continue;
            /* insertion sort by reward: behaviour sets are small */
            int j = k++;
            while (j > 0 && reward[o + b] < reward[o + order[j - 1]]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = b;
        }
        /* Groups of equal reward, in increasing order. The best of n draws
         * falls in group G with probability F_G^n - F_{G-}^n (F: pi0's
         * cumulative mass up to and including G); the pick among the tied
         * draws of G is uniform, and those draws are pi0 restricted to G, so
         * within G the mass is proportional to pi0. An all-tied context stays
         * at pi0 for every n. */
        double F = 0, Fn_prev = 0;
        for (int g = 0; g < k;) {
            int e = g;
            double m = 0;
            while (e < k && reward[o + order[e]] == reward[o + order[g]])
                m += w->prior[o + order[e++]];
            F += m;
            double Fn = e == k ? 1.0 : pow(F, n); /* F ends at 1 up to rounding */
            double mass = Fn - Fn_prev;
            for (int j = g; j < e && m > 0; j++)
                out[o + order[j]] = g == 0 && e == k
                    ? w->prior[o + order[j]] /* one group: pi0 itself, exactly */
                    : mass * (w->prior[o + order[j]] / m);
            Fn_prev = Fn;
            g = e;
        }
    }
}

double bon_kl_bound(int n)
{
    return log((double)n) - (n - 1.0) / n;
}

int bon_sample(const world *w, const double *reward, int n, int c, gsl_rng *r)
{
    const int B = w->n_beh;
    int best = -1, tied = 0;
    for (int k = 0; k < n; k++) {
        int b = rng_pick_probs(r, w->prior + c * B, B); /* a draw from pi0(.|c) */
        if (best < 0 || reward[c * B + b] > reward[c * B + best]) {
            best = b;
            tied = 1;
        } else if (reward[c * B + b] == reward[c * B + best] &&
                   gsl_rng_uniform_int(r, (unsigned long)++tied) == 0) {
            best = b; /* uniform among the tied draws (reservoir sampling) */
        }
    }
    return best;
}
