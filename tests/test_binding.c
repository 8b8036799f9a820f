/* test_binding.c — the Lua API: happy paths and every bad-input message.
 * Each bad-input case checks the whole message: file, line, field, value. */
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

/* The error of code, which must fail, equals want. */
static void expect_error(const char *code, const char *want)
{
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *msg = harness_run(L, code, buf, sizeof buf);
    if (!msg)
        fail_msg("expected an error: %s", want);
    assert_string_equal(msg, want);
    lua_close(L);
}

/* The error of code contains part. */
static void expect_error_part(const char *code, const char *part)
{
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *msg = harness_run(L, code, buf, sizeof buf);
    if (!msg)
        fail_msg("expected an error containing: %s", part);
    if (!strstr(msg, part))
        fail_msg("error '%s' does not contain '%s'", msg, part);
    lua_close(L);
}

static void ok(lua_State *L, const char *code)
{
    char buf[1024];
    const char *msg = harness_run(L, code, buf, sizeof buf);
    if (msg)
        fail_msg("unexpected error: %s", msg);
}

#define ONE_CTX_WORLD(beh) \
    "local o = oversim\n" \
    "local w = o.world{\n" \
    "  contexts = { o.context{ name = 'a' } },\n" \
    "  behaviours = {\n" \
    "    o.behaviour{ name = 'x', looks = 1 },\n" \
    beh \
    "  },\n" \
    "}\n"

static void test_unknown_key_names_closest(void **state)
{
    (void)state;
    expect_error(ONE_CTX_WORLD("    o.behaviour{ name = 'bluff', looks = 1, pior = 0.2 },\n"),
                 "t.lua:6: unknown key 'pior' in behaviour 'bluff' (did you mean 'prior'?)");
    expect_error("local ov = oversim.overseer{ name = 'h', rationalty = 2 }",
                 "t.lua:1: unknown key 'rationalty' in overseer 'h'");
    expect_error("local ov = oversim.overseer{ name = 'h', mistak = 0.1 }",
                 "t.lua:1: unknown key 'mistak' in overseer 'h' (did you mean 'mistake'?)");
}

static void test_probability_out_of_range(void **state)
{
    (void)state;
    expect_error("local ov = oversim.overseer{ name = 'h',\n  mistake = 1.5 }",
                 "t.lua:1: field 'mistake' of overseer 'h' must be a probability in [0,1] "
                 "(got 1.5)");
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s.world, overseer = s.overseers.oracle,\n"
                 "  reward_model = { noise = 1.2 } }",
                 "t.lua:2: field 'noise' of reward_model must be a probability in [0,1] "
                 "(got 1.2)");
}

static void test_wrong_type(void **state)
{
    (void)state;
    expect_error("local ov = oversim.overseer{ name = 'h', competence = 'high' }",
                 "t.lua:1: field 'competence' of overseer 'h' must be a number (got string)");
    expect_error(ONE_CTX_WORLD("    o.behaviour{ name = 'y', looks = 'good' },\n"),
                 "t.lua:6: field 'looks' of behaviour 'y' must be a number, a table by "
                 "context name or a function (got string)");
    expect_error("local ov = oversim.overseer{ name = 'h', when_unsure = 'look' }",
                 "t.lua:1: field 'when_unsure' of overseer 'h' must be one of 'coin', 'skip', "
                 "'looks' (got 'look'; did you mean 'looks'?)");
}

static void test_priors(void **state)
{
    (void)state;
    expect_error(ONE_CTX_WORLD("    o.behaviour{ name = 'bluff', looks = 1, prior = -0.2 },\n"),
                 "t.lua:6: field 'prior' of behaviour 'bluff' must be >= 0 (got -0.2 in "
                 "context 'a')");
    expect_error("local o = oversim\n"
                 "local w = o.world{\n"
                 "  contexts = { o.context{ name = 'a' } },\n"
                 "  behaviours = { o.behaviour{ name = 'x', looks = 1, prior = 0 } },\n"
                 "}\n",
                 "t.lua:2: priors of the behaviours in context 'a' must sum to a positive "
                 "number (got 0)");
}

