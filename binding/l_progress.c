/* l_progress.c — the progress display of long runs, and the two terminal
 * helpers scripts need to behave differently at a terminal (the demo).
 * Owns: oversim.progress(total [, label]), oversim.isatty(stream),
 *       oversim.sleep(seconds); the per-state progress record in the registry;
 *       oversim_lua_quiet and oversim_lua_finish (oversim_lua.h).
 * Uses: POSIX isatty, clock_gettime, nanosleep. Draws on stderr only, so a
 *       script's stdout (tables, CSV paths) is never mixed with it in a pipe. */
#include "oversim_lua.h"
#include "l_present.h"

#include <errno.h>
#include <pthread.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_REGISTRY "oversim.progress"

/* Draw on stderr: when it is a terminal, or when OVERSIM_PROGRESS=1 says the
 * pipe it is leads to one (mpirun forwards rank 0's stderr through a pipe). */
static int stderr_draws(void)
{
    const char *force = getenv("OVERSIM_PROGRESS");
    return isatty(STDERR_FILENO) || (force && strcmp(force, "1") == 0);
}
/* Redraw at most this often: a sweep of thousands of millisecond runs would
 * otherwise spend its time writing to the terminal. */
#define REDRAW_SECONDS 0.1

typedef struct progress {
    int quiet;       /* --quiet: never draw */
    int active;      /* a total was declared and not reached yet */
    int drawing;     /* stderr is a terminal and not quiet (fixed when declared) */
    int line_open;   /* a line is on the terminal without its newline */
    long long total, done;
    double start, last_draw;
    char label[64];
    /* a sweep's workers tick from their threads: counts and drawing under a lock */
    pthread_mutex_t lock;
    int lock_ready;
    /* the run in progress, for a long single run's round display */
    double run_start;
    int rounds_shown;  /* a round line is on the terminal */
} progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The state's progress record, created on first use (never raises except on
 * out-of-memory, as any Lua allocation). */
static progress *get_progress(lua_State *L)
{
    progress *p;
    if (lua_getfield(L, LUA_REGISTRYINDEX, PROGRESS_REGISTRY) == LUA_TUSERDATA) {
        p = lua_touserdata(L, -1);
    } else {
        lua_pop(L, 1);
        p = lua_newuserdatauv(L, sizeof *p, 0);
        memset(p, 0, sizeof *p);
        p->lock_ready = pthread_mutex_init(&p->lock, NULL) == 0;
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, PROGRESS_REGISTRY);
    }
    lua_pop(L, 1); /* the registry keeps it alive */
    return p;
}

/* "0.4 s", "12 s", "3:07", "1:02:09" */
static void format_duration(char *buf, size_t n, double s)
{
    if (!(s >= 0) || !isfinite(s))
        s = 0;
    long long t = (long long)(s + 0.5);
    if (s < 10)
        snprintf(buf, n, "%.1f s", s);
    else if (t < 60)
        snprintf(buf, n, "%lld s", t);
    else if (t < 3600)
        snprintf(buf, n, "%lld:%02lld", t / 60, t % 60);
    else
        snprintf(buf, n, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60, t % 60);
}

static void draw(progress *p, double now)
{
    char el[32], rem[32];
    double elapsed = now - p->start;
    format_duration(el, sizeof el, elapsed);
    /* remaining from the mean time per run so far: runs of a sweep are alike */
    if (p->done > 0)
        format_duration(rem, sizeof rem, elapsed / p->done * (p->total - p->done));
    else
        snprintf(rem, sizeof rem, "?");
    /* \r then erase to the end of the line: redrawn in place; the last
     * drawing stays, as a record of how long the runs took */
    if (p->done >= p->total) {
        fprintf(stderr, "\r%s: %lld/%lld runs in %s\033[K\n", p->label, p->done, p->total, el);
        p->line_open = 0;
    } else {
        fprintf(stderr, "\r%s: %lld/%lld runs, %s elapsed, ~%s remaining\033[K", p->label,
                p->done, p->total, el, rem);
        p->line_open = 1;
    }
    fflush(stderr);
    p->last_draw = now;
}

/* oversim.progress(total [, label]): the script will run `total` training
 * runs; each finished oversim.train advances the count. Shown on stderr when it
 * is a terminal (and not --quiet); a new call starts a new count. */
/* Start a count of `total` runs labelled `label` (NULL: the script's name). */
static void begin(lua_State *L, long long total, const char *label)
{
    progress *p = get_progress(L);
    if (p->line_open)
        fputc('\n', stderr);
    p->line_open = 0;
    if (!label) {
        /* the script's file name without folder and .lua */
        lua_getglobal(L, "oversim");
        if (lua_istable(L, -1))
            lua_getfield(L, -1, "script");
        else
            lua_pushnil(L);
        const char *s = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
        const char *slash = strrchr(s, '/');
        label = slash ? slash + 1 : s;
        if (!*label)
            label = "oversim";
        snprintf(p->label, sizeof p->label, "%s", label);
        lua_pop(L, 2);
        char *dot = strstr(p->label, ".lua");
        if (dot && dot[4] == 0)
            *dot = 0;
    } else {
        snprintf(p->label, sizeof p->label, "%s", label);
    }
    p->total = total;
    p->done = 0;
    p->active = total > 0;
    p->drawing = p->active && !p->quiet && stderr_draws();
    p->start = now_seconds();
    p->last_draw = -1e300;
    if (p->drawing)
        draw(p, p->start);
}

