/* l_sweep.c — oversim.sweep{ runs = {...}, workers = N, checkpoint = PATH }:
 * many runs across cores, and across processes (shards of a job array and
 * their merge, l_dist.c). Everything that touches Lua (reading specs, binding
 * overseers, evaluating predicates, training a recursive overseer's critics)
 * happens here on the calling thread, in run order; only train_run, which
 * reads the world and overseer and writes its own buffers, runs on the
 * workers. Each run keeps its own random stream, so the results — pushed in
 * run order — are the same for any number of workers, shards or resumes. */
#include "l_internal.h"
#include "l_present.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csvout.h"

static const l_field SWEEP_FIELDS[] = { { "runs", T_TAB }, { "workers", T_NUM },
                                        { "checkpoint", T_STR }, { NULL, 0 } };

typedef struct pool {
    l_run *jobs;
    int n;
    atomic_int next;
    l_progress *progress; /* ticked as each run finishes, from its thread */
    l_store *out;         /* each trained run is recorded here (checkpoint, part), or NULL */
    const char *out_path;
    const int *index;     /* a job's place in the sweep */
    const uint64_t *fp;   /* its fingerprint */
    int tick_loaded;      /* count runs read back as they are reached (0: counted already) */
    atomic_int failed;    /* a run failed: take no more (its error is reported at once) */
} pool;

static void *worker(void *ud)
{
    pool *pl = ud;
    for (;;) {
        int i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->n || atomic_load(&pl->failed))
            return NULL;
        l_run *j = &pl->jobs[i];
        if (!j->loaded) {
            j->rc = train_run(j->w, j->ov, &j->p, j->rows, j->probs, j->reward, NULL, NULL,
                              &j->err);
            if (!j->rc && pl->out &&
                l_store_append(pl->out, (uint32_t)pl->index[i], pl->fp[i], j->rows,
                               (uint32_t)j->p.rounds + 1, j->probs, j->reward,
                               (uint32_t)j->w->n_cells))
                j->rc = err_set(&j->err, OS_EIO, "cannot record the run in '%s'", pl->out_path);
            if (j->rc)
                atomic_store(&pl->failed, 1);
        }
        if (!j->loaded || pl->tick_loaded)
            l_progress_tick(pl->progress);
    }
}

static void free_store(void *s) { l_store_close(s); }

/* Fill job i from the stored run r: the same sizes and fingerprint, or a
 * one-line error naming path. */
static void reuse(lua_State *L, const char *loc, const char *path, l_run *j, int index,
                  uint64_t fp, const l_stored *r)
{
    if (r->fingerprint != fp)
        l_raise(L, loc, "'%s' holds a different run %d (its settings or seed changed; the "
                "runs of a sweep must not depend on an earlier sweep's results)", path,
                index + 1);
    if (l_store_fill(r, j->rows, (uint32_t)j->p.rounds + 1, j->probs, j->reward,
                     (uint32_t)j->w->n_cells))
        l_raise(L, loc, "'%s' holds run %d with other sizes", path, index + 1);
    j->loaded = 1;
}

/* The merge: every job's run from the parts of sweep k in d->dir (any shard
 * count; the files <identity>.sweep<k>.*.part), or an error naming the runs
 * no part holds. */
