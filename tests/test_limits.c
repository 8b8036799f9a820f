/* test_limits.c — sizes and the memory limit through the Lua API.
 * Integer fields past an int or past their maximum are one-line errors (not
 * truncated); worlds and runs whose estimated memory exceeds the limit are
 * refused before anything is allocated; a state made by
 * oversim_lua_newstate stops a scenario's own Lua loop at its limit; the
 * limit comes from OVERSIM_MAX_MEMORY or oversim.max_memory; and a normal run
 * gives the same numbers under a limit as without one. The Lua is in
 * tests/lua/limits.lua. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include "lua_harness.h"

#define MiB ((size_t)1 << 20)

/* The cases of group in tests/lua/limits.lua (harness_cases). */
static void cases(const char *group)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/limits.lua");
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, group);
    harness_cases(L, group);
    lua_close(L);
}

/* A state as the CLI makes it, with a limit of max_bytes. */
static lua_State *limited_state(size_t max_bytes)
{
    lua_State *L = oversim_lua_newstate(max_bytes);
    assert_non_null(L);
    oversim_lua_setup(L, "t.lua", 0, NULL, "oversim run t.lua", 1);
    return L;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("OVERSIM_MAX_MEMORY"); /* the default limit, 4 GiB, for the messages */
    return 0;
}

static void test_int_fields(void **state)
{
    (void)state;
    cases("int_fields");
}

/* Every estimate message, the 1 x 20,000-behaviour run's included: each case
 * expects the estimate's refusal, which comes before anything is allocated or
 * run (that run once took 8.7 s and 1.6 GB for 8 labels). No clock here: a
 * timed assertion fails on a loaded machine, not on slow code. */
static void test_estimates_fail_fast(void **state)
{
    (void)state;
    cases("estimates");
}

static void test_check_world_size(void **state)
{
    (void)state;
    cases("check_world_size");
}

static void test_max_memory(void **state)
{
    (void)state;
    cases("max_memory");
}

/* random_flaws with 1e8 contexts is refused before it builds anything; a loop
 * that builds 1e8 context records without asking stops, under a 64 MiB limit,
 * with "not enough memory" (the limit, not the machine's memory, ended it),
 * and the state stays usable. */
static void test_lua_limit_stops_a_scenario_loop(void **state)
{
    (void)state;
    lua_State *L = limited_state(64 * MiB);
    harness_load(L, "tests/lua/limits.lua");
    char buf[1024], mem[512];
    assert_int_equal(oversim_lua_memory_message(L, mem, sizeof mem), 0);
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "random_flaws");
    lua_remove(L, -2);
    int rc = lua_pcall(L, 0, 1, 0);
    assert_int_equal(rc, LUA_ERRMEM);
    assert_string_equal(harness_error(L, buf, sizeof buf), "not enough memory");
    assert_int_equal(oversim_lua_memory_message(L, mem, sizeof mem), 1);
    assert_string_equal(mem, "not enough memory: Lua's data reached the memory limit of "
                        "64 MiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))");
    assert_true(oversim_lua_max_memory(L) == 64 * MiB);
    lua_gc(L, LUA_GCCOLLECT);
    /* still usable, and the limit can be raised from Lua: string.rep of 40 MiB
     * holds 80 MiB at its peak (its buffer and the string) */
    const char *err = harness_run(L, "local big = string.rep('x', 40 << 20)", buf, sizeof buf);
    assert_string_equal(err, "not enough memory");
    err = harness_run(L, "assert(oversim.max_memory('128M') == 128 << 20)\n"
                      "local big = string.rep('x', 40 << 20)", buf, sizeof buf);
    if (err)
        fail_msg("after the limit: %s", err);
    lua_close(L);
}

/* The limit cannot go below what Lua already holds. */
static void test_limit_below_use(void **state)
{
    (void)state;
    lua_State *L = limited_state(64 * MiB);
    char buf[1024];
    const char *err = harness_run(L, "big = string.rep('x', 4 << 20)\noversim.max_memory('2M')",
                                  buf, sizeof buf);
    assert_non_null(err);
    if (!strstr(err, "t.lua:2: oversim.max_memory: 2M is below what Lua already holds ("))
        fail_msg("got '%s'", err);
    lua_close(L);
}

