/* l_sandbox.c — the sandbox scenario files run in, and loading Lua source only.
 * Owns: the sandbox's allow lists (the data below: what a scenario may use),
 *       a fresh strict environment per scenario file, and the text-only
 *       versions of load, loadfile, dofile and require's Lua-file searcher
 *       that a host's scripts get (binary chunks are refused everywhere: a
 *       corrupted one can crash the Lua VM).
 * Uses: Lua 5.4's base, string, table, utf8, coroutine and math libraries (as
 *       they were when the module opened), the module's world-building
 *       functions.
 *
 * Trust model. A script is a program the user chose to run: it has the whole
 * standard library. A scenario file is data people share: by default it runs
 * in an environment of its own that holds only what builds a world (the lists
 * below), in which reading anything else or setting a global is an error at
 * the scenario's line. Each file gets fresh copies of the library tables and a
 * math.random of its own, so a scenario cannot change what the calling script
 * or another scenario sees. A file the user trusts can be loaded with the full
 * globals: oversim.scenario(name, options, { trusted = true }). */
#include "oversim_lua.h"
#include "l_internal.h"

#include <lualib.h>
#include <stdio.h>
#include <string.h>

#define SANDBOX_REGISTRY "oversim.sandbox" /* the pristine copies, by library */
#define SEED_REGISTRY "oversim.seed"       /* math.random's seed (oversim_lua_setup) */

/* --- the allow lists ---------------------------------------------------------
 * Builtins, each a function of the values it is given: assert, error, pcall,
 * xpcall (errors), ipairs, next, pairs, select, rawequal, rawget, rawlen,
 * rawset, setmetatable (tables: the scenario's own, or those it is handed),
 * tonumber, tostring, type, _VERSION; and print (to stdout, for debugging a
 * scenario). Replaced: load (Lua source only, and its chunks see the sandbox,
 * not the script's globals), getmetatable (for tables only: a string's
 * metatable leads to the real string table, an oversim object's to its __gc),
 * _G (the sandbox itself). Left out: require, dofile, loadfile (read files,
 * load code), collectgarbage (stopping the collector changes the whole
 * process), warn. */
static const char *const builtins[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "print", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring",
    "type", "xpcall", "_VERSION", NULL };

/* Libraries, copied whole except for the names in `withheld`: string, table,
 * utf8, coroutine (pure computation). Not here: os, io (processes, files, the
 * clock), package (loads code and C libraries), debug (reaches any local,
 * upvalue or metatable of the process). math is all there, but not copied:
 * made afresh for each scenario (its own generator, seeded as the script's
 * is), so math.randomseed in a scenario leaves the script's stream alone. */
static const char *const libraries[] = { "string", "table", "utf8", "coroutine", NULL };
static const char *const withheld[] = {
    "string.dump", /* binary chunks are refused anyway; nothing else needs one */
    NULL };

/* The oversim module, as a scenario sees it: what builds worlds and
 * overseers. Not write_csv, read_csv, save, train, sweep, sleep, args... (a
 * scenario describes a world; the script runs it). oversim.scenario is there
 * too, in a version that loads other scenarios sandboxed only. */
static const char *const module_allowed[] = {
    "world", "context", "behaviour", "fact", "overseer", "teacher", "version",
    "check_world_size", "gridworld", "mdp", NULL };

static const char TRUST_HINT[] =
    "a file you trust can be loaded with oversim.scenario(name, options, { trusted = true })";

/* --- loading Lua source only ------------------------------------------------- */

static const char BINARY_REFUSED[] =
    "binary chunks are not allowed (oversim loads Lua source only)";

/* After a failed load in mode "t": 1 if Lua refused a binary chunk. Lua says
 * so without naming the chunk ("attempt to load a binary chunk (mode is
 * 't')"); tests/test_sandbox.c checks that wording still reaches here. */
static int refused_binary(lua_State *L, int status)
{
    const char *msg = lua_tostring(L, -1);
    return status == LUA_ERRSYNTAX && msg &&
           strncmp(msg, "attempt to load a binary chunk", 30) == 0;
}

