/* l_world.c — oversim.world{...} and the record constructors
 * oversim.context{...}, oversim.behaviour{...}, oversim.fact{...}.
 * A spec is read into a core world (its size checks and feature map are
 * l_features.c's); the constructors only check their own fields and remember
 * where they were written, so later errors point there. */
#include "l_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const l_field WORLD_FIELDS[] = {
    { "name", T_STR }, { "contexts", T_TAB }, { "behaviours", T_TAB },
    { "features", T_STR | T_TAB | T_FUN }, { "deception_threshold", T_NUM }, { NULL, 0 } };
static const l_field CONTEXT_FIELDS[] = {
    { "name", T_STR }, { "weight", T_NUM }, { "difficulty", T_NUM }, { "tags", T_TAB },
    { "deploy_weight", T_NUM }, { "monitored", T_BOOL }, { NULL, 0 } };
static const l_field BEHAVIOUR_FIELDS[] = {
    { "name", T_STR }, { "looks", T_NUM | T_TAB | T_FUN }, { "prior", T_NUM | T_TAB | T_FUN },
    { "facts", T_TAB }, { "deceptive", T_BOOL }, { "catastrophic", T_BOOL },
    { "contexts", T_TAB }, { NULL, 0 } };
static const l_field FACT_FIELDS[] = {
    { "name", T_STR }, { "difficulty", T_NUM }, { "effect", T_NUM | T_TAB | T_FUN },
    { "contexts", T_TAB }, { NULL, 0 } };

l_world *l_check_world(lua_State *L, int idx)
{
    l_world *lw = luaL_checkudata(L, idx, WORLD_MT);
    if (!lw->w)
        luaL_argerror(L, idx, "world was never completed");
    return lw;
}

static int world_gc(lua_State *L)
{
    l_world *lw = luaL_checkudata(L, 1, WORLD_MT);
    world_free(lw->w); /* accepts a half-built world */
    lw->w = NULL;
    return 0;
}

static int world_tostring(lua_State *L)
{
    l_world *lw = luaL_checkudata(L, 1, WORLD_MT);
    if (!lw->w)
        lua_pushliteral(L, "oversim.World (incomplete)");
    else
        lua_pushfstring(L, "oversim.World '%s' (%d context types, %d behaviours)",
                        lw->name, lw->w->n_ctx, lw->w->n_beh);
    return 1;
}

void l_push_context(lua_State *L, const world *w, int c)
{
    lua_createtable(L, 0, 5);
    lua_pushstring(L, w->ctx_name[c]);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, c + 1);
    lua_setfield(L, -2, "index");
    lua_pushnumber(L, w->ctx_weight[c]);
    lua_setfield(L, -2, "weight");
    lua_pushnumber(L, w->ctx_difficulty[c]);
    lua_setfield(L, -2, "difficulty");
    if (!isnan(w->ctx_deploy_weight[c])) { /* as given while building; normalised after */
        lua_pushnumber(L, w->ctx_deploy_weight[c]);
        lua_setfield(L, -2, "deploy_weight");
    }
    lua_pushboolean(L, w->ctx_monitored[c]);
    lua_setfield(L, -2, "monitored");
    lua_createtable(L, 0, 2);
    for (int t = 0; t < w->n_tags; t++)
        if (w->ctx_tags[c] & (1u << t)) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, w->tag_name[t]);
        }
    lua_setfield(L, -2, "tags");
}

/* Record constructor: check fields, remember the caller's line, return it. */
static int make_record(lua_State *L, const l_field *fields, const char *kind)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    l_push_where(L);
    const char *where = lua_tostring(L, -1);
    lua_getfield(L, 1, "name");
    const char *name = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    char what[192];
    if (name)
        snprintf(what, sizeof what, "%s '%s'", kind, name);
    else
        snprintf(what, sizeof what, "%s", kind);
    lua_pop(L, 1);
    l_check_record(L, 1, fields, what, where);
    l_set_location(L, 1, where);
    lua_settop(L, 1);
    return 1;
}

static int l_context(lua_State *L) { return make_record(L, CONTEXT_FIELDS, "context"); }
static int l_behaviour(lua_State *L) { return make_record(L, BEHAVIOUR_FIELDS, "behaviour"); }
static int l_fact(lua_State *L) { return make_record(L, FACT_FIELDS, "fact"); }

