/* test_paths.c — where oversim finds its own files (binding/l_paths.c): a test
 * in the build folder reads the source tree; OVERSIM_PATH is searched for
 * scenarios (only) after the current folder and before it, empty entries
 * skipped, and messages list the folders searched. Also require "oversim" under a stock interpreter: the
 * command line in the global `arg` becomes oversim.args, oversim.script and
 * oversim.command. (An installed, moved oversim: tests/install/run.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <lualib.h>
#include "lua_harness.h"
#include "files.h"

static void test_home_is_the_source_tree(void **state)
{
    (void)state;
    assert_string_equal(oversim_lua_home(), OVERSIM_SOURCE_DIR);
    char buf[4096];
    assert_int_equal(oversim_lua_find("analysis/plot.lua", buf, sizeof buf), 1);
    assert_int_equal(oversim_lua_find("analysis/no_such.lua", buf, sizeof buf), 0);
}

/* tmpdir/NAME/scenarios/mine.lua, a scenario named NAME */
static void write_scenario(const char *folder)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/scenarios", tmpdir, folder);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s/scenarios/mine.lua", tmpdir, folder);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "return oversim.scenario('hidden_bug', { name = '%s' })\n", folder);
    fclose(f);
}

/* what oversim.scenario(name) returns as its name, or its error */
static void expect_scenario(const char *name, const char *want)
{
    lua_State *L = harness_state(0, NULL);
    char code[256], buf[2048];
    snprintf(code, sizeof code, "return oversim.scenario('%s').name", name);
    const char *err = harness_run(L, code, buf, sizeof buf);
    const char *got = err ? err : lua_tostring(L, -1);
    if (!got || strcmp(got, want) != 0)
        fail_msg("oversim.scenario('%s'): got '%s', expected '%s'", name, got ? got : "nil", want);
    lua_close(L);
}

static void test_oversim_path(void **state)
{
    (void)state;
    write_scenario("a");
    write_scenario("b");
    char path[600], want[2048];
    /* the first folder that has it wins; empty entries are skipped */
    snprintf(path, sizeof path, ":%s/nothing::%s/a:%s/b:", tmpdir, tmpdir, tmpdir);
    assert_int_equal(setenv("OVERSIM_PATH", path, 1), 0);
    expect_scenario("mine", "a");
    expect_scenario("hidden_bug", "hidden_bug"); /* then oversim's own */
    snprintf(want, sizeof want, "t.lua:1: scenario 'mne' not found: no scenarios/mne.lua here, "
             "in %s/nothing, in %s/a, in %s/b or in " OVERSIM_SOURCE_DIR
             " (did you mean 'mine'?)", tmpdir, tmpdir, tmpdir);
    expect_scenario("mne", want);
    snprintf(path, sizeof path, "%s/b", tmpdir);
    assert_int_equal(setenv("OVERSIM_PATH", path, 1), 0);
    expect_scenario("mine", "b");
    /* the programs of plot and demo are not looked for on OVERSIM_PATH:
     * scenarios run sandboxed there, a program would not */
    char buf[4096], text[8192];
    assert_int_equal(oversim_lua_find("scenarios/mine.lua", buf, sizeof buf), 0);
    oversim_lua_search_text(text, sizeof text);
    assert_string_equal(text, "here or in " OVERSIM_SOURCE_DIR);
    assert_int_equal(unsetenv("OVERSIM_PATH"), 0);
    lua_State *L = harness_state(0, NULL);
    const char *err = harness_run(L, "oversim.scenario('mine')", want, sizeof want);
    assert_non_null(err);
    assert_non_null(strstr(err, "no scenarios/mine.lua here or in " OVERSIM_SOURCE_DIR " ("));
    lua_close(L);
}

/* require "oversim" in a state set up as lua5.4 sets one up: the global `arg`
 * (argv as strings, the script at 0) exists before any -l is run */
static lua_State *interpreter(const char *const *argv, int argc, int script)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_createtable(L, argc, script + 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
    luaL_requiref(L, "oversim", luaopen_oversim, 1);
    lua_pop(L, 1);
    return L;
}

static const char *eval(lua_State *L, const char *code)
{
    static char buf[1024];
    const char *err = harness_run(L, code, buf, sizeof buf);
    if (err)
        fail_msg("%s: %s", code, err);
    return lua_tostring(L, -1);
}

static void test_stock_interpreter_args(void **state)
{
    (void)state;
    /* lua5.4 -l oversim x.lua seeds=3 name=hi flag=true own 'a b=c' */
    const char *with_script[] = { "lua5.4", "-l", "oversim", "x.lua", "seeds=3", "name=hi",
                                  "flag=true", "own", "a b=c", "=x" };
    lua_State *L = interpreter(with_script, 10, 3);
    assert_string_equal(eval(L, "local a = oversim.args; local n = 0; for _ in pairs(a) do "
                                "n = n + 1 end; return string.format('%s %s %s %s %s %d', "
                                "math.type(a.seeds), a.seeds, a.name, tostring(a.flag), "
                                "a['a b'], n)"),
                        "integer 3 hi true c 4");
    assert_string_equal(eval(L, "return oversim.script"), "x.lua");
    assert_string_equal(eval(L, "return oversim.command"),
                        "lua5.4 -l oversim x.lua seeds=3 name=hi flag=true own 'a b=c' =x");
    assert_string_equal(eval(L, "return oversim.options{ seeds = 1, name = 'x', flag = false, "
                                "['a b'] = '' }.seeds + 1"), "4");
    lua_close(L);
    /* lua5.4 -e '...' seeds=3: no script (nothing below arg[0]), no arguments */
    const char *no_script[] = { "lua5.4", "-e", "seeds=3" };
    L = interpreter(no_script, 3, 0);
    assert_string_equal(eval(L, "return tostring(next(oversim.args)) .. ' ' .. "
                                "tostring(oversim.script) .. ' ' .. tostring(oversim.command)"),
                        "nil nil nil");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_is_the_source_tree),
        cmocka_unit_test_setup_teardown(test_oversim_path, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_stock_interpreter_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
