/* test_control.c — AI-control protocols (core/control.h) against their
 * definitions: upfront auditing's closed form and its red team's optimal
 * attack probability, trusted monitoring at known quantiles and in its two
 * limits (a perfect monitor; a useless one, which is random auditing),
 * defer to trusted without deferral (trusted monitoring), the competing-risks
 * formula against a direct sum, and the simulation against the exact values
 * where its hard budget never runs out; same seed, same numbers. */
#include "helpers.h"
#include <gsl/gsl_cdf.h>
#include "control.h"
#include "rng.h"

static control_params make(control_protocol protocol, long long n, double a, double d,
                           double f, double s)
{
    control_params p;
    control_params_default(&p);
    p.protocol = protocol;
    p.n = n;
    p.audit = a;
    p.separation = d;
    p.defer = f;
    p.success = s;
    os_err err = { 0 };
    if (control_check(&p, NULL, &err))
        fail_msg("bad test parameters: %s", err.msg);
    return p;
}

/* (1 - q)^n by plain pow, for the closed forms written as the paper would */
static double pw(double q, long long n)
{
    return pow(1 - q, (double)n);
}

/* k = floor(a N), with budgets given between integers (a = (k + 0.5) / N:
 * round or ceil would give k + 1) and as decimals whose product rounds
 * below the integer in binary (0.29 x 100); upfront safety equals
 * 1 - (1-p)^k (1 - (1-p)^(N-k)) to 1e-12 at several (N, k, p), and with
 * s = 1/4, 1 - (1-p)^k (1 - (1-ps)^(N-k)). */
static void test_upfront_closed_form(void **state)
{
    (void)state;
    const struct { long long n, k; } cases[] = { { 1, 0 }, { 10, 3 }, { 100, 7 }, { 5000, 100 },
                                                 { 5000, 4999 }, { 1000000, 12345 } };
    /* p and s powers of two, so that 1 - p and 1 - p s are exact and plain
     * pow() is accurate at N = 10^6 */
    const double ps[] = { 0, 0x1p-23, 0x1p-13, 0x1p-8, 0.125, 0.5, 1 };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long long n = cases[i].n, k = cases[i].k;
        control_params p = make(CONTROL_UPFRONT, n, (k + 0.5) / (double)n, 0, 0, 1);
        assert_int_equal(control_audits(&p), k);
        for (size_t j = 0; j < sizeof ps / sizeof *ps; j++) {
            double q = ps[j];
            assert_close(control_safety(&p, q), 1 - pw(q, k) * (1 - pw(q, n - k)), 1e-12);
            p.success = 0.25;
            assert_close(control_safety(&p, q), 1 - pw(q, k) * (1 - pw(0.25 * q, n - k)), 1e-12);
            p.success = 1;
        }
    }
    control_params p = make(CONTROL_UPFRONT, 100, 0.29, 0, 0, 1);
    assert_int_equal(control_audits(&p), 29);
    p.audit = 0.0999;
    assert_int_equal(control_audits(&p), 9);
    p = make(CONTROL_UPFRONT, 5000, 0.015, 0, 0, 1);
    assert_int_equal(control_audits(&p), 75);
    p.audit = 1;
    assert_int_equal(control_audits(&p), 5000);
    assert_true(control_safety(&p, 0.5) == 1); /* every task audited */
    p.audit = 0;
    assert_true(control_safety(&p, 1) == 0);   /* nothing audited, every task an attack */
    assert_true(control_usefulness(&p) == 1);
}

/* The red team's optimum under upfront auditing: with s = 1 it is the closed
 * form p* = 1 - (k/N)^(1/(N-k)) (relative 1e-6; the maximum is flat, so its
 * argmax is only defined to about sqrt(machine epsilon)), and for s = 1 and
 * s = 0.2 no point of a fine grid (linear and logarithmic, 20000 points)
 * beats it. Nothing audited: p = 1; everything audited: the red team
 * cannot win and p = 1 (the documented tie rule). */