/* Build state shared by the helpers below. */
typedef struct build {
    lua_State *L;
    world *w;
    int views;          /* stack index of the array of context views */
    int ctx_index;      /* stack index of the table context name -> index + 1
                           (a world of 65,536 contexts with a fact on every
                           fourth cell searched the names linearly: 10^10
                           comparisons) */
    int names;          /* stack index of the array of context names as Lua
                           strings: a table by name is read with them, not
                           with a C string Lua must hash and intern per cell */
    const char *wloc;   /* location of the world{} call */
} build;

/* Check every entry of list (at idx) is a record; returns its length. */
static int check_list(lua_State *L, int idx, const char *field, const l_field *fields,
                      const char *kind, const char *loc)
{
    lua_Integer n = luaL_len(L, idx);
    if (n < 1)
        l_raise(L, loc, "world is empty: field '%s' needs at least one %s", field, kind);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, idx, i);
        if (!lua_istable(L, -1))
            l_raise(L, loc, "entry %d of field '%s' must be a table (got %s)", (int)i,
                    field, luaL_typename(L, -1));
        const char *eloc = l_location(L, -1, loc);
        lua_getfield(L, -1, "name");
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, eloc, "%s %d of field '%s' needs a string 'name' (got %s)", kind,
                    (int)i, field, luaL_typename(L, -1));
        char what[192];
        snprintf(what, sizeof what, "%s '%s'", kind, lua_tostring(L, -1));
        lua_pop(L, 1);
        l_check_record(L, -1, fields, what, eloc);
        lua_pop(L, 1);
    }
    return (int)n;
}

/* Names in list (at idx) must be unique. */
static void check_unique(lua_State *L, int idx, int n, const char *kind, const char *loc)
{
    lua_newtable(L);
    int seen = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        lua_geti(L, idx, i);         /* rec */
        lua_getfield(L, -1, "name"); /* rec name */
        lua_pushvalue(L, -1);
        if (lua_rawget(L, seen) != LUA_TNIL)
            l_raise(L, l_location(L, -3, loc), "two %ss are named '%s'", kind,
                    lua_tostring(L, -2));
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);         /* seen[name] = true */
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The contexts the record at idx names in its `contexts` list, each once, in
 * ascending order, into list (n_ctx entries; on: n_ctx flags, all 0, left all
 * 0); returns how many, or -1 when the record has no list (all contexts). It
 * costs what the list costs, not what the world's contexts do. */
static int listed_contexts(build *B, int idx, const char *what, const char *loc,
                           unsigned char *on, int *list)
{
    lua_State *L = B->L;
    const world *w = B->w;
    lua_getfield(L, idx, "contexts");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return -1;
    }
    int k = 0;
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, loc, "field 'contexts' of %s must list context names (entry %d is "
                    "a %s)", what, (int)i, luaL_typename(L, -1));
        const char *name = lua_tostring(L, -1);
        lua_pushvalue(L, -1);
        int c = lua_rawget(L, B->ctx_index) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) - 1
                                                             : -1;
        lua_pop(L, 1);
        if (c < 0) {
            const char *near = l_closest_n(name, (const char *const *)w->ctx_name, w->n_ctx);
            l_raise(L, loc, "field 'contexts' of %s names an unknown context '%s'%s%s%s",
                    what, name, near ? " (did you mean '" : "", near ? near : "",
                    near ? "'?)" : "");
        }
        if (!on[c])
            on[c] = 1, list[k++] = c;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (int j = 0; j < k; j++)
        on[list[j]] = 0;
    qsort(list, (size_t)k, sizeof *list, cmp_int);
    return k;
}

/* Which contexts the record at idx applies to (its `contexts` list, default
 * all), as flags in on[] (n_ctx entries); list: scratch of n_ctx ints. */
static void read_contexts(build *B, int idx, const char *what, const char *loc,
                          unsigned char *on, int *list)
{
    memset(on, 0, B->w->n_ctx);
    int k = listed_contexts(B, idx, what, loc, on, list);
    if (k < 0)
        memset(on, 1, B->w->n_ctx);
    for (int j = 0; j < k; j++)
        on[list[j]] = 1;
}

/* A per-context number: the value at v of field `field` (of what), given as a
 * number, a table by context name, or a function of the context view. Returns
 * 1 with *out set, or 0 when absent (nil, or no entry for this context in a
 * table). The caller reads the field once for all contexts. */
