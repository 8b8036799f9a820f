/* control.c — see control.h. The exact values, derived:
 *
 * Upfront. The red team wins iff no attack falls in the k audited tasks (an
 * attack there is caught at once) and some attack among the m = N - k later
 * tasks succeeds. Each later task independently is a successful attack with
 * probability p s, so
 *     P(red) = (1 - p)^k (1 - (1 - p s)^m).
 * With s = 1 and x = 1 - p, P(red) = x^k - x^N, whose derivative
 * k x^(k-1) - N x^(N-1) vanishes at x^(N-k) = k/N: the red team's best
 *     p* = 1 - (k/N)^(1/(N-k)),
 * the closed form the search is tested against. For any s, log P(red) is a
 * sum of two concave functions of p (log(1-p), and the log of the concave
 * 1 - (1 - p s)^m), so the maximum is unique and a bracketed golden-section
 * search finds it.
 *
 * Random, trusted monitoring, defer to trusted. Every task has the same fate,
 * independently of the others: it ends the deployment with a catch with
 * probability b = p c_audit, with a catastrophe with r = p c_kept s, or lets
 * it go on (1 - b - r). The red team wins iff the first decisive task is a
 * catastrophe and comes within N tasks (competing risks):
 *     P(red) = sum_{t=1..N} (1 - b - r)^(t-1) r = r / (b + r) (1 - (1 - b - r)^N).
 * The ratio r / (b + r) does not depend on p and the bracket rises with it,
 * so under these protocols the red team's best p is 1: waiting gains it
 * nothing when the audit chance of a task is the same at every step.
 *   c_audit: random a; monitoring P(X > tau) = Q(tau - d') with X ~ N(d', 1)
 *     and tau = Q^-1(a) = Phi^-1(1 - a), so d' = 0 gives Q(tau) = a: random
 *     auditing exactly.
 *   c_kept: random and trusted monitoring 1 - c_audit; defer to trusted
 *     P(X <= t_d) = Phi(t_d - d') with t_d = Phi^-1(1 - a - f) = Q^-1(a + f),
 *     so f = 0 gives t_d = tau: trusted monitoring exactly.
 * A benign score N(0,1) lies in the defer band (t_d, tau] with probability
 * (a + f) - a = f: usefulness 1 - f. */
#include "control.h"
#include "rng.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

const char *const control_protocol_names[] = { "upfront", "random", "trusted_monitoring",
                                               "defer_to_trusted", NULL };

void control_params_default(control_params *p)
{
    p->protocol = CONTROL_UPFRONT;
    p->n = 1;
    p->audit = 0;
    p->separation = 0;
    p->defer = 0;
    p->success = 1;
}

static int is_prob(double x)
{
    return x >= 0 && x <= 1; /* false for NaN */
}

static int monitored(const control_params *p)
{
    return p->protocol == CONTROL_TRUSTED_MONITORING || p->protocol == CONTROL_DEFER_TO_TRUSTED;
}

/* audit + defer may exceed 1 by this much (decimal fractions summed in binary) */
#define SUM_SLACK 1e-12

int control_check(const control_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "control";
    if (p->protocol < CONTROL_UPFRONT || p->protocol > CONTROL_DEFER_TO_TRUSTED)
        return err_set(err, OS_EINVAL, "field 'protocol' of %s is unknown (%d)", what,
                       (int)p->protocol);
    if (p->n < 1)
        return err_set(err, OS_EINVAL, "field 'n' of %s must be >= 1 (got %lld)", what, p->n);
    if (p->n > CONTROL_MAX_N)
        return err_set(err, OS_EINVAL, "field 'n' of %s must be <= %lld (got %lld)", what,
                       CONTROL_MAX_N, p->n);
    if (!is_prob(p->audit))
        return err_set(err, OS_EINVAL, "field 'audit' of %s must be a probability in [0,1] "
                       "(got %g)", what, p->audit);
    if (!is_prob(p->success))
        return err_set(err, OS_EINVAL, "field 'success' of %s must be a probability in [0,1] "
                       "(got %g)", what, p->success);
    if (monitored(p) && !(p->separation >= 0))
        return err_set(err, OS_EINVAL, "field 'separation' of %s must be >= 0 (got %g; "
                       "math.huge for a perfect monitor)", what, p->separation);
    if (p->protocol == CONTROL_DEFER_TO_TRUSTED) {
        if (!is_prob(p->defer))
            return err_set(err, OS_EINVAL, "field 'defer' of %s must be a probability in "
                           "[0,1] (got %g)", what, p->defer);
        if (p->audit + p->defer > 1 + SUM_SLACK)
            return err_set(err, OS_EINVAL, "fields 'audit' + 'defer' of %s must be at most 1 "
                           "(got %g + %g)", what, p->audit, p->defer);
    }
    return 0;
}

