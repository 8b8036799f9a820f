/* test_sandbox.c — scenario files run in a sandbox (binding/l_sandbox.c) and
 * oversim loads Lua source only. The Lua is in tests/lua/sandbox.lua; here
 * also what names the source folder (scenario not found), the CLI's entry
 * (oversim_lua_run_file, and the oversim binary itself) and corrupted binary
 * chunks through every entry point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "lua_harness.h"
#include "files.h"

static const char REFUSED[] = ": binary chunks are not allowed (oversim loads Lua source only)";

/* Run fn(tmpdir) of tests/lua/sandbox.lua in a fresh state. */
static void run_in_tmp(const char *fn)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/sandbox.lua");
    harness_call(L, LUA_TNONE, fn, "s", tmpdir);
    lua_close(L);
}

static void test_refused(void **state)
{
    (void)state;
    run_in_tmp("refused");
}

static void test_load_sees_the_sandbox(void **state)
{
    (void)state;
    run_in_tmp("load_sees_the_sandbox");
}

static void test_isolation(void **state)
{
    (void)state;
    run_in_tmp("isolation");
}

static void test_scenario_random(void **state)
{
    (void)state;
    run_in_tmp("scenario_random");
}

static void test_trusted(void **state)
{
    (void)state;
    run_in_tmp("trusted");
}

static void test_script_binary(void **state)
{
    (void)state;
    run_in_tmp("script_binary");
}

/* Every shipped scenario (and the example's own) with each of its overseers:
 * the same world, overseer and training numbers sandboxed as trusted. */
static void test_same_worlds(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/sandbox.lua");
    /* hidden_bug 4 ways x 4 overseers, clean 4, random_flaws 2 x 2, patches 2 x 2,
     * review_world 3 */
    assert_true(harness_number(L, "same_worlds", "") >= 31);
    lua_close(L);
}

/* code run as t.lua must fail with exactly want */
static void expect_error(const char *code, const char *want)
{
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *got = harness_run(L, code, buf, sizeof buf);
    if (!got)
        fail_msg("no error from %s", code);
    if (strcmp(got, want) != 0)
        fail_msg("error\n  '%s'\nexpected\n  '%s'", got, want);
    lua_close(L);
}

/* A scenario that does not exist: did you mean, or the list of those that
 * do; a path (a name ending in .lua) is reported as given. */
static void test_scenario_names(void **state)
{
    (void)state;
    expect_error("oversim.scenario('hiden_bug')",
                 "t.lua:1: scenario 'hiden_bug' not found: no scenarios/hiden_bug.lua here or "
                 "in " OVERSIM_SOURCE_DIR " (did you mean 'hidden_bug'?)");
    expect_error("local s = oversim.scenario('random_flaw', { seed = 2 })",
                 "t.lua:1: scenario 'random_flaw' not found: no scenarios/random_flaw.lua here "
                 "or in " OVERSIM_SOURCE_DIR " (did you mean 'random_flaws'?)");
    expect_error("oversim.scenario('nope/x.lua')",
                 "t.lua:1: cannot read scenario file 'nope/x.lua' (No such file or directory)");
    expect_error("oversim.scenario('hidden_bug', nil, { trustd = true })",
                 "t.lua:1: unknown key 'trustd' in oversim.scenario's third argument (did you "
                 "mean 'trusted'?)");
    expect_error("oversim.scenario('hidden_bug', nil, { trusted = 1 })",
                 "t.lua:1: field 'trusted' of oversim.scenario's third argument must be a "
                 "boolean (got number)");
    /* teachers had it already */
    expect_error("oversim.teacher('stok')",
                 "t.lua:1: unknown B-Pref teacher 'stok' (did you mean 'stoc'?) (one of oracle, "
                 "stoc, mistake, skip, equal, myopic)");
    /* nothing close: the scenarios there are, sorted */
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *got = harness_run(L, "oversim.scenario('code_reveiw')", buf, sizeof buf);
    const char *head = "t.lua:1: scenario 'code_reveiw' not found: no scenarios/code_reveiw.lua "
                       "here or in " OVERSIM_SOURCE_DIR " (the scenarios are ";
    assert_non_null(got);
    if (strncmp(got, head, strlen(head)) != 0 || !strstr(got, "absent_supervisor, clean, hidden_bug, ladder, myopia, "
                                      "opportunity, patches, random_flaws, show_your_work, "
                                      "tomato_watering)"))
        fail_msg("got '%s'", got);
    lua_close(L);
}

/* A binary chunk in a file: its contents, made by string.dump. */
static void write_binary_chunk(const char *path)
{
    lua_State *L = harness_state(0, NULL);
    char buf[256];
    assert_null(harness_run(L, "return string.dump(function() return 1 end)", buf, sizeof buf));
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    fclose(f);
    lua_close(L);
}

/* The CLI's entry refuses a binary script with a message naming the file; so
 * does the oversim command (exit status 1). */
static void test_cli_refuses_binary(void **state)
{
    (void)state;
    char path[256], want[512], cmd[1024], errfile[256];
    snprintf(path, sizeof path, "%s/script.lua", tmpdir);
    write_binary_chunk(path);
    snprintf(want, sizeof want, "%s%s", path, REFUSED);
    for (int verbose = 0; verbose <= 1; verbose++) {
        lua_State *L = harness_state(0, NULL);
        assert_int_not_equal(oversim_lua_run_file(L, path, verbose), LUA_OK);
        assert_string_equal(lua_tostring(L, -1), want);
        lua_close(L);
    }
    snprintf(errfile, sizeof errfile, "%s/stderr", tmpdir);
    snprintf(cmd, sizeof cmd, "'%s' run '%s' 2>'%s'", OVERSIM_BINARY, path, errfile);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 1);
    char *err = slurp(errfile);
    char line[600];
    snprintf(line, sizeof line, "oversim: %s\n", want);
    assert_non_null(err);
    assert_string_equal(err, line);
    free(err);
}

/* Corrupted binary chunks (a fixed sequence) through load, loadfile, dofile,
 * require, oversim.scenario sandboxed and trusted, and the CLI's
 * oversim_lua_run_file: every one a clean error, none a crash (under
 * ./run.sh asan, none a memory error). Not vacuous: most are refused as
 * binary, some reach the parser as text. */
static void test_corrupted_chunks(void **state)
{
    (void)state;
    enum { N = 400 };
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/sandbox.lua");
    char path[256];
    snprintf(path, sizeof path, "%s/c.lua", tmpdir);
    int binary = 0, cli_binary = 0;
    for (int i = 0; i < N; i++) {
        binary += (int)harness_number(L, "corrupted", "si", tmpdir, i);
        if (oversim_lua_run_file(L, path, i % 2) == LUA_OK)
            fail_msg("chunk %d: oversim_lua_run_file accepted it", i);
        const char *msg = lua_tostring(L, -1);
        assert_non_null(msg);
        cli_binary += strstr(msg, REFUSED) != NULL;
        lua_pop(L, 1);
    }
    assert_true(binary > N / 2 && binary < N);
    assert_true(cli_binary > N / 2 && cli_binary < N);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refused, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_load_sees_the_sandbox, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_isolation, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_scenario_random, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_trusted, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_script_binary, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_same_worlds),
        cmocka_unit_test(test_scenario_names),
        cmocka_unit_test_setup_teardown(test_cli_refuses_binary, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_corrupted_chunks, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
