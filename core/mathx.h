/* mathx.h — small numeric helpers the core shares.
 * Owns: the logistic function and its logarithm, computed stably (no
 *       overflow for any finite x; +-INFINITY give the limits).
 * Uses: libm only. Static inline: called in the label and fit loops. */
#ifndef OVERSIM_MATHX_H
#define OVERSIM_MATHX_H

#include <math.h>

/* sigma(x) = 1 / (1 + e^-x), by the branch whose exp() cannot overflow. */
static inline double mathx_sigmoid(double x)
{
    return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}

/* log sigma(x) = -log(1 + e^-x), stable for large |x|. */
static inline double mathx_log_sigmoid(double x)
{
    return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}

#endif
