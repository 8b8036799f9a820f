/* oversim_lua.h — the Lua binding of oversim: the only layer that speaks Lua.
 * Owns: the `oversim` module (worlds, overseers, training runs, CSV output,
 *       scenario loading) and the setup a host (the CLI, the tests) does on a
 *       fresh lua_State.
 * Uses: the core headers in core/ and Lua 5.4. See README.md for the Lua API. */
#ifndef OVERSIM_LUA_H
#define OVERSIM_LUA_H

#include <lua.h>

/* Entry point for require "oversim": pushes the module table. Under a stock
 * interpreter running a script (lua5.4 -l oversim x.lua name=value ...: a
 * global `arg` with the interpreter below arg[0]) it also sets oversim.args
 * from the name=value arguments (others are left to the script),
 * oversim.script and oversim.command; oversim_lua_setup sets them otherwise. */
int luaopen_oversim(lua_State *L);

/* Open the standard libraries and the module on L, make `oversim` a global
 * (and require "oversim" work), seed math.random with `seed` (and the
 * math.random each sandboxed scenario gets), make load, loadfile, dofile and
 * require load Lua source only (a binary chunk is an error), and set
 * oversim.args (from "name=value" strings: numbers become numbers, true/false
 * booleans), oversim.command (the command line, for manifests) and
 * oversim.script. Raises a Lua error on a malformed argument (use under
 * lua_pcall). */
void oversim_lua_setup(lua_State *L, const char *script, int argc, char **argv,
                       const char *command, long long seed);

/* Load and run a script file as a chunk named by its path ("t" mode: a binary
 * chunk is refused with "PATH: binary chunks are not allowed ..."), under a
 * message handler (with a traceback when verbose). Returns 0 or the Lua status;
 * on error the message is left on the stack. */
int oversim_lua_run_file(lua_State *L, const char *path, int verbose);

/* quiet != 0: no progress display on this state (the CLI's --quiet). Call
 * after oversim_lua_setup, before running a script. (l_progress.c) */
void oversim_lua_quiet(lua_State *L, int quiet);

/* End whatever the binding drew on the terminal (an unfinished progress line),
 * so that what the host prints next starts on its own line. (l_progress.c) */
void oversim_lua_finish(lua_State *L);

/* --- where oversim's own files are (l_paths.c) ---
 * oversim's data folder holds scenarios/, analysis/ and scripts/. For a
 * program or module in the build folder it was built in, that is the source
 * tree; for an installed one, the install's share/oversim, found from where
 * the running file is (the oversim command, or oversim.so when a Lua
 * interpreter loaded it), so an installed prefix moved elsewhere still finds
 * its own files, and never reads the source tree. */
const char *oversim_lua_home(void);

/* Find one of oversim's own programs by its path relative to a data folder
 * (e.g. "analysis/plot.lua", "scripts/demo.lua"): in the current folder, then
 * in oversim_lua_home(). (Scenarios are looked up in OVERSIM_PATH too, between
 * the two: oversim.scenario.) Writes the path found into buf (as given, when
 * found in the current folder); returns 1 if one is readable, else 0. */
int oversim_lua_find(const char *rel, char *buf, size_t n);

/* Where oversim_lua_find looks, for messages, into buf: "here or in
 * /usr/share/oversim". */
void oversim_lua_search_text(char *buf, size_t n);

/* The CSV files this state wrote (oversim.write_csv, so oversim.save too)
 * that are still on disk, as "a.csv, b.csv" in order of first write: pushed
 * and returned (valid while on the stack); NULL, nothing pushed, when none.
 * For the host's line after a failed script. (l_csv.c) */
const char *oversim_lua_written(lua_State *L);

/* --- sweeps across processes (l_dist.c) ---
 * Where the script's oversim.sweep calls run: all here (OVERSIM_DIST_LOCAL,
 * the default), only shard `shard` of `shards` of each sweep's runs, recorded
 * in parts in folder dir (OVERSIM_DIST_SHARD; the script's CSVs are not
 * written), or every run read from the parts in dir (OVERSIM_DIST_MERGE).
 * script and argv (the name=value arguments) identify the script's parts:
 * another script or other arguments are refused. After oversim_lua_setup.
 * 0, or -1 with msg (n bytes). */
enum { OVERSIM_DIST_LOCAL = 0, OVERSIM_DIST_SHARD = 1, OVERSIM_DIST_MERGE = 2,
       OVERSIM_DIST_MPI = 3 /* shard = this rank from 0, shards = the ranks (MPI builds) */ };
int oversim_lua_distribute(lua_State *L, int mode, int shard, int shards, const char *dir,
                           const char *script, int argc, char *const *argv, char *msg,
                           size_t n);

/* --- the memory limit (l_alloc.c) ---
 * One number bounds both Lua's own heap (every allocation through the state's
 * allocator) and the C memory a world or a run is estimated to need before
 * oversim.world{} / oversim.train{} / oversim.sweep{} allocate it. */
#define OVERSIM_DEFAULT_MAX_MEMORY ((size_t)4 << 30) /* 4 GiB */

/* A new state (as luaL_newstate, warnings off) whose allocator refuses to let
 * Lua hold more than max_bytes: past it Lua raises "not enough memory"
 * (status LUA_ERRMEM). oversim.max_memory(bytes) changes the limit later. The
 * allocator's bookkeeping is freed by lua_close. NULL if out of memory. */
lua_State *oversim_lua_newstate(size_t max_bytes);

/* The limit the environment asks for: OVERSIM_MAX_MEMORY in bytes, or with a
 * K, M, G or T suffix (binary: 512M = 512 x 2^20), at least 1 MiB; unset or
 * empty: OVERSIM_DEFAULT_MAX_MEMORY. 0 with *max_bytes set, or -1 with msg
 * (n bytes) saying what is wrong: "OVERSIM_MAX_MEMORY must be a number of
 * bytes, optionally with a K, M, G or T suffix (got 'lots')". */
int oversim_lua_limit_from_env(size_t *max_bytes, char *msg, size_t n);

/* The limit in force on L (a state not made by oversim_lua_newstate: the one
 * oversim.max_memory set, else the environment's). */
size_t oversim_lua_max_memory(lua_State *L);

/* When L's allocator has refused memory for the limit, a one-line message for
 * a "not enough memory" error into buf: "not enough memory: Lua's data reached
 * the memory limit of 64 MiB (set OVERSIM_MAX_MEMORY or
 * oversim.max_memory(bytes))"; returns 1. Else 0, buf untouched. */
int oversim_lua_memory_message(lua_State *L, char *buf, size_t n);

#endif
