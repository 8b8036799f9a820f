/* l_mpi.c — a sweep across MPI ranks (built with -DOVERSIM_MPI=ON):
 * `mpirun -n N oversim run FILE.lua`. Every rank runs the script. In each
 * oversim.sweep, rank 0 hands out run indices one at a time as ranks ask for
 * work (dynamic load balancing: a rank that finishes early takes the next
 * run), receives each finished run (the bytes train_run wrote, as a run store
 * record) and, when all are in, prepares every run itself and fills it from
 * what it received, so it returns and writes exactly what one process would.
 * Ranks 1..N-1 train what they are handed, preparing only those runs (a
 * recursive overseer's critics are trained by the rank that trains the run
 * and once more by rank 0, which needs them for the results; reading the
 * specs and skipping run ids is repeated on every rank, deterministic and
 * cheap), and return their own runs; they write no CSV and their stdout is
 * discarded by the CLI. A run that fails on a worker is reported by rank 0
 * with the worker's message, and the CLI aborts every rank. */
#include "l_internal.h"
#include "l_present.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

/* A worker's messages of sweep k carry tag TAG_ASK + k % 30000, so that rank
 * 0, still gathering sweep k, leaves a faster rank's first message of sweep
 * k + 1 queued (MPI guarantees tags up to 32767). */
enum { TAG_WORK = 1, TAG_ASK = 2 };
static int ask_tag(int sweep) { return TAG_ASK + sweep % 30000; }

/* A worker's message: header, then the record's bytes or an error text. */
typedef struct msg_head {
    int32_t sweep, index, rc; /* index -1: ready for the first run */
    uint32_t rows, cells;
    uint64_t fp;
} msg_head;

void l_mpi_dispatch(lua_State *L, const char *loc, int sweep, int n, l_store *mem)
{
    l_dist *d = l_dist_of(L);
    int next = 0, active = d->ranks - 1, got = 0;
    char *buf = NULL;
    size_t cap = 0;
    while (active > 0) {
        MPI_Status st;
        MPI_Probe(MPI_ANY_SOURCE, ask_tag(sweep), MPI_COMM_WORLD, &st);
        int bytes;
        MPI_Get_count(&st, MPI_BYTE, &bytes);
        if ((size_t)bytes > cap) {
            char *b = realloc(buf, (size_t)bytes);
            if (!b) {
                free(buf);
                l_raise(L, loc, "out of memory for a run from rank %d", st.MPI_SOURCE);
            }
            buf = b, cap = (size_t)bytes;
        }
        MPI_Recv(buf, bytes, MPI_BYTE, st.MPI_SOURCE, ask_tag(sweep), MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        msg_head h;
        memcpy(&h, buf, sizeof h);
        if (h.sweep != sweep) {
            free(buf);
            l_raise(L, loc, "MPI rank %d is in sweep %d, rank 0 in sweep %d: the ranks do not "
                    "run the same script", st.MPI_SOURCE, (int)h.sweep, sweep);
        }
        if (h.index >= 0 && h.rc != 0) {
            char text[600];
            snprintf(text, sizeof text, "%.*s", bytes - (int)sizeof h, buf + sizeof h);
            free(buf);
            l_raise(L, loc, "run %d of the sweep (MPI rank %d): %s", (int)h.index + 1,
                    st.MPI_SOURCE, text);
        }
        if (h.index >= 0) {
            size_t len = (size_t)bytes - sizeof h;
            unsigned char *data = malloc(len ? len : 1);
            if (!data || l_store_add(mem, (uint32_t)h.index, h.fp, h.rows, h.cells, data)) {
                free(data);
                free(buf);
                l_raise(L, loc, "out of memory for the sweep's runs");
            }
            memcpy(data, buf + sizeof h, len);
            got++;
            l_progress_tick(l_progress_of(L));
        }
        int give = next < n ? next++ : -1;
        MPI_Send(&give, 1, MPI_INT, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        if (give < 0)
            active--;
    }
    free(buf);
    if (got != n)
        l_raise(L, loc, "MPI: %d of the sweep's %d runs came back", got, n);
}

int l_mpi_next(lua_State *L, const char *loc, int sweep, int prev, const l_run *j,
               uint64_t fp)
{
    msg_head h = { sweep, prev, 0, 0, 0, fp };
    size_t len = sizeof h;
    const char *text = NULL;
    if (prev >= 0 && j->rc) {
        h.rc = j->rc;
        text = j->err.msg;
        len += strlen(text);
    } else if (prev >= 0) {
        h.rows = (uint32_t)j->p.rounds + 1;
        h.cells = (uint32_t)j->w->n_cells;
        len += (size_t)h.rows * sizeof(metrics_row) + 2 * (size_t)h.cells * sizeof(double);
    }
    if (len > (size_t)0x7fffffff)
        l_raise(L, loc, "MPI: run %d's results are too large to send (%zu bytes)", prev + 1, len);
    unsigned char *buf = malloc(len);
    if (!buf)
        l_raise(L, loc, "out of memory sending run %d", prev + 1);
    memcpy(buf, &h, sizeof h);
    unsigned char *p = buf + sizeof h;
    if (text) {
        memcpy(p, text, strlen(text));
    } else if (prev >= 0) {
        memcpy(p, j->rows, (size_t)h.rows * sizeof(metrics_row));
        p += (size_t)h.rows * sizeof(metrics_row);
        memcpy(p, j->probs, (size_t)h.cells * sizeof(double));
        p += (size_t)h.cells * sizeof(double);
        memcpy(p, j->reward, (size_t)h.cells * sizeof(double));
    }
    MPI_Send(buf, (int)len, MPI_BYTE, 0, ask_tag(sweep), MPI_COMM_WORLD);
    free(buf);
    int give;
    MPI_Recv(&give, 1, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return give;
}
