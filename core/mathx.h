/* mathx.h — small numeric helpers the core shares.
 * Owns: the logistic function and its logarithm, computed stably (no
 *       overflow for any finite x; +-INFINITY give the limits); exp() over
 *       an array (mathx_exp.c).
 * Uses: libm only. Static inline: called in the label and fit loops. */
#ifndef OVERSIM_MATHX_H
#define OVERSIM_MATHX_H

#include <math.h>

/* sigma(x) and log sigma(x) both need only e = exp(-|x|), which cannot
 * overflow: for x >= 0, sigma = 1 / (1 + e) and log sigma = -log1p(e); for
 * x < 0, e = exp(x), sigma = e / (1 + e) and log sigma = x - log1p(e). So
 * sigma(x), sigma(-x), log sigma(x) and log sigma(-x) share one exp() and one
 * log1p(), and every value is bit for bit what the branch that calls exp(x)
 * or exp(-x) itself would give (exp(-|x|) is that same call). */

/* sigma(x), given e = exp(-fabs(x)). */
static inline double mathx_sigmoid_e(double x, double e)
{
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/* log sigma(x), given l = log1p(exp(-fabs(x))). */
static inline double mathx_log_sigmoid_l(double x, double l)
{
    return x >= 0 ? -l : x - l;
}

/* sigma(x) = 1 / (1 + e^-x), with one exp(). */
static inline double mathx_sigmoid(double x)
{
    return mathx_sigmoid_e(x, exp(-fabs(x)));
}

/* log sigma(x) = -log(1 + e^-x), stable for large |x|. */
static inline double mathx_log_sigmoid(double x)
{
    return mathx_log_sigmoid_l(x, log1p(exp(-fabs(x))));
}

/* y[i] = exp(x[i]) for i < n, bit for bit what this C library's exp()
 * returns, four at a time where the processor allows (mathx_exp.c says when).
 * x and y may be the same array. Allocates nothing; thread-safe. */
void mathx_exp_n(const double *x, double *y, int n);

/* 1 when mathx_exp_n runs its four-lane path here, 0 when it calls exp(). */
int mathx_exp_vectorised(void);

#endif
