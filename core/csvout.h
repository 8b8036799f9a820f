/* csvout.h — tidy CSV files that never exist half-written, and manifests that
 * a reader can check them against.
 * Owns: writing a header and rows of already-formatted cells (RFC 4180
 *       quoting, as libcsv reads it) into a temporary file beside the target,
 *       renamed into place only when complete and synced; the manifest beside
 *       it with the CSV's row count and checksum; reading those back; the
 *       registry of temporary files being written (for a signal handler).
 * Uses: POSIX (mkstemp, rename, fsync, mkdir, opendir, unlink), C11 atomics.
 *       No signal handling of its own.
 *
 * What a crash leaves on disk. csvout_write_pair writes the CSV to a
 * temporary file X.csv.tmp.XXXXXX and the manifest to
 * X.csv.manifest.tmp.XXXXXX, fsyncs both, then renames the manifest into place,
 * fsyncs the folder, renames the CSV into place and fsyncs the folder again.
 * The manifest names the CSV's row count and checksum (FNV-1a 64 of its
 * bytes). A reader that checks them (csvout_verify) accepts a CSV only when
 * it has no manifest or its manifest describes exactly its bytes. Killed at
 * any point, the folder holds: the old pair (before the first rename; both
 * agree); the new manifest beside the old CSV or beside no CSV (between the
 * renames; the checksums disagree, so the pair is refused, or there is no CSV
 * to read); or the new pair. So a reader never takes a CSV for what another
 * run's manifest says, and a CSV this writer made is never seen without its
 * manifest (manifest first: the CSV-first order would leave a first-time CSV
 * manifest-less, readable without its provenance). Temporary files left by a
 * kill are removed by the next write to the same target. The checksum catches
 * accidents (a kill, a copy of one file but not the other, an edit); it is
 * not a signature against someone who rewrites both files. */
#ifndef OVERSIM_CSVOUT_H
#define OVERSIM_CSVOUT_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* FNV-1a 64 of n bytes at p, continuing from h (start from CSVOUT_FNV_INIT). */
#define CSVOUT_FNV_INIT 0xcbf29ce484222325ULL
uint64_t csvout_fnv1a64(uint64_t h, const void *p, size_t n);

/* Write path: ncols header names, then nrows rows of ncols cells each
 * (cells[row * ncols + col]; NULL = empty cell). Missing parent folders are
 * created; temporaries path.tmp.* left by an earlier killed write are
 * removed. On failure nothing is left at path or beside it (a previous file
 * at path is untouched) and err says why, naming the path. No manifest. */
int csvout_write(const char *path, int ncols, const char *const *header, int nrows,
                 const char *const *cells, os_err *err);

/* csvout_write, plus path.manifest: the text `head` (lines ending in '\n', or
 * empty) followed by the line "checksum: fnv1a64 <16 hex digits>" of the CSV's
 * bytes; the manifest is renamed into place first (see the top of this file).
 * On failure nothing new is left: if the CSV could not be renamed after the
 * manifest was, the new manifest is removed again. *sum (may be NULL)
 * receives the checksum. */
int csvout_write_pair(const char *path, int ncols, const char *const *header, int nrows,
                      const char *const *cells, const char *head, uint64_t *sum,
                      os_err *err);

/* Write text to path atomically (same guarantees as csvout_write). */
int csvout_write_text(const char *path, const char *text, os_err *err);

/* The checksum of the file at path's bytes into *sum; 0, or OS_EIO with err
 * naming the file. */
int csvout_checksum_file(const char *path, uint64_t *sum, os_err *err);

/* Check, before any work, that path could be written: create its missing
 * folders, then create and remove a temporary file "<path>.tmp.XXXXXX" beside
 * it. 0, or OS_EIO with err naming path, the folder and the OS's reason. */
int csvout_check_folder(const char *path, os_err *err);

/* What a CSV's manifest says about it (csvout_manifest_read). */
typedef struct csvout_manifest {
    int found;          /* 0: there is no path.manifest (nothing else is set) */
    long long rows;     /* the "rows: N" line, -1 if none */
    int has_checksum;   /* a "checksum: fnv1a64 ..." line (a manifest written
                           before checksums has only rows: checked on those) */
    uint64_t checksum;
} csvout_manifest;

/* Read csv_path's manifest (csv_path + ".manifest") into m. A missing manifest
 * is not an error (m->found = 0). Returns 0, or OS_EIO with err naming the
 * manifest (unreadable, or a malformed rows/checksum line). */
int csvout_manifest_read(const char *csv_path, csvout_manifest *m, os_err *err);

/* What csv_path's manifest says about a sibling file `name` (a file name,
 * no folder) written by the same save: 0 = the manifest (or its absence)
 * says nothing about it, 1 = the save wrote it with checksum *sum, 2 = the
 * save wrote no such file. Lines: "sibling: NAME fnv1a64 HEX" or
 * "sibling: NAME none". Negative (OS_EIO, err set) on an unreadable manifest. */
int csvout_manifest_sibling(const char *csv_path, const char *name, uint64_t *sum,
                            os_err *err);

/* Check that csv_path agrees with its manifest, given the data rows a reader
 * counted in it and the checksum of its bytes. 0 when it does or when there
 * is no manifest; else OS_EINVAL with one line in err naming the file and
 * what differs. */
int csvout_verify(const char *csv_path, long long rows, uint64_t sum, os_err *err);

/* --- temporaries in flight, for the host's signal handler ---
 * While a file is being written, its temporary path sits in a fixed-size
 * static table (CSVOUT_INFLIGHT slots of CSVOUT_PATH_MAX bytes; a write that
 * finds no free slot, or a longer path, is simply not listed). The core never
 * installs a handler: the host (the CLI) calls this from its own. */
#define CSVOUT_INFLIGHT 8
#define CSVOUT_PATH_MAX 4096

/* Remove (unlink) every temporary file being written now. Async-signal-safe:
 * lock-free atomics, unlink() and byte copies only; no allocation, no stdio.
 * The names actually removed are written into buf (", " between them, cut to
 * fit, NUL-terminated; buf may be NULL). Returns how many were removed. The
 * write that was interrupted must not continue afterwards (the host exits). */
int csvout_remove_inflight(char *buf, size_t n);

#endif
