/* csvout.c — see csvout.h. */
#define _POSIX_C_SOURCE 200809L
#include "csvout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csv.h>

/* mkdir -p for the folder part of path. */
static int make_parents(const char *path, os_err *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return err_set(err, OS_EIO, "cannot write '%s': path too long", path);
    memcpy(buf, path, n + 1);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return err_set(err, OS_EIO, "cannot write '%s': cannot create folder '%s': %s",
                           path, buf, strerror(errno));
        *s = '/';
    }
    return 0;
}

/* Open a temporary file beside path; fills tmp (size >= strlen(path) + 16). */
static FILE *open_temp(const char *path, char *tmp, size_t tmpsize, os_err *err)
{
    if (make_parents(path, err))
        return NULL;
    snprintf(tmp, tmpsize, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(errno));
        return NULL;
    }
    fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
    }
    return f;
}

/* Close f and move tmp to path, or remove tmp on any error. */
static int commit(FILE *f, const char *tmp, const char *path, int failed, os_err *err)
{
    int e = failed ? EIO : 0;
    if (fflush(f) != 0 && !e)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

static int put_row(FILE *f, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (i && fputc(',', f) == EOF)
            return -1;
        const char *s = cells[i] ? cells[i] : "";
        /* quote only when needed, so plain numbers stay plain */
        if (strpbrk(s, ",\"\r\n") || (s[0] == ' ') || (s[0] && s[strlen(s) - 1] == ' ')) {
            if (csv_fwrite(f, s, strlen(s)) != 0)
                return -1;
        } else if (fputs(s, f) == EOF) {
            return -1;
        }
    }
    return fputc('\n', f) == EOF ? -1 : 0;
}

/* Write path atomically: fill(f, ud) writes the content (0 or -1). */
static int write_atomic(const char *path, int (*fill)(FILE *, const void *),
                        const void *ud, os_err *err)
{
    os_err local;
    if (!err)
        err = &local; /* the code is read back below */
    size_t tn = strlen(path) + 16;
    char *tmp = malloc(tn);
    if (!tmp)
        return err_set(err, OS_ENOMEM, "out of memory");
    FILE *f = open_temp(path, tmp, tn, err);
    if (!f) {
        free(tmp);
        return err->code;
    }
    int rc = commit(f, tmp, path, fill(f, ud) != 0, err);
    free(tmp);
    return rc;
}

typedef struct table {
    int ncols, nrows;
    const char *const *header, *const *cells;
} table;

static int fill_table(FILE *f, const void *ud)
{
    const table *t = ud;
    if (put_row(f, t->ncols, t->header))
        return -1;
    for (int r = 0; r < t->nrows; r++)
        if (put_row(f, t->ncols, t->cells + (size_t)r * t->ncols))
            return -1;
    return 0;
}

static int fill_text(FILE *f, const void *ud)
{
    return fputs(ud, f) == EOF ? -1 : 0;
}

int csvout_write(const char *path, int ncols, const char *const *header, int nrows,
                 const char *const *cells, os_err *err)
{
    if (ncols < 1)
        return err_set(err, OS_EINVAL, "cannot write '%s': no columns", path);
    table t = { ncols, nrows, header, cells };
    return write_atomic(path, fill_table, &t, err);
}

int csvout_write_text(const char *path, const char *text, os_err *err)
{
    return write_atomic(path, fill_text, text, err);
}
