/* l_internal.h — what the binding's files share with each other (not public).
 * Owns: userdata layouts and metatable names, field validation helpers
 *       (known keys with "did you mean", typed optional fields, locations).
 * Uses: Lua 5.4, the core. */
#ifndef OVERSIM_L_INTERNAL_H
#define OVERSIM_L_INTERNAL_H

#include <lua.h>
#include <lauxlib.h>
#include <pthread.h>
#include <stdio.h>
#include "world.h"
#include "overseer.h"

#define WORLD_MT "oversim.World"
#define OVERSEER_MT "oversim.Overseer"
#define BOX_MT "oversim.Box"
#define LOC_REGISTRY "oversim.locations"

/* --- locations and errors (l_check.c) --- */

/* Push "file:line:" of the Lua code that called the running C function. */
void l_push_where(lua_State *L);
/* Remember loc (a string) as the place where table at idx was written. */
void l_set_location(lua_State *L, int idx, const char *loc);
/* The remembered location of the table at idx, or fallback. The string stays
 * valid while the table is alive. */
const char *l_location(lua_State *L, int idx, const char *fallback);
/* Raise "loc msg" as a Lua error (loc may be NULL: the caller's position). */
int l_raise(lua_State *L, const char *loc, const char *fmt, ...);

/* --- record tables (l_check.c) --- */

/* Types a field may have, as bits. */
enum { T_NUM = 1, T_STR = 2, T_TAB = 4, T_FUN = 8, T_BOOL = 16, T_UD = 32, T_ANY = 63 };
typedef struct l_field {
    const char *name;
    int types;
} l_field;

/* Check that the table at idx has only string keys listed in fields (NULL
 * terminated) with allowed types. `what` names the record ("behaviour 'bluff'").
 * Errors: "unknown key 'x' in <what> (did you mean 'y'?)", "field 'x' of
 * <what> must be a number (got string)". */
void l_check_record(lua_State *L, int idx, const l_field *fields, const char *what,
                    const char *loc);

/* Optional number field of the table at idx, or def; checks finiteness unless
 * allow_inf. */
double l_opt_number(lua_State *L, int idx, const char *field, double def,
                    const char *what, const char *loc, int allow_inf);
/* Same, and must lie in [lo, hi]. */
double l_opt_range(lua_State *L, int idx, const char *field, double def, double lo,
                   double hi, const char *what, const char *loc);
/* Optional integer field >= lo. */
long long l_opt_int(lua_State *L, int idx, const char *field, long long def,
                    long long lo, const char *what, const char *loc);
/* Optional string field (pointer valid while the table lives), or def. */
const char *l_opt_string(lua_State *L, int idx, const char *field, const char *def,
                         const char *what, const char *loc);
/* Optional option field: index in opts (NULL terminated) or error listing them. */
int l_opt_option(lua_State *L, int idx, const char *field, const char *def,
                 const char *const *opts, const char *what, const char *loc);

/* The known key closest to `key` (edit distance), or NULL if none is close. */
const char *l_closest(const char *key, const char *const *known);
/* The same over the first n names of known (no terminator needed). */
const char *l_closest_n(const char *key, const char *const *known, int n);

/* --- where oversim's own files are (l_paths.c) --- */
/* The i-th folder searched for one of oversim's files (from 0): "." (the
 * current folder), then for a scenario (scenarios != 0) each folder of
 * OVERSIM_PATH (written into buf; empty entries skipped), then
 * oversim_lua_home(); NULL past the last. OVERSIM_PATH is for scenarios
 * only: they run sandboxed, while a program found there (analysis/plot.lua)
 * would run with the whole library. */
const char *l_search_folder(int i, int scenarios, char *buf, size_t n);
/* rel (e.g. "scenarios/x.lua") in the first of those folders that has it
 * readable, into buf (as given when in the current folder): 1, else 0. */
