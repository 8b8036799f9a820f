/* l_compare.c — oversim.compare{...}: an overseer's judgements of given pairs
 * of outputs, outside a training run (for methods that evaluate samples
 * themselves: choosing a prompt by the overseer's comparisons). */
#include "l_internal.h"

#include <string.h>
#include "rng.h"

static const l_field COMPARE_FIELDS[] = {
    { "overseer", T_ANY }, { "world", T_ANY }, { "pairs", T_TAB }, { "seed", T_NUM },
    { NULL, 0 } };

static const char *const LABEL_NAMES[] = { "first", "second", "equal", "skip" };

static void free_rng(void *r) { rng_free(r); }

/* oversim.compare{ overseer = o, world = w, pairs = { { context, a, b }, ... },
 * seed = 1 } -> labels, cost: one judgement per pair ("first", "second",
 * "equal" or "skip"), drawn as a training run's are, from the stream (seed,
 * 1), in order; cost = pairs x the overseer's label cost. A recursive
 * overseer's critics are trained first (on the same seed). */
static int l_compare(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    l_check_record(L, 1, COMPARE_FIELDS, "compare", loc);
    lua_getfield(L, 1, "world"); /* 3 */
    if (!luaL_testudata(L, 3, WORLD_MT))
        l_raise(L, loc, "field 'world' of compare must be a world made by oversim.world (got %s)",
                luaL_typename(L, 3));
    const world *w = l_check_world(L, 3)->w;
    lua_getfield(L, 1, "overseer"); /* 4 */
    if (!luaL_testudata(L, 4, OVERSEER_MT))
        l_raise(L, loc, "field 'overseer' of compare must be an overseer made by "
                "oversim.overseer (got %s)", luaL_typename(L, 4));
    uint64_t seed = (uint64_t)l_opt_int(L, 1, "seed", 1, 0, "compare", loc);
    lua_getfield(L, 1, "pairs"); /* 5 */
    if (!lua_istable(L, 5))
        l_raise(L, loc, "field 'pairs' of compare is missing (a list of { context, a, b })");
    const recursion *rec = NULL;
    overseer *ov = l_bind_overseer(L, 4, w, seed, 1, &rec); /* boxes on the stack */
    void **rb = l_push_box(L, free_rng);
    gsl_rng *r = rng_new(seed, 1);
    if (!r)
        l_raise(L, loc, "out of memory");
    *rb = r;
    lua_Integer n = luaL_len(L, 5);
    lua_createtable(L, n > 0 && n < 1 << 24 ? (int)n : 0, 0);
    int out = lua_gettop(L);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_geti(L, 5, k);
        if (!lua_istable(L, -1))
            l_raise(L, loc, "entry %d of field 'pairs' of compare must be a table { context, a, "
                    "b } (got %s)", (int)k, luaL_typename(L, -1));
        int c = -1, b[2] = { -1, -1 };
        for (int m = 0; m < 3; m++) {
            lua_geti(L, -1 - m, m + 1); /* the entry is below what this loop pushed */
            const char *name = lua_tostring(L, -1);
            int idx = name ? (m == 0 ? world_find_context(w, name) : world_find_behaviour(w, name))
                           : -1;
            if (idx < 0)
                l_raise(L, loc, "entry %d of field 'pairs' of compare: %s '%s' is not in the "
                        "world", (int)k, m == 0 ? "context" : "behaviour", name ? name : "?");
            if (m == 0)
                c = idx;
            else
                b[m - 1] = idx;
        }
        lua_pop(L, 3);
        if (!w->avail[c * w->n_beh + b[0]] || !w->avail[c * w->n_beh + b[1]] || b[0] == b[1])
            l_raise(L, loc, "entry %d of field 'pairs' of compare: two different behaviours of "
                    "context '%s' are needed", (int)k, w->ctx_name[c]);
        overseer_outcome o;
        overseer_judge(ov, c, b[0], b[1], r, &o);
        lua_pushstring(L, LABEL_NAMES[o.label]);
        lua_seti(L, out, k);
        lua_pop(L, 1);
    }
    lua_pushnumber(L, (double)n * overseer_label_cost(ov));
    return 2;
}

int l_open_compare(lua_State *L)
{
    lua_pushcfunction(L, l_compare);
    lua_setfield(L, -2, "compare");
    return 0;
}
