/* segment.c — see segment.h. */
#include "segment.h"

#include <math.h>
#include "rng.h"

int segment_perceived_table(const mdp *m, const overseer_params *p, double *u, os_err *err)
{
    if (p->kind != OVERSEER_ORACLE && p->kind != OVERSEER_HUMAN)
        return err_set(err, OS_EINVAL, "a table of perceived values is an oracle's or a "
                       "human's (an assisted overseer's are random: epjudge.h)");
    if (p->kind == OVERSEER_HUMAN && !isinf(p->softness))
        return err_set(err, OS_EINVAL, "field 'softness' must be inf for a table of perceived "
                       "values (soft discovery is random: epjudge.h; got %g)", p->softness);
    for (int i = 0; i < m->n_cells; i++) {
        if (p->kind == OVERSEER_ORACLE) {
            u[i] = m->vstar[i];
            continue;
        }
        double v = m->looks[i];
        for (int f = m->fact_start[i]; f < m->fact_start[i + 1]; f++)
            if (m->fact_difficulty[f] <= p->competence)
                v += m->fact_effect[f];
        u[i] = v;
    }
    return 0;
}

/* Next state of cell i: no draw when the move is certain. */
static int next_state(const mdp *m, int i, gsl_rng *r)
{
    int k0 = m->trans_start[i], n = m->trans_start[i + 1] - k0;
    if (n == 1)
        return m->trans_next[k0];
    return m->trans_next[k0 + rng_pick_probs(r, m->trans_prob + k0, n)];
}

int segment_sample_episode(const mdp *m, const double *pi, int n_tables, gsl_rng *r,
                           int *cells)
{
    return segment_sample_from(m, pi, n_tables, rng_pick_probs(r, m->init, m->n_states), r,
                               cells);
}

int segment_sample_from(const mdp *m, const double *pi, int n_tables, int s, gsl_rng *r,
                        int *cells)
{
    const int A = m->n_actions;
    int t = 0;
    while (t < m->horizon) {
        const double *row = mdp_policy_at(m, pi, n_tables, t) + (size_t)s * A;
        int a = rng_pick_probs(r, row, A);
        int i = s * A + a;
        cells[t++] = i;
        s = next_state(m, i, r);
        if (m->terminal[s])
            break;
    }
    return t;
}

int segment_cut(int T, int L, gsl_rng *r, int *n)
{
    if (T <= L) {
        *n = T;
        return 0;
    }
    *n = L;
    return (int)gsl_rng_uniform_int(r, (unsigned long)(T - L + 1));
}

void segment_perceive(const mdp *m, const overseer_params *p, const double *u_table,
                      const int *cells, int n, segment_view *out)
{
    const int A = m->n_actions, oracle = p->kind == OVERSEER_ORACLE;
    double u = 0, ud = 0, w = 1;
    int seen = 0;
    for (int t = n - 1; t >= 0; t--, w *= p->myopia) { /* the last step counts w = 1 */
        int i = cells[t];
        if (!oracle && !m->watched[i / A])
            continue;
        u += u_table[i];
        ud += w * u_table[i];
        seen++;
    }
    out->u = u;
    out->ud = ud;
    out->seen = seen;
}

void segment_label_probs(const mdp *m, const overseer_params *p, const double *u_table,
                         const int *c1, int n1, const int *c2, int n2, double margin,
                         double probs[N_LABELS])
{
    segment_view v1, v2;
    segment_perceive(m, p, u_table, c1, n1, &v1);
    segment_perceive(m, p, u_table, c2, n2, &v2);
    if (v1.seen == 0 && v2.seen == 0) {
        probs[LABEL_FIRST] = probs[LABEL_SECOND] = probs[LABEL_EQUAL] = 0;
        probs[LABEL_SKIP] = 1;
        return;
    }
    const double u[2] = { v1.u, v2.u }, ud[2] = { v1.ud, v2.ud };
    overseer_bpref_probs(p, margin, u, ud, probs);
}

label_kind segment_label(const mdp *m, const overseer_params *p, const double *u_table,
                         const int *c1, int n1, const int *c2, int n2, double margin,
                         gsl_rng *r)
{
    double probs[N_LABELS];
    segment_label_probs(m, p, u_table, c1, n1, c2, n2, margin, probs);
    return overseer_draw_label(probs, r);
}