int l_find(const char *rel, int scenarios, char *buf, size_t n);
/* Those folders for messages: "here, in /a or in /usr/share/oversim". */
void l_search_text(int scenarios, char *buf, size_t n);

/* --- generic owner of a C pointer, freed by the GC (l_check.c) --- */
/* Push a box that frees p with fn when collected; returns the slot. */
void **l_push_box(lua_State *L, void (*fn)(void *));

/* --- worlds (l_world.c) --- */
/* world{}'s checks before building (l_features.c): the memory the world of the
 * spec at spec needs, from the lengths of its contexts (stack index 3) and
 * behaviours (4) lists and its features' kind, against the limit; errors at
 * loc. */
void l_check_world_counts(lua_State *L, int spec, const char *loc);
/* The spec's `features` into w (before world_finalize): views is the stack
 * index of the context views a feature function is called with. */
void l_read_features(lua_State *L, world *w, int spec, int views, const char *wloc);
/* oversim.check_world_size(contexts, behaviours [, features]) -> bytes */
int l_check_world_size(lua_State *L);
typedef struct l_world {
    world *w;      /* NULL while half-built */
    char name[128];
} l_world;
l_world *l_check_world(lua_State *L, int idx);
/* Push the Lua view of context c (a fresh table: name, weight, difficulty,
 * tags) — what scenario functions and predicates receive. */
void l_push_context(lua_State *L, const world *w, int c);
int l_open_world(lua_State *L); /* registers WORLD_MT and adds functions to the module at -1 */

/* --- overseers (l_overseer.c) --- */
#include "recursion.h"
#include "debate.h"
typedef struct l_overseer {
    overseer_params p;
    int recursive;          /* kind 'recursive': p.kind is ASSISTED, critics in rp */
    recursion_params rp;
    debate_params dp;       /* kind 'debate' (p.kind DEBATE) */
    char name[128];
    char loc[256];   /* where it was made, for errors found when it is bound */
} l_overseer;
l_overseer *l_check_overseer(lua_State *L, int idx);
/* Build the core overseer of o (at idx) for world w, evaluating its
 * misconceptions and knows/wrong predicates; for a recursive overseer, train
 * its critics first, with streams from (seed, run) (*rec receives them, else
 * NULL); for a debate, build its debate (trained debaters trained on (seed,
 * run)'s sub-stream: debate.h), which overseer_debate(result) returns.
 * Raises Lua errors. Everything returned is owned by boxes pushed on the
 * stack. */
/* The judge of a `debate` overseer o (at idx) on w, with its misconceptions
 * and predicates, and no bandit debate: for episodes, whose debates are
 * played per pair of segments (epjudge.h). Boxed on the stack as above. */
overseer *l_bind_debate_judge(lua_State *L, int idx, const world *w);
overseer *l_bind_overseer(lua_State *L, int idx, const world *w, uint64_t seed,
                          uint64_t run, const recursion **rec);
/* Raise at loc (the train or debate call) when overseer o cannot judge world
 * w (named world_name): a debate on a world with no hidden facts. */
void l_check_overseer_world(lua_State *L, const l_overseer *o, const world *w,
                            const char *world_name, const char *loc);
int l_open_overseer(lua_State *L);

/* --- training and output (l_train.c, l_sweep.c, l_csv.c) --- */
#include "train.h"
/* rounds, labels_per_round, reward_model{}, policy{} of the table at idx onto
 * p (checked; errors name `what`). */
void l_read_training(lua_State *L, int idx, const char *what, const char *loc,
                     train_params *p);

/* One run, prepared on the Lua side and runnable by train_run on any thread. */
/* A run's red team as the script set it (l_redteam.c): realism and cue build
 * its world; budget and search are in the training parameters. */
typedef struct l_redteam_info {
    int on;
    double realism, cue;
} l_redteam_info;

