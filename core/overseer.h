/* overseer.h — overseers: who turns a comparison (c, b1, b2) into a label.
 * Owns: the overseer's parameters (kind, competence, Boltzmann beta, B-Pref's
 *       mistake/skip/equal/myopia, when_unsure, costs, the assistant's recall,
 *       honesty, false alarms and reach), its misconceptions and region
 *       overrides, its perceived value u(c,b), and the label distribution.
 * Uses: world.h, GSL's rng. Lua predicates (knows/wrong) are evaluated by the
 *       binding once per (context type, b1, b2) and handed in as overrides.
 *
 * A comparison has *slots*: understanding the context (difficulty d_c) and each
 * hidden fact of b1 and b2 (difficulty max(d_f, d_c)). A slot is known unaided
 * when its difficulty <= competence. An assisted overseer's assistant points at
 * an unknown slot with probability p_point; the human verifies a pointed slot
 * with probability p_verify (parametric: difficulty <= competence +
 * verify_gain). A slot still unknown — not pointed at, or pointed at but not
 * verifiable (unless trust_unverified) — makes the comparison UNSURE. A
 * DEBATE overseer is a human who judges a comparison after a debate over it
 * (debate.h: the debaters' claims take the place of the pointers, verified up
 * to competence + verify_gain). */
#ifndef OVERSIM_OVERSEER_H
#define OVERSIM_OVERSEER_H

#include <gsl/gsl_rng.h>
#include "world.h"
#include "size.h"

/* DEBATE: a human judge of two debaters (debate.h), who judges a comparison
 * from what a debate over it revealed. */
typedef enum { OVERSEER_ORACLE = 0, OVERSEER_HUMAN = 1, OVERSEER_ASSISTED = 2,
               OVERSEER_DEBATE = 3 } overseer_kind;
typedef enum { UNSURE_COIN = 0, UNSURE_SKIP = 1, UNSURE_LOOKS = 2 } unsure_mode;
typedef enum { LABEL_FIRST = 0, LABEL_SECOND = 1, LABEL_EQUAL = 2, LABEL_SKIP = 3 } label_kind;
typedef enum { REGION_KNOWS = 0, REGION_UNSURE = 1, REGION_WRONG = 2 } region_kind;
#define N_LABELS 4
#define N_REGIONS 3

typedef struct overseer_params {
    overseer_kind kind;
    double competence;      /* discovers slots of difficulty <= this */
    double beta;            /* Boltzmann rationality; INFINITY = argmax, ties 0.5 */
    double mistake;         /* B-Pref: probability the label is flipped */
    double skip_threshold;  /* B-Pref: when > 0, keep a query only if max(u1,u2) > this
                               (else skip); <= 0 = never skip */
    double equal_threshold; /* B-Pref: `equal` when |u1-u2| < this; 0 = never */
    double skip_eps, equal_eps; /* B-Pref's relative form: when > 0, the threshold is
                               eps x margin (the margin a round passes: the mean true
                               value of the policy's outputs), instead of the above */
    double softness;        /* soft discovery (DESIGN.md 1): a slot of difficulty d is
                               discovered unaided with P = sigma(softness (competence
                               - d)), and a pointer verified with P = sigma(softness
                               (competence + verify_gain - d)); INFINITY: the hard
                               threshold d <= competence */
    double myopia;          /* B-Pref's gamma over a behaviour's value parts in order
                               (its looks, then its facts): part k of n counts
                               gamma^(n-1-k), the last the most; only the choice is
                               discounted (skip and equal use undiscounted values);
                               1 = not myopic */
    double cost;            /* cost of one label (time units), >= 0 */
    unsure_mode when_unsure;
    /* assisted */
    double verify_gain;     /* verifies pointed-at slots (a debate's claims) up to
                               competence + this */
    double critique_cost;   /* cost of reading one critique (2 per label per level),
                               or one claim of a debate */
    int critique_levels;    /* critiques read per output per label (1; depth when recursive) */
    int trust_unverified;   /* 1: believes pointers it can't verify; 0: when_unsure */
    double recall;          /* P(the assistant finds a slot within reach) */
    double honesty;         /* P(it reports what it found) */
    double reach;           /* hardest difficulty it can find */
    double false_alarm;     /* P(it points at a flaw that is not there), per output */
    double false_alarm_effect;     /* what a false alarm claims (default -1) */
    double false_alarm_difficulty; /* how hard checking it is (default: reach) */
} overseer_params;

typedef struct overseer overseer;

/* The result of one judgement: the label, the region it fell in, how many
 * slots beyond unaided competence there were (hidden) and were pointed at or,
 * in a debate, claimed by a debater (found), and what the label cost:
 * overseer_label_cost, plus critique_cost per claim a debate made. */
