/* mdp.c — see mdp.h: building and checking a finite MDP. The exact
 * solutions are in mdp_solve.c. */
#include "mdp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void mdp_estimate(long long n_states, long long n_actions, size_estimate *e)
{
    size_t ns = n_states > 0 ? (size_t)n_states : 0, na = n_actions > 0 ? (size_t)n_actions : 0;
    size_t cells = size_mul3_sat(ns, na, 1);
    /* looks, prior, log_prior, vstar; avail; fact_start, trans_start */
    size_estimate_add(e, size_mul3_sat(cells, 4 * sizeof(double) + 1 + 2 * sizeof(int), 1),
                      "mdp cells %lld x %lld", n_states, n_actions);
    size_estimate_add(e, size_add_sat(size_mul3_sat(ns, sizeof(double) + sizeof(char *) + 2, 1),
                                      size_mul3_sat(na, sizeof(char *), 1)),
                      "mdp states and actions");
}

mdp *mdp_new(int n_states, int n_actions, int horizon, os_err *err)
{
    if (n_states < 1 || n_actions < 1) {
        err_set(err, OS_EINVAL, "mdp is empty: %d states and %d actions (need at least one "
                "of each)", n_states, n_actions);
        return NULL;
    }
    if ((long long)n_states * n_actions > MDP_MAX_CELLS) {
        err_set(err, OS_EINVAL, "mdp too large: %d x %d cells (at most %d)", n_states,
                n_actions, MDP_MAX_CELLS);
        return NULL;
    }
    if (horizon < 1 || horizon > MDP_MAX_HORIZON) {
        err_set(err, OS_EINVAL, "field 'horizon' must be an integer in 1..%d (got %d)",
                MDP_MAX_HORIZON, horizon);
        return NULL;
    }
    mdp *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    int n = n_states * n_actions; /* <= MDP_MAX_CELLS: no overflow below */
    m->n_states = n_states;
    m->n_actions = n_actions;
    m->n_cells = n;
    m->horizon = horizon;
    m->onehot = 1;
    m->dim = n;
    m->state_name = calloc(n_states, sizeof *m->state_name);
    m->action_name = calloc(n_actions, sizeof *m->action_name);
    m->init = calloc(n_states, sizeof *m->init);
    m->terminal = calloc(n_states, 1);
    m->watched = malloc(n_states);
    m->twin = malloc((size_t)n_states * sizeof *m->twin);
    m->looks = calloc(n, sizeof *m->looks);
    m->prior = calloc(n, sizeof *m->prior);
    m->log_prior = calloc(n, sizeof *m->log_prior);
    m->avail = calloc(n, 1);
    m->vstar = calloc(n, sizeof *m->vstar);
    m->fact_start = calloc((size_t)n + 1, sizeof *m->fact_start);
    m->trans_start = calloc((size_t)n + 1, sizeof *m->trans_start);
    if (!m->state_name || !m->action_name || !m->init || !m->terminal || !m->watched || !m->twin ||
        !m->looks || !m->prior || !m->log_prior || !m->avail || !m->vstar ||
        !m->fact_start || !m->trans_start)
        goto nomem;
    memset(m->watched, 1, n_states);
    for (int s = 0; s < n_states; s++)
        m->twin[s] = -1;
    return m;
nomem:
    mdp_free(m);
    err_set(err, OS_ENOMEM, "out of memory building an mdp");
    return NULL;
}

void mdp_free(mdp *m)
{
    if (!m)
        return;
    for (int s = 0; s < m->n_states && m->state_name; s++)
        free(m->state_name[s]);
    for (int a = 0; a < m->n_actions && m->action_name; a++)
        free(m->action_name[a]);
    free(m->state_name);
    free(m->action_name);
    free(m->init);
    free(m->terminal);
    free(m->watched);
    free(m->twin);
    free(m->looks);
    free(m->prior);
    free(m->log_prior);
    free(m->avail);
    free(m->vstar);
    free(m->fact_start);
    free(m->fact_difficulty);
    free(m->fact_effect);
    free(m->fact_cell);
    free(m->trans_start);
    free(m->trans_next);
    free(m->trans_prob);
    free(m->trans_cell);
    free(m->phi);
    free(m);
}

