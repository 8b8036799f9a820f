/* test_fuzz_regressions.c — every input the fuzzers were ever given to keep,
 * replayed on every ctest run: tests/fuzz/crashes/<target>/ (inputs that
 * crashed oversim once: each is a regression test) and the seed corpus
 * tests/fuzz/corpus/<target>/, through the fuzz targets' own entry functions
 * (tests/fuzz/fuzz_<target>.c, linked here without libFuzzer; see fuzz.h).
 * Each input runs in a child process, so one crash neither hides the others
 * nor takes the test binary down; an input fails when its child dies (a
 * signal: a crash, or the abort of a broken invariant or a sanitizer report),
 * exits non-zero, runs longer than REPLAY_SECONDS, or peaks above
 * REPLAY_RSS_MB of memory (issue 11, item 5: a run must refuse what it cannot
 * afford before allocating it). A test lists every input that failed.
 * Under ./run.sh asan these replays run with AddressSanitizer and UBSan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* per input: the fuzzer's -timeout is 10 s and its -rss_limit_mb 2048 for
 * a whole run; one input alone, even under ASan, must stay well inside */
#define REPLAY_SECONDS 60
#define REPLAY_RSS_MB 1024
/* and no single allocation past this, so that a bug that asks for gigabytes
 * (tests/fuzz/crashes/spec/item5_3x20000_oom asks for 4.8 GB) fails the input
 * instead of the machine: RLIMIT_AS in a plain build; under ASan, which
 * reserves terabytes of address space, its allocator's own limit */
#define REPLAY_ALLOC_MB 3072
#define STR2(x) #x
#define STR(x) STR2(x)
#if defined(__SANITIZE_ADDRESS__)
#define REPLAY_ASAN 1
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_allocation_size_mb=" STR(REPLAY_ALLOC_MB) ":allocator_may_return_null=1";
}
#else
#define REPLAY_ASAN 0
#endif

int fuzz_read_csv(const uint8_t *data, size_t size);
int fuzz_spec(const uint8_t *data, size_t size);
int fuzz_episodes(const uint8_t *data, size_t size);
int fuzz_scenario(const uint8_t *data, size_t size);
int fuzz_plot(const uint8_t *data, size_t size);

typedef int (*fuzz_entry)(const uint8_t *, size_t);

/* the whole file, malloc'd (never NULL: a 0-byte file gives a 1-byte buffer) */
static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        fail_msg("cannot read %s", path);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* The handlers of the signals a crash raises as they were before cmocka put
 * its own (which would longjmp back into the test inside the child): the
 * default, or AddressSanitizer's, which reports the crash. */
static const int CRASH_SIGNALS[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGABRT };
#define N_CRASH_SIGNALS (sizeof CRASH_SIGNALS / sizeof CRASH_SIGNALS[0])
static struct sigaction crash_handlers[N_CRASH_SIGNALS];

/* Run fn on the file at path in a child process. Returns NULL if it ended
 * well, else what went wrong (written into why). */
static const char *replay_one(const char *path, fuzz_entry fn, char *why, size_t n)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        for (size_t i = 0; i < N_CRASH_SIGNALS; i++)
            sigaction(CRASH_SIGNALS[i], &crash_handlers[i], NULL);
        alarm(REPLAY_SECONDS);
        if (!REPLAY_ASAN) {
            struct rlimit lim = { (rlim_t)REPLAY_ALLOC_MB << 20, (rlim_t)REPLAY_ALLOC_MB << 20 };
            setrlimit(RLIMIT_AS, &lim);
        }
        size_t size;
        uint8_t *data = slurp(path, &size);
        int rc = fn(data, size);
        free(data);
        exit(rc == 0 ? 0 : 3); /* atexit: the target's temporary folder, and LeakSanitizer */
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        fail_msg("wait4: %s", strerror(errno));
    long mb = ru.ru_maxrss / 1024;
    if (WIFSIGNALED(status))
        snprintf(why, n, "%s", WTERMSIG(status) == SIGALRM ? "took over the time limit"
                                                          : strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        snprintf(why, n, "exit status %d", WEXITSTATUS(status));
    else if (mb > REPLAY_RSS_MB)
        snprintf(why, n, "peak memory %ld MB, over the %d MB limit", mb, REPLAY_RSS_MB);
    else
        return NULL;
    return why;
}

/* Every regular file of dir (in name order) through fn, each in its own
 * process; fails the test naming every input that failed. Returns how many
 * files were replayed (a missing folder replays nothing). */
static int replay_dir(const char *dir, fuzz_entry fn)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return 0;
    int done = 0, failed = 0;
    char report[4096] = "";
    for (int i = 0; i < n; i++) {
        char path[4096], why[128];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            const char *bad = replay_one(path, fn, why, sizeof why);
            printf("replay %s: %s\n", path, bad ? bad : "ok");
            if (bad) {
                size_t used = strlen(report);
                snprintf(report + used, sizeof report - used, "\n  %.300s: %s", path, bad);
                failed++;
            }
            done++;
        }
        free(names[i]);
    }
    free(names);
    if (failed)
        fail_msg("%d of %d inputs of %s failed:%s", failed, done, dir, report);
    return done;
}

#define REPLAY(target)                                                         \
    static void test_crashes_##target(void **state)                            \
    {                                                                          \
        (void)state;                                                           \
        replay_dir("tests/fuzz/crashes/" #target, fuzz_##target);              \
    }                                                                          \
    static void test_corpus_##target(void **state)                             \
    {                                                                          \
        (void)state;                                                           \
        /* the seed corpus is committed: an empty one means a wrong path */    \
        assert_true(replay_dir("tests/fuzz/corpus/" #target, fuzz_##target) > 0); \
    }

REPLAY(read_csv)
REPLAY(spec)
REPLAY(episodes)
REPLAY(scenario)
REPLAY(plot)

int main(void)
{
    for (size_t i = 0; i < N_CRASH_SIGNALS; i++)
        sigaction(CRASH_SIGNALS[i], NULL, &crash_handlers[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crashes_read_csv), cmocka_unit_test(test_crashes_spec),
        cmocka_unit_test(test_crashes_episodes), cmocka_unit_test(test_crashes_scenario),
        cmocka_unit_test(test_crashes_plot),
        cmocka_unit_test(test_corpus_read_csv),  cmocka_unit_test(test_corpus_spec),
        cmocka_unit_test(test_corpus_episodes),  cmocka_unit_test(test_corpus_scenario),
        cmocka_unit_test(test_corpus_plot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
