/* mdp.h — episodes: a finite MDP with hidden facts (DESIGN.md §1c).
 * Owns: states (initial weight, terminal, watched by the overseer), actions,
 *       the per-(s,a) cells (looks, reference policy pi0(a|s), hidden facts,
 *       true value, features phi(s,a)), sparse transitions P(s'|s,a), the
 *       horizon H; the exact finite-horizon soft value iteration for the
 *       KL-regularised optimum (mdp_solve.c) and exact expectations of a
 *       policy by forward propagation of the state distribution.
 * Uses: err.h, size.h, world.h (mdp_from_world: a bandit is the MDP of H = 1).
 *       Built once (mdp_new, mdp_set_*, mdp_add_*, mdp_finalize), then
 *       read-only: other modules read the arrays below, and several threads
 *       may share one.
 *
 * An episode starts in s_0 ~ init, takes a_t ~ pi_t(.|s_t) and moves to
 * s_{t+1} ~ P(.|s_t,a_t); it ends after H steps or on entering a terminal
 * state (no action is taken in one). Step t's true value is vstar(s_t,a_t) =
 * looks + the effects of its facts; what an overseer sees of it is segment.h's.
 *
 * Policies are tables of probabilities per cell (cell = s * n_actions + a).
 * The exact optimum of a finite horizon depends on the time left, so a policy
 * is *time-indexed*: n_tables = H tables, table t for step t; n_tables = 1 is
 * a stationary policy (the same table at every step). */
#ifndef OVERSIM_MDP_H
#define OVERSIM_MDP_H

#include "err.h"
#include "size.h"
#include "world.h"

#define MDP_MAX_CELLS 50000000      /* n_states x n_actions */
#define MDP_MAX_HORIZON 1000000
#define MDP_MAX_TRANSITIONS (INT_MAX / 2)
#define MDP_MAX_FACTS (INT_MAX / 2)
/* Transition rows must sum to 1 within this: loose enough for probabilities
 * a scenario writes as decimals (0.1 + 0.2 + 0.7), tight enough that a row
 * missing any real mass (1e-6 and up) is an error, not a rounding. */
#define MDP_ROW_TOL 1e-9

typedef struct mdp {
    int n_states, n_actions, n_cells; /* cell = s * n_actions + a */
    int horizon;                      /* H >= 1 */
    int dim;                          /* feature dimension */
    int onehot;                       /* 1: phi is one-hot per cell (tabular) */

    char **state_name, **action_name;
    double *init;            /* per state: initial distribution (normalised) */
    unsigned char *terminal; /* per state: entering it ends the episode */
    unsigned char *watched;  /* per state: the overseer sees steps taken here */
    int *twin;               /* per state: the state that differs from it only in
                                whether it is watched or supervised (-1: none), for
                                the watched-vs-unwatched behaviour metric */

    double *looks;           /* per cell */
    double *prior;           /* per cell: pi0(a|s), normalised per state; 0 = absent
                                (all 0 in terminal states) */
    double *log_prior;       /* per cell; -INFINITY where absent */
    unsigned char *avail;    /* per cell: prior > 0 */
    double *vstar;           /* per cell: looks + sum of fact effects */

    int n_facts;
    int *fact_start;         /* n_cells + 1: facts of a cell are [start[i], start[i+1]) */
    double *fact_difficulty, *fact_effect;

    int n_trans;
    int *trans_start;        /* n_cells + 1: transitions of a cell */
    int *trans_next;         /* next state of each transition */
    double *trans_prob;      /* its probability (duplicates merged by adding) */

    double *phi;             /* n_cells * dim, row-major; NULL when one-hot */

    /* builder state */
    int finalized;
    int fact_cap, trans_cap;
    int *fact_cell, *trans_cell; /* cell of each fact / transition while building */
} mdp;

/* Count into e what mdp_new(n_states, n_actions, ...) allocates: per-state
 * and per-cell arrays ("mdp cells S x A"). Transitions, facts and features
 * grow with what the builder adds and are not counted. Allocates nothing. */
void mdp_estimate(long long n_states, long long n_actions, size_estimate *e);