static void test_negative_cost_and_empty_world(void **state)
{
    (void)state;
    expect_error("local ov = oversim.overseer{ name = 'h', cost = -1 }",
                 "t.lua:1: field 'cost' of overseer 'h' must be >= 0 (got -1)");
    expect_error("local w = oversim.world{ contexts = {}, behaviours = {} }",
                 "t.lua:1: world is empty: field 'contexts' needs at least one context");
    expect_error("local w = oversim.world{ contexts = { { name = 'a' } } }",
                 "t.lua:1: world is empty: field 'behaviours' is missing");
}

static void test_names_resolve_with_suggestions(void **state)
{
    (void)state;
    expect_error("local o = oversim\n"
                 "local w = o.world{\n"
                 "  contexts = { o.context{ name = 'easy' } },\n"
                 "  behaviours = { o.behaviour{ name = 'x', looks = 1, contexts = { 'eazy' } } },\n"
                 "}\n",
                 "t.lua:4: field 'contexts' of behaviour 'x' names an unknown context 'eazy' "
                 "(did you mean 'easy'?)");
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "local ov = oversim.overseer{ name = 'm', competence = 1,\n"
                 "  misconceptions = { { behaviour = 'bluf', bias = 1 } } }\n"
                 "oversim.train{ world = s.world, overseer = ov, rounds = 1 }",
                 "t.lua:2: misconception 1 of overseer 'm' names an unknown behaviour 'bluf' "
                 "(did you mean 'bluff'?)");
    expect_error(ONE_CTX_WORLD("    o.behaviour{ name = 'x', looks = 2 },\n"),
                 "t.lua:6: two behaviours are named 'x'");
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s.world, overseer = s.overseers.oracle, round = 2 }",
                 "t.lua:2: unknown key 'round' in train (did you mean 'rounds'?)");
}

static void test_train_ranges(void **state)
{
    (void)state;
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = -1 }",
                 "t.lua:2: field 'rounds' of train must be >= 0 (got -1)");
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s.world, overseer = s.overseers.oracle,\n"
                 "  policy = { kl = 0 } }",
                 "t.lua:2: field 'kl' of policy must be a finite number > 0 (got 0)");
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s, overseer = s.overseers.oracle }",
                 "t.lua:2: field 'world' of train must be a world made by oversim.world (got table)");
}

static void test_divergence_names_round_and_quantity(void **state)
{
    (void)state;
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "oversim.train{ world = s.world, overseer = s.overseers['human-looks'],\n"
                 "  rounds = 5, reward_model = { fit = 'gd', lr = 1e6 } }",
                 "t.lua:2: training diverged at round 1: reward model parameters became "
                 "non-finite (NaN or Inf); lower reward_model.lr or raise l2 (overseer "
                 "'human-looks', seed 1, run 1)");
    expect_error_part("local s = oversim.scenario('hidden_bug')\n"
                      "oversim.train{ world = s.world, overseer = s.overseers.oracle,\n"
                      "  rounds = 5, policy = { lr = 1e300 } }",
                      "t.lua:2: training diverged at round 1: policy parameters exploded");
}

static void test_predicates_must_be_boolean(void **state)
{
    (void)state;
    expect_error("local s = oversim.scenario('hidden_bug')\n"
                 "local ov = oversim.overseer{ name = 'p', competence = 1,\n"
                 "  wrong = function(ctx, b) return 1 end }\n"
                 "oversim.train{ world = s.world, overseer = ov, rounds = 1 }",
                 "t.lua:2: predicate 'wrong' of overseer 'p' must return true or false "
                 "(got number)");
}

static void test_scenario_not_found(void **state)
{
    (void)state;
    expect_error_part("oversim.scenario('no_such_world')",
                      "t.lua:1: scenario 'no_such_world' not found");
}

/* --- happy paths ------------------------------------------------------------ */

