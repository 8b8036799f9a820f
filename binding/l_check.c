/* l_check.c — field validation, locations and boxes for the binding.
 * Errors read like: "scenarios/x.lua:14: field 'prior' of behaviour 'bluff'
 * must be >= 0 (got -0.2)". */
#include "l_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void l_push_where(lua_State *L)
{
    /* level 1 is the Lua function that called the running C function */
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar)) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d:", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

static void push_loc_table(lua_State *L)
{
    if (luaL_getsubtable(L, LUA_REGISTRYINDEX, LOC_REGISTRY) == 0) {
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
    }
}

void l_set_location(lua_State *L, int idx, const char *loc)
{
    idx = lua_absindex(L, idx);
    push_loc_table(L);
    lua_pushvalue(L, idx);
    lua_pushstring(L, loc);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

const char *l_location(lua_State *L, int idx, const char *fallback)
{
    idx = lua_absindex(L, idx);
    push_loc_table(L);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    /* the string is kept alive by the weak table while the key table lives */
    const char *s = lua_isstring(L, -1) ? lua_tostring(L, -1) : fallback;
    lua_pop(L, 2);
    return s;
}

int l_raise(lua_State *L, const char *loc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (loc && *loc) {
        lua_pushfstring(L, "%s %s", loc, msg);
    } else {
        l_push_where(L);
        const char *w = lua_tostring(L, -1);
        lua_pushfstring(L, "%s%s%s", w, *w ? " " : "", msg);
    }
    return lua_error(L);
}

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int s = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = s < del ? (s < ins ? s : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1; /* transposition */
        }
    return d[la][lb];
}

const char *l_closest(const char *key, const char *const *known)
{
    return l_closest_n(key, known, -1);
}

const char *l_closest_n(const char *key, const char *const *known, int n_known)
{
    const char *best = NULL;
    int bd = 1 << 30;
    for (int i = 0; n_known < 0 ? known[i] != NULL : i < n_known; i++) {
        int d = edit_distance(key, known[i]);
        if (d < bd)
            bd = d, best = known[i];
    }
    int n = (int)strlen(key);
    return bd <= (n < 5 ? 1 : n < 9 ? 2 : 3) ? best : NULL;
}

static const char *type_words(int types)
{
    switch (types) {
    case T_NUM: return "a number";
    case T_STR: return "a string";
    case T_TAB: return "a table";
    case T_FUN: return "a function";
    case T_BOOL: return "a boolean";
    case T_NUM | T_TAB | T_FUN: return "a number, a table by context name or a function";
    case T_STR | T_FUN: return "a string or a function";
    case T_STR | T_TAB | T_FUN: return "a string, a table or a function";
    case T_NUM | T_STR: return "a number or a string";
    case T_STR | T_TAB: return "a string or a table";
    default: return "of another type";
    }
}

static int type_bit(lua_State *L, int idx)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER: return T_NUM;
    case LUA_TSTRING: return T_STR;
    case LUA_TTABLE: return T_TAB;
    case LUA_TFUNCTION: return T_FUN;
    case LUA_TBOOLEAN: return T_BOOL;
    case LUA_TUSERDATA: return T_UD;
    default: return 0;
    }
}

void l_check_record(lua_State *L, int idx, const l_field *fields, const char *what,
                    const char *loc)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx))
        l_raise(L, loc, "%s must be a table (got %s)", what, luaL_typename(L, idx));
    const char *known[64];
    int nk = 0;
    for (; fields[nk].name && nk < 63; nk++)
        known[nk] = fields[nk].name;
    known[nk] = NULL;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            l_raise(L, loc, "%s has a %s key (only named fields are allowed; "
                    "did you forget a name = ?)", what, luaL_typename(L, -2));
        const char *key = lua_tostring(L, -2);
        int k = 0;
        while (fields[k].name && strcmp(fields[k].name, key) != 0)
            k++;
        if (!fields[k].name) {
            const char *near = l_closest(key, known);
            if (near)
                l_raise(L, loc, "unknown key '%s' in %s (did you mean '%s'?)", key, what, near);
            l_raise(L, loc, "unknown key '%s' in %s", key, what);
        }
        if (!(type_bit(L, -1) & fields[k].types))
            l_raise(L, loc, "field '%s' of %s must be %s (got %s)", key, what,
                    type_words(fields[k].types), luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

double l_opt_number(lua_State *L, int idx, const char *field, double def,
                    const char *what, const char *loc, int allow_inf)
{
    lua_getfield(L, idx, field);
    double x = def;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            l_raise(L, loc, "field '%s' of %s must be a number (got %s)", field, what,
                    luaL_typename(L, -1));
        x = lua_tonumber(L, -1);
        if (isnan(x) || (!allow_inf && isinf(x))) /* "nan", never glibc's "-nan" of 0/0 */
            l_raise(L, loc, "field '%s' of %s must be a finite number (got %g)", field,
                    what, isnan(x) ? fabs(x) : x);
    }
    lua_pop(L, 1);
    return x;
}

