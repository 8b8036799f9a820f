/* test_overoptimization.c — the patterns scripts/overoptimization.lua and
 * scripts/optimisers.lua must show, read from their CSVs by column name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include "lua_harness.h"
#include "files.h"

/* read(path) -> rows by column name */
static const char READ[] = "function read(path) return (oversim.read_csv(path)) end\n";

static void run_script(const char *script, int argc, char **argv)
{
    lua_State *L = harness_state(argc, argv);
    if (oversim_lua_run_file(L, script, 0) != LUA_OK)
        fail_msg("%s: %s", script, lua_tostring(L, -1));
    lua_close(L);
}

/* Evaluate Lua code (READ in scope, DIR = tmpdir) returning a number. */
static double eval(const char *code)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s DIR = '%s'\n%s", READ, tmpdir, code);
    lua_State *L = harness_state(0, NULL);
    char err[1024];
    const char *msg = harness_run(L, buf, err, sizeof err);
    if (msg)
        fail_msg("%s", msg);
    double x = lua_tonumber(L, -1);
    lua_close(L);
    return x;
}

/* For each seed and method: the proxy keeps rising (its final value is its
 * largest, up to 0.01), the gold peaks strictly inside the path and ends at
 * least 0.1 below its peak; every per-seed fit has beta > 0 and R^2 > 0.5;
 * best-of-n's KL respects log n - (n-1)/n. */
static void test_overoptimization_shape(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/o.csv", tmpdir);
    char *argv[] = { out };
    run_script("scripts/overoptimization.lua", 1, argv);
    double bad = eval(
        "local rows, bad = read(DIR .. '/o.csv'), 0\n"
        "for seed = 1, 3 do for _, m in ipairs{ 'rl', 'bon' } do\n"
        "  local path = {}\n"
        "  for _, r in ipairs(rows) do if r.seed == seed and r.method == m then path[#path + 1] = r end end\n"
        "  table.sort(path, function(a, b) return a.d < b.d end)\n"
        "  local peak, maxp = 1, -math.huge\n"
        "  for i, r in ipairs(path) do\n"
        "    if r.gold > path[peak].gold then peak = i end\n"
        "    maxp = math.max(maxp, r.proxy) end\n"
        "  local last = path[#path]\n"
        "  if last.proxy < maxp - 0.01 then bad = bad + 1 end\n"
        "  if peak == 1 or peak == #path then bad = bad + 1 end\n"
        "  if last.gold > path[peak].gold - 0.1 then bad = bad + 1 end\n"
        "  if path[peak].gold <= 0 then bad = bad + 1 end\n"
        "  if m == 'bon' then for _, r in ipairs(path) do\n"
        "    if r.kl > math.log(r.n) - (r.n - 1) / r.n + 1e-9 then bad = bad + 1 end end end\n"
        "end end\n"
        "for _, f in ipairs(read(DIR .. '/o_fit.csv')) do\n"
        "  if f.seed ~= 'all' and (f.beta <= 0 or f.r2 < 0.5) then bad = bad + 1 end end\n"
        "return bad");
    assert_int_equal((int)bad, 0);
}

/* optimisers.lua (1 seed, 10 rounds): for every method a larger KL coefficient
 * (a smaller n) ends at a smaller KL, and every method has a matched point. */
static void test_optimisers_sweep(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "out=%s/p.csv", tmpdir);
    char *argv[] = { out, "seeds=1", "rounds=10" };
    run_script("scripts/optimisers.lua", 3, argv);
    double bad = eval(
        "local rows, bad = read(DIR .. '/p.csv'), 0\n"
        "local final = {}\n"
        "for _, r in ipairs(rows) do if r.round == 10 then\n"
        "  final[r.method] = final[r.method] or {}\n"
        "  table.insert(final[r.method], r) end end\n"
        "for m, list in pairs(final) do\n"
        "  table.sort(list, function(a, b) return a.strength < b.strength end)\n"
        "  for i = 2, #list do\n"
        "    local more = m == 'bon' and list[i].kl <= list[i-1].kl or m ~= 'bon' and list[i].kl >= list[i-1].kl\n"
        "    if more then bad = bad + 1 end end end\n"
        "local seen = {}\n"
        "for _, r in ipairs(read(DIR .. '/p_matched.csv')) do seen[r.method] = true end\n"
        "for _, m in ipairs{ 'exact', 'reinforce', 'ppo', 'optimum', 'dpo', 'bon' } do\n"
        "  if not seen[m] or not final[m] then bad = bad + 1 end end\n"
        "return bad");
    assert_int_equal((int)bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overoptimization_shape, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_optimisers_sweep, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
