/* test_files.c — the files oversim leaves: manifests that name their CSV's
 * checksum and a save's side tables (tests/lua/files.lua), and through the
 * oversim command: a failed script's line listing what it wrote, SIGINT and
 * SIGTERM during a write (no temporary left, one line, 130/143), and plot
 * refusing a side table from another save. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* Run entry `name` of tests/lua/files.lua with DIR the test's folder. */
static void run_entry(const char *name)
{
    lua_State *L = harness_state(0, NULL);
    lua_pushstring(L, tmpdir);
    lua_setglobal(L, "DIR");
    harness_load(L, "tests/lua/files.lua");
    harness_call(L, LUA_TNONE, name, "");
    lua_close(L);
}

#define ENTRY(n) static void test_##n(void **state) { (void)state; run_entry(#n); }
ENTRY(on_round_error_values)
ENTRY(manifest_checksum)
ENTRY(read_csv_verifies)
ENTRY(save_is_one_result)
ENTRY(check_output)

/* A script that fails after writing: its error line, then one line listing
 * the files it wrote that are still there (a failed save removed its own). */
static void test_failed_script_lists_files(void **state)
{
    (void)state;
    char cmd[1024], out[4096], expect[2048];
    snprintf(cmd, sizeof cmd, "%s run tests/lua/files_script.lua mode=fail dir=%s 2>&1 >/dev/null",
             OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: tests/lua/files_script.lua:17: late\n"
             "oversim: wrote before the error: %s/a.csv, %s/b_policy.csv, %s/b.csv\n",
             tmpdir, tmpdir, tmpdir);
    assert_string_equal(out, expect);
    snprintf(cmd, sizeof cmd, "%s run tests/lua/files_script.lua mode=save_fails dir=%s "
             "2>&1 >/dev/null", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "\noversim: wrote before the error: %s/a.csv\n", tmpdir);
    assert_non_null(strstr(out, "is NaN"));
    assert_non_null(strstr(out, expect));
    snprintf(expect, sizeof expect, "%s/c_policy.csv", tmpdir);
    assert_int_equal(access(expect, F_OK), -1);
    /* a script that fails before writing anything: only its error line */
    snprintf(cmd, sizeof cmd, "%s run tests/lua/files_script.lua mode=fail dir=/proc/nope "
             "2>&1 >/dev/null", OVERSIM_BINARY);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    assert_null(strstr(out, "wrote before the error"));
    assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out)); /* one line */
}

/* The name of a temporary in dir (first found) into buf; 0 if none. */
static int find_temp(const char *dir, char *buf, size_t n)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) {
            snprintf(buf, n, "%s", e->d_name);
            found = 1;
        }
    closedir(d);
    return found;
}

/* Start the big write in a child (stderr to a pipe), catch it while its
 * temporary exists (stopped with SIGSTOP, so the write cannot end while the
 * signal is on its way), send sig, and check: exit 128 + sig, one line naming
 * the signal and the temporary removed, no temporary left. Returns 0 if the
 * write ended before it could be caught (the caller tries again). */
static int interrupt_write(int sig, const char *signame)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        char dir[128];
        snprintf(dir, sizeof dir, "dir=%s", tmpdir);
        execl(OVERSIM_BINARY, "oversim", "run", "tests/lua/files_script.lua", "mode=big", dir,
              (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char name[256];
    int caught = 0, status;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (find_temp(tmpdir, name, sizeof name)) {
            kill(pid, SIGSTOP);
            assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
            if (WIFSTOPPED(status) && find_temp(tmpdir, name, sizeof name)) {
                kill(pid, sig);
                kill(pid, SIGCONT);
                caught = 1;
                break;
            }
            kill(pid, SIGCONT);
            if (!WIFSTOPPED(status))
                break; /* it ended */
        }
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 60)
            fail_msg("the big write never showed a temporary file");
    }
    char err[8192];
    size_t k = 0;
    for (ssize_t r; k < sizeof err - 1 && (r = read(fds[0], err + k, sizeof err - 1 - k)) > 0;)
        k += (size_t)r;
    err[k] = 0;
    close(fds[0]);
    if (!caught) {
        waitpid(pid, &status, 0);
        char big[256];
        snprintf(big, sizeof big, "%s/big.csv", tmpdir);
        remove(big);
        strcat(big, ".manifest");
        remove(big);
        return 0;
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + sig);
    char expect[512];
    snprintf(expect, sizeof expect, "oversim: interrupted (%s); removed %s/%s", signame, tmpdir,
             name);
    if (strncmp(err, expect, strlen(expect)) != 0)
        fail_msg("stderr was\n  %s\nexpected it to start with\n  %s", err, expect);
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
    assert_int_equal(find_temp(tmpdir, name, sizeof name), 0);
    return 1;
}