/* l_load_text_file, and *binary = 1 when what failed was a binary chunk */
static int load_text_file(lua_State *L, const char *path, int *binary)
{
    int status = luaL_loadfilex(L, path, "t");
    int bin = status != LUA_OK && refused_binary(L, status);
    if (bin) {
        lua_pop(L, 1);
        lua_pushfstring(L, "%s: %s", path ? path : "stdin", BINARY_REFUSED);
    }
    if (binary)
        *binary = bin;
    return status;
}

int l_load_text_file(lua_State *L, const char *path)
{
    return load_text_file(L, path, NULL);
}

/* Lua's reader for load(f): calls f until it returns nil or "" (lbaselib.c).
 * The piece returned is kept alive in stack slot READER_SLOT. */
#define READER_SLOT 5
static const char *read_pieces(lua_State *L, void *ud, size_t *size)
{
    (void)ud;
    luaL_checkstack(L, 2, "too many nested functions");
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        *size = 0;
        return NULL;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "reader function must return a string");
    lua_replace(L, READER_SLOT);
    return lua_tolstring(L, READER_SLOT, size);
}

/* Give the function on top the environment at index env (its first upvalue,
 * _ENV, as Lua's own load does). */
static void set_env(lua_State *L, int env)
{
    lua_pushvalue(L, env);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
}

/* load(chunk [, chunkname [, mode [, env]]]) in Lua source only: Lua's load,
 * except that the mode is always "t" and a binary chunk raises an error at the
 * caller's line (rather than a nil the next line calls). Upvalue 1: the
 * environment chunks get when no env is given (nil: the global table). */
static int l_load(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    luaL_optstring(L, 3, "bt"); /* checked as Lua's is, then ignored: always "t" */
    int env = !lua_isnone(L, 4) ? 4 : 0;
    int status;
    if (s) {
        const char *name = luaL_optstring(L, 2, s);
        status = luaL_loadbufferx(L, s, len, name, "t");
    } else {
        const char *name = luaL_optstring(L, 2, "=(load)");
        luaL_checktype(L, 1, LUA_TFUNCTION);
        lua_settop(L, READER_SLOT);
        status = lua_load(L, read_pieces, NULL, name, "t");
    }
    if (status != LUA_OK) {
        if (refused_binary(L, status))
            return luaL_error(L, "load: %s", BINARY_REFUSED);
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env)
        set_env(L, env);
    else if (!lua_isnil(L, lua_upvalueindex(1)))
        set_env(L, lua_upvalueindex(1));
    return 1;
}

/* loadfile([path [, mode [, env]]]) in Lua source only */
static int l_loadfile(lua_State *L)
{
    const char *path = luaL_optstring(L, 1, NULL);
    luaL_optstring(L, 2, "bt");
    int env = !lua_isnone(L, 3) ? 3 : 0;
    int binary;
    if (load_text_file(L, path, &binary) != LUA_OK) {
        if (binary)
            return lua_error(L);
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env)
        set_env(L, env);
    return 1;
}

/* dofile([path]) in Lua source only */
static int l_dofile(lua_State *L)
{
    const char *path = luaL_optstring(L, 1, NULL);
    lua_settop(L, 1);
    if (l_load_text_file(L, path) != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

/* require's searcher for Lua files (package.searchers[2]) in Lua source only:
 * the file package.searchpath finds on package.path, loaded in mode "t". */
static int l_search_lua(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "package");
    if (lua_getfield(L, -1, "path") != LUA_TSTRING)
        return luaL_error(L, "'package.path' must be a string");
    const char *path = lua_tostring(L, -1);
    lua_getfield(L, -2, "searchpath");
    lua_pushstring(L, name);
    lua_pushstring(L, path);
    lua_call(L, 2, 2);
    if (lua_isnil(L, -2))
        return 1; /* searchpath's "no file ..." list */
    lua_pop(L, 1);
    const char *file = lua_tostring(L, -1);
    if (l_load_text_file(L, file) != LUA_OK)
        return luaL_error(L, "error loading module '%s' from file '%s': %s", name, file,
                          lua_tostring(L, -1));
    lua_pushstring(L, file);
    return 2;
}

void l_text_only_globals(lua_State *L)
{
    lua_pushglobaltable(L);
    lua_pushnil(L); /* no default environment: chunks see the globals */
    lua_pushcclosure(L, l_load, 1);
    lua_setfield(L, -2, "load");
    lua_pushcfunction(L, l_loadfile);
    lua_setfield(L, -2, "loadfile");
    lua_pushcfunction(L, l_dofile);
    lua_setfield(L, -2, "dofile");
    lua_pop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "package") == LUA_TTABLE &&
        lua_getfield(L, -1, "searchers") == LUA_TTABLE) {
        lua_pushcfunction(L, l_search_lua);
        lua_rawseti(L, -2, 2); /* [1] preloaded, [2] Lua files, [3], [4] C libraries */
    }
    lua_settop(L, lua_gettop(L) - 3);
}

