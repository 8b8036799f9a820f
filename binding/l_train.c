/* l_train.c — oversim.train{...}: one training run (its rows as Lua tables: l_rows.c). */
#include "l_internal.h"
#include "l_present.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "train.h"

static const l_field TRAIN_FIELDS[] = {
    { "world", T_ANY }, { "overseer", T_ANY }, /* checked with a better message */ { "scenario", T_STR }, { "rounds", T_NUM },
    { "labels_per_round", T_NUM }, { "seed", T_NUM }, { "run", T_NUM },
    { "reward_model", T_TAB }, { "policy", T_TAB }, { "params", T_TAB },
    { "on_round", T_FUN }, { "stream", T_NUM }, { "label_rounds", T_NUM },
    { "query", T_STR }, { "candidates", T_NUM }, { "red_team", T_TAB },
    { "deploy_episodes", T_NUM }, { NULL, 0 } };
static const l_field RM_FIELDS[] = {
    { "l2", T_NUM }, { "noise", T_NUM }, { "fit", T_STR }, { "max_iter", T_NUM },
    { "lr", T_NUM }, { "tol", T_NUM }, { "model", T_TAB }, { "ensemble", T_NUM },
    { "bootstrap", T_BOOL }, { "confidence", T_NUM },
    { NULL, 0 } };
static const l_field POLICY_FIELDS[] = {
    { "method", T_STR }, { "lr", T_NUM }, { "kl", T_NUM }, { "steps", T_NUM },
    { "batch", T_NUM }, { "epochs", T_NUM }, { "minibatch", T_NUM }, { "clip", T_NUM },
    { "n", T_NUM }, { "model", T_TAB }, { "optimizer", T_STR }, { NULL, 0 } };
static const l_field MODEL_FIELDS[] = {
    { "kind", T_STR }, { "hidden", T_NUM | T_TAB }, { "activation", T_STR }, { NULL, 0 } };

/* Step size when a table asks for Adam without giving lr: Adam's steps are
 * lr-sized per parameter, so the plain-ascent defaults would be far too big. */
#define ADAM_DEFAULT_LR 0.01

/* A hidden layer size v checked before it becomes an int, in the core's words
 * (model_spec_check) but with the value as given. */
static int hidden_size(lua_State *L, lua_Integer v, const char *what, const char *loc)
{
    if (v < 1)
        l_raise(L, loc, "hidden layer sizes of %s must be integers >= 1 (got %lld)", what,
                (long long)v);
    if (v > MODEL_MAX_HIDDEN)
        l_raise(L, loc, "hidden layer sizes of %s must be at most %d (got %lld)", what,
                MODEL_MAX_HIDDEN, (long long)v);
    return (int)v;
}

/* The model{} field of the table at owner (reward_model or policy) into s:
 * kind 'linear' (default) or 'mlp' with hidden = n or {n1[, n2]} (default
 * {64}) and activation 'tanh' (default) or 'relu'. */