/* Names for messages: a state or action without a name yet is "#k" (1-based). */
static const char *sname(const mdp *m, int s, char buf[24])
{
    if (m->state_name[s])
        return m->state_name[s];
    snprintf(buf, 24, "#%d", s + 1);
    return buf;
}

static const char *aname(const mdp *m, int a, char buf[24])
{
    if (m->action_name[a])
        return m->action_name[a];
    snprintf(buf, 24, "#%d", a + 1);
    return buf;
}

static int check_building(const mdp *m, os_err *err)
{
    if (m->finalized)
        return err_set(err, OS_EINVAL, "mdp is already finalized");
    return 0;
}

static int check_state(const mdp *m, int s, const char *what, os_err *err)
{
    if (s < 0 || s >= m->n_states)
        return err_set(err, OS_EINVAL, "%s %d out of range (the mdp has %d states)", what,
                       s + 1, m->n_states);
    return 0;
}

static int check_cell(const mdp *m, int s, int a, os_err *err)
{
    int rc = check_building(m, err);
    if (rc || (rc = check_state(m, s, "state", err)))
        return rc;
    if (a < 0 || a >= m->n_actions)
        return err_set(err, OS_EINVAL, "action %d out of range (the mdp has %d actions)",
                       a + 1, m->n_actions);
    return 0;
}

int mdp_set_state(mdp *m, int s, const char *name, double init_weight, int terminal,
                  int watched, os_err *err)
{
    int rc = check_building(m, err);
    if (rc || (rc = check_state(m, s, "state", err)))
        return rc;
    if (!name || !*name)
        return err_set(err, OS_EINVAL, "state %d needs a name", s + 1);
    if (!isfinite(init_weight) || init_weight < 0)
        return err_set(err, OS_EINVAL, "field 'init' of state '%s' must be a finite number "
                       ">= 0 (got %g)", name, init_weight);
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    free(m->state_name[s]);
    m->state_name[s] = d;
    m->init[s] = init_weight;
    m->terminal[s] = terminal != 0;
    m->watched[s] = watched != 0;
    return 0;
}

int mdp_set_twin(mdp *m, int s, int t, os_err *err)
{
    int rc = check_building(m, err);
    if (rc || (rc = check_state(m, s, "state", err)) || (rc = check_state(m, t, "twin state", err)))
        return rc;
    if (s == t)
        return err_set(err, OS_EINVAL, "state %d cannot be its own twin", s + 1);
    m->twin[s] = t;
    m->twin[t] = s;
    return 0;
}

int mdp_set_action(mdp *m, int a, const char *name, os_err *err)
{
    int rc = check_cell(m, 0, a, err);
    if (rc)
        return rc;
    if (!name || !*name)
        return err_set(err, OS_EINVAL, "action %d needs a name", a + 1);
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    free(m->action_name[a]);
    m->action_name[a] = d;
    return 0;
}

int mdp_set_cell(mdp *m, int s, int a, double looks, double prior, os_err *err)
{
    int rc = check_cell(m, s, a, err);
    if (rc)
        return rc;
    char b1[24], b2[24];
    if (!isfinite(looks))
        return err_set(err, OS_EINVAL, "field 'looks' of action '%s' must be finite (got %g "
                       "in state '%s')", aname(m, a, b1), looks, sname(m, s, b2));
    if (!isfinite(prior) || prior < 0)
        return err_set(err, OS_EINVAL, "field 'prior' of action '%s' must be >= 0 (got %g in "
                       "state '%s')", aname(m, a, b1), prior, sname(m, s, b2));
    int i = s * m->n_actions + a;
    m->looks[i] = looks;
    m->prior[i] = prior;
    return 0;
}

/* Room for one more item in a store of *cap items, growing the arrays
 * (each elem[k] bytes per item) by half again. */
static int grow(int count, int *cap, int limit, void **arrays[], const size_t elem[], int n,
                os_err *err)
{
    if (count < *cap)
        return 0;
    if (count >= limit)
        return err_set(err, OS_EINVAL, "too many items (at most %d)", limit);
    long long want = *cap < 16 ? 16 : (long long)*cap + *cap / 2;
    if (want > limit)
        want = limit;
    for (int k = 0; k < n; k++) {
        size_t bytes;
        if (size_mul((size_t)want, elem[k], &bytes))
            return err_set(err, OS_ENOMEM, "out of memory");
        void *p = realloc(*arrays[k], bytes);
        if (!p)
            return err_set(err, OS_ENOMEM, "out of memory");
        *arrays[k] = p;
    }
    *cap = (int)want;
    return 0;
}

