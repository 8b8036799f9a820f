/* world.c — see world.h. */
#include "world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef OVERSIM_OPENBLAS
void openblas_set_num_threads(int n); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void world_estimate(long long n_ctx, long long n_beh, long long dim, size_estimate *e)
{
    size_t nc = n_ctx > 0 ? (size_t)n_ctx : 0, nb = n_beh > 0 ? (size_t)n_beh : 0;
    size_t cells = size_mul3_sat(nc, nb, 1);
    /* looks, prior, log_prior, vstar; avail, deceptive, catastrophic; fact_start */
    size_estimate_add(e, size_mul3_sat(cells, 4 * sizeof(double) + 3 + sizeof(int), 1),
                      "world cells %lld x %lld", n_ctx, n_beh);
    size_estimate_add(e, size_add_sat(size_mul3_sat(nc, 7 * sizeof(double) + 3 * sizeof(int) + 1, 1),
                                      size_mul3_sat(nb, sizeof(char *) + 2, 1)),
                      "world contexts and behaviours");
    if (dim > 0)
        size_estimate_add(e, size_mul3_sat(cells, (size_t)dim, 2 * sizeof(double)),
                          "features %zu cells x %lld", cells, dim);
}

world *world_new(int n_ctx, int n_beh, os_err *err)
{
    if (n_ctx < 1 || n_beh < 1) {
        err_set(err, OS_EINVAL, "world is empty: %d context types and %d behaviours "
                "(need at least one of each)", n_ctx, n_beh);
        return NULL;
    }
    if ((long long)n_ctx * n_beh > WORLD_MAX_CELLS) {
        err_set(err, OS_EINVAL, "world too large: %d x %d cells (at most %d)", n_ctx, n_beh,
                WORLD_MAX_CELLS);
        return NULL;
    }
#ifdef OVERSIM_OPENBLAS
    openblas_set_num_threads(1); /* sweeps parallelise runs, not products */
#endif
    world *w = calloc(1, sizeof *w);
    if (!w)
        goto nomem;
    int n = n_ctx * n_beh;
    w->n_ctx = n_ctx;
    w->n_beh = n_beh;
    w->n_cells = n;
    w->onehot = 1;
    w->dim = n;
    w->ctx_name = calloc(n_ctx, sizeof *w->ctx_name);
    w->ctx_weight = calloc(n_ctx, sizeof *w->ctx_weight);
    w->ctx_cum_weight = calloc(n_ctx, sizeof *w->ctx_cum_weight);
    w->ctx_difficulty = calloc(n_ctx, sizeof *w->ctx_difficulty);
    w->ctx_tags = calloc(n_ctx, sizeof *w->ctx_tags);
    w->ctx_n_avail = calloc(n_ctx, sizeof *w->ctx_n_avail);
    w->ctx_deploy_weight = malloc(n_ctx * sizeof *w->ctx_deploy_weight);
    w->ctx_deploy_cum = calloc(n_ctx, sizeof *w->ctx_deploy_cum);
    w->ctx_monitored = malloc(n_ctx);
    w->ctx_query_cum = calloc(n_ctx, sizeof *w->ctx_query_cum);
    w->ctx_template = malloc(n_ctx * sizeof *w->ctx_template);
    w->beh_name = calloc(n_beh, sizeof *w->beh_name);
    w->beh_deceptive_tag = calloc(n_beh, 1);
    w->beh_catastrophic = calloc(n_beh, 1);
    w->looks = calloc(n, sizeof *w->looks);
    w->prior = calloc(n, sizeof *w->prior);
    w->log_prior = calloc(n, sizeof *w->log_prior);
    w->avail = calloc(n, 1);
    w->vstar = calloc(n, sizeof *w->vstar);
    w->deceptive = calloc(n, 1);
    w->catastrophic = calloc(n, 1);
    w->fact_start = calloc(n + 1, sizeof *w->fact_start);
    if (!w->ctx_name || !w->ctx_weight || !w->ctx_cum_weight || !w->ctx_difficulty ||
        !w->ctx_tags || !w->ctx_n_avail || !w->ctx_deploy_weight || !w->ctx_deploy_cum ||
        !w->ctx_monitored || !w->ctx_query_cum || !w->ctx_template || !w->beh_name ||
        !w->beh_deceptive_tag || !w->beh_catastrophic || !w->looks || !w->prior ||
        !w->log_prior || !w->avail || !w->vstar || !w->deceptive || !w->catastrophic ||
        !w->fact_start)
        goto nomem;
    for (int c = 0; c < n_ctx; c++) {
        w->ctx_deploy_weight[c] = NAN; /* not set */
        w->ctx_monitored[c] = 1;
        w->ctx_template[c] = -1;
    }
    return w;
nomem:
    world_free(w);
    err_set(err, OS_ENOMEM, "out of memory building a world");
    return NULL;
}