static void read_parts(lua_State *L, const char *loc, const l_dist *d, int k,
                       const char *ident, l_run *jobs, const int *index, const uint64_t *fp,
                       int m)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s.sweep%d.", d->identity, k);
    DIR *dir = opendir(d->dir);
    if (!dir)
        l_raise(L, loc, "oversim merge: cannot read the parts' folder '%s'", d->dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || len < 5 ||
            strcmp(e->d_name + len - 5, ".part") != 0)
            continue;
        char path[4096], msg[512];
        snprintf(path, sizeof path, "%s/%s", d->dir, e->d_name);
        l_store *s = l_store_open(path, ident, 0, msg, sizeof msg);
        if (!s) {
            closedir(dir);
            l_raise(L, loc, "oversim merge: %s", msg);
        }
        files++;
        for (int i = 0; i < m; i++) {
            const l_stored *r = jobs[i].loaded ? NULL : l_store_find(s, (uint32_t)index[i]);
            if (r)
                reuse(L, loc, path, &jobs[i], index[i], fp[i], r);
        }
        l_store_close(s);
    }
    closedir(dir);
    int missing = 0, first = -1;
    for (int i = 0; i < m; i++)
        if (!jobs[i].loaded && missing++ == 0)
            first = index[i];
    if (missing)
        l_raise(L, loc, "oversim merge: sweep %d: %d of its %d runs (the first: run %d) are in "
                "no part in '%s' (%d part files for this script and arguments; did every "
                "shard finish?)", k, missing, m, first + 1, d->dir, files);
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

/* The results of jobs[0..m) (their anchors in the table at stack index 5):
 * all runs' rows, policy rows and levels, concatenated in run order (the shape
 * oversim.train returns), then each run's own results. Returns 4. */
