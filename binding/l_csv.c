/* l_csv.c — oversim.write_csv(path, rows [, opts]): tidy CSV plus manifest.
 * Columns: the standard ones in a fixed order (those present), then every
 * other key in alphabetical order, so the same rows give the same bytes. */
#include "l_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvout.h"
#include "version.h"

static const char *const STANDARD[] = {
    "run", "scenario", "overseer", "seed", "round", "context", "behaviour", "labels",
    "label_cost", "true_value", "proxy_value", "perceived_value", "kl", "deception_rate",
    "overestimation", "underestimation", "label_accuracy", "label_accuracy_knows",
    "label_accuracy_unsure", "label_accuracy_wrong", "assisted_found", NULL };
/* Columns of a training row (oversim.train) that may be empty (not available):
 * present whenever any row has a `round`, so a file's columns never depend on
 * whether some region happened to get labels. */
static const char *const ROUND_OPTIONAL[] = {
    "label_accuracy", "label_accuracy_knows", "label_accuracy_unsure",
    "label_accuracy_wrong", "assisted_found", NULL };

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Push the column list (array of strings) for rows at idx. */
static void columns_of(lua_State *L, int rows, int nrows)
{
    lua_newtable(L); /* set of keys */
    int set = lua_gettop(L);
    for (int r = 1; r <= nrows; r++) {
        lua_geti(L, rows, r);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) == LUA_TSTRING) {
                lua_pushvalue(L, -1);
                lua_pushboolean(L, 1);
                lua_rawset(L, set);
            }
        }
        lua_pop(L, 1);
    }
    lua_getfield(L, set, "round");
    int has_round = lua_toboolean(L, -1);
    lua_pop(L, 1);
    for (int i = 0; has_round && ROUND_OPTIONAL[i]; i++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, set, ROUND_OPTIONAL[i]);
    }
    lua_newtable(L);
    int out = lua_gettop(L), n = 0;
    for (int i = 0; STANDARD[i]; i++) {
        lua_getfield(L, set, STANDARD[i]);
        if (lua_toboolean(L, -1)) {
            lua_pushstring(L, STANDARD[i]);
            lua_seti(L, out, ++n);
            lua_pushnil(L);
            lua_setfield(L, set, STANDARD[i]);
        }
        lua_pop(L, 1);
    }
    int nextra = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        nextra++;
    }
    const char **extra = lua_newuserdatauv(L, sizeof(char *) * (nextra + 1), 0);
    int k = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        extra[k++] = lua_tostring(L, -1); /* anchored as keys of set */
    }
    qsort(extra, k, sizeof *extra, cmp_str);
    for (int i = 0; i < k; i++) {
        lua_pushstring(L, extra[i]);
        lua_seti(L, out, ++n);
    }
    lua_pop(L, 1);
    lua_remove(L, set);
}

/* Format v (at -1) as a cell into a fresh Lua string (pushed); NULL = empty. */
static void format_cell(lua_State *L, const char *path, int r, const char *col)
{
    char buf[64];
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        lua_pushliteral(L, "");
        return;
    case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, -1) ? "true" : "false");
        return;
    case LUA_TSTRING:
        lua_pushvalue(L, -1);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) {
            snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
        } else {
            double x = lua_tonumber(L, -1);
            if (!isfinite(x))
                luaL_error(L, "cannot write '%s': row %d, column '%s' is %s (the run "
                           "diverged or a script computed a bad number)", path, r, col,
                           isnan(x) ? "NaN" : "infinite");
            snprintf(buf, sizeof buf, "%.10g", x);
            if (strcmp(buf, "-0") == 0)
                strcpy(buf, "0");
        }
        lua_pushstring(L, buf);
        return;
    default:
        luaL_error(L, "cannot write '%s': row %d, column '%s' is a %s (expected a number, "
                   "string or boolean)", path, r, col, luaL_typename(L, -1));
    }
}

