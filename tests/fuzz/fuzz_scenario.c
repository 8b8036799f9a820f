/* fuzz_scenario.c — fuzz target: the bytes as a scenario file, loaded the way
 * `oversim.scenario(path)` loads one (it is called on a file holding the
 * bytes: text mode only, the chunk named by its path), in the sandbox of
 * fuzz.h (no os, io, package, require, load, dofile, loadfile, debug; no
 * oversim function that writes or reads files but oversim.scenario) and with
 * a bounded instruction count, so an endless loop ends with an error.
 * If the scenario returns a table with a world and overseers, every overseer
 * is trained on the world for 2 rounds of 8 labels, as a script would; one
 * that fails with the core's "out of memory" instead of a refusal from an
 * estimate is a bug (issue 11, item 5).
 * Reaches: the loader (a binary chunk must be refused), scenario options,
 * and whatever of the binding and core a scenario can call. */
#include "fuzz.h"

int fuzz_scenario(const uint8_t *data, size_t size);

/* the rest after loading: run the scenario's overseers on its world (a
 * script's usual first step); written in Lua, run under the same budget */
static const char TRAIN[] =
    "local s = ...\n"
    "if type(s) ~= 'table' or type(s.overseers) ~= 'table' then return end\n"
    "local names = {}\n"
    "for k in pairs(s.overseers) do names[#names + 1] = tostring(k) end\n"
    "table.sort(names)\n"
    "for _, k in ipairs(names) do\n"
    "  local ok, err = pcall(oversim.train, { world = s.world, overseer = s.overseers[k],\n"
    "                                       rounds = 2, labels_per_round = 8, seed = 1 })\n"
    "  if not ok and tostring(err):find('out of memory', 1, true) then\n"
    "    return 'out of memory: ' .. tostring(err)\n"
    "  elseif not ok then error(err, 0) end\n"
    "end\n";

int fuzz_scenario(const uint8_t *data, size_t size)
{
    char path[128];
    fuzz_write("fuzz.lua", data, size, path, sizeof path);
    fuzz_mem m;
    lua_State *L = fuzz_state(&m, path, 0, NULL);
    fuzz_sandbox(L, 1);
    if (luaL_loadbufferx(L, TRAIN, sizeof TRAIN - 1, "=fuzz_train", "t") != LUA_OK)
        abort();
    lua_getglobal(L, "oversim");
    lua_getfield(L, -1, "scenario");
    lua_remove(L, -2);
    lua_pushstring(L, path);
    /* a run that cannot be afforded must be refused from an estimate before
     * allocating (issue 11, item 5), never reach the allocator's failure:
     * tests/test_fuzz_regressions.c replays inputs with 3 GB of address space */
    if (fuzz_pcall(L, 1, 1) == LUA_OK && fuzz_pcall(L, 1, 1) == LUA_OK && lua_isstring(L, -1)) {
        fprintf(stderr, "fuzz: train{} %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_close(L);
    return 0;
}

FUZZ_TARGET(fuzz_scenario)
