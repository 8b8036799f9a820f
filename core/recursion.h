/* recursion.h — recursively assisted overseers, built by training critics.
 * Owns: the critic worlds, the critic training runs (train_run of this same
 *       core, one per level), and the per-slot assistance they give a
 *       depth-K overseer.
 * Uses: world, overseer, train, rng (rng_substream: one stream per level).
 *
 * Level 0 is the unaided human. The level-j critic's world has one context per
 * (slot s of the task, shift m = 0..K-j) and two behaviours, `silent` and
 * `point` ("there is this fact"; true value 1). Its overseer is level j-1
 * judging a pointer: it verifies the claim with probability
 *   verify_{j-1}(s, m) = detect_{j-1}(s, m+1)
 * ("checking a pointed claim is as hard as discovering it one verify_gain
 * easier"), where detect_0(s, m) = P(the human reaches d_s - m verify_gain)
 * (overseer_reach_prob: [d <= competence], or soft) is the
 * human's own competence and detect_j(s, m) = p_j(s, m) detect_{j-1}(s, m+1)
 * with p_j the trained critic's probability of pointing. The depth-K overseer
 * is the human with critic K pointing (p_K(s, 0)) and verification
 * detect_{K-1}(s, 1). No formula stands in for the critics: p_j is whatever
 * training under level j-1's labels produced. Where the human is wrong about a
 * behaviour, it rejects every claim about that behaviour's facts, and the
 * critics learn not to make them. */
#ifndef OVERSIM_RECURSION_H
#define OVERSIM_RECURSION_H

#include "world.h"
#include "overseer.h"
#include <stdint.h>
#include "train.h"

#define RECURSION_MAX_DEPTH 8

typedef struct recursion_params {
    int depth;                                 /* K, 1..RECURSION_MAX_DEPTH */
    train_params critic[RECURSION_MAX_DEPTH];  /* [j-1]: training of critic j */
    double critic_prior;                       /* pi0(point), in (0,1) */
    /* False alarms: when fa_difficulty is not NAN, each critic world also has
     * one context per shift m where the output has no flaw and `point` claims
     * one (a fact "claim is false", true value -1, claimed +1 as a true claim
     * is worth). Level j-1 refutes it with the human's own reach of
     * fa_difficulty - (m+1) verify_gain (critics do not help refute);
     * unrefuted, a trusting human believes it (rewards the critic), a
     * distrustful one is unsure. The depth-K overseer's assistant then raises
     * a false alarm per output with critic K's p(point) there, claiming
     * fa_effect, refuted with the human's reach at shift 1. */
    double fa_difficulty;                      /* NAN (default): none offered */
    double fa_effect;                          /* finite; default -1 */
} recursion_params;

typedef struct recursion recursion;

/* Defaults: depth 1, every critic 30 rounds x 64 labels, exact policy gradient
 * (lr 2, kl 0.5, 20 steps), prior 0.5. */
void recursion_params_default(recursion_params *p);

/* Check p: depth in [1, RECURSION_MAX_DEPTH], critic_prior in (0,1), and
 * each level's training (train_check, named "critic j of <what>"). what names
 * the recursive overseer (NULL: "recursive overseer"): "field 'depth' of
 * overseer 'r' must be in [1,8] (got 0)". 0, or OS_EINVAL with err filled. */
int recursion_params_check(const recursion_params *p, const char *what, os_err *err);

/* Train critics 1..K under `human` (kind HUMAN, on the task world; its
 * competence, verify_gain, beta, when_unsure, mistake, costs and misconceptions
 * are level 0's). The critics' random streams come from each critic's
 * train_params seed and run id. p is checked by recursion_params_check. NULL
 * with err filled (naming the level) on bad parameters or divergence. p is only read; the result is the caller's to free
 * with recursion_free. */
recursion *recursion_build(const overseer *human, const recursion_params *p, os_err *err);

/* recursion_build for run stream (seed, stream): critic j trains on the
 * stream (seed, rng_substream(stream, j)), whatever seed and run_id p->critic
 * holds (p is not changed). This is how a training run builds its recursive
 * overseer. Errors as recursion_build. */
recursion *recursion_build_seeded(const overseer *human, const recursion_params *p,
                                  uint64_t seed, uint64_t stream, os_err *err);

/* Free r and everything it owns; NULL is a no-op. */
void recursion_free(recursion *r);

int recursion_depth(const recursion *r);

/* Make o (kind ASSISTED, on the same task world) the depth-K overseer: its
 * assistant points with p_K(s, 0) and it verifies with detect_{K-1}(s, 1); it
 * reads K critiques per output. */
int recursion_apply(const recursion *r, overseer *o, os_err *err);

/* Level j (1..K): the critic's world, its training rows (rounds + 1), and its
 * final probability of pointing in each critic context. */
const world *recursion_critic_world(const recursion *r, int level);
const metrics_row *recursion_rows(const recursion *r, int level, int *n_rows);
/* Critic context x of level j stands for task slot *slot at shift *shift;
 * *slot is -1 for a false-alarm context (recursion_params.fa_difficulty). */
void recursion_context(const recursion *r, int level, int x, int *slot, int *shift);
double recursion_p_point(const recursion *r, int level, int x);
/* The difficulty critic context x of level j stands for: the task slot's
 * difficulty (as the human meets it) made `shift` verify_gains easier,
 * d_slot - shift * verify_gain (+-INFINITY for a slot at +-INFINITY). */
double recursion_critic_difficulty(const recursion *r, int level, int x);
/* P(level j-1 verifies a claim in critic context x of level j):
 * detect_{j-1}(slot, shift + 1). */
double recursion_critic_verify(const recursion *r, int level, int x);
/* detect_j(slot, shift) for j in 0..K, shift in 0..K-j (0 outside, and for
 * slot -1: a false alarm is never a discovery). */
double recursion_detect(const recursion *r, int level, int slot, int shift);

/* Labels spent and their cost over all critic training runs. */
long recursion_build_labels(const recursion *r);
double recursion_build_cost(const recursion *r);

#endif
