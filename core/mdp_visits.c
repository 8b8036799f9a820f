/* mdp_visits.c — see mdp.h: where a policy spends its episodes (expected
 * visits per state) and its time-indexed tables summarised as one, weighted
 * by how often each step reaches the state: what a picture of a policy shows. */
#include "mdp.h"

#include <stdlib.h>
#include <string.h>

int mdp_visits(const mdp *m, const double *pi, int n_tables, double *visits, double *avg,
               os_err *err)
{
    const int S = m->n_states, A = m->n_actions, H = m->horizon;
    if (n_tables != 1 && n_tables != H)
        return err_set(err, OS_EINVAL, "a policy has 1 or H = %d tables (got %d)", H, n_tables);
    double *d = calloc(2 * (size_t)S, sizeof *d);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    double *cur = d, *nxt = d + S;
    memcpy(cur, m->init, (size_t)S * sizeof *cur);
    memset(visits, 0, (size_t)S * sizeof *visits);
    memset(avg, 0, (size_t)m->n_cells * sizeof *avg);
    /* steps 0..H: the state the episode is in at step t counts, step H's
     * (where it ends) and a terminal state's (entered once, left never)
     * included, so a goal shows how often it is reached */
    for (int t = 0; t <= H; t++) {
        const double *tab = t < H ? mdp_policy_at(m, pi, n_tables, t) : NULL;
        memset(nxt, 0, (size_t)S * sizeof *nxt);
        for (int s = 0; s < S; s++) {
            if (cur[s] == 0)
                continue;
            visits[s] += cur[s];
            if (!tab || m->terminal[s])
                continue;
            for (int a = 0; a < A; a++) {
                int i = s * A + a;
                double mass = cur[s] * tab[i];
                if (mass == 0)
                    continue;
                avg[i] += mass;
                for (int k = m->trans_start[i]; k < m->trans_start[i + 1]; k++)
                    nxt[m->trans_next[k]] += mass * m->trans_prob[k];
            }
        }
        double *tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    free(d);
    /* normalise by the mass that acted there (steps 0..H-1); a state never
     * acted in gets step 0's row: what the policy would do starting there */
    for (int s = 0; s < S; s++) {
        double tot = 0;
        for (int a = 0; a < A; a++)
            tot += avg[s * A + a];
        const double *row0 = pi + (size_t)s * A;
        for (int a = 0; a < A; a++)
            avg[s * A + a] = tot > 0 ? avg[s * A + a] / tot : row0[a];
    }
    return 0;
}
