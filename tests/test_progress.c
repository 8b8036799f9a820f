/* test_progress.c — the progress display: drawn on stderr when it is a
 * terminal (a pseudo-terminal here), silent when it is not, off with --quiet;
 * and oversim.progress checks its argument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

/* Run the CLI with stderr on a pseudo-terminal and stdout on /dev/null (so
 * only the progress display can reach the terminal). Returns what the
 * terminal received; *status is the exit status. */
static char *run_on_pty(const char *extra, int *status)
{
    char out[256];
    snprintf(out, sizeof out, "out=%s/p.csv", tmpdir);
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDIN_FILENO);
        execl(OVERSIM_BINARY, "oversim", "run", "scripts/naive_rlhf.lua", "seeds=2",
              "rounds=3", out, extra, (char *)NULL);
        _exit(127);
    }
    static char buf[8192];
    size_t n = 0;
    for (;;) {
        ssize_t k = read(master, buf + n, sizeof buf - 1 - n);
        if (k > 0)
            n += (size_t)k;
        else if (k < 0 && errno == EINTR)
            continue;
        else
            break; /* EIO: the child closed the terminal */
    }
    buf[n] = 0;
    close(master);
    int st;
    waitpid(pid, &st, 0);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

static void test_progress_on_a_terminal(void **state)
{
    (void)state;
    int st;
    const char *tty = run_on_pty(NULL, &st);
    assert_int_equal(st, 0);
    print_message("terminal received: %s\n", tty);
    /* runs done / total, redrawn in place, ending with the total and the time */
    assert_non_null(strstr(tty, "\rnaive_rlhf: 0/6 runs, 0.0 s elapsed, ~? remaining"));
    assert_non_null(strstr(tty, "\rnaive_rlhf: 6/6 runs in "));
    assert_non_null(strstr(tty, "\033[K"));

    tty = run_on_pty("--quiet", &st);
    assert_int_equal(st, 0);
    assert_string_equal(tty, "");
}

static void test_progress_silent_when_not_a_terminal(void **state)
{
    (void)state;
    char cmd[512];
    /* stderr into the pipe, stdout away */
    snprintf(cmd, sizeof cmd, "%s run scripts/naive_rlhf.lua seeds=2 rounds=3 out=%s/q.csv "
             "2>&1 >/dev/null", OVERSIM_BINARY, tmpdir);
    FILE *f = popen(cmd, "r");
    char buf[256];
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    buf[k] = 0;
    assert_int_equal(pclose(f), 0);
    assert_string_equal(buf, "");
}

/* oversim.progress and oversim.isatty check their arguments (cases in
 * tests/lua/errors.lua, 'progress'). */
static void test_progress_argument(void **state)
{
    (void)state;
    harness_errors("progress");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_progress_on_a_terminal, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_progress_silent_when_not_a_terminal, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test(test_progress_argument),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