/* A normal run gives the same numbers, bit for bit, on a limited state. */
static void test_normal_run_unaffected(void **state)
{
    (void)state;
    lua_State *A = harness_state(0, NULL), *B = limited_state(64 * MiB);
    harness_load(A, "tests/lua/limits.lua");
    harness_load(B, "tests/lua/limits.lua");
    harness_call(A, LUA_TSTRING, "digest", "");
    harness_call(B, LUA_TSTRING, "digest", "");
    assert_string_equal(lua_tostring(A, -1), lua_tostring(B, -1));
    assert_true(strlen(lua_tostring(A, -1)) > 100);
    lua_close(A);
    lua_close(B);
}

/* OVERSIM_MAX_MEMORY: bytes or a binary suffix; unset or empty: 4 GiB; a
 * malformed value is a clear message for the host, and an error where the
 * binding reads it. */
static void test_environment(void **state)
{
    (void)state;
    size_t v = 0;
    char msg[256];
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), 0);
    assert_true(v == OVERSIM_DEFAULT_MAX_MEMORY && v == (size_t)4 << 30);
    setenv("OVERSIM_MAX_MEMORY", "", 1);
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), 0);
    assert_true(v == (size_t)4 << 30);
    setenv("OVERSIM_MAX_MEMORY", "2G", 1);
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), 0);
    assert_true(v == (size_t)2 << 30);
    setenv("OVERSIM_MAX_MEMORY", "3000000", 1);
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), 0);
    assert_true(v == 3000000);
    setenv("OVERSIM_MAX_MEMORY", "512k", 1);
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), -1);
    assert_string_equal(msg, "OVERSIM_MAX_MEMORY must be at least 1 MiB (got '512k')");
    setenv("OVERSIM_MAX_MEMORY", "4 GB", 1);
    assert_int_equal(oversim_lua_limit_from_env(&v, msg, sizeof msg), -1);
    assert_string_equal(msg, "OVERSIM_MAX_MEMORY must be a number of bytes, optionally with a "
                        "K, M, G or T suffix (got '4 GB')");
    /* a state not made by oversim_lua_newstate reads it where it checks */
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *err = harness_run(L, "\noversim.world{ contexts = { { name = 'c' } }, "
                                  "behaviours = { { name = 'b', looks = 0 } } }", buf, sizeof buf);
    assert_non_null(err);
    assert_string_equal(err, "t.lua:2: OVERSIM_MAX_MEMORY must be a number of bytes, "
                        "optionally with a K, M, G or T suffix (got '4 GB')");
    lua_close(L);
    /* and its limit governs the estimates */
    setenv("OVERSIM_MAX_MEMORY", "16M", 1);
    L = harness_state(0, NULL);
    err = harness_run(L, "local bs = {}; for i = 1, 1000 do bs[i] = { name = 'b' .. i, looks = 0 } end\n"
                      "local w = oversim.world{ contexts = { { name = 'c' } }, behaviours = bs }\n"
                      "oversim.train{ world = w, overseer = oversim.overseer{} }", buf, sizeof buf);
    assert_non_null(err);
    if (!strstr(err, "t.lua:3: this run needs about ") ||
        !strstr(err, "above the memory limit of 16 MiB (set OVERSIM_MAX_MEMORY or "
                "oversim.max_memory(bytes))"))
        fail_msg("got '%s'", err);
    lua_close(L);
    unsetenv("OVERSIM_MAX_MEMORY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_fields),
        cmocka_unit_test(test_estimates_fail_fast),
        cmocka_unit_test(test_check_world_size),
        cmocka_unit_test(test_max_memory),
        cmocka_unit_test(test_lua_limit_stops_a_scenario_loop),
        cmocka_unit_test(test_limit_below_use),
        cmocka_unit_test(test_normal_run_unaffected),
        cmocka_unit_test(test_environment),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
