/* control.h — AI-control protocols (Greenblatt et al. 2023): a deployment of
 * N tasks done by an untrusted policy that may attack, a blue team with a
 * budget of perfect audits, and a red team that chooses how often to attack.
 * Owns: the model below, its exact safety and usefulness, the red team's best
 *       attack probability (a deterministic 1-D search), and a simulation of
 *       deployments in which the audit budget is a hard count.
 * Uses: err.h, GSL (the Gaussian cdf and quantile, a gsl_rng for the
 *       simulation). No Lua, no printing, no exit.
 *
 * The model. N tasks, done one after another. On each task, independently,
 * the untrusted policy attacks with probability p. An attack that is audited
 * is caught: the blue team wins and the deployment stops. An attack that is
 * neither audited nor deferred succeeds with probability s (`success`): a
 * catastrophe, the red team wins and the deployment stops; otherwise nothing
 * happens and the deployment goes on. A deployment with no successful attack
 * and no catch ends safe. Safety = 1 - P(red team wins).
 * Protocols, with audit budget a in [0,1] (the fraction of tasks a trusted
 * human audits, perfectly):
 *   UPFRONT             audit the first k = floor(a N) tasks, none after.
 *   RANDOM              audit each task independently with probability a.
 *   TRUSTED_MONITORING  a trusted monitor scores each task, benign ~ N(0,1),
 *                       attack ~ N(d', 1) (d' = separation >= 0; +inf: every
 *                       attack scores +inf). Audit the tasks scoring above
 *                       tau = Phi^-1(1 - a): a fraction a of benign tasks.
 *   DEFER_TO_TRUSTED    as trusted monitoring, and a task scoring above
 *                       t_d = Phi^-1(1 - a - f) (f = defer, a + f <= 1) that is
 *                       not audited is done by the trusted model instead: an
 *                       attack there is neutralised (nothing happens), a benign
 *                       one costs usefulness.
 * Usefulness, as Greenblatt et al. normalise it (the trusted model alone = 0,
 * the untrusted model alone = 1), measured with an honest untrusted policy:
 * the fraction of tasks the untrusted model does, 1 - f for defer-to-trusted
 * and 1 for the others (an audited task is still the untrusted model's work).
 * Exact values use the protocols as defined: the audit chance of a task does
 * not depend on how many audits came before. The simulation spends a hard
 * count of k = floor(a N) audits: a task the rule would audit once all k are
 * spent goes unaudited (under defer-to-trusted it is then deferred, its score
 * being above t_d). The two agree wherever the budget never runs out. */
#ifndef OVERSIM_CONTROL_H
#define OVERSIM_CONTROL_H

#include <gsl/gsl_rng.h>
#include "err.h"

typedef enum {
    CONTROL_UPFRONT = 0,
    CONTROL_RANDOM,
    CONTROL_TRUSTED_MONITORING,
    CONTROL_DEFER_TO_TRUSTED
} control_protocol;

/* Largest values control_check accepts: N (the exact values hold for any N;
 * the simulation's work grows with trials x N) and the simulation's trials. */
#define CONTROL_MAX_N 1000000000LL
#define CONTROL_MAX_TRIALS 100000000LL

typedef struct control_params {
    control_protocol protocol;
    long long n;       /* tasks in the deployment, 1..CONTROL_MAX_N */
    double audit;      /* a, the audit budget as a fraction of tasks, in [0,1] */
    double separation; /* d' >= 0 (INFINITY: perfect); monitoring protocols only */
    double defer;      /* f in [0,1], a + f <= 1; defer-to-trusted only */
    double success;    /* s, P(an unaudited, undeferred attack succeeds), in [0,1] */
} control_params;

/* The protocols' names, as Lua spells them ("upfront", "random",
 * "trusted_monitoring", "defer_to_trusted"), in enum order, NULL-terminated. */
extern const char *const control_protocol_names[];

/* Defaults: upfront, n 1, audit 0, separation 0, defer 0, success 1. */
void control_params_default(control_params *p);

/* 0, or OS_EINVAL with "field 'audit' of <what> must be a probability in
 * [0,1] (got 1.5)" (likewise n, separation, defer, success, and "fields
 * 'audit' + 'defer' of <what> must be at most 1 (got 0.6 + 0.5)"). Separation
 * and defer are checked for the protocols that use them only. */
int control_check(const control_params *p, const char *what, os_err *err);

/* 0, or OS_EINVAL with "field 'p' of <what> must be a probability in [0,1]
 * (got x)". */
int control_check_attack(double attack, const char *what, os_err *err);

/* k = floor(a N), the number of audits (p checked). A product within a
 * relative 1e-12 below an integer counts as that integer: 0.29 x 100 is
 * 28.999999999999996 in binary, and a budget of 0.29 of 100 tasks is 29. */
long long control_audits(const control_params *p);

/* What happens to one attack under the monitoring rule (RANDOM and the
 * monitoring protocols; UPFRONT: audited 0, kept 1, as after its k tasks):
 * the probabilities that it is audited, deferred, or neither (kept). */
typedef struct control_fates {
    double audited, deferred, kept;
} control_fates;
void control_attack_fates(const control_params *p, control_fates *out);

/* Exact P(red team wins) when it attacks each task with probability attack
 * (p and attack checked). */
double control_red_wins(const control_params *p, double attack);

/* Exact safety, 1 - control_red_wins. */
double control_safety(const control_params *p, double attack);

/* Exact usefulness: 1 - f for defer-to-trusted, 1 otherwise. */
double control_usefulness(const control_params *p);

/* The red team's best attack probability: the p in [0,1] that maximises
 * control_red_wins, found by a grid on the logit scale (t = log(p/(1-p)) in
 * [-40, 40], step 0.02, and p = 0 and 1) refined by golden-section search
 * between the best grid point's neighbours. The maximum is unique (P(red) is
 * log-concave in p for upfront, non-decreasing for the others); where
 * P(red) is flat to a relative 1e-12 (rounding makes values that are equal
 * in exact arithmetic differ in their last bits) the larger p is kept, so a protocol
 * under which attacking more never hurts the red team reports p = 1, and so
 * does one it cannot beat (P(red) = 0 for every p). Deterministic. */
double control_optimal_attack(const control_params *p);

/* What a simulation measured. */
typedef struct control_sim {
    long long trials;
    long long red_wins, caught; /* deployments the red team won / that caught an attack */
    long long budget_ran_out;   /* deployments in which a task the rule would audit went
                                   unaudited because all k audits were spent */
    double safety, se;          /* 1 - red_wins / trials, sqrt(safety (1 - safety) / trials) */
} control_sim;

/* Simulate `trials` deployments (1..CONTROL_MAX_TRIALS) with attack
 * probability `attack`, drawing from r, into *out. Allocates nothing. A
 * certain event spends no random number (p, a or s of 0 or 1, d' = inf), and
 * a benign task's score is drawn as its one relevant fact, above tau or not
 * (probability a). Returns 0, or OS_EINVAL (bad p, attack or trials). */
int control_simulate(const control_params *p, double attack, long long trials, gsl_rng *r,
                     control_sim *out, os_err *err);

#endif