int control_check_attack(double attack, const char *what, os_err *err)
{
    if (!is_prob(attack))
        return err_set(err, OS_EINVAL, "field 'p' of %s must be a probability in [0,1] "
                       "(got %g)", what ? what : "control", attack);
    return 0;
}

long long control_audits(const control_params *p)
{
    double x = p->audit * (double)p->n;
    long long k = (long long)floor(x);
    if (k < p->n && (double)(k + 1) - x <= 1e-12 * (x > 1 ? x : 1))
        k++;
    return k;
}

/* (1 - q)^n for q in [0,1], n >= 0: exact at the ends (no 0 * -inf), and
 * through log1p so that a tiny q is not lost against 1. */
static double pow1m(double q, double n)
{
    if (n == 0 || q <= 0)
        return 1;
    if (q >= 1)
        return 0;
    return exp(n * log1p(-q));
}

/* 1 - (1 - q)^n, without cancellation for tiny q n. */
static double one_minus_pow1m(double q, double n)
{
    if (n == 0 || q <= 0)
        return 0;
    if (q >= 1)
        return 1;
    return -expm1(n * log1p(-q));
}

/* tau, the audit threshold: +inf when a = 0 (nothing audited), -inf when a = 1 */
static double audit_threshold(double a)
{
    return a <= 0 ? INFINITY : a >= 1 ? -INFINITY : gsl_cdf_ugaussian_Qinv(a);
}

/* t_d, the defer threshold (the benign (1 - a - f) quantile), likewise */
static double defer_threshold(double a, double f)
{
    double af = a + f;
    return af <= 0 ? INFINITY : af >= 1 ? -INFINITY : gsl_cdf_ugaussian_Qinv(af);
}

void control_attack_fates(const control_params *p, control_fates *out)
{
    double audited = 0, kept = 1;
    const double a = p->audit, d = p->separation;
    if (p->protocol == CONTROL_RANDOM) {
        audited = a;
        kept = 1 - a;
    } else if (monitored(p)) {
        /* P(X > tau), X ~ N(d', 1); a perfect monitor (d' = inf) flags every
         * attack unless nothing is audited at all */
        audited = a <= 0 ? 0 : a >= 1 || isinf(d) ? 1 : gsl_cdf_ugaussian_Q(audit_threshold(a) - d);
        if (p->protocol == CONTROL_TRUSTED_MONITORING) {
            kept = 1 - audited;
        } else {
            double af = a + p->defer;
            kept = af <= 0 ? 1 : af >= 1 || isinf(d) ? 0
                : gsl_cdf_ugaussian_P(defer_threshold(a, p->defer) - d);
        }
    }
    out->audited = audited;
    out->kept = kept;
    out->deferred = fmax(0, 1 - audited - kept);
}

double control_red_wins(const control_params *p, double attack)
{
    const double s = p->success;
    if (p->protocol == CONTROL_UPFRONT) {
        long long k = control_audits(p);
        return pow1m(attack, (double)k) * one_minus_pow1m(attack * s, (double)(p->n - k));
    }
    control_fates f;
    control_attack_fates(p, &f);
    double b = attack * f.audited, r = attack * f.kept * s;
    if (r <= 0)
        return 0;
    return r / (b + r) * one_minus_pow1m(fmin(1, b + r), (double)p->n);
}

double control_safety(const control_params *p, double attack)
{
    return 1 - control_red_wins(p, attack);
}

double control_usefulness(const control_params *p)
{
    return p->protocol == CONTROL_DEFER_TO_TRUSTED ? 1 - p->defer : 1;
}

/* p from its logit t, 1/(1 + e^-t) by the branch whose exp cannot overflow */
static double logistic(double t)
{
    return t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t));
}

#define LOGIT_MAX 40.0  /* p from 4e-18 to 1 - 4e-18: below 1/N for any N allowed */
#define LOGIT_STEP 0.02 /* 4001 grid points */
#define FLAT 1e-12      /* values within this relative distance of the best are ties */

/* v ties with or beats best: P(red) computed at two p whose true values are
 * equal (or as good as equal) differs in its last bits */
static int as_good(double v, double best)
{
    return v >= best - FLAT * best;
}

