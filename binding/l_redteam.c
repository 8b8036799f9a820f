/* l_redteam.c — the red_team{...} field of oversim.train and oversim.sweep's
 * runs: a red team's search and budget into the training parameters, and the
 * world it trains in (the scenario's contexts plus one red-team copy of each
 * template; core/redteam.h), built for the run and kept alive on the stack. */
#include "l_internal.h"

#include <math.h>
#include <string.h>
#include "redteam.h"

static const l_field RT_FIELDS[] = {
    { "realism", T_NUM }, { "cue", T_NUM }, { "budget", T_NUM }, { "search", T_STR },
    { "pool", T_NUM }, { "cost", T_NUM }, { "templates", T_TAB }, { NULL, 0 } };

static void free_world(void *w) { world_free(w); }

/* The `templates` list of the record at t (context names), or the default
 * (redteam_templates). Writes indices to out (room for w->n_ctx); returns
 * how many. */
static int read_templates(lua_State *L, int t, const world *w, const char *loc, int *out)
{
    os_err err;
    lua_getfield(L, t, "templates");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        int n = redteam_templates(w, out, &err);
        if (n == 0)
            l_raise(L, loc, "%s", err.msg);
        return n;
    }
    lua_Integer n = luaL_len(L, -1);
    if (n < 1 || n > w->n_ctx)
        l_raise(L, loc, "field 'templates' of red_team must list 1 to %d context names (got "
                "%lld)", w->n_ctx, (long long)n);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, loc, "field 'templates' of red_team must list context names (entry "
                    "%d is a %s)", (int)i, luaL_typename(L, -1));
        const char *name = lua_tostring(L, -1);
        int c = world_find_context(w, name);
        if (c < 0) {
            const char *near = l_closest_n(name, (const char *const *)w->ctx_name, w->n_ctx);
            l_raise(L, loc, "field 'templates' of red_team names an unknown context '%s'%s%s%s",
                    name, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        }
        out[i - 1] = c;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return (int)n;
}

const world *l_read_red_team(lua_State *L, int spec, const world *w, const char *loc,
                             train_params *p, l_redteam_info *info)
{
    memset(info, 0, sizeof *info);
    lua_getfield(L, spec, "red_team");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return w;
    }
    int t = lua_gettop(L);
    const char *what = "red_team";
    l_check_record(L, t, RT_FIELDS, what, loc);
    static const char *const searches[] = { "random", "adversarial", NULL };
    info->on = 1;
    info->realism = l_opt_number(L, t, "realism", 1, what, loc, 1);
    info->cue = l_opt_number(L, t, "cue", 1, what, loc, 1);
    p->redteam.budget = l_opt_int_range(L, t, "budget", 8, INT_MIN, REDTEAM_MAX_BUDGET, what,
                                        loc);
    p->redteam.search = (redteam_search)l_opt_option(L, t, "search", "random", searches,
                                                     what, loc);
    p->redteam.pool = l_opt_int_range(L, t, "pool", 0, INT_MIN, REDTEAM_MAX_POOL, what, loc);
    p->redteam.cost = l_opt_number(L, t, "cost", 0, what, loc, 1);
    os_err err;
    if (redteam_check(&p->redteam, NULL, &err))
        l_raise(L, loc, "%s", err.msg);
    int *templates = lua_newuserdatauv(L, (size_t)w->n_ctx * sizeof *templates, 0);
    int n = read_templates(L, t, w, loc, templates);
    size_estimate e;
    size_estimate_init(&e);
    redteam_estimate(w, n, &e);
    l_check_estimate(L, loc, "this red team's world", &e);
    world **box = (world **)l_push_box(L, free_world);
    if (!(*box = redteam_world(w, templates, n, info->realism, info->cue, &err)))
        l_raise(L, loc, "%s", err.msg);
    lua_replace(L, t); /* the box keeps the world alive where red_team{} was */
    lua_pop(L, 1);     /* templates */
    return *box;
}
