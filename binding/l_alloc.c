/* l_alloc.c — the memory limit.
 * Owns: a lua_Alloc that refuses to grow Lua's heap past a limit (so a
 *       script's or a scenario's own loop stops with "not enough memory"
 *       instead of taking the machine), the limit's sources (the host's
 *       choice, OVERSIM_MAX_MEMORY, oversim.max_memory), and the check that
 *       refuses a world or a run whose estimated C memory exceeds the same
 *       limit before anything is allocated.
 * Uses: Lua 5.4 (lua_newstate, lua_getallocf), core/size.h's estimates. */
#include "oversim_lua.h"
#include "l_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_REGISTRY "oversim.max_memory"
#define MIN_LIMIT ((size_t)1 << 20)      /* below this Lua cannot even load the module */
#define MAX_LIMIT ((size_t)1 << 62)
#define HOW_TO_CHANGE "set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes)"

/* The allocator's state, its ud. */
typedef struct limit {
    size_t used;      /* bytes Lua holds now */
    size_t limit;
    long refused;     /* requests refused for the limit */
    void *main;       /* the state's first block: lua_close frees it last */
    int *closed;      /* while lua_newstate runs: set when this struct is freed */
} limit;

/* Lua's contract: free when nsize is 0; a shrink never fails; NULL refuses a
 * growth (Lua then collects garbage, retries once, and raises "not enough
 * memory"). */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    limit *m = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        m->used -= old;
        if (ptr && ptr == m->main) { /* lua_close's (or a failed lua_newstate's) last call */
            if (m->closed)
                *m->closed = 1;
            free(m);
        }
        return NULL;
    }
    if (nsize > old && (m->used > m->limit || nsize - old > m->limit - m->used)) {
        m->refused++;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p)
        return nsize <= old ? ptr : NULL;
    if (!m->main)
        m->main = p;
    m->used = m->used - old + nsize;
    return p;
}

static int panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "oversim: unprotected Lua error (%s)\n", msg ? msg : "not a string");
    return 0; /* Lua aborts */
}

lua_State *oversim_lua_newstate(size_t max_bytes)
{
    limit *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    int closed = 0;
    m->limit = max_bytes;
    m->closed = &closed;
    lua_State *L = lua_newstate(limited_alloc, m);
    if (!L) {
        if (!closed) /* the first block was never allocated */
            free(m);
        return NULL;
    }
    m->closed = NULL;
    lua_atpanic(L, panic);
    return L;
}

/* Bytes for humans: "4 GiB", "38.2 GiB", "512 KiB", "900 bytes". */
static void format_bytes(size_t b, char *buf, size_t n)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    if (b < 1024) {
        snprintf(buf, n, "%zu bytes", b);
        return;
    }
    int u = 0;
    size_t unit = 1024;
    while (u < 5 && b / unit >= 1024)
        unit *= 1024, u++;
    if (b % unit == 0)
        snprintf(buf, n, "%zu %s", b / unit, units[u]);
    else
        snprintf(buf, n, "%.1f %s", (double)b / (double)unit, units[u]);
}

/* "12345", "1.5G", "512M", "64k": bytes, or a number with a binary suffix K, M,
 * G or T (either case). 0 with *out set, or -1. */
static int parse_bytes(const char *s, size_t *out)
{
    const char *p = s;
    double x = 0, scale = 1;
    int digits = 0;
    while (*p >= '0' && *p <= '9')
        x = x * 10 + (*p++ - '0'), digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            x += (*p++ - '0') * (scale /= 10), digits++;
    }
    if (!digits)
        return -1;
    switch (*p) {
    case 'k': case 'K': x *= 1024.0, p++; break;
    case 'm': case 'M': x *= 1024.0 * 1024, p++; break;
    case 'g': case 'G': x *= 1024.0 * 1024 * 1024, p++; break;
    case 't': case 'T': x *= 1024.0 * 1024 * 1024 * 1024, p++; break;
    default: break;
    }
    if (*p || !(x < (double)MAX_LIMIT))
        return -1;
    *out = (size_t)x;
    return 0;
}

/* A limit from text, checked: 0, or -1 with msg filled. name: where it came
 * from ("OVERSIM_MAX_MEMORY", "oversim.max_memory"). */
static int limit_from_text(const char *name, const char *s, size_t *out, char *msg, size_t n)
{
    char minb[32];
    format_bytes(MIN_LIMIT, minb, sizeof minb);
    if (parse_bytes(s, out)) {
        snprintf(msg, n, "%s must be a number of bytes, optionally with a K, M, G or T "
                 "suffix (got '%s')", name, s);
        return -1;
    }
    if (*out < MIN_LIMIT) {
        snprintf(msg, n, "%s must be at least %s (got '%s')", name, minb, s);
        return -1;
    }
    return 0;
}

