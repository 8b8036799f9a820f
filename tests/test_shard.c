/* test_shard.c — sweeps across processes and resumed after a crash (issue
 * 12): the shards of a job array (`oversim run --shard I/N`) and their merge
 * (`oversim merge`) write exactly the bytes one process writes, for a
 * one-sweep and a two-sweep script and for uneven splits; a merge with a
 * shard missing, parts of other arguments, and bad --shard values are refused
 * with one line; a sweep with a checkpoint killed (SIGKILL) at random points
 * and rerun ends with the bytes of an uninterrupted run, and a checkpoint of
 * other arguments is refused. Drives the oversim command, as a cluster does. */
#include "helpers.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* cmd (a shell line, run in tmpdir) and its exit status; output into out */
static int shf(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096], full[4400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "cd %s && %s 2>&1", tmpdir, cmd);
    FILE *f = popen(full, "r");
    assert_non_null(f);
    size_t k = fread(out, 1, n - 1, f);
    out[k] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char out[1 << 16];
#define OK(...)                                                               \
    do {                                                                      \
        if (shf(out, sizeof out, __VA_ARGS__) != 0)                            \
            fail_msg("failed: %s", out);                                      \
    } while (0)

/* the files a and b (in tmpdir) have the same bytes */
static void same(const char *a, const char *b)
{
    OK("cmp %s %s", a, b);
}

#define BIN OVERSIM_BINARY
#define SRC OVERSIM_SOURCE_DIR

static void test_shards_merge_one_sweep(void **state)
{
    (void)state;
    const char *args = "seeds=3 rounds=6";
    OK("%s run %s/scripts/examples/compare_overseers.lua %s out=one/c.csv", BIN, SRC, args);
    /* 9 runs in 2 shards (5 + 4) and in 4 (3 + 2 + 2 + 2), each merged */
    for (int shards = 2; shards <= 4; shards += 2) {
        for (int i = 1; i <= shards; i++)
            OK("%s run %s/scripts/examples/compare_overseers.lua --shard %d/%d --parts p%d %s "
               "out=m%d/c.csv", BIN, SRC, i, shards, shards, args, shards);
        /* a shard writes no CSV */
        char path[256];
        snprintf(path, sizeof path, "%s/m%d/c.csv", tmpdir, shards);
        assert_int_not_equal(access(path, F_OK), 0);
        OK("%s merge %s/scripts/examples/compare_overseers.lua --parts p%d %s out=m%d/c.csv",
           BIN, SRC, shards, args, shards);
        char a[64], b[64];
        snprintf(b, sizeof b, "m%d/c.csv", shards);
        same("one/c.csv", b);
        snprintf(a, sizeof a, "m%d/c_policy.csv", shards);
        same("one/c_policy.csv", a);
    }
}

/* scripts/page.lua: two sweeps, and the page itself */
static void test_shards_merge_two_sweeps(void **state)
{
    (void)state;
    const char *args = "seeds=2 rounds=4 kinds=human,recursive competence=0,3 unsure=looks "
                       "labels=16 kl=0.5 depth=1 realism=0,1 cue=3 budget=0,4";
    OK("%s run %s/scripts/page.lua %s out=one", BIN, SRC, args);
    for (int i = 1; i <= 3; i++)
        OK("%s run %s/scripts/page.lua --shard %d/3 %s out=m", BIN, SRC, i, args);
    OK("%s merge %s/scripts/page.lua %s out=m", BIN, SRC, args);
    same("one/index.html", "m/index.html");
    same("one/oversight.csv", "m/oversight.csv");
    same("one/catastrophe.csv", "m/catastrophe.csv");
}

