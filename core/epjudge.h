/* epjudge.h — every overseer kind on episodes, by the bandit's own overseer.
 * Owns: the bandit world of an MDP's cells (epjudge_world: contexts = states,
 *       behaviours = actions, the cells' looks and hidden facts), and the
 *       judgement of a pair of trajectory segments by an overseer built on
 *       that world (overseer_new, misconceptions, predicates, a parametric
 *       assistant, trained critics of recursion.h): labels drawn step by step,
 *       and exact label probabilities where few outcomes are random.
 * Uses: mdp.h, world.h, overseer.h (and its internal slots: a step is judged
 *       as the bandit judges one output), segment.h's view of a segment
 *       (watched steps, myopic gamma over steps), rng.h.
 *
 * A segment's perceived return is the sum over its watched steps (every step
 * for an oracle) of each step's perceived value: the cell's looks, plus its
 * misconceptions' bias, plus the effects of the facts the overseer discovers
 * (competence, soft discovery) or is pointed at and verifies (the assistant's
 * recall x honesty within reach; a trained critic's p_point), plus what a
 * trusted unverified pointer claims, plus a believed false alarm (one chance
 * per step, as the bandit's one per output). Myopic gamma weighs step t of n
 * by gamma^(n-1-t), as segment.h. A step the overseer is `wrong` about
 * (predicate) is judged by its looks alone.
 *
 * Regions, and how they differ from the bandit's: a comparison is WRONG when
 * a watched step is one the overseer is wrong about or it believed a false
 * claim; else UNSURE when some pointer (a fact's or a false alarm's) could
 * not be verified and is not trusted — a doubt the overseer knows it has —
 * and when_unsure decides (overseer_region_probs); else KNOWS. A fact no one
 * discovers or points at is invisible: the overseer does not know which step
 * hides something, so it judges that step's surface (the bandit counts such a
 * slot as UNSURE). Hence an unassisted human with the hard threshold judges
 * exactly as segment_perceived_table's human, with the same draws. The
 * bandit's `knows` predicate (per context and pair) has no meaning across
 * steps of different states: it does not apply to episodes.
 *
 * A debate over two segments (a DEBATE overseer, epjudge_set_debate): the
 * game of debate.h, computed per comparison when it is asked. Its slots are
 * the facts of both segments' watched steps that the judge does not know
 * unaided, each on its segment's side, in a canonical order (the segment
 * whose cells come first lexicographically, then the other; each from its
 * last step to its first), so a pair and its reverse debate the same slots.
 * The honest debater argues for the segment of higher true return (the sum
 * of v* over all its steps), the liar for the other (equal returns: no
 * debate, the judge alone); k = reveals claims alternate, the honest first
 * unless liar_first; claims and what the judge perceives of them are
 * debate.h's rule, written once (debate_internal.h's game). The perceived
 * returns then go through B-Pref's rule as above (myopic gamma over steps).
 * Regions as above: an unclaimed fact is invisible (judged by its surface,
 * as unaided on episodes); a disputed uncheckable fact, or a claim it can
 * neither check nor trusts, is a doubt it knows of (UNSURE: when_unsure);
 * a believed false claim is WRONG. So for one step each in one state,
 * myopia 1, and when_unsure 'looks' (or every slot claimed), the label
 * distribution is the bandit debate's (debate_label_probs) for that pair.
 * Debaters: optimal (debate.h's exact minimax and tie rule over the pair's
 * slots), random (min(k, n) slots uniformly without replacement, one draw
 * per slot drawn while fewer than all are). Trained debaters' policies are
 * per tabled comparison: they cannot debate episodes (an error). A label
 * costs the overseer's cost plus critique_cost per claim made (random: per
 * slot revealed), as the bandit's debate counts it. */
#ifndef OVERSIM_EPJUDGE_H
#define OVERSIM_EPJUDGE_H

#include <gsl/gsl_rng.h>
#include "mdp.h"
#include "overseer.h"
#include "world.h"
#include "debate.h"

