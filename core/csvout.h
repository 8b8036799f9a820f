/* csvout.h — tidy CSV files that never exist half-written.
 * Owns: writing a header and rows of already-formatted cells with libcsv's
 *       quoting, into a temporary file beside the target that is renamed into
 *       place only when complete; the manifest file beside it the same way.
 * Uses: libcsv (csv_fwrite), POSIX (mkstemp, rename, mkdir). */
#ifndef OVERSIM_CSVOUT_H
#define OVERSIM_CSVOUT_H

#include "err.h"

/* Write path: ncols header names, then nrows rows of ncols cells each
 * (cells[row * ncols + col]; NULL = empty cell). Missing parent folders are
 * created. On failure nothing is left at path or beside it (a previous file
 * at path is untouched) and err says why, naming the path. */
int csvout_write(const char *path, int ncols, const char *const *header, int nrows,
                 const char *const *cells, os_err *err);

/* Write text to path atomically (same guarantees as csvout_write). */
int csvout_write_text(const char *path, const char *text, os_err *err);

#endif
