/* fuzz_plot.c — fuzz target: `oversim plot`'s CSV input, through the real
 * analysis/plot.lua, up to but not including running gnuplot.
 * The input: a first byte choosing the CSV's file name (and so the experiment
 * module: naive_rlhf, assistance, optimisers, ...; a _policy table), whether
 * --by is given, which table beside the CSV exists (levels, critics, fit) and
 * whether a manifest does; then the --by value up to a newline when given;
 * then the manifest's `script:` value up to a newline when given ("@DIR@" in
 * it stands for the folder the CSV is in, where a file shipped.plot.lua
 * returning no figures lies, as a stranger's folder of results might hold
 * one); then the CSV; then, after a line "%%", the table beside it. plot.lua runs as the CLI runs it (args
 * csv=, by=) with os.execute and os.tmpname replaced: `command -v gnuplot`
 * and `mkdir -p` succeed without running, and `gnuplot FILE` does not run
 * gnuplot but checks FILE — no backtick outside a single-quoted string, no
 * string left open at the end of a line, no system() (issue 11, item 1: no
 * text from a CSV may reach gnuplot as code) — then reports a failure, so
 * plot.lua takes its error path and nothing is drawn or renamed.
 * plot.lua may load Lua code only from its own folder (analysis/): loadfile
 * is wrapped, and loading anything else aborts (a CSV and its manifest are
 * data; a module that came with them would run with the user's rights).
 * Reaches: read_csv, the column checks, kinds, --by and its did-you-mean, the
 * groups, the figure modules (standard.lua, analysis/<experiment>.lua) and
 * every figure's draw function, which writes the gnuplot commands. */
#include "fuzz.h"

#ifndef OVERSIM_SOURCE_DIR
#define OVERSIM_SOURCE_DIR "."
#endif

int fuzz_plot(const uint8_t *data, size_t size);

static const char *const BASES[] = { "naive_rlhf",       "assistance", "optimisers",
                                     "overoptimization", "label_efficiency",
                                     "naive_rlhf_policy", "run",       "assistance_critics" };
static const char *const BESIDE[] = { NULL, "levels", "critics", "fit" };

static int tmp_count;

/* os.tmpname: names in our folder (plot.lua writes its gnuplot script there) */
static int fake_tmpname(lua_State *L)
{
    lua_pushfstring(L, "%s/tmp%d", fuzz_dir(), tmp_count++ % 4);
    return 1;
}

static void violation(const char *what, const char *line, int n)
{
    fprintf(stderr, "fuzz_plot: %s in the gnuplot script, line %d:\n%s\n", what, n, line);
    abort();
}

/* One gnuplot command line, outside a datablock: a backtick outside a
 * single-quoted string is command substitution; an open string at the end
 * of a line means a line break cut a string (the rest ran as a command).
 * gnuplot reads a line as a C string: a NUL in a name (a CSV cell may hold
 * one) ends it there, and what follows on that line is never read, so the
 * check stops there too and an open string at a NUL is gnuplot's syntax
 * error, not code. */
static void check_line(const char *line, size_t len, int n)
{
    char q = 0; /* the open quote, or 0 */
    for (const char *c = line; *c; c++) {
        if (q == '\'') {
            if (*c == '\'' && c[1] == '\'')
                c++;
            else if (*c == '\'')
                q = 0;
        } else if (q == '"') {
            if (*c == '\\' && c[1])
                c++;
            else if (*c == '"')
                q = 0;
            else if (*c == '`')
                violation("a backtick in a double-quoted string", line, n);
        } else if (*c == '\'' || *c == '"') {
            q = *c;
        } else if (*c == '`') {
            violation("a backtick outside a string", line, n);
        } else if (strncmp(c, "system", 6) == 0) {
            violation("system outside a string", line, n);
        } else if (*c == '#') {
            break; /* a comment */
        }
    }
    if (strlen(line) < len)
        return; /* cut at a NUL */
    if (q && !(len && line[len - 1] == '\\'))
        violation("a string left open at the end of the line", line, n);
}

static void check_script(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        abort(); /* plot.lua wrote it just before */
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int n = 0, block = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        n++;
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        if (block) {
            block = strcmp(line, "EOD") != 0; /* data: never parsed as commands */
        } else if (line[0] == '$' && len > 7 && strcmp(line + len - 7, " << EOD") == 0) {
            block = 1;
        } else {
            check_line(line, (size_t)len, n);
        }
    }
    free(line);
    fclose(f);
}

