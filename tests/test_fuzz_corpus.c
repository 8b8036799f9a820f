/* test_fuzz_corpus.c — the committed seeds and crashes of the spec and
 * episodes fuzz targets (tests/fuzz/corpus/{spec,episodes}/,
 * tests/fuzz/crashes/{spec,episodes}/) are byte for byte what
 * tests/fuzz/make_corpus.lua writes now, and none is there that it no longer
 * writes. The seeds are
 * spelt with tests/fuzz/spec.lua's own lists, so an edit or key added to the
 * decoder changes what old bytes mean; without this check the regression
 * inputs of issue 11 silently stopped testing what they were named for (a
 * 3 x 20000 world had become a policy's epochs = 0). After changing the
 * decoder: oversim run tests/fuzz/make_corpus.lua, and commit the seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "files.h"

static void test_seeds_are_what_make_corpus_writes(void **state)
{
    (void)state;
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' run tests/fuzz/make_corpus.lua out=%s/corpus crashes=%s/crashes 2>&1",
             OVERSIM_BINARY, tmpdir, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    /* every spec and episodes seed it wrote, compared with the committed one;
     * prints the names of those that differ or are missing */
    snprintf(cmd, sizeof cmd,
             "cd %s && n=0 && for f in corpus/spec/* corpus/episodes/* crashes/spec/* crashes/episodes/*; do "
             "n=$((n+1)); cmp -s \"$f\" \"%s/tests/fuzz/$f\" || echo \"differs: $f\"; done; "
             "cd %s/tests/fuzz && for f in corpus/spec/* corpus/episodes/* crashes/spec/* "
             "crashes/episodes/*; do [ -e \"%s/$f\" ] || echo \"differs: $f is no longer "
             "written\"; done; echo \"compared $n\"",
             tmpdir, OVERSIM_SOURCE_DIR, OVERSIM_SOURCE_DIR, tmpdir);
    assert_int_equal(sh(cmd, out, sizeof out), 0);
    if (strstr(out, "differs:"))
        fail_msg("committed fuzz seeds differ from what make_corpus.lua writes "
                 "(run it and commit them):\n%s", out);
    int n = 0;
    assert_int_equal(sscanf(strstr(out, "compared ") ? strstr(out, "compared ") : "", "compared %d", &n), 1);
    assert_true(n >= 60); /* 27 + 28 seeds, 10 + 1 crashes: not an empty glob */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seeds_are_what_make_corpus_writes, tmp_setup,
                                        tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
