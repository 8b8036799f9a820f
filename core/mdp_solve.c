/* mdp_solve.c — see mdp.h: the exact finite-horizon KL-regularised optimum
 * (soft value iteration) and exact expectations of a policy (forward
 * propagation of the state distribution). */
#include "mdp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mdp_soft_vi(const mdp *m, const double *reward, double kl_coef, double *pi,
                double *value, os_err *err)
{
    if (!(kl_coef > 0) || !isfinite(kl_coef))
        return err_set(err, OS_EINVAL, "field 'kl' must be a finite number > 0 (got %g)",
                       kl_coef);
    const int S = m->n_states, A = m->n_actions, H = m->horizon;
    for (int i = 0; i < m->n_cells; i++)
        if (m->avail[i] && !isfinite(reward[i]))
            return err_set(err, OS_EINVAL, "reward of action '%s' in state '%s' is not finite "
                           "(got %g)", m->action_name[i % A], m->state_name[i / A], reward[i]);
    /* V_t and V_{t+1}: rows of value when given, else two vectors that swap */
    double *own = NULL;
    if (!value && !(own = calloc(2 * (size_t)S, sizeof *own)))
        return err_set(err, OS_ENOMEM, "out of memory");
    double *vnext = value ? value + (size_t)H * S : own;
    memset(vnext, 0, (size_t)S * sizeof *vnext); /* V_H = 0 */
    for (int t = H - 1; t >= 0; t--) {
        double *vcur = value ? value + (size_t)t * S : vnext == own ? own + S : own;
        double *row = pi + (size_t)t * (size_t)m->n_cells;
        for (int s = 0; s < S; s++) {
            double *p = row + (size_t)s * A;
            if (m->terminal[s]) {
                memset(p, 0, (size_t)A * sizeof *p);
                vcur[s] = 0;
                continue;
            }
            double mx = -INFINITY;
            for (int a = 0; a < A; a++) {
                int i = s * A + a;
                if (!m->avail[i]) {
                    p[a] = -INFINITY;
                    continue;
                }
                double q = reward[i];
                for (int k = m->trans_start[i]; k < m->trans_start[i + 1]; k++)
                    q += m->trans_prob[k] * vnext[m->trans_next[k]];
                p[a] = m->log_prior[i] + q / kl_coef; /* the logit */
                if (p[a] > mx)
                    mx = p[a];
            }
            /* the largest logit subtracted: exp() never overflows, and the
             * largest term is exactly 1, so z >= 1 and its log is finite */
            double z = 0;
            for (int a = 0; a < A; a++)
                z += m->avail[s * A + a] ? exp(p[a] - mx) : 0;
            for (int a = 0; a < A; a++)
                p[a] = m->avail[s * A + a] ? exp(p[a] - mx) / z : 0;
            vcur[s] = kl_coef * (mx + log(z));
        }
        vnext = vcur;
    }
    free(own);
    return 0;
}

int mdp_expect(const mdp *m, const double *pi, int n_tables, int n_values,
               const double *const *values, double *out, double *kl, double *length,
               double *occupancy, os_err *err)
{
    return mdp_expect_from(m, m->init, pi, n_tables, n_values, values, out, kl, length,
                           occupancy, err);
}