/* The bandit world of m's cells (m finalized): context s is state s (named as
 * it, weight 1, watched, difficulty -INFINITY: a state is always
 * understood), behaviour a is action a, cell s * n_actions + a has the
 * MDP cell's looks, prior and facts (in order; fact k of the MDP is fact k of
 * the world, named "f<k+1>"). A terminal state, where no action is taken,
 * gets one placeholder cell (its first action, prior 1, looks 0) because a
 * world's every context needs a behaviour. NULL with err filled (no memory).
 * Free with world_free. */
world *epjudge_world(const mdp *m, os_err *err);

typedef struct epjudge epjudge;

/* A judge of segments of at most max_steps steps each on m by overseer o,
 * which was built on a world of m's cells (epjudge_world(m) or one with the
 * same cells); both must outlive the judge. Buffers for every slot two
 * segments can have are allocated here (overflow-checked), so judging never
 * allocates. A DEBATE overseer judges alone (reveals 0) until
 * epjudge_set_debate; its pairs can have at most DMAX (debate_internal.h:
 * 2 x WORLD_MAX_FACTS_PER_CELL + 3) slots, else OS_EINVAL. OS_EINVAL (err
 * filled) for an overseer with a knows override, or a world that does not
 * match m; NULL. */
epjudge *epjudge_new(const mdp *m, const overseer *o, int max_steps, os_err *err);
void epjudge_free(epjudge *j);

/* The debate a DEBATE overseer's judge plays over each pair (p copied).
 * OS_EINVAL with err filled: not a DEBATE overseer, bad parameters, trained
 * debaters (with reveals > 0), or optimal debaters whose claim sequences over
 * the most slots a pair of max_steps steps can have (game_leaves) pass
 * DEBATE_MAX_LEAVES: checked once here, so no comparison is refused later. */
int epjudge_set_debate(epjudge *j, const debate_params *p, os_err *err);

/* Expected perceived value of a step in cell i (overseer_perceived: over the
 * assistant's and discovery's randomness), undiscounted; the oracle's v*. */
double epjudge_perceived(const epjudge *j, int cell);

/* One judgement of (seg1, seg2) (c1: n1 cells, c2: n2, each n <= max_steps):
 * each random slot of each watched step drawn as overseer_judge draws one
 * (discovery, then pointed, then verified: no number spent on a certain
 * event), in order: seg1's steps from the last to the first, each step's
 * facts in order then its false alarm; then seg2's; then the label
 * (overseer_draw_label). A pair of which nothing was seen is a skip, with no
 * draw. out->cost is the overseer's cost plus, for an ASSISTED overseer,
 * critique_cost x critique_levels per watched step of both segments (the
 * bandit's two critiques per level for two outputs); out->hidden, found as
 * overseer_outcome's over the pair's steps. *critiques (when not NULL)
 * receives the critiques read (watched steps x levels; 0 unless assisted).
 * A DEBATE overseer: the debate played (optimal: no random number; random:
 * its draws), then the label; the claims made count as critiques (cost
 * critique_cost each), out->found the slots claimed. Allocates nothing. */
void epjudge_judge(epjudge *j, const int *c1, int n1, const int *c2, int n2, double margin,
                   gsl_rng *r, overseer_outcome *out, long *critiques);

/* Exact label probabilities of (seg1, seg2), summed over the outcomes of
 * their random slots: OS_EINVAL (p zeroed) when more than 12 slots of the
 * pair are random (4^12 outcomes: beyond that, sample with epjudge_judge).
 * For one step each in the same state, myopia 1 (the bandit discounts a
 * behaviour's value parts, episodes their steps), and when_unsure 'looks'
 * (or no slot that nobody points at), this is overseer_label_probs of the
 * two cells. A DEBATE overseer: the exact outcome of its debate (random
 * debaters: summed over the C(n, min(k, n)) subsets, OS_EINVAL beyond
 * DEBATE_MAX_LEAVES). */
int epjudge_label_probs(epjudge *j, const int *c1, int n1, const int *c2, int n2,
                        double margin, double p[N_LABELS]);

/* The same, and *claims the expected claims made (a debate's; 0 otherwise). */
int epjudge_label_probs_claims(epjudge *j, const int *c1, int n1, const int *c2, int n2,
                               double margin, double p[N_LABELS], double *claims);

#endif
