/* l_rows.c — a run's results as Lua tables: one row per round (the ids,
 * core/metrics.h's columns, the configuration), the final policy (one row
 * per available cell) and a recursive overseer's levels. Used by
 * oversim.train (l_train.c) and oversim.sweep (l_sweep.c). */
#include "l_internal.h"
#include "l_present.h"

#include <math.h>
#include <stdio.h>

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, long long v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* the id columns every row of a run carries */
static void push_ids(lua_State *L, const l_run_info *ri)
{
    set_int(L, "run", (long long)ri->run);
    lua_pushstring(L, ri->scenario);
    lua_setfield(L, -2, "scenario");
    lua_pushstring(L, ri->overseer);
    lua_setfield(L, -2, "overseer");
    set_int(L, "seed", (long long)ri->seed);
}

/* the run's configuration columns into the row on top */
static void copy_columns(lua_State *L, const l_run_info *ri)
{
    if (!ri->columns)
        return;
    lua_pushnil(L);
    while (lua_next(L, ri->columns)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -4);
    }
}

void l_push_round_row(lua_State *L, const l_run_info *ri, const metrics_row *r)
{
    lua_createtable(L, 0, 40);
    push_ids(L, ri);
    for (int k = 0; k < metrics_n_columns(); k++) {
        const metrics_column *c = metrics_column_at(k);
        double v = metrics_value(r, k);
        if (c->kind == METRIC_FLAG) {
            lua_pushboolean(L, v != 0);
            lua_setfield(L, -2, c->name);
        } else if (c->kind == METRIC_INT)
            set_int(L, c->name, (long long)v);
        else if (!isnan(v))
            set_num(L, c->name, v);
    }
    copy_columns(L, ri);
}

/* levels[j] = { level, rows (the critic's training, one per round), critic (one
 * row per critic context: task slot, shift, its difficulty, p_point, verify,
 * detect) } for a recursive overseer. */
static void push_levels(lua_State *L, const l_run_info *ri, const recursion *rec)
{
    int K = recursion_depth(rec);
    lua_createtable(L, K, 0);
    for (int j = 1; j <= K; j++) {
        lua_createtable(L, 0, 3);
        set_int(L, "level", j);
        char scen[256], name[256];
        snprintf(scen, sizeof scen, "%s/critic", ri->scenario);
        /* the rows of critic j's training; its labels come from level j - 1 */
        snprintf(name, sizeof name, "%s/critic%d", ri->overseer, j);
        l_run_info cri = { scen, name, ri->seed, ri->run, 0 };
        int n;
        const metrics_row *rows = recursion_rows(rec, j, &n);
        lua_createtable(L, n, 0);
        for (int t = 0; t < n; t++) {
            l_push_round_row(L, &cri, &rows[t]);
            set_int(L, "level", j);
            set_int(L, "labelled_by", j - 1);
            set_int(L, "depth", K);
            lua_seti(L, -2, t + 1);
        }
        lua_setfield(L, -2, "rows");
        const world *cw = recursion_critic_world(rec, j);
        lua_createtable(L, cw->n_ctx, 0);
        for (int x = 0; x < cw->n_ctx; x++) {
            int s, m;
            recursion_context(rec, j, x, &s, &m);
            lua_createtable(L, 0, 32);
            push_ids(L, ri); /* the run these critics served, and its configuration */
            copy_columns(L, ri);
            set_int(L, "level", j);
            lua_pushstring(L, cw->ctx_name[x]);
            lua_setfield(L, -2, "context");
            set_int(L, "shift", m);
            /* an undiscoverable fact's slot is "inf" (a setting, not a measurement) */
            l_push_setting(L, recursion_critic_difficulty(rec, j, x));
            lua_setfield(L, -2, "difficulty");
            set_num(L, "p_point", recursion_p_point(rec, j, x));
            set_num(L, "verify", recursion_critic_verify(rec, j, x));
            set_num(L, "detect", recursion_detect(rec, j, s, m));
            lua_seti(L, -2, x + 1);
        }
        lua_setfield(L, -2, "critic");
        lua_seti(L, -2, j);
    }
}

/* The final policy, one tidy row per available (context, behaviour), each
 * with the ids, the cell's columns and the run's configuration columns, set
 * in that order (so every row's table is laid out as before). A world of a
 * million cells makes a million rows of 26 fields: every key and shared value
 * is made a Lua string once and set raw (lua_setfield looks its C string up
 * each time), the configuration columns are read once (not a lua_next walk
 * per row), and the names come from arrays of Lua strings. */
