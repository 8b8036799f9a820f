/* main.c — the oversim command: parses the command line, owns the lua_State
 * and the exit status; everything else is in the binding and the core. */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <lua.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csvout.h"
#include "oversim_lua.h"
#include "version.h"
#ifdef OVERSIM_MPI
#include <mpi.h>
#endif

static const char USAGE[] =
    "usage: oversim run FILE.lua [name=value ...] [options]\n"
    "       oversim FILE.lua [name=value ...] [options]\n"
    "       oversim plot FILE.csv [--out DIR] [--by COL,...] [--figures F.lua] [options]\n"
    "       oversim demo [--html DIR [name=value ...]] [options]\n"
    "       oversim run FILE.lua --shard I/N [--parts DIR] [name=value ...]\n"
    "       oversim merge FILE.lua [--parts DIR] [name=value ...]\n"
    "       oversim --help | --version\n"
    "\n"
    "run:   runs an oversim experiment script (a Lua file). name=value pairs reach\n"
    "       the script as the table oversim.args (numbers become numbers,\n"
    "       true/false booleans).\n"
    "plot:  turns an experiment's CSV into figures (SVG and PNG, with gnuplot),\n"
    "       written to DIR (default: the folder 'figures' beside the CSV), a\n"
    "       line per configuration (the configuration columns that vary).\n"
    "demo:  a narrated walk, in the terminal, through how oversight fails; it\n"
    "       pauses for Enter between steps when stdin is a terminal. With --html\n"
    "       DIR it writes the teaching page instead: DIR/index.html (one\n"
    "       self-contained file, no network) and the CSVs it shows, from runs\n"
    "       made now (name=value options: scripts/page.lua).\n"
    "shard: (run --shard I/N, or inside a Slurm job array) every oversim.sweep of\n"
    "       the script trains only its share of runs and records them in DIR\n"
    "       (default oversim-parts); the script's CSVs are not written.\n"
    "merge: runs the script with every sweep's runs read from the parts in DIR:\n"
    "       it writes the bytes one process would. Same script, same arguments.\n"
    "\n"
    "options:\n"
    "  --verbose      show a Lua traceback with errors\n"
    "  --quiet        no progress display (it is drawn on stderr, only when\n"
    "                 stderr is a terminal)\n"
    "  --seed N       seed for Lua's math.random in the script (default 1);\n"
    "                 training runs take their seed from the script\n"
    "  --out DIR      (plot) where the figures go\n"
    "  --by COL,...   (plot) one line per value of these columns (default: the\n"
    "                 configuration columns that vary in the CSV)\n"
    "  --figures F    (plot) draw the figures of module F too (a Lua file you\n"
    "                 trust: it runs as code; a module beside the script the\n"
    "                 manifest names is only suggested, never run unasked)\n"
    "  --html DIR     (demo) write the teaching page to DIR\n"
    "  --shard I/N    (run) run shard I of N of every sweep\n"
    "  --parts DIR    (run --shard, merge) where the shards' parts go\n"
    "  --help         this text\n"
    "  --version      print the version\n"
    "\n"
    "environment:\n"
    "  OVERSIM_MAX_MEMORY  the memory limit (bytes, or with K, M, G, T; default 4G)\n"
    "  OVERSIM_PATH        folders (colon-separated) searched for scenarios after the\n"
    "                      current folder, before oversim's own\n"
    "  SLURM_ARRAY_TASK_*  inside a Slurm job array, `run` is a shard (see shard)\n"
    "  OVERSIM_PROGRESS=1  draw progress even when stderr is not a terminal (mpirun)\n"
    "more: man oversim, and README.md\n"
    "\n"
    "examples:\n"
    "  oversim run scripts/naive_rlhf.lua\n"
    "  oversim run scripts/naive_rlhf.lua seeds=5 rounds=60 out=results/x.csv\n"
    "  oversim plot results/naive_rlhf.csv\n"
    "  oversim plot results/sweep.csv --by kl_coef,labels_per_round\n"
    "  oversim demo\n"
    "  oversim demo --html results/page\n";

