/* l_present.h — what the binding's presentation files share with the rest of
 * the binding (not public): the progress display (l_progress.c) and reading
 * CSV back (l_readcsv.c).
 * Uses: Lua 5.4. Host-facing functions are in oversim_lua.h. */
#ifndef OVERSIM_L_PRESENT_H
#define OVERSIM_L_PRESENT_H

#include <lua.h>

/* Add oversim.progress, oversim.isatty and oversim.sleep to the module at -1. */
int l_open_progress(lua_State *L);
/* Add oversim.read_csv to the module at -1. */
int l_open_readcsv(lua_State *L);

/* One training run finished: advance the declared progress total (if any) and
 * redraw the display. Never raises; does nothing when no total was declared. */
void l_progress_run_done(lua_State *L);

/* A training run starts (oversim.train), and has finished round t of T: after
 * a second, a long run shows its rounds. Never raise. */
void l_progress_run_start(lua_State *L);
void l_progress_round(lua_State *L, int t, int T);

/* For a sweep's worker threads: the state's progress record, fetched on the
 * Lua thread before the workers start, and a thread-safe tick (one run done,
 * drawn as it happens). */
typedef struct l_progress l_progress;
/* A sweep of `total` runs counts them itself unless the script declared a
 * total (oversim.progress) that is still running. */
void l_progress_begin_if_idle(lua_State *L, long long total);
l_progress *l_progress_of(lua_State *L);
void l_progress_tick(l_progress *p);

#endif