static void test_args_and_require(void **state)
{
    (void)state;
    char *argv[] = { "seeds=3", "name=abc", "flag=true", "x=0.5" };
    lua_State *L = harness_state(4, argv);
    ok(L, "assert(oversim.args.seeds == 3 and math.type(oversim.args.seeds) == 'integer')\n"
          "assert(oversim.args.name == 'abc' and oversim.args.flag == true)\n"
          "assert(oversim.args.x == 0.5)\n"
          "assert(require('oversim') == oversim)\n"
          "assert(oversim.version:match('^%d+%.%d+%.%d+$'))");
    lua_close(L);
}

static void test_math_random_is_seeded(void **state)
{
    (void)state;
    lua_State *a = harness_state(0, NULL), *b = harness_state(0, NULL);
    ok(a, "return math.random(1, 1000000)");
    ok(b, "return math.random(1, 1000000)");
    assert_int_equal(lua_tointeger(a, -1), lua_tointeger(b, -1));
    lua_close(a);
    lua_close(b);
}

static void test_world_info(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    ok(L, "local s = oversim.scenario('hidden_bug')\n"
          "local info = s.world:info()\n"
          "assert(#info.contexts == 2 and #info.behaviours == 5)\n"
          "assert(#info.cells == 7, #info.cells)\n"
          "for _, c in ipairs(info.cells) do\n"
          "  if c.behaviour == 'bluff' then\n"
          "    assert(c.context == 'hard' and math.abs(c.true_value + 0.9) < 1e-12)\n"
          "    assert(c.deceptive == true)\n"
          "  end\n"
          "  if c.behaviour == 'correct' then assert(c.deceptive == false) end\n"
          "end");
    lua_close(L);
}

static void test_per_context_values(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    ok(L, "local o = oversim\n"
          "local w = o.world{\n"
          "  contexts = { o.context{ name = 'a', difficulty = 1, tags = { 'monitored' } },\n"
          "               o.context{ name = 'b', difficulty = 3 } },\n"
          "  behaviours = {\n"
          "    o.behaviour{ name = 'x', looks = function(ctx) return ctx.difficulty * 2 end,\n"
          "                 prior = { a = 1 } },\n"
          "    o.behaviour{ name = 'y', looks = { a = 1, b = 2 },\n"
          "                 facts = { o.fact{ name = 'f', difficulty = 1, contexts = { 'b' },\n"
          "                                   effect = function(ctx) return -ctx.difficulty end } } },\n"
          "  },\n"
          "}\n"
          "local cells = {}\n"
          "for _, c in ipairs(w:info().cells) do cells[c.context .. c.behaviour] = c end\n"
          "assert(cells.ax.looks == 2 and cells.bx == nil)\n"
          "assert(cells.by.true_value == -1 and cells.ay.true_value == 1)\n"
          "assert(w:info().contexts[1].tags.monitored == true)");
    lua_close(L);
}

static void test_train_rows(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    ok(L, "local s = oversim.scenario('hidden_bug')\n"
          "local rows, pol = oversim.train{ world = s.world, overseer = s.overseers['human-coin'],\n"
          "  rounds = 3, labels_per_round = 10, seed = 7, run = 2, params = { sweep = 'a' } }\n"
          "assert(#rows == 4)\n"
          "for i, r in ipairs(rows) do\n"
          "  assert(r.round == i - 1 and r.seed == 7 and r.run == 2 and r.sweep == 'a')\n"
          "  assert(r.overseer == 'human-coin' and r.scenario == 'hidden_bug')\n"
          "  assert(r.labels == 10 * (i - 1) and r.label_cost == 10 * (i - 1))\n"
          "end\n"
          "assert(rows[1].label_accuracy == nil and rows[1].kl == 0)\n"
          "local mass = {}\n"
          "for _, p in ipairs(pol) do mass[p.context] = (mass[p.context] or 0) + p.probability end\n"
          "assert(math.abs(mass.easy - 1) < 1e-12 and math.abs(mass.hard - 1) < 1e-12)");
    lua_close(L);
}

