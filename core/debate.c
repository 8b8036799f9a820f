/* debate.c — see debate.h: the game, optimal debaters, random reveals, and the
 * table a debate overseer judges from. Trained debaters are in debate_train.c. */
#include "debate_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

#define TIE_EPS 1e-12 /* a move must beat the earlier ones by more to be preferred */

static const char *const DEBATER_NAMES[] = { "optimal", "trained", "random" };

void debate_params_default(debate_params *p)
{
    memset(p, 0, sizeof *p);
    p->reveals = 2;
    p->debaters = DEBATERS_OPTIMAL;
    p->liar_first = 0;
    p->rounds = 30;
    p->games = 4;
    p->lr = 1;
}

int debate_params_check(const debate_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "debate overseer";
    if (p->reveals < 0)
        return err_set(err, OS_EINVAL, "field 'reveals' of %s must be >= 0 (got %d)", what,
                       p->reveals);
    if (p->reveals > DEBATE_MAX_REVEALS)
        return err_set(err, OS_EINVAL, "field 'reveals' of %s must be <= %d (got %d)", what,
                       DEBATE_MAX_REVEALS, p->reveals);
    if (p->debaters < DEBATERS_OPTIMAL || p->debaters > DEBATERS_RANDOM)
        return err_set(err, OS_EINVAL, "field 'debaters' of %s is unknown (%d)", what,
                       (int)p->debaters);
    if (p->rounds < 0 || p->rounds > DEBATE_MAX_ROUNDS)
        return err_set(err, OS_EINVAL, "field 'rounds' of self_play of %s must be in [0, %d] "
                       "(got %d)", what, DEBATE_MAX_ROUNDS, p->rounds);
    if (p->games < 1 || p->games > DEBATE_MAX_GAMES)
        return err_set(err, OS_EINVAL, "field 'games' of self_play of %s must be in [1, %d] "
                       "(got %d)", what, DEBATE_MAX_GAMES, p->games);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return err_set(err, OS_EINVAL, "field 'lr' of self_play of %s must be a finite "
                       "number > 0 (got %g)", what, p->lr);
    return 0;
}

void debate_estimate(const world *w, const debate_params *p, size_estimate *e)
{
    size_t pairs = size_mul3_sat((size_t)w->n_cells, (size_t)w->n_beh, 1);
    size_estimate_add(e, size_mul3_sat(pairs, sizeof(entry), 1),
                      "debate table %d x %d x %d", w->n_ctx, w->n_beh, w->n_beh);
    /* trained: an offset per ordered pair, and per unordered pair 2 (n + 1)
     * logits, n + 1 <= its two outputs' facts + 2: summed over the pairs, at
     * most 2 (n_facts n_beh + n_cells n_beh) */
    if (p->debaters == DEBATERS_TRAINED)
        size_estimate_add(e, size_add_sat(size_mul3_sat(pairs, sizeof(long), 1),
                                          size_mul3_sat(size_add_sat(size_mul3_sat(
                                              (size_t)w->n_facts, (size_t)w->n_beh, 1), pairs),
                                                        2, sizeof(double))),
                          "trained debaters' policies");
}

/* --- the game -------------------------------------------------------------- */

void game_init(game *g, const overseer *o, int c, int b1, int b2, int k, int liar_first)
{
    const world *w = o->w;
    int lo = b1 < b2 ? b1 : b2, hi = b1 < b2 ? b2 : b1;
    g->o = o, g->c = c, g->b1 = b1, g->b2 = b2, g->liar_first = liar_first;
    g->given = NULL, g->ctx = NULL;
    g->n = overseer_gather(o, c, lo, hi, g->ev);
    if (b1 != lo) /* the sides as the judge sees them */
        for (int s = 0; s < g->n; s++)
            if (g->ev[s].side != SIDE_BOTH)
                g->ev[s].side = (unsigned char)(1 - g->ev[s].side);
    double v1 = w->vstar[c * w->n_beh + b1], v2 = w->vstar[c * w->n_beh + b2];
    game_start(g, v1 > v2 ? LABEL_FIRST : v2 > v1 ? LABEL_SECOND : -1, k);
}

