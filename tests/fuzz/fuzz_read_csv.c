/* fuzz_read_csv.c — fuzz target: the bytes as a CSV file read by
 * oversim.read_csv, through a real lua_State set up as the CLI sets one up.
 * Reaches: libcsv's parser and every callback of binding/l_readcsv.c (header,
 * duplicate names, ragged records, cell conversion to numbers, booleans,
 * +-inf, embedded NULs), and the error paths' cleanup (the boxed parser and
 * file). Checks what read_csv promises: rows are tables keyed by header
 * names, columns a list of strings. */
#include "fuzz.h"

int fuzz_read_csv(const uint8_t *data, size_t size);

/* rows, columns on top of L: abort unless they are what read_csv promises */
static void check_result(lua_State *L)
{
    if (!lua_istable(L, -2) || !lua_istable(L, -1))
        abort();
    lua_Integer ncols = luaL_len(L, -1);
    lua_newtable(L); /* the set of names */
    for (lua_Integer i = 1; i <= ncols; i++) {
        if (lua_geti(L, -2, i) != LUA_TSTRING)
            abort();
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
    lua_Integer nrows = luaL_len(L, -3);
    for (lua_Integer i = 1; i <= nrows; i++) {
        if (lua_geti(L, -3, i) != LUA_TTABLE)
            abort();
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            if (lua_rawget(L, -4) != LUA_TBOOLEAN) /* a key that is no column */
                abort();
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

int fuzz_read_csv(const uint8_t *data, size_t size)
{
    char path[128];
    fuzz_write("in.csv", data, size, path, sizeof path);
    fuzz_mem m;
    lua_State *L = fuzz_state(&m, "fuzz_read_csv", 0, NULL);
    lua_getglobal(L, "oversim");
    lua_getfield(L, -1, "read_csv");
    lua_pushstring(L, path);
    if (fuzz_pcall(L, 1, 2) == LUA_OK)
        check_result(L);
    else if (!lua_isstring(L, -1)) /* read_csv's errors are messages */
        abort();
    lua_close(L);
    return 0;
}

FUZZ_TARGET(fuzz_read_csv)