static int push_results(lua_State *L, l_run *jobs, int m)
{
    lua_settop(L, 5);
    lua_createtable(L, m, 0); /* 6: rows */
    lua_createtable(L, m, 0); /* 7: policy */
    lua_createtable(L, 0, 0); /* 8: levels */
    lua_createtable(L, m, 0); /* 9: runs */
    static const char *const names[] = { "rows", "policy", "levels" };
    for (int i = 0; i < m; i++) {
        lua_geti(L, 5, i + 1);
        lua_getfield(L, -1, "spec");
        int spec = lua_gettop(L);
        int kk = l_push_run(L, spec, &jobs[i]);
        int base = lua_gettop(L) - kk; /* results at base+1 .. base+kk */
        lua_createtable(L, 0, 5);
        for (int mm = 0; mm < kk; mm++) {
            lua_pushvalue(L, base + 1 + mm);
            lua_setfield(L, -2, names[mm]);
            append_all(L, 6 + mm, base + 1 + mm);
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

/* Prepare run i (entry i + 1 of the runs list at stack index 3) into *j with
 * its anchor appended to the table at 5; its fingerprint. */
static uint64_t prepare(lua_State *L, const char *loc, int i, l_run *j, int slot)
{
    luaL_checkstack(L, 16, "too many runs");
    int top = lua_gettop(L);
    lua_createtable(L, 8, 1); /* the run's anchor */
    lua_geti(L, 3, i + 1);
    if (!lua_istable(L, -1))
        l_raise(L, loc, "entry %d of field 'runs' of sweep must be a table (got %s)", i + 1,
                luaL_typename(L, -1));
    lua_pushvalue(L, -1);
    lua_setfield(L, top + 1, "spec");
    l_prepare_run(L, -1, j, loc, 0);
    uint64_t fp = l_run_fingerprint(L, top + 2, j);
    /* move what prepare left (boxes) into the anchor */
    for (int kk = top + 3, mm = 1; kk <= lua_gettop(L); kk++, mm++) {
        lua_pushvalue(L, kk);
        lua_seti(L, top + 1, mm);
    }
    lua_settop(L, top + 1);
    lua_seti(L, 5, slot + 1);
    return fp;
}

#ifdef OVERSIM_MPI
/* An MPI worker rank's sweep: train the runs rank 0 hands out, one at a time
 * (each prepared with the run id it has in one process), send each back, and
 * return them. */
static int mpi_worker(lua_State *L, const char *loc, int k, int n)
{
    size_t slot = sizeof(l_run) + sizeof(long long); /* < 2^10 */
    unsigned char *mem = calloc(n > 0 ? (size_t)n : 1, slot);
    if (!mem)
        l_raise(L, loc, "out of memory for %d runs", n);
    *l_push_box(L, free) = mem; /* 4 */
    l_run *jobs = (l_run *)mem;
    long long *before = (long long *)(mem + (size_t)n * sizeof(l_run));
    lua_createtable(L, 0, 0); /* 5 */
    for (int i = 0; i < n; i++) { /* the id each run gets in one process */
        before[i] = l_run_counter(L);
        if (lua_geti(L, 3, i + 1) == LUA_TTABLE)
            l_skip_run_id(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    long long after = l_run_counter(L);
    int m = 0, prev = -1;
    uint64_t fp = 0;
    for (;;) {
        int i = l_mpi_next(L, loc, k, prev, m > 0 ? &jobs[m - 1] : NULL, fp);
        if (i < 0 || i >= n)
            break;
        l_set_run_counter(L, before[i]);
        l_run *j = &jobs[m];
        fp = prepare(L, loc, i, j, m);
        j->rc = train_run(j->w, j->ov, &j->p, j->rows, j->probs, j->reward, NULL, NULL,
                          &j->err);
        prev = i;
        m++;
    }
    l_set_run_counter(L, after);
    return push_results(L, jobs, m);
}
#endif

/* oversim.sweep{ runs = { spec, ... }, workers = N, checkpoint = PATH } ->
 * rows, policy, levels (every run's, concatenated in the order of runs: the
 * shape oversim.train returns), runs ({ rows, policy, levels, params, spec }
 * per run). workers defaults to the number of cores. In a shard, only its
 * share of the runs (l_dist.c). */
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
    const char *checkpoint = l_opt_string(L, 1, "checkpoint", NULL, "sweep", loc);
    lua_getfield(L, 1, "runs"); /* 3 */
    if (lua_isnil(L, 3))
        l_raise(L, loc, "field 'runs' of sweep is missing (a list of oversim.train specs)");
    lua_Integer len = luaL_len(L, 3);
    if (len > INT_MAX / 2)
        l_raise(L, loc, "field 'runs' of sweep lists %lld runs (at most %d)", (long long)len,
                INT_MAX / 2);
    int n = (int)len;
    l_dist *d = l_dist_of(L);
    int k = ++d->sweeps;
    int shard = d->mode == L_DIST_SHARD;
    int tick_loaded = 1; /* 0: the runs were counted as they came back (MPI) */
#ifdef OVERSIM_MPI
    l_store *gathered = NULL; /* rank 0: every run, as the workers sent them */
    if (d->mode == L_DIST_MPI && d->rank != 0) {
        if (checkpoint)
            l_raise(L, loc, "field 'checkpoint' of sweep: not under MPI (a rank's runs are "
                    "gathered by rank 0 as they finish)");
        return mpi_worker(L, loc, k, n);
    }
    if (d->mode == L_DIST_MPI) {
        if (checkpoint)
            l_raise(L, loc, "field 'checkpoint' of sweep: not under MPI (a rank's runs are "
                    "gathered by rank 0 as they finish)");
        l_store **gb = (l_store **)l_push_box(L, free_store);
        if (!(*gb = gathered = calloc(1, sizeof **gb)))
            l_raise(L, loc, "out of memory");
        lua_setfield(L, LUA_REGISTRYINDEX, "oversim.mpi.gathered"); /* alive until the next */
        l_progress_begin_if_idle(L, n); /* ticked as the ranks' runs come back */
        l_mpi_dispatch(L, loc, k, n, gathered);
        tick_loaded = 0;
    }
#endif
    /* this process's runs: all, or a shard's share (run i to shard i mod N + 1) */
    int m = 0;
    for (int i = 0; i < n; i++)
        m += !shard || i % d->shards == d->shard - 1;
    void **box = l_push_box(L, free); /* 4 */
    size_t slot = sizeof(l_run) + sizeof(int) + sizeof(uint64_t); /* < 2^10: no overflow */
    unsigned char *mem = calloc(m > 0 ? (size_t)m : 1, slot);
    if (!mem)
        l_raise(L, loc, "out of memory for %d runs", m);
    *box = mem;
    l_run *jobs = (l_run *)mem;
    uint64_t *fp = (uint64_t *)(mem + (size_t)m * sizeof(l_run));
    int *index = (int *)(fp + m);
    pool pl = { jobs, m, 0, l_progress_of(L), NULL, NULL, index, fp, tick_loaded, 0 };
    lua_createtable(L, m, 0); /* 5: each run's spec and what it keeps alive */
    for (int i = 0, s = 0; i < n; i++) {
        if (shard && i % d->shards != d->shard - 1) {
            if (lua_geti(L, 3, i + 1) == LUA_TTABLE)
                l_skip_run_id(L, lua_gettop(L)); /* its id, as in one process */
            lua_pop(L, 1);
            continue;
        }
        index[s] = i;
        fp[s] = prepare(L, loc, i, &jobs[s], s);
        s++;
    }
    /* what is already done: a checkpoint's or this shard's part's runs (then
     * recorded there as they finish), or in a merge every run from the parts */
    char ident[128], path[4096], msg[4608];
    snprintf(ident, sizeof ident, "%s sweep %d of %d runs", d->identity, k, n);
    if (shard && checkpoint)
        l_raise(L, loc, "field 'checkpoint' of sweep: a shard records its runs in its part "
                "(in '%s') already; leave checkpoint out of sharded runs", d->dir);
    if (shard) {
        snprintf(path, sizeof path, "%s/%s.sweep%d.%dof%d.part", d->dir, d->identity, k,
                 d->shard, d->shards);
        os_err err;
        if (csvout_check_folder(path, &err))
            l_raise(L, loc, "%s", err.msg);
    } else if (checkpoint) {
        snprintf(path, sizeof path, "%s", checkpoint);
    }
    if (shard || checkpoint) {
        l_store **sb = (l_store **)l_push_box(L, free_store);
        if (!(*sb = pl.out = l_store_open(path, ident, 1, msg, sizeof msg)))
            l_raise(L, loc, "%s of sweep: %s", shard ? "part" : "field 'checkpoint'", msg);
        pl.out_path = path;
        for (int i = 0; i < m; i++) {
            const l_stored *r = l_store_find(pl.out, (uint32_t)index[i]);
            if (r)
                reuse(L, loc, path, &jobs[i], index[i], fp[i], r);
        }
        lua_setfield(L, 5, "store"); /* kept alive by the runs' table; closed by the GC */
    }
    if (d->mode == L_DIST_MERGE)
        read_parts(L, loc, d, k, ident, jobs, index, fp, m);
#ifdef OVERSIM_MPI
    for (int i = 0; gathered && i < m; i++) {
        const l_stored *r = l_store_find(gathered, (uint32_t)index[i]);
        if (!r)
            l_raise(L, loc, "MPI: run %d never came back", index[i] + 1);
        reuse(L, loc, "the run an MPI rank sent", &jobs[i], index[i], fp[i], r);
    }
#endif
    if (tick_loaded) /* under MPI rank 0 counted the runs as they came back */
        l_progress_begin_if_idle(L, m);
    run_pool(&pl, workers < m ? workers : (m > 0 ? m : 1));
    if (pl.out) {
        fclose(pl.out->f); /* every record is on disk already (fdatasync'ed) */
        pl.out->f = NULL;
    }
    for (int i = 0; i < m; i++)
        if (jobs[i].rc)
            l_raise(L, loc, "run %d of the sweep: %s (overseer '%s', seed %llu, run %llu)",
                    index[i] + 1, jobs[i].err.msg, jobs[i].overseer_name,
                    (unsigned long long)jobs[i].p.seed, (unsigned long long)jobs[i].run);
    return push_results(L, jobs, m);
}

int l_open_sweep(lua_State *L)
{
    lua_pushcfunction(L, l_sweep);
    lua_setfield(L, -2, "sweep");
    return l_open_dist(L);
}