void world_free(world *w)
{
    if (!w)
        return;
    for (int c = 0; c < w->n_ctx && w->ctx_name; c++)
        free(w->ctx_name[c]);
    for (int b = 0; b < w->n_beh && w->beh_name; b++)
        free(w->beh_name[b]);
    for (int f = 0; f < w->n_facts && w->fact_name; f++)
        free(w->fact_name[f]);
    for (int t = 0; t < w->n_tags; t++)
        free(w->tag_name[t]);
    free(w->ctx_name);
    free(w->ctx_weight);
    free(w->ctx_cum_weight);
    free(w->ctx_difficulty);
    free(w->ctx_tags);
    free(w->ctx_n_avail);
    free(w->ctx_deploy_weight);
    free(w->ctx_deploy_cum);
    free(w->ctx_monitored);
    free(w->ctx_query_cum);
    free(w->ctx_template);
    free(w->beh_name);
    free(w->beh_deceptive_tag);
    free(w->beh_catastrophic);
    free(w->looks);
    free(w->prior);
    free(w->log_prior);
    free(w->avail);
    free(w->vstar);
    free(w->deceptive);
    free(w->catastrophic);
    free(w->fact_start);
    free(w->fact_difficulty);
    free(w->fact_effect);
    free(w->fact_name);
    free(w->fact_cell);
    free(w->phi);
    free(w->phi_fill);
    free(w);
}

static int check_building(const world *w, os_err *err)
{
    if (w->finalized)
        return err_set(err, OS_EINVAL, "world is already finalized");
    return 0;
}

int world_set_context(world *w, int c, const char *name, double weight,
                      double difficulty, unsigned tags, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (c < 0 || c >= w->n_ctx)
        return err_set(err, OS_EINVAL, "context index %d out of range", c);
    if (!(weight >= 0) || !isfinite(weight))
        return err_set(err, OS_EINVAL, "field 'weight' of context '%s' must be a finite "
                       "number >= 0 (got %g)", name, weight);
    if (isnan(difficulty)) /* +-INFINITY: never / always understood */
        return err_set(err, OS_EINVAL, "field 'difficulty' of context '%s' must be a "
                       "number (got NaN)", name);
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    free(w->ctx_name[c]);
    w->ctx_name[c] = d;
    w->ctx_weight[c] = weight;
    w->ctx_difficulty[c] = difficulty;
    w->ctx_tags[c] = tags;
    return 0;
}

int world_set_deployment(world *w, int c, double deploy_weight, int monitored,
                         os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (c < 0 || c >= w->n_ctx)
        return err_set(err, OS_EINVAL, "context index %d out of range", c);
    const char *cn = w->ctx_name[c] ? w->ctx_name[c] : "?";
    if (!isnan(deploy_weight) && (!(deploy_weight >= 0) || !isfinite(deploy_weight)))
        return err_set(err, OS_EINVAL, "field 'deploy_weight' of context '%s' must be a "
                       "finite number >= 0 (got %g)", cn, deploy_weight);
    w->ctx_deploy_weight[c] = deploy_weight;
    w->ctx_monitored[c] = monitored ? 1 : 0;
    return 0;
}

int world_set_catastrophic(world *w, int b, int catastrophic, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (b < 0 || b >= w->n_beh)
        return err_set(err, OS_EINVAL, "behaviour index %d out of range", b);
    w->beh_catastrophic[b] = catastrophic ? 1 : 0;
    return 0;
}

int world_tag(world *w, const char *name, os_err *err)
{
    for (int t = 0; t < w->n_tags; t++)
        if (strcmp(w->tag_name[t], name) == 0)
            return t;
    if (w->n_tags == WORLD_MAX_TAGS)
        return err_set(err, OS_EINVAL, "too many distinct tags (at most %d)", WORLD_MAX_TAGS);
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    w->tag_name[w->n_tags] = d;
    return w->n_tags++;
}

