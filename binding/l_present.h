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

#endif