static int ctx_value_at(build *B, int v, const char *field, int c, const char *what,
                        const char *loc, double *out)
{
    lua_State *L = B->L;
    const world *w = B->w;
    int t = lua_type(L, v);
    if (t == LUA_TNIL)
        return 0;
    if (t == LUA_TNUMBER) {
        lua_pushvalue(L, v);
    } else if (t == LUA_TTABLE) {
        lua_rawgeti(L, B->names, c + 1);
        t = lua_gettable(L, v);
        if (t != LUA_TNIL && t != LUA_TNUMBER)
            l_raise(L, loc, "field '%s' of %s must give a number for context '%s' (got %s)",
                    field, what, w->ctx_name[c], luaL_typename(L, -1));
    } else if (t == LUA_TFUNCTION) {
        lua_pushvalue(L, v);
        lua_rawgeti(L, B->views, c + 1);
        lua_call(L, 1, 1);
        if (lua_type(L, -1) != LUA_TNUMBER)
            l_raise(L, loc, "field '%s' of %s is a function that returned %s for context "
                    "'%s' (expected a number)", field, what, luaL_typename(L, -1),
                    w->ctx_name[c]);
        t = LUA_TNUMBER;
    } else {
        lua_pushvalue(L, v); /* the record checks let no other type through */
    }
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    double x = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!isfinite(x))
        l_raise(L, loc, "field '%s' of %s must be finite (got %g in context '%s')", field,
                what, x, w->ctx_name[c]);
    *out = x;
    return 1;
}

static void raise_core(lua_State *L, const char *loc, const os_err *err)
{
    l_raise(L, loc, "%s", err->msg);
}

/* One named record of a checked list: entry i (1-based) of the list at `list`
 * pushed, its location (for errors) into *loc, its name into *name and
 * "kind 'name'" into what. Returns the record's stack index. */
static int push_named(build *B, int list, int i, const char *kind, const char **loc,
                      const char **name, char *what, size_t n)
{
    lua_State *L = B->L;
    lua_geti(L, list, i);
    int rec = lua_gettop(L);
    *loc = l_location(L, rec, B->wloc);
    *name = l_opt_string(L, rec, "name", "", kind, *loc);
    snprintf(what, n, "%s '%s'", kind, *name);
    return rec;
}

static void read_context_list(build *B, int list, int n)
{
    lua_State *L = B->L;
    os_err err;
    for (int c = 0; c < n; c++) {
        const char *loc, *name;
        char what[192];
        int rec = push_named(B, list, c + 1, "context", &loc, &name, what, sizeof what);
        double weight = l_opt_number(L, rec, "weight", 1, what, loc, 1); /* core checks */
        double diff = l_opt_number(L, rec, "difficulty", 0, what, loc, 1);
        unsigned tags = 0;
        lua_getfield(L, rec, "tags");
        if (!lua_isnil(L, -1)) {
            lua_Integer nt = luaL_len(L, -1);
            for (lua_Integer i = 1; i <= nt; i++) {
                lua_geti(L, -1, i);
                if (lua_type(L, -1) != LUA_TSTRING)
                    l_raise(L, loc, "field 'tags' of %s must list strings", what);
                int t = world_tag(B->w, lua_tostring(L, -1), &err);
                if (t < 0)
                    raise_core(L, loc, &err);
                tags |= 1u << t;
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
        double deploy = l_opt_number(L, rec, "deploy_weight", NAN, what, loc, 1);
        lua_getfield(L, rec, "monitored");
        int monitored = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (world_set_context(B->w, c, name, weight, diff, tags, &err) ||
            world_set_deployment(B->w, c, deploy, monitored, &err))
            raise_core(L, loc, &err);
        lua_pop(L, 1);
    }
}

static void read_facts(build *B, int beh, int b, const char *bwhat, const char *bloc,
                       const unsigned char *avail)
{
    lua_State *L = B->L;
    world *w = B->w;
    os_err err;
    lua_getfield(L, beh, "facts");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    int list = lua_gettop(L);
    lua_Integer n = luaL_len(L, list);
    unsigned char *on = lua_newuserdatauv(L, w->n_ctx, 0);
    int *ctx = lua_newuserdatauv(L, (size_t)w->n_ctx * sizeof *ctx, 0); /* n_ctx: checked */
    memset(on, 0, w->n_ctx);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, list, i);
        int rec = lua_gettop(L);
        if (!lua_istable(L, rec))
            l_raise(L, bloc, "entry %d of field 'facts' of %s must be a table (got %s)",
                    (int)i, bwhat, luaL_typename(L, rec));
        const char *loc = l_location(L, rec, bloc);
        char defname[32];
        snprintf(defname, sizeof defname, "fact %d", (int)i);
        lua_getfield(L, rec, "name");
        const char *nm = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : defname;
        char what[320];
        snprintf(what, sizeof what, "fact '%s' of %s", nm, bwhat);
        lua_pop(L, 1);
        l_check_record(L, rec, FACT_FIELDS, what, loc);
        /* the name stays on the stack while effect functions run: one may
         * clear fact.name and collect garbage */
        lua_pushstring(L, l_opt_string(L, rec, "name", defname, what, loc));
        const char *name = lua_tostring(L, -1);
        double diff = l_opt_number(L, rec, "difficulty", 0, what, loc, 1);
        int k = listed_contexts(B, rec, what, loc, on, ctx);
        lua_getfield(L, rec, "effect");
        const int effect = lua_gettop(L);
        int any = 0;
        for (int j = 0; j < (k < 0 ? w->n_ctx : k); j++) {
            const int c = k < 0 ? j : ctx[j];
            if (!avail[c])
                continue;
            double eff;
            if (!ctx_value_at(B, effect, "effect", c, what, loc, &eff))
                l_raise(L, loc, "%s needs an 'effect' for context '%s'", what, w->ctx_name[c]);
            if (world_add_fact(w, c, b, name, diff, eff, &err))
                raise_core(L, loc, &err);
            any = 1;
        }
        (void)any;
        lua_pop(L, 3); /* effect, name, rec */
    }
    lua_pop(L, 3); /* ctx, on, list */
}

