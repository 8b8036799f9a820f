/* test_demo.c — `oversim demo` runs to the end without a terminal, and every
 * number its "measured:" lines print is the one measured: this test trains
 * the same four runs itself (the demo's settings, repeated below on purpose:
 * if the demo changes them, this test says so) and looks for each line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "lua_harness.h"

/* The demo's expected "measured:" lines, computed independently, joined by
 * newlines. */
static const char EXPECTED[] =
    "local s = oversim.scenario('hidden_bug')\n"
    "local function run(ov)\n"
    "  return oversim.train{ world = s.world, overseer = ov, rounds = 30,\n"
    "    labels_per_round = 32, seed = 1,\n"
    "    policy = { method = 'exact', kl = 0.5, lr = 0.3, steps = 5 } }\n"
    "end\n"
    "local function f3(x) return string.format('%.3f', x) end\n"
    "local function fl(r, c) return f3(r[1][c]) .. ' -> ' .. f3(r[#r][c]) end\n"
    "local function cell(p, ctx, beh)\n"
    "  for _, x in ipairs(p) do\n"
    "    if x.context == ctx and x.behaviour == beh then return x end end end\n"
    "local out = {}\n"
    "local function line(t) out[#out + 1] = '  measured: ' .. t end\n"
    /* 1: the oracle */
    "local r1 = run(s.overseers.oracle)\n"
    "line('true value ' .. fl(r1, 'true_value') .. ', deception rate ' ..\n"
    "     fl(r1, 'deception_rate'))\n"
    /* 2: doesn't know */
    "local r2, p2 = run(s.overseers['human-coin'])\n"
    "local sum, n = 0, 0\n"
    "for _, r in ipairs(r2) do if r.label_accuracy_unsure then\n"
    "  sum, n = sum + r.label_accuracy_unsure, n + 1 end end\n"
    "line('true value ' .. fl(r2, 'true_value'))\n"
    "line('labels on hard requests agree with the truth ' .. f3(sum / n) .. ' of the time')\n"
    "local e, h = cell(p2, 'easy', 'correct'), cell(p2, 'hard', 'correct')\n"
    "line('P(correct | easy) ' .. f3(e.prior) .. ' -> ' .. f3(e.probability) ..\n"
    "     ', P(correct | hard) ' .. f3(h.prior) .. ' -> ' .. f3(h.probability))\n"
    /* 3: wrong */
    "local r3, p3 = run(s.overseers['human-looks'])\n"
    "local v0, v1 = 0, 0\n"
    "for _, x in ipairs(p3) do if x.context == 'hard' then\n"
    "  v0, v1 = v0 + x.prior * x.true_value, v1 + x.probability * x.true_value end end\n"
    "line('perceived value ' .. fl(r3, 'perceived_value') .. ', true value ' ..\n"
    "     fl(r3, 'true_value'))\n"
    "line('true value on hard requests ' .. f3(v0) .. ' -> ' .. f3(v1))\n"
    "line('deception rate ' .. fl(r3, 'deception_rate'))\n"
    /* 4: assisted */
    "local r4 = run(oversim.overseer{ kind = 'assisted', name = 'assisted',\n"
    "  competence = 1, beta = 5, when_unsure = 'looks', verify_gain = 1,\n"
    "  critique_cost = 0.2,\n"
    "  assistant = { recall = 0.8, honesty = 1, false_alarm = 0, reach = 3 } })\n"
    "local o, w, a = r1[#r1].true_value, r3[#r3].true_value, r4[#r4].true_value\n"
    "line('true value ' .. fl(r4, 'true_value') .. ', deception rate ' ..\n"
    "     fl(r4, 'deception_rate'))\n"
    "line(string.format('closes %.0f%% of the gap from ', 100 * (a - w) / (o - w)) ..\n"
    "     f3(w) .. ' (wrong) to ' .. f3(o) .. ' (oracle)')\n"
    "line(string.format('label cost %.0f vs %.0f unaided', r4[#r4].label_cost,\n"
    "                   r3[#r3].label_cost))\n"
    /* the story's direction, so a change of settings cannot silently flatten it */
    "assert(r1[#r1].true_value > r1[1].true_value + 0.4, 'oracle helps')\n"
    "assert(math.abs(h.probability - h.prior) < 0.1, 'coin: hard stays near pi0')\n"
    "assert(r3[#r3].perceived_value > r3[1].perceived_value + 0.3, 'looks: perceived climbs')\n"
    "assert(r3[#r3].true_value < r3[1].true_value, 'looks: true value falls')\n"
    "assert(a > w + 0.3, 'assisted closes part of the gap')\n"
    "return table.concat(out, '\\n')\n";

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
    const char *steps[] = { "Step 1 of 4: an overseer who is right",
                            "Step 2 of 4: an overseer who doesn't know",
                            "Step 3 of 4: an overseer who is wrong",
                            "Step 4 of 4: an assisted overseer",
                            "(the catastrophe problem)" };
    for (int i = 0; i < 5; i++)
        if (!strstr(out, steps[i]))
            fail_msg("the demo's output lacks '%s'", steps[i]);
    assert_null(strstr(out, "\033["));   /* no terminal codes when not a terminal */
    assert_null(strstr(out, "[Enter")); /* and no pauses */

    lua_State *L = harness_state(0, NULL);
    char buf[1024];
    const char *err = harness_run(L, EXPECTED, buf, sizeof buf);
    if (err)
        fail_msg("%s", err);
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
    assert_int_equal(n, 10);
    free(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_runs_through_with_measured_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
