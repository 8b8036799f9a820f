/* l_features.c — the size of a world and its feature map, for oversim.world:
 * the checks world{} makes from the counts alone before any record is read
 * (and oversim.check_world_size, the same check for a scenario to call first),
 * and the `features` field read into the core world ("onehot", "behaviour" or
 * a function of (context view, behaviour name)), counted once its length is
 * known. */
#include "l_internal.h"

#include <string.h>

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
            l_raise(L, wloc, "field 'features' of world must be 'onehot', 'behaviour' or "
                    "a function (got '%s'%s%s%s)", s, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "");
        }
        if (world_set_features_behaviour(w, &err))
            l_raise(L, wloc, "%s", err.msg);
        lua_pop(L, 1);
        return;
    }
    /* a function (ctx, behaviour_name) -> array of numbers, the same length everywhere */
    int fn = lua_gettop(L);
    int dim = 0;
    double *phi = NULL;
    for (int i = 0; i < w->n_cells; i++) {
        int c = i / w->n_beh, b = i % w->n_beh;
        lua_pushvalue(L, fn);
        lua_geti(L, views, c + 1);
        lua_pushstring(L, w->beh_name[b]);
        lua_call(L, 2, 1);
        if (!lua_istable(L, -1))
            l_raise(L, wloc, "field 'features' of world returned %s for context '%s', "
                    "behaviour '%s' (expected an array of numbers)", luaL_typename(L, -1),
                    w->ctx_name[c], w->beh_name[b]);
        int n = (int)luaL_len(L, -1);
        if (i == 0) {
            if (n < 1)
                l_raise(L, wloc, "field 'features' of world returned an empty array");
            dim = n;
            size_estimate e;
            size_estimate_init(&e);
            world_estimate(w->n_ctx, w->n_beh, dim, &e);
            l_check_estimate(L, wloc, "this world", &e);
            phi = lua_newuserdatauv(L, sizeof(double) * w->n_cells * dim, 0); /* checked */
            lua_insert(L, fn + 1); /* keep it below the result */
        } else if (n != dim) {
            l_raise(L, wloc, "field 'features' of world returned %d numbers for context "
                    "'%s', behaviour '%s' but %d elsewhere", n, w->ctx_name[c],
                    w->beh_name[b], dim);
        }
        for (int k = 0; k < dim; k++) {
            lua_geti(L, -1, k + 1);
            if (lua_type(L, -1) != LUA_TNUMBER)
                l_raise(L, wloc, "field 'features' of world: entry %d for context '%s', "
                        "behaviour '%s' is %s (expected a number)", k + 1, w->ctx_name[c],
                        w->beh_name[b], luaL_typename(L, -1));
            phi[(size_t)i * dim + k] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (world_set_features(w, dim, phi, &err))
        l_raise(L, wloc, "%s", err.msg);
    lua_settop(L, fn - 1);
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
