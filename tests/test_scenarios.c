/* test_scenarios.c — the shipped experiment tells its story from its CSV, the
 * same seed gives the same bytes, and the CLI behaves as documented.
 * Runs scripts/naive_rlhf.lua exactly as README does (5 seeds, 40 rounds), to
 * a temporary folder, then reads the CSV by column name (tests/lua/scenarios.lua,
 * whose readers fail on a missing column or value instead of giving 0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* Run scripts/naive_rlhf.lua with extra args; out=<tmpdir>/<name>. */
static void run_script(const char *name, const char *extra)
{
    char out[256], ex[128];
    snprintf(out, sizeof out, "out=%s/%s", tmpdir, name);
    snprintf(ex, sizeof ex, "%s", extra ? extra : "");
    char *argv[2] = { out, ex };
    lua_State *L = harness_state(extra ? 2 : 1, argv);
    int rc = oversim_lua_run_file(L, "scripts/naive_rlhf.lua", 0);
    if (rc != LUA_OK)
        fail_msg("naive_rlhf.lua failed: %s", lua_tostring(L, -1));
    lua_close(L);
}

/* A state with tests/lua/scenarios.lua loaded over <tmpdir>/<base>.csv and
 * <base>_policy.csv. */
static lua_State *open_run(const char *base)
{
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/scenarios.lua");
    harness_call(L, LUA_TNONE, "open", "ss", tmpdir, base);
    lua_pop(L, 1);
    return L;
}

static void test_naive_rlhf_story(void **state)
{
    (void)state;
    run_script("n.csv", NULL);
    lua_State *L = open_run("n");
    const int T = 40; /* the script's default rounds */
#define AT(o, t, col) harness_number(L, "mean", "sis", o, t, col)
    /* oracle: deception falls towards 0 (pi0 has 0.25) */
    double d0 = AT("oracle", 0, "deception_rate");
    assert_true(d0 > 0.249 && d0 < 0.251);
    assert_true(AT("oracle", T, "deception_rate") < 0.02);

    /* human-looks: deception and overestimation rise over rounds, perceived value
     * rises, true value ends far below the oracle's. Deception rises within
     * the first rounds and stays up (it plateaus: 0.393, 0.392, 0.382 at rounds
     * 5, 10, 40 over 20 seeds), so both later rounds are checked against round 0 */
    double ld[3] = { AT("human-looks", 0, "deception_rate"), AT("human-looks", 10, "deception_rate"),
                     AT("human-looks", T, "deception_rate") };
    print_message("human-looks deception: %.3f (0) %.3f (10) %.3f (%d)\n", ld[0], ld[1], ld[2], T);
    assert_true(ld[1] > ld[0] + 0.1 && ld[2] > ld[0] + 0.1);
    double lo0 = AT("human-looks", 0, "overestimation"), loT = AT("human-looks", T, "overestimation");
    assert_true(loT > lo0 + 0.25);
    double lp0 = AT("human-looks", 0, "perceived_value"), lpT = AT("human-looks", T, "perceived_value");
    assert_true(lpT > lp0 + 0.25);
    double ltT = AT("human-looks", T, "true_value"), otT = AT("oracle", T, "true_value");
    print_message("true value at round %d: oracle %.3f, human-looks %.3f\n", T, otT, ltT);
    assert_true(ltT < otT - 0.4);
    /* the looks-judging human is wrong in hard contexts: accuracy there < 1/2 */
    assert_true(AT("human-looks", T, "label_accuracy_unsure") < 0.5);

    /* human-coin: no signal in hard contexts; the policy there stays near pi0.
     * Tolerance 0.1 per (run, behaviour): reward-model noise from ~1300 coin
     * labels moves a probability by a few hundredths at kl = 1. The filters
     * must select every run's rows (5 seeds x 4 hard behaviours, 5 x `correct`
     * in easy), so an empty or partial selection cannot pass. */
    assert_int_equal(harness_number(L, "coin_policy_rows", "s", "hard"), 5 * 4);
    assert_int_equal(harness_number(L, "coin_policy_rows", "ss", "easy", "correct"), 5);
    double drift = harness_number(L, "coin_hard_drift", "");
    print_message("human-coin: max |pi - pi0| in hard contexts = %.3f\n", drift);
    assert_true(drift < 0.1);
    /* ... while in easy contexts it learns like the oracle */
    double easy = harness_number(L, "coin_easy_correct", "");
    assert_true(easy > 0.9);
    /* its labels in the unsure region are coin flips: mean accuracy over rounds ~ 1/2
     * (about 1300 labels in all: standard error ~0.014, tolerance 0.06) */
    double acc = harness_number(L, "coin_unsure_accuracy", "");
    assert_true(acc > 0.44 && acc < 0.56);
#undef AT
    lua_close(L);
}