static void read_model(lua_State *L, int owner, const char *owner_name, const char *loc,
                       model_spec *s)
{
    lua_getfield(L, owner, "model");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    char what[64];
    snprintf(what, sizeof what, "%s.model", owner_name);
    static const char *const kinds[] = { "linear", "mlp", NULL };
    static const char *const acts[] = { "tanh", "relu", NULL };
    l_check_record(L, t, MODEL_FIELDS, what, loc);
    model_spec_linear(s);
    s->kind = (model_kind)l_opt_option(L, t, "kind", "linear", kinds, what, loc);
    lua_getfield(L, t, "hidden");
    int has_hidden = !lua_isnil(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, t, "activation");
    int has_act = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (s->kind == MODEL_LINEAR) {
        if (has_hidden || has_act)
            l_raise(L, loc, "field '%s' of %s needs kind = 'mlp' (got kind 'linear')",
                    has_hidden ? "hidden" : "activation", what);
        lua_pop(L, 1);
        return;
    }
    s->activation = (model_activation)l_opt_option(L, t, "activation", "tanh", acts, what,
                                                    loc);
    s->n_layers = 1;
    s->hidden[0] = 64;
    lua_getfield(L, t, "hidden");
    if (lua_type(L, -1) == LUA_TNUMBER) {
        lua_pop(L, 1);
        lua_Integer v = l_opt_int(L, t, "hidden", 64, LLONG_MIN, what, loc);
        s->hidden[0] = hidden_size(L, v, what, loc);
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        /* the count is checked by the core (model_spec_check) */
        lua_Integer n = luaL_len(L, -1);
        s->n_layers = n > INT_MAX ? INT_MAX : (int)n;
        for (int l = 1; l <= n && l <= MODEL_MAX_LAYERS; l++) {
            lua_geti(L, -1, l);
            int isint = 0;
            lua_Integer v = lua_tointegerx(L, -1, &isint);
            if (!isint)
                l_raise(L, loc, "hidden layer sizes of %s must be integers >= 1 (got %s)",
                        what, luaL_tolstring(L, -1, NULL));
            s->hidden[l - 1] = hidden_size(L, v, what, loc);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* rounds, labels_per_round, reward_model{}, policy{} of the table at spec,
 * on top of what p holds; `what` names the table in errors. */
void l_read_training(lua_State *L, int spec, const char *what, const char *loc,
                     train_params *p)
{
    /* types here, and the upper bounds (before an int cast), as the core states
     * them; every other range in one place, the core's check, below */
    p->rounds = l_opt_int_range(L, spec, "rounds", p->rounds, 0, TRAIN_MAX_ROUNDS, what, loc);
    p->labels_per_round = l_opt_int_range(L, spec, "labels_per_round", p->labels_per_round,
                                          0, TRAIN_MAX_LABELS, what, loc);
    static const char *const queries[] = { "uniform", "disagreement", NULL };
    p->query = (query_kind)l_opt_option(L, spec, "query", queries[p->query], queries, what,
                                        loc);
    p->candidates = l_opt_int_range(L, spec, "candidates", p->candidates, INT_MIN,
                                    TRAIN_MAX_CANDIDATES, what, loc);
    lua_getfield(L, spec, "reward_model");
    if (!lua_isnil(L, -1)) {
        int t = lua_gettop(L);
        const char *what = "reward_model";
        static const char *const fits[] = { "bfgs", "gd", "adam", NULL };
        l_check_record(L, t, RM_FIELDS, what, loc);
        p->rm.l2 = l_opt_number(L, t, "l2", p->rm.l2, what, loc, 1);
        p->rm.noise = l_opt_number(L, t, "noise", p->rm.noise, what, loc, 1);
        p->rm.method = (rm_fit_method)l_opt_option(L, t, "fit", "bfgs", fits, what, loc);
        p->rm.max_iter = l_opt_int_range(L, t, "max_iter", p->rm.max_iter, 1, INT_MAX, what,
                                         loc);
        p->rm.lr = l_opt_number(L, t, "lr", p->rm.method == RM_FIT_ADAM ? ADAM_DEFAULT_LR
                                : p->rm.lr, what, loc, 1);
        p->rm.tol = l_opt_number(L, t, "tol", p->rm.tol, what, loc, 1);
        p->rm.confidence = l_opt_number(L, t, "confidence", p->rm.confidence, what, loc, 1);
        p->rm.ensemble = l_opt_int_range(L, t, "ensemble", p->rm.ensemble, 1, RM_MAX_ENSEMBLE,
                                         what, loc);
        lua_getfield(L, t, "bootstrap");
        if (!lua_isnil(L, -1))
            p->rm.bootstrap = lua_toboolean(L, -1);
        lua_pop(L, 1);
        read_model(L, t, what, loc, &p->rm.model);
    }
    lua_pop(L, 1);
    lua_getfield(L, spec, "policy");
    if (!lua_isnil(L, -1)) {
        int t = lua_gettop(L);
        const char *what = "policy";
        static const char *const methods[] = { "exact", "reinforce", "ppo", "bon",
                                               "optimum", "dpo", NULL };
        l_check_record(L, t, POLICY_FIELDS, what, loc);
        static const char *const optimizers[] = { "ascent", "adam", NULL };
        p->method = (pg_method)l_opt_option(L, t, "method", "exact", methods, what, loc);
        p->policy_adam = l_opt_option(L, t, "optimizer", "ascent", optimizers, what, loc);
        p->lr = l_opt_number(L, t, "lr", p->policy_adam ? ADAM_DEFAULT_LR : p->lr, what,
                             loc, 1);
        read_model(L, t, what, loc, &p->policy_model);
        p->kl_coef = l_opt_number(L, t, "kl", p->kl_coef, what, loc, 1);
        p->steps = l_opt_int_range(L, t, "steps", p->steps, 0, INT_MAX, what, loc);
        p->batch = l_opt_int_range(L, t, "batch", p->batch, 1, TRAIN_MAX_BATCH, what, loc);
        p->epochs = l_opt_int_range(L, t, "epochs", p->epochs, 1, INT_MAX, what, loc);
        p->minibatch = l_opt_int_range(L, t, "minibatch", p->minibatch, 1, INT_MAX, what, loc);
        p->clip = l_opt_number(L, t, "clip", p->clip, what, loc, 1);
        p->bon_n = l_opt_int_range(L, t, "n", p->bon_n, 1, INT_MAX, what, loc);
    }
    lua_pop(L, 1);
    os_err err;
    if (train_check(p, what, &err))
        l_raise(L, loc, "%s", err.msg);
}

/* Run ids: a run without an explicit `run` gets the next id of this script
 * (one counter per lua_State, in the registry); an explicit id moves the
 * counter past it. So ids are unique unless a script reuses one by hand, and
 * write_csv refuses that. */
#define NEXT_RUN_REGISTRY "oversim.next_run"

static uint64_t next_run_id(lua_State *L, int explicit_run, uint64_t run)
{
    lua_getfield(L, LUA_REGISTRYINDEX, NEXT_RUN_REGISTRY);
    uint64_t next = lua_isinteger(L, -1) ? (uint64_t)lua_tointeger(L, -1) : 1;
    lua_pop(L, 1);
    if (!explicit_run)
        run = next;
    if (run + 1 > next)
        next = run + 1;
    lua_pushinteger(L, (lua_Integer)next);
    lua_setfield(L, LUA_REGISTRYINDEX, NEXT_RUN_REGISTRY);
    return run;
}

long long l_run_counter(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, NEXT_RUN_REGISTRY);
    long long next = lua_isinteger(L, -1) ? (long long)lua_tointeger(L, -1) : 1;
    lua_pop(L, 1);
    return next;
}

void l_set_run_counter(lua_State *L, long long next)
{
    lua_pushinteger(L, (lua_Integer)next);
    lua_setfield(L, LUA_REGISTRYINDEX, NEXT_RUN_REGISTRY);
}

void l_skip_run_id(lua_State *L, int spec)
{
    lua_getfield(L, spec, "run");
    int explicit_run = lua_isinteger(L, -1);
    uint64_t run = explicit_run ? (uint64_t)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    next_run_id(L, explicit_run, run);
}

/* The random stream is (seed, stream). stream defaults to an explicit run id,
 * else 1: runs that differ only in configuration then share their random
 * numbers (common random numbers), and a run's numbers never depend on what
 * else the script ran. */
static void read_params(lua_State *L, int spec, const char *loc, train_params *p,
                        uint64_t *run)
{
    train_params_default(p);
    p->seed = (uint64_t)l_opt_int(L, spec, "seed", 1, 0, "train", loc);
    lua_getfield(L, spec, "run");
    int explicit_run = !lua_isnil(L, -1);
    lua_pop(L, 1);
    *run = (uint64_t)l_opt_int(L, spec, "run", 1, 0, "train", loc);
    p->run_id = (uint64_t)l_opt_int(L, spec, "stream", explicit_run ? (long long)*run : 1,
                                    0, "train", loc);
    /* the range is the core's to check (train_check) */
    p->label_rounds = l_opt_int_range(L, spec, "label_rounds", -1, INT_MIN, INT_MAX, "train",
                                      loc);
    p->deploy_episodes = l_opt_int_range(L, spec, "deploy_episodes", (int)p->deploy_episodes,
                                          INT_MIN, TRAIN_MAX_DEPLOY, "train", loc);
    l_read_training(L, spec, "train", loc, p);
    *run = next_run_id(L, explicit_run, *run);
}

typedef struct live {
    lua_State *L;
    int fn;       /* stack index of on_round, 0 if none */
    int rounds;
    l_run_info *ri;
} live;

/* After each round: the progress display, then the script's on_round(row)
 * under lua_pcall (a Lua error must not jump over the core's cleanup, so it
 * is turned into an error return). */
static int on_round(void *ud, const metrics_row *row, os_err *err)
{
    live *lv = ud;
    lua_State *L = lv->L;
    l_progress_round(L, row->round, lv->rounds);
    if (!lv->fn)
        return 0;
    int top = lua_gettop(L);
    lua_pushvalue(L, lv->fn);
    l_push_round_row(L, lv->ri, row);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        /* any error value, readably: a string or number as it is, a value
         * with __tostring through it (itself under pcall: it may raise too),
         * anything else by its type */
        const char *msg = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
                              ? lua_tostring(L, -1) : NULL;
        if (!msg && luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL) {
            lua_pushvalue(L, -2);
            if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
                msg = lua_tostring(L, -1); /* stays on the stack until the pop below */
            else
                lua_pop(L, 1);
        }
        if (!msg)
            msg = lua_pushfstring(L, "on_round raised an error that is a %s value, not a "
                                  "message (raise a string: error('...'))",
                                  luaL_typename(L, top + 1));
        err_set(err, OS_EINVAL, "%s", msg);
        lua_settop(L, top);
        return -1;
    }
    return 0;
}

/* What a run's results take as Lua tables, per row: measured with
 * collectgarbage("count") at about 1.6 KiB per round row and 0.8 KiB per policy
 * row (one per cell), rounded up. */
#define LUA_ROUND_ROW_BYTES 2048
#define LUA_POLICY_ROW_BYTES 1024

/* Refuse a run whose estimated memory exceeds the limit (l_check_estimate),
 * before any of it is allocated: the core's buffers (train_estimate: reward
 * model with its pair table, policy, workspace, candidates, rows), the
 * overseer at ovi (two for a recursive one: the human and the top level; its
 * knows table when it has a `knows` predicate), and the results as Lua
 * tables. A recursive overseer's critics are not counted (their worlds have
 * two behaviours per slot). */
static void check_run_size(lua_State *L, int ovi, const world *w, const train_params *p,
                           const char *loc)
{
    size_estimate e;
    size_estimate_init(&e);
    train_estimate(w, p, &e);
    int knows = 0;
    if (lua_getiuservalue(L, ovi, 1) == LUA_TTABLE) { /* the overseer's spec */
        lua_getfield(L, -1, "knows");
        knows = !lua_isnil(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    const l_overseer *lo = l_check_overseer(L, ovi);
    for (int k = 0; k < (lo->recursive ? 2 : 1); k++)
        overseer_estimate(w, knows, &e);
    if (lo->p.kind == OVERSEER_DEBATE)
        debate_estimate(w, &lo->dp, &e);
    size_estimate_add(&e, size_add_sat(size_mul3_sat((size_t)p->rounds + 1,
                                                     LUA_ROUND_ROW_BYTES, 1),
                                       size_mul3_sat((size_t)w->n_cells,
                                                     LUA_POLICY_ROW_BYTES, 1)),
                      "result rows as Lua tables (%d rounds, %d cells)", p->rounds,
                      w->n_cells);
    l_check_estimate(L, loc, "this run", &e);
}

/* oversim.train{ world=, overseer=, ... } -> rows (one per round), final policy
 * rows, and for a recursive overseer its levels (see push_levels) */
/* Read and bind the run described by the table at spec into j: parameters,
 * the overseer (critics trained here for a recursive one), and buffers. What
 * must live until the results are pushed is left on the stack (boxes); the
 * caller keeps those slots. loc: where errors point. */
void l_prepare_run(lua_State *L, int spec, l_run *j, const char *loc, int allow_callback)
{
    spec = lua_absindex(L, spec);
    j->loc = loc;
    l_check_record(L, spec, TRAIN_FIELDS, "train", loc);
    lua_getfield(L, spec, "world");
    if (!luaL_testudata(L, -1, WORLD_MT))
        l_raise(L, loc, "field 'world' of train must be a world made by oversim.world "
                "(got %s)", luaL_typename(L, -1));
    l_world *lw = l_check_world(L, -1);
    lua_getfield(L, spec, "overseer");
    if (!luaL_testudata(L, -1, OVERSEER_MT))
        l_raise(L, loc, "field 'overseer' of train must be an overseer made by "
                "oversim.overseer (got %s)", luaL_typename(L, -1));
    int ovi = lua_gettop(L);
    l_overseer *lo = l_check_overseer(L, ovi);
    read_params(L, spec, loc, &j->p, &j->run);
    /* the red team's world (a box on the stack) before the sizes are checked */
    l_check_overseer_world(L, lo, lw->w, lw->name, loc);
    j->w = l_read_red_team(L, spec, lw->w, loc, &j->p, &j->redteam);
    check_run_size(L, ovi, j->w, &j->p, loc); /* before the overseer or rows exist */
    j->scenario = l_opt_string(L, spec, "scenario", lw->name, "train", loc);
    j->overseer_name = lo->name;
    lua_getfield(L, spec, "params");
    if (!lua_isnil(L, -1)) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                l_raise(L, loc, "field 'params' of train must have string keys (column names)");
            if (l_is_measured_column(lua_tostring(L, -2)))
                l_raise(L, loc, "field 'params' of train: column '%s' is one a run measures "
                        "or is identified by; give the setting another name (e.g. '%s_coef')",
                        lua_tostring(L, -2), lua_tostring(L, -2));
            int ty = lua_type(L, -1);
            if (ty != LUA_TNUMBER && ty != LUA_TSTRING && ty != LUA_TBOOLEAN)
                l_raise(L, loc, "field 'params' of train: column '%s' must be a number, "
                        "string or boolean (got %s)", lua_tostring(L, -2), luaL_typename(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_getfield(L, spec, "on_round");
    if (!lua_isnil(L, -1) && !allow_callback)
        l_raise(L, loc, "field 'on_round' is not allowed in oversim.sweep (runs go in "
                "parallel); use oversim.train");
    lua_pop(L, 1);
    j->ov = l_bind_overseer(L, ovi, j->w, j->p.seed, j->p.run_id, &j->rec); /* boxes */
    if (j->rec) { /* the critics' labels count towards this overseer's */
        j->p.base_labels = recursion_build_labels(j->rec);
        j->p.base_cost = recursion_build_cost(j->rec);
    }
    const debate *db = overseer_debate(j->ov);
    if (db) { /* and so do the labels trained debaters' self-play asked */
        j->p.base_labels = debate_train_labels(db);
        j->p.base_cost = debate_train_cost(db);
    }
    void **rows_box = l_push_box(L, free);
    size_t nrows = (size_t)j->p.rounds + 1;
    j->rows = calloc(nrows * sizeof *j->rows + 2 * j->w->n_cells * sizeof(double), 1);
    if (!j->rows)
        l_raise(L, loc, "out of memory for %d rounds", j->p.rounds);
    *rows_box = j->rows;
    j->probs = (double *)(j->rows + nrows);
    j->reward = j->probs + j->w->n_cells;
    j->rc = 0;
}

/* Raise the error of a failed run. */
void l_raise_run(lua_State *L, const l_run *j)
{
    l_raise(L, j->loc, "%s (overseer '%s', seed %llu, run %llu)", j->err.msg,
            j->overseer_name, (unsigned long long)j->p.seed, (unsigned long long)j->run);
}

/* oversim.train{ world=, overseer=, ... } -> rows (one per round), final policy
 * rows, and for a recursive overseer its levels (l_rows.c) */
static int l_train(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2: anchors loc */
    l_run j;
    l_prepare_run(L, 1, &j, lua_tostring(L, 2), 1);
    lua_getfield(L, 1, "on_round");
    int fn = lua_gettop(L);
    l_push_columns(L, 1, &j);
    l_run_info ri = { j.scenario, j.overseer_name, j.p.seed, j.run, lua_gettop(L) };
    live lv = { L, lua_isnil(L, fn) ? 0 : fn, j.p.rounds, &ri };
    l_progress_run_start(L);
    j.rc = train_run(j.w, j.ov, &j.p, j.rows, j.probs, j.reward, on_round, &lv, &j.err);
    if (j.rc)
        l_raise_run(L, &j);
    int n = l_push_run(L, 1, &j);
    l_progress_run_done(L);
    return n;
}

int l_open_train(lua_State *L)
{
    lua_pushcfunction(L, l_train);
    lua_setfield(L, -2, "train");
    return 0;
}