static void test_sigint_mid_write(void **state)
{
    (void)state;
    int tries = 0;
    while (!interrupt_write(SIGINT, "SIGINT"))
        if (++tries == 5)
            fail_msg("the write ended before it could be interrupted, 5 times");
}

static void test_sigterm_mid_write(void **state)
{
    (void)state;
    int tries = 0;
    while (!interrupt_write(SIGTERM, "SIGTERM"))
        if (++tries == 5)
            fail_msg("the write ended before it could be interrupted, 5 times");
}

/* oversim plot refuses, in one line, a policy table beside a CSV when that
 * CSV's save wrote another one (and plots it when it is the save's own). */
static void test_plot_refuses_other_save(void **state)
{
    (void)state;
    char cmd[1024], out[4096], expect[1024];
    snprintf(cmd, sizeof cmd, "%s run scripts/naive_rlhf.lua seeds=1 rounds=2 out=%s/n/x.csv "
             "> /dev/null 2>&1 && cp %s/n/x_policy.csv %s/keep.csv && %s run "
             "scripts/naive_rlhf.lua seeds=1 rounds=3 out=%s/n/x.csv > /dev/null 2>&1 && "
             "cp %s/keep.csv %s/n/x_policy.csv", OVERSIM_BINARY, tmpdir, tmpdir, tmpdir,
             OVERSIM_BINARY, tmpdir, tmpdir, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    /* the old policy without its manifest (a copy of one file of the pair) */
    snprintf(cmd, sizeof cmd, "%s plot %s/n/x_policy.csv --quiet 2>&1", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: %s/n/x_policy.csv does not match its manifest",
             tmpdir);
    assert_non_null(strstr(out, expect));
    snprintf(cmd, sizeof cmd, "%s/n/x_policy.csv.manifest", tmpdir);
    assert_int_equal(remove(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s plot %s/n/x_policy.csv --quiet 2>&1", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    snprintf(expect, sizeof expect, "oversim: %s/n/x_policy.csv is not from the same save as "
             "%s/n/x.csv (%s/n/x.csv.manifest lists x_policy.csv with checksum fnv1a64 ",
             tmpdir, tmpdir, tmpdir);
    if (strncmp(out, expect, strlen(expect)) != 0)
        fail_msg("output was\n  %s\nexpected it to start with\n  %s", out, expect);
    assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
    /* the main CSV's figures read its policy: refused the same way */
    snprintf(cmd, sizeof cmd, "%s plot %s/n/x.csv --quiet 2>&1", OVERSIM_BINARY, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "is not from the same save as"));
    snprintf(cmd, sizeof cmd, "%s/n/figures", tmpdir);
    assert_int_equal(access(cmd, F_OK), -1);
}

#define T(n) cmocka_unit_test_setup_teardown(test_##n, tmp_setup, tmp_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(on_round_error_values),
        T(manifest_checksum),
        T(read_csv_verifies),
        T(save_is_one_result),
        T(check_output),
        T(failed_script_lists_files),
        T(sigint_mid_write),
        T(sigterm_mid_write),
        T(plot_refuses_other_save),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
