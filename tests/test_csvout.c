/* test_csvout.c — CSV and text files written whole or not at all: exact
 * bytes, quoting, parent folders, and failures that leave nothing behind and
 * an existing file untouched. */
#include <dirent.h>
#include <errno.h>
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

/* FNV-1a 64, against the published test vectors (and in two pieces). */
static void test_fnv1a64(void **state)
{
    (void)state;
    assert_true(csvout_fnv1a64(CSVOUT_FNV_INIT, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(csvout_fnv1a64(CSVOUT_FNV_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(csvout_fnv1a64(CSVOUT_FNV_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    assert_true(csvout_fnv1a64(csvout_fnv1a64(CSVOUT_FNV_INIT, "foo", 3), "bar", 3) ==
                0x85944171f73967e8ULL);
}

/* The pair: the CSV's bytes as csvout_write writes them, the manifest the
 * head plus the checksum of exactly those bytes; the same input gives the
 * same bytes; csvout_verify accepts it and names what differs otherwise. */
static void test_pair(void **state)
{
    (void)state;
    char path[256], mpath[300];
    in_root(path, sizeof path, "p.csv");
    snprintf(mpath, sizeof mpath, "%s.manifest", path);
    os_err err = { 0 };
    uint64_t sum = 0;
    assert_int_equal(csvout_write_pair(path, 3, HEADER, 4, CELLS, "rows: 4\n", &sum, &err), 0);
    char *csv = slurp(path), *man = slurp(mpath);
    assert_string_equal(csv, EXPECTED);
    uint64_t want = csvout_fnv1a64(CSVOUT_FNV_INIT, EXPECTED, strlen(EXPECTED));
    assert_true(sum == want);
    char expect[128];
    snprintf(expect, sizeof expect, "rows: 4\nchecksum: fnv1a64 %016llx\n",
             (unsigned long long)want);
    assert_string_equal(man, expect);
    free(csv);
    free(man);
    uint64_t file_sum = 0;
    assert_int_equal(csvout_checksum_file(path, &file_sum, &err), 0);
    assert_true(file_sum == want);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 2);
    assert_int_equal(tmp, 0);
    csvout_manifest m;
    assert_int_equal(csvout_manifest_read(path, &m, &err), 0);
    assert_int_equal(m.found, 1);
    assert_int_equal(m.rows, 4);
    assert_int_equal(m.has_checksum, 1);
    assert_true(m.checksum == want);
    assert_int_equal(csvout_verify(path, 4, want, &err), 0);
    char msg[512];
    assert_int_equal(csvout_verify(path, 3, want, &err), OS_EINVAL);
    snprintf(msg, sizeof msg, "%s does not match its manifest (3 rows, the manifest says 4): "
             "one of them is from another run or the write was interrupted; write it again",
             path);
    assert_msg_is(err, msg);
    assert_int_equal(csvout_verify(path, 4, want ^ 1, &err), OS_EINVAL);
    snprintf(msg, sizeof msg, "%s does not match its manifest (checksum fnv1a64 %016llx, the "
             "manifest says %016llx): one of them is from another run or the write was "
             "interrupted; write it again", path, (unsigned long long)(want ^ 1),
             (unsigned long long)want);
    assert_msg_is(err, msg);
    /* no manifest: nothing to check against */
    assert_int_equal(unlink(mpath), 0);
    assert_int_equal(csvout_manifest_read(path, &m, &err), 0);
    assert_int_equal(m.found, 0);
    assert_int_equal(csvout_verify(path, 99, 0, &err), 0);
    /* a manifest from before checksums: rows only */
    write_file(mpath, "rows: 4\ncolumns: round name note\n");
    assert_int_equal(csvout_verify(path, 4, 0, &err), 0);
    assert_int_equal(csvout_verify(path, 5, want, &err), OS_EINVAL);
    write_file(mpath, "rows: 4\nchecksum: md5 abc\n");
    assert_int_equal(csvout_verify(path, 4, want, &err), OS_EIO);
    assert_msg_has(err, "malformed line 'checksum: md5 abc' (expected fnv1a64 and 16 hex digits)");
}

/* A kill between the two renames leaves the new manifest beside the old CSV:
 * the pair is refused (simulated by putting the old CSV back). */
static void test_old_csv_new_manifest(void **state)
{
    (void)state;
    char path[256], mpath[300];
    in_root(path, sizeof path, "k.csv");
    snprintf(mpath, sizeof mpath, "%s.manifest", path);
    os_err err = { 0 };
    uint64_t old_sum, new_sum;
    assert_int_equal(csvout_write_pair(path, 3, HEADER, 4, CELLS, "rows: 4\n", &old_sum, &err), 0);
    char *old = slurp(path);
    assert_int_equal(csvout_write_pair(path, 3, HEADER, 3, CELLS, "rows: 3\n", &new_sum, &err), 0);
    assert_int_equal(csvout_verify(path, 3, new_sum, &err), 0);
    write_file(path, old);
    free(old);
    assert_int_equal(csvout_verify(path, 4, old_sum, &err), OS_EINVAL);
    assert_msg_has(err, "does not match its manifest (4 rows, the manifest says 3)");
}

/* A failed pair leaves nothing new: the CSV cannot be written (the target is
 * a folder), so no manifest appears either. */
static void test_pair_failure_leaves_nothing(void **state)
{
    (void)state;
    char path[256], mpath[300];
    in_root(path, sizeof path, "d.csv");
    snprintf(mpath, sizeof mpath, "%s.manifest", path);
    assert_int_equal(mkdir(path, 0755), 0);
    os_err err = { 0 };
    assert_int_equal(csvout_write_pair(path, 3, HEADER, 4, CELLS, "", NULL, &err), OS_EIO);
    assert_msg_has(err, path);
    assert_int_equal(access(mpath, F_OK), -1);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 1);
    assert_int_equal(tmp, 0);
}

/* Sibling lines: a name with a checksum, a name the save did not write, and
 * a name the manifest does not mention. */
static void test_manifest_sibling(void **state)
{
    (void)state;
    char path[256], mpath[300];
    in_root(path, sizeof path, "s.csv");
    snprintf(mpath, sizeof mpath, "%s.manifest", path);
    os_err err = { 0 };
    uint64_t sum = 0;
    assert_int_equal(csvout_manifest_sibling(path, "s_policy.csv", &sum, &err), 0);
    write_file(mpath, "rows: 1\nsibling: s_critics.csv none\n"
                      "sibling: s_policy.csv fnv1a64 00000000000000ff\n"
                      "checksum: fnv1a64 0000000000000001\n");
    assert_int_equal(csvout_manifest_sibling(path, "s_policy.csv", &sum, &err), 1);
    assert_true(sum == 0xff);
    assert_int_equal(csvout_manifest_sibling(path, "s_critics.csv", &sum, &err), 2);
    assert_int_equal(csvout_manifest_sibling(path, "s_fit.csv", &sum, &err), 0);
    assert_int_equal(csvout_manifest_sibling(path, "s_polic", &sum, &err), 0);
}

/* A temporary left by a killed write (X.csv.tmp. and six letters or digits)
 * is removed by the next write to X.csv; nothing else is: not another
 * target's, not a name of another shape. */
static void test_stale_temporaries(void **state)
{
    (void)state;
    char path[256], stale[300], other[300], odd[300], man[300];
    in_root(path, sizeof path, "x.csv");
    in_root(stale, sizeof stale, "x.csv.tmp.zzzzzz");
    in_root(other, sizeof other, "y.csv.tmp.zzzzzz");
    in_root(odd, sizeof odd, "x.csv.tmp.keep.txt");
    in_root(man, sizeof man, "x.csv.manifest.tmp.a1B2c3");
    write_file(stale, "half a fi");
    write_file(other, "y's");
    write_file(odd, "mine");
    write_file(man, "half a manifest");
    os_err err = { 0 };
    assert_int_equal(csvout_write_pair(path, 3, HEADER, 4, CELLS, "", NULL, &err), 0);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(man, F_OK), -1);
    assert_int_equal(access(other, F_OK), 0);
    assert_int_equal(access(odd, F_OK), 0);
    int tmp;
    assert_int_equal(count_entries(tmpdir, &tmp), 4); /* x.csv, its manifest, y's, odd */
    assert_int_equal(tmp, 2);
}

/* Nothing in flight: the handler's call removes nothing and says nothing. */
static void test_remove_inflight_idle(void **state)
{
    (void)state;
    char buf[64] = "junk";
    assert_int_equal(csvout_remove_inflight(buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(csvout_remove_inflight(NULL, 0), 0);
}

/* check_folder: creates folders, leaves no file behind; a folder that is a
 * file is one line naming the path, the folder and the reason. */
static void test_check_folder(void **state)
{
    (void)state;
    char path[256], file[256], bad[300];
    in_root(path, sizeof path, "new/deeper/x.csv");
    os_err err = { 0 };
    assert_int_equal(csvout_check_folder(path, &err), 0);
    in_root(file, sizeof file, "new/deeper");
    int tmp;
    assert_int_equal(count_entries(file, &tmp), 0);
    in_root(file, sizeof file, "plain");
    write_file(file, "x");
    snprintf(bad, sizeof bad, "%s/x.csv", file);
    assert_int_equal(csvout_check_folder(bad, &err), OS_EIO);
    char msg[700];
    snprintf(msg, sizeof msg, "cannot write '%s': cannot create a file in folder '%s': %s",
             bad, file, strerror(ENOTDIR));
    assert_msg_is(err, msg);
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
        cmocka_unit_test(test_fnv1a64),
        cmocka_unit_test_setup_teardown(test_pair, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_old_csv_new_manifest, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_pair_failure_leaves_nothing, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_manifest_sibling, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_stale_temporaries, tmp_setup, tmp_teardown),
        cmocka_unit_test(test_remove_inflight_idle),
        cmocka_unit_test_setup_teardown(test_check_folder, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
