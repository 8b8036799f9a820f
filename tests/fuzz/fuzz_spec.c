/* fuzz_spec.c — two fuzz targets: world, overseer and train specs from Lua
 * tables (fuzz_spec), and gridworld, mdp and train_episodes specs
 * (fuzz_episodes: this file built with FUZZ_EPISODES, see CMakeLists.txt).
 * The bytes are decoded by tests/fuzz/spec.lua (embedded) into edits of a
 * small valid spec — numbers at and past every boundary, empty and huge
 * strings, deep nesting, functions that raise, the wrong userdata, a world
 * of 1 x 20000 behaviours, an MLP of {65536, 65536}, a 20000-wide map, a
 * broken transition row — then the constructors and a 2-round run on them,
 * in the sandbox of fuzz.h (nothing reaches the file system) with a bounded
 * instruction count. Reaches: binding/l_check.c, l_world.c, l_overseer.c,
 * l_train.c, l_config.c, l_episodes.c, l_mdp.c, l_eppolicy.c and the core's
 * constructors and training loops. */
#include "fuzz.h"

int fuzz_spec(const uint8_t *data, size_t size);
int fuzz_episodes(const uint8_t *data, size_t size);

/* tests/fuzz/spec.lua, compiled in (cmake/embed.cmake) */
extern const unsigned char fuzz_spec_lua[];
extern const size_t fuzz_spec_lua_len;

/* the decoder on these bytes, in its mode (NULL: the bandit's specs) */
static int run_decoder(const uint8_t *data, size_t size, const char *mode)
{
    fuzz_mem m;
    lua_State *L = fuzz_state(&m, mode ? "fuzz_episodes" : "fuzz_spec", 0, NULL);
    fuzz_sandbox(L, 0);
    if (luaL_loadbufferx(L, (const char *)fuzz_spec_lua, fuzz_spec_lua_len, "@spec.lua", "t") !=
        LUA_OK) {
        fprintf(stderr, "fuzz: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_getglobal(L, "oversim");
    lua_pushlstring(L, (const char *)data, size);
    if (mode)
        lua_pushstring(L, mode);
    else
        lua_pushnil(L);
    /* the decoder's own errors are its bugs, except running out of budget or
     * memory (a 1 MB string per edit can add up) */
    if (fuzz_pcall(L, 3, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (!msg || (!strstr(msg, "budget exhausted") && !strstr(msg, "not enough memory"))) {
            fprintf(stderr, "fuzz: spec.lua failed: %s\n", msg ? msg : "(no message)");
            abort();
        }
    }
    lua_close(L);
    return 0;
}

int fuzz_spec(const uint8_t *data, size_t size) { return run_decoder(data, size, NULL); }
int fuzz_episodes(const uint8_t *data, size_t size) { return run_decoder(data, size, "episodes"); }

#ifdef FUZZ_EPISODES
FUZZ_TARGET(fuzz_episodes)
#else
FUZZ_TARGET(fuzz_spec)
#endif
