/* l_episodes.c — episodes from Lua (issue 13, first part):
 * oversim.gridworld{...} builds a gridworld (core/gridworld.h) from a map and
 * a legend of tiles (oversim.mdp{...}, any finite MDP, is l_mdp.c's); e:info()
 * describes either and e:optimum{...} solves it exactly;
 * oversim.train_episodes{...} runs the preference loop on it (core/eptrain.h)
 * and returns its rows.
 * Uses: the core's gridworld, mdp, epjudge and eptrain; overseers made by
 * oversim.overseer{}, bound to the bandit world of the episodes' cells
 * (l_bind_overseer; a debate's judge by l_bind_debate_judge, its debate
 * played per pair of segments). Errors name
 * the caller's file and line, as everywhere in the binding. */
#include "l_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gridworld.h"
#include "eptrain.h"
#include "epbon.h"
#include "rng.h"


static const l_field GRID_FIELDS[] = {
    { "name", T_STR }, { "map", T_TAB }, { "tiles", T_TAB }, { "horizon", T_NUM },
    { "move", T_NUM }, { "supervisor", T_NUM }, { "absent_unwatched", T_BOOL },
    { "tomato", T_NUM }, { "dry", T_NUM }, { "tamper_difficulty", T_NUM },
    { "features", T_STR }, { NULL, 0 } };
static const l_field TILE_FIELDS[] = {
    { "name", T_STR }, { "wall", T_BOOL }, { "agent", T_BOOL }, { "goal", T_BOOL },
    { "bucket", T_BOOL }, { "tomato", T_STR }, { "looks", T_NUM },
    { "looks_supervised", T_NUM }, { "effect", T_NUM }, { "effect_absent", T_NUM },
    { "difficulty", T_NUM }, { NULL, 0 } };
static const l_field TRAIN_FIELDS[] = {
    { "world", T_ANY }, { "overseer", T_ANY }, /* checked with a better message */
    { "rounds", T_NUM }, { "pairs", T_NUM }, { "segment", T_NUM }, { "kl", T_NUM },
    { "l2", T_NUM }, { "max_iter", T_NUM }, { "tol", T_NUM },
    { "deception_threshold", T_NUM }, { "metric_episodes", T_NUM }, { "seed", T_NUM },
    { "run", T_NUM }, { "method", T_STR }, { "lr", T_NUM }, { "steps", T_NUM },
    { "batch", T_NUM }, { "clip", T_NUM }, { "epochs", T_NUM }, { NULL, 0 } };
static const l_field OPTIMUM_FIELDS[] = { { "kl", T_NUM }, { "reward", T_STR }, { NULL, 0 } };
static const l_field BON_FIELDS[] = { { "n", T_NUM }, { "reward", T_STR }, { "draws", T_NUM },
                                      { "seed", T_NUM }, { "run", T_NUM }, { NULL, 0 } };

static const char *const SHORTHANDS[] = { "wall", "floor", "agent", "bucket", NULL };
static const char *const TOMATO[] = { "dry", "watered", NULL };
static const char *const FEATURES[] = { "cell", "tile", NULL };
static const char *const REWARDS[] = { "true", "looks", NULL };
static const char *const METHODS[] = { "exact", "reinforce", "ppo", NULL }; /* eppg_method */

static void free_world(void *w) { world_free(w); }

static l_episodes *check_episodes(lua_State *L, int idx)
{
    l_episodes *e = luaL_checkudata(L, idx, EPISODES_MT);
    if (!e->m)
        luaL_argerror(L, idx, "episodes were never completed");
    return e;
}

static int episodes_gc(lua_State *L)
{
    l_episodes *e = luaL_checkudata(L, 1, EPISODES_MT);
    gridworld_free(e->g);
    mdp_free(e->own);
    e->g = NULL;
    e->own = NULL;
    e->m = NULL;
    return 0;
}