int oversim_lua_limit_from_env(size_t *max_bytes, char *msg, size_t n)
{
    const char *s = getenv("OVERSIM_MAX_MEMORY");
    if (!s || !*s) {
        *max_bytes = OVERSIM_DEFAULT_MAX_MEMORY;
        return 0;
    }
    return limit_from_text("OVERSIM_MAX_MEMORY", s, max_bytes, msg, n);
}

/* L's allocator state, or NULL when L was not made by oversim_lua_newstate. */
static limit *limit_of(lua_State *L)
{
    void *ud;
    return lua_getallocf(L, &ud) == limited_alloc ? ud : NULL;
}

size_t oversim_lua_max_memory(lua_State *L)
{
    return l_max_memory(L);
}

size_t l_max_memory(lua_State *L)
{
    limit *m = limit_of(L);
    if (m)
        return m->limit;
    lua_getfield(L, LUA_REGISTRYINDEX, LIMIT_REGISTRY);
    int set = lua_isinteger(L, -1);
    size_t v = set ? (size_t)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    if (set)
        return v;
    char msg[256];
    if (oversim_lua_limit_from_env(&v, msg, sizeof msg))
        l_raise(L, NULL, "%s", msg);
    return v;
}

int oversim_lua_memory_message(lua_State *L, char *buf, size_t n)
{
    limit *m = limit_of(L);
    if (!m || !m->refused)
        return 0;
    char lim[32];
    format_bytes(m->limit, lim, sizeof lim);
    snprintf(buf, n, "not enough memory: Lua's data reached the memory limit of %s (%s)",
             lim, HOW_TO_CHANGE);
    return 1;
}

void l_check_estimate(lua_State *L, const char *loc, const char *subject,
                      const size_estimate *e)
{
    size_t max = l_max_memory(L);
    if (e->bytes <= max)
        return;
    char need[32], lim[32];
    format_bytes(max, lim, sizeof lim);
    if (e->bytes == SIZE_MAX)
        l_raise(L, loc, "%s needs more memory than can be addressed (%s), above the memory "
                "limit of %s (%s)", subject, e->what, lim, HOW_TO_CHANGE);
    format_bytes(e->bytes, need, sizeof need);
    l_raise(L, loc, "%s needs about %s (%s), above the memory limit of %s (%s)", subject,
            need, e->what, lim, HOW_TO_CHANGE);
}

/* oversim.max_memory([bytes]) -> the limit in bytes. bytes: an integer, or a
 * string with a K, M, G or T suffix ("512M"); at least 1 MiB, and not below
 * what Lua already holds on a limited state. */
static int l_max_memory_fn(lua_State *L)
{
    if (!lua_isnoneornil(L, 1)) {
        size_t v = 0;
        char msg[256], text[64];
        const char *s;
        if (lua_type(L, 1) == LUA_TNUMBER) {
            double x = lua_tonumber(L, 1);
            if (lua_isinteger(L, 1))
                snprintf(text, sizeof text, "%lld", (long long)lua_tointeger(L, 1));
            else if (x == floor(x) && x >= 0 && x < (double)MAX_LIMIT)
                snprintf(text, sizeof text, "%.0f", x);
            else
                snprintf(text, sizeof text, "%g", x);
            s = text;
        } else if (lua_type(L, 1) == LUA_TSTRING) {
            s = lua_tostring(L, 1);
        } else {
            return luaL_typeerror(L, 1, "number or string");
        }
        if (limit_from_text("oversim.max_memory", s, &v, msg, sizeof msg))
            return l_raise(L, NULL, "%s", msg);
        limit *m = limit_of(L);
        if (m) {
            if (v < m->used) {
                char used[32];
                format_bytes(m->used, used, sizeof used);
                return l_raise(L, NULL, "oversim.max_memory: %s is below what Lua already "
                               "holds (%s)", s, used);
            }
            m->limit = v;
        } else {
            lua_pushinteger(L, (lua_Integer)v);
            lua_setfield(L, LUA_REGISTRYINDEX, LIMIT_REGISTRY);
        }
    }
    lua_pushinteger(L, (lua_Integer)l_max_memory(L));
    return 1;
}

void l_open_alloc(lua_State *L)
{
    lua_pushcfunction(L, l_max_memory_fn);
    lua_setfield(L, -2, "max_memory");
}
