/* l_w2s.c — oversim.reward_quality{...} and oversim.pgr(...): how good a
 * trained reward is on a world (core/w2s.h), for weak-to-strong experiments. */
#include "l_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "w2s.h"

static const l_field QUALITY_FIELDS[] = {
    { "world", T_ANY }, { "rewards", T_TAB }, { "kl", T_NUM }, { NULL, 0 } };

/* oversim.reward_quality{ world = w, rewards = policy_rows, kl = 0.1 } ->
 * { accuracy = ..., optimum_value = ... }. rewards: rows with context,
 * behaviour and reward (the policy rows oversim.train returns), one for every
 * cell of w that exists; accuracy is NAN-free (nil when no pair differs). */
static int l_reward_quality(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    const char *what = "reward_quality";
    l_check_record(L, 1, QUALITY_FIELDS, what, loc);
    lua_getfield(L, 1, "world"); /* 3 */
    if (!luaL_testudata(L, 3, WORLD_MT))
        l_raise(L, loc, "field 'world' of reward_quality must be a world made by oversim.world "
                "(got %s)", luaL_typename(L, 3));
    const world *w = l_check_world(L, 3)->w;
    double kl = l_opt_number(L, 1, "kl", 0.1, what, loc, 0);
    if (!(kl > 0))
        l_raise(L, loc, "field 'kl' of reward_quality must be a finite number > 0 (got %g)", kl);
    lua_getfield(L, 1, "rewards"); /* 4 */
    if (!lua_istable(L, 4))
        l_raise(L, loc, "field 'rewards' of reward_quality is missing (the policy rows "
                "oversim.train returns: context, behaviour, reward)");
    size_t cells = (size_t)w->n_cells; /* <= 5e7 */
    double *r = lua_newuserdatauv(L, 2 * cells * sizeof *r, 0); /* 5 */
    unsigned char *seen = lua_newuserdatauv(L, cells, 0);      /* 6 */
    memset(seen, 0, cells);
    lua_Integer n = luaL_len(L, 4);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_geti(L, 4, k);
        lua_getfield(L, -1, "context");
        lua_getfield(L, -2, "behaviour");
        lua_getfield(L, -3, "reward");
        const char *cn = lua_tostring(L, -3), *bn = lua_tostring(L, -2);
        int c = cn ? world_find_context(w, cn) : -1, b = bn ? world_find_behaviour(w, bn) : -1;
        if (c < 0 || b < 0 || !lua_isnumber(L, -1))
            l_raise(L, loc, "entry %d of field 'rewards' of reward_quality needs a context and "
                    "a behaviour of the world and a numeric reward", (int)k);
        double x = lua_tonumber(L, -1);
        if (!isfinite(x))
            l_raise(L, loc, "entry %d of field 'rewards' of reward_quality has a reward that is "
                    "not finite", (int)k);
        r[c * w->n_beh + b] = x;
        seen[c * w->n_beh + b] = 1;
        lua_pop(L, 4);
    }
    for (size_t i = 0; i < cells; i++)
        if (w->avail[i] && !seen[i])
            l_raise(L, loc, "field 'rewards' of reward_quality has no reward for behaviour '%s' "
                    "in context '%s'", w->beh_name[i % w->n_beh], w->ctx_name[i / w->n_beh]);
        else if (!w->avail[i])
            r[i] = 0;
    double acc = w2s_accuracy(w, r);
    double val = w2s_optimum_value(w, r, kl, r + cells);
    lua_createtable(L, 0, 2);
    if (!isnan(acc)) {
        lua_pushnumber(L, acc);
        lua_setfield(L, -2, "accuracy");
    }
    lua_pushnumber(L, val);
    lua_setfield(L, -2, "optimum_value");
    return 1;
}

/* oversim.pgr(student, weak, ceiling) -> (student - weak) / (ceiling - weak),
 * or nil when ceiling == weak */
static int l_pgr(lua_State *L)
{
    double p = w2s_pgr(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3));
    if (isnan(p))
        lua_pushnil(L);
    else
        lua_pushnumber(L, p);
    return 1;
}

int l_open_w2s(lua_State *L)
{
    lua_pushcfunction(L, l_reward_quality);
    lua_setfield(L, -2, "reward_quality");
    lua_pushcfunction(L, l_pgr);
    lua_setfield(L, -2, "pgr");
    return 0;
}
