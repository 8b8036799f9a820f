/* l_mdp.c — oversim.mdp{...}: any finite MDP (core/mdp.h) from its states,
 * actions and cells, as an oversim.Episodes (the type l_episodes.c defines:
 * e:info(), e:optimum{}, oversim.train_episodes{}). Names resolve with
 * did-you-mean; the core's checks (transition rows summing to 1, H >= 1, ...)
 * come back as one line with the caller's file and line. */
#include "l_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mdp.h"
#include "size.h"

static const l_field MDP_FIELDS[] = {
    { "name", T_STR }, { "horizon", T_NUM }, { "states", T_TAB }, { "actions", T_TAB },
    { "cells", T_TAB }, { "init", T_STR | T_TAB }, { NULL, 0 } };
static const l_field STATE_FIELDS[] = {
    { "name", T_STR }, { "init", T_NUM }, { "terminal", T_BOOL }, { "watched", T_BOOL },
    { "twin", T_STR }, { NULL, 0 } };
static const l_field CELL_FIELDS[] = {
    { "looks", T_NUM }, { "prior", T_NUM }, { "next", T_STR | T_TAB }, { "facts", T_TAB },
    { "features", T_TAB }, { NULL, 0 } };
static const l_field MDP_FACT_FIELDS[] = {
    { "difficulty", T_NUM }, { "effect", T_NUM }, { NULL, 0 } };

/* The names of a list field (strings, or records with a name, for states)
 * into names[] (pointers valid while the spec lives); their count. Names
 * must be unique. */
static int read_names(lua_State *L, int list, const char *field, const char *kind,
                      const char **names, int cap, const char *what, const char *loc)
{
    lua_Integer n = luaL_len(L, list);
    if (n < 1 || n > cap)
        l_raise(L, loc, "field '%s' of %s must list 1 to %d %ss (got %d)", field, what, cap,
                kind, (int)n);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, list, i);
        if (lua_istable(L, -1))
            lua_getfield(L, -1, "name");
        else
            lua_pushvalue(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, loc, "%s %d of %s needs a string name (got %s)", kind, (int)i, what,
                    luaL_typename(L, -1));
        names[i - 1] = lua_tostring(L, -1); /* anchored by the list */
        lua_pop(L, 2);
        for (lua_Integer j = 1; j < i; j++)
            if (strcmp(names[j - 1], names[i - 1]) == 0)
                l_raise(L, loc, "%s '%s' of %s is given twice", kind, names[i - 1], what);
    }
    return (int)n;
}

