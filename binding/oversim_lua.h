/* oversim_lua.h — the Lua binding of oversim: the only layer that speaks Lua.
 * Owns: the `oversim` module (worlds, overseers, training runs, CSV output,
 *       scenario loading) and the setup a host (the CLI, the tests) does on a
 *       fresh lua_State.
 * Uses: the core headers in core/ and Lua 5.4. See README.md for the Lua API. */
#ifndef OVERSIM_LUA_H
#define OVERSIM_LUA_H

#include <lua.h>

/* Entry point for require "oversim": pushes the module table. */
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

/* Find one of oversim's own files by its path relative to the source tree
 * (e.g. "analysis/plot.lua"): in the current folder, else in the source
 * folder oversim was built from. Writes the path found (or the last one
 * tried) into buf; returns 1 if it is readable, else 0. (l_readcsv.c) */
int oversim_lua_find(const char *rel, char *buf, size_t n);

/* The CSV files this state wrote (oversim.write_csv, so oversim.save too)
 * that are still on disk, as "a.csv, b.csv" in order of first write: pushed
 * and returned (valid while on the stack); NULL, nothing pushed, when none.
 * For the host's line after a failed script. (l_csv.c) */
const char *oversim_lua_written(lua_State *L);

#endif