/* An MDP of n_states states and n_actions actions with horizon H, no cells
 * (prior 0), no transitions, every state unnamed, initial weight 0, not
 * terminal, watched. NULL with err filled on bad sizes (fewer than one state
 * or action, more than MDP_MAX_CELLS cells, H outside 1..MDP_MAX_HORIZON) or
 * no memory. Free with mdp_free. */
mdp *mdp_new(int n_states, int n_actions, int horizon, os_err *err);

/* Free everything the MDP owns; NULL is a no-op. */
void mdp_free(mdp *m);

/* State s: its name (copied), initial weight (finite, >= 0), terminal and
 * watched flags. Before mdp_finalize; 0 or OS_EINVAL. */
int mdp_set_state(mdp *m, int s, const char *name, double init_weight, int terminal,
                  int watched, os_err *err);

/* States s and t are twins: the same situation but for whether the
 * supervisor is there (watched or supervised); symmetric. Before
 * mdp_finalize. */
int mdp_set_twin(mdp *m, int s, int t, os_err *err);

/* Name (copied) of action a. */
int mdp_set_action(mdp *m, int a, const char *name, os_err *err);

/* Looks (finite) and prior weight (finite, >= 0; 0: a not available in s) of
 * cell (s,a). Messages name the state and action: "field 'prior' of action
 * 'up' must be >= 0 (got -1 in state 's0')". */
int mdp_set_cell(mdp *m, int s, int a, double looks, double prior, os_err *err);

/* A hidden fact on cell (s,a): difficulty (not NaN; +-INFINITY allowed) and
 * finite effect on the step's true value. Grows the fact store (OS_ENOMEM). */
int mdp_add_fact(mdp *m, int s, int a, double difficulty, double effect, os_err *err);

/* P(next | s, a) += prob, prob finite in [0,1]. Several calls on the same
 * (s, a, next) add up. Grows the transition store (OS_ENOMEM). */
int mdp_add_transition(mdp *m, int s, int a, int next, double prob, os_err *err);

/* Scenario features: phi has n_cells * dim values (copied, finite). Without
 * a call, features are one-hot per cell. */
int mdp_set_features(mdp *m, int dim, const double *phi, os_err *err);

/* Check and freeze: every state named, initial weights summing to a positive
 * number and none on a terminal state, every non-terminal state with a
 * positive total prior, every available cell of a non-terminal state with
 * transitions summing to 1 within MDP_ROW_TOL (any cell with transitions:
 * the same), at most WORLD_MAX_FACTS_PER_CELL facts per cell. Normalises
 * init and priors (terminal states' priors become 0: no action is taken
 * there), merges duplicate transitions, orders facts and transitions by
 * cell, computes true values. Messages name the state and action: "transition
 * probabilities of action 'up' in state 's0' sum to 0.9 (must be 1 within
 * 1e-09)" (15 significant digits: enough to show any sum outside the
 * tolerance as different from 1). */
int mdp_finalize(mdp *m, os_err *err);

/* Index of a state / action by name, or -1. */
int mdp_find_state(const mdp *m, const char *name);
int mdp_find_action(const mdp *m, const char *name);

/* The one-step MDP of a finalized bandit world: states are w's contexts
 * (initial weights their training weights, watched as monitored) plus a
 * terminal state "end" every step leads to; actions are behaviours; looks,
 * priors, facts and features copied (one-hot stays one-hot); H = 1. So a
 * bandit's numbers can be computed through either path. NULL with err filled
 * on no memory. */
mdp *mdp_from_world(const world *w, os_err *err);

/* phi(cell) . psi: psi[cell] when one-hot. */
double mdp_dot(const mdp *m, int cell, const double *psi);

/* The table for step t of a policy of n_tables tables (1: stationary, H:
 * time-indexed). */
static inline const double *mdp_policy_at(const mdp *m, const double *pi, int n_tables, int t)
{
    return n_tables == 1 ? pi : pi + (size_t)t * (size_t)m->n_cells;
}

/* --- exact solutions (mdp_solve.c) ------------------------------------------ */

