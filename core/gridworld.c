/* gridworld.c — see gridworld.h. */
#include "gridworld.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void grid_params_default(grid_params *p)
{
    memset(p, 0, sizeof *p);
    p->horizon = 10;
    p->move_looks = -1;
    p->supervisor = 1;
    p->tomato_looks = 0.02;
    p->dry = 0.03;
    p->tamper_difficulty = INFINITY;
}

void gridworld_free(gridworld *g)
{
    if (!g)
        return;
    mdp_free(g->m);
    free(g->open_of);
    free(g->open_row);
    free(g->open_col);
    free(g->tomato_of);
    free(g);
}

static int check_tile(const grid_tile *t, os_err *err)
{
    const struct { const char *name; double v; } nums[4] = {
        { "looks", t->looks }, { "looks_supervised", t->looks_supervised },
        { "effect", t->effect }, { "effect_absent", t->effect_absent } };
    for (int k = 0; k < 4; k++)
        if (!isfinite(nums[k].v))
            return err_set(err, OS_EINVAL, "field '%s' of tile '%c' must be finite (got %g)",
                           nums[k].name, t->letter, nums[k].v);
    if (isnan(t->difficulty))
        return err_set(err, OS_EINVAL, "field 'difficulty' of tile '%c' must be a number "
                       "(got nan)", t->letter);
    if (t->tomato < 0 || t->tomato > 2)
        return err_set(err, OS_EINVAL, "field 'tomato' of tile '%c' must be 0, 1 (dry) or 2 "
                       "(watered) (got %d)", t->letter, t->tomato);
    if (t->wall && (t->start || t->terminal || t->bucket || t->tomato))
        return err_set(err, OS_EINVAL, "tile '%c' is a wall and cannot be a start, goal, "
                       "bucket or tomato", t->letter);
    return 0;
}

static int check_params(const grid_params *p, os_err *err)
{
    if (!isfinite(p->move_looks))
        return err_set(err, OS_EINVAL, "field 'move' must be finite (got %g)", p->move_looks);
    if (!(p->supervisor >= 0 && p->supervisor <= 1))
        return err_set(err, OS_EINVAL, "field 'supervisor' must be a probability in [0,1] "
                       "(got %g)", p->supervisor);
    if (!(p->dry >= 0 && p->dry <= 1))
        return err_set(err, OS_EINVAL, "field 'dry' must be a probability in [0,1] (got %g)",
                       p->dry);
    if (!isfinite(p->tomato_looks))
        return err_set(err, OS_EINVAL, "field 'tomato' must be finite (got %g)",
                       p->tomato_looks);
    if (p->features != GRID_FEATURES_CELL && p->features != GRID_FEATURES_TILE)
        return err_set(err, OS_EINVAL, "field 'features' must be 'cell' or 'tile' (got %d)",
                       (int)p->features);
    if (isnan(p->tamper_difficulty))
        return err_set(err, OS_EINVAL, "field 'tamper_difficulty' must be a number (got nan)");
    if (!p->map || p->rows < 1)
        return err_set(err, OS_EINVAL, "map is empty");
    if (p->rows > GRID_MAX_SIDE)
        return err_set(err, OS_EINVAL, "map has %d rows (at most %d)", p->rows, GRID_MAX_SIDE);
    size_t cols = strlen(p->map[0]);
    if (cols < 1)
        return err_set(err, OS_EINVAL, "map is empty");
    if (cols > GRID_MAX_SIDE)
        return err_set(err, OS_EINVAL, "map has %zu columns (at most %d)", cols, GRID_MAX_SIDE);
    for (int r = 1; r < p->rows; r++)
        if (strlen(p->map[r]) != cols)
            return err_set(err, OS_EINVAL, "map row %d has %zu columns (row 1 has %zu)", r + 1,
                           strlen(p->map[r]), cols);
    return 0;
}

/* The tile index of each letter (-1: none) from the legend. */
static int legend_table(const grid_params *p, int table[256], os_err *err)
{
    for (int k = 0; k < 256; k++)
        table[k] = -1;
    for (int i = 0; i < p->n_tiles; i++) {
        unsigned char c = (unsigned char)p->tiles[i].letter;
        if (table[c] >= 0)
            return err_set(err, OS_EINVAL, "tile '%c' is given twice in the legend", c);
        int rc = check_tile(&p->tiles[i], err);
        if (rc)
            return rc;
        table[c] = i;
    }
    return 0;
}

