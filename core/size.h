/* size.h — checked sizes and memory estimates for the core.
 * Owns: multiplication and addition of allocation sizes that report overflow
 *       instead of wrapping, their saturating forms (for estimates, where
 *       "more than SIZE_MAX" is an answer), and the estimate record the
 *       *_estimate functions fill: total bytes and the largest item, named.
 * Uses: the C library only. Static inline: headers only, no link changes. */
#ifndef OVERSIM_SIZE_H
#define OVERSIM_SIZE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* *out = a * b; returns 1 (and *out = SIZE_MAX) when the product does not
 * fit in size_t, else 0. */
static inline int size_mul(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b) {
        *out = SIZE_MAX;
        return 1;
    }
    *out = a * b;
    return 0;
}

/* *out = a + b; returns 1 (and *out = SIZE_MAX) on overflow, else 0. */
static inline int size_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b) {
        *out = SIZE_MAX;
        return 1;
    }
    *out = a + b;
    return 0;
}

/* a * b * c, saturating at SIZE_MAX (for estimates). */
static inline size_t size_mul3_sat(size_t a, size_t b, size_t c)
{
    size_t ab, abc;
    size_mul(a, b, &ab);
    size_mul(ab, c, &abc);
    return abc;
}

/* a + b, saturating at SIZE_MAX. */
static inline size_t size_add_sat(size_t a, size_t b)
{
    size_t s;
    size_add(a, b, &s);
    return s;
}

/* What an estimate found: the total of everything counted (saturating: a
 * total of SIZE_MAX means "more than can be addressed"), and its largest
 * item, named for messages ("reward-model pair table 20000 x 20000"). */
typedef struct size_estimate {
    size_t bytes;
    size_t largest;
    char what[128];
} size_estimate;

static inline void size_estimate_init(size_estimate *e)
{
    e->bytes = 0;
    e->largest = 0;
    e->what[0] = 0;
}

/* Count an item of `bytes` bytes; fmt names it (printf-style), and the name
 * is kept when it is the largest item so far. */
static inline void size_estimate_add(size_estimate *e, size_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void size_estimate_add(size_estimate *e, size_t bytes, const char *fmt, ...)
{
    e->bytes = size_add_sat(e->bytes, bytes);
    if (bytes > e->largest || !e->what[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->what, sizeof e->what, fmt, ap);
        va_end(ap);
        e->largest = bytes;
    }
}

#endif