static int l_write_csv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 3);
    int nrows = (int)luaL_len(L, 2);
    for (int r = 1; r <= nrows; r++) {
        if (lua_geti(L, 2, r) != LUA_TTABLE)
            return luaL_error(L, "cannot write '%s': row %d is a %s (expected a table)", path,
                              r, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    if (!lua_isnil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        lua_getfield(L, 3, "columns");
    } else {
        lua_pushnil(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        columns_of(L, 2, nrows);
    }
    int cols = lua_gettop(L);
    int ncols = (int)luaL_len(L, cols);
    if (ncols < 1)
        return luaL_error(L, "cannot write '%s': no columns (are the rows empty?)", path);
    /* cells as Lua strings, anchored in a table; pointers gathered after */
    const char **header = lua_newuserdatauv(L, sizeof(char *) * ncols, 0);
    const char **cells = lua_newuserdatauv(L, sizeof(char *) * ((size_t)nrows * ncols + 1), 0);
    lua_createtable(L, nrows * ncols, 0);
    int anchor = lua_gettop(L);
    for (int c = 0; c < ncols; c++) {
        lua_geti(L, cols, c + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "cannot write '%s': column names must be strings", path);
        header[c] = lua_tostring(L, -1);
        lua_seti(L, anchor, (lua_Integer)nrows * ncols + c + 1);
    }
    for (int r = 0; r < nrows; r++) {
        lua_geti(L, 2, r + 1);
        for (int c = 0; c < ncols; c++) {
            lua_getfield(L, -1, header[c]);
            format_cell(L, path, r + 1, header[c]);
            cells[(size_t)r * ncols + c] = lua_tostring(L, -1);
            lua_seti(L, anchor, (lua_Integer)r * ncols + c + 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    os_err err;
    if (csvout_write(path, ncols, header, nrows, cells, &err))
        return luaL_error(L, "%s", err.msg);

    /* manifest: what made the file, without timestamps (same run, same bytes).
     * Everything is gathered first: a luaL_Buffer wants nothing else pushed. */
    const char *command = "", *script = "";
    lua_getglobal(L, "oversim");
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "command");
        lua_getfield(L, -2, "script");
        command = lua_isstring(L, -2) ? lua_tostring(L, -2) : "";
        script = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
    }
    lua_newtable(L); /* distinct seeds in order of first appearance */
    int seeds = lua_gettop(L), nseeds = 0;
    lua_newtable(L);
    int seen = lua_gettop(L);
    for (int r = 1; r <= nrows; r++) {
        lua_geti(L, 2, r);
        lua_getfield(L, -1, "seed");
        if (lua_isinteger(L, -1)) {
            lua_pushvalue(L, -1);
            if (lua_rawget(L, seen) == LUA_TNIL) {
                lua_pushvalue(L, -2);
                lua_pushboolean(L, 1);
                lua_rawset(L, seen);
                lua_pushfstring(L, " %I", (LUAI_UACINT)lua_tointeger(L, -2));
                lua_seti(L, seeds, ++nseeds);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "oversim_version: " OVERSIM_VERSION "\ncommand: ");
    luaL_addstring(&b, command);
    luaL_addstring(&b, "\nscript: ");
    luaL_addstring(&b, script);
    luaL_addstring(&b, "\nseeds:");
    for (int i = 1; i <= nseeds; i++) {
        lua_geti(L, seeds, i);
        luaL_addvalue(&b);
    }
    lua_pushfstring(L, "\nrows: %d\ncolumns:", nrows);
    luaL_addvalue(&b);
    for (int c = 0; c < ncols; c++) {
        luaL_addchar(&b, ' ');
        luaL_addstring(&b, header[c]);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    const char *text = lua_tostring(L, -1);
    lua_pushfstring(L, "%s.manifest", path);
    if (csvout_write_text(lua_tostring(L, -1), text, &err)) {
        remove(path); /* a CSV without its manifest is half the result */
        return luaL_error(L, "%s", err.msg);
    }
    lua_pushstring(L, path);
    return 1;
}

int l_open_csv(lua_State *L)
{
    lua_pushcfunction(L, l_write_csv);
    lua_setfield(L, -2, "write_csv");
    return 0;
}
