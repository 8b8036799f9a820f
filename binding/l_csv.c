/* l_csv.c — oversim.write_csv(path, rows [, opts]): tidy CSV plus manifest
 * (the core writes both and the manifest's checksum line, core/csvout.h);
 * oversim.check_output(path); the list of CSVs a state wrote, for the host's
 * line after a failed script (oversim_lua_written).
 * Columns: the standard ones in a fixed order (those present), then every
 * other key in alphabetical order, so the same rows give the same bytes. */
#include "l_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csvout.h"
#include "oversim_lua.h"
#include "metrics.h"
#include "eptrain.h"
#include "version.h"

/* The id columns, in this order, before the metrics (core/metrics.h's list
 * of training-row columns: round first) and the table-specific ones. */
static const char *const IDS[] = { "run", "scenario", "overseer", "seed", NULL };
static const char *const AFTER_ROUND[] = { "level", "context", "behaviour", "state", "action",
                                            NULL };
/* The columns that identify a row within a file: a key (run, level, round,
 * context, behaviour, and an episode policy's state, action — those the file
 * has) may appear once. */
static const char *const KEYS[] = { "run", "level", "round", "context", "behaviour", "state",
                                    "action", NULL };

int l_is_measured_column(const char *name)
{
    for (int i = 0; IDS[i]; i++)
        if (strcmp(name, IDS[i]) == 0)
            return 1;
    for (int i = 0; KEYS[i]; i++)
        if (strcmp(name, KEYS[i]) == 0)
            return 1;
    for (int k = 0; k < metrics_n_columns(); k++)
        if (strcmp(name, metrics_column_at(k)->name) == 0)
            return 1;
    return 0;
}

/* A family of rows' metric columns, in CSV order: the bandit's training rows
 * (core/metrics.h) or episode rows (core/eptrain.h: oversim.train_episodes),
 * told apart by `true_return`, a column of episode rows only. */
typedef struct col_list {
    int (*n)(void);
    const metrics_column *(*at)(int);
} col_list;
static const col_list BANDIT_COLUMNS = { metrics_n_columns, metrics_column_at };
static const col_list EPISODE_COLUMNS = { eptrain_n_columns, eptrain_column_at };

/* Push the standard column order: ids, round, level/context/behaviour, then
 * the other metric columns of the family. */
static void push_standard(lua_State *L, const col_list *cols)
{
    lua_newtable(L);
    int n = 0;
    for (int i = 0; IDS[i]; i++) {
        lua_pushstring(L, IDS[i]);
        lua_seti(L, -2, ++n);
    }
    for (int k = 0; k < cols->n(); k++) {
        lua_pushstring(L, cols->at(k)->name);
        lua_seti(L, -2, ++n);
        if (k == 0) /* after round */
            for (int i = 0; AFTER_ROUND[i]; i++) {
                lua_pushstring(L, AFTER_ROUND[i]);
                lua_seti(L, -2, ++n);
            }
    }
}

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
    /* a training row's optional metrics (may be empty: not available) are
     * columns whenever any row has a `round`, so a file's columns never depend
     * on whether some region happened to get labels */
    lua_getfield(L, set, "round");
    int has_round = lua_toboolean(L, -1);
    lua_getfield(L, set, "true_return");
    const col_list *cols = lua_toboolean(L, -1) ? &EPISODE_COLUMNS : &BANDIT_COLUMNS;
    lua_pop(L, 2);
    for (int k = 0; has_round && k < cols->n(); k++)
        if (cols->at(k)->kind == METRIC_OPTIONAL) {
            lua_pushboolean(L, 1);
            lua_setfield(L, set, cols->at(k)->name);
        }
    push_standard(L, cols);
    int standard = lua_gettop(L), nstd = (int)luaL_len(L, standard);
    lua_newtable(L);
    int out = lua_gettop(L), n = 0;
    for (int i = 1; i <= nstd; i++) {
        lua_geti(L, standard, i);
        const char *name = lua_tostring(L, -1);
        lua_getfield(L, set, name);
        if (lua_toboolean(L, -1)) {
            lua_pushstring(L, name);
            lua_seti(L, out, ++n);
            lua_pushnil(L);
            lua_setfield(L, set, name);
        }
        lua_pop(L, 2);
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
    lua_remove(L, standard);
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

/* Refuse two rows with the same key: the values of the key columns (KEYS)
 * the file has, `run` among them. Rows that cannot be told apart are a
 * script's mistake (two runs given one id), caught before the file exists. */
static void check_keys(lua_State *L, const char *path, int ncols, const char **header,
                       int nrows, const char **cells)
{
    int key[8], nkey = 0, has_run = 0;
    for (int i = 0; KEYS[i]; i++)
        for (int c = 0; c < ncols; c++)
            if (strcmp(header[c], KEYS[i]) == 0) {
                key[nkey++] = c;
                has_run |= i == 0;
            }
    if (!has_run)
        return;
    lua_createtable(L, 0, nrows); /* key text -> first row with it */
    int seen = lua_gettop(L);
    for (int r = 0; r < nrows; r++) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (int k = 0; k < nkey; k++) {
            luaL_addstring(&b, cells[(size_t)r * ncols + key[k]]);
            luaL_addchar(&b, '\x1f'); /* a separator no number or name has */
        }
        luaL_pushresult(&b);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, seen) != LUA_TNIL) {
            int first = (int)lua_tointeger(L, -1);
            luaL_Buffer d;
            luaL_buffinit(L, &d);
            for (int k = 0; k < nkey; k++) {
                if (k)
                    luaL_addstring(&d, ", ");
                lua_pushfstring(L, "%s %s", header[key[k]], cells[(size_t)r * ncols + key[k]]);
                luaL_addvalue(&d);
            }
            luaL_pushresult(&d);
            luaL_error(L, "cannot write '%s': rows %d and %d have the same key (%s); give "
                       "each run its own id (leave 'run' unset and oversim.train numbers "
                       "them) or pass { allow_duplicates = true }", path, first, r + 1,
                       lua_tostring(L, -1));
        }
        lua_pop(L, 1);
        lua_pushinteger(L, r + 1);
        lua_rawset(L, seen);
    }
    lua_pop(L, 1);
}