static void push_policy(lua_State *L, const l_run_info *ri, const l_run *j)
{
    luaL_checkstack(L, 16, "the final policy's rows"); /* up to 8 pushes below */
    static const char *const id_keys[] = { "run", "scenario", "overseer", "seed" };
    static const char *const cell_keys[] = { "context", "behaviour", "prior", "probability",
                                              "reward", "true_value", "perceived_value",
                                              "deceptive" };
    const world *w = j->w;
    lua_createtable(L, 48, 0); /* shared: key, value, key, value, ... */
    const int shared = lua_gettop(L);
    int n_shared = 0;
    lua_createtable(L, 0, 4); /* the ids, as push_ids sets them */
    push_ids(L, ri);
    for (int k = 0; k < 4; k++) {
        lua_pushstring(L, id_keys[k]);
        lua_rawseti(L, shared, ++n_shared);
        lua_getfield(L, -1, id_keys[k]);
        lua_rawseti(L, shared, ++n_shared);
    }
    lua_pop(L, 1);
    const int n_ids = n_shared;
    if (ri->columns) { /* in copy_columns's order */
        lua_pushnil(L);
        while (lua_next(L, ri->columns)) {
            lua_pushvalue(L, -2);
            lua_rawseti(L, shared, ++n_shared);
            lua_rawseti(L, shared, ++n_shared);
        }
    }
    lua_createtable(L, 8, 0);
    const int keys = lua_gettop(L);
    for (int k = 0; k < 8; k++) {
        lua_pushstring(L, cell_keys[k]);
        lua_rawseti(L, keys, k + 1);
    }
    lua_createtable(L, w->n_ctx, 0);
    const int ctx_names = lua_gettop(L);
    for (int c = 0; c < w->n_ctx; c++) {
        lua_pushstring(L, w->ctx_name[c]);
        lua_rawseti(L, ctx_names, c + 1);
    }
    lua_createtable(L, w->n_beh, 0);
    const int beh_names = lua_gettop(L);
    for (int b = 0; b < w->n_beh; b++) {
        lua_pushstring(L, w->beh_name[b]);
        lua_rawseti(L, beh_names, b + 1);
    }
    lua_createtable(L, w->n_cells, 0);
    const int out = lua_gettop(L);
    int n = 0;
    for (int i = 0; i < w->n_cells; i++) {
        if (!w->avail[i])
            continue;
        lua_createtable(L, 0, 32);
        const int row = lua_gettop(L);
        for (int k = 1; k <= n_ids; k += 2) {
            lua_rawgeti(L, shared, k);
            lua_rawgeti(L, shared, k + 1);
            lua_rawset(L, row);
        }
        const double num[5] = { w->prior[i], j->probs[i], j->reward[i], w->vstar[i],
                                overseer_perceived(j->ov, i) };
        for (int k = 0; k < 8; k++) {
            lua_rawgeti(L, keys, k + 1);
            if (k == 0)
                lua_rawgeti(L, ctx_names, i / w->n_beh + 1);
            else if (k == 1)
                lua_rawgeti(L, beh_names, i % w->n_beh + 1);
            else if (k < 7)
                lua_pushnumber(L, num[k - 2]);
            else
                lua_pushboolean(L, w->deceptive[i]);
            lua_rawset(L, row);
        }
        for (int k = n_ids + 1; k <= n_shared; k += 2) {
            lua_rawgeti(L, shared, k);
            lua_rawgeti(L, shared, k + 1);
            lua_rawset(L, row);
        }
        lua_rawseti(L, out, ++n);
    }
    lua_replace(L, shared); /* the rows where the shared pairs were */
    lua_settop(L, shared);
}

int l_push_run(lua_State *L, int spec, const l_run *j)
{
    spec = lua_absindex(L, spec);
    l_push_columns(L, spec, j);
    l_run_info ri = { j->scenario, j->overseer_name, j->p.seed, j->run, lua_gettop(L) };
    lua_createtable(L, j->p.rounds + 1, 0);
    for (int t = 0; t <= j->p.rounds; t++) {
        l_push_round_row(L, &ri, &j->rows[t]);
        lua_seti(L, -2, t + 1);
    }
    push_policy(L, &ri, j);
    int n = 2;
    if (j->rec) {
        push_levels(L, &ri, j->rec);
        n = 3;
    }
    lua_remove(L, -n - 1); /* the columns */
    return n;
}