typedef struct overseer_outcome {
    label_kind label;
    region_kind region;
    int hidden, found;
    double cost;
} overseer_outcome;

/* Defaults: human, competence 0, beta INFINITY, no mistakes/skips/equals
 * (thresholds and eps 0),
 * myopia 1, cost 1, when_unsure coin; assisted: verify_gain 1, critique_cost
 * 0, one critique level, no trust, recall 1, honesty 1, reach INFINITY, no false
 * alarms (effect -1, difficulty NAN = reach). */
void overseer_params_default(overseer_params *p);

/* Check p: known kind and when_unsure; competence, skip_threshold and reach
 * numbers (+-INFINITY allowed, not NaN); beta >= 0; mistake, recall, honesty
 * and false_alarm probabilities; equal_threshold >= 0; myopia in (0,1]; cost,
 * verify_gain and critique_cost finite and >= 0; critique_levels >= 0;
 * false_alarm_effect finite; a DEBATE overseer with the hard threshold
 * (softness INFINITY) and no relative thresholds (skip_eps, equal_eps 0). what names the record (NULL: "overseer"; the
 * assistant's fields are named "of assistant of <what>"): "field 'mistake' of
 * overseer 'h' must be a probability in [0,1] (got 1.5)". 0, or OS_EINVAL
 * with err filled. */
int overseer_params_check(const overseer_params *p, const char *what, os_err *err);

/* Count into e what overseer_new(w, ...) allocates (per-slot and per-cell
 * arrays) and, with knows_table, the (c, b1, b2) override table that
 * overseer_set_knows allocates on its first call ("overseer's knows table
 * C x B x B": n_ctx x n_beh^2 bytes). Allocates nothing. */
void overseer_estimate(const world *w, int knows_table, size_estimate *e);

/* An overseer of `p` judging world w (finalized; must outlive it), checked by
 * overseer_params_check. NULL with err filled on bad parameters. Free with
 * overseer_free. */
overseer *overseer_new(const world *w, const overseer_params *p, os_err *err);
void overseer_free(overseer *o);

const overseer_params *overseer_get_params(const overseer *o);
const world *overseer_world(const overseer *o);

/* A scripted misconception: perceived value of (c,b) off by `bias` (adds up).
 * The overseer is *wrong* about that cell. */
int overseer_add_bias(overseer *o, int c, int b, double bias, os_err *err);

/* Override the competence rule for (c,b1,b2) (both orders): knows = 1 or 0. */
int overseer_set_knows(overseer *o, int c, int b1, int b2, int knows, os_err *err);

/* Mark the overseer as wrong about (c,b): it judges the surface (looks + bias)
 * confidently, whatever its competence or assistant. */
int overseer_set_wrong(overseer *o, int c, int b, int wrong, os_err *err);

/* Is the overseer wrong about cell (bias or wrong predicate)? */
int overseer_is_wrong(const overseer *o, int cell);

/* Slots: [0, n_facts) are the world's facts, n_facts + c is context c. */
int overseer_n_slots(const overseer *o);
/* Difficulty of a slot as the overseer meets it: max(d_f, d_c) for a fact. */
double overseer_slot_difficulty(const overseer *o, int slot);
/* Known without help (difficulty <= competence). */
int overseer_slot_known(const overseer *o, int slot);

/* Replace the assistant of an ASSISTED overseer with per-slot probabilities
 * (n_slots values each, copied): p_point = P(pointed at), p_verify = P(verified
 * when pointed). Used for trained critics. */
int overseer_set_assistance(overseer *o, const double *p_point, const double *p_verify,
                            os_err *err);

/* What a pointer says of each slot (n_slots values, copied, finite), which an
 * ASSISTED overseer that trusts unverified pointers believes when it cannot
 * verify one: by default the fact's effect (an honest pointer; contexts 0).
 * A claim that differs (a trained critic's false alarm: a flaw that is not
 * there, claimed worth +1) makes the judgement REGION_WRONG when believed. */
int overseer_set_claims(overseer *o, const double *claim, os_err *err);

/* Replace an ASSISTED overseer's false alarms: per output, with probability
 * rate the assistant claims a flaw worth `effect` that is not there, refuted
 * with probability p_refute (else believed if trust_unverified). Used for
 * trained critics' false alarms (recursion_apply). */
int overseer_set_false_alarm(overseer *o, double rate, double p_refute, double effect,
                             os_err *err);
/* Make the DEBATE overseer o judge from debate d (debate_new(o, ...): built
 * with o as its judge; d must outlive o). Afterwards o's misconceptions and
 * predicates are fixed (adding one is an error) and its perceived values are
 * the debate's (debate_perceived). Without a debate, a DEBATE overseer judges
 * alone, as a human of its parameters. */