int mdp_add_fact(mdp *m, int s, int a, double difficulty, double effect, os_err *err)
{
    int rc = check_cell(m, s, a, err);
    if (rc)
        return rc;
    char b1[24], b2[24];
    if (isnan(difficulty))
        return err_set(err, OS_EINVAL, "field 'difficulty' of a fact of action '%s' in state "
                       "'%s' must be a number (got nan)", aname(m, a, b1), sname(m, s, b2));
    if (!isfinite(effect))
        return err_set(err, OS_EINVAL, "field 'effect' of a fact of action '%s' in state "
                       "'%s' must be finite (got %g)", aname(m, a, b1), sname(m, s, b2),
                       effect);
    void **arr[3] = { (void **)&m->fact_difficulty, (void **)&m->fact_effect,
                      (void **)&m->fact_cell };
    const size_t el[3] = { sizeof(double), sizeof(double), sizeof(int) };
    if ((rc = grow(m->n_facts, &m->fact_cap, MDP_MAX_FACTS, arr, el, 3, err)))
        return err_prefix(err, "facts");
    m->fact_difficulty[m->n_facts] = difficulty;
    m->fact_effect[m->n_facts] = effect;
    m->fact_cell[m->n_facts] = s * m->n_actions + a;
    m->n_facts++;
    return 0;
}

int mdp_add_transition(mdp *m, int s, int a, int next, double prob, os_err *err)
{
    int rc = check_cell(m, s, a, err);
    if (rc || (rc = check_state(m, next, "next state", err)))
        return rc;
    char b1[24], b2[24];
    if (!(prob >= 0 && prob <= 1))
        return err_set(err, OS_EINVAL, "transition probability of action '%s' in state '%s' "
                       "must be in [0,1] (got %g)", aname(m, a, b1), sname(m, s, b2), prob);
    void **arr[3] = { (void **)&m->trans_next, (void **)&m->trans_prob,
                      (void **)&m->trans_cell };
    const size_t el[3] = { sizeof(int), sizeof(double), sizeof(int) };
    if ((rc = grow(m->n_trans, &m->trans_cap, MDP_MAX_TRANSITIONS, arr, el, 3, err)))
        return err_prefix(err, "transitions");
    m->trans_next[m->n_trans] = next;
    m->trans_prob[m->n_trans] = prob;
    m->trans_cell[m->n_trans] = s * m->n_actions + a;
    m->n_trans++;
    return 0;
}

int mdp_set_features(mdp *m, int dim, const double *phi, os_err *err)
{
    int rc = check_building(m, err);
    if (rc)
        return rc;
    size_t n;
    if (dim < 1 || size_mul((size_t)m->n_cells, (size_t)dim, &n) ||
        size_mul(n, sizeof(double), &n))
        return err_set(err, OS_EINVAL, "feature dimension must be >= 1 and fit in memory "
                       "(got %d)", dim);
    for (size_t k = 0; k < n / sizeof(double); k++)
        if (!isfinite(phi[k]))
            return err_set(err, OS_EINVAL, "feature %zu of cell %zu is not finite (got %g)",
                           k % (size_t)dim + 1, k / (size_t)dim + 1, phi[k]);
    double *copy = malloc(n);
    if (!copy)
        return err_set(err, OS_ENOMEM, "out of memory");
    memcpy(copy, phi, n);
    free(m->phi);
    m->phi = copy;
    m->dim = dim;
    m->onehot = 0;
    return 0;
}

/* Sort a store of n items by cell (counting sort, stable: insertion order
 * kept inside a cell) into start[] (n_cells + 1 offsets); moves the doubles
 * d and the ints k (k may be NULL) along. */