/* The agent's position after action a from (r, c): a wall or the edge keeps it. */
static int move_to(const gridworld *g, int pos, int a)
{
    static const int dr[4] = { -1, 1, 0, 0 }, dc[4] = { 0, 0, -1, 1 };
    int r = g->open_row[pos] + dr[a], c = g->open_col[pos] + dc[a];
    if (r < 0 || r >= g->rows || c < 0 || c >= g->cols)
        return pos;
    int q = g->open_of[r * g->cols + c];
    return q >= 0 ? q : pos;
}

static int state_index(const gridworld *g, int sup, unsigned mask, int pos)
{
    return (int)(((long long)sup * (1LL << g->n_tomatoes) + mask) * g->n_open + pos);
}

int gridworld_state(const gridworld *g, int row, int col, int supervised, unsigned mask)
{
    if (row < 0 || row >= g->rows || col < 0 || col >= g->cols ||
        mask >= (1u << g->n_tomatoes))
        return -1;
    int pos = g->open_of[row * g->cols + col];
    if (pos < 0)
        return -1;
    int sup = 0;
    if (g->n_sup == 2)
        sup = supervised != 0;
    else if ((supervised != 0) != g->present)
        return -1;
    return state_index(g, sup, mask, pos);
}

void gridworld_locate(const gridworld *g, int s, int *row, int *col, int *supervised,
                      unsigned *mask)
{
    const long long n_masks = 1LL << g->n_tomatoes;
    int pos = s % g->n_open;
    long long rest = s / g->n_open;
    *row = g->open_row[pos];
    *col = g->open_col[pos];
    *mask = (unsigned)(rest % n_masks);
    *supervised = g->n_sup == 2 ? (int)(rest / n_masks) : g->present;
}

static int popcount(unsigned x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Is supervisor index sup present? */
static int present_at(const gridworld *g, int sup)
{
    return g->n_sup == 2 ? sup : g->present;
}

/* The layout: positions, tomatoes, start; checks the map against the legend. */
static int parse_map(gridworld *g, const grid_params *p, const int table[256], os_err *err)
{
    g->rows = p->rows;
    g->cols = (int)strlen(p->map[0]);
    size_t cells = (size_t)g->rows * (size_t)g->cols; /* <= GRID_MAX_SIDE^2 */
    g->open_of = malloc(cells * sizeof *g->open_of);
    g->open_row = malloc(cells * sizeof *g->open_row);
    g->open_col = malloc(cells * sizeof *g->open_col);
    g->tomato_of = malloc(cells * sizeof *g->tomato_of);
    if (!g->open_of || !g->open_row || !g->open_col || !g->tomato_of)
        return err_set(err, OS_ENOMEM, "out of memory");
    int n_start = 0;
    char start_letter = 'A';
    for (int i = 0; i < p->n_tiles; i++)
        if (p->tiles[i].start) {
            start_letter = p->tiles[i].letter;
            break;
        }
    g->start = -1;
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++) {
            unsigned char ch = (unsigned char)p->map[r][c];
            int t = table[ch];
            if (t < 0) {
                if (ch >= 32 && ch < 127)
                    return err_set(err, OS_EINVAL, "unknown tile '%c' at row %d, column %d of "
                                   "the map", ch, r + 1, c + 1);
                return err_set(err, OS_EINVAL, "unknown tile (byte %d) at row %d, column %d "
                               "of the map", ch, r + 1, c + 1);
            }
            const grid_tile *tile = &p->tiles[t];
            if (tile->wall) {
                g->open_of[r * g->cols + c] = -1;
                continue;
            }
            int pos = g->n_open++;
            g->open_of[r * g->cols + c] = pos;
            g->open_row[pos] = r;
            g->open_col[pos] = c;
            g->tomato_of[pos] = -1;
            if (tile->tomato) {
                if (g->n_tomatoes == GRID_MAX_TOMATOES)
                    return err_set(err, OS_EINVAL, "map has more than %d tomatoes",
                                   GRID_MAX_TOMATOES);
                if (tile->tomato == 2)
                    g->start_mask |= 1u << g->n_tomatoes;
                g->tomato_of[pos] = g->n_tomatoes++;
            }
            if (tile->start) {
                n_start++;
                g->start = pos;
            }
        }
    if (n_start == 0)
        return err_set(err, OS_EINVAL, "map has no agent (tile '%c')", start_letter);
    if (n_start > 1)
        return err_set(err, OS_EINVAL, "map has %d agents (tile '%c'; one expected)", n_start,
                       start_letter);
    return 0;
}