static int episodes_tostring(lua_State *L)
{
    l_episodes *e = luaL_checkudata(L, 1, EPISODES_MT);
    if (!e->m)
        lua_pushliteral(L, "oversim.Episodes (incomplete)");
    else
        lua_pushfstring(L, "oversim.Episodes '%s' (%d states, %d actions, horizon %d)",
                        e->name, e->m->n_states, e->m->n_actions, e->m->horizon);
    return 1;
}

static int tile_cmp(const void *a, const void *b)
{
    const grid_tile *x = a, *y = b;
    return (x->letter > y->letter) - (x->letter < y->letter);
}

/* The tile of the legend entry at the top of the stack (a shorthand string or
 * a record), letter ch, into t. */
static void read_tile(lua_State *L, char ch, grid_tile *t, const char *gwhat, const char *loc)
{
    char what[192];
    snprintf(what, sizeof what, "tile '%c' of %s", ch, gwhat);
    memset(t, 0, sizeof *t);
    t->letter = ch;
    int top = lua_gettop(L);
    if (lua_type(L, top) == LUA_TSTRING) {
        const char *s = lua_tostring(L, top);
        int k = 0;
        while (SHORTHANDS[k] && strcmp(SHORTHANDS[k], s) != 0)
            k++;
        if (!SHORTHANDS[k]) {
            const char *near = l_closest(s, SHORTHANDS);
            l_raise(L, loc, "%s must be a table or one of 'wall', 'floor', 'agent', 'bucket' "
                    "(got '%s'%s%s%s)", what, s, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "");
        }
        t->wall = k == 0;
        t->start = k == 2;
        t->bucket = k == 3;
        return;
    }
    if (!lua_istable(L, top))
        l_raise(L, loc, "%s must be a table or a string (got %s)", what,
                luaL_typename(L, top));
    l_check_record(L, top, TILE_FIELDS, what, loc);
    static const char *const flags[4] = { "wall", "agent", "goal", "bucket" };
    int *dst[4] = { &t->wall, &t->start, &t->terminal, &t->bucket };
    for (int k = 0; k < 4; k++) {
        lua_getfield(L, top, flags[k]);
        *dst[k] = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    lua_getfield(L, top, "tomato");
    if (!lua_isnil(L, -1))
        t->tomato = 1 + l_opt_option(L, top, "tomato", "dry", TOMATO, what, loc);
    lua_pop(L, 1);
    t->looks = l_opt_number(L, top, "looks", 0, what, loc, 0);
    t->looks_supervised = l_opt_number(L, top, "looks_supervised", 0, what, loc, 0);
    t->effect = l_opt_number(L, top, "effect", 0, what, loc, 0);
    t->effect_absent = l_opt_number(L, top, "effect_absent", 0, what, loc, 0);
    t->difficulty = l_opt_number(L, top, "difficulty", 0, what, loc, 1);
}

/* oversim.gridworld{ name, map, tiles, horizon, move, supervisor,
 * absent_unwatched, tomato, dry, tamper_difficulty, features } */
static int l_gridworld(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L);
    const char *loc = lua_tostring(L, 2); /* kept alive at index 2 */
    const char *name = l_opt_string(L, 1, "name", "gridworld", "gridworld", loc);
    char what[160];
    snprintf(what, sizeof what, "gridworld '%s'", name);
    l_check_record(L, 1, GRID_FIELDS, what, loc);

    grid_params p;
    grid_params_default(&p);
    p.horizon = l_opt_int_range(L, 1, "horizon", p.horizon, INT_MIN, INT_MAX, what, loc);
    p.move_looks = l_opt_number(L, 1, "move", p.move_looks, what, loc, 0);
    p.supervisor = l_opt_range(L, 1, "supervisor", p.supervisor, 0, 1, what, loc);
    lua_getfield(L, 1, "absent_unwatched");
    p.absent_unwatched = lua_toboolean(L, -1);
    lua_pop(L, 1);
    p.tomato_looks = l_opt_number(L, 1, "tomato", p.tomato_looks, what, loc, 0);
    p.dry = l_opt_range(L, 1, "dry", p.dry, 0, 1, what, loc);
    p.tamper_difficulty = l_opt_number(L, 1, "tamper_difficulty", p.tamper_difficulty, what,
                                       loc, 1);
    p.features = (grid_features)l_opt_option(L, 1, "features", "cell", FEATURES, what, loc);

    /* the map: a list of strings (3) */
    lua_getfield(L, 1, "map");
    if (!lua_istable(L, 3))
        l_raise(L, loc, "%s needs a 'map' (a list of strings)", what);
    lua_Integer rows = luaL_len(L, 3);
    if (rows < 1 || rows > GRID_MAX_SIDE)
        l_raise(L, loc, "field 'map' of %s must have 1 to %d rows (got %d)", what,
                GRID_MAX_SIDE, (int)rows);
    /* the rows' pointers, their strings kept alive by a table of their own
     * (the map userdata's user value): a metamethod run later (a tiles
     * __index) may empty the spec's map and collect garbage */
    const char **map = lua_newuserdatauv(L, (size_t)rows * sizeof *map, 1); /* 4 */
    lua_createtable(L, (int)rows, 0);
    for (lua_Integer r = 1; r <= rows; r++) {
        lua_geti(L, 3, r);
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, loc, "row %d of field 'map' of %s must be a string (got %s)", (int)r,
                    what, luaL_typename(L, -1));
        size_t len;
        map[r - 1] = lua_tolstring(L, -1, &len);
        if (strlen(map[r - 1]) != len) /* the core reads rows as C strings */
            l_raise(L, loc, "row %d of field 'map' of %s has a NUL byte at column %d", (int)r,
                    what, (int)strlen(map[r - 1]) + 1);
        lua_rawseti(L, -2, r);
    }
    lua_setiuservalue(L, 4, 1);

    /* the legend: '#' wall, ' ' floor and 'A' agent unless the tiles say
     * otherwise, then every entry of tiles (keys of one character) */
    grid_tile tiles[256];
    int n = 0;
    static const char defaults[3] = { '#', ' ', 'A' };
    lua_getfield(L, 1, "tiles"); /* 5 */
    for (int k = 0; k < 3; k++) {
        char key[2] = { defaults[k], 0 };
        if (lua_istable(L, 5)) {
            lua_getfield(L, 5, key);
            int given = !lua_isnil(L, -1);
            lua_pop(L, 1);
            if (given)
                continue;
        }
        memset(&tiles[n], 0, sizeof tiles[n]);
        tiles[n].letter = defaults[k];
        tiles[n].wall = k == 0;
        tiles[n].start = k == 2;
        n++;
    }
    if (lua_istable(L, 5)) {
        lua_pushnil(L);
        while (lua_next(L, 5)) {
            size_t len = 0;
            const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &len) : NULL;
            if (!key || len != 1)
                l_raise(L, loc, "keys of field 'tiles' of %s must be single letters "
                        "(got %s%s%s)", what, key ? "'" : "", key ? key : luaL_typename(L, -2),
                        key ? "'" : "");
            read_tile(L, key[0], &tiles[n++], what, loc);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, 5)) {
        l_raise(L, loc, "field 'tiles' of %s must be a table (got %s)", what,
                luaL_typename(L, 5));
    }
    /* in letter order: lua_next's order changes from one process to the
     * next (Lua seeds its string hashes at random), and the legend's order
     * is the order of the tile features, so the fit's rounding, so the run */
    qsort(tiles, (size_t)n, sizeof *tiles, tile_cmp);
    p.map = map;
    p.rows = (int)rows;
    p.tiles = tiles;
    p.n_tiles = n;

    l_episodes *e = lua_newuserdatauv(L, sizeof *e, 0);
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", name);
    luaL_setmetatable(L, EPISODES_MT);
    os_err err = { 0 };
    if (!(e->g = gridworld_new(&p, &err)))
        l_raise(L, loc, "%s: %s", what, err.msg);
    e->m = e->g->m;
    return 1;
}

