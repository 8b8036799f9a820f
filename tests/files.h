/* files.h — a temporary folder per test and whole-file reads, for tests that
 * write files. Include after cmocka.h; setup/teardown go in
 * cmocka_unit_test_setup_teardown(test, tmp_setup, tmp_teardown). */
#ifndef OVERSIM_TEST_FILES_H
#define OVERSIM_TEST_FILES_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char tmpdir[64];

static inline int tmp_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static inline int tmp_setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/oversim_test_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int tmp_teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, tmp_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whole file into a malloc'd string (NULL when it does not exist). */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n + 1);
    if (s && fread(s, 1, n, f) != (size_t)n)
        n = 0;
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

/* Run a shell command; its exit status, its output in buf (n bytes). */
static inline int sh(const char *cmd, char *buf, size_t n)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
