/* l_store.c — a file of finished runs: a sweep's checkpoint (resume after a
 * crash) and a shard's part (a job-array task's share, for `oversim merge`).
 * Owns: the file format and its checks. A run's results (its rows, final
 * policy and reward) are stored as the bytes train_run wrote, so a run read
 * back is exactly the run computed.
 *
 * Format (native byte order: a file is read by the build that wrote it, which
 * the header's build line checks):
 *   "oversim runs 1\n"
 *   "identity <text>\n"            what the runs belong to (script, arguments,
 *                                  sweep); a different one is refused
 *   "build <rowsize> <version>\n"
 *   then records, each: magic u32 "OVSR", index u32, fingerprint u64,
 *   rows u32, cells u32, the rows (rows x sizeof(metrics_row)), probs and
 *   reward (cells doubles each), then an FNV-1a 64 checksum u64 of everything
 *   before it in the record.
 * Each record is written whole and fsync'ed before the next run is
 * acknowledged; a record cut short by a crash (or whose checksum fails) ends
 * the file: it and anything after it are dropped, and the file is truncated
 * there before new records are appended. */
#include "l_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "version.h"

#define MAGIC 0x5253564fu /* "OVSR" */

uint64_t l_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
#define FNV_START 0xcbf29ce484222325ull

static void header(char *buf, size_t n, const char *identity)
{
    snprintf(buf, n, "oversim runs 1\nidentity %s\nbuild %zu %s\n", identity,
             sizeof(metrics_row), OVERSIM_VERSION);
}

void l_store_close(l_store *s)
{
    if (!s)
        return;
    if (s->f)
        fclose(s->f);
    for (int i = 0; i < s->n; i++)
        free(s->rec[i].data);
    free(s->rec);
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Read the records after the header; stops at the first incomplete or bad
 * one and returns the offset where the good ones end. */
static long read_records(l_store *s, FILE *f, long start)
{
    long good = start;
    for (;;) {
        uint32_t magic, index, rows, cells;
        uint64_t fp;
        if (fread(&magic, 4, 1, f) != 1 || magic != MAGIC || fread(&index, 4, 1, f) != 1 ||
            fread(&fp, 8, 1, f) != 1 || fread(&rows, 4, 1, f) != 1 ||
            fread(&cells, 4, 1, f) != 1)
            break;
        if (rows > 100000000u || cells > 100000000u)
            break;
        size_t bytes = (size_t)rows * sizeof(metrics_row) + (size_t)cells * 2 * sizeof(double);
        unsigned char *data = malloc(bytes ? bytes : 1);
        uint64_t sum;
        if (!data || fread(data, 1, bytes, f) != bytes || fread(&sum, 8, 1, f) != 1) {
            free(data);
            break;
        }
        uint64_t h = l_fnv1a(FNV_START, &magic, 4);
        h = l_fnv1a(h, &index, 4);
        h = l_fnv1a(h, &fp, 8);
        h = l_fnv1a(h, &rows, 4);
        h = l_fnv1a(h, &cells, 4);
        h = l_fnv1a(h, data, bytes);
        if (h != sum) {
            free(data);
            break;
        }
        if (s->n == s->cap) {
            int cap = s->cap ? 2 * s->cap : 64;
            l_stored *r = realloc(s->rec, (size_t)cap * sizeof *r);
            if (!r) {
                free(data);
                break;
            }
            s->rec = r, s->cap = cap;
        }
        s->rec[s->n++] = (l_stored){ index, fp, rows, cells, data };
        good = ftell(f);
    }
    return good;
}

l_store *l_store_open(const char *path, const char *identity, int writable, char *msg,
                      size_t n)
{
    l_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(msg, n, "out of memory");
        return NULL;
    }
    s->lock_ready = pthread_mutex_init(&s->lock, NULL) == 0;
    char want[1024];
    header(want, sizeof want, identity);
    FILE *f = fopen(path, writable ? "r+b" : "rb");
    if (!f && writable && errno == ENOENT) {
        f = fopen(path, "w+b");
        if (f && (fputs(want, f) < 0 || fflush(f) || fsync(fileno(f)))) {
            fclose(f);
            f = NULL;
        }
        if (!f) {
            snprintf(msg, n, "cannot create '%s': %s", path, strerror(errno));
            l_store_close(s);
            return NULL;
        }
        s->f = f;
        return s;
    }
    if (!f) {
        snprintf(msg, n, "cannot open '%s': %s", path, strerror(errno));
        l_store_close(s);
        return NULL;
    }
    char got[1024];
    size_t len = strlen(want);
    if (fread(got, 1, len, f) != len || memcmp(got, want, len) != 0) {
        got[len < sizeof got ? len : 0] = 0;
        int ours = strncmp(got, "oversim runs 1\n", 15) == 0;
        snprintf(msg, n, "'%s' %s", path, ours
                 ? "holds the runs of another script, other arguments or another build of "
                   "oversim (its identity differs); remove it or give another path"
                 : "is not a file of oversim runs");
        fclose(f);
        l_store_close(s);
        return NULL;
    }
    long good = read_records(s, f, (long)len);
    if (writable) {
        /* drop a record a crash cut short, then append after the good ones */
        if (fflush(f) || ftruncate(fileno(f), good) || fseek(f, good, SEEK_SET)) {
            snprintf(msg, n, "cannot repair '%s': %s", path, strerror(errno));
            fclose(f);
            l_store_close(s);
            return NULL;
        }
        s->f = f;
    } else {
        fclose(f);
    }
    return s;
}