static void test_wrong_predicate_makes_wrong_region(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    /* an overseer wrong about `flatter` everywhere: it sees the surface only */
    ok(L, "local s = oversim.scenario('hidden_bug')\n"
          "local ov = oversim.overseer{ name = 'p', competence = 5, beta = math.huge,\n"
          "  wrong = function(ctx, b) return b == 'flatter' end,\n"
          "  knows = function(ctx, b1, b2) return true end }\n"
          "local rows = oversim.train{ world = s.world, overseer = ov, rounds = 5,\n"
          "  labels_per_round = 200 }\n"
          "for i = 2, 6 do\n"
          "  local r = rows[i]\n"
          "  assert(r.label_accuracy_wrong < 0.2, 'flatter looks best: wrong labels')\n"
          "  assert(r.label_accuracy_unsure == nil, 'knows() covers every pair')\n"
          "end\n"
          "assert(rows[2].label_accuracy_knows == 1, 'competent and rational elsewhere')\n"
          "assert(rows[6].deception_rate > 0.95, 'the policy learns to flatter')");
    lua_close(L);
}

static void test_on_round_callback(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    ok(L, "local s = oversim.scenario('hidden_bug')\n"
          "local seen = {}\n"
          "oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = 4,\n"
          "  on_round = function(r) seen[#seen + 1] = r.round end }\n"
          "assert(#seen == 5 and seen[5] == 4)");
    char buf[512];
    const char *msg = harness_run(L, "local s = oversim.scenario('hidden_bug')\n"
                                     "oversim.train{ world = s.world, overseer = s.overseers.oracle,\n"
                                     "  on_round = function(r) error('stop here') end }", buf,
                                  sizeof buf);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "t.lua:3: stop here"));
    lua_close(L);
}

/* --- CSV output ------------------------------------------------------------- */

static void test_write_csv_columns_and_manifest(void **state)
{
    (void)state;
    lua_State *L = harness_state(0, NULL);
    char code[1024];
    snprintf(code, sizeof code,
             "oversim.write_csv('%s/sub/x.csv', {\n"
             "  { run = 1, seed = 4, round = 0, true_value = 0.5, zeta = 'a,b' },\n"
             "  { run = 1, seed = 5, round = 1, true_value = -0.0, label_accuracy = 1, alpha = true },\n"
             "})", tmpdir);
    ok(L, code);
    char path[256];
    snprintf(path, sizeof path, "%s/sub/x.csv", tmpdir);
    char *csv = slurp(path);
    assert_non_null(csv);
    assert_string_equal(csv,
        "run,seed,round,true_value,label_accuracy,label_accuracy_knows,label_accuracy_unsure,"
        "label_accuracy_wrong,assisted_found,alpha,zeta\n"
        "1,4,0,0.5,,,,,,,\"a,b\"\n"
        "1,5,1,0,1,,,,,true,\n");
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
    char code[512], want[512], path[256];
    snprintf(code, sizeof code, "oversim.write_csv('%s/nan.csv', { { a = 1 }, { a = 0/0 } })",
             tmpdir);
    snprintf(want, sizeof want, "t.lua:1: cannot write '%s/nan.csv': row 2, column 'a' is "
             "NaN (the run diverged or a script computed a bad number)", tmpdir);
    expect_error(code, want);
    snprintf(path, sizeof path, "%s/nan.csv", tmpdir);
    assert_int_not_equal(access(path, F_OK), 0);

    /* a folder where the file should go: nothing is left behind */
    snprintf(path, sizeof path, "%s/isdir.csv", tmpdir);
    mkdir(path, 0755);
    snprintf(code, sizeof code, "oversim.write_csv('%s', { { a = 1 } })", path);
    expect_error_part(code, "cannot write '");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", tmpdir);
    assert_int_not_equal(system(cmd), 0);
    expect_error("oversim.write_csv('/proc/nope/x.csv', { { a = 1 } })",
                 "t.lua:1: cannot write '/proc/nope/x.csv': cannot create folder '/proc/nope': "
                 "No such file or directory");
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
        cmocka_unit_test(test_train_rows),
        cmocka_unit_test(test_wrong_predicate_makes_wrong_region),
        cmocka_unit_test(test_on_round_callback),
        cmocka_unit_test_setup_teardown(test_write_csv_columns_and_manifest, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_write_csv_refuses_nan_and_bad_paths, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