typedef struct l_run {
    const world *w;        /* the scenario's world, or the red team's built from it */
    l_redteam_info redteam;
    overseer *ov;
    const recursion *rec;
    train_params p;
    uint64_t run;
    const char *scenario, *overseer_name, *loc;
    metrics_row *rows;
    double *probs, *reward;
    int rc;
    int loaded;            /* results read from a checkpoint or part: not trained */
    os_err err;
} l_run;
void l_prepare_run(lua_State *L, int spec, l_run *j, const char *loc, int allow_callback);
/* A run a shard leaves to another: move the run-id counter past it as
 * l_prepare_run would, so every run gets the id it gets in one process. */
void l_skip_run_id(lua_State *L, int spec);
/* The run-id counter (the next automatic id), read and set: an MPI worker
 * prepares the runs it is handed in any order, each with its own id. */
long long l_run_counter(lua_State *L);
void l_set_run_counter(lua_State *L, long long next);

/* --- finished runs on disk (l_store.c): checkpoints and shards' parts --- */
typedef struct l_stored {
    uint32_t index;        /* the run's place in its sweep, from 0 */
    uint64_t fingerprint;  /* l_run_fingerprint of the run that wrote it */
    uint32_t rows, cells;
    unsigned char *data;   /* rows, then probs, then reward */
} l_stored;
typedef struct l_store {
    FILE *f;               /* open for appending, or NULL (read only) */
    l_stored *rec;
    int n, cap;
    pthread_mutex_t lock;  /* appends come from the sweep's worker threads */
    int lock_ready;
} l_store;
/* FNV-1a 64 of n bytes, continuing from h. */
uint64_t l_fnv1a(uint64_t h, const void *data, size_t n);
/* Open (writable: create if missing, drop a cut-short last record, append
 * after the good ones) or read a file of runs whose header must name
 * `identity`; NULL with msg on any mismatch or I/O error. */
l_store *l_store_open(const char *path, const char *identity, int writable, char *msg,
                      size_t n);
void l_store_close(l_store *s);
const l_stored *l_store_find(const l_store *s, uint32_t index);
/* One finished run, written whole and fdatasync'ed; thread-safe. 0 or -1. */
int l_store_append(l_store *s, uint32_t index, uint64_t fingerprint, const metrics_row *rows,
                   uint32_t nrows, const double *probs, const double *reward, uint32_t cells);
/* Copy a stored run into a run's buffers; -1 when its sizes differ. */
int l_store_fill(const l_stored *r, metrics_row *rows, uint32_t nrows, double *probs,
                 double *reward, uint32_t cells);

/* --- where a script's sweeps run (l_dist.c) --- */
enum { L_DIST_LOCAL = 0, L_DIST_SHARD = 1, L_DIST_MERGE = 2, L_DIST_MPI = 3 };
typedef struct l_dist {
    int mode;              /* L_DIST_* */
    int shard, shards;     /* this process's shard, 1..shards */
    int sweeps;            /* sweeps begun so far by the script */
    int rank, ranks;       /* MPI: this rank (0 gathers and writes) of ranks */
    char dir[2048];        /* the parts' folder */
    char identity[64];     /* the script's bytes and arguments, hashed */
} l_dist;
/* The state's record (local mode unless the host set another). */
l_dist *l_dist_of(lua_State *L);
/* A run's fingerprint: its ids, seed, stream, size and configuration columns
 * (l_push_columns), so a stored run is only reused for the same run. */
uint64_t l_run_fingerprint(lua_State *L, int spec, const l_run *j);
/* oversim.shard() -> shard, shards (nil in a process that is not a shard) */
int l_open_dist(lua_State *L);
/* 1 when this process writes the script's files: not a shard, not an MPI
 * worker rank. */
int l_dist_writes(const l_dist *d);

/* --- MPI (l_mpi.c; built with -DOVERSIM_MPI=ON) ---
 * Rank 0 hands out a sweep's run indices as ranks ask (dynamic balance),
 * gathers each finished run into mem (records as in a store) and raises a
 * worker's failure; ranks 1.. train what they are handed. */
