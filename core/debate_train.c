/* debate_train.c — see debate.h: trained debaters. Their policies (a softmax
 * per debater per comparison), self-play rewarded by the judge's verdicts,
 * and the exact expectation of a debate between two policies. */
#include "debate_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rng.h"

const double *debate_logits(const debate *d, int c, int b1, int b2)
{
    if (!d->offset)
        return NULL;
    const world *w = d->judge->w;
    int lo = b1 < b2 ? b1 : b2, hi = b1 < b2 ? b2 : b1;
    long off = d->offset[((size_t)c * w->n_beh + lo) * w->n_beh + hi];
    return off < 0 ? NULL : d->theta + off;
}

void game_policy(const game *g, const double *th, int t, double *pr)
{
    const unsigned char *mine = game_honest_turn(g, t) ? g->hc : g->lc;
    double mx = th[0], z = 0;
    for (int s = 0; s < g->n; s++)
        if (!mine[s] && th[1 + s] > mx)
            mx = th[1 + s];
    /* the largest logit maps to exp(0) = 1: no overflow, z >= 1 */
    for (int m = 0; m <= g->n; m++) {
        pr[m] = m > 0 && mine[m - 1] ? 0 : exp(th[m] - mx);
        z += pr[m];
    }
    for (int m = 0; m <= g->n; m++)
        pr[m] /= z;
}

/* Sum the outcomes from turn t on into e, the debate so far having
 * probability prob. */
static void expect_from(game *g, const double *th, int t, double prob, entry *e)
{
    if (!(prob > 0))
        return; /* a move that underflowed: contributes nothing */
    if (t == g->k) {
        double p[N_LABELS], u[2];
        int found;
        game_leaf(g, p, u, &found, NULL);
        for (int l = 0; l < N_LABELS; l++)
            e->p[l] += prob * p[l];
        e->u[0] += prob * u[0], e->u[1] += prob * u[1];
        e->claims += prob * g->claims, e->found += prob * found;
        return;
    }
    double pr[DMAX + 1];
    int honest = game_honest_turn(g, t);
    game_policy(g, honest ? th : th + g->n + 1, t, pr);
    unsigned char *mine = honest ? g->hc : g->lc;
    expect_from(g, th, t + 1, prob * pr[0], e);
    for (int s = 0; s < g->n; s++) {
        if (mine[s])
            continue;
        mine[s] = 1, g->claims++;
        expect_from(g, th, t + 1, prob * pr[1 + s], e);
        g->claims--;
        mine[s] = 0;
    }
}

void game_expect_trained(game *g, const double *theta, entry *e)
{
    memset(g->hc, 0, (size_t)g->n);
    memset(g->lc, 0, (size_t)g->n);
    g->claims = 0;
    expect_from(g, theta, 0, 1, e);
}

void game_play(game *g, const double *th, gsl_rng *r, int *moves)
{
    double pr[DMAX + 1];
    memset(g->hc, 0, (size_t)g->n);
    memset(g->lc, 0, (size_t)g->n);
    g->claims = 0;
    for (int t = 0; t < g->k; t++) {
        int honest = game_honest_turn(g, t);
        game_policy(g, honest ? th : th + g->n + 1, t, pr);
        int avail = 0, only = 0;
        for (int m = 0; m <= g->n; m++)
            if (pr[m] > 0)
                avail++, only = m;
        /* a forced move (only the pass left) spends no random number */
        int move = avail > 1 ? rng_pick_probs(r, pr, g->n + 1) : only;
        if (moves)
            moves[t] = move;
        if (move > 0) {
            (honest ? g->hc : g->lc)[move - 1] = 1;
            g->claims++;
        }
    }
}

/* Add adv x grad log pi(moves) to grad (honest's n + 1, then the liar's with
 * -adv: its reward is the negative), replaying the debate on g. */
static void accumulate(game *g, const double *th, const int *moves, double adv, double *grad)
{
    double pr[DMAX + 1];
    memset(g->hc, 0, (size_t)g->n);
    memset(g->lc, 0, (size_t)g->n);
    for (int t = 0; t < g->k; t++) {
        int honest = game_honest_turn(g, t);
        game_policy(g, honest ? th : th + g->n + 1, t, pr);
        double *gr = honest ? grad : grad + g->n + 1, a = honest ? adv : -adv;
        for (int m = 0; m <= g->n; m++)
            gr[m] += a * ((m == moves[t]) - pr[m]);
        if (moves[t] > 0)
            (honest ? g->hc : g->lc)[moves[t] - 1] = 1;
    }
}

