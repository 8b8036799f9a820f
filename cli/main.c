/* main.c — the oversim command: parses the command line, owns the lua_State
 * and the exit status; everything else is in the binding and the core. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oversim_lua.h"
#include "version.h"

static const char USAGE[] =
    "usage: oversim run FILE.lua [name=value ...] [options]\n"
    "       oversim FILE.lua [name=value ...] [options]\n"
    "       oversim --help | --version\n"
    "\n"
    "Runs an oversim experiment script (a Lua file). name=value pairs reach the\n"
    "script as the table oversim.args (numbers become numbers, true/false booleans).\n"
    "\n"
    "options:\n"
    "  --verbose      show a Lua traceback with errors\n"
    "  --seed N       seed for Lua's math.random in the script (default 1);\n"
    "                 training runs take their seed from the script\n"
    "  --help         this text\n"
    "  --version      print the version\n"
    "\n"
    "examples:\n"
    "  oversim run scripts/naive_rlhf.lua\n"
    "  oversim run scripts/naive_rlhf.lua seeds=5 rounds=60 out=results/x.csv\n";

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

int main(int argc, char **argv)
{
    const char *script = NULL;
    int verbose = 0;
    long long seed = 1;
    char **args = calloc(argc + 1, sizeof *args);
    int nargs = 0;
    if (!args)
        return 1;
    int i = 1;
    if (i < argc && strcmp(argv[i], "run") == 0)
        i++;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            free(args);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("oversim %s\n", OVERSIM_VERSION);
            free(args);
            return 0;
        } else if (strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            char *end;
            seed = strtoll(argv[++i], &end, 10);
            if (*end) {
                fprintf(stderr, "oversim: --seed takes an integer (got '%s')\n", argv[i]);
                free(args);
                return 1;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "oversim: unknown option '%s' (try --help)\n", a);
            free(args);
            return 1;
        } else if (!script && !strchr(a, '=')) {
            script = a;
        } else if (strchr(a, '=')) {
            args[nargs++] = argv[i];
        } else {
            fprintf(stderr, "oversim: unexpected argument '%s' (script already given: %s)\n",
                    a, script);
            free(args);
            return 1;
        }
    }
    if (!script) {
        fputs(USAGE, stderr);
        free(args);
        return 1;
    }
    char *command = join_command(argc, argv);
    lua_State *L = luaL_newstate();
    if (!L || !command) {
        fprintf(stderr, "oversim: out of memory\n");
        return 1;
    }
    struct setup_args sa = { script, nargs, args, command, seed };
    int rc = LUA_OK;
    lua_pushcfunction(L, setup_protected);
    lua_pushlightuserdata(L, &sa);
    rc = lua_pcall(L, 1, 0, 0);
    if (rc == LUA_OK)
        rc = oversim_lua_run_file(L, script, verbose);
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "oversim: %s\n", msg ? msg : "(error without a message)");
    }
    lua_close(L);
    free(command);
    free(args);
    return rc == LUA_OK ? 0 : 1;
}
