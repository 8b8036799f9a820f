/* debate.h — debate overseers (Irving et al. 2018): two debaters reveal
 * hidden facts to a judge of limited competence, who then labels.
 * Owns: the debate game over one comparison, its debaters — optimal (exact
 *       minimax), trained (self-play, rewarded by the judge's verdicts) or
 *       none (random reveals: Irving's sparse judge) — and the table of every
 *       comparison's outcome that a DEBATE overseer judges from.
 * Uses: overseer (the judge: a comparison's slots and its label rule, through
 *       overseer_internal.h), world, rng.
 *
 * The game. In a comparison (c, b1, b2) of different true values the honest
 * debater argues for the output of higher true value, the liar for the other.
 * The slots are those the judge does not know unaided (overseer.h): the
 * context if beyond its competence, the hidden facts of b1 and b2 beyond it
 * (none of an output it judges by its surface). The debaters take k =
 * `reveals` turns in all, alternating, the honest one first (the liar with
 * liar_first). On its turn a debater passes, or claims something about a
 * slot it has not claimed before:
 *   the honest debater claims the slot's true effect;
 *   the liar claims what helps its side: the true effect where the truth
 *   favours it (a flaw of the honest output, a virtue of its own), else that
 *   the fact is not there (effect 0). The context slot's effect is 0: every
 *   claim about it is true.
 * What the judge (competence kappa, verify_gain g; hard thresholds) then
 * perceives of a slot of difficulty d:
 *   nobody claimed it: unknown, as unaided;
 *   claimed, d <= kappa + g: verified — seen as it is, whatever was claimed
 *     (a lie about a fact the judge can check reveals the fact);
 *   claimed, d > kappa + g, every claim the same value x: believed as x with
 *     trust_unverified (a false belief when x is not the truth: the judgement
 *     is WRONG), else unknown — as an assistant's unverifiable pointer;
 *   claimed, d > kappa + g, the claims differ (the liar denied what the
 *     honest debater claimed): disputed, unknown whatever it trusts.
 * The judge then labels by overseer.h's rule on the perceived values (looks +
 * bias + what it knows or believes), in the region they give (UNSURE while a
 * slot is unknown: when_unsure decides). The verdict's value to the honest
 * debater is V = P(label = its output) - P(label = the liar's); the liar's is
 * -V. In a comparison of equal true values nobody is honest: the judge judges
 * alone, as at k = 0.
 *
 * Debaters.
 *   optimal  exact minimax of V over the claim sequences (alpha-beta). Among
 *            moves of equal value (within 1e-12) a debater passes if it can,
 *            else claims the first slot in the comparison's order (context,
 *            then the facts of the lower-numbered behaviour, then the
 *            other's), so its debate, and its cost, are deterministic.
 *   trained  one softmax per debater per comparison over its moves (a logit
 *            for passing, one per slot; slots it has claimed are masked),
 *            starting uniform and trained by self-play: `rounds` rounds, in
 *            each every comparison plays `games` debates from the current
 *            policies, the judge labels each once (a label drawn from its
 *            label distribution after the debate: each game is one label, and
 *            costs one), the honest debater's reward is +1 when the label names
 *            its output, -1 when it names the liar's, 0 for equal or skip, the
 *            liar's the negative; REINFORCE with the other games' mean reward
 *            as baseline, steps of lr / games. Comparisons train in a fixed
 *            order (contexts, then the pair), only in watched contexts (the
 *            overseer labels nowhere else), on the stream (seed,
 *            rng_substream(stream, DEBATE_SELFPLAY_SUBSTREAM)). No formula
 *            stands in for training: the trained value is whatever self-play
 *            reached.
 *   random   no debaters: min(k, n) of the n slots drawn uniformly without
 *            replacement, each shown as it is (seen if verifiable; else
 *            believed true with trust_unverified, else unknown).
 *
 * Exactness. The table holds each ordered comparison's exact label
 * distribution, expected claims and expected perceived values: the optimal
 * debate is deterministic, trained debates and random reveals are summed
 * over every claim sequence or subset with its probability. That enumeration
 * is limited to DEBATE_MAX_LEAVES sequences per comparison (debate_new fails
 * beyond it, naming the comparison). */
#ifndef OVERSIM_DEBATE_H
#define OVERSIM_DEBATE_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "overseer.h"

#define DEBATE_MAX_LEAVES 1000000   /* claim sequences (or subsets) per comparison */
#define DEBATE_MAX_REVEALS 64
#define DEBATE_MAX_ROUNDS 1000000
#define DEBATE_MAX_GAMES 1000000
#define DEBATE_SELFPLAY_SUBSTREAM 1

typedef enum { DEBATERS_OPTIMAL = 0, DEBATERS_TRAINED = 1, DEBATERS_RANDOM = 2 } debaters_kind;