/* loadfile: only plot.lua's own modules, in analysis/ */
static int checked_loadfile(lua_State *L)
{
    static const char own[] = OVERSIM_SOURCE_DIR "/analysis/";
    const char *path = luaL_checkstring(L, 1);
    if (strncmp(path, own, sizeof own - 1) != 0 || strstr(path, "..")) {
        fprintf(stderr, "fuzz_plot: plot.lua loaded Lua code from %s, which came with the CSV, "
                "not from %s\n", path, own);
        abort();
    }
    int n = lua_gettop(L) < 3 ? lua_gettop(L) : 3; /* an env given as nil is an env */
    lua_settop(L, n);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* os.execute: the only commands plot.lua may run */
static int fake_execute(lua_State *L)
{
    const char *cmd = luaL_checkstring(L, 1);
    if (strncmp(cmd, "command -v gnuplot ", 19) == 0 || strncmp(cmd, "mkdir -p ", 9) == 0) {
        lua_pushboolean(L, 1);
        return 1;
    }
    if (strncmp(cmd, "gnuplot '", 9) == 0) {
        char path[256];
        const char *end = strchr(cmd + 9, '\'');
        size_t n = end ? (size_t)(end - (cmd + 9)) : 0;
        if (!end || n >= sizeof path)
            abort();
        memcpy(path, cmd + 9, n);
        path[n] = 0;
        check_script(path);
        lua_pushnil(L); /* "failed": plot.lua's error path, nothing renamed */
        lua_pushliteral(L, "exit");
        lua_pushinteger(L, 1);
        return 3;
    }
    fprintf(stderr, "fuzz_plot: plot.lua ran an unexpected command: %s\n", cmd);
    abort();
}

int fuzz_plot(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0];
    const char *base = BASES[flags & 7];
    const char *beside = BESIDE[(flags >> 4) & 3];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    char *by = NULL;
    if (flags & 8) {
        const char *nl = memchr(p, '\n', end - p);
        const char *stop = nl ? nl : end;
        by = malloc(stop - p + 4);
        if (!by)
            abort();
        memcpy(by, "by=", 3);
        memcpy(by + 3, p, stop - p);
        by[3 + (stop - p)] = 0; /* an embedded NUL cuts it, as argv would */
        p = nl ? nl + 1 : end;
    }
    char *script = NULL;
    if (flags & 64) {
        const char *nl = memchr(p, '\n', end - p);
        const char *stop = nl ? nl : end;
        script = malloc(stop - p + 1);
        if (!script)
            abort();
        memcpy(script, p, stop - p);
        script[stop - p] = 0;
        p = nl ? nl + 1 : end;
    }
    const char *split = NULL;
    for (const char *s = p; s + 4 <= end; s++)
        if (memcmp(s, "\n%%\n", 4) == 0) {
            split = s;
            break;
        }
    char name[64], csv[128], side[128], tmp[128];
    snprintf(name, sizeof name, "%s.csv", base);
    fuzz_write(name, p, (split ? split + 1 : end) - p, csv, sizeof csv);
    for (int i = 1; i < 4; i++) { /* no table beside the CSV from an earlier input */
        snprintf(side, sizeof side, "%s/%s_%s.csv", fuzz_dir(), base, BESIDE[i]);
        remove(side);
    }
    char manifest[160];
    snprintf(manifest, sizeof manifest, "%s.manifest", csv);
    remove(manifest);
    if (script) {
        /* the script line, @DIR@ replaced by the folder */
        FILE *f = fopen(manifest, "wb");
        if (!f)
            abort();
        fputs("script: ", f);
        for (const char *c = script; *c; c++) {
            if (strncmp(c, "@DIR@", 5) == 0) {
                fputs(fuzz_dir(), f);
                c += 4;
            } else {
                fputc(*c, f);
            }
        }
        fputc('\n', f);
        fclose(f);
        static const char shipped[] = "return {}\n";
        fuzz_write("shipped.plot.lua", shipped, sizeof shipped - 1, tmp, sizeof tmp);
    }
    if (beside) {
        snprintf(side, sizeof side, "%s_%s.csv", base, beside); /* short: ours */
        const char *from = split ? split + 4 : end;
        fuzz_write(side, from, end - from, tmp, sizeof tmp);
    }
    char csv_arg[160];
    snprintf(csv_arg, sizeof csv_arg, "csv=%s", csv);
    char *argv[] = { csv_arg, by };
    fuzz_mem m;
    lua_State *L = fuzz_state(&m, OVERSIM_SOURCE_DIR "/analysis/plot.lua", by ? 2 : 1, argv);
    lua_getglobal(L, "os");
    lua_pushcfunction(L, fake_execute);
    lua_setfield(L, -2, "execute");
    lua_pushcfunction(L, fake_tmpname);
    lua_setfield(L, -2, "tmpname");
    lua_pop(L, 1);
    lua_getglobal(L, "loadfile");
    lua_pushcclosure(L, checked_loadfile, 1);
    lua_setglobal(L, "loadfile");
    tmp_count = 0;
    if (luaL_loadfilex(L, OVERSIM_SOURCE_DIR "/analysis/plot.lua", "t") != LUA_OK) {
        fprintf(stderr, "fuzz_plot: %s\n", lua_tostring(L, -1));
        abort();
    }
    if (fuzz_pcall(L, 0, 0) != LUA_OK) {
        if (!lua_isstring(L, -1))
            abort(); /* plot.lua's errors are messages */
        if (getenv("FUZZ_DEBUG")) /* what plot.lua said of this input */
            fprintf(stderr, "fuzz_plot: %s\n", lua_tostring(L, -1));
    }
    lua_close(L);
    free(by);
    free(script);
    return 0;
}

FUZZ_TARGET(fuzz_plot)