static void test_upfront_optimal_attack(void **state)
{
    (void)state;
    const struct { long long n, k; } cases[] = { { 10, 1 }, { 100, 2 }, { 5000, 25 },
                                                 { 5000, 500 }, { 5000, 4999 },
                                                 { 1000000, 10000 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long long n = cases[i].n, k = cases[i].k;
        for (int sv = 0; sv < 2; sv++) {
            double s = sv ? 0.2 : 1;
            control_params p = make(CONTROL_UPFRONT, n, (k + 0.5) / (double)n, 0, 0, s);
            double best = control_optimal_attack(&p), v = control_red_wins(&p, best);
            if (s == 1) {
                double closed = 1 - pow((double)k / (double)n, 1.0 / (double)(n - k));
                assert_close(best / closed, 1, 1e-6);
                assert_true(v >= control_red_wins(&p, closed) - 1e-15);
            }
            for (int j = 1; j <= 10000; j++) {
                double lin = j / 10000.0, lg = pow(10, -12 + 12 * j / 10000.0);
                assert_true(v >= control_red_wins(&p, lin) - 1e-15);
                assert_true(v >= control_red_wins(&p, lg) - 1e-15);
            }
            assert_true(v > 0);
        }
    }
    control_params none = make(CONTROL_UPFRONT, 50, 0, 0, 0, 1);
    assert_true(control_optimal_attack(&none) == 1);
    control_params all = make(CONTROL_UPFRONT, 50, 1, 0, 0, 1);
    assert_true(control_optimal_attack(&all) == 1);
    assert_true(control_safety(&all, 1) == 1);
}

/* Trusted monitoring at quantiles known in closed form: with a = Q(2) the
 * audit threshold is 2, so an attack at d' = 2 is audited with probability
 * 1/2, at d' = 3 with Phi(1); defer to trusted with a + f = Q(1) keeps an
 * attack at d' = 2 (score <= 1) with probability Phi(-1). A wrong quantile
 * (Phi^-1(a) for Phi^-1(1 - a)) moves every one of them. */
static void test_monitor_quantiles(void **state)
{
    (void)state;
    const double a = gsl_cdf_ugaussian_Q(2), af = gsl_cdf_ugaussian_Q(1);
    control_fates f;
    control_params tm = make(CONTROL_TRUSTED_MONITORING, 100, a, 2, 0, 1);
    control_attack_fates(&tm, &f);
    assert_close(f.audited, 0.5, 1e-12);
    assert_close(f.kept, 0.5, 1e-12);
    assert_true(f.deferred == 0);
    tm.separation = 3;
    control_attack_fates(&tm, &f);
    assert_close(f.audited, gsl_cdf_ugaussian_P(1), 1e-12);
    control_params dtt = make(CONTROL_DEFER_TO_TRUSTED, 100, a, 2, af - a, 1);
    control_attack_fates(&dtt, &f);
    assert_close(f.audited, 0.5, 1e-12);
    assert_close(f.kept, gsl_cdf_ugaussian_P(-1), 1e-12);
    assert_close(f.deferred, 0.5 - gsl_cdf_ugaussian_P(-1), 1e-12);
    assert_close(control_usefulness(&dtt), 1 - (af - a), 1e-15);
}

/* The competing-risks formula against its definition, summed task by task:
 * P(red) = sum_t (1 - b - r)^(t-1) r with b = p c_audit, r = p c_kept s. */
static void test_competing_risks_sum(void **state)
{
    (void)state;
    const control_protocol protos[] = { CONTROL_RANDOM, CONTROL_TRUSTED_MONITORING,
                                         CONTROL_DEFER_TO_TRUSTED };
    for (int i = 0; i < 3; i++)
        for (long long n = 1; n <= 40; n += 13) {
            control_params p = make(protos[i], n, 0.07, 1.3, 0.2, 0.6);
            control_fates f;
            control_attack_fates(&p, &f);
            assert_close(f.audited + f.deferred + f.kept, 1, 1e-15);
            for (double q = 0.05; q <= 1; q += 0.3) {
                double b = q * f.audited, r = q * f.kept * 0.6, sum = 0;
                for (long long t = 1; t <= n; t++)
                    sum += pow(1 - b - r, (double)(t - 1)) * r;
                assert_close(control_red_wins(&p, q), sum, 1e-12);
            }
            /* the red team's best p under a memoryless protocol is 1 */
            assert_true(control_optimal_attack(&p) == 1);
        }
}

/* A perfect monitor (d' = inf) audits every attack: safety 1 at every p and
 * budget > 0 (exactly, and in simulation where the budget does not run out
 * before the first attack); with no budget at all it audits nothing. */
static void test_perfect_monitor_is_safe(void **state)
{
    (void)state;
    const double ps[] = { 1e-6, 0.01, 0.3, 1 };
    for (int proto = CONTROL_TRUSTED_MONITORING; proto <= CONTROL_DEFER_TO_TRUSTED; proto++)
        for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
            control_params p = make((control_protocol)proto, 5000, 0.001, INFINITY,
                                    proto == CONTROL_DEFER_TO_TRUSTED ? 0.05 : 0, 1);
            assert_true(control_safety(&p, ps[i]) == 1);
        }
    control_params p = make(CONTROL_TRUSTED_MONITORING, 5000, 0.01, INFINITY, 0, 1);
    gsl_rng *r = rng_new(3, 1);
    control_sim sim;
    assert_int_equal(control_simulate(&p, 0.2, 2000, r, &sim, NULL), 0);
    assert_true(sim.safety == 1 && sim.caught == 2000 && sim.budget_ran_out == 0);
    p.audit = 0;
    assert_true(control_safety(&p, 0.2) == 0);
    rng_free(r);
}

