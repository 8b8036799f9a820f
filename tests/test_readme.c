/* test_readme.c — README's complete Lua example runs as printed and writes
 * what it says it writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

static void test_readme_example_runs(void **state)
{
    (void)state;
    char *readme = slurp(OVERSIM_SOURCE_DIR "/README.md");
    assert_non_null(readme);
    char *api = strstr(readme, "## The Lua API");
    assert_non_null(api);
    char *start = strstr(api, "```lua\n");
    assert_non_null(start);
    start += strlen("```lua\n");
    char *end = strstr(start, "```");
    assert_non_null(end);
    *end = 0;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *msg = harness_run(L, start, buf, sizeof buf);
    assert_int_equal(chdir(cwd), 0);
    if (msg)
        fail_msg("README's example failed: %s", msg);
    lua_close(L);
    free(readme);
    const char *files[] = { "results/toy.csv", "results/toy.csv.manifest",
                            "results/toy_policy.csv" };
    for (int i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
        char *s = slurp(path);
        if (!s)
            fail_msg("README's example did not write %s", files[i]);
        assert_true(strlen(s) > 50);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readme_example_runs, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