void game_start(game *g, int honest, int k)
{
    g->honest = honest;
    g->k = g->honest < 0 ? 0 : k;
    for (int s = 0; s < g->n; s++) {
        const slot_event *e = &g->ev[s];
        /* the truth helps the liar: a flaw of the honest output, a virtue of its own */
        int favours_liar = e->side != SIDE_BOTH &&
                           (e->side == g->honest ? e->effect < 0 : e->effect > 0);
        g->liar_claim[s] = favours_liar ? e->effect : 0;
        g->hc[s] = g->lc[s] = 0;
    }
    g->claims = 0;
}

double game_leaf(game *g, double p[N_LABELS], double u[2], int *found, region_kind *region)
{
    int nf = 0;
    for (int s = 0; s < g->n; s++) {
        slot_event *e = &g->ev[s];
        int h = g->hc[s], l = g->lc[s];
        if (!h && !l) {
            g->out[s] = OUT_HIDDEN;
            continue;
        }
        nf++;
        if (e->pv > 0.5) /* within reach (hard threshold: pv is 0 or 1) */
            g->out[s] = OUT_VERIFIED;
        else if (h && l && g->liar_claim[s] != e->effect)
            g->out[s] = OUT_HIDDEN; /* disputed and uncheckable */
        else {
            g->out[s] = OUT_UNVERIFIED; /* believed for its claim if trusted */
            e->claim = h ? e->effect : g->liar_claim[s];
        }
    }
    int hidden, fnd;
    region_kind reg = g->given ? g->given(g, p, u)
                      : overseer_judge_given(g->o, g->c, g->b1, g->b2, NAN, g->ev, g->out,
                                             g->n, p, &hidden, &fnd, u);
    if (found)
        *found = nf;
    if (region)
        *region = reg;
    return g->honest < 0 ? 0 : p[g->honest] - p[1 - g->honest];
}

/* Sequences of one debater's T turns over n slots: on j of them it claims
 * distinct slots in order, on the rest it passes. */
static double one_side(int n, int T)
{
    double total = 0, choose = 1, perm = 1; /* C(T, j), n! / (n - j)! */
    for (int j = 0; j <= T && j <= n; j++) {
        total += choose * perm;
        choose = choose * (T - j) / (j + 1);
        perm *= n - j;
    }
    return total;
}

double game_subsets(int n, int k)
{
    int m = k < n ? k : n;
    double total = 1;
    for (int j = 0; j < m; j++)
        total = total * (n - j) / (j + 1);
    return total;
}

double game_leaves(int n, int k)
{
    return one_side(n, (k + 1) / 2) * one_side(n, k / 2);
}

/* Exact minimax value of V from turn t (alpha-beta, fail-soft); the pass is
 * tried first. */
double game_minimax(game *g, int t, double alpha, double beta)
{
    if (t == g->k) {
        double p[N_LABELS];
        return game_leaf(g, p, NULL, NULL, NULL);
    }
    int honest = game_honest_turn(g, t);
    unsigned char *mine = honest ? g->hc : g->lc;
    double best = game_minimax(g, t + 1, alpha, beta); /* pass */
    for (int s = 0; s < g->n; s++) {
        if (honest ? best > alpha : best < beta) {
            if (honest)
                alpha = best;
            else
                beta = best;
        }
        if (alpha >= beta)
            break;
        if (mine[s])
            continue;
        mine[s] = 1;
        double v = game_minimax(g, t + 1, alpha, beta);
        mine[s] = 0;
        if (honest ? v > best : v < best)
            best = v;
    }
    return best;
}

/* Play the optimal debate on g: at each turn the first move whose exact
 * value beats every earlier one by more than TIE_EPS (the pass first). */
void game_play_optimal(game *g)
{
    for (int t = 0; t < g->k; t++) {
        int honest = game_honest_turn(g, t);
        unsigned char *mine = honest ? g->hc : g->lc;
        double best = game_minimax(g, t + 1, -2, 2);
        int move = -1;
        for (int s = 0; s < g->n; s++) {
            if (mine[s])
                continue;
            mine[s] = 1;
            double v = game_minimax(g, t + 1, -2, 2);
            mine[s] = 0;
            if (honest ? v > best + TIE_EPS : v < best - TIE_EPS)
                best = v, move = s;
        }
        if (move >= 0) {
            mine[move] = 1;
            g->claims++;
        }
    }
}

