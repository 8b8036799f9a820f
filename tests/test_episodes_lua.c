/* test_episodes_lua.c — episodes from Lua (the checks are in
 * tests/lua/episodes.lua, the bad input in tests/lua/episodes_errors.lua): bad input to oversim.gridworld and
 * oversim.train_episodes is one line naming the file, the line and what is
 * wrong (no agent, no goal, unknown letter, unreachable goal, H < 1, a ragged
 * map among them; for oversim.mdp, probabilities not summing to 1);
 * g:optimum solves the absent supervisor exactly, an mdp of H = 1 gives the
 * bandit's closed form and a chain soft value iteration's; the shipped
 * gridworld scenarios load sandboxed and say what their headers say; and
 * train_episodes' rows carry every column, repeat for a seed, show a blind
 * overseer selecting tampering, and go to CSV with the episode columns; its
 * second value, the final policy per state and action, says where each state
 * is, sums to 1 per state and its visits to E length + 1, and goes to CSV;
 * assisted and recursive overseers stop the tampering, misconceptions and
 * predicates name states and actions; REINFORCE and PPO learn to water;
 * best-of-n against the looks selects the bucket's lie; an mdp's cell
 * features are used (one-hot ones reproduce the default to the bit; tied
 * ones tie the actions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"
#include "files.h"

static lua_State *load(void)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/episodes.lua");
    return L;
}

static void test_episodes_errors(void **state)
{
    (void)state;
    lua_State *L = load();
    lua_getfield(L, LUA_REGISTRYINDEX, HARNESS_MODULE);
    lua_getfield(L, -1, "errors");
    harness_cases(L, "episodes errors");
    lua_close(L);
}

static void test_episodes_optimum(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "optimum", ""), 0);
    lua_close(L);
}

static void test_episodes_mdp(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "mdp", ""), 0);
    lua_close(L);
}

static void test_episodes_scenarios(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "scenarios", ""), 0);
    lua_close(L);
}

static void test_episodes_overseers(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "overseers", ""), 0);
    lua_close(L);
}

static void test_episodes_methods(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "methods", ""), 0);
    lua_close(L);
}

static void test_episodes_best_of_n(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "best_of_n", ""), 0);
    lua_close(L);
}

static void test_episodes_rows(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "rows", "s", tmpdir), 0);
    lua_close(L);
}

static void test_episodes_policy(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "policy", "s", tmpdir), 0);
    lua_close(L);
}

static void test_episodes_mdp_features(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "mdp_features", ""), 0);
    lua_close(L);
}

static void test_episodes_legend_order(void **state)
{
    (void)state;
    lua_State *L = load();
    assert_int_equal((int)harness_number(L, "legend_order", ""), 0);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_episodes_errors),
        cmocka_unit_test(test_episodes_optimum),
        cmocka_unit_test(test_episodes_mdp),
        cmocka_unit_test(test_episodes_scenarios),
        cmocka_unit_test(test_episodes_overseers),
        cmocka_unit_test(test_episodes_methods),
        cmocka_unit_test(test_episodes_best_of_n),
        cmocka_unit_test_setup_teardown(test_episodes_rows, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_episodes_policy, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_episodes_legend_order),
        cmocka_unit_test(test_episodes_mdp_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
