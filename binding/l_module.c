/* l_module.c — the `oversim` module table, scenario loading, the setup a
 * host does on a fresh lua_State (see oversim_lua.h), and, under a stock Lua
 * interpreter (oversim.so), oversim.args from its command line. */
#include "oversim_lua.h"
#include "l_internal.h"
#include "l_present.h"

#include <dirent.h>
#include <errno.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "version.h"

/* The names of the scenarios in folder dir (its *.lua files, without .lua)
 * appended to names[*n..cap), skipping those already there. */
static void list_scenarios(const char *dir, char names[][64], int *n, int cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && *n < cap) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || len - 4 >= 64 || strcmp(e->d_name + len - 4, ".lua") != 0 ||
            e->d_name[0] == '.')
            continue;
        char name[64];
        memcpy(name, e->d_name, len - 4);
        name[len - 4] = 0;
        int k = 0;
        while (k < *n && strcmp(names[k], name) != 0)
            k++;
        if (k == *n)
            memcpy(names[(*n)++], name, len - 3);
    }
    closedir(d);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Raise "scenario 'NAME' not found: ..." with the closest existing scenario
 * (did you mean), else the list of those there are. */
static int scenario_not_found(lua_State *L, const char *name)
{
    enum { CAP = 256 };
    char names[CAP][64]; /* 16 KiB */
    const char *sorted[CAP];
    int n = 0;
    char folder[4096], dir[4200];
    const char *f;
    for (int i = 0; (f = l_search_folder(i, 1, folder, sizeof folder)); i++) {
        snprintf(dir, sizeof dir, "%s/scenarios", f);
        list_scenarios(dir, names, &n, CAP);
    }
    for (int i = 0; i < n; i++)
        sorted[i] = names[i];
    qsort(sorted, n, sizeof *sorted, compare_names);
    const char *near = l_closest_n(name, sorted, n);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (near) {
        lua_pushfstring(L, "(did you mean '%s'?)", near);
        luaL_addvalue(&b);
    } else {
        luaL_addstring(&b, n ? "(the scenarios are " : "(there are no scenarios there");
        for (int i = 0; i < n; i++) {
            luaL_addstring(&b, i ? ", " : "");
            luaL_addstring(&b, sorted[i]);
        }
        luaL_addstring(&b, ")");
    }
    luaL_pushresult(&b);
    char where[8192];
    l_search_text(1, where, sizeof where);
    return l_raise(L, NULL, "scenario '%s' not found: no scenarios/%s.lua %s %s",
                   name, name, where, lua_tostring(L, -1));
}

/* oversim.scenario(name_or_path [, options [, how]]) -> the scenario table.
 * A name is looked up as scenarios/NAME.lua in the current folder, OVERSIM_PATH
 * and oversim's data folder (l_find); a name ending in .lua is a path. A
 * scenario file returns its table, or a function of an options table that
 * returns it (so one file can serve several variants). It runs in a sandbox of
 * its own (l_sandbox.c) unless how = { trusted = true }. Upvalue 1: true in
 * the sandbox's oversim.scenario, which loads sandboxed only, and by name
 * only. */
