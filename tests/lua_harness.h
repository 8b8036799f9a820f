/* lua_harness.h — run Lua through the binding in tests.
 * Owns: nothing; static inline helpers that run snippets as chunk "t.lua" (so
 *       error messages read as a user's script's would), run the test files
 *       under tests/lua/ (each returns a table of functions the C test calls by
 *       name), and check lists of {code, expected message} cases.
 * Uses: cmocka (include this after cmocka.h: the checked helpers fail the test
 *       with a message), the binding's oversim_lua.h. Paths are relative to
 *       the source tree, the tests' working directory (tests/CMakeLists.txt). */
#ifndef OVERSIM_LUA_HARNESS_H
#define OVERSIM_LUA_HARNESS_H

#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "oversim_lua.h"

/* A fresh state with the module set up as the CLI does (args "name=value"). */
static inline lua_State *harness_state(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    oversim_lua_setup(L, "t.lua", argc, argv, "oversim run t.lua", 1);
    return L;
}

/* The error object on top of the stack into buf (a non-string one by its type,
 * never a NULL %s), popped. Returns buf. */
static inline const char *harness_error(lua_State *L, char *buf, size_t n)
{
    const char *s = lua_tostring(L, -1);
    snprintf(buf, n, "%s", s ? s : luaL_typename(L, -1));
    lua_pop(L, 1);
    return buf;
}

/* Run code as chunk "t.lua"; returns NULL on success or the error message
 * (copied into buf). Results of the chunk are left on the stack. */
static inline const char *harness_run(lua_State *L, const char *code, char *buf, size_t n)
{
    int rc = luaL_loadbufferx(L, code, strlen(code), "@t.lua", "t");
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    return rc == LUA_OK ? NULL : harness_error(L, buf, n);
}

/* Message handler for harness_load and harness_call: the message and a
 * traceback, so a failing check in a tests/lua file names its line and caller. */
static inline int harness_traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    luaL_traceback(L, L, msg ? msg : luaL_typename(L, 1), 1);
    return 1;
}

#define HARNESS_MODULE "oversim.harness.module"

/* Run the test file at path (e.g. "tests/lua/sweep.lua") as a chunk named by
 * its path ("t" mode), under a traceback handler. It must return a table,
 * which becomes L's module (one per state; a later load replaces it), whose
 * functions harness_call and harness_number call by name. Before it runs,
 * tests/lua/ is put first on package.path, so the file can require its
 * neighbours (require 'read_csv'). Fails the test when the file fails or
 * returns something else. */
static inline void harness_load(lua_State *L, const char *path)
{
    int top = lua_gettop(L);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    const char *cur = lua_tostring(L, -1);
    if (!cur || strncmp(cur, "tests/lua/?.lua;", 16) != 0) { /* once per state */
        lua_pushfstring(L, "tests/lua/?.lua;%s", cur ? cur : "");
        lua_setfield(L, -3, "path");
    }
    lua_settop(L, top);
    lua_pushcfunction(L, harness_traceback);
    int rc = luaL_loadfilex(L, path, "t");
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, 1, top + 1);
    if (rc != LUA_OK)
        fail_msg("%s: %s", path, lua_tostring(L, -1));
    if (!lua_istable(L, -1))
        fail_msg("%s returned %s, expected a table of functions", path, luaL_typename(L, -1));
    lua_setfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_settop(L, top);
}

/* Push module.fn and the arguments described by fmt: 's' a string, 'i' an
 * int, 'n' a double. Returns the argument count. */
static inline int harness_push_call(lua_State *L, const char *fn, const char *fmt, va_list ap)
{
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    if (!lua_istable(L, -1))
        fail_msg("harness_call('%s') before harness_load", fn);
    if (lua_getfield(L, -1, fn) != LUA_TFUNCTION)
        fail_msg("the loaded test file has no function '%s' (got %s)", fn, luaL_typename(L, -1));
    lua_remove(L, -2);
    int nargs = 0;
    for (const char *f = fmt; *f; f++, nargs++) {
        switch (*f) {
        case 's': lua_pushstring(L, va_arg(ap, const char *)); break;
        case 'i': lua_pushinteger(L, va_arg(ap, int)); break;
        case 'n': lua_pushnumber(L, va_arg(ap, double)); break;
        default: fail_msg("harness_call('%s'): bad argument format '%c'", fn, *f);
        }
    }
    return nargs;
}