int world_set_behaviour(world *w, int b, const char *name, int deceptive_tag, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (b < 0 || b >= w->n_beh)
        return err_set(err, OS_EINVAL, "behaviour index %d out of range", b);
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    free(w->beh_name[b]);
    w->beh_name[b] = d;
    w->beh_deceptive_tag[b] = deceptive_tag ? 1 : 0;
    return 0;
}

int world_set_cell(world *w, int c, int b, double looks, double prior, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (c < 0 || c >= w->n_ctx || b < 0 || b >= w->n_beh)
        return err_set(err, OS_EINVAL, "cell (%d,%d) out of range", c, b);
    const char *bn = w->beh_name[b] ? w->beh_name[b] : "?";
    const char *cn = w->ctx_name[c] ? w->ctx_name[c] : "?";
    if (!isfinite(looks))
        return err_set(err, OS_EINVAL, "field 'looks' of behaviour '%s' must be finite (got "
                       "%g in context '%s')", bn, looks, cn);
    if (!(prior >= 0))
        return err_set(err, OS_EINVAL, "field 'prior' of behaviour '%s' must be >= 0 (got %g "
                       "in context '%s')", bn, prior, cn);
    if (!isfinite(prior))
        return err_set(err, OS_EINVAL, "field 'prior' of behaviour '%s' must be finite (got %g "
                       "in context '%s')", bn, prior, cn);
    int cell = c * w->n_beh + b;
    w->looks[cell] = looks;
    w->prior[cell] = prior;
    return 0;
}

int world_add_fact(world *w, int c, int b, const char *name, double difficulty,
                   double effect, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (c < 0 || c >= w->n_ctx || b < 0 || b >= w->n_beh)
        return err_set(err, OS_EINVAL, "cell (%d,%d) out of range", c, b);
    if (isnan(difficulty) || !isfinite(effect)) /* difficulty INFINITY: undiscoverable */
        return err_set(err, OS_EINVAL, "fact '%s' needs a 'difficulty' (a number, +-inf "
                       "allowed) and a finite 'effect' (got %g, %g)", name, difficulty,
                       effect);
    if (w->n_facts >= WORLD_MAX_FACTS)
        return err_set(err, OS_EINVAL, "too many facts (at most %d)", WORLD_MAX_FACTS);
    if (w->n_facts == w->fact_cap) {
        /* fact_cap <= WORLD_MAX_FACTS = INT_MAX / 2: doubling fits an int */
        size_t cap = w->fact_cap ? 2 * (size_t)w->fact_cap : 16;
        double *fd = realloc(w->fact_difficulty, cap * sizeof *fd);
        if (fd)
            w->fact_difficulty = fd;
        double *fe = realloc(w->fact_effect, cap * sizeof *fe);
        if (fe)
            w->fact_effect = fe;
        char **fn = realloc(w->fact_name, cap * sizeof *fn);
        if (fn)
            w->fact_name = fn;
        int *fc = realloc(w->fact_cell, cap * sizeof *fc);
        if (fc)
            w->fact_cell = fc;
        if (!fd || !fe || !fn || !fc)
            return err_set(err, OS_ENOMEM, "out of memory");
        w->fact_cap = (int)cap;
    }
    char *d = dupstr(name);
    if (!d)
        return err_set(err, OS_ENOMEM, "out of memory");
    int f = w->n_facts++;
    w->fact_difficulty[f] = difficulty;
    w->fact_effect[f] = effect;
    w->fact_name[f] = d;
    w->fact_cell[f] = c * w->n_beh + b;
    return 0;
}

/* The n values of phi (n_cells x dim, row-major) are finite; else err names
 * the first that is not. */
static int check_features(const world *w, int dim, const double *phi, size_t n, os_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(phi[i]))
            return err_set(err, OS_EINVAL, "feature %zu of context '%s', behaviour '%s' "
                           "is not finite", i % dim,
                           w->ctx_name[i / dim / w->n_beh] ? w->ctx_name[i / dim / w->n_beh] : "?",
                           w->beh_name[i / dim % w->n_beh] ? w->beh_name[i / dim % w->n_beh] : "?");
    return 0;
}

/* n_cells x dim doubles: their count and bytes, or OS_ENOMEM with err filled. */
static int features_size(const world *w, int dim, size_t *n, size_t *bytes, os_err *err)
{
    if (dim < 1)
        return err_set(err, OS_EINVAL, "feature dimension must be >= 1 (got %d)", dim);
    /* n_cells <= 5e7 cells x an int: fits, but checked */
    if (size_mul((size_t)w->n_cells, (size_t)dim, n) || size_mul(*n, sizeof(double), bytes))
        return err_set(err, OS_ENOMEM, "out of memory for %d x %d features", w->n_cells, dim);
    return 0;
}