/* The command line as one string, for the manifest beside each CSV. */
static char *join_command(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 3;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = 0;
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        int quote = strpbrk(argv[i], " \t") != NULL;
        if (quote)
            strcat(s, "'");
        strcat(s, i == 0 ? "oversim" : argv[i]);
        if (quote)
            strcat(s, "'");
    }
    return s;
}

/* SIGINT and SIGTERM: remove the temporary files being written (the core's
 * registry, csvout.h), say so in one line and exit 130 or 143. Only
 * async-signal-safe calls: unlink (in the core), write, _exit. A finished
 * CSV is never touched: only a temporary is removed, and its target keeps
 * what it had. */
static int stderr_tty;

static void put_err(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t k = write(STDERR_FILENO, s, n);
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

static void on_signal(int sig)
{
    static char removed[2 * CSVOUT_PATH_MAX];
    int n = csvout_remove_inflight(removed, sizeof removed);
    if (stderr_tty)
        put_err("\r\033[K"); /* over an unfinished progress line */
    put_err(sig == SIGINT ? "oversim: interrupted (SIGINT)" : "oversim: interrupted (SIGTERM)");
    if (n) {
        put_err("; removed ");
        put_err(removed);
    }
    put_err("\n");
    _exit(128 + sig);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT); /* one handler at a time */
    sigaddset(&sa.sa_mask, SIGTERM);
    stderr_tty = isatty(STDERR_FILENO);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

struct setup_args {
    const char *script;
    int argc;
    char **argv;
    const char *command;
    long long seed;
};

static int setup_protected(lua_State *L)
{
    struct setup_args *a = lua_touserdata(L, 1);
    oversim_lua_setup(L, a->script, a->argc, a->argv, a->command, a->seed);
    return 0;
}

enum command { CMD_RUN, CMD_PLOT, CMD_DEMO, CMD_MERGE };

/* "I/N" with 1 <= I <= N into *i, *n; 0, or -1 when malformed. */
static int parse_shard(const char *s, int *i, int *n)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (end == t || *end || a < 1 || b < 1 || a > b || b > 1000000)
        return -1;
    *i = (int)a, *n = (int)b;
    return 0;
}

/* A Slurm job array's task as a shard: SLURM_ARRAY_TASK_ID among
 * SLURM_ARRAY_TASK_MIN..MAX (or 1..SLURM_ARRAY_TASK_COUNT when MIN is not
 * set, ids counted from 0 or 1 as COUNT says). 1 with *i, *n set; 0 when not
 * in an array; -1 when the variables make no sense (msg says why). */
static int slurm_shard(int *i, int *n, char *msg, size_t len)
{
    const char *id = getenv("SLURM_ARRAY_TASK_ID");
    if (!id || !*id)
        return 0;
    const char *lo = getenv("SLURM_ARRAY_TASK_MIN"), *hi = getenv("SLURM_ARRAY_TASK_MAX");
    const char *count = getenv("SLURM_ARRAY_TASK_COUNT");
    long t = strtol(id, NULL, 10), a, b;
    if (lo && hi && *lo && *hi) {
        a = strtol(lo, NULL, 10), b = strtol(hi, NULL, 10);
    } else if (count && *count) {
        a = 0, b = strtol(count, NULL, 10) - 1;
        if (t > b) /* ids 1..COUNT */
            a = 1, b += 1;
    } else {
        snprintf(msg, len, "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_MIN/MAX "
                 "nor SLURM_ARRAY_TASK_COUNT is; give --shard I/N");
        return -1;
    }
    if (t < a || t > b || b - a >= 1000000) {
        snprintf(msg, len, "SLURM_ARRAY_TASK_ID %ld is not within %ld..%ld; give --shard I/N",
                 t, a, b);
        return -1;
    }
    *i = (int)(t - a + 1), *n = (int)(b - a + 1);
    return 1;
}

