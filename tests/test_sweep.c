/* test_sweep.c — oversim.sweep: the same results for 1 and 2 workers, the same
 * as running each spec with oversim.train, errors that name the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lua_harness.h"

/* Lua: specs for a small mixed sweep (REINFORCE draws, a recursive overseer,
 * best-of-n), and a serialiser of results to one string. */
static const char SETUP[] =
    "local s = oversim.scenario('hidden_bug')\n"
    "local rec = oversim.overseer{ kind = 'recursive', competence = 0, beta = 5,\n"
    "  depth = 2, critic = { rounds = 5, labels_per_round = 32 } }\n"
    "SPECS = {}\n"
    "for seed = 1, 6 do\n"
    "  SPECS[#SPECS + 1] = { world = s.world, overseer = s.overseers['human-looks'], seed = seed,\n"
    "    run = #SPECS + 1, rounds = 8, policy = { method = 'reinforce', kl = 1, batch = 64 },\n"
    "    params = { tag = 'r' .. seed } }\n"
    "  SPECS[#SPECS + 1] = { world = s.world, overseer = rec, seed = seed, run = #SPECS + 1,\n"
    "    rounds = 4 }\n"
    "  SPECS[#SPECS + 1] = { world = s.world, overseer = s.overseers.oracle, seed = seed,\n"
    "    run = #SPECS + 1, rounds = 3, policy = { method = 'bon', n = 4 } }\n"
    "end\n"
    "function SERIAL(results)\n"
    "  local out = {}\n"
    "  for i, r in ipairs(results) do\n"
    "    for _, part in ipairs{ 'rows', 'policy' } do\n"
    "      for _, row in ipairs(r[part]) do\n"
    "        local keys = {}\n"
    "        for k in pairs(row) do keys[#keys + 1] = k end\n"
    "        table.sort(keys)\n"
    "        for _, k in ipairs(keys) do out[#out + 1] = k .. '=' .. string.format('%.17g', tonumber(row[k]) or 0) .. tostring(row[k]) end\n"
    "      end\n"
    "    end\n"
    "    out[#out + 1] = '|levels=' .. tostring(r.levels and #r.levels)\n"
    "  end\n"
    "  return table.concat(out, ',')\n"
    "end\n";

static void test_workers_do_not_change_results(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    char buf[1024], code[4096];
    snprintf(code, sizeof code,
             "%s\n"
             "local one = SERIAL(oversim.sweep{ runs = SPECS, workers = 1 })\n"
             "local two = SERIAL(oversim.sweep{ runs = SPECS, workers = 2 })\n"
             "local three = SERIAL(oversim.sweep{ runs = SPECS, workers = 3 })\n"
             "local seq = {}\n"
             "for i, spec in ipairs(SPECS) do\n"
             "  local rows, policy, levels = oversim.train(spec)\n"
             "  seq[i] = { rows = rows, policy = policy, levels = levels }\n"
             "end\n"
             "assert(#one > 10000)\n"
             "assert(one == two, 'one and two workers differ')\n"
             "assert(one == three, 'one and three workers differ')\n"
             "assert(one == SERIAL(seq), 'sweep and train differ')\n",
             SETUP);
    const char *msg = harness_run(L, code, buf, sizeof buf);
    if (msg)
        fail_msg("%s", msg);
    lua_close(L);
}

static void test_sweep_errors(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *msg = harness_run(L,
        "local s = oversim.scenario('hidden_bug')\n"
        "oversim.sweep{ workers = 2, runs = {\n"
        "  { world = s.world, overseer = s.overseers.oracle, rounds = 2 },\n"
        "  { world = s.world, overseer = s.overseers.oracle, rounds = 2, policy = { lr = 1e300 } } } }",
        buf, sizeof buf);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "t.lua:2: run 2 of the sweep: training diverged at round 1"));
    msg = harness_run(L,
        "local s = oversim.scenario('hidden_bug')\n"
        "oversim.sweep{ runs = { { world = s.world, overseer = s.overseers.oracle,\n"
        "  on_round = function() end } } }", buf, sizeof buf);
    assert_non_null(msg);
    assert_string_equal(msg, "t.lua:2: field 'on_round' is not allowed in oversim.sweep (runs go "
                             "in parallel); use oversim.train");
    msg = harness_run(L, "oversim.sweep{ run = {} }", buf, sizeof buf);
    assert_non_null(msg);
    assert_string_equal(msg, "t.lua:1: unknown key 'run' in sweep (did you mean 'runs'?)");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workers_do_not_change_results),
        cmocka_unit_test(test_sweep_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