/* Random reveals: every subset of size m = min(k, n), in lexicographic order,
 * each with probability 1 / C(n, m), revealed as the truth. */
void game_expect_random(game *g, entry *e)
{
    int m = g->k < g->n ? g->k : g->n, idx[DMAX];
    double total = 1; /* C(n, m) */
    for (int j = 0; j < m; j++)
        total = total * (g->n - j) / (j + 1);
    for (int j = 0; j < m; j++)
        idx[j] = j;
    for (;;) {
        memset(g->hc, 0, (size_t)g->n);
        for (int j = 0; j < m; j++)
            g->hc[idx[j]] = 1;
        double p[N_LABELS], u[2];
        int found;
        game_leaf(g, p, u, &found, NULL);
        for (int l = 0; l < N_LABELS; l++)
            e->p[l] += p[l] / total;
        e->u[0] += u[0] / total, e->u[1] += u[1] / total;
        e->found += found / total;
        int j = m - 1; /* the next subset */
        while (j >= 0 && idx[j] == g->n - m + j)
            j--;
        if (j < 0)
            break;
        idx[j]++;
        for (int i = j + 1; i < m; i++)
            idx[i] = idx[i - 1] + 1;
    }
    e->claims = m;
}

/* The outcome of comparison (c, b1, b2) into e. */
static void table_one(const debate *d, int c, int b1, int b2, entry *e)
{
    game g;
    game_init(&g, d->judge, c, b1, b2, d->p.reveals, d->p.liar_first);
    memset(e, 0, sizeof *e);
    e->avail = 1;
    e->slots = g.n;
    e->honest = (signed char)g.honest;
    for (int s = 0; s < g.n; s++)
        e->verifiable += g.ev[s].pv > 0.5;
    region_kind reg;
    double p[N_LABELS], u[2];
    memset(g.hc, 0, (size_t)g.n);
    game_leaf(&g, p, u, NULL, &reg); /* the judge alone: its region */
    e->region = (unsigned char)reg;
    const double *th = debate_logits(d, c, b1, b2);
    if (g.k > 0 && d->p.debaters == DEBATERS_RANDOM) {
        game_expect_random(&g, e);
        return;
    }
    if (g.k > 0 && d->p.debaters == DEBATERS_TRAINED && th) {
        game_expect_trained(&g, th, e);
        return;
    }
    if (g.k > 0) /* optimal (or trained with nothing to train: no slots) */
        game_play_optimal(&g);
    int found;
    game_leaf(&g, e->p, e->u, &found, &reg);
    e->claims = g.claims, e->found = found, e->region = (unsigned char)reg;
}

/* --- building -------------------------------------------------------------- */

const overseer *debate_judge_of(const debate *d) { return d->judge; }
const debate_params *debate_get_params(const debate *d) { return &d->p; }
int debate_reveals(const debate *d) { return d->p.reveals; }
long debate_train_labels(const debate *d) { return d->train_labels; }
double debate_train_cost(const debate *d) { return d->train_cost; }

const double *debate_train_curve(const debate *d, int *rounds)
{
    *rounds = d->curve ? d->p.rounds : 0;
    return d->curve;
}

void debate_free(debate *d)
{
    if (!d)
        return;
    free(d->table), free(d->offset), free(d->theta), free(d->curve);
    free(d);
}

/* The first comparison whose enumeration passes DEBATE_MAX_LEAVES, named in err. */
static int check_size(const debate *d, os_err *err)
{
    const world *w = d->judge->w;
    const int k = d->p.reveals;
    for (int c = 0; c < w->n_ctx; c++)
        for (int lo = 0; lo < w->n_beh; lo++)
            for (int hi = lo + 1; hi < w->n_beh; hi++) {
                if (!w->avail[c * w->n_beh + lo] || !w->avail[c * w->n_beh + hi])
                    continue;
                game g;
                game_init(&g, d->judge, c, lo, hi, k, d->p.liar_first);
                double leaves = 0;
                if (d->p.debaters == DEBATERS_RANDOM) {
                    leaves = game_subsets(g.n, k);
                } else {
                    leaves = game_leaves(g.n, g.k);
                }
                if (leaves > DEBATE_MAX_LEAVES)
                    return err_set(err, OS_EINVAL, "%s debaters at %d reveals over the %d "
                                   "hidden slots of (context '%s': '%s' vs '%s') play %.3g "
                                   "claim sequences, above the limit of %d: lower 'reveals'",
                                   DEBATER_NAMES[d->p.debaters], k, g.n, w->ctx_name[c],
                                   w->beh_name[lo], w->beh_name[hi], leaves, DEBATE_MAX_LEAVES);
            }
    return 0;
}