/* Index of name among names, or an error naming the closest. */
static int find_name(lua_State *L, const char *name, const char *const *names, int n,
                     const char *kind, const char *where, const char *loc)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    const char *near = l_closest_n(name, names, n);
    return l_raise(L, loc, "%s: unknown %s '%s'%s%s%s", where, kind, name,
                   near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

/* The cell of state s, action a, whose spec is at the top of the stack. */
static void read_cell(lua_State *L, mdp *m, int s, int a, const char *const *snames, int ns,
                      const char *mwhat, const char *loc)
{
    int top = lua_gettop(L);
    char what[256];
    snprintf(what, sizeof what, "action '%s' in state '%s' of %s", m->action_name[a],
             snames[s], mwhat);
    l_check_record(L, top, CELL_FIELDS, what, loc);
    double looks = l_opt_number(L, top, "looks", 0, what, loc, 0);
    double prior = l_opt_number(L, top, "prior", 1, what, loc, 0);
    os_err err = { 0 };
    if (mdp_set_cell(m, s, a, looks, prior, &err))
        l_raise(L, loc, "%s: %s", mwhat, err.msg);
    lua_getfield(L, top, "next");
    if (lua_type(L, -1) == LUA_TSTRING) {
        int s2 = find_name(L, lua_tostring(L, -1), snames, ns, "state", what, loc);
        if (mdp_add_transition(m, s, a, s2, 1, &err))
            l_raise(L, loc, "%s: %s", mwhat, err.msg);
    } else if (lua_istable(L, -1)) {
        int nt = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, nt)) {
            if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TNUMBER)
                l_raise(L, loc, "field 'next' of %s must map state names to probabilities "
                        "(got %s = %s)", what, luaL_typename(L, -2), luaL_typename(L, -1));
            int s2 = find_name(L, lua_tostring(L, -2), snames, ns, "state", what, loc);
            if (mdp_add_transition(m, s, a, s2, lua_tonumber(L, -1), &err))
                l_raise(L, loc, "%s: %s", mwhat, err.msg);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_getfield(L, top, "facts");
    if (lua_istable(L, -1)) {
        int ft = lua_gettop(L);
        lua_Integer nf = luaL_len(L, ft);
        for (lua_Integer f = 1; f <= nf; f++) {
            lua_geti(L, ft, f);
            char fwhat[320];
            snprintf(fwhat, sizeof fwhat, "fact %d of %s", (int)f, what);
            l_check_record(L, -1, MDP_FACT_FIELDS, fwhat, loc);
            double d = l_opt_number(L, -1, "difficulty", 0, fwhat, loc, 1);
            double eff = l_opt_number(L, -1, "effect", 0, fwhat, loc, 0);
            if (mdp_add_fact(m, s, a, d, eff, &err))
                l_raise(L, loc, "%s: %s", mwhat, err.msg);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
}

/* Cells' `features`: either no listed cell has them (one-hot, one parameter
 * per cell) or every listed cell has an array of the same length, of finite
 * numbers; a cell not listed (an action not available) gets zeros. Read in
 * state and action order, so an error names the same cell in every process
 * (lua_next's order over the cells table changes with Lua's hash seed). */
static void read_features(lua_State *L, int cells, mdp *m, const char *const *snames,
                          const char *const *anames, const char *what, const char *loc)
{
    int dim = 0, first_s = -1, first_a = -1, missing_s = -1, missing_a = -1;
    double *phi = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (int s = 0; s < m->n_states; s++) {
            for (int a = 0; a < m->n_actions; a++) {
                lua_getfield(L, cells, snames[s]);
                if (lua_istable(L, -1))
                    lua_getfield(L, -1, anames[a]);
                else
                    lua_pushnil(L);
                if (!lua_istable(L, -1)) { /* not available: zeros */
                    lua_pop(L, 2);
                    continue;
                }
                lua_getfield(L, -1, "features");
                char cwhat[320];
                snprintf(cwhat, sizeof cwhat, "field 'features' of action '%s' in state '%s' "
                         "of %s", anames[a], snames[s], what);
                if (lua_isnil(L, -1)) {
                    if (missing_s < 0)
                        missing_s = s, missing_a = a;
                } else if (pass == 0) {
                    lua_Integer n = luaL_len(L, -1);
                    if (n < 1 || n > INT_MAX)
                        l_raise(L, loc, "%s must be a list of 1 to %d numbers (got %lld "
                                "entries)", cwhat, INT_MAX, (long long)n);
                    if (!dim)
                        dim = (int)n, first_s = s, first_a = a;
                    else if (n != dim)
                        l_raise(L, loc, "%s has %lld numbers, but action '%s' in state '%s' "
                                "has %d: every cell needs the same number", cwhat,
                                (long long)n, anames[first_a], snames[first_s], dim);
                } else {
                    double *row = phi + (size_t)(s * m->n_actions + a) * (size_t)dim;
                    for (int k = 0; k < dim; k++) {
                        lua_geti(L, -1, k + 1);
                        int ok = 0;
                        double x = lua_tonumberx(L, -1, &ok);
                        if (!ok || !isfinite(x))
                            l_raise(L, loc, "%s: entry %d must be a finite number (got %s)",
                                    cwhat, k + 1, ok ? (isnan(x) ? "nan" : lua_tostring(L, -1))
                                                     : luaL_typename(L, -1));
                        row[k] = x;
                        lua_pop(L, 1);
                    }
                }
                lua_pop(L, 3);
            }
        }
        if (!dim)
            return; /* no cell has features: one-hot */
        if (pass == 0) {
            if (missing_s >= 0)
                l_raise(L, loc, "action '%s' in state '%s' of %s has no 'features' (action "
                        "'%s' in state '%s' has %d: give every listed cell its features, or "
                        "none)", anames[missing_a], snames[missing_s], what, anames[first_a],
                        snames[first_s], dim);
            size_t n = 0, bytes = 0;
            if (size_mul((size_t)m->n_cells, (size_t)dim, &n) ||
                size_mul(n, sizeof *phi, &bytes))
                l_raise(L, loc, "%s: %d cells x %d features do not fit in memory", what,
                        m->n_cells, dim);
            size_estimate est;
            size_estimate_init(&est);
            size_estimate_add(&est, 2 * bytes, "mdp features %d cells x %d", m->n_cells, dim);
            l_check_estimate(L, loc, "this mdp's features", &est);
            void **box = l_push_box(L, free); /* freed with the box, on the stack */
            if (!(*box = calloc(n, sizeof *phi)))
                l_raise(L, loc, "%s: out of memory for its features", what);
            phi = *box;
        }
    }
    os_err err = { 0 };
    if (mdp_set_features(m, dim, phi, &err))
        l_raise(L, loc, "%s: %s", what, err.msg);
}

/* oversim.mdp{ name, horizon, states, actions, cells, init }: states are
 * names or records { name, init, terminal, watched, twin }; cells[state]
 * [action] = { looks = 0, prior = 1, next = 'state' | { state = p, ... },
 * facts = { { difficulty, effect }, ... }, features = { numbers } } (an action
 * a state's cells do not list is not available there; features: every listed
 * cell or none, see read_features); init: a state's name or { state = weight }
 * (else the states' own init weights; none anywhere: the first state). */
int l_mdp_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L);
    const char *loc = lua_tostring(L, 2);
    const char *name = l_opt_string(L, 1, "name", "mdp", "mdp", loc);
    char what[160];
    snprintf(what, sizeof what, "mdp '%s'", name);
    l_check_record(L, 1, MDP_FIELDS, what, loc);
    lua_getfield(L, 1, "horizon");
    if (lua_isnil(L, -1))
        l_raise(L, loc, "%s needs a 'horizon' (steps per episode, >= 1)", what);
    lua_pop(L, 1);
    int horizon = l_opt_int_range(L, 1, "horizon", 1, INT_MIN, INT_MAX, what, loc);
    lua_getfield(L, 1, "states"); /* 3 */
    lua_getfield(L, 1, "actions"); /* 4 */
    if (!lua_istable(L, 3) || !lua_istable(L, 4))
        l_raise(L, loc, "%s needs 'states' and 'actions' (lists of names)", what);
    lua_Integer ns_ = luaL_len(L, 3), na_ = luaL_len(L, 4);
    if (ns_ < 1 || na_ < 1 || ns_ * na_ > MDP_MAX_CELLS)
        l_raise(L, loc, "%s must have at least one state and one action, and at most %d "
                "cells (got %d states, %d actions)", what, MDP_MAX_CELLS, (int)ns_, (int)na_);
    size_estimate est;
    size_estimate_init(&est);
    mdp_estimate(ns_, na_, &est);
    l_check_estimate(L, loc, "this mdp", &est);
    const char **snames = lua_newuserdatauv(L, (size_t)ns_ * sizeof *snames, 0); /* 5 */
    const char **anames = lua_newuserdatauv(L, (size_t)na_ * sizeof *anames, 0); /* 6 */
    int ns = read_names(L, 3, "states", "state", snames, (int)ns_, what, loc);
    int na = read_names(L, 4, "actions", "action", anames, (int)na_, what, loc);

    l_episodes *e = lua_newuserdatauv(L, sizeof *e, 0); /* 7 */
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", name);
    luaL_setmetatable(L, EPISODES_MT);
    os_err err = { 0 };
    if (!(e->own = mdp_new(ns, na, horizon, &err)))
        l_raise(L, loc, "%s: %s", what, err.msg);
    mdp *m = e->own;
    for (int a = 0; a < na; a++)
        if (mdp_set_action(m, a, anames[a], &err))
            l_raise(L, loc, "%s: %s", what, err.msg);
    for (int s = 0; s < ns; s++) {
        lua_geti(L, 3, s + 1);
        double init = 0;
        int terminal = 0, watched = 1;
        if (lua_istable(L, -1)) {
            char swhat[256];
            snprintf(swhat, sizeof swhat, "state '%s' of %s", snames[s], what);
            l_check_record(L, -1, STATE_FIELDS, swhat, loc);
            init = l_opt_number(L, -1, "init", 0, swhat, loc, 0);
            lua_getfield(L, -1, "terminal");
            terminal = lua_toboolean(L, -1);
            lua_getfield(L, -2, "watched");
            watched = lua_isnil(L, -1) || lua_toboolean(L, -1);
            lua_pop(L, 2);
        }
        if (mdp_set_state(m, s, snames[s], init, terminal, watched, &err))
            l_raise(L, loc, "%s: %s", what, err.msg);
        lua_pop(L, 1);
    }
    for (int s = 0; s < ns; s++) { /* twins, now that every state has a name */
        lua_geti(L, 3, s + 1);
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "twin");
            if (lua_type(L, -1) == LUA_TSTRING) {
                char swhat[256];
                snprintf(swhat, sizeof swhat, "field 'twin' of state '%s' of %s", snames[s],
                         what);
                int t = find_name(L, lua_tostring(L, -1), snames, ns, "state", swhat, loc);
                if (mdp_set_twin(m, s, t, &err))
                    l_raise(L, loc, "%s: %s", what, err.msg);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    char iwhere[192];
    snprintf(iwhere, sizeof iwhere, "field 'init' of %s", what);
    double isum = 0;
    for (int k = 0; k < ns; k++)
        isum += m->init[k];
    lua_getfield(L, 1, "init");
    if (lua_isnil(L, -1) && isum == 0) {
        m->init[0] = 1; /* no initial weight anywhere: episodes start in the first state */
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        int s = find_name(L, lua_tostring(L, -1), snames, ns, "state", iwhere, loc);
        for (int k = 0; k < ns; k++)
            m->init[k] = k == s;
    } else if (lua_istable(L, -1)) {
        int it = lua_gettop(L);
        for (int k = 0; k < ns; k++)
            m->init[k] = 0;
        lua_pushnil(L);
        while (lua_next(L, it)) {
            if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TNUMBER)
                l_raise(L, loc, "field 'init' of %s must map state names to weights", what);
            int s = find_name(L, lua_tostring(L, -2), snames, ns, "state", iwhere, loc);
            double wt = lua_tonumber(L, -1);
            if (!isfinite(wt) || wt < 0)
                l_raise(L, loc, "field 'init' of %s: the weight of state '%s' must be a finite "
                        "number >= 0 (got %g)", what, snames[s], wt);
            m->init[s] = wt;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "cells");
    if (lua_istable(L, -1)) {
        int ct = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, ct)) {
            if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1))
                l_raise(L, loc, "field 'cells' of %s must map state names to tables of "
                        "actions (got %s = %s)", what, luaL_typename(L, -2),
                        luaL_typename(L, -1));
            char cwhere[192];
            snprintf(cwhere, sizeof cwhere, "field 'cells' of %s", what);
            int s = find_name(L, lua_tostring(L, -2), snames, ns, "state", cwhere, loc);
            int at = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, at)) {
                char where[320];
                snprintf(where, sizeof where, "cells of state '%s' of %s", snames[s], what);
                if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1))
                    l_raise(L, loc, "%s must map action names to tables (got %s = %s)",
                            where, luaL_typename(L, -2), luaL_typename(L, -1));
                int a = find_name(L, lua_tostring(L, -2), anames, na, "action", where, loc);
                read_cell(L, m, s, a, snames, ns, what, loc);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        read_features(L, ct, m, snames, anames, what, loc);
    }
    lua_pop(L, 1);
    if (mdp_finalize(m, &err))
        l_raise(L, loc, "%s: %s", what, err.msg);
    e->m = m;
    lua_pushvalue(L, 7);
    return 1;
}