/* The Lua program a subcommand runs: plot and demo (and demo --html, the
 * page) are Lua programs shipped with oversim, found in the current folder,
 * else in oversim's data folder (the install's share/oversim, or the source
 * tree of a build). */
static int find_program(enum command cmd, int page, char *buf, size_t n)
{
    const char *rel = cmd == CMD_PLOT ? "analysis/plot.lua"
                      : page ? "scripts/page.lua" : "scripts/demo.lua";
    if (oversim_lua_find(rel, buf, n))
        return 0;
    char where[8192];
    oversim_lua_search_text(where, sizeof where);
    fprintf(stderr, "oversim: cannot find %s %s\n", rel, where);
    return -1;
}

/* argv[*i]'s value (argv[*i + 1]) into *dst; -1 (go on), or the exit status 1
 * after saying what is missing. */
static int take_value(int argc, char **argv, int *i, const char *takes, const char **dst)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "oversim: %s takes %s\n", argv[*i], takes);
        return 1;
    }
    *dst = argv[++*i];
    return -1;
}

/* An option of `oversim plot` that takes a value (--out DIR, --by LIST):
 * argv[*i] is the option; its value goes to *dst. Returns -1 (go on), or the
 * exit status 1 after saying what is wrong. */
static int plot_option(enum command cmd, int argc, char **argv, int *i, const char *takes,
                       const char **dst)
{
    if (cmd != CMD_PLOT) {
        fprintf(stderr, "oversim: %s is an option of 'oversim plot'\n", argv[*i]);
        return 1;
    }
    return take_value(argc, argv, i, takes, dst);
}

static int run_main(int argc, char **argv, int mpi_rank, int mpi_ranks);

/* With MPI (-DOVERSIM_MPI=ON): every rank runs the command; ranks other than
 * 0 print nothing on stdout, and a rank that fails stops them all with its
 * message (MPI_Abort). */
int main(int argc, char **argv)
{
#ifdef OVERSIM_MPI
    int rank = 0, ranks = 1;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (rank != 0 && !freopen("/dev/null", "w", stdout))
        return 1;
    int status = run_main(argc, argv, rank, ranks);
    if (status != 0 && ranks > 1) {
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, status);
    }
    MPI_Finalize();
    return status;
#else
    return run_main(argc, argv, 0, 1);
#endif
}

