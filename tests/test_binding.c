/* test_binding.c — the Lua API: happy paths and every bad-input message.
 * The Lua is in tests/lua/: bad inputs and their messages in errors.lua (each
 * message checked whole: file, line, field, value), happy paths in binding.lua. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* Run fn of tests/lua/binding.lua in a fresh state (args as for harness_state). */
static void run_ok(const char *fn, int argc, char **argv)
{
    lua_State *L = harness_state(argc, argv);
    harness_load(L, "tests/lua/binding.lua");
    harness_call(L, LUA_TNONE, fn, "");
    lua_close(L);
}

static void test_unknown_key_names_closest(void **state)
{
    (void)state;
    harness_errors("unknown_key_names_closest");
}

static void test_probability_out_of_range(void **state)
{
    (void)state;
    harness_errors("probability_out_of_range");
}

static void test_wrong_type(void **state)
{
    (void)state;
    harness_errors("wrong_type");
}

static void test_priors(void **state)
{
    (void)state;
    harness_errors("priors");
}

static void test_negative_cost_and_empty_world(void **state)
{
    (void)state;
    harness_errors("negative_cost_and_empty_world");
}

static void test_names_resolve_with_suggestions(void **state)
{
    (void)state;
    harness_errors("names_resolve_with_suggestions");
}

static void test_train_ranges(void **state)
{
    (void)state;
    harness_errors("train_ranges");
}

static void test_divergence_names_round_and_quantity(void **state)
{
    (void)state;
    harness_errors("divergence_names_round_and_quantity");
}

static void test_predicates_must_be_boolean(void **state)
{
    (void)state;
    harness_errors("predicates_must_be_boolean");
}

static void test_scenario_not_found(void **state)
{
    (void)state;
    harness_errors("scenario_not_found");
}

/* --- happy paths ------------------------------------------------------------ */

static void test_args_and_require(void **state)
{
    (void)state;
    char *argv[] = { "seeds=3", "name=abc", "flag=true", "x=0.5" };
    run_ok("args_and_require", 4, argv);
}

static void test_math_random_is_seeded(void **state)
{
    (void)state;
    lua_State *a = harness_state(0, NULL), *b = harness_state(0, NULL);
    harness_load(a, "tests/lua/binding.lua");
    harness_load(b, "tests/lua/binding.lua");
    double x = harness_number(a, "first_random", ""), y = harness_number(b, "first_random", "");
    assert_true(x == y);
    lua_close(a);
    lua_close(b);
}

static void test_world_info(void **state)
{
    (void)state;
    run_ok("world_info", 0, NULL);
}

static void test_per_context_values(void **state)
{
    (void)state;
    run_ok("per_context_values", 0, NULL);
}

static void test_features_forms(void **state)
{
    (void)state;
    run_ok("features_forms", 0, NULL);
    harness_errors("features_table");
}

static void test_train_rows(void **state)
{
    (void)state;
    run_ok("train_rows", 0, NULL);
}

static void test_wrong_predicate_makes_wrong_region(void **state)
{
    (void)state;
    run_ok("wrong_predicate_makes_wrong_region", 0, NULL);
}

static void test_on_round_callback(void **state)
{
    (void)state;
    run_ok("on_round_callback", 0, NULL);
    harness_errors("on_round_error");
}

/* --- CSV output ------------------------------------------------------------- */

static void test_write_csv_columns_and_manifest(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/binding.lua");
    harness_call(L, LUA_TNONE, "write_csv_rows", "s", tmpdir);
    char path[256];
    snprintf(path, sizeof path, "%s/sub/x.csv", tmpdir);
    char *csv = slurp(path);
    assert_non_null(csv);
    assert_string_equal(csv,
        "run,seed,round,true_value,label_accuracy,label_accuracy_knows,label_accuracy_unsure,"
        "label_accuracy_wrong,assisted_found,catastrophe_train,catastrophe_deploy,"
        "catastrophe_any,catastrophe_sampled,catastrophe_redteam,true_value_monitored,"
        "true_value_unmonitored,catastrophe_monitored,catastrophe_unmonitored,alpha,zeta\n"
        "1,4,0,0.5,,,,,,,,,,,,,,,,\"a,b\"\n"
        "1,5,1,0,1,,,,,,,,,,,,,,true,\n");
    free(csv);
    snprintf(path, sizeof path, "%s/sub/x.csv.manifest", tmpdir);
    char *man = slurp(path);
    assert_non_null(man);
    assert_non_null(strstr(man, "command: oversim run t.lua\n"));
    assert_non_null(strstr(man, "seeds: 4 5\n"));
    assert_non_null(strstr(man, "rows: 2\n"));
    free(man);
    lua_close(L);
}

static void test_write_csv_refuses_nan_and_bad_paths(void **state)
{
    (void)state;
    char path[256];
    /* a folder where the file should go (the second case) */
    snprintf(path, sizeof path, "%s/isdir.csv", tmpdir);
    mkdir(path, 0755);
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/binding.lua");
    harness_call(L, LUA_TTABLE, "write_csv_errors", "s", tmpdir);
    harness_cases(L, "write_csv_errors");
    lua_close(L);
    /* the NaN left no file behind */
    snprintf(path, sizeof path, "%s/nan.csv", tmpdir);
    assert_int_not_equal(access(path, F_OK), 0);
    /* nor did the folder in the way: no temporary file left */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", tmpdir);
    assert_int_not_equal(system(cmd), 0);
}

/* The strict CSV reader the script tests use (tests/lua/read_csv.lua) fails
 * on a missing column: their checks are not vacuous. */
static void test_strict_csv_reader(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/binding.lua");
    harness_call(L, LUA_TNONE, "strict_reader", "s", tmpdir);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_key_names_closest),
        cmocka_unit_test(test_probability_out_of_range),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_priors),
        cmocka_unit_test(test_negative_cost_and_empty_world),
        cmocka_unit_test(test_names_resolve_with_suggestions),
        cmocka_unit_test(test_train_ranges),
        cmocka_unit_test(test_divergence_names_round_and_quantity),
        cmocka_unit_test(test_predicates_must_be_boolean),
        cmocka_unit_test(test_scenario_not_found),
        cmocka_unit_test(test_args_and_require),
        cmocka_unit_test(test_math_random_is_seeded),
        cmocka_unit_test(test_world_info),
        cmocka_unit_test(test_per_context_values),
        cmocka_unit_test(test_features_forms),
        cmocka_unit_test(test_train_rows),
        cmocka_unit_test(test_wrong_predicate_makes_wrong_region),
        cmocka_unit_test(test_on_round_callback),
        cmocka_unit_test_setup_teardown(test_write_csv_columns_and_manifest, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_write_csv_refuses_nan_and_bad_paths, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_strict_csv_reader, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