/* oversim.progress(total [, label]): the script will run `total` training
 * runs; each finished oversim.train advances the count. Shown on stderr when it
 * is a terminal (and not --quiet); a new call starts a new count. */
static int l_declare(lua_State *L)
{
    lua_Integer total = luaL_checkinteger(L, 1);
    luaL_argcheck(L, total >= 0, 1, "total must be >= 0");
    begin(L, total, luaL_optstring(L, 2, NULL));
    return 0;
}

void l_progress_begin_if_idle(lua_State *L, long long total)
{
    if (!get_progress(L)->active)
        begin(L, total, NULL);
}

static void lock(progress *p)
{
    if (p->lock_ready)
        pthread_mutex_lock(&p->lock);
}

static void unlock(progress *p)
{
    if (p->lock_ready)
        pthread_mutex_unlock(&p->lock);
}

l_progress *l_progress_of(lua_State *L)
{
    return (l_progress *)get_progress(L);
}

void l_progress_tick(l_progress *lp)
{
    progress *p = (progress *)lp;
    lock(p);
    if (p->active) {
        p->done++;
        double now = now_seconds();
        if (p->drawing && (p->done >= p->total || now - p->last_draw >= REDRAW_SECONDS))
            draw(p, now);
        if (p->done >= p->total)
            p->active = 0;
    }
    unlock(p);
}

void l_progress_run_done(lua_State *L)
{
    progress *p = get_progress(L);
    if (p->rounds_shown && !p->active && !p->quiet) {
        /* a lone run's round line: erase it, the run is done */
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->line_open = 0;
    }
    p->rounds_shown = 0;
    l_progress_tick((l_progress *)p);
}

void l_progress_run_start(lua_State *L)
{
    progress *p = get_progress(L);
    p->run_start = now_seconds();
    p->rounds_shown = 0;
}

/* Round t of a run of T: after the run has taken a second, a line on stderr
 * (a terminal, not --quiet) shows its rounds, redrawn at most ten times a
 * second: "label: run 3/10, round 1200/4000, 4.1 s elapsed, ~9.6 s remaining"
 * within a declared total, else "train: round 1200/4000, ...". */
void l_progress_round(lua_State *L, int t, int T)
{
    progress *p = get_progress(L);
    if (p->quiet || !stderr_draws())
        return;
    double now = now_seconds(), elapsed = now - p->run_start;
    if (elapsed < 1 || t <= 0 || t >= T || now - p->last_draw < REDRAW_SECONDS)
        return;
    char el[32], rem[32], run[64] = "";
    format_duration(el, sizeof el, elapsed);
    format_duration(rem, sizeof rem, elapsed / t * (T - t));
    if (p->active)
        snprintf(run, sizeof run, "run %lld/%lld, ", p->done + 1, p->total);
    fprintf(stderr, "\r%s: %sround %d/%d, %s elapsed, ~%s remaining\033[K",
            p->active ? p->label : "train", run, t, T, el, rem);
    fflush(stderr);
    p->last_draw = now;
    p->line_open = 1;
    p->rounds_shown = 1;
}

void oversim_lua_quiet(lua_State *L, int quiet)
{
    get_progress(L)->quiet = quiet;
}

void oversim_lua_finish(lua_State *L)
{
    progress *p = get_progress(L);
    if (p->line_open) {
        fputc('\n', stderr);
        fflush(stderr);
    }
    p->line_open = 0;
    p->active = 0;
}

/* oversim.isatty("stdin" | "stdout" | "stderr") -> boolean */
static int l_isatty(lua_State *L)
{
    static const char *const names[] = { "stdin", "stdout", "stderr", NULL };
    int fd = luaL_checkoption(L, 1, NULL, names);
    lua_pushboolean(L, isatty(fd));
    return 1;
}

/* oversim.sleep(seconds): for paced terminal output (the demo's live chart) */
static int l_sleep(lua_State *L)
{
    double s = luaL_checknumber(L, 1);
    luaL_argcheck(L, s >= 0 && s <= 3600, 1, "seconds must be in [0, 3600]");
    fflush(stdout);
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ; /* interrupted by a signal that did not end us: sleep the rest */
    return 0;
}

int l_open_progress(lua_State *L)
{
    static const luaL_Reg fns[] = {
        { "progress", l_declare }, { "isatty", l_isatty }, { "sleep", l_sleep },
        { NULL, NULL } };
    luaL_setfuncs(L, fns, 0);
    return 0;
}