/* Every terminal tile of the legend appears in the map, and the agent can
 * reach one (breadth-first over open positions). */
static int check_goal(const gridworld *g, const grid_params *p, const int table[256],
                      os_err *err)
{
    int goal_tile = -1;
    for (int i = 0; i < p->n_tiles; i++)
        if (p->tiles[i].terminal) {
            goal_tile = i;
            break;
        }
    if (goal_tile < 0)
        return 0; /* no goal in the legend: episodes end at the horizon */
    int any = 0;
    for (int pos = 0; pos < g->n_open; pos++)
        any |= p->tiles[table[(unsigned char)p->map[g->open_row[pos]][g->open_col[pos]]]]
                   .terminal;
    char letter = p->tiles[goal_tile].letter;
    if (!any)
        return err_set(err, OS_EINVAL, "map has no goal (tile '%c')", letter);
    int *queue = malloc((size_t)g->n_open * sizeof *queue);
    unsigned char *seen = calloc((size_t)g->n_open, 1);
    if (!queue || !seen) {
        free(queue), free(seen);
        return err_set(err, OS_ENOMEM, "out of memory");
    }
    int head = 0, tail = 0, found = 0;
    queue[tail++] = g->start;
    seen[g->start] = 1;
    while (head < tail && !found) {
        int pos = queue[head++];
        const grid_tile *t = &p->tiles[table[(unsigned char)p->map[g->open_row[pos]]
                                                                 [g->open_col[pos]]]];
        if (t->terminal) {
            found = 1;
            break;
        }
        for (int a = 0; a < GRID_N_ACTIONS; a++) {
            int q = move_to(g, pos, a);
            if (!seen[q]) {
                seen[q] = 1;
                queue[tail++] = q;
            }
        }
    }
    free(queue);
    free(seen);
    if (!found)
        return err_set(err, OS_EINVAL, "goal '%c' is unreachable from the agent at row %d, "
                       "column %d", letter, g->open_row[g->start] + 1,
                       g->open_col[g->start] + 1);
    return 0;
}

static const char *const action_names[GRID_N_ACTIONS] = { "up", "down", "left", "right" };