int world_set_features(world *w, int dim, const double *phi, os_err *err)
{
    size_t n = 0, bytes = 0;
    int rc = check_building(w, err);
    if (rc || (rc = features_size(w, dim, &n, &bytes, err)) ||
        (rc = check_features(w, dim, phi, n, err)))
        return rc;
    double *p = malloc(bytes);
    if (!p)
        return err_set(err, OS_ENOMEM, "out of memory");
    memcpy(p, phi, bytes);
    free(w->phi);
    w->phi = p;
    w->dim = dim;
    w->onehot = 0;
    return 0;
}

double *world_features_fill(world *w, int dim, os_err *err)
{
    size_t n = 0, bytes = 0;
    if (check_building(w, err) || features_size(w, dim, &n, &bytes, err))
        return NULL;
    double *p = malloc(bytes);
    if (!p) {
        err_set(err, OS_ENOMEM, "out of memory");
        return NULL;
    }
    free(w->phi_fill);
    w->phi_fill = p;
    w->fill_dim = dim;
    return p;
}

int world_features_filled(world *w, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (!w->phi_fill)
        return err_set(err, OS_EINVAL, "no feature matrix is being filled");
    rc = check_features(w, w->fill_dim, w->phi_fill,
                        (size_t)w->n_cells * (size_t)w->fill_dim, err);
    if (rc)
        return rc;
    free(w->phi);
    w->phi = w->phi_fill;
    w->phi_fill = NULL;
    w->dim = w->fill_dim;
    w->onehot = 0;
    return 0;
}

int world_set_features_behaviour(world *w, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    size_t n = (size_t)w->n_cells * w->n_beh;
    double *phi = calloc(n, sizeof *phi);
    if (!phi)
        return err_set(err, OS_ENOMEM, "out of memory");
    for (int i = 0; i < w->n_cells; i++)
        phi[(size_t)i * w->n_beh + i % w->n_beh] = 1;
    rc = world_set_features(w, w->n_beh, phi, err);
    free(phi);
    return rc;
}

/* Sort facts into per-cell runs (counting sort keeps insertion order). */
static int order_facts(world *w, os_err *err)
{
    int n = w->n_cells, nf = w->n_facts;
    memset(w->fact_start, 0, (n + 1) * sizeof *w->fact_start);
    if (nf == 0)
        return 0;
    for (int f = 0; f < nf; f++)
        w->fact_start[w->fact_cell[f] + 1]++;
    for (int i = 0; i < n; i++)
        w->fact_start[i + 1] += w->fact_start[i];
    int *pos = malloc(n * sizeof *pos);
    double *fd = malloc(nf * sizeof *fd), *fe = malloc(nf * sizeof *fe);
    char **fn = malloc(nf * sizeof *fn);
    if (!pos || !fd || !fe || !fn) {
        free(pos), free(fd), free(fe), free(fn);
        return err_set(err, OS_ENOMEM, "out of memory");
    }
    memcpy(pos, w->fact_start, n * sizeof *pos);
    for (int f = 0; f < nf; f++) {
        int k = pos[w->fact_cell[f]]++;
        fd[k] = w->fact_difficulty[f];
        fe[k] = w->fact_effect[f];
        fn[k] = w->fact_name[f];
    }
    free(pos);
    free(w->fact_difficulty), free(w->fact_effect), free(w->fact_name);
    w->fact_difficulty = fd, w->fact_effect = fe, w->fact_name = fn;
    return 0;
}

/* Deployment weights (a context without one: its raw training weight) and
 * the watched contexts' training weights, normalised and accumulated; the
 * raw training weights sum to wsum > 0. Before those are normalised. */
