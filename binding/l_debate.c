/* l_debate.c — oversim.debate{...}: a debate overseer's outcome on every
 * comparison of a world, with no policy trained: how often the judge names
 * the better output after the debate (Irving et al. 2018's judge accuracy),
 * what each debater claimed, what trained debaters' self-play cost.
 * Uses: the core's debate (debate.h) through l_bind_overseer. */
#include "l_internal.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>

static const l_field DEBATE_FIELDS[] = {
    { "world", T_ANY }, { "overseer", T_ANY }, /* checked with a better message */
    { "seed", T_NUM }, { "stream", T_NUM }, { "params", T_TAB }, { NULL, 0 } };

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

static void set_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/* The script's params (string keys; numbers, strings, booleans; no measured
 * column) onto the columns table at cols. */
static void copy_params(lua_State *L, int cols, const char *loc)
{
    lua_getfield(L, 1, "params");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            l_raise(L, loc, "field 'params' of debate must have string keys (column names)");
        int ty = lua_type(L, -1);
        if (ty != LUA_TNUMBER && ty != LUA_TSTRING && ty != LUA_TBOOLEAN)
            l_raise(L, loc, "field 'params' of debate: column '%s' must be a number, string "
                    "or boolean (got %s)", lua_tostring(L, -2), luaL_typename(L, -1));
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, cols);
    }
    lua_pop(L, 1);
}

/* Comparisons of different true value in context c: the unordered pairs. */
static int pairs_in(const world *w, int c)
{
    int n = 0;
    for (int lo = 0; lo < w->n_beh; lo++)
        for (int hi = lo + 1; hi < w->n_beh; hi++)
            n += w->avail[c * w->n_beh + lo] && w->avail[c * w->n_beh + hi] &&
                 w->vstar[c * w->n_beh + lo] != w->vstar[c * w->n_beh + hi];
    return n;
}

/* oversim.debate{ world =, overseer = (kind 'debate'), seed =, stream =,
 * params = } -> rows (one per comparison of different true values, both
 * orders averaged), summary { accuracy, self_play_labels, self_play_cost,
 * self_play = { honest's mean reward per round } } */
static int l_debate(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    l_check_record(L, 1, DEBATE_FIELDS, "debate", loc);
    lua_getfield(L, 1, "world"); /* 3 */
    if (!luaL_testudata(L, 3, WORLD_MT))
        l_raise(L, loc, "field 'world' of debate must be a world made by oversim.world "
                "(got %s)", luaL_typename(L, 3));
    const l_world *lw = l_check_world(L, 3);
    const world *w = lw->w;
    lua_getfield(L, 1, "overseer"); /* 4 */
    if (!luaL_testudata(L, 4, OVERSEER_MT))
        l_raise(L, loc, "field 'overseer' of debate must be an overseer made by "
                "oversim.overseer (got %s)", luaL_typename(L, 4));
    const l_overseer *lo = l_check_overseer(L, 4);
    if (lo->p.kind != OVERSEER_DEBATE)
        l_raise(L, loc, "field 'overseer' of debate must be an overseer of kind 'debate' "
                "(got kind '%s')", l_overseer_kind_name(lo));
    l_check_overseer_world(L, lo, w, lw->name, loc);
    long long seed = l_opt_int(L, 1, "seed", 1, 0, "debate", loc);
    long long stream = l_opt_int(L, 1, "stream", 1, 0, "debate", loc);
    size_estimate e;
    size_estimate_init(&e);
    overseer_estimate(w, 1, &e);
    debate_estimate(w, &lo->dp, &e);
    l_check_estimate(L, loc, "this debate", &e);
    const recursion *rec;
    overseer *ov = l_bind_overseer(L, 4, w, (uint64_t)seed, (uint64_t)stream, &rec);
    const debate *d = overseer_debate(ov);
    l_push_overseer_columns(L, lo);
    int cols = lua_gettop(L);
    copy_params(L, cols, loc);

    double wsum = 0;
    for (int c = 0; c < w->n_ctx; c++)
        wsum += pairs_in(w, c) ? w->ctx_weight[c] : 0;
    lua_newtable(L);
    int rows = lua_gettop(L), n = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        int np = pairs_in(w, c);
        for (int b = 0; b < w->n_beh && np; b++)
            for (int b2 = b + 1; b2 < w->n_beh; b2++) {
                debate_result a, r; /* a: the pair in this order, r: reversed */
                if (debate_result_of(d, c, b, b2, &a) || a.honest < 0)
                    continue;
                debate_result_of(d, c, b2, b, &r);
                int h = a.honest == LABEL_FIRST ? b : b2, l = h == b ? b2 : b;
                lua_createtable(L, 0, 40);
                set_str(L, "scenario", lw->name);
                set_str(L, "overseer", lo->name);
                set_int(L, "seed", seed);
                set_str(L, "context", w->ctx_name[c]);
                l_push_setting(L, w->ctx_difficulty[c]);
                lua_setfield(L, -2, "context_difficulty");
                set_num(L, "weight", w->ctx_weight[c] / np / wsum);
                set_str(L, "honest", w->beh_name[h]);
                set_str(L, "liar", w->beh_name[l]);
                set_num(L, "honest_true", w->vstar[c * w->n_beh + h]);
                set_num(L, "liar_true", w->vstar[c * w->n_beh + l]);
                set_int(L, "slots", a.slots);
                set_int(L, "verifiable", a.verifiable);
                set_num(L, "honest_wins", (a.honest_wins + r.honest_wins) / 2);
                set_num(L, "value", (a.value + r.value) / 2);
                /* a.honest is b's label in a; in r the labels swap */
                set_num(L, "p_honest", (a.p[a.honest] + r.p[r.honest]) / 2);
                set_num(L, "p_liar", (a.p[1 - a.honest] + r.p[1 - r.honest]) / 2);
                set_num(L, "claims", (a.claims + r.claims) / 2);
                set_num(L, "found", (a.found + r.found) / 2);
                lua_pushnil(L); /* the configuration columns */
                while (lua_next(L, cols)) {
                    lua_pushvalue(L, -2);
                    lua_insert(L, -2);
                    lua_settable(L, -4);
                }
                lua_seti(L, rows, ++n);
            }
    }
    lua_createtable(L, 0, 4);
    double acc = debate_accuracy(d);
    if (!isnan(acc))
        set_num(L, "accuracy", acc);
    set_int(L, "self_play_labels", debate_train_labels(d));
    set_num(L, "self_play_cost", debate_train_cost(d));
    int nr;
    const double *curve = debate_train_curve(d, &nr);
    lua_createtable(L, nr, 0);
    for (int t = 0; t < nr; t++) {
        lua_pushnumber(L, curve[t]);
        lua_seti(L, -2, t + 1);
    }
    lua_setfield(L, -2, "self_play");
    return 2;
}

int l_open_debate(lua_State *L)
{
    lua_pushcfunction(L, l_debate);
    lua_setfield(L, -2, "debate");
    return 0;
}
