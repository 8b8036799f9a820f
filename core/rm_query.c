/* rm_query.c — see rm.h: what a reward model answers once fitted (its
 * rewards, parameters and sizes, and the ensemble's disagreement on a pair). */
#include "rm_internal.h"

const double *rm_rewards(const rm *m) { return m->r; }
const double *rm_psi(const rm *m) { return m->psi; }
int rm_dim(const rm *m) { return m->dim; }
int rm_n_pairs(const rm *m) { return m->n_pairs; }
double rm_n_labels(const rm *m) { return m->n_labels; }
int rm_ensemble(const rm *m) { return m->K; }
const double *rm_member_rewards(const rm *m, int k) { return m->r_mem[k]; }
double *rm_member_params(rm *m, int k) { return model_params(m->mem[k]); }

double rm_pair_variance(const rm *m, int c, int b1, int b2)
{
    if (m->K < 2)
        return 0;
    const int B = m->w->n_beh;
    double mean = 0, sq = 0;
    for (int k = 0; k < m->K; k++) {
        double d = m->r_mem[k][c * B + b1] - m->r_mem[k][c * B + b2];
        mean += d, sq += d * d;
    }
    mean /= m->K;
    double v = sq / m->K - mean * mean;
    return v > 0 ? v : 0;
}

int rm_pick_disagreement(const rm *m, int n_cand, const int *c, const int *b1,
                         const int *b2, int n, double *var, int *chosen)
{
    for (int i = 0; i < n_cand; i++)
        var[i] = rm_pair_variance(m, c[i], b1[i], b2[i]);
    if (n > n_cand)
        n = n_cand;
    /* repeated arg-max: n is a round's labels, n_cand a few times that, and the
     * order (largest first, ties to the earlier draw) needs no sort callback */
    for (int k = 0; k < n; k++) {
        int best = -1;
        for (int i = 0; i < n_cand; i++)
            if (var[i] >= 0 && (best < 0 || var[i] > var[best]))
                best = i;
        chosen[k] = best;
        var[best] = -1; /* taken */
    }
    return n;
}
