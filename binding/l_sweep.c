/* l_sweep.c — oversim.sweep{ runs = {...}, workers = N }: many runs across
 * cores. Everything that touches Lua (reading specs, binding overseers,
 * evaluating predicates, training a recursive overseer's critics) happens
 * here on the calling thread, in run order; only train_run, which reads the
 * world and overseer and writes its own buffers, runs on the workers. Each run
 * keeps its own random stream, so the results — pushed in run order — are the
 * same for any number of workers. */
#include "l_internal.h"
#include "l_present.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static const l_field SWEEP_FIELDS[] = { { "runs", T_TAB }, { "workers", T_NUM }, { NULL, 0 } };

typedef struct pool {
    l_run *jobs;
    int n;
    atomic_int next;
    l_progress *progress; /* ticked as each run finishes, from its thread */
} pool;

static void *worker(void *ud)
{
    pool *pl = ud;
    for (;;) {
        int i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->n)
            return NULL;
        l_run *j = &pl->jobs[i];
        j->rc = train_run(j->w, j->ov, &j->p, j->rows, j->probs, j->reward, NULL, NULL,
                          &j->err);
        l_progress_tick(pl->progress);
    }
}

/* Run pl's jobs on `workers` threads (the calling thread is one of them). */
static int run_pool(pool *pl, int workers)
{
    pthread_t th[64];
    int started = 0;
    for (int k = 1; k < workers && k < 64; k++)
        if (pthread_create(&th[started], NULL, worker, pl) == 0)
            started++;
    worker(pl);
    for (int k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    return started + 1;
}

/* Append the elements of the list at from to the list at to. */
static void append_all(lua_State *L, int to, int from)
{
    lua_Integer n = luaL_len(L, to), m = luaL_len(L, from);
    for (lua_Integer i = 1; i <= m; i++) {
        lua_geti(L, from, i);
        lua_seti(L, to, n + i);
    }
}

/* oversim.sweep{ runs = { spec, ... }, workers = N } -> rows, policy, levels
 * (every run's, concatenated in the order of runs: the shape oversim.train
 * returns), runs ({ rows, policy, levels, params, spec } per run). workers
 * defaults to the number of cores. */
static int l_sweep(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    l_check_record(L, 1, SWEEP_FIELDS, "sweep", loc);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* threads: min(workers, runs) */
    int workers = l_opt_int_range(L, 1, "workers", cores > 0 && cores < INT_MAX ? (int)cores : 1,
                                  1, INT_MAX, "sweep", loc);
    lua_getfield(L, 1, "runs"); /* 3 */
    if (lua_isnil(L, 3))
        l_raise(L, loc, "field 'runs' of sweep is missing (a list of oversim.train specs)");
    lua_Integer len = luaL_len(L, 3);
    if (len > INT_MAX)
        l_raise(L, loc, "field 'runs' of sweep lists %lld runs (at most %d)", (long long)len,
                INT_MAX);
    int n = (int)len;
    void **box = l_push_box(L, free); /* 4 */
    pool pl = { calloc(n > 0 ? n : 1, sizeof(l_run)), n, 0, l_progress_of(L) };
    if (!pl.jobs)
        l_raise(L, loc, "out of memory for %d runs", n);
    *box = pl.jobs;
    lua_createtable(L, n, 0); /* 5: each run's spec and what it keeps alive */
    for (int i = 0; i < n; i++) {
        luaL_checkstack(L, 16, "too many runs");
        int top = lua_gettop(L);
        lua_createtable(L, 8, 1); /* the run's anchor */
        lua_geti(L, 3, i + 1);
        if (!lua_istable(L, -1))
            l_raise(L, loc, "entry %d of field 'runs' of sweep must be a table (got %s)",
                    i + 1, luaL_typename(L, -1));
        lua_pushvalue(L, -1);
        lua_setfield(L, top + 1, "spec");
        l_prepare_run(L, -1, &pl.jobs[i], loc, 0);
        /* move what prepare left (boxes) into the anchor */
        for (int k = top + 3, m = 1; k <= lua_gettop(L); k++, m++) {
            lua_pushvalue(L, k);
            lua_seti(L, top + 1, m);
        }
        lua_settop(L, top + 1);
        lua_seti(L, 5, i + 1);
    }
    l_progress_begin_if_idle(L, n);
    run_pool(&pl, workers < n ? workers : (n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        if (pl.jobs[i].rc)
            l_raise(L, loc, "run %d of the sweep: %s (overseer '%s', seed %llu, run %llu)",
                    i + 1, pl.jobs[i].err.msg, pl.jobs[i].overseer_name,
                    (unsigned long long)pl.jobs[i].p.seed, (unsigned long long)pl.jobs[i].run);
    /* all runs' rows, policy rows and levels, concatenated in run order (the
     * shape oversim.train returns), then each run's own results */
    lua_createtable(L, n, 0); /* 6: rows */
    lua_createtable(L, n, 0); /* 7: policy */
    lua_createtable(L, 0, 0); /* 8: levels */
    lua_createtable(L, n, 0); /* 9: runs */
    static const char *const names[] = { "rows", "policy", "levels" };
    for (int i = 0; i < n; i++) {
        lua_geti(L, 5, i + 1);
        lua_getfield(L, -1, "spec");
        int spec = lua_gettop(L);
        int k = l_push_run(L, spec, &pl.jobs[i]);
        int base = lua_gettop(L) - k; /* results at base+1 .. base+k */
        lua_createtable(L, 0, 5);
        for (int m = 0; m < k; m++) {
            lua_pushvalue(L, base + 1 + m);
            lua_setfield(L, -2, names[m]);
            append_all(L, 6 + m, base + 1 + m);
        }
        lua_getfield(L, spec, "params");
        lua_setfield(L, -2, "params");
        lua_pushvalue(L, spec);
        lua_setfield(L, -2, "spec");
        lua_seti(L, 9, i + 1);
        lua_settop(L, 9);
    }
    return 4;
}

int l_open_sweep(lua_State *L)
{
    lua_pushcfunction(L, l_sweep);
    lua_setfield(L, -2, "sweep");
    return 0;
}
