/* err.h — error reporting for the oversim core.
 * Owns: the error struct every fallible core function fills, its codes, and
 *       the two ways to write it (set a message; put context before one).
 * Uses: nothing. The core never prints or exits; callers show err->msg. */
#ifndef OVERSIM_ERR_H
#define OVERSIM_ERR_H

enum {
    OS_OK = 0,
    OS_EINVAL = -1,   /* bad input: a value out of range, an empty world */
    OS_ENOMEM = -2,   /* allocation failed */
    OS_EDIVERGE = -3, /* training produced NaN or Inf */
    OS_EIO = -4       /* a file could not be written */
};

typedef struct os_err {
    int code;
    char msg[512];
} os_err;

/* Fill err (when not NULL) with code and a printf-style message; returns code,
 * so callers can write `return err_set(err, OS_EINVAL, "...")`. */
int err_set(os_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend context to err's message: "<fmt...>: <old message>", keeping
 * err->code; returns err->code. The old message is copied first, so fmt's
 * arguments may not point into err->msg; the result is cut to fit msg (the
 * prefix is kept whole when it fits). err may be NULL (returns OS_OK). */
int err_prefix(os_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