static void read_behaviour_list(build *B, int list, int n)
{
    lua_State *L = B->L;
    world *w = B->w;
    os_err err;
    unsigned char *avail = lua_newuserdatauv(L, w->n_ctx, 0);
    int *scratch = lua_newuserdatauv(L, (size_t)w->n_ctx * sizeof *scratch, 0);
    for (int b = 0; b < n; b++) {
        const char *loc, *name;
        char what[192];
        int rec = push_named(B, list, b + 1, "behaviour", &loc, &name, what, sizeof what);
        lua_getfield(L, rec, "deceptive");
        int tagged = lua_toboolean(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, rec, "catastrophic");
        int catastrophic = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (world_set_behaviour(w, b, name, tagged, &err) ||
            world_set_catastrophic(w, b, catastrophic, &err))
            raise_core(L, loc, &err);
        read_contexts(B, rec, what, loc, avail, scratch);
        lua_getfield(L, rec, "prior");
        const int pv = lua_gettop(L), has_prior = !lua_isnil(L, pv);
        lua_getfield(L, rec, "looks");
        const int lv = lua_gettop(L);
        for (int c = 0; c < w->n_ctx; c++) {
            double looks = 0, prior = 1;
            if (avail[c]) {
                if (has_prior && !ctx_value_at(B, pv, "prior", c, what, loc, &prior))
                    prior = 0; /* a prior table without this context: absent here */
                if (!ctx_value_at(B, lv, "looks", c, what, loc, &looks) && prior > 0)
                    l_raise(L, loc, "%s needs a 'looks' value for context '%s'", what,
                            w->ctx_name[c]);
            } else {
                prior = 0;
            }
            avail[c] = prior > 0;
            if (world_set_cell(w, c, b, looks, prior, &err))
                raise_core(L, loc, &err);
        }
        lua_pop(L, 2); /* looks, prior */
        read_facts(B, rec, b, what, loc, avail);
        lua_pop(L, 1);
    }
    lua_pop(L, 2); /* scratch, avail */
}