struct debate;
int overseer_set_debate(overseer *o, const struct debate *d, os_err *err);
const struct debate *overseer_debate(const overseer *o);

const double *overseer_p_point(const overseer *o);
const double *overseer_p_verify(const overseer *o);

/* Expected perceived value E[u(c,b)] over the assistant's randomness: v* for an
 * unbiased, non-myopic oracle. */
double overseer_perceived(const overseer *o, int cell);

/* Region of a comparison *without* the assistant: WRONG if wrong about b1 or
 * b2, else KNOWS if every slot is known unaided (or a knows override says so),
 * else UNSURE. With an assistant, or soft discovery (a slot discovered with
 * P < 1 counts as not known here), the region of a judgement is random: see
 * overseer_outcome. */
region_kind overseer_region(const overseer *o, int c, int b1, int b2);

/* The probability that an overseer with parameters p reaches a slot of the
 * given difficulty at `level` (its competence: discovery; competence +
 * verify_gain: verification): 1 or 0 by the hard threshold difficulty <= level
 * (softness INFINITY), else sigma(softness (level - difficulty)). */
double overseer_reach_prob(const overseer_params *p, double level, double difficulty);

/* Cost of one label: cost + critique_cost * 2 * critique_levels (assisted);
 * for a debate, cost + critique_cost * reveals, the most one can cost (the
 * claims a debate makes are counted in overseer_outcome.cost). */
double overseer_label_cost(const overseer *o);

/* Exact probabilities of the four labels (indexed by label_kind) for
 * (c,b1,b2), summed over the assistant's outcomes, in the order of B-Pref's
 * get_label (Lee et al. 2021), with u the undiscounted perceived values and
 * ud the myopically discounted ones:
 *   unsure & skip -> skip; unsure & coin -> 1/2, 1/2, then `mistake`;
 *   otherwise, with T_skip and T_equal the thresholds (relative ones are
 *   eps x margin; NAN margin: relative thresholds off):
 *   skip unless T_skip <= 0 or max(u1,u2) > T_skip (equality skips);
 *   the choice: beta 0 or INFINITY -> argmax of ud (a tie prefers b1, as
 *   B-Pref's 1*(s1 < s2)), else P(b1) = sigma(beta (ud1 - ud2));
 *   `mistake` flips the choice; then |u1-u2| < T_equal makes it `equal`
 *   (the equal mask overrides the flip).
 * OS_EINVAL when more than 12 of the comparison's slots are random. */
int overseer_label_probs_at(const overseer *o, int c, int b1, int b2, double margin,
                            double p[N_LABELS]);
/* The same with no margin (relative thresholds off). */
int overseer_label_probs(const overseer *o, int c, int b1, int b2, double p[N_LABELS]);

/* B-Pref's get_label (the rule above, after the region) on two perceived
 * values: u undiscounted (the skip and equal thresholds, relative ones eps x
 * margin), ud myopically discounted (the choice); label probabilities into
 * p. The one place the rule is written: comparisons of behaviours
 * (overseer_label_probs) and of trajectory segments (segment.h) use it. */
void overseer_bpref_probs(const overseer_params *p, double margin, const double u[2],
                          const double ud[2], double probs[N_LABELS]);

/* The label rule given the region of a comparison: UNSURE with when_unsure
 * skip -> skip; UNSURE with coin -> 1/2, 1/2, then `mistake`; otherwise (KNOWS,
 * WRONG, or UNSURE judged by its looks) overseer_bpref_probs on u and ud.
 * The one place the region's rule is written: comparisons of behaviours and
 * of segments (epjudge.h) use it. */
void overseer_region_probs(const overseer_params *p, region_kind reg, double margin,
                           const double u[2], const double ud[2], double probs[N_LABELS]);

/* A label drawn from p, which has one certain outcome (skip or equal) or
 * splits first/second (what overseer_bpref_probs gives): one uniform draw in
 * the second case, none in the first. */
label_kind overseer_draw_label(const double p[N_LABELS], gsl_rng *r);

/* One judgement drawn from that distribution. Allocates nothing. */
void overseer_judge_at(const overseer *o, int c, int b1, int b2, double margin, gsl_rng *r,
                       overseer_outcome *out);
/* The same with no margin (relative thresholds off). */
void overseer_judge(const overseer *o, int c, int b1, int b2, gsl_rng *r,
                    overseer_outcome *out);

/* Just the label of overseer_judge. */
label_kind overseer_label(const overseer *o, int c, int b1, int b2, gsl_rng *r);

#endif
