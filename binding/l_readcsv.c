/* l_readcsv.c — reading a tidy CSV back, by column name, for analysis
 * scripts (the plots) and tests.
 * Owns: oversim.read_csv(path [, opts]) -> rows, columns, checked against the
 *       CSV's manifest.
 * Uses: libcsv's parser (the same quoting rules the writer uses), core/csvout.h
 *       (checksum, manifests). */
#include "oversim_lua.h"
#include "l_internal.h"
#include "l_present.h"

#include <csv.h>
#include <inttypes.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csvout.h"

typedef struct reader {
    lua_State *L;
    const char *path;
    int rows, header, set; /* stack indices: result rows, column names, name set */
    int ncols;             /* header length, once the header row is complete */
    long long record;      /* 0 = the header row */
    int col;               /* cells seen in the current record */
    int row;               /* stack index of the current row table, 0 if none yet */
} reader;

/* A cell as a Lua value, the inverse of write_csv's formatting: empty means
 * absent (nil), true/false are booleans, "inf" and "-inf" (an infinite
 * setting: beta, an undiscoverable slot's difficulty) are +-math.huge,
 * numbers are numbers. */
static void push_cell(lua_State *L, const char *s, size_t n)
{
    if (n == 4 && memcmp(s, "true", 4) == 0)
        lua_pushboolean(L, 1);
    else if (n == 5 && memcmp(s, "false", 5) == 0)
        lua_pushboolean(L, 0);
    else if ((n == 3 && memcmp(s, "inf", 3) == 0) || (n == 4 && memcmp(s, "-inf", 4) == 0))
        lua_pushnumber(L, s[0] == '-' ? -HUGE_VAL : HUGE_VAL); /* an infinite setting */
    else {
        /* a number only if the whole cell is one (an embedded NUL would stop
         * the conversion early: then it is a string) */
        size_t k = lua_stringtonumber(L, s);
        if (k == n + 1)
            return;
        if (k)
            lua_pop(L, 1);
        lua_pushlstring(L, s, n);
    }
}

/* libcsv calls these from csv_parse. Raising a Lua error from here is safe:
 * the parser lives in a box the GC frees, and libcsv holds nothing else. */
static void on_cell(void *s, size_t n, void *ud)
{
    reader *r = ud;
    lua_State *L = r->L;
    const char *cell = s ? s : "";
    if (!s)
        n = 0;
    if (r->record == 0) {
        lua_pushlstring(L, cell, n);
        if (lua_rawget(L, r->set) != LUA_TNIL)
            luaL_error(L, "%s: column '%s' appears twice in the header", r->path, cell);
        lua_pop(L, 1);
        lua_pushlstring(L, cell, n);
        lua_pushboolean(L, 1);
        lua_rawset(L, r->set);
        lua_pushlstring(L, cell, n);
        lua_rawseti(L, r->header, ++r->col);
        return;
    }
    if (!r->row) {
        lua_createtable(L, 0, r->ncols);
        r->row = lua_gettop(L);
    }
    if (++r->col > r->ncols)
        return; /* counted; reported when the record ends */
    if (n == 0)
        return;
    lua_rawgeti(L, r->header, r->col);
    push_cell(L, cell, n);
    lua_rawset(L, r->row);
}

static void on_record(int c, void *ud)
{
    (void)c;
    reader *r = ud;
    lua_State *L = r->L;
    /* line numbers assume no quoted field spans lines (oversim writes none) */
    if (r->record == 0) {
        r->ncols = r->col;
    } else if (r->col != r->ncols) {
        luaL_error(L, "%s:%I: %d cells, but the header has %d columns", r->path,
                   (LUAI_UACINT)(r->record + 1), r->col, r->ncols);
    } else {
        lua_rawseti(L, r->rows, (lua_Integer)r->record);
        r->row = 0;
    }
    r->record++;
    r->col = 0;
}

/* 16 hex digits of x, pushed (and returned). */
static const char *hex64(lua_State *L, uint64_t x)
{
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, x);
    return lua_pushstring(L, hex);
}

static void close_file(void *f)
{
    fclose(f);
}