typedef struct debate_params {
    int reveals;            /* k: claims (or random reveals) in all, 0..DEBATE_MAX_REVEALS */
    debaters_kind debaters;
    int liar_first;         /* 1: the liar takes the first turn */
    int rounds;             /* trained: self-play rounds, 0..DEBATE_MAX_ROUNDS */
    int games;              /* trained: games per comparison per round, 1..DEBATE_MAX_GAMES */
    double lr;              /* trained: step size, finite and > 0 */
} debate_params;

/* Defaults: 2 reveals, optimal debaters, the honest one first; self-play 30
 * rounds of 4 games per comparison, lr 1. */
void debate_params_default(debate_params *p);

/* Check p; what names the overseer (NULL: "debate overseer"): "field
 * 'reveals' of overseer 'd' must be >= 0 (got -1)". 0, or OS_EINVAL. */
int debate_params_check(const debate_params *p, const char *what, os_err *err);

/* Count into e what debate_new(judge on w, p) allocates: the table of
 * ordered comparisons (n_ctx x n_beh^2) and, for trained debaters, their
 * policies. Allocates nothing. */
void debate_estimate(const world *w, const debate_params *p, size_estimate *e);

typedef struct debate debate;

/* The debate of p judged by `judge` (kind DEBATE, on a world with hidden
 * facts; its misconceptions and predicates already given), trained debaters
 * trained on (seed, rng_substream(stream, DEBATE_SELFPLAY_SUBSTREAM)), every
 * comparison's outcome tabled. Then overseer_set_debate(judge, d). NULL with
 * err filled: bad parameters, a world with no hidden facts, a comparison
 * beyond DEBATE_MAX_LEAVES, no memory. Free with debate_free (after the
 * judge stops judging). */
debate *debate_new(const overseer *judge, const debate_params *p, uint64_t seed,
                   uint64_t stream, os_err *err);
void debate_free(debate *d);

const overseer *debate_judge_of(const debate *d);
const debate_params *debate_get_params(const debate *d);
int debate_reveals(const debate *d);

/* The exact label distribution of comparison (c, b1, b2) (available, b1 !=
 * b2); OS_EINVAL otherwise. */
int debate_label_probs(const debate *d, int c, int b1, int b2, double p[N_LABELS]);

/* One judgement of (c, b1, b2): the debate played (optimal: no random number;
 * trained: one per turn with a choice; random: one per slot drawn while
 * fewer than all are drawn), then the label drawn from the judge's
 * distribution (overseer_draw_label). out->found counts the slots claimed,
 * out->cost = cost + critique_cost x claims. Allocates nothing. */
void debate_judge(const debate *d, int c, int b1, int b2, gsl_rng *r, overseer_outcome *out);

/* u[cell] for every available cell (c,b) that has another behaviour in c:
 * the judge's expected perceived value of b at the end of the debates over
 * (c, b, b'), averaged over b' with weights pi0(b'|c). Other cells untouched. */
void debate_perceived(const debate *d, double *u);

/* One comparison's outcome, as tabled. */
typedef struct debate_result {
    int slots;              /* n: slots the judge does not know unaided */
    int verifiable;         /* of which within competence + verify_gain */
    int honest;             /* LABEL_FIRST or LABEL_SECOND: b1 or b2 is better; -1 tie */
    double p[N_LABELS];     /* exact label distribution */
    double value;           /* V = P(honest's) - P(liar's); NAN for a tie */
    double honest_wins;     /* P(honest's) + (P(equal) + P(skip)) / 2; NAN for a tie */
    double claims;          /* expected claims made (random: slots revealed) */
    double found;           /* expected slots claimed at least once */
    double u[2];            /* expected perceived values of b1, b2 at the end */
    region_kind region;     /* optimal (deterministic): the judgement's region; else
                               the region of the judge alone */
} debate_result;

/* The tabled outcome of (c, b1, b2) into r; OS_EINVAL when not available. */
int debate_result_of(const debate *d, int c, int b1, int b2, debate_result *r);

/* The judge's accuracy: mean over contexts (training weights, among those
 * with a comparison of different true values) of the mean over such
 * unordered pairs of honest_wins, averaged over both orders. NAN if none. */
double debate_accuracy(const debate *d);

/* Exact minimax value V of (c, b1, b2) for optimal debaters at this debate's
 * k (whatever its debaters are); NAN for a tie or a pair not available. For
 * trained debaters against each other, debate_result_of's value. */
double debate_minimax_value(const debate *d, int c, int b1, int b2);

/* Self-play: labels and their cost (0 unless trained), and the honest
 * debater's mean reward over each round's games (rounds values; NULL when
 * not trained). */
long debate_train_labels(const debate *d);
double debate_train_cost(const debate *d);
const double *debate_train_curve(const debate *d, int *rounds);

#endif