/* e:info() -> { name, states, actions, horizon [, positions, tomatoes] } */
static int l_episodes_info(lua_State *L)
{
    l_episodes *e = check_episodes(L, 1);
    lua_createtable(L, 0, 7);
    lua_pushstring(L, e->name);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, e->m->n_states);
    lua_setfield(L, -2, "states");
    lua_pushinteger(L, e->m->n_actions);
    lua_setfield(L, -2, "actions");
    lua_pushinteger(L, e->m->horizon);
    lua_setfield(L, -2, "horizon");
    lua_pushinteger(L, e->m->dim); /* one-hot: the number of cells */
    lua_setfield(L, -2, "features");
    if (e->g) {
        lua_pushinteger(L, e->g->n_open);
        lua_setfield(L, -2, "positions");
        lua_pushinteger(L, e->g->n_tomatoes);
        lua_setfield(L, -2, "tomatoes");
    }
    return 1;
}

/* A method's argument table at 2 (none: empty), its fields checked; the
 * caller's location, left at 3. */
static const char *method_args(lua_State *L, const l_field *fields, const char *what)
{
    if (lua_isnoneornil(L, 2)) { /* g:optimum() and g:optimum(nil) alike */
        lua_settop(L, 1);
        lua_newtable(L);
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    l_push_where(L);
    const char *loc = lua_tostring(L, 3);
    l_check_record(L, 2, fields, what, loc);
    return loc;
}

/* g:optimum{ kl = 0.1, reward = 'true' | 'looks' } -> { true_return,
 * looks_return, kl, length }: the exact KL-regularised optimum of the
 * reward (soft value iteration), measured exactly. */
static int l_episodes_optimum(lua_State *L)
{
    l_episodes *e = check_episodes(L, 1);
    const char *what = "optimum", *loc = method_args(L, OPTIMUM_FIELDS, what);
    double kl = l_opt_number(L, 2, "kl", 0.1, what, loc, 0);
    if (!(kl > 0))
        l_raise(L, loc, "field 'kl' of %s must be a finite number > 0 (got %g)", what, kl);
    int looks = l_opt_option(L, 2, "reward", "true", REWARDS, what, loc);
    const mdp *m = e->m;
    size_t bytes;
    if (size_mul((size_t)m->horizon, (size_t)m->n_cells, &bytes) ||
        size_mul(bytes, sizeof(double), &bytes))
        l_raise(L, loc, "this gridworld's policy does not fit in memory");
    size_estimate est;
    size_estimate_init(&est);
    size_estimate_add(&est, bytes, "time-indexed policy %d x %d", m->horizon, m->n_cells);
    l_check_estimate(L, loc, "this optimum", &est);
    double **pi = (double **)l_push_box(L, free);
    if (!(*pi = malloc(bytes)))
        l_raise(L, loc, "out of memory");
    os_err err = { 0 };
    const double *reward = looks ? m->looks : m->vstar;
    const double *vals[2] = { m->vstar, m->looks };
    double out[2] = { 0, 0 }, klv = 0, len = 0; /* set by mdp_expect (l_raise does not return) */
    if (mdp_soft_vi(m, reward, kl, *pi, NULL, &err) ||
        mdp_expect(m, *pi, m->horizon, 2, vals, out, &klv, &len, NULL, &err))
        l_raise(L, loc, "%s", err.msg);
    lua_createtable(L, 0, 4);
    lua_pushnumber(L, out[0]);
    lua_setfield(L, -2, "true_return");
    lua_pushnumber(L, out[1]);
    lua_setfield(L, -2, "looks_return");
    lua_pushnumber(L, klv);
    lua_setfield(L, -2, "kl");
    lua_pushnumber(L, len);
    lua_setfield(L, -2, "length");
    return 1;
}

static void free_rng(void *r) { rng_free(r); }

/* e:best_of_n{ n = 4, reward = 'looks' | 'true', draws = 10000, seed = 1,
 * run = 1 } -> { true_return, proxy_return, looks_return, true_se, proxy_se,
 * looks_se }: best-of-n over whole episodes of pi0 against the reward
 * (core/epbon.h), sampled from the stream (seed, run). */
static int l_episodes_best_of_n(lua_State *L)
{
    l_episodes *e = check_episodes(L, 1);
    const char *what = "best_of_n", *loc = method_args(L, BON_FIELDS, what);
    int n = l_opt_int_range(L, 2, "n", 4, INT_MIN, INT_MAX, what, loc);
    int looks = l_opt_option(L, 2, "reward", "looks", REWARDS, what, loc) == 1;
    /* a count like every other: past INT_MAX is refused, not run for days
     * (the episodes fuzz target's first find: draws = 2^32 + 1) */
    long long draws = l_opt_int_range(L, 2, "draws", 10000, INT_MIN, INT_MAX, what, loc);
    uint64_t seed = (uint64_t)l_opt_int(L, 2, "seed", 1, 0, what, loc);
    uint64_t run = (uint64_t)l_opt_int(L, 2, "run", 1, 0, what, loc);
    const mdp *m = e->m;
    int **cells = (int **)l_push_box(L, free);
    gsl_rng **r = (gsl_rng **)l_push_box(L, free_rng);
    if (!(*cells = malloc(2 * (size_t)m->horizon * sizeof **cells)) || !(*r = rng_new(seed, run)))
        l_raise(L, loc, "out of memory");
    os_err err = { 0 };
    epbon_result res;
    if (epbon_estimate(m, m->prior, 1, looks ? m->looks : m->vstar, n, (long)draws, *r, *cells,
                       &res, &err))
        l_raise(L, loc, "%s", err.msg);
    lua_createtable(L, 0, 6);
    const struct { const char *name; double v; } out[] = {
        { "true_return", res.true_return }, { "proxy_return", res.proxy_return },
        { "looks_return", res.looks_return }, { "true_se", res.true_se },
        { "proxy_se", res.proxy_se }, { "looks_se", res.looks_se } };
    for (unsigned k = 0; k < sizeof out / sizeof out[0]; k++) {
        lua_pushnumber(L, out[k].v);
        lua_setfield(L, -2, out[k].name);
    }
    return 1;
}

/* oversim.train_episodes{ world, overseer, rounds, pairs, segment, kl, l2,
 * max_iter, tol, deception_threshold, metric_episodes, seed, run, method,
 * lr, steps, batch, clip, epochs } -> rows, policy: rows, one table per round
 * (0 = pi0): the ids a run's rows carry (run, scenario = the gridworld's
 * name, overseer, seed), then eptrain's columns (an optional one absent where
 * not available); policy, the final policy per state and action
 * (l_eppolicy.c). */
static int l_train_episodes(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L);
    const char *loc = lua_tostring(L, 2);
    const char *what = "train_episodes";
    l_check_record(L, 1, TRAIN_FIELDS, what, loc);
    lua_getfield(L, 1, "world"); /* 3 */
    l_episodes *e = luaL_testudata(L, 3, EPISODES_MT);
    if (!e || !e->m)
        l_raise(L, loc, "field 'world' of %s must be episodes (oversim.gridworld{} or "
                "oversim.mdp{}; got %s)", what, luaL_typename(L, 3));
    lua_getfield(L, 1, "overseer"); /* 4 */
    l_overseer *o = luaL_testudata(L, 4, OVERSEER_MT);
    if (!o)
        l_raise(L, loc, "field 'overseer' of %s must be an overseer (oversim.overseer{}; got "
                "%s)", what, luaL_typename(L, 4));
    if (o->p.kind == OVERSEER_DEBATE && o->dp.debaters == DEBATERS_TRAINED &&
        o->dp.reveals > 0)
        l_raise(L, loc, "overseer '%s': debaters = 'trained' cannot debate episodes (their "
                "policies are per comparison, and pairs of segments are not tabled): use "
                "'optimal' or 'random'", o->name);
    lua_getiuservalue(L, 4, 1); /* 5: what oversim.overseer{} kept */
    if (lua_istable(L, 5)) {
        lua_getfield(L, 5, "knows");
        if (!lua_isnil(L, -1))
            l_raise(L, loc, "field 'knows' of overseer '%s' does not apply to episodes (it is "
                    "per context and pair of behaviours; a segment's steps are in different "
                    "states)", o->name);
        lua_pop(L, 1);
    }

    eptrain_params p;
    eptrain_params_default(&p);
    p.rounds = l_opt_int_range(L, 1, "rounds", p.rounds, INT_MIN, INT_MAX, what, loc);
    p.pairs_per_round = l_opt_int_range(L, 1, "pairs", p.pairs_per_round, INT_MIN, INT_MAX,
                                        what, loc);
    p.segment = l_opt_int_range(L, 1, "segment", p.segment, INT_MIN, INT_MAX, what, loc);
    p.kl_coef = l_opt_number(L, 1, "kl", p.kl_coef, what, loc, 0);
    p.l2 = l_opt_number(L, 1, "l2", p.l2, what, loc, 0);
    p.fit_iter = l_opt_int_range(L, 1, "max_iter", p.fit_iter, INT_MIN, INT_MAX, what, loc);
    p.fit_tol = l_opt_number(L, 1, "tol", p.fit_tol, what, loc, 0);
    p.deception_threshold = l_opt_number(L, 1, "deception_threshold", p.deception_threshold,
                                         what, loc, 0);
    p.metric_episodes = l_opt_int_range(L, 1, "metric_episodes", p.metric_episodes, INT_MIN,
                                        INT_MAX, what, loc);
    p.seed = (uint64_t)l_opt_int(L, 1, "seed", 1, 0, what, loc);
    p.run_id = (uint64_t)l_opt_int(L, 1, "run", 1, 0, what, loc);
    /* how the policy improves: the sampled methods' fields only with them */
    p.pg.method = (eppg_method)l_opt_option(L, 1, "method", "exact", METHODS, what, loc);
    static const struct { const char *field; int ppo_only; } pg_fields[] = {
        { "lr", 0 }, { "steps", 0 }, { "batch", 0 }, { "clip", 1 }, { "epochs", 1 } };
    for (unsigned k = 0; k < sizeof pg_fields / sizeof pg_fields[0]; k++) {
        lua_getfield(L, 1, pg_fields[k].field);
        int given = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (given && (p.pg.method == EPPG_EXACT ||
                      (pg_fields[k].ppo_only && p.pg.method != EPPG_PPO)))
            l_raise(L, loc, "field '%s' of %s applies to method %s (got method '%s')",
                    pg_fields[k].field, what,
                    pg_fields[k].ppo_only ? "'ppo'" : "'reinforce' or 'ppo'",
                    METHODS[p.pg.method]);
    }
    p.pg.lr = l_opt_number(L, 1, "lr", p.pg.lr, what, loc, 0);
    p.pg.steps = l_opt_int_range(L, 1, "steps", p.pg.steps, INT_MIN, INT_MAX, what, loc);
    p.pg.batch = l_opt_int_range(L, 1, "batch", p.pg.batch, INT_MIN, INT_MAX, what, loc);
    p.pg.clip = l_opt_number(L, 1, "clip", p.pg.clip, what, loc, 0);
    p.pg.epochs = l_opt_int_range(L, 1, "epochs", p.pg.epochs, INT_MIN, INT_MAX, what, loc);
    os_err err = { 0 };
    if (eptrain_check(&p, what, &err))
        l_raise(L, loc, "%s", err.msg);

    const mdp *m = e->m;
    size_estimate est;
    size_estimate_init(&est);
    size_estimate_add(&est, size_mul3_sat((size_t)p.rounds + 1, sizeof(eptrain_row), 1),
                      "rows of %d rounds", p.rounds);
    size_estimate_add(&est, size_mul3_sat((size_t)p.rounds * (size_t)p.pairs_per_round,
                                          (size_t)m->dim, sizeof(double)),
                      "reward-model comparisons %d x %d features",
                      p.rounds * p.pairs_per_round, m->dim);
    size_estimate_add(&est, size_mul3_sat((size_t)m->horizon + 1, (size_t)m->n_cells,
                                          sizeof(double)),
                      "time-indexed policy %d x %d", m->horizon, m->n_cells);
    world_estimate(m->n_states, m->n_actions, 0, &est); /* the overseer's world of cells */
    if (p.pg.method != EPPG_EXACT)
        size_estimate_add(&est, size_mul3_sat((size_t)p.pg.batch, (size_t)m->horizon,
                                              2 * sizeof(double) + sizeof(int)),
                          "a batch of %d episodes of %d steps", p.pg.batch, m->horizon);
    l_check_estimate(L, loc, "this run", &est);
    eptrain_row **rows = (eptrain_row **)l_push_box(L, free);
    if (!(*rows = calloc((size_t)p.rounds + 1, sizeof **rows)))
        l_raise(L, loc, "out of memory");
    /* the final policy and reward model, for the second table */
    double **fin = (double **)l_push_box(L, free);
    if (!(*fin = malloc(((size_t)m->horizon + 1) * (size_t)m->n_cells * sizeof **fin)))
        l_raise(L, loc, "out of memory");
    double *final_pi = *fin, *final_reward = *fin + (size_t)m->horizon * m->n_cells;
    /* the overseer on the bandit world of the episodes' cells (epjudge.h):
     * misconceptions and `wrong` name states and actions; a recursive
     * overseer's critics are trained here, on (seed, run) */
    world **w = (world **)l_push_box(L, free_world);
    if (!(*w = epjudge_world(m, &err)))
        l_raise(L, loc, "%s: %s", what, err.msg);
    const recursion *rec = NULL;
    overseer *ov;
    if (o->p.kind == OVERSEER_DEBATE) { /* debated per pair of segments (epjudge.h) */
        p.debate = o->dp;
        ov = l_bind_debate_judge(L, 4, *w);
    } else {
        ov = l_bind_overseer(L, 4, *w, p.seed, p.run_id, &rec);
    }
    if (rec) {
        p.base_labels = recursion_build_labels(rec);
        p.base_cost = recursion_build_cost(rec);
    }
    if (eptrain_run_judged(m, ov, &p, *rows, final_pi, final_reward, &err))
        l_raise(L, loc, "%s: %s", what, err.msg);
    int ncol = eptrain_n_columns();
    lua_createtable(L, p.rounds + 1, 0);
    for (int r = 0; r <= p.rounds; r++) {
        lua_createtable(L, 0, ncol + 3);
        for (int k = 0; k < ncol; k++) {
            const metrics_column *c = eptrain_column_at(k);
            double v = eptrain_value(&(*rows)[r], k);
            if (c->kind == METRIC_FLAG) /* as a training row's flags: booleans */
                lua_pushboolean(L, v != 0);
            else if (c->kind == METRIC_INT)
                lua_pushinteger(L, (lua_Integer)v);
            else if (isnan(v))
                continue; /* not available: the column is absent from the row */
            else
                lua_pushnumber(L, v);
            lua_setfield(L, -2, c->name);
        }
        lua_pushinteger(L, (lua_Integer)p.run_id);
        lua_setfield(L, -2, "run");
        lua_pushstring(L, e->name);
        lua_setfield(L, -2, "scenario");
        lua_pushstring(L, o->name);
        lua_setfield(L, -2, "overseer");
        lua_pushinteger(L, (lua_Integer)p.seed);
        lua_setfield(L, -2, "seed");
        lua_rawseti(L, -2, r + 1);
    }
    l_push_episode_policy(L, e, o->name, p.seed, p.run_id, final_pi, final_reward, loc);
    return 2;
}

int l_open_episodes(lua_State *L)
{
    static const luaL_Reg methods[] = { { "info", l_episodes_info },
                                        { "optimum", l_episodes_optimum },
                                        { "best_of_n", l_episodes_best_of_n }, { NULL, NULL } };
    static const luaL_Reg meta[] = { { "__gc", episodes_gc }, { "__tostring", episodes_tostring },
                                     { NULL, NULL } };
    static const luaL_Reg funcs[] = { { "gridworld", l_gridworld }, { "mdp", l_mdp_new },
                                      { "train_episodes", l_train_episodes }, { NULL, NULL } };
    luaL_newmetatable(L, EPISODES_MT);
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_setfuncs(L, funcs, 0);
    return 0;
}