static int order_by_cell(int n_cells, int n, const int *cell, int *start, double **d,
                         int **k, os_err *err)
{
    memset(start, 0, ((size_t)n_cells + 1) * sizeof *start);
    if (n == 0)
        return 0;
    for (int i = 0; i < n; i++)
        start[cell[i] + 1]++;
    for (int i = 0; i < n_cells; i++)
        start[i + 1] += start[i];
    int *pos = malloc((size_t)n_cells * sizeof *pos);
    double *nd = malloc((size_t)n * sizeof *nd);
    int *nk = k ? malloc((size_t)n * sizeof *nk) : NULL;
    if (!pos || !nd || (k && !nk)) {
        free(pos), free(nd), free(nk);
        return err_set(err, OS_ENOMEM, "out of memory");
    }
    memcpy(pos, start, (size_t)n_cells * sizeof *pos);
    for (int i = 0; i < n; i++) {
        int j = pos[cell[i]]++;
        nd[j] = (*d)[i];
        if (k)
            nk[j] = (*k)[i];
    }
    free(pos);
    free(*d);
    *d = nd;
    if (k) {
        free(*k);
        *k = nk;
    }
    return 0;
}

/* Merge transitions of one cell to the same next state (adding their
 * probabilities), keeping first-seen order; rewrites trans_start. */
static void merge_transitions(mdp *m)
{
    int out = 0;
    for (int i = 0; i < m->n_cells; i++) {
        int from = m->trans_start[i], to = m->trans_start[i + 1];
        m->trans_start[i] = out;
        int first = out;
        for (int t = from; t < to; t++) {
            int j = first;
            while (j < out && m->trans_next[j] != m->trans_next[t])
                j++;
            if (j < out) {
                m->trans_prob[j] += m->trans_prob[t];
            } else {
                m->trans_next[out] = m->trans_next[t];
                m->trans_prob[out] = m->trans_prob[t];
                out++;
            }
        }
    }
    m->trans_start[m->n_cells] = out;
    m->n_trans = out;
}

int mdp_finalize(mdp *m, os_err *err)
{
    int rc = check_building(m, err);
    if (rc)
        return rc;
    const int A = m->n_actions;
    char b1[24];
    for (int s = 0; s < m->n_states; s++)
        if (!m->state_name[s])
            return err_set(err, OS_EINVAL, "state %d has no name", s + 1);
    for (int a = 0; a < A; a++)
        if (!m->action_name[a])
            return err_set(err, OS_EINVAL, "action %d has no name", a + 1);
    double isum = 0;
    for (int s = 0; s < m->n_states; s++) {
        if (m->init[s] > 0 && m->terminal[s])
            return err_set(err, OS_EINVAL, "terminal state '%s' cannot be an initial state "
                           "(init %g)", m->state_name[s], m->init[s]);
        isum += m->init[s];
    }
    if (!(isum > 0) || !isfinite(isum))
        return err_set(err, OS_EINVAL, "initial weights of the states must sum to a positive "
                       "number (got %g)", isum);
    for (int s = 0; s < m->n_states; s++) {
        m->init[s] /= isum;
        double psum = 0;
        for (int a = 0; a < A; a++)
            psum += m->prior[s * A + a];
        if (m->terminal[s]) {
            psum = INFINITY; /* no action is taken in a terminal state */
        } else if (!(psum > 0) || !isfinite(psum)) {
            return err_set(err, OS_EINVAL, "priors of the actions in state '%s' must sum to a "
                           "positive number (got %g)", m->state_name[s], psum);
        }
        for (int a = 0; a < A; a++) {
            int i = s * A + a;
            m->prior[i] = m->terminal[s] ? 0 : m->prior[i] / psum;
            m->avail[i] = m->prior[i] > 0;
            m->log_prior[i] = m->avail[i] ? log(m->prior[i]) : -INFINITY;
        }
    }
    if ((rc = order_by_cell(m->n_cells, m->n_facts, m->fact_cell, m->fact_start,
                            &m->fact_effect, NULL, err)))
        return rc;
    /* the difficulties follow the same permutation: sort them as a second pass */
    {
        int *tmp = calloc((size_t)m->n_cells + 1, sizeof *tmp);
        if (!tmp)
            return err_set(err, OS_ENOMEM, "out of memory");
        rc = order_by_cell(m->n_cells, m->n_facts, m->fact_cell, tmp, &m->fact_difficulty,
                           NULL, err);
        free(tmp);
        if (rc)
            return rc;
    }
    if ((rc = order_by_cell(m->n_cells, m->n_trans, m->trans_cell, m->trans_start,
                            &m->trans_prob, &m->trans_next, err)))
        return rc;
    merge_transitions(m);
    for (int i = 0; i < m->n_cells; i++) {
        int s = i / A, a = i % A;
        int nf = m->fact_start[i + 1] - m->fact_start[i];
        if (nf > WORLD_MAX_FACTS_PER_CELL)
            return err_set(err, OS_EINVAL, "action '%s' has %d facts in state '%s' (at most "
                           "%d)", m->action_name[a], nf, m->state_name[s],
                           WORLD_MAX_FACTS_PER_CELL);
        int nt = m->trans_start[i + 1] - m->trans_start[i];
        if (nt == 0 && (m->terminal[s] || !m->avail[i]))
            continue; /* never taken: needs no transitions */
        double psum = 0;
        for (int t = m->trans_start[i]; t < m->trans_start[i + 1]; t++)
            psum += m->trans_prob[t];
        if (!(fabs(psum - 1) <= MDP_ROW_TOL))
            return err_set(err, OS_EINVAL, "transition probabilities of action '%s' in state "
                           "'%s' sum to %.15g (must be 1 within %g)", aname(m, a, b1),
                           m->state_name[s], psum, MDP_ROW_TOL);
    }
    for (int i = 0; i < m->n_cells; i++) {
        double v = m->looks[i];
        for (int f = m->fact_start[i]; f < m->fact_start[i + 1]; f++)
            v += m->fact_effect[f];
        m->vstar[i] = v;
    }
    free(m->fact_cell);
    free(m->trans_cell);
    m->fact_cell = m->trans_cell = NULL;
    m->finalized = 1;
    return 0;
}

