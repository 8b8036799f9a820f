/* test_demo.c — `oversim demo` runs to the end without a terminal, and every
 * number its "measured:" lines print is the one measured: this test trains
 * the same runs itself (tests/lua/demo.lua, with the demo's settings
 * repeated on purpose: if the demo changes them, this test says so) and looks
 * for each line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "lua_harness.h"

static void test_demo_runs_through_with_measured_numbers(void **state)
{
    (void)state;
    /* the demo, stdin and stdout not terminals: no pauses, no animation */
    FILE *f = popen(OVERSIM_BINARY " demo </dev/null", "r");
    assert_non_null(f);
    static char out[1 << 16];
    size_t k = fread(out, 1, sizeof out - 1, f);
    out[k] = 0;
    int st = pclose(f);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("oversim demo failed (status %d); output:\n%s", st, out);
    const char *steps[] = { "Step 1 of 6: an overseer who is right",
                            "Step 2 of 6: an overseer who doesn't know",
                            "Step 3 of 6: an overseer who is wrong",
                            "Step 4 of 6: an assisted overseer",
                            "Step 5 of 6: a model that waits for its chance",
                            "Step 6 of 6: the absent supervisor" };
    for (int i = 0; i < 6; i++)
        if (!strstr(out, steps[i]))
            fail_msg("the demo's output lacks '%s'", steps[i]);
    assert_null(strstr(out, "\033["));   /* no terminal codes when not a terminal */
    assert_null(strstr(out, "[Enter")); /* and no pauses */

    /* the expected "measured:" lines, computed independently */
    lua_State *L = harness_state(0, NULL);
    harness_load(L, "tests/lua/demo.lua");
    harness_call(L, LUA_TSTRING, "expected_lines", "");
    /* each expected line, in the demo's output in full */
    char *lines = strdup(lua_tostring(L, -1));
    lua_close(L);
    int n = 0;
    for (char *save, *line = strtok_r(lines, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save), n++) {
        /* a whole line: starts after a newline and ends at one */
        size_t len = strlen(line);
        const char *at = out;
        while ((at = strstr(at, line)) && !(at > out && at[-1] == '\n' && at[len] == '\n'))
            at++;
        if (!at)
            fail_msg("the demo does not print the measured line\n%s", line);
        print_message("%s\n", line);
    }
    assert_int_equal(n, 20);
    /* step 6's picture: the human's policy, watched beside unwatched */
    assert_non_null(strstr(out, "supervisor present    supervisor absent"));
    free(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_runs_through_with_measured_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
