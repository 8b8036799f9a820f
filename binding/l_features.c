/* l_features.c — the size of a world and its feature map, for oversim.world:
 * the checks world{} makes from the counts alone before any record is read
 * (and oversim.check_world_size, the same check for a scenario to call first),
 * and the `features` field read into the core world ("onehot", "behaviour",
 * a table of one array per cell, or a function of (context view, behaviour
 * name)), counted once its length is known. */
#include "l_internal.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* Reading the features of a function or a table, cell by cell into the
 * world's own matrix (world_features_fill: no copy of it). */
typedef struct feats {
    lua_State *L;
    world *w;
    const char *wloc;
    const char *verb; /* "returned" (a function) or "gives" (a table) */
    int dim;          /* 0 until the first cell sets it */
    double *phi;
} feats;

/* Cell i's features: the array at the top of the stack (popped). The first
 * cell's length sets the dimension, checked against the memory limit before
 * the matrix is allocated; every value must be a finite number. A table
 * without a metatable is read raw (lua_rawgeti: a million cells of 32 read
 * with lua_geti cost a second); one with a metatable through its metamethods. */
static void read_cell(feats *F, int i)
{
    lua_State *L = F->L;
    world *w = F->w;
    const int c = i / w->n_beh, b = i % w->n_beh, t = lua_gettop(L);
    if (!lua_istable(L, t))
        l_raise(L, F->wloc, "field 'features' of world %s %s for context '%s', behaviour "
                "'%s' (expected an array of numbers)", F->verb, luaL_typename(L, t),
                w->ctx_name[c], w->beh_name[b]);
    const int raw = !lua_getmetatable(L, t);
    if (!raw)
        lua_pop(L, 1);
    lua_Integer n = raw ? (lua_Integer)lua_rawlen(L, t) : luaL_len(L, t);
    if (F->dim == 0) {
        if (n < 1)
            l_raise(L, F->wloc, "field 'features' of world %s an empty array", F->verb);
        if (n > INT_MAX)
            l_raise(L, F->wloc, "field 'features' of world %s %lld numbers a cell (at most "
                    "%d)", F->verb, (long long)n, INT_MAX);
        size_estimate e;
        size_estimate_init(&e);
        world_estimate(w->n_ctx, w->n_beh, n, &e);
        l_check_estimate(L, F->wloc, "this world", &e);
        os_err err;
        if (!(F->phi = world_features_fill(w, (int)n, &err)))
            l_raise(L, F->wloc, "%s", err.msg);
        F->dim = (int)n;
    } else if (n != F->dim) {
        l_raise(L, F->wloc, "field 'features' of world %s %lld numbers for context '%s', "
                "behaviour '%s' but %d elsewhere", F->verb, (long long)n, w->ctx_name[c],
                w->beh_name[b], F->dim);
    }
    double *out = F->phi + (size_t)i * (size_t)F->dim;
    for (int k = 0; k < F->dim; k++) {
        if ((raw ? lua_rawgeti(L, t, k + 1) : lua_geti(L, t, k + 1)) != LUA_TNUMBER)
            l_raise(L, F->wloc, "field 'features' of world: entry %d for context '%s', "
                    "behaviour '%s' is %s (expected a number)", k + 1, w->ctx_name[c],
                    w->beh_name[b], luaL_typename(L, -1));
        double x = lua_tonumber(L, -1);
        if (!isfinite(x))
            l_raise(L, F->wloc, "field 'features' of world: entry %d for context '%s', "
                    "behaviour '%s' is not finite (got %g)", k + 1, w->ctx_name[c],
                    w->beh_name[b], isnan(x) ? fabs(x) : x); /* "nan", not "-nan" */
        out[k] = x;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

void l_read_features(lua_State *L, world *w, int spec, int views, const char *wloc)
{
    os_err err;
    lua_getfield(L, spec, "features");
    if (lua_isnil(L, -1) || (lua_type(L, -1) == LUA_TSTRING &&
                             strcmp(lua_tostring(L, -1), "onehot") == 0)) {
        lua_pop(L, 1);
        return;
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        if (strcmp(s, "behaviour") != 0) {
            static const char *const opts[] = { "onehot", "behaviour", NULL };
            const char *near = l_closest(s, opts);
            l_raise(L, wloc, "field 'features' of world must be 'onehot', 'behaviour', "
                    "a table or a function (got '%s'%s%s%s)", s,
                    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        }
        if (world_set_features_behaviour(w, &err))
            l_raise(L, wloc, "%s", err.msg);
        lua_pop(L, 1);
        return;
    }
    const int src = lua_gettop(L);
    feats F = { L, w, wloc, "returned", 0, NULL };
    if (lua_type(L, src) == LUA_TTABLE) {
        /* one array per cell, in cell order: context by context, each
           context's behaviours in order */
        F.verb = "gives";
        const int raw = !lua_getmetatable(L, src);
        if (!raw)
            lua_pop(L, 1);
        lua_Integer n = raw ? (lua_Integer)lua_rawlen(L, src) : luaL_len(L, src);
        if (n != w->n_cells)
            l_raise(L, wloc, "field 'features' of world has %lld arrays (expected one per "
                    "cell: %d contexts x %d behaviours = %d, context by context)",
                    (long long)n, w->n_ctx, w->n_beh, w->n_cells);
        for (int i = 0; i < w->n_cells; i++) {
            if (raw)
                lua_rawgeti(L, src, i + 1);
            else
                lua_geti(L, src, i + 1);
            read_cell(&F, i);
        }
    } else {
        /* a function (ctx, behaviour_name) -> array of numbers, the same length
           everywhere; the behaviours' names made Lua strings once, not per cell */
        lua_createtable(L, w->n_beh, 0);
        const int names = lua_gettop(L);
        for (int b = 0; b < w->n_beh; b++) {
            lua_pushstring(L, w->beh_name[b]);
            lua_rawseti(L, names, b + 1);
        }
        for (int i = 0; i < w->n_cells; i++) {
            lua_pushvalue(L, src);
            lua_rawgeti(L, views, i / w->n_beh + 1);
            lua_rawgeti(L, names, i % w->n_beh + 1);
            lua_call(L, 2, 1);
            read_cell(&F, i);
        }
    }
    if (world_features_filled(w, &err))
        l_raise(L, wloc, "%s", err.msg);
    lua_settop(L, src - 1);
}

/* The number of cells of a world of nc contexts and nb behaviours (>= 1
 * each), and the memory it is estimated to need (world_estimate, dim 0: one-hot)
 * under the limit: raises "world too large: ..." or "this world needs about
 * ..." at loc. Returns the estimate in bytes. */
static size_t check_world_size(lua_State *L, long long nc, long long nb, long long dim,
                               const char *loc)
{
    if (nc > WORLD_MAX_CELLS / nb)
        l_raise(L, loc, "world too large: %lld x %lld cells (at most %d)", nc, nb,
                WORLD_MAX_CELLS);
    size_estimate e;
    size_estimate_init(&e);
    world_estimate(nc, nb, dim, &e);
    l_check_estimate(L, loc, "this world", &e);
    return e.bytes;
}

/* Before any record is read or any cell allocated: check_world_size from the
 * lengths of the lists at 3 (contexts) and 4 (behaviours) of the spec at
 * spec. Features given by a function are counted once their length is known
 * (read_features). */
void l_check_world_counts(lua_State *L, int spec, const char *loc)
{
    long long nc = luaL_len(L, 3), nb = luaL_len(L, 4);
    if (nc < 1 || nb < 1)
        return; /* check_list says which is empty */
    lua_getfield(L, spec, "features");
    long long dim = lua_type(L, -1) == LUA_TSTRING &&
                    strcmp(lua_tostring(L, -1), "behaviour") == 0 ? nb : 0;
    lua_pop(L, 1);
    check_world_size(L, nc, nb, dim, loc);
}

/* oversim.check_world_size(contexts, behaviours [, features]) -> bytes: what
 * oversim.world{} checks first, from the counts alone, so a scenario can
 * refuse a size before its own loop builds the records. features: "onehot"
 * (default), "behaviour", or a number of features per cell. */
int l_check_world_size(lua_State *L)
{
    lua_Integer nc = luaL_checkinteger(L, 1), nb = luaL_checkinteger(L, 2);
    luaL_argcheck(L, nc >= 1, 1, "a world needs at least one context");
    luaL_argcheck(L, nb >= 1, 2, "a world needs at least one behaviour");
    long long dim = 0;
    if (lua_type(L, 3) == LUA_TNUMBER) {
        dim = luaL_checkinteger(L, 3);
        luaL_argcheck(L, dim >= 1, 3, "a number of features must be >= 1");
    } else if (!lua_isnoneornil(L, 3)) {
        static const char *const opts[] = { "onehot", "behaviour", NULL };
        dim = luaL_checkoption(L, 3, NULL, opts) == 1 ? nb : 0;
    }
    l_push_where(L);
    size_t bytes = check_world_size(L, nc, nb, dim, lua_tostring(L, -1));
    lua_pushinteger(L, (lua_Integer)bytes);
    return 1;
}