/* The string at idx with each newline written as "\\n" (a manifest is read
 * line by line: a command line must not add lines of its own). Pushed. */
static const char *one_line(lua_State *L, int idx)
{
    return luaL_gsub(L, lua_tostring(L, idx), "\n", "\\n");
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The manifest lines for opts.siblings (at idx; 0 = none), pushed as one
 * string: { [path] = true | false }, true for a file this save wrote (its
 * checksum is read from its bytes now), false for one it did not write.
 * Siblings go in path's folder; lines are sorted, so the bytes depend on the
 * files only: "sibling: NAME fnv1a64 HEX" or "sibling: NAME none". */
static void push_sibling_lines(lua_State *L, const char *path, int idx)
{
    if (!idx) {
        lua_pushliteral(L, "");
        return;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    lua_newtable(L);
    int lines = lua_gettop(L), n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING || !lua_isboolean(L, -1))
            l_raise(L, NULL, "cannot write '%s': siblings must be { [path] = true | false } "
                    "(got a %s key and a %s value)", path, luaL_typename(L, -2),
                    luaL_typename(L, -1));
        const char *sp = lua_tostring(L, -2);
        const char *sb = strrchr(sp, '/');
        size_t sdir = sb ? (size_t)(sb - sp + 1) : 0;
        if (sdir != dirlen || strncmp(sp, path, dirlen) != 0)
            l_raise(L, NULL, "cannot write '%s': sibling '%s' is not in the same folder", path,
                    sp);
        if (lua_toboolean(L, -1)) {
            uint64_t sum;
            os_err err;
            if (csvout_checksum_file(sp, &sum, &err))
                l_raise(L, NULL, "cannot write '%s': sibling %s", path, err.msg);
            char hex[17];
            snprintf(hex, sizeof hex, "%016" PRIx64, sum);
            lua_pushfstring(L, "sibling: %s fnv1a64 %s\n", sp + sdir, hex);
        } else {
            lua_pushfstring(L, "sibling: %s none\n", sp + sdir);
        }
        lua_seti(L, lines, ++n);
        lua_pop(L, 1);
    }
    const char **sorted = lua_newuserdatauv(L, sizeof(char *) * (n + 1), 0);
    for (int i = 0; i < n; i++) {
        lua_geti(L, lines, i + 1);
        sorted[i] = lua_tostring(L, -1); /* anchored in lines */
        lua_pop(L, 1);
    }
    qsort(sorted, n, sizeof *sorted, cmp_line);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0; i < n; i++)
        luaL_addstring(&b, sorted[i]);
    luaL_pushresult(&b);
    lua_replace(L, lines);
    lua_settop(L, lines);
}

/* The CSV files this state wrote, for oversim_lua_written: a list of paths
 * and a set of them, in the registry. */
#define WRITTEN_REGISTRY "oversim.written"

static void note_written(lua_State *L, const char *path)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, WRITTEN_REGISTRY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, WRITTEN_REGISTRY);
    }
    if (lua_getfield(L, -1, path) == LUA_TNIL) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -3, path);
        lua_pushstring(L, path);
        lua_seti(L, -3, luaL_len(L, -3) + 1);
    }
    lua_pop(L, 2);
}