static int l_scenario(lua_State *L)
{
    static const l_field how_fields[] = { { "trusted", T_BOOL }, { NULL, 0 } };
    const char *name = luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TTABLE);
    int trusted = 0;
    if (!lua_isnoneornil(L, 3)) {
        l_check_record(L, 3, how_fields, "oversim.scenario's third argument", NULL);
        lua_getfield(L, 3, "trusted");
        trusted = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (lua_toboolean(L, lua_upvalueindex(1))) {
        /* from a sandbox: no way out of it, and no file but a scenario's (a
         * path could run, or quote in an error, any .lua file it can name) */
        if (trusted)
            return l_raise(L, NULL, "a sandboxed scenario cannot load another scenario as "
                           "trusted");
        if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789_-") != strlen(name))
            return l_raise(L, NULL, "a sandboxed scenario loads other scenarios by name only "
                           "(letters, digits, _ and -; got '%s')", name);
    }
    lua_settop(L, 2);
    char path[4096];
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".lua") == 0) {
        snprintf(path, sizeof path, "%s", name);
        if (access(path, R_OK) != 0)
            return l_raise(L, NULL, "cannot read scenario file '%s' (%s)", path,
                           strerror(errno));
    } else {
        char rel[4096];
        snprintf(rel, sizeof rel, "scenarios/%s.lua", name);
        if (!l_find(rel, 1, path, sizeof path))
            return scenario_not_found(L, name);
    }
    if (l_load_text_file(L, path) != LUA_OK)
        return lua_error(L);
    if (!trusted) {
        l_sandbox_push_env(L);
        lua_setupvalue(L, -2, 1); /* a main chunk's only upvalue is _ENV */
    }
    lua_call(L, 0, 1);
    if (lua_isfunction(L, -1)) {
        if (lua_isnil(L, 2))
            lua_newtable(L);
        else
            lua_pushvalue(L, 2);
        lua_call(L, 1, 1);
    } else if (!lua_isnil(L, 2)) {
        return l_raise(L, NULL, "scenario '%s' takes no options (it returns a table, "
                       "not a function)", path);
    }
    if (!lua_istable(L, -1))
        return l_raise(L, NULL, "scenario '%s' must return a table or a function that "
                       "returns one (got %s)", path, luaL_typename(L, -1));
    return 1;
}

/* oversim.clock() -> seconds on a monotonic wall clock (for benchmarks). */
static int l_clock(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
    return 1;
}

/* oversim.rss_kb() -> resident memory of this process now, in KiB (Linux
 * /proc/self/statm), or nil where that is not available. */
static int l_rss_kb(lua_State *L)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size, resident;
    int ok = f && fscanf(f, "%ld %ld", &size, &resident) == 2;
    if (f)
        fclose(f);
    if (!ok)
        return 0;
    lua_pushinteger(L, (lua_Integer)resident * (sysconf(_SC_PAGESIZE) / 1024));
    return 1;
}

/* "name=value": numbers become numbers, true/false booleans, the rest strings */
static void push_arg_value(lua_State *L, const char *v)
{
    if (strcmp(v, "true") == 0)
        lua_pushboolean(L, 1);
    else if (strcmp(v, "false") == 0)
        lua_pushboolean(L, 0);
    else if (!*v || lua_stringtonumber(L, v) == 0)
        lua_pushstring(L, v);
}

/* "name=value" into the table on top of the stack (oversim.args); 0, or -1
 * (nothing set) if s is not of that form. */
static int set_arg(lua_State *L, const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s)
        return -1;
    lua_pushlstring(L, s, eq - s);
    push_arg_value(L, eq + 1);
    lua_settable(L, -3);
    return 0;
}

/* Under a stock interpreter (lua5.4 -l oversim script.lua name=value ...) the
 * global `arg` holds the script at arg[0], its arguments at 1..n, and the
 * interpreter with its options at negative indices; with no script (lua5.4
 * -e ..., the prompt) nothing is below arg[0]. When a script runs, its
 * name=value arguments become oversim.args as `oversim run` makes them (any
 * other argument is the script's own and left alone), arg[0] becomes
 * oversim.script and the whole line oversim.command (for manifests). The
 * oversim command sets no `arg`: oversim_lua_setup fills these itself. */
static void args_from_interpreter(lua_State *L, int module)
{
    int top = lua_gettop(L);
    if (lua_getglobal(L, "arg") != LUA_TTABLE || lua_rawgeti(L, -1, -1) != LUA_TSTRING) {
        lua_settop(L, top);
        return;
    }
    int arg = top + 1;
    lua_Integer n = (lua_Integer)lua_rawlen(L, arg), lo = -1;
    lua_getfield(L, module, "args");
    for (lua_Integer i = 1; i <= n; i++) {
        const char *a = lua_rawgeti(L, arg, i) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1); /* a stays valid: arg holds it */
        if (a)
            set_arg(L, a);
    }
    if (lua_rawgeti(L, arg, 0) == LUA_TSTRING)
        lua_setfield(L, module, "script");
    while (lua_rawgeti(L, arg, lo - 1) == LUA_TSTRING) {
        lua_pop(L, 1);
        lo--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (lua_Integer i = lo; i <= n; i++) {
        lua_rawgeti(L, arg, i);
        const char *a = lua_tostring(L, -1);
        lua_pop(L, 1); /* the string stays in arg */
        int quote = a && strpbrk(a, " \t") != NULL;
        luaL_addstring(&b, i > lo ? (quote ? " '" : " ") : (quote ? "'" : ""));
        luaL_addstring(&b, a ? a : "");
        if (quote)
            luaL_addchar(&b, '\'');
    }
    luaL_pushresult(&b);
    lua_setfield(L, module, "command");
    lua_settop(L, top);
}