static void free_parser(void *p)
{
    csv_free(p);
    free(p);
}

/* The file at path (checksum sum) against what the manifest of the CSV
 * `main` beside it says of it (a sibling written by the same oversim.save).
 * Raises when that save wrote another file of this name, or none. */
static void check_beside(lua_State *L, const char *path, uint64_t sum, const char *main)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    uint64_t want = 0;
    os_err err;
    int said = csvout_manifest_sibling(main, name, &want, &err);
    if (said < 0)
        luaL_error(L, "%s", err.msg);
    if (said == 2)
        luaL_error(L, "%s is not from the same save as %s (that save wrote no %s); write "
                   "them again with one oversim.save", path, main, name);
    if (said == 1 && want != sum)
        luaL_error(L, "%s is not from the same save as %s (%s.manifest lists %s with checksum "
                   "fnv1a64 %s, the file's is fnv1a64 %s); write them again with one "
                   "oversim.save", path, main, main, name, hex64(L, want), hex64(L, sum));
}

/* oversim.read_csv(path [, opts]) -> rows, columns.
 * rows: one table per record, keyed by column name (empty cells absent);
 * columns: the header's names in file order. Errors name the file (and the
 * line for a ragged record). A CSV with a manifest (path.manifest) must
 * agree with it: the same number of rows and the checksum of its bytes
 * (csvout_verify); a CSV without one is read as it is. opts.beside = the
 * path of a CSV whose oversim.save also wrote this file: its manifest's
 * sibling line must name this file's checksum. */
static int l_read_csv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    char beside_buf[4096];
    const char *beside = NULL;
    if (!lua_isnoneornil(L, 2)) {
        static const l_field OPTS[] = { { "beside", T_STR }, { NULL, 0 } };
        luaL_checktype(L, 2, LUA_TTABLE);
        l_push_where(L);
        l_check_record(L, 2, OPTS, "read_csv options", lua_tostring(L, -1));
        lua_pop(L, 1);
        beside = l_opt_string(L, 2, "beside", NULL, "read_csv options", NULL);
        if (beside) { /* copied: the options leave the stack */
            snprintf(beside_buf, sizeof beside_buf, "%s", beside);
            beside = beside_buf;
        }
    }
    lua_settop(L, 1);
    lua_newtable(L); /* 2: rows */
    lua_newtable(L); /* 3: columns */
    lua_newtable(L); /* 4: set of column names */
    void **slot = l_push_box(L, free_parser); /* 5 */
    struct csv_parser *p = malloc(sizeof *p);
    if (!p || csv_init(p, CSV_APPEND_NULL) != 0) {
        free(p);
        return luaL_error(L, "%s: out of memory", path);
    }
    *slot = p;
    /* the file too is boxed: a Lua error raised from a callback inside
     * csv_parse would otherwise leak it */
    void **fslot = l_push_box(L, close_file); /* 6 */
    FILE *f = fopen(path, "rb");
    if (!f)
        return luaL_error(L, "cannot read '%s': %s", path, strerror(errno));
    *fslot = f;
    reader r = { L, path, 2, 3, 4, 0, 0, 0, 0 };
    char buf[65536];
    size_t n;
    uint64_t sum = CSVOUT_FNV_INIT;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sum = csvout_fnv1a64(sum, buf, n);
        if (csv_parse(p, buf, n, on_cell, on_record, &r) != n)
            return luaL_error(L, "%s: malformed CSV (%s)", path, csv_strerror(csv_error(p)));
    }
    if (ferror(f))
        return luaL_error(L, "cannot read '%s': read error", path);
    csv_fini(p, on_cell, on_record, &r);
    if (r.record == 0)
        return luaL_error(L, "%s: empty file (no header row)", path);
    os_err err;
    if (csvout_verify(path, r.record - 1, sum, &err))
        return luaL_error(L, "%s", err.msg);
    if (beside)
        check_beside(L, path, sum, beside);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    return 2;
}

int l_open_readcsv(lua_State *L)
{
    lua_pushcfunction(L, l_read_csv);
    lua_setfield(L, -2, "read_csv");
    return 0;
}
