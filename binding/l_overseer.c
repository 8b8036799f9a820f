/* l_overseer.c — oversim.overseer{...}: parameters checked when made; bound
 * to a world (misconceptions resolved by name, knows/wrong predicates
 * evaluated once per context type and pair) when a run starts. */
#include "l_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const l_field OVERSEER_FIELDS[] = {
    { "name", T_STR }, { "kind", T_STR }, { "competence", T_NUM }, { "beta", T_NUM },
    { "mistake", T_NUM }, { "skip_threshold", T_NUM }, { "equal_threshold", T_NUM },
    { "cost", T_NUM }, { "when_unsure", T_STR }, { "misconceptions", T_TAB },
    { "knows", T_FUN }, { "wrong", T_FUN }, { NULL, 0 } };
static const l_field MISCONCEPTION_FIELDS[] = {
    { "context", T_STR }, { "behaviour", T_STR }, { "bias", T_NUM }, { NULL, 0 } };

static const char *const KINDS[] = { "oracle", "human", NULL };
static const char *const UNSURE[] = { "coin", "skip", "looks", NULL };

l_overseer *l_check_overseer(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, OVERSEER_MT);
}

static int overseer_tostring(lua_State *L)
{
    l_overseer *o = l_check_overseer(L, 1);
    lua_pushfstring(L, "oversim.Overseer '%s'", o->name);
    return 1;
}

static int l_overseer_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    lua_getfield(L, 1, "name");
    char what[192];
    snprintf(what, sizeof what, lua_type(L, -1) == LUA_TSTRING ? "overseer '%s'" : "overseer",
             lua_tostring(L, -1));
    lua_pop(L, 1);
    l_check_record(L, 1, OVERSEER_FIELDS, what, loc);

    l_overseer *o = lua_newuserdatauv(L, sizeof *o, 1); /* 3 */
    memset(o, 0, sizeof *o);
    luaL_setmetatable(L, OVERSEER_MT);
    overseer_params_default(&o->p);
    o->p.kind = (overseer_kind)l_opt_option(L, 1, "kind", "human", KINDS, what, loc);
    const char *defname = o->p.kind == OVERSEER_ORACLE ? "oracle" : "human";
    snprintf(o->name, sizeof o->name, "%s", l_opt_string(L, 1, "name", defname, what, loc));
    snprintf(o->loc, sizeof o->loc, "%s", loc);
    o->p.competence = l_opt_number(L, 1, "competence", 0, what, loc, 1);
    o->p.beta = l_opt_range(L, 1, "beta", INFINITY, 0, INFINITY, what, loc);
    o->p.mistake = l_opt_range(L, 1, "mistake", 0, 0, 1, what, loc);
    o->p.skip_threshold = l_opt_number(L, 1, "skip_threshold", -INFINITY, what, loc, 1);
    o->p.equal_threshold = l_opt_range(L, 1, "equal_threshold", 0, 0, INFINITY, what, loc);
    o->p.cost = l_opt_range(L, 1, "cost", 1, 0, INFINITY, what, loc);
    if (isinf(o->p.cost))
        l_raise(L, loc, "field 'cost' of %s must be finite", what);
    o->p.when_unsure = (unsure_mode)l_opt_option(L, 1, "when_unsure", "coin", UNSURE, what, loc);
    if (o->p.kind == OVERSEER_ORACLE) {
        static const char *const human_only[] = { "competence", "when_unsure",
                                                  "misconceptions", "knows", "wrong", NULL };
        for (int i = 0; human_only[i]; i++) {
            lua_getfield(L, 1, human_only[i]);
            if (!lua_isnil(L, -1))
                l_raise(L, loc, "field '%s' of %s does not apply to an oracle (it judges by "
                        "true value)", human_only[i], what);
            lua_pop(L, 1);
        }
    }
    /* misconceptions: checked now, resolved against a world when bound */
    lua_getfield(L, 1, "misconceptions");
    if (!lua_isnil(L, -1)) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -1, i);
            char mwhat[256];
            snprintf(mwhat, sizeof mwhat, "misconception %d of %s", (int)i, what);
            l_check_record(L, -1, MISCONCEPTION_FIELDS, mwhat, loc);
            lua_getfield(L, -1, "behaviour");
            if (lua_type(L, -1) != LUA_TSTRING)
                l_raise(L, loc, "%s needs a 'behaviour' name", mwhat);
            lua_pop(L, 1);
            l_opt_number(L, -1, "bias", 0, mwhat, loc, 0);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    /* keep the spec (for misconceptions and predicates) */
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, 3, 1);
    lua_settop(L, 3);
    return 1;
}

static void free_overseer(void *p) { overseer_free(p); }