void l_mpi_dispatch(lua_State *L, const char *loc, int sweep, int n, l_store *mem);
/* A worker: the next run index to train (-1: the sweep is done), after
 * sending the previous one's result (index >= 0, results of rc 0) or failure. */
int l_mpi_next(lua_State *L, const char *loc, int sweep, int prev, const l_run *j,
               uint64_t fp);
/* Store a record in memory (no file): for rank 0's gathered runs. */
int l_store_add(l_store *s, uint32_t index, uint64_t fp, uint32_t rows, uint32_t cells,
                unsigned char *data);
/* The red_team{} field of the run spec at spec, if any: its budget, search,
 * pool and cost into p, realism and cue into info, and the world the red team
 * trains in, built from w and kept alive by a box pushed on the stack;
 * without the field, w itself (nothing pushed). Errors at loc. (l_redteam.c) */
const world *l_read_red_team(lua_State *L, int spec, const world *w, const char *loc,
                             train_params *p, l_redteam_info *info);
/* The ids and configuration every row of a run carries (l_rows.c). */
typedef struct l_run_info {
    const char *scenario, *overseer;
    uint64_t seed, run;
    int columns;  /* stack index of the run's configuration columns, or 0 */
} l_run_info;
/* A round's row: ids, then the metric columns (core/metrics.h's one list;
 * an optional metric that is not available is left out: an empty cell), then
 * the configuration. */
void l_push_round_row(lua_State *L, const l_run_info *ri, const metrics_row *r);
/* Push the results of run j (described by the table at spec): rows, final
 * policy rows and, for a recursive overseer, its levels. Returns how many. */
int l_push_run(lua_State *L, int spec, const l_run *j);
/* Push the configuration columns of run j (described by the table at spec):
 * the overseer's kind and parameters, the training's method, kl_coef,
 * labels_per_round, model kinds, and what differs from defaults; then the
 * spec's params on top. (l_config.c) */
void l_push_columns(lua_State *L, int spec, const l_run *j);
/* Push a table of the overseer's configuration columns, as a run's rows
 * carry them (overseer_kind, competence, ...). (l_config.c) */
void l_push_overseer_columns(lua_State *L, const l_overseer *o);
/* Push a setting for a row: an integer when whole, "inf" / "-inf" when
 * infinite (write_csv refuses infinite numbers; read_csv reads "inf" back as
 * math.huge), else the number. (l_config.c) */
void l_push_setting(lua_State *L, double v);
/* "oracle", "human", "assisted", "debate" or "recursive" (l_config.c) */
const char *l_overseer_kind_name(const l_overseer *o);
/* o.name, o.kind, o:info(); w.name (l_config.c; after l_open_world and
 * l_open_overseer) */
int l_open_config(lua_State *L);
void l_raise_run(lua_State *L, const l_run *j);
int l_open_sweep(lua_State *L);
int l_open_train(lua_State *L);
int l_open_csv(lua_State *L);
/* 1 if name is an id, key or metric column (a run's rows set it; a script's
 * params may not). (l_csv.c) */
int l_is_measured_column(const char *name);

/* --- debates on their own (l_debate.c) --- */
/* oversim.debate, added to the module at -1 */
int l_open_debate(lua_State *L);

/* --- AI-control protocols (l_control.c) --- */
/* oversim.control, added to the module at -1 */
int l_open_control(lua_State *L);
int l_open_w2s(lua_State *L); /* oversim.reward_quality, oversim.pgr (l_w2s.c) */
/* --- episodes (l_episodes.c, l_mdp.c) --- */
#include "gridworld.h"
#define EPISODES_MT "oversim.Episodes"
typedef struct l_episodes {
    gridworld *g;  /* a gridworld (owns its mdp), or NULL */
    mdp *own;      /* an mdp of oversim.mdp{} (NULL while half-built) */
    const mdp *m;  /* the episodes' mdp: g->m or own; NULL while half-built */
    char name[128];
} l_episodes;
/* oversim.mdp{...} (l_mdp.c) */
int l_mdp_new(lua_State *L);
/* oversim.gridworld, oversim.mdp, oversim.train_episodes, and the
 * oversim.Episodes type (l_episodes.c) */