int mdp_expect_from(const mdp *m, const double *init, const double *pi, int n_tables,
                    int n_values, const double *const *values, double *out, double *kl,
                    double *length, double *occupancy, os_err *err)
{
    const int S = m->n_states, A = m->n_actions, H = m->horizon;
    if (n_tables != 1 && n_tables != H)
        return err_set(err, OS_EINVAL, "a policy has 1 or H = %d tables (got %d)", H, n_tables);
    double *d = calloc(2 * (size_t)S, sizeof *d);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    double *cur = d, *nxt = d + S;
    memcpy(cur, init, (size_t)S * sizeof *cur);
    for (int k = 0; k < n_values; k++)
        out[k] = 0;
    double kl_sum = 0, len = 0;
    int rc = 0;
    for (int t = 0; t < H && !rc; t++) {
        const double *tab = mdp_policy_at(m, pi, n_tables, t);
        if (occupancy)
            memcpy(occupancy + (size_t)t * S, cur, (size_t)S * sizeof *cur);
        memset(nxt, 0, (size_t)S * sizeof *nxt);
        for (int s = 0; s < S; s++) {
            if (cur[s] == 0 || m->terminal[s])
                continue;
            len += cur[s]; /* the episode takes step t from s */
            for (int a = 0; a < A; a++) {
                int i = s * A + a;
                double p = tab[i];
                if (p == 0)
                    continue;
                if (!m->avail[i]) {
                    rc = err_set(err, OS_EINVAL, "policy puts mass %g on action '%s', not "
                                 "available in state '%s'", p, m->action_name[a],
                                 m->state_name[s]);
                    break;
                }
                double mass = cur[s] * p;
                for (int k = 0; k < n_values; k++)
                    out[k] += mass * values[k][i];
                kl_sum += mass * log(p / m->prior[i]);
                for (int k = m->trans_start[i]; k < m->trans_start[i + 1]; k++)
                    nxt[m->trans_next[k]] += mass * m->trans_prob[k];
            }
        }
        double *tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    free(d);
    if (rc)
        return rc;
    if (kl)
        *kl = kl_sum;
    if (length)
        *length = len;
    return 0;
}

/* --- the distribution of a summed gap (mdp_gap_tail) ------------------------ */

typedef struct gap_entry {
    int s;
    double g, p;
} gap_entry;

/* Sorts e[0..n) by gap, stably (insertion sort for short runs, else a
 * merge through tmp, taking the left entry on a tie). */
static void sort_by_gap(gap_entry *e, gap_entry *tmp, long n)
{
    if (n <= 16) {
        for (long i = 1; i < n; i++) {
            gap_entry x = e[i];
            long j = i;
            for (; j > 0 && e[j - 1].g > x.g; j--)
                e[j] = e[j - 1];
            e[j] = x;
        }
        return;
    }
    long h = n / 2, i = 0, j = h, k = 0;
    sort_by_gap(e, tmp, h);
    sort_by_gap(e + h, tmp, n - h);
    while (i < h && j < n)
        tmp[k++] = e[j].g < e[i].g ? e[j++] : e[i++];
    while (i < h)
        tmp[k++] = e[i++];
    while (j < n)
        tmp[k++] = e[j++];
    memcpy(e, tmp, (size_t)n * sizeof *e);
}

/* Sort e[0..n) by (state, gap), stably, and merge neighbours of one state
 * whose gaps agree within 1e-9 (1 + |gap|), adding their mass in that order;
 * returns the new count. tmp: room for n entries; count: n_states + 1 longs.
 * The order is the one glibc's qsort gave here (a stable merge sort at these
 * sizes: any stable sort by one key gives one order), reached by a counting
 * sort by state and a sort by gap per state: the merge's additions, and so
 * every bit, are as before, at a fraction of the comparisons. */
static long gap_merge(gap_entry *e, gap_entry *tmp, long *count, int n_states, long n)
{
    if (n == 0)
        return 0;
    memset(count, 0, ((size_t)n_states + 1) * sizeof *count);
    for (long k = 0; k < n; k++)
        count[e[k].s + 1]++;
    for (int s = 0; s < n_states; s++)
        count[s + 1] += count[s];
    for (long k = 0; k < n; k++) /* stable: each state's entries keep their order */
        tmp[count[e[k].s]++] = e[k];
    /* count[s] is now the end of state s's run, its start count[s - 1] */
    for (long s = 0, start = 0; s < n_states; start = count[s++])
        if (count[s] - start > 1)
            sort_by_gap(tmp + start, e + start, count[s] - start);
    e[0] = tmp[0];
    long out = 0;
    for (long k = 1; k < n; k++) {
        if (tmp[k].s == e[out].s && fabs(tmp[k].g - e[out].g) <= 1e-9 * (1 + fabs(e[out].g)))
            e[out].p += tmp[k].p;
        else
            e[++out] = tmp[k];
    }
    return out + 1;
}

int mdp_gap_tail(const mdp *m, const double *pi, int n_tables, const double *gap,
                 double threshold, long max_entries, double *out, os_err *err)
{
    const int A = m->n_actions, H = m->horizon;
    *out = NAN;
    if (n_tables != 1 && n_tables != H)
        return err_set(err, OS_EINVAL, "a policy has 1 or H = %d tables (got %d)", H, n_tables);
    /* a step's list before merging: every live entry x actions x transitions */
    int fan = 1;
    for (int i = 0; i < m->n_cells; i++) {
        int k = m->trans_start[i + 1] - m->trans_start[i];
        if (k > fan)
            fan = k;
    }
    if (max_entries < 1)
        return err_set(err, OS_EINVAL, "max_entries must be >= 1 (got %ld)", max_entries);
    gap_entry *cur = NULL, *nxt = NULL, *tmp = NULL;
    size_t cur_cap = 0, nxt_cap = 0;
    long *count = NULL; /* gap_merge's counting sort by state */
    long n = 0;
    int rc = 0;
    for (int s = 0; s < m->n_states; s++)
        n += m->init[s] > 0;
    if (n > max_entries)
        return MDP_TOO_MANY;
    if (!(cur = malloc((size_t)n * sizeof *cur)) ||
        !(count = malloc(((size_t)m->n_states + 1) * sizeof *count))) {
        free(cur);
        return err_set(err, OS_ENOMEM, "out of memory");
    }
    cur_cap = (size_t)n;
    n = 0;
    for (int s = 0; s < m->n_states; s++)
        if (m->init[s] > 0)
            cur[n++] = (gap_entry){ s, 0, m->init[s] };
    double tail = 0;
    for (int t = 0; t < H && n > 0 && !rc; t++) {
        const double *tab = mdp_policy_at(m, pi, n_tables, t);
        size_t need;
        if (size_mul((size_t)n, (size_t)A * (size_t)fan, &need)) {
            rc = err_set(err, OS_ENOMEM, "out of memory");
            break;
        }
        if (need > nxt_cap) {
            gap_entry *p2 = NULL;
            size_t bytes;
            if (size_mul(need, sizeof *nxt, &bytes) || !(p2 = realloc(nxt, bytes))) {
                rc = err_set(err, OS_ENOMEM, "out of memory");
                break;
            }
            nxt = p2;
            if (!(p2 = realloc(tmp, bytes))) {
                rc = err_set(err, OS_ENOMEM, "out of memory");
                break;
            }
            tmp = p2;
            nxt_cap = need;
        }
        long nn = 0;
        for (long k = 0; k < n; k++) {
            const gap_entry *e = &cur[k];
            for (int a = 0; a < A; a++) {
                int i = e->s * A + a;
                double pa = tab[i];
                if (pa == 0)
                    continue;
                double g = e->g + gap[i];
                for (int j = m->trans_start[i]; j < m->trans_start[i + 1]; j++) {
                    double p = e->p * pa * m->trans_prob[j];
                    int s2 = m->trans_next[j];
                    if (t == H - 1 || m->terminal[s2])
                        tail += g > threshold ? p : 0; /* the episode ends here */
                    else
                        nxt[nn++] = (gap_entry){ s2, g, p };
                }
            }
        }
        nn = gap_merge(nxt, tmp, count, m->n_states, nn);
        if (nn > max_entries) {
            rc = MDP_TOO_MANY;
            break;
        }
        if ((size_t)nn > cur_cap) {
            gap_entry *p2 = realloc(cur, (size_t)nn * sizeof *cur);
            if (!p2) {
                rc = err_set(err, OS_ENOMEM, "out of memory");
                break;
            }
            cur = p2;
            cur_cap = (size_t)nn;
        }
        memcpy(cur, nxt, (size_t)nn * sizeof *cur);
        n = nn;
    }
    free(cur);
    free(nxt);
    free(tmp);
    free(count);
    if (!rc)
        *out = tail;
    return rc;
}