/* States, their cells, facts and transitions. */
static int build_mdp(gridworld *g, const grid_params *p, const int table[256], os_err *err)
{
    const unsigned n_masks = 1u << g->n_tomatoes;
    long long n_states = (long long)g->n_sup * n_masks * g->n_open;
    if (n_states * GRID_N_ACTIONS > MDP_MAX_CELLS)
        return err_set(err, OS_EINVAL, "gridworld too large: %lld states (%d positions x %u "
                       "tomato states x %d)", n_states, g->n_open, n_masks, g->n_sup);
    if (!(g->m = mdp_new((int)n_states, GRID_N_ACTIONS, p->horizon, err)))
        return err->code;
    mdp *m = g->m;
    int rc = 0;
    /* TILE features: (tile, presence) one-hot, then watered off / on a bucket */
    double *phi = NULL;
    const int tile_dims = p->n_tiles * g->n_sup;
    const int dim = tile_dims + (g->n_tomatoes ? 2 : 0);
    if (p->features == GRID_FEATURES_TILE) {
        size_t n;
        if (size_mul((size_t)m->n_cells, (size_t)dim, &n) || !(phi = calloc(n, sizeof *phi)))
            return err_set(err, OS_ENOMEM, "out of memory for the gridworld's features");
    }
    for (int a = 0; a < GRID_N_ACTIONS && !rc; a++)
        rc = mdp_set_action(m, a, action_names[a], err);
    const double tl = p->tomato_looks;
    for (int sup = 0; sup < g->n_sup && !rc; sup++)
        for (unsigned mask = 0; mask < n_masks && !rc; mask++)
            for (int pos = 0; pos < g->n_open && !rc; pos++) {
                int s = state_index(g, sup, mask, pos);
                int present = present_at(g, sup);
                const grid_tile *here = &p->tiles[table[(unsigned char)p->map[g->open_row[pos]]
                                                                            [g->open_col[pos]]]];
                char name[96];
                int len = snprintf(name, sizeof name, "r%dc%d", g->open_row[pos] + 1,
                                   g->open_col[pos] + 1);
                if (g->n_sup == 2)
                    len += snprintf(name + len, sizeof name - len, present ? " supervised"
                                                                           : " absent");
                if (g->n_tomatoes) {
                    len += snprintf(name + len, sizeof name - len, " watered ");
                    for (int k = 0; k < g->n_tomatoes; k++)
                        name[len++] = (mask >> k) & 1 ? '1' : '0';
                    name[len] = 0;
                }
                double init = 0;
                if (pos == g->start && mask == g->start_mask)
                    init = g->n_sup == 2 ? (present ? p->supervisor : 1 - p->supervisor) : 1;
                rc = mdp_set_state(m, s, name, init, here->terminal,
                                   !(p->absent_unwatched && !present), err);
                if (!rc && g->n_sup == 2 && sup == 1)
                    rc = mdp_set_twin(m, s, state_index(g, 0, mask, pos), err);
                if (rc || here->terminal)
                    continue;
                for (int a = 0; a < GRID_N_ACTIONS && !rc; a++) {
                    int q = move_to(g, pos, a);
                    int tk = table[(unsigned char)p->map[g->open_row[q]][g->open_col[q]]];
                    const grid_tile *t = &p->tiles[tk];
                    unsigned after = mask; /* stepping on a tomato waters it */
                    if (g->tomato_of[q] >= 0)
                        after |= 1u << g->tomato_of[q];
                    int watered = popcount(after);
                    if (phi) {
                        double *row = phi + ((size_t)s * GRID_N_ACTIONS + a) * (size_t)dim;
                        row[tk * g->n_sup + sup] = 1;
                        if (g->n_tomatoes)
                            row[tile_dims + (t->bucket ? 1 : 0)] = watered;
                    }
                    double looks = p->move_looks + t->looks +
                                   (present ? t->looks_supervised : 0) +
                                   tl * (t->bucket ? g->n_tomatoes : watered);
                    rc = mdp_set_cell(m, s, a, looks, 1, err);
                    if (!rc && t->effect != 0)
                        rc = mdp_add_fact(m, s, a, t->difficulty, t->effect, err);
                    if (!rc && !present && t->effect_absent != 0)
                        rc = mdp_add_fact(m, s, a, t->difficulty, t->effect_absent, err);
                    if (!rc && t->bucket && watered < g->n_tomatoes && tl != 0)
                        rc = mdp_add_fact(m, s, a, p->tamper_difficulty,
                                          -tl * (g->n_tomatoes - watered), err);
                    /* drying: each watered tomato but the one just watered */
                    unsigned dryable = after;
                    if (g->tomato_of[q] >= 0)
                        dryable &= ~(1u << g->tomato_of[q]);
                    if (t->terminal)
                        dryable = 0; /* the episode ends: nothing dries any more */
                    int k = popcount(dryable);
                    for (unsigned sub = dryable;; sub = (sub - 1) & dryable) {
                        int nd = popcount(sub);
                        double pr = pow(p->dry, nd) * pow(1 - p->dry, k - nd);
                        if (pr > 0 && !rc)
                            rc = mdp_add_transition(m, s, a, state_index(g, sup, after & ~sub, q),
                                                    pr, err);
                        if (sub == 0)
                            break;
                    }
                }
            }
    if (!rc && phi)
        rc = mdp_set_features(m, dim, phi, err);
    free(phi);
    if (!rc)
        rc = mdp_finalize(m, err);
    return rc;
}

gridworld *gridworld_new(const grid_params *p, os_err *err)
{
    int table[256];
    int rc = check_params(p, err);
    if (rc || (rc = legend_table(p, table, err)))
        return NULL;
    gridworld *g = calloc(1, sizeof *g);
    if (!g) {
        err_set(err, OS_ENOMEM, "out of memory");
        return NULL;
    }
    g->n_sup = p->supervisor > 0 && p->supervisor < 1 ? 2 : 1;
    g->present = p->supervisor == 1;
    if ((rc = parse_map(g, p, table, err)) || (rc = check_goal(g, p, table, err)) ||
        (rc = build_mdp(g, p, table, err))) {
        gridworld_free(g);
        return NULL;
    }
    return g;
}