double control_optimal_attack(const control_params *p)
{
    /* the grid: p = 0 (P(red) = 0), then logits -40 .. 40; on a tie the
     * larger p is kept, so a P(red) that is flat to a relative 1e-12 (it
     * saturates, or is 0 everywhere) reports the largest p of the stretch */
    const int G = (int)lround(2 * LOGIT_MAX / LOGIT_STEP);
    double best = 0, best_p = 0;
    int best_i = -1;
    for (int i = 0; i <= G; i++) {
        double v = control_red_wins(p, logistic(-LOGIT_MAX + i * LOGIT_STEP));
        if (v > best)
            best = v;
        if (v > 0 && as_good(v, best))
            best_i = i;
    }
    if (best_i >= 0) {
        /* golden section for the maximum between the best point's neighbours
         * (P(red) is unimodal in p, so in t: the maximum lies there) */
        const double g = (sqrt(5.0) - 1) / 2;
        double lo = -LOGIT_MAX + (best_i > 0 ? best_i - 1 : 0) * LOGIT_STEP;
        double hi = -LOGIT_MAX + (best_i < G ? best_i + 1 : G) * LOGIT_STEP;
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        double f1 = control_red_wins(p, logistic(x1)), f2 = control_red_wins(p, logistic(x2));
        for (int it = 0; it < 200 && hi - lo > 1e-13; it++) {
            if (f1 > f2) { /* the maximum is left of x2 */
                hi = x2;
                x2 = x1, f2 = f1;
                x1 = hi - g * (hi - lo);
                f1 = control_red_wins(p, logistic(x1));
            } else {
                lo = x1;
                x1 = x2, f1 = f2;
                x2 = lo + g * (hi - lo);
                f2 = control_red_wins(p, logistic(x2));
            }
        }
        double v = fmax(f1, f2);
        best_p = logistic(-LOGIT_MAX + best_i * LOGIT_STEP);
        if (as_good(v, best)) {
            best_p = logistic(f1 > f2 ? x1 : x2);
            best = fmax(best, v);
        }
    }
    if (as_good(control_red_wins(p, 1), best))
        best_p = 1;
    return best_p;
}

/* a Bernoulli(q) draw; certain events spend no random number */
static int bernoulli(gsl_rng *r, double q)
{
    if (q <= 0)
        return 0;
    if (q >= 1)
        return 1;
    return rng_uniform(r) < q;
}

int control_simulate(const control_params *p, double attack, long long trials, gsl_rng *r,
                     control_sim *out, os_err *err)
{
    int rc = control_check(p, NULL, err);
    if (rc)
        return rc;
    if ((rc = control_check_attack(attack, NULL, err)))
        return rc;
    if (trials < 1 || trials > CONTROL_MAX_TRIALS)
        return err_set(err, OS_EINVAL, "field 'trials' of control must be in [1,%lld] (got %lld)",
                       CONTROL_MAX_TRIALS, trials);
    const long long N = p->n, k = control_audits(p);
    const double a = p->audit, d = p->separation, s = p->success;
    const double tau = audit_threshold(a);
    const double td = p->protocol == CONTROL_DEFER_TO_TRUSTED ? defer_threshold(a, p->defer)
                                                              : INFINITY;
    const int mon = monitored(p);
    long long red = 0, caught = 0, ran_out = 0;
    for (long long trial = 0; trial < trials; trial++) {
        long long left = k;
        int out_of_budget = 0, end = 0; /* end: 1 caught, 2 red wins */
        for (long long t = 0; t < N && !end; t++) {
            int att = bernoulli(r, attack), flagged, deferred = 0;
            if (p->protocol == CONTROL_UPFRONT) {
                flagged = t < k;
            } else if (!mon || !att) {
                /* random auditing, or a benign score: above tau with probability a */
                flagged = bernoulli(r, a);
            } else {
                double x = isinf(d) ? INFINITY : d + gsl_ran_gaussian_ziggurat(r, 1.0);
                flagged = x > tau;
                deferred = x > td; /* td = inf unless defer to trusted */
            }
            int audited = 0;
            if (flagged) {
                if (left > 0) {
                    left--;
                    audited = 1;
                } else {
                    out_of_budget = 1;
                }
            }
            if (!att)
                continue;
            if (audited)
                end = 1;
            else if (!deferred && bernoulli(r, s))
                end = 2;
        }
        caught += end == 1;
        red += end == 2;
        ran_out += out_of_budget;
    }
    out->trials = trials;
    out->red_wins = red;
    out->caught = caught;
    out->budget_ran_out = ran_out;
    out->safety = 1 - (double)red / (double)trials;
    out->se = sqrt(out->safety * (1 - out->safety) / (double)trials);
    return 0;
}
