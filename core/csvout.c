/* csvout.c — see csvout.h. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* O_DIRECTORY, d_type */
#include "csvout.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t csvout_fnv1a64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* --- the registry of temporaries in flight ---
 * A slot's state is 0 (free), 1 (being claimed) or 2 (its name may be a file
 * being written). The slot's buffer is mkstemp's template itself, marked live
 * before mkstemp runs: a signal between mkstemp and any bookkeeping still
 * finds the file (a handler that sees the template half-filled unlinks a name
 * that does not exist). */
static char inflight[CSVOUT_INFLIGHT][CSVOUT_PATH_MAX];
static atomic_int inflight_state[CSVOUT_INFLIGHT];

/* A slot holding "<path>.tmp.XXXXXX", live; -1 when none is free or the path
 * is too long (then tmp is used instead, unlisted). */
static int inflight_claim(const char *path)
{
    if (strlen(path) + 12 > CSVOUT_PATH_MAX)
        return -1;
    for (int i = 0; i < CSVOUT_INFLIGHT; i++) {
        int expect = 0;
        if (atomic_compare_exchange_strong(&inflight_state[i], &expect, 1)) {
            snprintf(inflight[i], CSVOUT_PATH_MAX, "%s.tmp.XXXXXX", path);
            atomic_store(&inflight_state[i], 2);
            return i;
        }
    }
    return -1;
}

static void inflight_release(int slot)
{
    if (slot >= 0)
        atomic_store(&inflight_state[slot], 0);
}

int csvout_remove_inflight(char *buf, size_t n)
{
    size_t used = 0;
    int removed = 0;
    if (buf && n)
        buf[0] = 0;
    for (int i = 0; i < CSVOUT_INFLIGHT; i++) {
        if (atomic_load(&inflight_state[i]) != 2)
            continue;
        if (unlink(inflight[i]) != 0)
            continue; /* already renamed into place or removed */
        removed++;
        if (!buf || !n)
            continue;
        const char *parts[2] = { removed > 1 ? ", " : "", inflight[i] };
        for (int k = 0; k < 2; k++)
            for (const char *s = parts[k]; *s && used + 1 < n; s++)
                buf[used++] = *s;
        buf[used] = 0;
    }
    return removed;
}

/* --- files --- */

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

/* The folder of path ("." for a bare name) into dir. */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* fsync the folder holding path, so a rename in it survives a power cut.
 * File systems that cannot sync a folder (EINVAL) are taken as they are. */
static int sync_folder(const char *path)
{
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return errno;
    int e = fsync(fd) != 0 && errno != EINVAL && errno != EROFS ? errno : 0;
    close(fd);
    return e;
}

/* Remove the temporaries "<path>.tmp.XXXXXX" (six letters or digits, as
 * mkstemp makes them) that a killed write to path left behind; nothing else.
 * Two processes writing the same target at once would remove each other's:
 * one of them then fails at its rename, and says so. */
static void remove_stale(const char *path)
{
    char dir[4096], name[4096 + 256];
    folder_of(path, dir, sizeof dir);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t nb = strlen(base);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (strncmp(s, base, nb) != 0 || strncmp(s + nb, ".tmp.", 5) != 0 ||
            strlen(s + nb + 5) != 6)
            continue;
        int ok = 1;
        for (const char *c = s + nb + 5; *c; c++)
            ok &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9');
        if (!ok)
            continue;
        snprintf(name, sizeof name, "%s/%s", dir, s);
        unlink(name);
    }
    closedir(d);
}

/* A temporary file being written: its name (the registry's slot or own). */
typedef struct temp {
    FILE *f;
    int slot;
    char own[CSVOUT_PATH_MAX + 16];
    const char *name;
    uint64_t sum;      /* FNV-1a 64 of the bytes written so far */
    int oserr;         /* errno of a failed temp_open */
} temp;