/* --- the sandbox ---------------------------------------------------------- */

/* __index of a sandbox's environment and of its library copies: the name is
 * not on the allow lists. A name that exists outside the sandbox (in the
 * script's globals, the real library, the module) is withheld; any other is
 * not defined, and the closest name the sandbox has is suggested. Upvalues:
 * 1 the table's name ("" for the environment), 2 the real table, 3 (the
 * environment only) the allowed names' values. */
static int deny_index(lua_State *L)
{
    int env = lua_type(L, lua_upvalueindex(3)) == LUA_TTABLE;
    int have = env ? lua_upvalueindex(3) : 1;
    if (env) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, have) != LUA_TNIL)
            return 1;
    }
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    const char *key = luaL_tolstring(L, 2, NULL);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
        return luaL_error(L, "'%s%s%s' is not available in a sandboxed scenario (%s)", lib,
                          *lib ? "." : "", key, TRUST_HINT);
    const char *known[128];
    int n = 0;
    lua_pushnil(L);
    while (n < 128 && lua_next(L, have)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            known[n++] = lua_tostring(L, -1); /* a key of a table that stays alive */
    }
    const char *near = l_closest_n(key, known, n);
    lua_settop(L, 4);
    const char *dot = *lib ? "." : "";
    if (!near)
        return luaL_error(L, "%s'%s%s%s' is not defined", env ? "global " : "", lib, dot, key);
    return luaL_error(L, "%s'%s%s%s' is not defined (did you mean '%s%s%s'?)",
                      env ? "global " : "", lib, dot, key, lib, dot, near);
}

/* __newindex of a sandbox's environment */
static int deny_newindex(lua_State *L)
{
    const char *key = luaL_tolstring(L, 2, NULL);
    return luaL_error(L, "a sandboxed scenario cannot set global '%s' (make it local)", key);
}

/* getmetatable for a sandbox: Lua's, for tables only (a string's metatable
 * leads to the real string table; an oversim object's to its __gc) */
static int l_getmetatable(lua_State *L)
{
    luaL_checkany(L, 1);
    if (!lua_istable(L, 1) || !lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    luaL_getmetafield(L, 1, "__metatable"); /* pushes it if present */
    return 1;
}

/* Make the table at idx strict: reading a missing name raises an error naming
 * it as name.key (deny_index); its metatable is protected. real: the index of
 * the table it was copied from. */
static void make_strict(lua_State *L, int idx, const char *name, int real)
{
    idx = lua_absindex(L, idx);
    real = lua_absindex(L, real);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name);
    lua_pushvalue(L, real);
    lua_pushcclosure(L, deny_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, idx);
}

/* Push a shallow copy of the table at idx. */
static void push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