/* The control: with nothing hidden, both humans end where the oracle does (their
 * labels differ only by Boltzmann noise, beta = 5). Tolerance 0.05 on true value
 * (measured gap 0.02) and deception below 0.03 (measured 0.013). */
static void test_clean_world_is_a_control(void **state)
{
    (void)state;
    run_script("c.csv", "scenario=clean");
    lua_State *L = open_run("c");
    double oracle = harness_number(L, "mean", "sis", "oracle", 40, "true_value");
    const char *humans[] = { "human-coin", "human-looks" };
    for (int i = 0; i < 2; i++) {
        double tv = harness_number(L, "mean", "sis", humans[i], 40, "true_value");
        double dr = harness_number(L, "mean", "sis", humans[i], 40, "deception_rate");
        double ov = harness_number(L, "mean", "sis", humans[i], 40, "overestimation");
        print_message("clean, %s: true value %.3f (oracle %.3f), deception %.3f\n", humans[i],
                      tv, oracle, dr);
        assert_true(fabs(tv - oracle) < 0.05);
        assert_true(dr < 0.03);
        assert_true(ov == 0);
    }
    lua_close(L);
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    run_script("a.csv", "seeds=2");
    run_script("b.csv", "seeds=2");
    run_script("c.csv", "seed=2"); /* seeds 2..6 instead of 1..5 */
    char p[256];
    snprintf(p, sizeof p, "%s/a.csv", tmpdir);
    char *a = slurp(p);
    snprintf(p, sizeof p, "%s/b.csv", tmpdir);
    char *b = slurp(p);
    snprintf(p, sizeof p, "%s/c.csv", tmpdir);
    char *c = slurp(p);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);      /* same seeds: same bytes */
    assert_string_not_equal(a, c);  /* other seeds: another file */
    /* the policy file too */
    snprintf(p, sizeof p, "%s/a_policy.csv", tmpdir);
    char *ap = slurp(p);
    snprintf(p, sizeof p, "%s/b_policy.csv", tmpdir);
    char *bp = slurp(p);
    assert_non_null(ap);
    assert_non_null(bp);
    assert_string_equal(ap, bp);
    free(a), free(b), free(c), free(ap), free(bp);
}

static void test_cli(void **state)
{
    (void)state;
    char buf[4096], cmd[512];
    assert_int_equal(sh(OVERSIM_BINARY " --version", buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "oversim 0."));
    assert_int_equal(sh(OVERSIM_BINARY " --help", buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "usage: oversim run FILE.lua [name=value ...]"));
    assert_int_equal(sh(OVERSIM_BINARY " 2>&1", buf, sizeof buf), 1);
    assert_int_equal(sh(OVERSIM_BINARY " run --bogus x.lua 2>&1", buf, sizeof buf), 1);
    assert_string_equal(buf, "oversim: unknown option '--bogus' (try --help)\n");

    /* a script with a typo (tests/lua/typo.lua): one line naming file, line and
     * field; exit 1; no CSV */
    snprintf(cmd, sizeof cmd, "cd tests/lua && %s run typo.lua out=%s/never.csv 2>&1",
             OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, buf, sizeof buf), 1);
    assert_string_equal(buf, "oversim: typo.lua:2: unknown key 'polcy' in train "
                             "(did you mean 'policy'?)\n");
    snprintf(cmd, sizeof cmd, "%s/never.csv", tmpdir);
    assert_int_not_equal(access(cmd, F_OK), 0);

    /* the args reach the script; the manifest records the command */
    snprintf(cmd, sizeof cmd, "%s run scripts/naive_rlhf.lua seeds=1 rounds=2 out=%s/cli.csv",
             OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "3 overseers x 1 seeds, 2 rounds of 64 labels"));
    snprintf(cmd, sizeof cmd, "%s/cli.csv.manifest", tmpdir);
    char *man = slurp(cmd);
    assert_non_null(man);
    assert_non_null(strstr(man, "command: oversim run scripts/naive_rlhf.lua seeds=1 rounds=2 out="));
    free(man);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_naive_rlhf_story, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_clean_world_is_a_control, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_bytes, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_cli, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
