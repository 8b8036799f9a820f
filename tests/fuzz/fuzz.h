/* fuzz.h — what the fuzz targets share: a lua_State set up as the CLI sets
 * one up, with a cap on Lua's memory, a sandbox, an instruction budget, and a
 * private temporary folder for inputs that must be files.
 * Owns: nothing global but the per-process temporary folder and the budget
 *       counter; every helper is static.
 * Uses: the binding (oversim_lua.h), Lua 5.4, POSIX (mkdtemp).
 *
 * Each target defines `int fuzz_<name>(const uint8_t *data, size_t size)`
 * and ends with FUZZ_TARGET(fuzz_<name>). Built by tests/fuzz/CMakeLists.txt
 * (OVERSIM_FUZZ=ON) with OVERSIM_LIBFUZZER defined, that becomes libFuzzer's
 * entry LLVMFuzzerTestOneInput; without it (tests/test_fuzz_regressions.c
 * links all four targets into one plain program) it expands to nothing, so
 * the regression suite replays inputs through the very same functions. A
 * target returns 0 for any input, and aborts only on a broken invariant. */
#ifndef OVERSIM_FUZZ_H
#define OVERSIM_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include "oversim_lua.h"

#ifdef OVERSIM_LIBFUZZER
#define FUZZ_TARGET(fn)                                                  \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);        \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)         \
    {                                                                    \
        return fn(data, size);                                           \
    }
#else
#define FUZZ_TARGET(fn)
#endif

/* Lua's own memory is capped, so that `string.rep("x", 1e9)` in a scenario is
 * a Lua "not enough memory" error, not the fuzzer's out-of-memory crash. The
 * core's allocations (malloc) are not counted: those are what item 5's limit
 * is about, and the fuzzer's -rss_limit_mb catches them. */
#define FUZZ_LUA_MEMORY ((size_t)64 << 20)

/* Instructions a chunk may run, counted every FUZZ_HOOK_EVERY: after that the
 * count hook raises an error, so `while true do end` ends. */
#define FUZZ_HOOK_EVERY 1000
#define FUZZ_BUDGET 5000000L

typedef struct fuzz_mem {
    size_t used, limit;
} fuzz_mem;

static void *fuzz_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    fuzz_mem *m = ud;
    if (!ptr)
        osize = 0; /* then osize is the object's type, not a size */
    if (nsize == 0) {
        free(ptr);
        m->used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > m->limit - m->used)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    m->used = m->used - osize + nsize;
    return p;
}

static long fuzz_steps;

#ifdef OVERSIM_LIBFUZZER
/* Lua's own coverage for libFuzzer: the interpreter is a system library, not
 * instrumented, so without this the fuzzer would see no difference between
 * inputs that take different paths through plot.lua or spec.lua. A line hook
 * counts each transition (previous line -> this line, as AFL counts edges)
 * in libFuzzer's extra counters. */
#define FUZZ_LUA_EDGES (1 << 16)
__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t fuzz_lua_edges[FUZZ_LUA_EDGES];
static uint32_t fuzz_lua_prev;

static void fuzz_lua_line(lua_State *L, lua_Debug *ar)
{
    if (!lua_getinfo(L, "S", ar))
        return;
    uint32_t h = 2166136261u; /* FNV-1a of the chunk's name (its start) and the line */
    for (const char *c = ar->source; *c && c - ar->source < 48; c++)
        h = (h ^ (uint8_t)*c) * 16777619u;
    h = (h ^ (uint32_t)ar->currentline) * 16777619u;
    uint8_t *e = &fuzz_lua_edges[(h ^ fuzz_lua_prev) % FUZZ_LUA_EDGES];
    if (*e < 255)
        (*e)++;
    fuzz_lua_prev = h >> 1;
}
#define FUZZ_HOOK_MASK (LUA_MASKCOUNT | LUA_MASKLINE)
#else
#define FUZZ_HOOK_MASK LUA_MASKCOUNT
#endif

static void fuzz_hook(lua_State *L, lua_Debug *ar)
{
#ifdef OVERSIM_LIBFUZZER
    if (ar->event == LUA_HOOKLINE) {
        fuzz_lua_line(L, ar);
        return;
    }
#endif
    (void)ar;
    fuzz_steps += FUZZ_HOOK_EVERY;
    if (fuzz_steps > FUZZ_BUDGET)
        luaL_error(L, "fuzz: instruction budget exhausted");
}

/* Start counting instructions on L (and on the coroutines it creates). */
static void fuzz_bound(lua_State *L)
{
    fuzz_steps = 0;
    lua_sethook(L, fuzz_hook, FUZZ_HOOK_MASK, FUZZ_HOOK_EVERY);
}

struct fuzz_setup {
    const char *script;
    int argc;
    char **argv;
};

static int fuzz_setup_protected(lua_State *L)
{
    struct fuzz_setup *s = lua_touserdata(L, 1);
    oversim_lua_setup(L, s->script, s->argc, s->argv, "oversim fuzz", 1);
    return 0;
}

static int fuzz_silent(lua_State *L)
{
    (void)L;
    return 0;
}

/* A fresh state, set up as the CLI sets one up (oversim_lua_setup with these
 * args and script name), quiet, print silenced, Lua's memory capped at m.
 * Aborts if the setup itself fails: that never depends on the input. */