void l_sandbox_init(lua_State *L, int module, lua_CFunction scenario)
{
    module = lua_absindex(L, module);
    lua_newtable(L);
    int snap = lua_gettop(L);
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    lua_newtable(L);
    for (int i = 0; builtins[i]; i++) {
        lua_getfield(L, g, builtins[i]);
        lua_setfield(L, -2, builtins[i]);
    }
    lua_setfield(L, snap, "_G");
    for (int i = 0; libraries[i]; i++) {
        size_t n = strlen(libraries[i]);
        if (lua_getfield(L, g, libraries[i]) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        push_copy(L, -1);
        for (int k = 0; withheld[k]; k++)
            if (strncmp(withheld[k], libraries[i], n) == 0 && withheld[k][n] == '.') {
                lua_pushnil(L);
                lua_setfield(L, -2, withheld[k] + n + 1);
            }
        lua_setfield(L, snap, libraries[i]);
        lua_pop(L, 1);
    }
    lua_newtable(L);
    for (int i = 0; module_allowed[i]; i++) {
        lua_getfield(L, module, module_allowed[i]);
        lua_setfield(L, -2, module_allowed[i]);
    }
    lua_pushboolean(L, 1); /* called from a sandbox */
    lua_pushcclosure(L, scenario, 1);
    lua_setfield(L, -2, "scenario");
    lua_setfield(L, snap, "oversim");
    /* the real tables, by name: to tell a withheld name from one that does
     * not exist (deny_index) */
    lua_newtable(L);
    lua_pushvalue(L, g);
    lua_setfield(L, -2, "_G");
    lua_pushvalue(L, module);
    lua_setfield(L, -2, "oversim");
    for (int i = 0; libraries[i]; i++) {
        lua_getfield(L, g, libraries[i]);
        lua_setfield(L, -2, libraries[i]);
    }
    lua_getfield(L, g, "math");
    lua_setfield(L, -2, "math");
    lua_setfield(L, snap, "real");
    lua_settop(L, snap);
    lua_setfield(L, LUA_REGISTRYINDEX, SANDBOX_REGISTRY);
}

void l_sandbox_seed(lua_State *L, long long seed)
{
    lua_pushinteger(L, (lua_Integer)seed);
    lua_setfield(L, LUA_REGISTRYINDEX, SEED_REGISTRY);
}

void l_sandbox_push_env(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, SANDBOX_REGISTRY) != LUA_TTABLE)
        luaL_error(L, "oversim: the sandbox is not set up (luaopen_oversim did not run)");
    int snap = lua_gettop(L);
    lua_getfield(L, snap, "real");
    int real = lua_gettop(L);
    lua_newtable(L); /* the environment: empty, every read goes to __index */
    int env = lua_gettop(L);
    lua_newtable(L); /* what __index finds */
    int allowed = lua_gettop(L);

    lua_getfield(L, snap, "_G");
    lua_pushnil(L);
    while (lua_next(L, -2))
        lua_setfield(L, allowed, lua_tostring(L, -2));
    lua_pop(L, 1);
    lua_pushcfunction(L, l_getmetatable);
    lua_setfield(L, allowed, "getmetatable");
    lua_pushvalue(L, env); /* load's chunks see this sandbox, not the globals */
    lua_pushcclosure(L, l_load, 1);
    lua_setfield(L, allowed, "load");
    lua_pushvalue(L, env);
    lua_setfield(L, allowed, "_G");

    /* fresh copies: what a scenario does to its tables stays in its sandbox */
    for (int i = 0; libraries[i]; i++) {
        if (lua_getfield(L, snap, libraries[i]) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        push_copy(L, -1);
        lua_getfield(L, real, libraries[i]);
        make_strict(L, -2, libraries[i], -1);
        lua_pop(L, 1);
        lua_setfield(L, allowed, libraries[i]);
        lua_pop(L, 1);
    }
    lua_getfield(L, snap, "oversim");
    push_copy(L, -1);
    lua_getfield(L, real, "oversim");
    make_strict(L, -2, "oversim", -1);
    lua_pop(L, 1);
    lua_setfield(L, allowed, "oversim");
    lua_pop(L, 1);

    /* math with a generator of its own, seeded as the script's was */
    lua_pushcfunction(L, luaopen_math);
    lua_call(L, 0, 1);
    lua_getfield(L, -1, "randomseed");
    lua_getfield(L, LUA_REGISTRYINDEX, SEED_REGISTRY);
    lua_Integer seed = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 1;
    lua_pop(L, 1);
    lua_pushinteger(L, seed);
    lua_call(L, 1, 0);
    lua_getfield(L, real, "math");
    make_strict(L, -2, "math", -1);
    lua_pop(L, 1);
    lua_setfield(L, allowed, "math");

    lua_createtable(L, 0, 3); /* the environment's metatable */
    lua_pushliteral(L, "");
    lua_getfield(L, real, "_G");
    lua_pushvalue(L, allowed);
    lua_pushcclosure(L, deny_index, 3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, deny_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);

    lua_settop(L, env);
    lua_replace(L, snap); /* the environment where the snapshot was */
    lua_pop(L, 1);
}