int l_store_add(l_store *s, uint32_t index, uint64_t fp, uint32_t rows, uint32_t cells,
                unsigned char *data)
{
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 64;
        l_stored *r = realloc(s->rec, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        s->rec = r, s->cap = cap;
    }
    s->rec[s->n++] = (l_stored){ index, fp, rows, cells, data };
    return 0;
}

const l_stored *l_store_find(const l_store *s, uint32_t index)
{
    for (int i = s->n - 1; i >= 0; i--) /* the last record of an index wins */
        if (s->rec[i].index == index)
            return &s->rec[i];
    return NULL;
}

int l_store_append(l_store *s, uint32_t index, uint64_t fingerprint, const metrics_row *rows,
                   uint32_t nrows, const double *probs, const double *reward, uint32_t cells)
{
    if (s->lock_ready)
        pthread_mutex_lock(&s->lock);
    uint32_t magic = MAGIC;
    uint64_t h = l_fnv1a(FNV_START, &magic, 4);
    h = l_fnv1a(h, &index, 4);
    h = l_fnv1a(h, &fingerprint, 8);
    h = l_fnv1a(h, &nrows, 4);
    h = l_fnv1a(h, &cells, 4);
    h = l_fnv1a(h, rows, (size_t)nrows * sizeof *rows);
    h = l_fnv1a(h, probs, (size_t)cells * sizeof *probs);
    h = l_fnv1a(h, reward, (size_t)cells * sizeof *reward);
    FILE *f = s->f;
    int ok = fwrite(&magic, 4, 1, f) == 1 && fwrite(&index, 4, 1, f) == 1 &&
             fwrite(&fingerprint, 8, 1, f) == 1 && fwrite(&nrows, 4, 1, f) == 1 &&
             fwrite(&cells, 4, 1, f) == 1 &&
             fwrite(rows, sizeof *rows, nrows, f) == nrows &&
             fwrite(probs, sizeof *probs, cells, f) == cells &&
             fwrite(reward, sizeof *reward, cells, f) == cells && fwrite(&h, 8, 1, f) == 1 &&
             fflush(f) == 0 && fdatasync(fileno(f)) == 0;
    if (s->lock_ready)
        pthread_mutex_unlock(&s->lock);
    return ok ? 0 : -1;
}

int l_store_fill(const l_stored *r, metrics_row *rows, uint32_t nrows, double *probs,
                 double *reward, uint32_t cells)
{
    if (r->rows != nrows || r->cells != cells)
        return -1;
    const unsigned char *p = r->data;
    memcpy(rows, p, (size_t)nrows * sizeof *rows);
    p += (size_t)nrows * sizeof *rows;
    memcpy(probs, p, (size_t)cells * sizeof *probs);
    p += (size_t)cells * sizeof *probs;
    memcpy(reward, p, (size_t)cells * sizeof *reward);
    return 0;
}