/* A monitor that cannot tell attacks from benign tasks (d' = 0) is random
 * auditing: the same P(red) to 1e-12 at every (N, a, p, s). */
static void test_useless_monitor_is_random(void **state)
{
    (void)state;
    const double as[] = { 0.001, 0.02, 0.1, 0.37, 0.9 }, ps[] = { 1e-5, 0.01, 0.2, 1 };
    for (long long n = 1; n <= 100000; n *= 10)
        for (size_t i = 0; i < sizeof as / sizeof *as; i++)
            for (size_t j = 0; j < sizeof ps / sizeof *ps; j++) {
                control_params tm = make(CONTROL_TRUSTED_MONITORING, n, as[i], 0, 0, 0.7);
                control_params rnd = make(CONTROL_RANDOM, n, as[i], 0, 0, 0.7);
                assert_close(control_red_wins(&tm, ps[j]), control_red_wins(&rnd, ps[j]), 1e-12);
            }
}

/* Defer to trusted with f = 0 is trusted monitoring (to 1e-15); with f > 0
 * it is at least as safe and its usefulness is 1 - f. */
static void test_defer_zero_is_monitoring(void **state)
{
    (void)state;
    const double ds[] = { 0, 0.5, 2, 4 }, as[] = { 0.005, 0.02, 0.1 };
    for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
        for (size_t j = 0; j < sizeof as / sizeof *as; j++) {
            control_params tm = make(CONTROL_TRUSTED_MONITORING, 5000, as[j], ds[i], 0, 1);
            control_params dtt = make(CONTROL_DEFER_TO_TRUSTED, 5000, as[j], ds[i], 0, 1);
            for (double q = 1e-4; q <= 1; q *= 10)
                assert_close(control_red_wins(&dtt, q), control_red_wins(&tm, q), 1e-15);
            assert_true(control_usefulness(&dtt) == 1);
            dtt.defer = 0.1;
            assert_true(control_safety(&dtt, 1) >= control_safety(&tm, 1));
            assert_close(control_usefulness(&dtt), 0.9, 1e-15);
        }
}

/* The simulation agrees with the exact safety within 4 standard errors in
 * configurations where its hard budget never ran out (checked), for every
 * protocol, at the red team's optimal p and at a fixed p; where attacks are
 * rare and the budget is large the hard count does run out. */
static void test_simulation_agrees(void **state)
{
    (void)state;
    const struct { control_protocol proto; long long n; double a, d, f, s, p; } cases[] = {
        { CONTROL_UPFRONT, 20, 0.1, 0, 0, 1, -1 },
        { CONTROL_UPFRONT, 300, 0.05, 0, 0, 0.5, -1 },
        { CONTROL_UPFRONT, 300, 0.05, 0, 0, 1, 0.02 },
        { CONTROL_RANDOM, 50, 0.1, 0, 0, 1, 0.5 },
        { CONTROL_TRUSTED_MONITORING, 200, 0.05, 1.5, 0, 1, 0.3 },
        { CONTROL_TRUSTED_MONITORING, 200, 0.05, 2, 0, 0.5, -1 },
        { CONTROL_DEFER_TO_TRUSTED, 200, 0.05, 1.5, 0.1, 1, 0.3 },
        { CONTROL_DEFER_TO_TRUSTED, 200, 0.02, 1, 0.3, 0.8, -1 },
    };
    gsl_rng *r = rng_new(11, 1);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        control_params p = make(cases[i].proto, cases[i].n, cases[i].a, cases[i].d, cases[i].f,
                                cases[i].s);
        double q = cases[i].p < 0 ? control_optimal_attack(&p) : cases[i].p;
        control_sim sim;
        assert_int_equal(control_simulate(&p, q, 20000, r, &sim, NULL), 0);
        assert_int_equal(sim.budget_ran_out, 0);
        double exact = control_safety(&p, q);
        assert_true(exact > 0.05 && exact < 0.95); /* not vacuous: SE well above 0 */
        if (fabs(sim.safety - exact) > 4 * sim.se)
            fail_msg("case %zu: simulated safety %.4f, exact %.4f, SE %.4f", i, sim.safety,
                     exact, sim.se);
    }
    /* rare attacks, half the tasks flagged: the 50 audits run out */
    control_params p = make(CONTROL_RANDOM, 100, 0.5, 0, 0, 1);
    control_sim sim;
    assert_int_equal(control_simulate(&p, 0.01, 2000, r, &sim, NULL), 0);
    assert_true(sim.budget_ran_out > 200);
    rng_free(r);
}

