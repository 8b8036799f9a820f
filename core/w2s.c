/* w2s.c — see w2s.h. */
#include "w2s.h"

#include <math.h>
#include "policy.h"

double w2s_accuracy(const world *w, const double *reward)
{
    const int B = w->n_beh;
    double mass = 0, right = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        const double wc = w->ctx_weight[c];
        if (wc <= 0)
            continue;
        const int o = c * B;
        for (int b1 = 0; b1 < B; b1++) {
            const double p1 = w->prior[o + b1];
            if (p1 <= 0 || p1 >= 1)
                continue; /* absent, or alone in its context: no pair */
            for (int b2 = 0; b2 < B; b2++) {
                const double p2 = w->prior[o + b2];
                if (b2 == b1 || p2 <= 0)
                    continue;
                const double v1 = w->vstar[o + b1], v2 = w->vstar[o + b2];
                if (v1 == v2)
                    continue;
                const double pr = wc * p1 * p2 / (1 - p1); /* b2 ~ pi0 without b1 */
                const double r1 = reward[o + b1], r2 = reward[o + b2];
                mass += pr;
                right += r1 == r2 ? 0.5 * pr : ((r1 > r2) == (v1 > v2) ? pr : 0);
            }
        }
    }
    return mass > 0 ? right / mass : NAN;
}

double w2s_optimum_value(const world *w, const double *reward, double kl, double *table)
{
    policy_optimum(w, reward, kl, table);
    double v = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        double t = 0;
        for (int b = 0; b < w->n_beh; b++) {
            const int i = c * w->n_beh + b;
            t += table[i] > 0 ? table[i] * w->vstar[i] : 0;
        }
        v += w->ctx_weight[c] * t;
    }
    return v;
}

double w2s_pgr(double student, double weak, double ceiling)
{
    if (!isfinite(student) || !isfinite(weak) || !isfinite(ceiling) || ceiling == weak)
        return NAN;
    return (student - weak) / (ceiling - weak);
}