static int finalize_deployment(world *w, double wsum, os_err *err)
{
    double dsum = 0, qsum = 0;
    w->has_deploy = 0;
    w->has_unmonitored = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        if (!isnan(w->ctx_deploy_weight[c]))
            w->has_deploy = 1;
        else
            w->ctx_deploy_weight[c] = w->ctx_weight[c];
        dsum += w->ctx_deploy_weight[c];
        w->has_unmonitored |= !w->ctx_monitored[c];
        qsum += w->ctx_monitored[c] ? w->ctx_weight[c] : 0;
    }
    if (!(dsum > 0) || !isfinite(dsum))
        return err_set(err, OS_EINVAL, "deployment weights must sum to a positive number "
                       "(got %g): field 'deploy_weight' of every context is 0", dsum);
    if (!(qsum > 0))
        return err_set(err, OS_EINVAL, "the overseer watches no context training samples: "
                       "every context with a training weight has monitored = false");
    double dcum = 0, qcum = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        w->ctx_deploy_weight[c] /= dsum;
        dcum += w->ctx_deploy_weight[c];
        w->ctx_deploy_cum[c] = dcum;
        qcum += w->ctx_monitored[c] ? w->ctx_weight[c] / wsum : 0;
        w->ctx_query_cum[c] = qcum;
    }
    return 0;
}

int world_finalize(world *w, double deception_threshold, os_err *err)
{
    int rc = check_building(w, err);
    if (rc)
        return rc;
    if (!isfinite(deception_threshold))
        return err_set(err, OS_EINVAL, "field 'deception_threshold' must be finite");
    for (int c = 0; c < w->n_ctx; c++)
        if (!w->ctx_name[c])
            return err_set(err, OS_EINVAL, "context %d has no name", c + 1);
    for (int b = 0; b < w->n_beh; b++)
        if (!w->beh_name[b])
            return err_set(err, OS_EINVAL, "behaviour %d has no name", b + 1);
    double wsum = 0;
    for (int c = 0; c < w->n_ctx; c++)
        wsum += w->ctx_weight[c];
    if (!(wsum > 0) || !isfinite(wsum))
        return err_set(err, OS_EINVAL, "context weights must sum to a positive number "
                       "(got %g)", wsum);
    if ((rc = finalize_deployment(w, wsum, err)))
        return rc;
    double cum = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        w->ctx_weight[c] /= wsum;
        cum += w->ctx_weight[c];
        w->ctx_cum_weight[c] = cum;
    }
    for (int c = 0; c < w->n_ctx; c++) {
        double psum = 0;
        int navail = 0;
        for (int b = 0; b < w->n_beh; b++) {
            psum += w->prior[c * w->n_beh + b];
            navail += w->prior[c * w->n_beh + b] > 0;
        }
        if (!(psum > 0) || !isfinite(psum))
            return err_set(err, OS_EINVAL, "priors of the behaviours in context '%s' must "
                           "sum to a positive number (got %g)", w->ctx_name[c], psum);
        w->ctx_n_avail[c] = navail;
        for (int b = 0; b < w->n_beh; b++) {
            int i = c * w->n_beh + b;
            w->prior[i] /= psum;
            w->avail[i] = w->prior[i] > 0;
            w->log_prior[i] = w->avail[i] ? log(w->prior[i]) : -INFINITY;
        }
    }
    rc = order_facts(w, err);
    if (rc)
        return rc;
    for (int i = 0; i < w->n_cells; i++)
        if (w->fact_start[i + 1] - w->fact_start[i] > WORLD_MAX_FACTS_PER_CELL)
            return err_set(err, OS_EINVAL, "behaviour '%s' has %d facts in context '%s' (at "
                           "most %d)", w->beh_name[i % w->n_beh],
                           w->fact_start[i + 1] - w->fact_start[i],
                           w->ctx_name[i / w->n_beh], WORLD_MAX_FACTS_PER_CELL);
    for (int i = 0; i < w->n_cells; i++) {
        double v = w->looks[i];
        for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++)
            v += w->fact_effect[f];
        w->vstar[i] = v;
        w->deceptive[i] = w->beh_deceptive_tag[i % w->n_beh] ||
                          (w->looks[i] - v > deception_threshold);
        w->catastrophic[i] = w->avail[i] && w->beh_catastrophic[i % w->n_beh];
        w->n_catastrophic += w->catastrophic[i];
    }
    w->deception_threshold = deception_threshold;
    free(w->fact_cell);
    w->fact_cell = NULL;
    free(w->phi_fill); /* a matrix begun and never filled */
    w->phi_fill = NULL;
    w->finalized = 1;
    return 0;
}

int world_find_context(const world *w, const char *name)
{
    for (int c = 0; c < w->n_ctx; c++)
        if (w->ctx_name[c] && strcmp(w->ctx_name[c], name) == 0)
            return c;
    return -1;
}

int world_find_behaviour(const world *w, const char *name)
{
    for (int b = 0; b < w->n_beh; b++)
        if (w->beh_name[b] && strcmp(w->beh_name[b], name) == 0)
            return b;
    return -1;
}