/* The same seed gives the same simulation, field for field; another seed
 * another one. */
static void test_simulation_reproducible(void **state)
{
    (void)state;
    control_params p = make(CONTROL_DEFER_TO_TRUSTED, 500, 0.02, 1.5, 0.1, 0.9);
    control_sim s1, s2, s3;
    for (int k = 0; k < 3; k++) {
        gsl_rng *r = rng_new(k < 2 ? 5 : 6, 1);
        assert_int_equal(control_simulate(&p, 0.01, 3000, r, k == 0 ? &s1 : k == 1 ? &s2 : &s3,
                                          NULL), 0);
        rng_free(r);
    }
    assert_true(s1.red_wins == s2.red_wins && s1.caught == s2.caught &&
                s1.budget_ran_out == s2.budget_ran_out && s1.safety == s2.safety &&
                s1.se == s2.se && s1.trials == 3000);
    assert_true(s1.red_wins != s3.red_wins || s1.caught != s3.caught);
}

/* Bad parameters: one message naming the field and the value. */
static void test_check_messages(void **state)
{
    (void)state;
    control_params p;
    os_err err = { 0 };
    control_params_default(&p);
    p.audit = 1.5;
    assert_int_equal(control_check(&p, "control", &err), OS_EINVAL);
    assert_msg_is(err, "field 'audit' of control must be a probability in [0,1] (got 1.5)");
    control_params_default(&p);
    p.n = 0;
    control_check(&p, "control", &err);
    assert_msg_is(err, "field 'n' of control must be >= 1 (got 0)");
    control_params_default(&p);
    p.protocol = CONTROL_TRUSTED_MONITORING;
    p.separation = -1;
    control_check(&p, "control", &err);
    assert_msg_is(err, "field 'separation' of control must be >= 0 (got -1; math.huge for a "
                       "perfect monitor)");
    p.separation = NAN;
    assert_int_equal(control_check(&p, "control", &err), OS_EINVAL);
    control_params_default(&p);
    p.protocol = CONTROL_DEFER_TO_TRUSTED;
    p.audit = 0.6;
    p.defer = 0.5;
    control_check(&p, "control", &err);
    assert_msg_is(err, "fields 'audit' + 'defer' of control must be at most 1 (got 0.6 + 0.5)");
    p.audit = 0.7;
    p.defer = 0.3; /* sums to 1 in binary too: accepted */
    assert_int_equal(control_check(&p, "control", &err), 0);
    p.success = -0.1;
    control_check(&p, "control", &err);
    assert_msg_is(err, "field 'success' of control must be a probability in [0,1] (got -0.1)");
    assert_int_equal(control_check_attack(1.01, "control", &err), OS_EINVAL);
    assert_msg_is(err, "field 'p' of control must be a probability in [0,1] (got 1.01)");
    control_params_default(&p);
    control_sim sim;
    assert_int_equal(control_simulate(&p, 0.5, 0, NULL, &sim, &err), OS_EINVAL);
    assert_msg_has(err, "field 'trials'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upfront_closed_form),
        cmocka_unit_test(test_upfront_optimal_attack),
        cmocka_unit_test(test_monitor_quantiles),
        cmocka_unit_test(test_competing_risks_sum),
        cmocka_unit_test(test_perfect_monitor_is_safe),
        cmocka_unit_test(test_useless_monitor_is_random),
        cmocka_unit_test(test_defer_zero_is_monitoring),
        cmocka_unit_test(test_simulation_agrees),
        cmocka_unit_test(test_simulation_reproducible),
        cmocka_unit_test(test_check_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