/* binding/oversim.lua and binding/oversim_grid.lua, compiled in
 * (cmake/embed.cmake) */
extern const unsigned char oversim_lib[], oversim_grid_lib[];
extern const size_t oversim_lib_len, oversim_grid_lib_len;

int luaopen_oversim(lua_State *L)
{
    oversim_lua_home(); /* found now: oversim.so's path may be relative to the folder */
    lua_newtable(L);
    int module = lua_gettop(L);
    l_open_world(L);
    l_open_overseer(L);
    l_open_config(L);
    l_open_train(L);
    l_open_sweep(L);
    l_open_csv(L);
    l_open_readcsv(L);
    l_open_progress(L);
    l_open_control(L);
    l_open_w2s(L);
    l_open_compare(L);
    l_open_debate(L);
    l_open_episodes(L);
    lua_pushboolean(L, 0); /* not called from a sandbox */
    lua_pushcclosure(L, l_scenario, 1);
    lua_setfield(L, -2, "scenario");
    lua_pushcfunction(L, l_clock);
    lua_setfield(L, -2, "clock");
    lua_pushcfunction(L, l_rss_kb);
    lua_setfield(L, -2, "rss_kb");
    lua_pushliteral(L, OVERSIM_VERSION);
    lua_setfield(L, -2, "version");
    lua_newtable(L);
    lua_setfield(L, -2, "args");
    args_from_interpreter(L, module);
    l_sandbox_init(L, -1, l_scenario);
    /* the helpers written in Lua add themselves to the module */
    static const struct { const unsigned char *text; const size_t *len; const char *name; }
        libs[] = { { oversim_lib, &oversim_lib_len, "@oversim.lua" },
                   { oversim_grid_lib, &oversim_grid_lib_len, "@oversim_grid.lua" } };
    for (size_t k = 0; k < sizeof libs / sizeof libs[0]; k++) {
        if (luaL_loadbufferx(L, (const char *)libs[k].text, *libs[k].len, libs[k].name, "t") !=
            LUA_OK)
            return lua_error(L);
        lua_pushvalue(L, -2);
        lua_call(L, 1, 0);
    }
    return 1;
}

void oversim_lua_setup(lua_State *L, const char *script, int argc, char **argv,
                       const char *command, long long seed)
{
    luaL_openlibs(L);
    l_text_only_globals(L);
    l_sandbox_seed(L, seed);
    luaL_requiref(L, "oversim", luaopen_oversim, 1); /* global, and in package.loaded */
    lua_getfield(L, -1, "args");
    for (int i = 0; i < argc; i++)
        if (set_arg(L, argv[i]))
            luaL_error(L, "bad argument '%s': expected name=value", argv[i]);
    lua_pop(L, 1);
    lua_pushstring(L, command ? command : "");
    lua_setfield(L, -2, "command");
    lua_pushstring(L, script ? script : "");
    lua_setfield(L, -2, "script");
    lua_pop(L, 1);
    /* math.random: seeded, so scripts that use it are reproducible */
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)seed);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
}

static int handler_plain(lua_State *L)
{
    if (!lua_isstring(L, 1))
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

static int handler_traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int oversim_lua_run_file(lua_State *L, const char *path, int verbose)
{
    lua_pushcfunction(L, verbose ? handler_traceback : handler_plain);
    int h = lua_gettop(L);
    int rc = l_load_text_file(L, path);
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, 0, h);
    lua_remove(L, h);
    return rc;
}