/* Resolve a context or behaviour name in w or raise with the closest one. */
static int resolve(lua_State *L, const world *w, const char *name, int is_ctx,
                   const char *what, const char *loc)
{
    int i = is_ctx ? world_find_context(w, name) : world_find_behaviour(w, name);
    if (i >= 0)
        return i;
    const char *near = is_ctx ? l_closest_n(name, (const char *const *)w->ctx_name, w->n_ctx)
                              : l_closest_n(name, (const char *const *)w->beh_name, w->n_beh);
    return l_raise(L, loc, "%s names an unknown %s '%s'%s%s%s", what,
                   is_ctx ? "context" : "behaviour", name, near ? " (did you mean '" : "",
                   near ? near : "", near ? "'?)" : "");
}

/* Call predicate at fn with (ctx, names...), return its truth; insists on a boolean. */
static int call_pred(lua_State *L, int fn, int nargs, const char *pred, const l_overseer *o)
{
    lua_call(L, nargs, 1);
    if (!lua_isboolean(L, -1))
        l_raise(L, o->loc, "predicate '%s' of overseer '%s' must return true or false "
                "(got %s)", pred, o->name, luaL_typename(L, -1));
    int r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    (void)fn;
    return r;
}

overseer *l_bind_overseer(lua_State *L, int idx, const world *w)
{
    idx = lua_absindex(L, idx);
    l_overseer *o = l_check_overseer(L, idx);
    void **slot = l_push_box(L, free_overseer);
    int top = lua_gettop(L);
    os_err err;
    overseer *ov = overseer_new(w, &o->p, &err);
    if (!ov)
        l_raise(L, o->loc, "%s", err.msg);
    *slot = ov;
    lua_getiuservalue(L, idx, 1); /* spec */
    int spec = lua_gettop(L);
    char what[192];
    snprintf(what, sizeof what, "overseer '%s'", o->name);

    lua_getfield(L, spec, "misconceptions");
    lua_Integer n = lua_isnil(L, -1) ? 0 : luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        char mwhat[256];
        snprintf(mwhat, sizeof mwhat, "misconception %d of %s", (int)i, what);
        lua_getfield(L, -1, "behaviour");
        int b = resolve(L, w, lua_tostring(L, -1), 0, mwhat, o->loc);
        lua_pop(L, 1);
        double bias = l_opt_number(L, -1, "bias", 0, mwhat, o->loc, 0);
        lua_getfield(L, -1, "context");
        int c0 = 0, c1 = w->n_ctx;
        if (!lua_isnil(L, -1)) {
            c0 = resolve(L, w, lua_tostring(L, -1), 1, mwhat, o->loc);
            c1 = c0 + 1;
        }
        lua_pop(L, 1);
        for (int c = c0; c < c1; c++)
            if (w->avail[c * w->n_beh + b] && overseer_add_bias(ov, c, b, bias, &err))
                l_raise(L, o->loc, "%s: %s", mwhat, err.msg);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    /* predicates: pure functions of (context view, behaviour names), evaluated
     * once per context type and behaviour (pair) here, never per label */
    lua_getfield(L, spec, "wrong");
    if (!lua_isnil(L, -1)) {
        int fn = lua_gettop(L);
        for (int c = 0; c < w->n_ctx; c++) {
            l_push_context(L, w, c);
            int view = lua_gettop(L);
            for (int b = 0; b < w->n_beh; b++) {
                if (!w->avail[c * w->n_beh + b])
                    continue;
                lua_pushvalue(L, fn);
                lua_pushvalue(L, view);
                lua_pushstring(L, w->beh_name[b]);
                int r = call_pred(L, fn, 2, "wrong", o);
                if (r && overseer_set_wrong(ov, c, b, 1, &err))
                    l_raise(L, o->loc, "%s", err.msg);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_getfield(L, spec, "knows");
    if (!lua_isnil(L, -1)) {
        int fn = lua_gettop(L);
        for (int c = 0; c < w->n_ctx; c++) {
            l_push_context(L, w, c);
            int view = lua_gettop(L);
            for (int b1 = 0; b1 < w->n_beh; b1++)
                for (int b2 = b1 + 1; b2 < w->n_beh; b2++) {
                    if (!w->avail[c * w->n_beh + b1] || !w->avail[c * w->n_beh + b2])
                        continue;
                    lua_pushvalue(L, fn);
                    lua_pushvalue(L, view);
                    lua_pushstring(L, w->beh_name[b1]);
                    lua_pushstring(L, w->beh_name[b2]);
                    int r = call_pred(L, fn, 3, "knows", o);
                    if (overseer_set_knows(ov, c, b1, b2, r, &err))
                        l_raise(L, o->loc, "%s", err.msg);
                }
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top); /* leave the box */
    return ov;
}

int l_open_overseer(lua_State *L)
{
    static const luaL_Reg meta[] = { { "__tostring", overseer_tostring }, { NULL, NULL } };
    luaL_newmetatable(L, OVERSEER_MT);
    luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
    lua_pushcfunction(L, l_overseer_new);
    lua_setfield(L, -2, "overseer");
    return 0;
}
