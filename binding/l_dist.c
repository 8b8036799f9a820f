/* l_dist.c — where a script's sweeps run: in this process (local), as one
 * shard of a job array (`oversim run FILE --shard I/N`, or Slurm's array
 * variables), or merged from the shards' parts (`oversim merge FILE`).
 * Owns: the per-state record (l_dist), the script's identity (its bytes and
 * arguments, hashed: parts and checkpoints of another script or other
 * arguments are refused), a run's fingerprint, oversim.shard().
 *
 * A shard runs the whole script, but every oversim.sweep trains only its
 * share of the runs (run i, counted from 0, belongs to shard i mod N + 1),
 * records each finished run in its part file (l_store.c: DIR/<identity>.
 * sweep<k>.<I>of<N>.part, fdatasync'ed run by run, so a shard killed midway
 * resumes where it stopped) and returns that share; the script's CSVs are
 * not written by a shard (oversim.write_csv says so on stderr). The merge
 * runs the script once more with every sweep reading its runs from the parts
 * instead of training them, so it writes exactly the bytes one process would.
 * That assumes what a script's sweeps run does not depend on an earlier
 * sweep's results (the merge checks each run's fingerprint and refuses a run
 * no part holds). */
#include "oversim_lua.h"
#include "l_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIST_REGISTRY "oversim.dist"

l_dist *l_dist_of(lua_State *L)
{
    l_dist *d;
    if (lua_getfield(L, LUA_REGISTRYINDEX, DIST_REGISTRY) == LUA_TUSERDATA) {
        d = lua_touserdata(L, -1);
    } else {
        lua_pop(L, 1);
        d = lua_newuserdatauv(L, sizeof *d, 0);
        memset(d, 0, sizeof *d);
        snprintf(d->identity, sizeof d->identity, "local");
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, DIST_REGISTRY);
    }
    lua_pop(L, 1); /* the registry keeps it alive */
    return d;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int oversim_lua_distribute(lua_State *L, int mode, int shard, int shards, const char *dir,
                           const char *script, int argc, char *const *argv, char *msg,
                           size_t n)
{
    if (mode == L_DIST_MPI) { /* shard, shards: this rank (from 0) and the ranks */
        l_dist *d = l_dist_of(L);
        d->mode = shards > 1 ? L_DIST_MPI : L_DIST_LOCAL;
        d->rank = shard, d->ranks = shards;
        return 0;
    }
    if (mode == L_DIST_SHARD && !(shards >= 1 && shard >= 1 && shard <= shards)) {
        snprintf(msg, n, "--shard takes I/N with 1 <= I <= N (got %d/%d)", shard, shards);
        return -1;
    }
    if (mode != L_DIST_LOCAL && (!dir || !*dir || strlen(dir) >= sizeof(((l_dist *)0)->dir))) {
        snprintf(msg, n, "the parts' folder needs a name shorter than %zu bytes",
                 sizeof(((l_dist *)0)->dir));
        return -1;
    }
    /* identity: the script's bytes, then its arguments sorted (their order on
     * the command line does not matter to the script) */
    uint64_t h = 0xcbf29ce484222325ull;
    FILE *f = fopen(script, "rb");
    if (!f && mode == L_DIST_LOCAL)
        return 0; /* running it will say what is wrong with it */
    if (!f) {
        snprintf(msg, n, "cannot read '%s': %s", script, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        h = l_fnv1a(h, buf, k);
    fclose(f);
    char **sorted = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *sorted);
    if (!sorted) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    for (int i = 0; i < argc; i++)
        sorted[i] = argv[i];
    qsort(sorted, (size_t)argc, sizeof *sorted, compare_strings);
    for (int i = 0; i < argc; i++)
        h = l_fnv1a(h, sorted[i], strlen(sorted[i]) + 1);
    free(sorted);
    l_dist *d = l_dist_of(L);
    d->mode = mode;
    d->shard = shard;
    d->shards = shards;
    d->sweeps = 0;
    snprintf(d->identity, sizeof d->identity, "%016llx", (unsigned long long)h);
    if (dir)
        snprintf(d->dir, sizeof d->dir, "%s", dir);
    return 0;
}

int l_dist_writes(const l_dist *d)
{
    return d->mode != L_DIST_SHARD && !(d->mode == L_DIST_MPI && d->rank != 0);
}

/* oversim.shard() -> I, N in a shard; nil otherwise */
static int l_shard(lua_State *L)
{
    const l_dist *d = l_dist_of(L);
    if (d->mode != L_DIST_SHARD) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, d->shard);
    lua_pushinteger(L, d->shards);
    return 2;
}

/* oversim.writes() -> whether this process writes the script's files: false
 * in a shard and on MPI ranks other than 0 (their share is written by the
 * merge, or by rank 0) */
static int l_writes(lua_State *L)
{
    lua_pushboolean(L, l_dist_writes(l_dist_of(L)));
    return 1;
}

int l_open_dist(lua_State *L)
{
    lua_pushcfunction(L, l_shard);
    lua_setfield(L, -2, "shard");
    lua_pushcfunction(L, l_writes);
    lua_setfield(L, -2, "writes");
    return 0;
}

/* the keys of the table at idx, sorted */
static int sorted_keys(lua_State *L, int idx, const char **keys, int cap)
{
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && n < cap)
            keys[n++] = lua_tostring(L, -1); /* the table keeps the string alive */
    }
    qsort(keys, (size_t)n, sizeof *keys, compare_strings);
    return n;
}

uint64_t l_run_fingerprint(lua_State *L, int spec, const l_run *j)
{
    spec = lua_absindex(L, spec);
    char head[512];
    snprintf(head, sizeof head, "%s|%s|%llu|%llu|%llu|%d|%d|%d|%ld", j->scenario,
             j->overseer_name, (unsigned long long)j->p.seed, (unsigned long long)j->p.run_id,
             (unsigned long long)j->run, j->p.rounds, j->w->n_ctx, j->w->n_cells,
             j->p.deploy_episodes);
    uint64_t h = l_fnv1a(0xcbf29ce484222325ull, head, strlen(head));
    l_push_columns(L, spec, j);
    int t = lua_gettop(L);
    const char *keys[256];
    int n = sorted_keys(L, t, keys, 256);
    for (int i = 0; i < n; i++) {
        lua_getfield(L, t, keys[i]);
        const char *v = luaL_tolstring(L, -1, NULL);
        h = l_fnv1a(h, keys[i], strlen(keys[i]) + 1);
        h = l_fnv1a(h, v, strlen(v) + 1);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    return h;
}
