/* lua_harness.h — run Lua snippets and scripts through the binding in tests. */
#ifndef OVERSIM_LUA_HARNESS_H
#define OVERSIM_LUA_HARNESS_H

#include <lauxlib.h>
#include <lua.h>
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

/* Run code as chunk "t.lua"; returns NULL on success or the error message
 * (copied into buf). Results of the chunk are left on the stack. */
static inline const char *harness_run(lua_State *L, const char *code, char *buf, size_t n)
{
    int rc = luaL_loadbufferx(L, code, strlen(code), "@t.lua", "t");
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    if (rc == LUA_OK)
        return NULL;
    snprintf(buf, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return buf;
}

#endif