/* Self-play of one comparison for one round: `games` debates, each labelled
 * once by the judge, then one REINFORCE step. Returns the summed reward. */
static double selfplay(debate *d, game *g, double *th, gsl_rng *r, int *moves, double *R,
                       double *grad)
{
    const overseer *o = d->judge;
    const int G = d->p.games, K = g->k;
    double sum = 0;
    for (int j = 0; j < G; j++) {
        double p[N_LABELS];
        game_play(g, th, r, moves + (size_t)j * K);
        game_leaf(g, p, NULL, NULL, NULL);
        label_kind l = overseer_draw_label(p, r);
        R[j] = (int)l == g->honest ? 1 : (int)l == 1 - g->honest ? -1 : 0;
        sum += R[j];
        d->train_labels++;
        d->train_cost += o->p.cost + o->p.critique_cost * g->claims;
    }
    memset(grad, 0, 2 * (size_t)(g->n + 1) * sizeof *grad);
    for (int j = 0; j < G; j++) { /* baseline: the other games' mean */
        double base = G > 1 ? (sum - R[j]) / (G - 1) : 0;
        accumulate(g, th, moves + (size_t)j * K, R[j] - base, grad);
    }
    for (int m = 0; m < 2 * (g->n + 1); m++)
        th[m] += d->p.lr / G * grad[m];
    return sum;
}

int debate_train(debate *d, gsl_rng *r, os_err *err)
{
    const overseer *o = d->judge;
    const world *w = o->w;
    const int K = d->p.reveals, G = d->p.games;
    size_t pairs = (size_t)w->n_cells * (size_t)w->n_beh;
    int rc = 0;
    int *moves = NULL;
    double *R = NULL, *grad = NULL;
    game *g = malloc(sizeof *g);
    d->offset = malloc(pairs * sizeof *d->offset);
    if (!g || !d->offset)
        goto nomem;
    /* every comparison with something to argue has policies (starting uniform) */
    long total = 0;
    for (size_t i = 0; i < pairs; i++)
        d->offset[i] = -1;
    for (int c = 0; c < w->n_ctx; c++)
        for (int lo = 0; lo < w->n_beh; lo++)
            for (int hi = lo + 1; hi < w->n_beh; hi++) {
                if (!w->avail[c * w->n_beh + lo] || !w->avail[c * w->n_beh + hi])
                    continue;
                game_init(g, o, c, lo, hi, K, d->p.liar_first);
                if (g->k == 0 || g->n == 0)
                    continue;
                d->offset[((size_t)c * w->n_beh + lo) * w->n_beh + hi] = total;
                total += 2 * (long)(g->n + 1);
            }
    d->n_theta = total;
    d->theta = calloc(total > 0 ? (size_t)total : 1, sizeof *d->theta);
    d->curve = calloc(d->p.rounds > 0 ? (size_t)d->p.rounds : 1, sizeof *d->curve);
    moves = malloc((size_t)G * (size_t)K * sizeof *moves);
    R = malloc((size_t)G * sizeof *R);
    grad = malloc(2 * (size_t)(DMAX + 1) * sizeof *grad);
    if (!d->theta || !d->curve || !moves || !R || !grad)
        goto nomem;
    for (int t = 0; t < d->p.rounds; t++) {
        double sum = 0;
        long games = 0;
        for (int c = 0; c < w->n_ctx; c++) {
            if (!w->ctx_monitored[c])
                continue; /* the overseer never labels here */
            for (int lo = 0; lo < w->n_beh; lo++)
                for (int hi = lo + 1; hi < w->n_beh; hi++) {
                    long off = d->offset[((size_t)c * w->n_beh + lo) * w->n_beh + hi];
                    if (off < 0)
                        continue;
                    game_init(g, o, c, lo, hi, K, d->p.liar_first);
                    sum += selfplay(d, g, d->theta + off, r, moves, R, grad);
                    games += G;
                }
        }
        d->curve[t] = games ? sum / games : NAN;
    }
    goto done;
nomem:
    rc = err_set(err, OS_ENOMEM, "out of memory training debaters");
done:
    free(g), free(moves), free(R), free(grad);
    return rc;
}
