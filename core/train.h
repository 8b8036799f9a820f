/* train.h — the iterated RLHF loop (Christiano et al. 2017).
 * Owns: one run: each round samples contexts and distinct pairs from the
 *       current policy (in the contexts the overseer watches), asks the
 *       overseer, adds a red team's inputs (adversarial training), refits the
 *       reward model on all labels so far, improves the policy, and measures,
 *       deployment included.
 * Uses: world, overseer, rm, policy, metrics, redteam, rng. */
#ifndef OVERSIM_TRAIN_H
#define OVERSIM_TRAIN_H

#include <stdint.h>
#include "world.h"
#include "overseer.h"
#include "rm.h"
#include "policy.h"
#include "metrics.h"
#include "redteam.h"

/* How the policy is improved each round:
 *   EXACT      exact KL-regularised policy gradient over the finite action set
 *   REINFORCE  its estimate from `batch` samples, with a per-context baseline
 *   PPO        PPO-clip (clip, epochs, minibatch) on the same objective
 *   BON        best-of-n against the reward model (exact distribution)
 *   OPTIMUM    the exact optimum pi0 exp(r / kl_coef) / Z of the reward model
 *   DPO        no reward model: `steps` gradient steps on the DPO loss of all
 *              labels so far, with beta = kl_coef */
typedef enum { PG_EXACT = 0, PG_REINFORCE, PG_PPO, PG_BON, PG_OPTIMUM, PG_DPO } pg_method;

/* Which pairs each round asks about:
 *   UNIFORM       labels_per_round pairs drawn from the current policy
 *   DISAGREEMENT  `candidates` pairs drawn the same way, of which the
 *                 labels_per_round with the largest variance of r1 - r2 across
 *                 the reward-model ensemble (Christiano et al. 2017) */
typedef enum { QUERY_UNIFORM = 0, QUERY_DISAGREEMENT = 1 } query_kind;

/* Largest values train_check accepts (memory grows with each: rows with
 * rounds, a round's draws with labels_per_round, candidate buffers with
 * candidates, PPO's samples with batch). */
#define TRAIN_MAX_ROUNDS 10000000
#define TRAIN_MAX_LABELS 10000000     /* labels_per_round */
#define TRAIN_MAX_CANDIDATES 100000000
#define TRAIN_MAX_BATCH 100000000
#define TRAIN_MAX_DEPLOY 100000000    /* deploy_episodes: sampled each round */

typedef struct train_params {
    int rounds;            /* 0..TRAIN_MAX_ROUNDS */
    int labels_per_round;  /* 0..TRAIN_MAX_LABELS */
    uint64_t seed;
    uint64_t run_id;
    rm_params rm;
    pg_method method;
    double lr;             /* policy step size, > 0 */
    double kl_coef;        /* beta_KL, > 0 */
    int steps;             /* policy steps per round, >= 0 */
    int batch;             /* REINFORCE samples per step, >= 1 */
    int epochs, minibatch; /* PPO: passes over each batch, samples per update */
    double clip;           /* PPO: clip range epsilon (INFINITY = no clipping) */
    int bon_n;             /* best-of-n: n >= 1 */
    int label_rounds;      /* >= -1: labels are asked in rounds 1..label_rounds only
                              (-1: every round); later rounds optimise a fixed reward */
    long base_labels;      /* labels and cost already spent before round 1 (building */
    double base_cost;      /*   a recursive overseer's critics); row 0 starts there */
    model_spec policy_model; /* the policy's logits f_theta (default linear) */
    int policy_adam;       /* 1: policy steps are Adam steps of size lr */
    query_kind query;
    int candidates;        /* disagreement: candidate pairs per round, >= 0 (0: 8 x
                              labels_per_round) */
    redteam_params redteam; /* adversarial training (budget 0: none). Each labelled
                              round the red team's budget inputs are labelled too
                              (cost: the overseer's plus redteam.cost each), and
                              the policy trains on the mix (1 - s) training
                              weights + s (the red team's inputs so far), s =
                              budget / (labels_per_round + budget) */
    long deploy_episodes;  /* N of the deployment figures, 1..TRAIN_MAX_DEPLOY: each
                              round samples N deployed episodes from the run's
                              deployment stream (seed, run id), apart from its
                              training stream */
} train_params;

/* Defaults: 30 rounds, 64 labels per round, seed 1, run 1, rm defaults,
 * exact policy gradient, lr 2, kl_coef 0.1, 20 steps, batch 256; PPO 4 epochs
 * of minibatch 64, clip 0.2; best-of-4; labels every round; a linear policy
 * by plain ascent; uniform queries; no red team; 1000 deployed episodes. */
void train_params_default(train_params *p);

/* Check every field of p, the reward model's (rm_params_check) and both
 * models' specs included. what names the record holding rounds,
 * labels_per_round, ... (NULL: "train"; a recursive overseer's critic:
 * "critic 2 of overseer 'r'"); the policy's fields are named "of policy", the
 * reward model's "of reward_model". Messages name the field and the bad value:
 * "field 'kl' of policy must be a finite number > 0 (got 0)". 0, or OS_EINVAL
 * with err filled. train_run calls it first. */
int train_check(const train_params *p, const char *what, os_err *err);

/* Count into e what a run of p on w allocates (train_run's, and the rows and
 * final_probs/final_reward buffers its caller provides): the reward model
 * (rm_estimate: its models, rewards, fit buffers and pair table), the policy
 * (policy_estimate), the per-cell workspace, disagreement candidates, and
 * (rounds + 1) metrics rows. Not counted: the overseer (overseer_estimate)
 * and a recursive overseer's critics. p must pass train_check; allocates
 * nothing. */
void train_estimate(const world *w, const train_params *p, size_estimate *e);

/* Called after each round's row is complete (may be NULL). A non-zero return
 * stops the run with OS_EINVAL and the message left in err by the callback. */
typedef int (*train_round_fn)(void *ud, const metrics_row *row, os_err *err);

/* Run one training run of world w under overseer o. rows must have room for
 * rounds + 1 rows: row 0 measures pi0 before any label. final_probs and
 * final_reward (n_cells values each, or NULL) receive the last policy and
 * reward model. OS_EDIVERGE (message names the round and the quantity) if
 * anything becomes non-finite. MLP and ensemble weights are initialised from
 * their own stream of (seed, run id), apart from the run's stream, so a linear
 * run draws exactly what it drew before models existed. */
int train_run(const world *w, const overseer *o, const train_params *p,
              metrics_row *rows, double *final_probs, double *final_reward,
              train_round_fn on_round, void *ud, os_err *err);

#endif
