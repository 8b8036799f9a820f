/* bon.c — see bon.h. */
#include "bon.h"

#include <math.h>
#include "rng.h"

/* Does cell a rank below cell b (reward, then index)? */
static int below(const double *reward, int a, int b)
{
    return reward[a] < reward[b] || (reward[a] == reward[b] && a < b);
}

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
            /* insertion sort: behaviour sets are small */
            int j = k++;
            while (j > 0 && below(reward, o + b, o + order[j - 1])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = b;
        }
        double F = 0, Fn_prev = 0;
        for (int j = 0; j < k; j++) {
            F += w->prior[o + order[j]];
            double Fn = j == k - 1 ? 1.0 : pow(F, n); /* F ends at 1 up to rounding */
            out[o + order[j]] = Fn - Fn_prev;
            Fn_prev = Fn;
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
    int best = -1;
    for (int k = 0; k < n; k++) {
        int b = rng_pick_probs(r, w->prior + c * B, B); /* a draw from pi0(.|c) */
        if (best < 0 || below(reward, c * B + best, c * B + b))
            best = b;
    }
    return best;
}