static void expect_fail(const char *needle, const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    if (shf(out, sizeof out, "%s", cmd) == 0)
        fail_msg("expected a failure: %s", cmd);
    if (!strstr(out, needle))
        fail_msg("'%s' says\n%s\nnot '%s'", cmd, out, needle);
    if (strchr(out, '\n') != out + strlen(out) - 1)
        fail_msg("not one line:\n%s", out);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *s = SRC "/scripts/examples/compare_overseers.lua";
    OK("%s run %s --shard 1/3 seeds=2 rounds=3 out=m/c.csv", BIN, s);
    OK("%s run %s --shard 3/3 seeds=2 rounds=3 out=m/c.csv", BIN, s);
    /* shard 2 of 3 never ran */
    expect_fail("of its 6 runs (the first: run 2) are in no part in 'oversim-parts' (2 part "
                "files for this script and arguments; did every shard finish?)",
                "%s merge %s seeds=2 rounds=3 out=m/c.csv", BIN, s);
    /* other arguments: none of the parts are theirs */
    expect_fail("(0 part files for this script and arguments",
                "%s merge %s seeds=2 rounds=4 out=m/c.csv", BIN, s);
    expect_fail("oversim: --shard takes I/N with 1 <= I <= N (got '4/3')",
                "%s run %s --shard 4/3", BIN, s);
    expect_fail("oversim: --shard takes I/N with 1 <= I <= N (got '1')",
                "%s run %s --shard 1", BIN, s);
    expect_fail("oversim: --parts goes with --shard I/N (or a Slurm job array)",
                "%s run %s --parts x", BIN, s);
    expect_fail("oversim: --shard is an option of 'oversim run'",
                "%s merge %s --shard 1/2", BIN, s);
    /* a Slurm array task whose variables say nothing of the array's size */
    expect_fail("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_MIN/MAX nor "
                "SLURM_ARRAY_TASK_COUNT is", "SLURM_ARRAY_TASK_ID=2 %s run %s", BIN, s);
}

/* A Slurm array's variables make a shard: task 5 of 4..6 is shard 2 of 3. */
static void test_slurm_variables(void **state)
{
    (void)state;
    const char *s = SRC "/scripts/examples/compare_overseers.lua";
    OK("SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=6 %s run %s "
       "seeds=2 rounds=3 out=m/c.csv", BIN, s);
    if (!strstr(out, "shard 2/3: not writing m/c.csv"))
        fail_msg("not shard 2/3:\n%s", out);
    OK("ls oversim-parts | grep -c 'sweep1.2of3.part'");
}

/* Kill the checkpointed sweep at random moments, rerun until it finishes:
 * the bytes of the uninterrupted run. */
static void test_resume_after_kill(void **state)
{
    (void)state;
    const char *script = SRC "/tests/lua/checkpoint_script.lua";
    OK("%s run %s out=one/x.csv", BIN, script);
    srand((unsigned)time(NULL));
    int kills = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "cd %s && exec %s run %s out=two/x.csv checkpoint=ck.runs "
                 "--quiet >/dev/null 2>&1", tmpdir, BIN, script);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        /* a random moment within the run (it takes about a second) */
        struct timespec ts = { 0, (long)(rand() % 700 + 50) * 1000000L };
        nanosleep(&ts, NULL);
        int st;
        if (kills < 4 && waitpid(pid, &st, WNOHANG) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            kills++;
            continue;
        }
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            break;
        fail_msg("the resumed run failed (status %d)", st);
    }
    assert_true(kills >= 1);
    print_message("killed %d times, then finished\n", kills);
    same("one/x.csv", "two/x.csv");
    same("one/x_policy.csv", "two/x_policy.csv");
    /* the checkpoint of other arguments is refused */
    expect_fail("holds the runs of another script, other arguments or another build",
                "%s run %s out=two/x.csv checkpoint=ck.runs rounds=59", BIN, script);
}

/* A failing run stops the sweep: nothing after it is trained (one worker; the
 * checkpoint shows what was), and the error names it. */
static void test_failure_stops_the_sweep(void **state)
{
    (void)state;
    if (shf(out, sizeof out, "%s run %s/tests/lua/fail_early.lua checkpoint=ck.runs", BIN,
           SRC) == 0)
        fail_msg("the diverging sweep succeeded");
    if (!strstr(out, "run 2 of the sweep: training diverged"))
        fail_msg("the error does not name run 2:\n%s", out);
    /* the checkpoint: header and exactly one record (run 1) */
    lua_State *L = harness_state(0, NULL);
    char code[512], buf[512];
    snprintf(code, sizeof code,
             "local f = assert(io.open('%s/ck.runs', 'rb')); local s = f:read('a'); f:close()\n"
             "local n = 0; for _ in s:gmatch('OVSR') do n = n + 1 end\n"
             "assert(n == 1, 'records: ' .. n)", tmpdir);
    const char *err = harness_run(L, code, buf, sizeof buf);
    if (err)
        fail_msg("%s", err);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shards_merge_one_sweep, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_shards_merge_two_sweeps, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_refusals, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_slurm_variables, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_resume_after_kill, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_failure_stops_the_sweep, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