debate *debate_new(const overseer *judge, const debate_params *p, uint64_t seed,
                   uint64_t stream, os_err *err)
{
    os_err local;
    if (!err)
        err = &local;
    if (judge->p.kind != OVERSEER_DEBATE) {
        err_set(err, OS_EINVAL, "the judge of a debate must be an overseer of kind debate");
        return NULL;
    }
    if (judge->debate) {
        err_set(err, OS_EINVAL, "this overseer already judges a debate");
        return NULL;
    }
    if (debate_params_check(p, NULL, err))
        return NULL;
    const world *w = judge->w;
    if (w->n_facts == 0) {
        err_set(err, OS_EINVAL, "a debate needs hidden facts to reveal, and the world has none");
        return NULL;
    }
    debate *d = calloc(1, sizeof *d);
    if (!d)
        goto nomem;
    d->judge = judge;
    d->p = *p;
    if (check_size(d, err)) {
        debate_free(d);
        return NULL;
    }
    size_t pairs = (size_t)w->n_cells * (size_t)w->n_beh; /* checked by debate_estimate */
    d->table = calloc(pairs, sizeof *d->table);
    if (!d->table)
        goto nomem;
    if (p->debaters == DEBATERS_TRAINED && p->reveals > 0) {
        gsl_rng *r = rng_new(seed, rng_substream(stream, DEBATE_SELFPLAY_SUBSTREAM));
        int rc = r ? debate_train(d, r, err) : err_set(err, OS_ENOMEM, "out of memory");
        rng_free(r);
        if (rc) {
            debate_free(d);
            return NULL;
        }
    }
    for (int c = 0; c < w->n_ctx; c++)
        for (int b1 = 0; b1 < w->n_beh; b1++)
            for (int b2 = 0; b2 < w->n_beh; b2++)
                if (b1 != b2 && w->avail[c * w->n_beh + b1] && w->avail[c * w->n_beh + b2])
                    table_one(d, c, b1, b2, &d->table[((size_t)c * w->n_beh + b1) * w->n_beh + b2]);
    return d;
nomem:
    debate_free(d);
    err_set(err, OS_ENOMEM, "out of memory building a debate");
    return NULL;
}

/* --- reading the table ----------------------------------------------------- */

static const entry *entry_of(const debate *d, int c, int b1, int b2)
{
    const world *w = d->judge->w;
    if (c < 0 || c >= w->n_ctx || b1 < 0 || b1 >= w->n_beh || b2 < 0 || b2 >= w->n_beh)
        return NULL;
    const entry *e = &d->table[((size_t)c * w->n_beh + b1) * w->n_beh + b2];
    return e->avail ? e : NULL;
}

int debate_label_probs(const debate *d, int c, int b1, int b2, double p[N_LABELS])
{
    const entry *e = entry_of(d, c, b1, b2);
    if (!e)
        return OS_EINVAL;
    memcpy(p, e->p, sizeof e->p);
    return 0;
}

int debate_result_of(const debate *d, int c, int b1, int b2, debate_result *r)
{
    const entry *e = entry_of(d, c, b1, b2);
    if (!e)
        return OS_EINVAL;
    r->slots = e->slots, r->verifiable = e->verifiable, r->honest = e->honest;
    memcpy(r->p, e->p, sizeof e->p);
    r->claims = e->claims, r->found = e->found;
    r->u[0] = e->u[0], r->u[1] = e->u[1];
    r->region = (region_kind)e->region;
    if (e->honest < 0) {
        r->value = r->honest_wins = NAN;
    } else {
        double neither = e->p[LABEL_EQUAL] + e->p[LABEL_SKIP];
        r->value = e->p[e->honest] - e->p[1 - e->honest];
        r->honest_wins = e->p[e->honest] + neither / 2;
    }
    return 0;
}