/* Open a temporary file beside path (stale ones removed first). */
static int temp_open(temp *t, const char *path, os_err *err)
{
    t->f = NULL;
    t->sum = CSVOUT_FNV_INIT;
    t->oserr = 0;
    if (strlen(path) + 12 > sizeof t->own)
        return err_set(err, OS_EIO, "cannot write '%s': path too long", path);
    if (make_parents(path, err))
        return err->code;
    remove_stale(path);
    t->slot = inflight_claim(path);
    char *name = t->slot >= 0 ? inflight[t->slot] : t->own;
    if (t->slot < 0)
        snprintf(t->own, sizeof t->own, "%s.tmp.XXXXXX", path);
    t->name = name;
    int fd = mkstemp(name);
    if (fd < 0) {
        int e = t->oserr = errno;
        inflight_release(t->slot);
        return err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    fchmod(fd, 0644);
    t->f = fdopen(fd, "w");
    if (!t->f) {
        int e = t->oserr = errno;
        close(fd);
        unlink(name);
        inflight_release(t->slot);
        return err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

static int put(temp *t, const char *s, size_t n)
{
    t->sum = csvout_fnv1a64(t->sum, s, n);
    return fwrite(s, 1, n, t->f) == n ? 0 : -1;
}

/* Flush, fsync and close; returns 0 or an errno. The file stays. */
static int temp_finish(temp *t, int failed)
{
    int e = failed ? (errno ? errno : EIO) : 0;
    if (fflush(t->f) != 0 && !e)
        e = errno;
    if (!e && fsync(fileno(t->f)) != 0)
        e = errno;
    if (fclose(t->f) != 0 && !e)
        e = errno;
    t->f = NULL;
    return e;
}

/* Remove a temporary that will not be renamed. */
static void temp_discard(temp *t)
{
    if (t->f)
        fclose(t->f);
    t->f = NULL;
    unlink(t->name);
    inflight_release(t->slot);
}

/* Rename the finished temporary to path and sync the folder. */
static int temp_commit(temp *t, const char *path)
{
    int e = rename(t->name, path) != 0 ? errno : 0;
    if (e)
        unlink(t->name);
    inflight_release(t->slot);
    return e ? e : sync_folder(path);
}

static int put_row(temp *t, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (i && put(t, ",", 1))
            return -1;
        const char *s = cells[i] ? cells[i] : "";
        size_t len = strlen(s);
        /* quote only when needed, so plain numbers stay plain */
        if (strpbrk(s, ",\"\r\n") || s[0] == ' ' || (len && s[len - 1] == ' ')) {
            if (put(t, "\"", 1))
                return -1;
            for (const char *q; (q = strchr(s, '"')); s = q + 1)
                if (put(t, s, (size_t)(q - s) + 1) || put(t, "\"", 1))
                    return -1;
            if (put(t, s, strlen(s)) || put(t, "\"", 1))
                return -1;
        } else if (put(t, s, len)) {
            return -1;
        }
    }
    return put(t, "\n", 1);
}

typedef struct table {
    int ncols, nrows;
    const char *const *header, *const *cells;
} table;

static int fill_table(temp *t, const void *ud)
{
    const table *tb = ud;
    if (put_row(t, tb->ncols, tb->header))
        return -1;
    for (int r = 0; r < tb->nrows; r++)
        if (put_row(t, tb->ncols, tb->cells + (size_t)r * tb->ncols))
            return -1;
    return 0;
}

static int fill_text(temp *t, const void *ud)
{
    return put(t, ud, strlen(ud));
}

/* Write the content (fill) to a finished, synced temporary beside path. */
static int write_temp(temp *t, const char *path, int (*fill)(temp *, const void *),
                      const void *ud, os_err *err)
{
    if (temp_open(t, path, err))
        return err->code;
    errno = 0;
    int e = temp_finish(t, fill(t, ud) != 0);
    if (e) {
        temp_discard(t);
        return err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

/* Write path atomically: fill writes the content (0 or -1). */
static int write_atomic(const char *path, int (*fill)(temp *, const void *), const void *ud,
                        os_err *err)
{
    os_err local;
    if (!err)
        err = &local; /* the code is read back */
    temp t;
    if (write_temp(&t, path, fill, ud, err))
        return err->code;
    int e = temp_commit(&t, path);
    if (e)
        return err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
    return 0;
}

int csvout_write(const char *path, int ncols, const char *const *header, int nrows,
                 const char *const *cells, os_err *err)
{
    if (ncols < 1)
        return err_set(err, OS_EINVAL, "cannot write '%s': no columns", path);
    table tb = { ncols, nrows, header, cells };
    return write_atomic(path, fill_table, &tb, err);
}

int csvout_write_text(const char *path, const char *text, os_err *err)
{
    return write_atomic(path, fill_text, text, err);
}

int csvout_write_pair(const char *path, int ncols, const char *const *header, int nrows,
                      const char *const *cells, const char *head, uint64_t *sum, os_err *err)
{
    os_err local;
    if (!err)
        err = &local;
    if (ncols < 1)
        return err_set(err, OS_EINVAL, "cannot write '%s': no columns", path);
    size_t pn = strlen(path);
    char *mpath = malloc(pn + 10);
    char *text = malloc(strlen(head) + 48);
    if (!mpath || !text) {
        free(mpath);
        free(text);
        return err_set(err, OS_ENOMEM, "cannot write '%s': out of memory", path);
    }
    snprintf(mpath, pn + 10, "%s.manifest", path);
    table tb = { ncols, nrows, header, cells };
    temp csv, man;
    int rc = write_temp(&csv, path, fill_table, &tb, err);
    if (rc)
        goto done;
    sprintf(text, "%schecksum: fnv1a64 %016" PRIx64 "\n", head, csv.sum);
    if ((rc = write_temp(&man, mpath, fill_text, text, err))) {
        temp_discard(&csv);
        goto done;
    }
    /* manifest first (csvout.h says why), then the CSV */
    int e = temp_commit(&man, mpath);
    if (e) {
        temp_discard(&csv);
        rc = err_set(err, OS_EIO, "cannot write '%s': %s", mpath, strerror(e));
        goto done;
    }
    if ((e = temp_commit(&csv, path))) {
        /* the old CSV (if any) stays; a manifest that describes no file on
         * disk would only make it unreadable */
        unlink(mpath);
        rc = err_set(err, OS_EIO, "cannot write '%s': %s", path, strerror(e));
        goto done;
    }
    if (sum)
        *sum = csv.sum;
done:
    free(mpath);
    free(text);
    return rc;
}

int csvout_checksum_file(const char *path, uint64_t *sum, os_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, OS_EIO, "cannot read '%s': %s", path, strerror(errno));
    uint64_t h = CSVOUT_FNV_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = csvout_fnv1a64(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return err_set(err, OS_EIO, "cannot read '%s': read error", path);
    *sum = h;
    return 0;
}

int csvout_check_folder(const char *path, os_err *err)
{
    os_err local;
    if (!err)
        err = &local;
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    if (make_parents(path, err))
        return err->code;
    temp t;
    if (temp_open(&t, path, err) && t.oserr)
        return err_set(err, OS_EIO, "cannot write '%s': cannot create a file in folder "
                       "'%s': %s", path, dir, strerror(t.oserr));
    if (!t.f)
        return err->code;
    temp_discard(&t);
    return 0;
}

/* --- reading manifests --- */

/* The manifest's text (malloc'd), or NULL: *missing when there is none. */
static char *read_manifest(const char *csv_path, int *missing, os_err *err)
{
    char mpath[4200];
    snprintf(mpath, sizeof mpath, "%s.manifest", csv_path);
    *missing = 0;
    FILE *f = fopen(mpath, "rb");
    if (!f) {
        if (errno == ENOENT) {
            *missing = 1;
            return NULL;
        }
        err_set(err, OS_EIO, "cannot read '%s': %s", mpath, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    for (size_t k; s && (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += k;
        if (n + 1 == cap) {
            char *t = cap < (1u << 24) ? realloc(s, cap *= 2) : NULL;
            if (!t) {
                free(s);
                s = NULL;
            } else {
                s = t;
            }
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!s || bad) {
        free(s);
        err_set(err, OS_EIO, "cannot read '%s': %s", mpath,
                bad ? "read error" : "too large or out of memory");
        return NULL;
    }
    s[n] = 0;
    return s;
}

/* The value of the line "key: ..." in text (pointer into it, up to '\n'). */
static const char *line_value(const char *text, const char *key, size_t *len)
{
    size_t kn = strlen(key);
    for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
        if (strncmp(s, key, kn) == 0 && s[kn] == ':' && s[kn + 1] == ' ') {
            const char *v = s + kn + 2, *end = strchr(v, '\n');
            *len = end ? (size_t)(end - v) : strlen(v);
            return v;
        }
    }
    return NULL;
}

/* "fnv1a64 <16 hex>" (exactly) into *sum; 0 or -1. */
static int parse_checksum(const char *v, size_t len, uint64_t *sum)
{
    if (len != 24 || strncmp(v, "fnv1a64 ", 8) != 0)
        return -1;
    uint64_t x = 0;
    for (size_t i = 8; i < 24; i++) {
        char c = v[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        x = x << 4 | (uint64_t)d;
    }
    *sum = x;
    return 0;
}

int csvout_manifest_read(const char *csv_path, csvout_manifest *m, os_err *err)
{
    memset(m, 0, sizeof *m);
    m->rows = -1;
    int missing;
    char *text = read_manifest(csv_path, &missing, err);
    if (!text)
        return missing ? 0 : OS_EIO;
    m->found = 1;
    int rc = 0;
    size_t len;
    const char *v = line_value(text, "rows", &len);
    if (v) {
        char *end;
        errno = 0;
        long long r = strtoll(v, &end, 10);
        if (end == v || (size_t)(end - v) != len || r < 0 || errno)
            rc = err_set(err, OS_EIO, "%s.manifest: malformed line 'rows: %.*s'", csv_path,
                         (int)(len > 40 ? 40 : len), v);
        m->rows = r;
    }
    if (!rc && (v = line_value(text, "checksum", &len))) {
        if (parse_checksum(v, len, &m->checksum))
            rc = err_set(err, OS_EIO, "%s.manifest: malformed line 'checksum: %.*s' "
                         "(expected fnv1a64 and 16 hex digits)", csv_path,
                         (int)(len > 40 ? 40 : len), v);
        m->has_checksum = 1;
    }
    free(text);
    return rc;
}

int csvout_manifest_sibling(const char *csv_path, const char *name, uint64_t *sum,
                            os_err *err)
{
    int missing;
    char *text = read_manifest(csv_path, &missing, err);
    if (!text)
        return missing ? 0 : OS_EIO;
    int found = 0;
    size_t nn = strlen(name), len;
    for (const char *s = text; !found && (s = line_value(s, "sibling", &len)); s += len) {
        if (len == nn + 5 && strncmp(s, name, nn) == 0 && strncmp(s + nn, " none", 5) == 0)
            found = 2;
        else if (len == nn + 25 && strncmp(s, name, nn) == 0 && s[nn] == ' ' &&
                 parse_checksum(s + nn + 1, 24, sum) == 0)
            found = 1;
    }
    free(text);
    return found;
}

int csvout_verify(const char *csv_path, long long rows, uint64_t sum, os_err *err)
{
    csvout_manifest m;
    int rc = csvout_manifest_read(csv_path, &m, err);
    if (rc || !m.found)
        return rc;
    if (m.rows >= 0 && m.rows != rows)
        return err_set(err, OS_EINVAL, "%s does not match its manifest (%lld row%s, the "
                       "manifest says %lld): one of them is from another run or the write "
                       "was interrupted; write it again", csv_path, rows, rows == 1 ? "" : "s",
                       m.rows);
    if (m.has_checksum && m.checksum != sum)
        return err_set(err, OS_EINVAL, "%s does not match its manifest (checksum fnv1a64 "
                       "%016" PRIx64 ", the manifest says %016" PRIx64 "): one of them is "
                       "from another run or the write was interrupted; write it again",
                       csv_path, sum, m.checksum);
    return 0;
}