double l_opt_range(lua_State *L, int idx, const char *field, double def, double lo,
                   double hi, const char *what, const char *loc)
{
    double x = l_opt_number(L, idx, field, def, what, loc, isinf(lo) || isinf(hi));
    if (!(x >= lo && x <= hi)) {
        if (lo == 0 && hi == 1)
            l_raise(L, loc, "field '%s' of %s must be a probability in [0,1] (got %g)",
                    field, what, x);
        if (isinf(hi))
            l_raise(L, loc, "field '%s' of %s must be >= %g (got %g)", field, what, lo, x);
        l_raise(L, loc, "field '%s' of %s must be in [%g,%g] (got %g)", field, what, lo, hi, x);
    }
    return x;
}

long long l_opt_int(lua_State *L, int idx, const char *field, long long def,
                    long long lo, const char *what, const char *loc)
{
    lua_getfield(L, idx, field);
    long long x = def;
    if (!lua_isnil(L, -1)) {
        int ok = 0;
        x = lua_tointegerx(L, -1, &ok);
        if (lua_type(L, -1) != LUA_TNUMBER || !ok)
            l_raise(L, loc, "field '%s' of %s must be an integer (got %s)", field, what,
                    lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1)
                                                   : luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    if (x < lo)
        l_raise(L, loc, "field '%s' of %s must be >= %lld (got %lld)", field, what, lo, x);
    return x;
}

int l_opt_int_range(lua_State *L, int idx, const char *field, int def, int lo, int hi,
                    const char *what, const char *loc)
{
    /* read as a 64-bit integer, so a value past an int is refused, never cast */
    long long x = l_opt_int(L, idx, field, def, lo, what, loc);
    if (x > hi)
        l_raise(L, loc, "field '%s' of %s must be <= %d (got %lld)", field, what, hi, x);
    return (int)x;
}

const char *l_opt_string(lua_State *L, int idx, const char *field, const char *def,
                         const char *what, const char *loc)
{
    lua_getfield(L, idx, field);
    const char *s = def;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
            l_raise(L, loc, "field '%s' of %s must be a string (got %s)", field, what,
                    luaL_typename(L, -1));
        s = lua_tostring(L, -1); /* anchored by the table */
    }
    lua_pop(L, 1);
    return s;
}

int l_opt_option(lua_State *L, int idx, const char *field, const char *def,
                 const char *const *opts, const char *what, const char *loc)
{
    const char *s = l_opt_string(L, idx, field, def, what, loc);
    for (int i = 0; opts[i]; i++)
        if (strcmp(opts[i], s) == 0)
            return i;
    char list[256] = "";
    for (int i = 0; opts[i]; i++) {
        strncat(list, i ? ", '" : "'", sizeof list - strlen(list) - 1);
        strncat(list, opts[i], sizeof list - strlen(list) - 1);
        strncat(list, "'", sizeof list - strlen(list) - 1);
    }
    const char *near = l_closest(s, opts);
    if (near)
        l_raise(L, loc, "field '%s' of %s must be one of %s (got '%s'; did you mean '%s'?)",
                field, what, list, s, near);
    return l_raise(L, loc, "field '%s' of %s must be one of %s (got '%s')", field, what,
                   list, s);
}

typedef struct box {
    void *p;
    void (*fn)(void *);
} box;

static int box_gc(lua_State *L)
{
    box *b = luaL_checkudata(L, 1, BOX_MT);
    if (b->p && b->fn)
        b->fn(b->p);
    b->p = NULL;
    return 0;
}

void **l_push_box(lua_State *L, void (*fn)(void *))
{
    box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->fn = fn;
    if (luaL_newmetatable(L, BOX_MT)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return &b->p;
}