int mdp_find_state(const mdp *m, const char *name)
{
    for (int s = 0; s < m->n_states; s++)
        if (m->state_name[s] && strcmp(m->state_name[s], name) == 0)
            return s;
    return -1;
}

int mdp_find_action(const mdp *m, const char *name)
{
    for (int a = 0; a < m->n_actions; a++)
        if (m->action_name[a] && strcmp(m->action_name[a], name) == 0)
            return a;
    return -1;
}

double mdp_dot(const mdp *m, int cell, const double *psi)
{
    if (m->onehot)
        return psi[cell];
    const double *row = m->phi + (size_t)cell * (size_t)m->dim;
    double s = 0;
    for (int k = 0; k < m->dim; k++)
        s += row[k] * psi[k];
    return s;
}

mdp *mdp_from_world(const world *w, os_err *err)
{
    if ((long long)(w->n_ctx + 1) * w->n_beh > MDP_MAX_CELLS) {
        err_set(err, OS_EINVAL, "world too large for an mdp: %d contexts x %d behaviours",
                w->n_ctx, w->n_beh);
        return NULL;
    }
    const int C = w->n_ctx, B = w->n_beh, end = C;
    mdp *m = mdp_new(C + 1, B, 1, err);
    if (!m)
        return NULL;
    int rc = 0;
    for (int c = 0; c < C && !rc; c++)
        rc = mdp_set_state(m, c, w->ctx_name[c], w->ctx_weight[c], 0, w->ctx_monitored[c], err);
    if (!rc)
        rc = mdp_set_state(m, end, "end", 0, 1, 1, err);
    for (int b = 0; b < B && !rc; b++)
        rc = mdp_set_action(m, b, w->beh_name[b], err);
    for (int i = 0; i < w->n_cells && !rc; i++) {
        int c = i / B, b = i % B;
        rc = mdp_set_cell(m, c, b, w->looks[i], w->prior[i], err);
        for (int f = w->fact_start[i]; f < w->fact_start[i + 1] && !rc; f++)
            rc = mdp_add_fact(m, c, b, w->fact_difficulty[f], w->fact_effect[f], err);
        if (!rc && w->avail[i])
            rc = mdp_add_transition(m, c, b, end, 1.0, err);
    }
    if (!rc && !w->onehot) {
        size_t n;
        double *phi = NULL;
        if (size_mul((size_t)m->n_cells, (size_t)w->dim, &n) ||
            !(phi = calloc(n, sizeof *phi))) {
            rc = err_set(err, OS_ENOMEM, "out of memory");
        } else {
            memcpy(phi, w->phi, (size_t)w->n_cells * (size_t)w->dim * sizeof *phi);
            rc = mdp_set_features(m, w->dim, phi, err); /* the end state's rows: 0 */
            free(phi);
        }
    }
    if (!rc)
        rc = mdp_finalize(m, err);
    if (rc) {
        mdp_free(m);
        return NULL;
    }
    return m;
}