const char *oversim_lua_written(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, WRITTEN_REGISTRY) != LUA_TTABLE) {
        lua_pop(L, 1);
        return NULL;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int n = 0;
    for (lua_Integer i = 1; lua_geti(L, -2, i) == LUA_TSTRING; i++) {
        /* still there: oversim.save removes what it wrote when it fails */
        if (access(lua_tostring(L, -1), F_OK) == 0) {
            if (n++)
                luaL_addstring(&b, ", ");
            luaL_addvalue(&b);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    luaL_pushresult(&b);
    lua_remove(L, -2);
    if (!n) {
        lua_pop(L, 1);
        return NULL;
    }
    return lua_tostring(L, -1);
}

/* oversim.check_output(path) -> path: create path's missing folders and check
 * that a file can be created there (a temporary, removed at once), so a
 * script fails before its work, not after. Errors at the caller's line. */
static int l_check_output(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    os_err err;
    if (csvout_check_folder(path, &err))
        return luaL_error(L, "%s", err.msg);
    lua_settop(L, 1);
    return 1;
}

static int l_write_csv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 3);
    const l_dist *d = l_dist_of(L);
    if (!l_dist_writes(d)) { /* a share of the rows: the merge (or rank 0) writes the file */
        if (d->mode == L_DIST_SHARD)
            fprintf(stderr, "oversim: shard %d/%d: not writing %s (oversim merge writes it)\n",
                    d->shard, d->shards, path);
        lua_pushstring(L, path);
        return 1;
    }
    int nrows = (int)luaL_len(L, 2);
    for (int r = 1; r <= nrows; r++) {
        if (lua_geti(L, 2, r) != LUA_TTABLE)
            return luaL_error(L, "cannot write '%s': row %d is a %s (expected a table)", path,
                              r, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    int allow_duplicates = 0, siblings = 0;
    if (!lua_isnil(L, 3)) {
        static const l_field OPTS[] = { { "columns", T_TAB }, { "allow_duplicates", T_BOOL },
                                        { "siblings", T_TAB }, { NULL, 0 } };
        luaL_checktype(L, 3, LUA_TTABLE);
        l_push_where(L);
        l_check_record(L, 3, OPTS, "write_csv options", lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_getfield(L, 3, "allow_duplicates");
        allow_duplicates = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (lua_getfield(L, 3, "siblings") != LUA_TNIL)
            siblings = lua_gettop(L);
        else
            lua_pop(L, 1);
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
    if (!allow_duplicates)
        check_keys(L, path, ncols, header, nrows, cells);
    /* manifest: what made the file, without timestamps (same run, same bytes);
     * the core adds the checksum line and writes it first (csvout.h).
     * Everything is gathered first: a luaL_Buffer wants nothing else pushed. */
    const char *command = "", *script = "";
    lua_getglobal(L, "oversim");
    if (lua_istable(L, -1)) {
        int t = lua_gettop(L);
        lua_getfield(L, t, "command");
        lua_getfield(L, t, "script");
        command = lua_isstring(L, t + 1) ? one_line(L, t + 1) : "";
        script = lua_isstring(L, t + 2) ? one_line(L, t + 2) : "";
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
    push_sibling_lines(L, path, siblings);
    int sib = lua_gettop(L);
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
    lua_pushvalue(L, sib);
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    os_err err;
    if (csvout_write_pair(path, ncols, header, nrows, cells, lua_tostring(L, -1), NULL, &err))
        return luaL_error(L, "%s", err.msg);
    note_written(L, path);
    lua_pushstring(L, path);
    return 1;
}

/* A list of the strings in a NULL-terminated array. */
static void push_list(lua_State *L, const char *const *names)
{
    lua_newtable(L);
    for (int i = 0; names[i]; i++) {
        lua_pushstring(L, names[i]);
        lua_seti(L, -2, i + 1);
    }
}

int l_open_csv(lua_State *L)
{
    lua_pushcfunction(L, l_write_csv);
    lua_setfield(L, -2, "write_csv");
    lua_pushcfunction(L, l_check_output);
    lua_setfield(L, -2, "check_output");
    /* oversim.columns: the names the rows use, for scripts and the plots:
     * ids, metrics (core/metrics.h's list, in CSV order), episodes
     * (core/eptrain.h's) and keys */
    lua_createtable(L, 0, 4);
    push_list(L, IDS);
    lua_setfield(L, -2, "ids");
    lua_newtable(L);
    for (int k = 0; k < metrics_n_columns(); k++) {
        lua_pushstring(L, metrics_column_at(k)->name);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "metrics");
    lua_newtable(L); /* an episode row's (core/eptrain.h's list, in CSV order) */
    for (int k = 0; k < eptrain_n_columns(); k++) {
        lua_pushstring(L, eptrain_column_at(k)->name);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "episodes");
    push_list(L, KEYS);
    lua_setfield(L, -2, "keys");
    lua_setfield(L, -2, "columns");
    return 0;
}