static inline lua_State *fuzz_state(fuzz_mem *m, const char *script, int argc, char **argv)
{
    /* oversim's own estimates refuse a world or run above this, well inside
     * the fuzzer's -rss_limit_mb and the replay's per-input limits, so an
     * input too big to afford is refused as a user's would be (issue 11,
     * item 5), not killed by the harness (an environment setting wins) */
    setenv("OVERSIM_MAX_MEMORY", "512M", 0);
    m->used = 0;
    m->limit = FUZZ_LUA_MEMORY;
    lua_State *L = lua_newstate(fuzz_alloc, m);
    if (!L)
        abort();
    struct fuzz_setup s = { script, argc, argv };
    lua_pushcfunction(L, fuzz_setup_protected);
    lua_pushlightuserdata(L, &s);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        fprintf(stderr, "fuzz: setup failed: %s\n", lua_tostring(L, -1));
        abort();
    }
    oversim_lua_quiet(L, 1);
    lua_pushcfunction(L, fuzz_silent);
    lua_setglobal(L, "print");
    return L;
}

/* The sandbox of the spec and scenario targets: nothing that reaches the
 * file system, the process or other chunks. Globals os, io, package, require,
 * load, dofile, loadfile, debug are removed, and so are oversim's functions
 * that write or read files (write_csv, save, read_csv); keep_scenario leaves
 * oversim.scenario, which only reads .lua files (as clean.lua loads
 * hidden_bug). */
static inline void fuzz_sandbox(lua_State *L, int keep_scenario)
{
    static const char *const globals[] = { "os", "io", "package", "require", "load",
                                           "dofile", "loadfile", "debug", NULL };
    static const char *const module[] = { "write_csv", "save", "read_csv", NULL };
    for (int i = 0; globals[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, globals[i]);
    }
    lua_getglobal(L, "oversim");
    for (int i = 0; module[i]; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, module[i]);
    }
    if (!keep_scenario) {
        lua_pushnil(L);
        lua_setfield(L, -2, "scenario");
    }
    lua_pop(L, 1);
    /* oversim.lua's copy in package.loaded went with package; the global is
     * the module */
}

/* Run the function on top of L (with nargs arguments above it) under
 * pcall with the instruction budget; any error is an accepted outcome.
 * Returns the Lua status; results (nres) or the error are left on the stack. */
static inline int fuzz_pcall(lua_State *L, int nargs, int nres)
{
    fuzz_bound(L);
    int rc = lua_pcall(L, nargs, nres, 0);
    lua_sethook(L, NULL, 0, 0);
    return rc;
}

/* A private folder for this process: <TMPDIR or /tmp>/oversim-fuzz-<pid>,
 * removed at exit. A crash skips the exit (libFuzzer stops at the first one;
 * its fork mode and the regression replays crash children on purpose), so
 * the first call also removes the folders of processes that are gone. */
static char fuzz_dir_path[64];

static int fuzz_remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(path);
}

static void fuzz_remove_tree(const char *path)
{
    if (nftw(path, fuzz_remove_one, 8, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        fprintf(stderr, "fuzz: could not remove %s\n", path);
}

static void fuzz_dir_remove(void)
{
    if (fuzz_dir_path[0] && getpid() == (pid_t)atol(strrchr(fuzz_dir_path, '-') + 1))
        fuzz_remove_tree(fuzz_dir_path);
}

/* the folders of dead processes under tmp */
static void fuzz_dir_sweep(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        if (strncmp(e->d_name, "oversim-fuzz-", 13) != 0)
            continue;
        long pid = strtol(e->d_name + 13, &end, 10);
        if (*end || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH) == 0)
            continue;
        char path[320];
        snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
        fuzz_remove_tree(path);
    }
    closedir(d);
}

static inline const char *fuzz_dir(void)
{
    /* a child (the replays fork one per input) has its own pid: its own folder */
    if (fuzz_dir_path[0] && getpid() != (pid_t)atol(strrchr(fuzz_dir_path, '-') + 1))
        fuzz_dir_path[0] = 0;
    if (!fuzz_dir_path[0]) {
        const char *tmp = getenv("TMPDIR");
        if (!tmp || !*tmp || strlen(tmp) >= 32)
            tmp = "/tmp";
        fuzz_dir_sweep(tmp);
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/oversim-fuzz-%ld", tmp,
                 (long)getpid());
        fuzz_remove_tree(fuzz_dir_path); /* a recycled pid's leftovers */
        if (mkdir(fuzz_dir_path, 0700) != 0) {
            perror("fuzz: mkdir");
            abort();
        }
        static int registered;
        if (!registered++)
            atexit(fuzz_dir_remove);
    }
    return fuzz_dir_path;
}

/* Write data to <fuzz_dir>/name; the path goes to buf. Aborts on a write
 * error (a full /tmp is not the input's fault). */
static inline const char *fuzz_write(const char *name, const void *data, size_t size, char *buf,
                              size_t n)
{
    if ((size_t)snprintf(buf, n, "%s/%s", fuzz_dir(), name) >= n)
        abort();
    FILE *f = fopen(buf, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(buf);
        abort();
    }
    return buf;
}

#endif