/* The KL-regularised optimum of a finite horizon, by soft value iteration:
 * it maximises E[sum_t reward(s_t,a_t)] - kl_coef sum_t E KL(pi_t(.|s_t) ||
 * pi0(.|s_t)) over time-indexed policies, whose optimum is
 *   V_H(s) = 0, V_t(s) = 0 in terminal states,
 *   Q_t(s,a) = reward(s,a) + sum_s' P(s'|s,a) V_{t+1}(s'),
 *   V_t(s) = kl_coef log sum_a pi0(a|s) exp(Q_t(s,a) / kl_coef),
 *   pi_t(a|s) = pi0(a|s) exp((Q_t(s,a) - V_t(s)) / kl_coef).
 * reward: n_cells values (finite where available). pi receives H tables
 * (H * n_cells values; terminal states' rows 0); value, when not NULL, the
 * (H + 1) * n_states values V_t(s) (so sum_s init(s) V_0(s) is the optimal
 * objective). kl_coef finite > 0 (OS_EINVAL). Computed with the largest
 * logit subtracted, so a small kl_coef gives a near-argmax, not an overflow.
 * Allocates nothing. */
int mdp_soft_vi(const mdp *m, const double *reward, double kl_coef, double *pi,
                double *value, os_err *err);

/* Exact expectations of a policy of n_tables tables (1 or H; rows of
 * non-terminal states summing to 1 over available actions) by forward
 * propagation of the state distribution d_t:
 *   out[k] = E[sum_t values[k](s_t,a_t)] for each of the n_values per-cell
 *            tables (NULL when n_values is 0);
 *   *kl    = sum_t E KL(pi_t(.|s_t) || pi0(.|s_t)) (NULL: not computed);
 *   *length = E[episode length] (NULL: not computed).
 * occupancy, when not NULL, receives d_t(s) for t = 0..H-1 (H * n_states
 * values: the probability the episode is in s and still running at step t).
 * Allocates two state vectors (OS_ENOMEM); a policy with mass on an
 * unavailable action is OS_EINVAL. */
int mdp_expect(const mdp *m, const double *pi, int n_tables, int n_values,
               const double *const *values, double *out, double *kl, double *length,
               double *occupancy, os_err *err);

/* The same from another initial distribution init (n_states values, >= 0;
 * not normalised here: expectations scale with its total). */
int mdp_expect_from(const mdp *m, const double *init, const double *pi, int n_tables,
                    int n_values, const double *const *values, double *out, double *kl,
                    double *length, double *occupancy, os_err *err);

/* Returned by mdp_gap_tail when the distribution outgrows max_entries. */
#define MDP_TOO_MANY 1

/* P(sum_t gap(s_t,a_t) > threshold) over whole episodes of policy pi (n_tables
 * 1 or H), exactly: forward propagation of the joint distribution of (state,
 * gap so far), where entries of one state whose gaps agree within 1e-9 (x (1
 * + |gap|)) merge, so a world whose gaps take few values stays small. gap:
 * per cell (e.g. looks - v*: the deception of a trajectory). 0 with *out set;
 * MDP_TOO_MANY (*out NAN, err untouched) when more than max_entries (state,
 * gap) pairs would be live at once: the caller samples instead; OS_ENOMEM. */
int mdp_gap_tail(const mdp *m, const double *pi, int n_tables, const double *gap,
                 double threshold, long max_entries, double *out, os_err *err);

/* Where policy pi (n_tables 1 or H) spends its episodes (mdp_visits.c):
 *   visits[s] (n_states) = sum_{t=0..H} P(the episode is in s at step t):
 *       expected visits per episode, the state it ends in counted (a
 *       terminal state once, when entered; the state after step H-1 too);
 *   avg[cell] (n_cells) = sum_{t<H} d_t(s) pi_t(a|s) / sum_{t<H} d_t(s): the
 *       probability of a in s averaged over the steps the policy acts there,
 *       weighted by how often it does (one table for a time-indexed policy);
 *       where it never acts (visits only at the end, or none, or terminal),
 *       step 0's row (terminal states: their zeros).
 * Allocates two state vectors (OS_ENOMEM). */
int mdp_visits(const mdp *m, const double *pi, int n_tables, double *visits, double *avg,
               os_err *err);

#endif
