/* debate_internal.h — the debate's state and its game over one comparison,
 * shared by debate.c (the game, optimal debaters, random reveals, the table)
 * and debate_train.c (trained debaters: self-play, and their exact
 * expectation). Not part of the core's interface: nothing else includes it. */
#ifndef OVERSIM_DEBATE_INTERNAL_H
#define OVERSIM_DEBATE_INTERNAL_H

#include "debate.h"
#include "overseer_internal.h"

#define DMAX MAX_COMPARISON_SLOTS

/* One comparison's outcome (debate_result without what is derived). */
typedef struct entry {
    double p[N_LABELS], u[2], claims, found;
    int slots, verifiable;
    signed char honest;     /* LABEL_FIRST, LABEL_SECOND, or -1: a tie */
    unsigned char region;
    unsigned char avail;    /* a comparison of two available behaviours */
} entry;

struct debate {
    const overseer *judge;
    debate_params p;
    entry *table;           /* [(c * n_beh + b1) * n_beh + b2] */
    /* trained: per canonical comparison (c, lo < hi) an offset into theta
     * (-1: none), theta holding n + 1 honest logits (pass, then one per slot)
     * then n + 1 liar logits */
    long *offset;           /* [(c * n_beh + lo) * n_beh + hi] */
    double *theta;
    long n_theta;
    double *curve;          /* per self-play round: the honest debater's mean reward */
    long train_labels;
    double train_cost;
};

/* A debate over one comparison, as the judge sees it (b1 first). Slots are in
 * canonical order, the same for (b1, b2) and (b2, b1): gathered for (lo, hi),
 * sides turned to b1's and b2's. */
typedef struct game {
    const overseer *o;
    int c, b1, b2;
    int n, k, liar_first;
    int honest;                 /* LABEL_FIRST / LABEL_SECOND, -1: a tie (k is then 0) */
    slot_event ev[DMAX];
    double liar_claim[DMAX];    /* what the liar claims of each slot */
    unsigned char hc[DMAX], lc[DMAX]; /* claimed by the honest debater / the liar */
    unsigned char out[DMAX];    /* scratch for the judge */
    int claims;                 /* claims made so far */
    /* the label rule given out[] (NULL: the bandit's, overseer_judge_given on
     * (c, b1, b2)); episodes' (epjudge.c) sums perceived values over steps */
    region_kind (*given)(const struct game *g, double p[N_LABELS], double u[2]);
    const void *ctx;            /* for `given` */
} game;

/* Set up the debate over (c, b1, b2) with k turns: its slots, who is honest,
 * the liar's claims; nothing claimed yet. */
void game_init(game *g, const overseer *o, int c, int b1, int b2, int k, int liar_first);

/* The rest of the set-up once g->o, g->n, g->ev (sides as the judge sees
 * them), g->liar_first, g->given and g->ctx are filled: who is honest
 * (LABEL_FIRST / LABEL_SECOND, -1 a tie: no turns), k, the liar's claims by
 * the one rule (the truth where it favours the liar, else denial), nothing
 * claimed. Shared by the bandit's comparisons and episodes' (epjudge.c). */
void game_start(game *g, int honest, int k);

/* Whether turn t is the honest debater's. */
static inline int game_honest_turn(const game *g, int t)
{
    return (t % 2 == 0) != (g->liar_first != 0);
}

/* The judge's label distribution after the claims made, into p; u (may be
 * NULL) receives the perceived values, *found (may be NULL) the slots
 * claimed. Returns V for the honest debater (0 for a tie). */
double game_leaf(game *g, double p[N_LABELS], double u[2], int *found, region_kind *region);

/* Claim sequences of a debate over n slots with k turns (turn 0 the first
 * mover's), as a double (may exceed any integer). */
double game_leaves(int n, int k);

/* Exact minimax value V from turn t of g (alpha-beta in [alpha, beta]). */
double game_minimax(game *g, int t, double alpha, double beta);
/* Play the optimal debate on g (deterministic; g->claims counts its claims). */
void game_play_optimal(game *g);
/* Random reveals' exact expectation on g into e (p, u, found, claims added). */
void game_expect_random(game *g, entry *e);
/* Random reveals drawn on g: min(k, n) slots without replacement, one number
 * per slot drawn while fewer than all are drawn. */
void game_draw_random(game *g, gsl_rng *r);
/* Random reveals' subsets of n slots at k: C(n, min(k, n)), as a double. */
double game_subsets(int n, int k);

/* Trained debaters (debate_train.c): train the policies of d (allocated,
 * zero), drawing from r. */
int debate_train(debate *d, gsl_rng *r, os_err *err);
/* The logits of the canonical comparison of (c, b1, b2): honest then liar,
 * n + 1 each; NULL when there are none (a tie, no slots, k = 0). */
const double *debate_logits(const debate *d, int c, int b1, int b2);
/* Probabilities of the mover's moves at turn t of g under logits th (n + 1:
 * pass, then per slot) into pr (n + 1; masked moves 0). */
void game_policy(const game *g, const double *th, int t, double *pr);
/* Play one debate on g (from nothing claimed) with the policies th, drawing
 * one number from r per turn with a choice (none when only the pass is
 * left); moves (may be NULL) receives each turn's move: 0 pass, 1 + s a claim
 * of slot s. */
void game_play(game *g, const double *th, gsl_rng *r, int *moves);
/* The exact expected outcome of trained debaters on g into e (p, u, claims,
 * found). */
void game_expect_trained(game *g, const double *theta, entry *e);

#endif