static inline void harness_vcall(lua_State *L, int want, const char *fn, const char *fmt,
                                 va_list ap)
{
    lua_pushcfunction(L, harness_traceback);
    int h = lua_gettop(L);
    int nargs = harness_push_call(L, fn, fmt, ap);
    if (lua_pcall(L, nargs, 1, h) != LUA_OK)
        fail_msg("%s: %s", fn, lua_tostring(L, -1));
    if (want != LUA_TNONE && lua_type(L, -1) != want)
        fail_msg("%s returned %s, expected a %s", fn, luaL_typename(L, -1), lua_typename(L, want));
    lua_remove(L, h);
}

/* Call module.fn(args) (module from harness_load; args as in fmt: 's' string,
 * 'i' int, 'n' double) for one result, which must be of Lua type want
 * (LUA_TNONE: any). The result is left on the stack. Fails the test, naming
 * fn, on an error (with a traceback) or a result of another type: a missing
 * value never reads as 0 or "". */
static inline void harness_call(lua_State *L, int want, const char *fn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    harness_vcall(L, want, fn, fmt, ap);
    va_end(ap);
}

/* module.fn(args) as harness_call, for a result that must be a number (nil, a
 * string or a boolean fail the test, naming fn): the number, popped. */
static inline double harness_number(lua_State *L, const char *fn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    harness_vcall(L, LUA_TNUMBER, fn, fmt, ap);
    va_end(ap);
    double x = lua_tonumber(L, -1); /* a number: harness_vcall checked its type */
    lua_pop(L, 1);
    return x;
}

/* Check the list of cases on top of L's stack (popped), each a table
 *   { code = <Lua>, msg = <the whole error message> }   must fail with exactly msg,
 *   { code = <Lua>, part = <text> }                     must fail, msg containing part,
 *   { code = <Lua>, ok = true }                         must run without error,
 * every code run in a fresh harness_state as chunk "t.lua" (so messages keep
 * "t.lua:<line>"). what names the list in failure messages. */
static inline void harness_cases(lua_State *L, const char *what)
{
    if (!lua_istable(L, -1))
        fail_msg("%s: expected a list of cases, got %s", what, luaL_typename(L, -1));
    lua_Integer n = luaL_len(L, -1);
    if (n == 0)
        fail_msg("%s: no cases", what);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        lua_getfield(L, -1, "code");
        lua_getfield(L, -2, "msg");
        lua_getfield(L, -3, "part");
        lua_getfield(L, -4, "ok");
        const char *code = lua_tostring(L, -4), *msg = lua_tostring(L, -3),
                   *part = lua_tostring(L, -2);
        int ok = lua_toboolean(L, -1);
        if (!code || !!msg + !!part + ok != 1)
            fail_msg("%s, case %lld: needs a string 'code' and exactly one of 'msg', 'part', "
                     "'ok = true'", what, (long long)i);
        lua_State *C = harness_state(0, NULL);
        char buf[1024];
        const char *got = harness_run(C, code, buf, sizeof buf);
        if (ok && got)
            fail_msg("%s, case %lld: unexpected error: %s\n%s", what, (long long)i, got, code);
        if (!ok && !got)
            fail_msg("%s, case %lld: expected an error %s\n%s", what, (long long)i,
                     msg ? msg : part, code);
        if (msg && strcmp(got, msg) != 0)
            fail_msg("%s, case %lld: error\n  '%s'\nexpected\n  '%s'", what, (long long)i,
                     got, msg);
        if (part && !strstr(got, part))
            fail_msg("%s, case %lld: error '%s' does not contain '%s'", what, (long long)i,
                     got, part);
        lua_close(C);
        lua_pop(L, 5);
    }
    lua_pop(L, 1);
}

/* The list on top of the stack (what a claims check returns: the claims that
 * failed) must be empty: each entry is printed, prefixed by what, then the
 * test fails. The list is popped. */
static inline void harness_no_failures(lua_State *L, const char *what)
{
    if (!lua_istable(L, -1))
        fail_msg("%s returned %s, not a list of failed claims", what, luaL_typename(L, -1));
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        print_error("%s: %s\n", what, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    assert_int_equal(n, 0);
}

/* Check the cases of group in tests/lua/errors.lua with harness_cases. */
static inline void harness_errors(const char *group)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/errors.lua");
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, group);
    harness_cases(L, group);
    lua_close(L);
}

#endif