double debate_accuracy(const debate *d)
{
    const world *w = d->judge->w;
    double sum = 0, wsum = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        double acc = 0;
        int pairs = 0;
        for (int lo = 0; lo < w->n_beh; lo++)
            for (int hi = lo + 1; hi < w->n_beh; hi++) {
                debate_result a, b;
                if (debate_result_of(d, c, lo, hi, &a) || a.honest < 0)
                    continue;
                debate_result_of(d, c, hi, lo, &b);
                acc += (a.honest_wins + b.honest_wins) / 2;
                pairs++;
            }
        if (pairs) {
            sum += w->ctx_weight[c] * acc / pairs;
            wsum += w->ctx_weight[c];
        }
    }
    return wsum > 0 ? sum / wsum : NAN;
}

double debate_minimax_value(const debate *d, int c, int b1, int b2)
{
    if (!entry_of(d, c, b1, b2))
        return NAN;
    game g;
    game_init(&g, d->judge, c, b1, b2, d->p.reveals, d->p.liar_first);
    return g.honest < 0 ? NAN : game_minimax(&g, 0, -2, 2);
}

void debate_perceived(const debate *d, double *u)
{
    const world *w = d->judge->w;
    for (int c = 0; c < w->n_ctx; c++)
        for (int b = 0; b < w->n_beh; b++) {
            double sum = 0, wsum = 0;
            for (int b2 = 0; b2 < w->n_beh; b2++) {
                const entry *e = b2 == b ? NULL : entry_of(d, c, b, b2);
                if (!e)
                    continue;
                sum += w->prior[c * w->n_beh + b2] * e->u[0];
                wsum += w->prior[c * w->n_beh + b2];
            }
            if (wsum > 0)
                u[c * w->n_beh + b] = sum / wsum;
        }
}

/* --- judging one comparison ------------------------------------------------ */

void game_draw_random(game *g, gsl_rng *r)
{
    int m = g->k < g->n ? g->k : g->n, left = g->n;
    if (m == g->n) /* every slot: nothing to draw */
        memset(g->hc, 1, (size_t)g->n);
    for (int j = 0; j < m && m < g->n; j++) {
        int pick = (int)gsl_rng_uniform_int(r, (unsigned long)left--);
        for (int s = 0; s < g->n; s++)
            if (!g->hc[s] && pick-- == 0) {
                g->hc[s] = 1;
                break;
            }
    }
    g->claims = m;
}

void debate_judge(const debate *d, int c, int b1, int b2, gsl_rng *r, overseer_outcome *out)
{
    const overseer *o = d->judge;
    const entry *e = entry_of(d, c, b1, b2);
    double p[N_LABELS];
    if (!e) { /* not a comparison of two available outputs: the judge alone */
        game g;
        game_init(&g, o, c, b1, b2, 0, 0);
        int found;
        out->region = (region_kind)0;
        game_leaf(&g, p, NULL, &found, &out->region);
        out->hidden = g.n, out->found = 0;
        out->label = overseer_draw_label(p, r);
        out->cost = o->p.cost;
        return;
    }
    const double *th = debate_logits(d, c, b1, b2);
    int random = d->p.debaters == DEBATERS_RANDOM && e->slots > 0 && e->honest >= 0 &&
                 d->p.reveals > 0;
    if (!random && !(d->p.debaters == DEBATERS_TRAINED && th)) {
        /* deterministic: the optimal debate, or no debate at all */
        out->label = overseer_draw_label(e->p, r);
        out->region = (region_kind)e->region;
        out->hidden = e->slots, out->found = (int)e->found;
        out->cost = o->p.cost + o->p.critique_cost * e->claims;
        return;
    }
    game g;
    game_init(&g, o, c, b1, b2, d->p.reveals, d->p.liar_first);
    if (random) {
        game_draw_random(&g, r);
    } else {
        game_play(&g, th, r, NULL);
    }
    int found;
    out->region = (region_kind)0;
    game_leaf(&g, p, NULL, &found, &out->region);
    out->label = overseer_draw_label(p, r);
    out->hidden = g.n, out->found = found;
    out->cost = o->p.cost + o->p.critique_cost * g.claims;
}