static int l_world_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2: anchors the location string */
    build B = { L, NULL, 0, 0, 0, NULL };
    B.wloc = l_location(L, 1, lua_tostring(L, 2));
    l_check_record(L, 1, WORLD_FIELDS, "world", B.wloc);
    const char *name = l_opt_string(L, 1, "name", "world", "world", B.wloc);
    double thr = l_opt_number(L, 1, "deception_threshold", 0, "world", B.wloc, 0);

    lua_getfield(L, 1, "contexts"); /* 3 */
    lua_getfield(L, 1, "behaviours"); /* 4 */
    if (lua_isnil(L, 3))
        l_raise(L, B.wloc, "world is empty: field 'contexts' is missing");
    if (lua_isnil(L, 4))
        l_raise(L, B.wloc, "world is empty: field 'behaviours' is missing");
    l_check_world_counts(L, 1, B.wloc);
    int nc = check_list(L, 3, "contexts", CONTEXT_FIELDS, "context", B.wloc);
    int nb = check_list(L, 4, "behaviours", BEHAVIOUR_FIELDS, "behaviour", B.wloc);
    check_unique(L, 3, nc, "context", B.wloc);
    check_unique(L, 4, nb, "behaviour", B.wloc);

    l_world *lw = lua_newuserdatauv(L, sizeof *lw, 0); /* 5 */
    lw->w = NULL;
    snprintf(lw->name, sizeof lw->name, "%s", name);
    luaL_setmetatable(L, WORLD_MT);
    os_err err;
    if (!(lw->w = world_new(nc, nb, &err)))
        raise_core(L, B.wloc, &err);
    B.w = lw->w;
    read_context_list(&B, 3, nc);
    /* context views for scenario functions; weights as given, not normalised */
    lua_createtable(L, nc, 0); /* 6 */
    B.views = lua_gettop(L);
    for (int c = 0; c < nc; c++) {
        l_push_context(L, B.w, c);
        lua_seti(L, B.views, c + 1);
    }
    lua_createtable(L, 0, nc); /* 7 */
    B.ctx_index = lua_gettop(L);
    lua_createtable(L, nc, 0); /* 8 */
    B.names = lua_gettop(L);
    for (int c = 0; c < nc; c++) {
        lua_pushstring(L, B.w->ctx_name[c]);
        lua_pushvalue(L, -1);
        lua_rawseti(L, B.names, c + 1);
        lua_pushinteger(L, c + 1);
        lua_rawset(L, B.ctx_index);
    }
    read_behaviour_list(&B, 4, nb);
    l_read_features(L, B.w, 1, B.views, B.wloc);
    if (world_finalize(B.w, thr, &err))
        raise_core(L, B.wloc, &err);
    lua_settop(L, 5);
    return 1;
}

/* w:info() -> { name, contexts = {...}, behaviours = {...}, cells = {...} } */
static int l_world_info(lua_State *L)
{
    l_world *lw = l_check_world(L, 1);
    const world *w = lw->w;
    lua_createtable(L, 0, 4);
    lua_pushstring(L, lw->name);
    lua_setfield(L, -2, "name");
    lua_createtable(L, w->n_ctx, 0);
    for (int c = 0; c < w->n_ctx; c++) {
        l_push_context(L, w, c);
        lua_seti(L, -2, c + 1);
    }
    lua_setfield(L, -2, "contexts");
    lua_createtable(L, w->n_beh, 0);
    for (int b = 0; b < w->n_beh; b++) {
        lua_pushstring(L, w->beh_name[b]);
        lua_seti(L, -2, b + 1);
    }
    lua_setfield(L, -2, "behaviours");
    lua_createtable(L, w->n_cells, 0);
    int k = 0;
    for (int i = 0; i < w->n_cells; i++) {
        if (!w->avail[i])
            continue;
        lua_createtable(L, 0, 6);
        lua_pushstring(L, w->ctx_name[i / w->n_beh]);
        lua_setfield(L, -2, "context");
        lua_pushstring(L, w->beh_name[i % w->n_beh]);
        lua_setfield(L, -2, "behaviour");
        lua_pushnumber(L, w->looks[i]);
        lua_setfield(L, -2, "looks");
        lua_pushnumber(L, w->prior[i]);
        lua_setfield(L, -2, "prior");
        lua_pushnumber(L, w->vstar[i]);
        lua_setfield(L, -2, "true_value");
        lua_pushboolean(L, w->deceptive[i]);
        lua_setfield(L, -2, "deceptive");
        lua_seti(L, -2, ++k);
    }
    lua_setfield(L, -2, "cells");
    return 1;
}

int l_open_world(lua_State *L)
{
    static const luaL_Reg methods[] = { { "info", l_world_info }, { NULL, NULL } };
    static const luaL_Reg meta[] = { { "__gc", world_gc }, { "__tostring", world_tostring },
                                     { NULL, NULL } };
    static const luaL_Reg funcs[] = { { "world", l_world_new }, { "context", l_context },
                                      { "behaviour", l_behaviour }, { "fact", l_fact },
                                      { "check_world_size", l_check_world_size },
                                      { NULL, NULL } };
    luaL_newmetatable(L, WORLD_MT);
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_setfuncs(L, funcs, 0);
    l_open_alloc(L); /* oversim.max_memory: the limit world{} checks first */
    return 0;
}
