/* test_fuzz_regressions.c — every input the fuzzers were ever given to keep,
 * replayed on every ctest run: tests/fuzz/crashes/<target>/ (inputs that
 * crashed oversim once: each is a regression test) and the seed corpus
 * tests/fuzz/corpus/<target>/, through the fuzz targets' own entry functions
 * (tests/fuzz/fuzz_<target>.c, linked here without libFuzzer; see fuzz.h).
 * A target returns for any input and aborts on a broken invariant, so a test
 * fails by crashing: the last "replay" line printed names the input.
 * Under ./run.sh asan these replays run with AddressSanitizer and UBSan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int fuzz_read_csv(const uint8_t *data, size_t size);
int fuzz_spec(const uint8_t *data, size_t size);
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

/* Every regular file of dir (in name order) through fn; returns how many.
 * A missing folder replays nothing. */
static int replay_dir(const char *dir, fuzz_entry fn)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return 0;
    int done = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t size;
            uint8_t *data = slurp(path, &size);
            printf("replay %s\n", path);
            fflush(stdout);
            assert_int_equal(fn(data, size), 0);
            free(data);
            done++;
        }
        free(names[i]);
    }
    free(names);
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
REPLAY(scenario)
REPLAY(plot)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crashes_read_csv), cmocka_unit_test(test_crashes_spec),
        cmocka_unit_test(test_crashes_scenario), cmocka_unit_test(test_crashes_plot),
        cmocka_unit_test(test_corpus_read_csv),  cmocka_unit_test(test_corpus_spec),
        cmocka_unit_test(test_corpus_scenario),  cmocka_unit_test(test_corpus_plot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