int l_open_episodes(lua_State *L);
/* Push the policy table of a finished run on e (l_eppolicy.c): per state
 * and available action, the final policy pi (H tables) averaged over the
 * steps it acts there weighted by occupancy, the state's expected visits,
 * the final reward model, v* and looks; a gridworld's rows add row, col
 * (1-based), supervised, tomatoes. Raises at loc on failure. */
int l_push_episode_policy(lua_State *L, const l_episodes *e, const char *overseer,
                          uint64_t seed, uint64_t run, const double *pi, const double *reward,
                          const char *loc);
int l_open_compare(lua_State *L); /* oversim.compare (l_compare.c) */

/* --- the scenario sandbox and loading Lua source only (l_sandbox.c) --- */
/* Load the file at path (NULL: stdin) as a chunk named by its path, in Lua
 * source only: luaL_loadfilex(L, path, "t"), except that a binary chunk's
 * message names the file ("x.luac: binary chunks are not allowed (oversim
 * loads Lua source only)"). Returns the Lua status; pushes the function, or
 * the message. */
int l_load_text_file(lua_State *L, const char *path);
/* Replace the globals load, loadfile, dofile and require's searcher for Lua
 * files (package.searchers[2]) by versions that load Lua source only: a
 * binary chunk is an error naming the caller's line or the file. */
void l_text_only_globals(lua_State *L);
/* Take the sandbox's pristine copies: the allowed builtins and libraries from
 * the global table as they are now, the allowed functions of the module at
 * index module, and `scenario` as the sandbox's oversim.scenario (a closure
 * with upvalue true: "called from a sandbox"). Called by luaopen_oversim. */
void l_sandbox_init(lua_State *L, int module, lua_CFunction scenario);
/* The seed of the math.random each sandbox gets (default 1). */
void l_sandbox_seed(lua_State *L, long long seed);
/* Push a fresh environment for one scenario file: the allow lists of
 * l_sandbox.c, copies of its libraries, a math of its own; reading any other
 * name, or setting a global, raises an error at the scenario's line. */
void l_sandbox_push_env(lua_State *L);

/* --- sizes and the memory limit (l_check.c, l_alloc.c) --- */
#include "size.h"

/* Optional int field of the table at idx, or def, in [lo, hi] (INT_MIN <= lo
 * <= hi <= INT_MAX): read as a Lua integer, so a value past an int is refused,
 * never truncated. "field 'rounds' of train must be >= 0 (got -1)", "... must
 * be <= 10000000 (got 4294967297)". Pass INT_MIN as lo when the core checks
 * the lower bound with its own words. */
int l_opt_int_range(lua_State *L, int idx, const char *field, int def, int lo, int hi,
                    const char *what, const char *loc);

/* The memory limit of L in bytes: its allocator's (oversim_lua_newstate), else
 * one set by oversim.max_memory, else OVERSIM_MAX_MEMORY or 4 GiB. It bounds
 * Lua's own heap (with oversim_lua_newstate) and every estimate below. */
size_t l_max_memory(lua_State *L);

/* Raise "<loc> <subject> needs about 38.2 GiB (reward-model pair table 20000 x
 * 20000), above the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or
 * oversim.max_memory(bytes))" when e's total exceeds l_max_memory(L); else
 * return. subject: "this world", "this run". */
void l_check_estimate(lua_State *L, const char *loc, const char *subject,
                      const size_estimate *e);

/* Add oversim.max_memory to the module table at -1. (l_alloc.c) */
void l_open_alloc(lua_State *L);

#endif