static int run_main(int argc, char **argv, int mpi_rank, int mpi_ranks)
{
    const char *script = NULL, *out = NULL, *by = NULL, *figures = NULL, *html = NULL;
    int verbose = 0, quiet = 0;
    long long seed = 1;
    enum command cmd = CMD_RUN;
    /* three spare slots: plot passes csv=, out= and by= to its Lua program */
    char **args = calloc(argc + 5, sizeof *args);
    int nargs = 0;
    if (!args)
        return 1;
    int i = 1;
    if (i < argc && strcmp(argv[i], "run") == 0) {
        i++;
    } else if (i < argc && strcmp(argv[i], "plot") == 0) {
        cmd = CMD_PLOT;
        i++;
    } else if (i < argc && strcmp(argv[i], "demo") == 0) {
        cmd = CMD_DEMO;
        i++;
    } else if (i < argc && strcmp(argv[i], "merge") == 0) {
        cmd = CMD_MERGE;
        i++;
    }
    const char *shard_arg = NULL, *parts = NULL;
    int status = -1; /* set to an exit status to stop */
    for (; i < argc && status < 0; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            status = 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("oversim %s\n", OVERSIM_VERSION);
            status = 0;
        } else if (strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--seed") == 0) {
            char *end = NULL;
            if (i + 1 < argc)
                seed = strtoll(argv[++i], &end, 10);
            if (!end || end == argv[i] || *end) {
                fprintf(stderr, "oversim: --seed takes an integer (got '%s')\n",
                        end ? argv[i] : "nothing");
                status = 1;
            }
        } else if (strcmp(a, "--out") == 0) {
            status = plot_option(cmd, argc, argv, &i, "a folder", &out);
        } else if (strcmp(a, "--by") == 0) {
            status = plot_option(cmd, argc, argv, &i, "a list of columns (--by col1,col2)", &by);
        } else if (strcmp(a, "--shard") == 0 || strcmp(a, "--parts") == 0) {
            int is_shard = a[2] == 's';
            if (cmd != CMD_RUN && (is_shard || cmd != CMD_MERGE)) {
                fprintf(stderr, "oversim: %s is an option of 'oversim run'%s\n", a,
                        is_shard ? "" : " and 'oversim merge'");
                status = 1;
            } else {
                status = take_value(argc, argv, &i, is_shard ? "I/N (shard I of N)" : "a folder",
                                    is_shard ? &shard_arg : &parts);
            }
        } else if (strcmp(a, "--html") == 0) {
            if (cmd != CMD_DEMO) {
                fprintf(stderr, "oversim: --html is an option of 'oversim demo'\n");
                status = 1;
            } else {
                status = take_value(argc, argv, &i, "a folder (the page goes to DIR/index.html)",
                                    &html);
            }
        } else if (strcmp(a, "--figures") == 0) {
            status = plot_option(cmd, argc, argv, &i, "a figure module (a .lua file)", &figures);
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "oversim: unknown option '%s' (try --help)\n", a);
            status = 1;
        } else if (strchr(a, '=')) {
            args[nargs++] = argv[i]; /* the plain demo takes none: refused below */
        } else if (cmd == CMD_DEMO) {
            fprintf(stderr, "oversim: demo takes no file (got '%s')\n", a);
            status = 1;
        } else if (!script) {
            script = a;
        } else {
            fprintf(stderr, "oversim: unexpected argument '%s' (%s already given: %s)\n",
                    a, cmd == CMD_PLOT ? "CSV" : "script", script);
            status = 1;
        }
    }
    if (status < 0 && cmd == CMD_PLOT && !script) {
        fprintf(stderr, "oversim: plot needs a CSV file (oversim plot FILE.csv [--out DIR] [--by COL,...])\n");
        status = 1;
    }
    if (status < 0 && cmd == CMD_DEMO && !html && nargs > 0) {
        fprintf(stderr, "oversim: demo takes name=value options only with --html DIR (got "
                "'%s')\n", args[0]);
        status = 1;
    }
    if (status < 0 && cmd == CMD_MERGE && !script) {
        fprintf(stderr, "oversim: merge needs the script the shards ran (oversim merge FILE.lua "
                "[--parts DIR] [name=value ...])\n");
        status = 1;
    }
    /* the shard: --shard I/N, else a Slurm array task's */
    int dist = cmd == CMD_MERGE ? OVERSIM_DIST_MERGE : OVERSIM_DIST_LOCAL, shard = 0, shards = 0;
    if (status < 0 && cmd == CMD_RUN) {
        char smsg[256];
        int got = 0;
        if (shard_arg) {
            if (parse_shard(shard_arg, &shard, &shards)) {
                fprintf(stderr, "oversim: --shard takes I/N with 1 <= I <= N (got '%s')\n",
                        shard_arg);
                status = 1;
            }
            got = 1;
        } else if ((got = slurm_shard(&shard, &shards, smsg, sizeof smsg)) < 0) {
            fprintf(stderr, "oversim: %s\n", smsg);
            status = 1;
        }
        if (got > 0)
            dist = OVERSIM_DIST_SHARD;
        else if (parts && status < 0) {
            fprintf(stderr, "oversim: --parts goes with --shard I/N (or a Slurm job array)\n");
            status = 1;
        }
    }
    if (status < 0 && mpi_ranks > 1 && dist != OVERSIM_DIST_LOCAL) {
        fprintf(stderr, "oversim: under mpirun the ranks share the sweeps already; %s\n",
                cmd == CMD_MERGE ? "run merge without mpirun" : "leave out --shard");
        status = 1;
    }
    if (status < 0 && mpi_ranks > 1 && cmd == CMD_RUN)
        dist = OVERSIM_DIST_MPI;
    if (!parts)
        parts = "oversim-parts";
    if (status < 0 && cmd == CMD_RUN && !script) {
        fputs(USAGE, stderr);
        status = 1;
    }
    /* plot and demo: the program is ours; the CSV and folder become args */
    char program[4096], csv_arg[4200], out_arg[4200], by_arg[4200], fig_arg[4200];
    if (status < 0 && cmd != CMD_RUN && cmd != CMD_MERGE) {
        if (find_program(cmd, html != NULL, program, sizeof program)) {
            status = 1;
        } else if (cmd == CMD_PLOT) {
            snprintf(csv_arg, sizeof csv_arg, "csv=%s", script);
            args[nargs++] = csv_arg;
            if (out) {
                snprintf(out_arg, sizeof out_arg, "out=%s", out);
                args[nargs++] = out_arg;
            }
            if (by) {
                snprintf(by_arg, sizeof by_arg, "by=%s", by);
                args[nargs++] = by_arg;
            }
            if (figures) {
                snprintf(fig_arg, sizeof fig_arg, "figures=%s", figures);
                args[nargs++] = fig_arg;
            }
        } else if (html) {
            snprintf(out_arg, sizeof out_arg, "out=%s", html);
            args[nargs++] = out_arg;
        }
        script = program;
    }
    if (status >= 0) {
        free(args);
        return status;
    }
    /* one memory limit bounds Lua's heap and every size estimate */
    size_t limit;
    char limit_msg[256];
    if (oversim_lua_limit_from_env(&limit, limit_msg, sizeof limit_msg)) {
        fprintf(stderr, "oversim: %s\n", limit_msg);
        free(args);
        return 1;
    }
    char *command = join_command(argc, argv);
    catch_signals();
    lua_State *L = oversim_lua_newstate(limit);
    if (!L || !command) {
        fprintf(stderr, "oversim: out of memory\n");
        return 1;
    }
    struct setup_args sa = { script, nargs, args, command, seed };
    int rc = LUA_OK;
    lua_pushcfunction(L, setup_protected);
    lua_pushlightuserdata(L, &sa);
    rc = lua_pcall(L, 1, 0, 0);
    oversim_lua_quiet(L, quiet || mpi_rank != 0); /* only rank 0 draws progress */
    /* always: a local run's checkpoints are named by the script and its arguments too */
    if (rc == LUA_OK && (cmd == CMD_RUN || cmd == CMD_MERGE)) {
        char dmsg[512];
        int sh = dist == OVERSIM_DIST_MPI ? mpi_rank : shard;
        int shs = dist == OVERSIM_DIST_MPI ? mpi_ranks : shards;
        if (oversim_lua_distribute(L, dist, sh, shs, parts, script, nargs, args, dmsg,
                                   sizeof dmsg)) {
            fprintf(stderr, "oversim: %s\n", dmsg);
            lua_close(L);
            free(command);
            free(args);
            return 1;
        }
    }
    if (rc == LUA_OK)
        rc = oversim_lua_run_file(L, script, verbose);
    oversim_lua_finish(L);
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        char mem[512]; /* Lua runs no message handler on a memory error */
        if (rc == LUA_ERRMEM && oversim_lua_memory_message(L, mem, sizeof mem))
            msg = mem;
        fprintf(stderr, "oversim: %s\n", msg ? msg : "(error without a message)");
        /* what the script wrote before failing stays: say which files */
        const char *written = oversim_lua_written(L);
        if (written)
            fprintf(stderr, "oversim: wrote before the error: %s\n", written);
    }
    lua_close(L);
    free(command);
    free(args);
    return rc == LUA_OK ? 0 : 1;
}
