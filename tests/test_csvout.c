/* test_csvout.c — CSV and text files written whole or not at all: exact
 * bytes, quoting, parent folders, and failures that leave nothing behind and
 * an existing file untouched. */
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "helpers.h"
#include "csvout.h"
#include "files.h"

/* tmpdir/rel, in a static buffer per call site */
static const char *in_root(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/%s", tmpdir, rel);
    return buf;
}

/* Number of entries in dir (no . and ..); *tmp counts names containing
 * ".tmp.". */
static int count_entries(const char *dir, int *tmp)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    *tmp = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        *tmp += strstr(e->d_name, ".tmp.") != NULL;
    }
    closedir(d);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *const HEADER[3] = { "round", "name", "note" };
static const char *const CELLS[12] = {
    "1", "plain", NULL,
    "2", "a,b", "say \"hi\"",
    "3", " lead", "two\nlines",
    "-0.5", "", "trail ",
};
static const char EXPECTED[] =
    "round,name,note\n"
    "1,plain,\n"
    "2,\"a,b\",\"say \"\"hi\"\"\"\n"
    "3,\" lead\",\"two\nlines\"\n"
    "-0.5,,\"trail \"\n";

static void test_write_and_read_back(void **state)
{
    (void)state;
    char path[256];
    in_root(path, sizeof path, "t.csv");
    os_err err = { 0 };
    assert_int_equal(csvout_write(path, 3, HEADER, 4, CELLS, &err), 0);
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, EXPECTED);
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644); /* not mkstemp's 0600 */
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 1);
    assert_int_equal(tmp, 0);
    /* header only */
    assert_int_equal(csvout_write(path, 3, HEADER, 0, NULL, &err), 0);
    got = slurp(path);
    assert_string_equal(got, "round,name,note\n");
    free(got);
    /* no columns */
    err.msg[0] = 0;
    assert_int_equal(csvout_write(path, 0, HEADER, 0, NULL, &err), OS_EINVAL);
    assert_msg_has(err, path);
}

static void test_text_and_overwrite(void **state)
{
    (void)state;
    char path[256];
    in_root(path, sizeof path, "manifest.txt");
    os_err err = { 0 };
    write_file(path, "old contents that are longer than the new ones\n");
    assert_int_equal(csvout_write_text(path, "seed = 1\n", &err), 0);
    char *got = slurp(path);
    assert_string_equal(got, "seed = 1\n");
    free(got);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 1);
    assert_int_equal(tmp, 0);
}

static void test_creates_parents(void **state)
{
    (void)state;
    char path[256], dir[256];
    in_root(path, sizeof path, "a/b/c/out.csv");
    os_err err = { 0 };
    assert_int_equal(csvout_write(path, 3, HEADER, 4, CELLS, &err), 0);
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, EXPECTED);
    free(got);
    int tmp;
    assert_int_equal(count_entries(in_root(dir, sizeof dir, "a/b/c"), &tmp), 1);
    assert_int_equal(tmp, 0);
    /* a relative path with a parent works too (cwd: the test's directory) */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    assert_int_equal(csvout_write_text("rel/x.txt", "ok\n", &err), 0);
    assert_int_equal(chdir(cwd), 0);
    got = slurp(in_root(path, sizeof path, "rel/x.txt"));
    assert_string_equal(got, "ok\n");
    free(got);
}

static void test_unwritable_paths(void **state)
{
    (void)state;
    char file[256], path[300];
    in_root(file, sizeof file, "plainfile");
    write_file(file, "I am a file\n");
    os_err err = { 0 };
    /* a folder that is a regular file */
    snprintf(path, sizeof path, "%s/x.csv", file);
    assert_int_equal(csvout_write(path, 3, HEADER, 4, CELLS, &err), OS_EIO);
    assert_int_equal(err.code, OS_EIO);
    assert_msg_has(err, path);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 1); /* only plainfile */
    assert_int_equal(tmp, 0);
    char *got = slurp(file);
    assert_string_equal(got, "I am a file\n");
    free(got);
    /* deeper: the missing folder would have to be created inside a file */
    snprintf(path, sizeof path, "%s/sub/x.csv", file);
    err.msg[0] = 0;
    assert_int_equal(csvout_write_text(path, "x", &err), OS_EIO);
    assert_msg_has(err, path);
    assert_int_equal(count_entries(tmpdir, &tmp), 1);
    /* a folder that cannot be created */
    err.msg[0] = 0;
    assert_int_equal(csvout_write("/proc/nope/x.csv", 3, HEADER, 4, CELLS, &err), OS_EIO);
    assert_msg_has(err, "/proc/nope/x.csv");
    assert_int_equal(access("/proc/nope", F_OK), -1);
}

/* The target is an existing folder: the temporary file is made, the rename
 * fails, and the temporary file must be removed again. */
static void test_rename_failure_cleans_up(void **state)
{
    (void)state;
    char path[256], inner[256];
    in_root(path, sizeof path, "taken.csv");
    assert_int_equal(mkdir(path, 0755), 0);
    in_root(inner, sizeof inner, "taken.csv/keep.txt");
    write_file(inner, "keep\n");
    os_err err = { 0 };
    assert_int_equal(csvout_write(path, 3, HEADER, 4, CELLS, &err), OS_EIO);
    assert_msg_has(err, path);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 1);
    assert_int_equal(tmp, 0);
    assert_int_equal(count_entries(path, &tmp), 1);
    char *got = slurp(inner);
    assert_string_equal(got, "keep\n");
    free(got);
}

/* A write that fails half-way (file size limit 4096 bytes, EFBIG; works as
 * tmpdir, unlike permissions) leaves the previous file byte for byte and no
 * temporary. Control: under the same limit a small table is written fine. */
static void test_failed_write_keeps_old_file(void **state)
{
    (void)state;
    char path[256], small[256];
    in_root(path, sizeof path, "results.csv");
    in_root(small, sizeof small, "small.csv");
    write_file(path, "previous,results\n1,2\n");
    enum { ROWS = 2000 }; /* ~70 kB */
    static const char *cells[ROWS * 3];
    for (int i = 0; i < ROWS * 3; i++)
        cells[i] = "0.123456789";
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    os_err err = { 0 }, err_small = { 0 };
    int rc = csvout_write(path, 3, HEADER, ROWS, cells, &err);
    int rc_small = csvout_write(small, 3, HEADER, 4, CELLS, &err_small);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc_small, 0);
    assert_int_equal(rc, OS_EIO);
    assert_msg_has(err, path);
    char *got = slurp(path);
    assert_string_equal(got, "previous,results\n1,2\n");
    free(got);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 2); /* results.csv, small.csv */
    assert_int_equal(tmp, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_and_read_back, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_text_and_overwrite, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_creates_parents, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_paths, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_rename_failure_cleans_up, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_keeps_old_file, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
