/* train.c — see train.h. */
#include "train.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>
#include "bon.h"
#include "rng.h"

void train_params_default(train_params *p)
{
    p->rounds = 30;
    p->labels_per_round = 64;
    p->seed = 1;
    p->run_id = 1;
    rm_params_default(&p->rm);
    p->method = PG_EXACT;
    p->lr = 2;
    p->kl_coef = 0.1;
    p->steps = 20;
    p->batch = 256;
    p->epochs = 4;
    p->minibatch = 64;
    p->clip = 0.2;
    p->bon_n = 4;
    p->label_rounds = -1;
    p->base_labels = 0;
    p->base_cost = 0;
    model_spec_linear(&p->policy_model);
    p->policy_adam = 0;
    p->query = QUERY_UNIFORM;
    p->candidates = 0;
    redteam_params_default(&p->redteam);
    p->deploy_episodes = 1000;
}

int train_check(const train_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "train";
    if (p->rounds < 0)
        return err_set(err, OS_EINVAL, "field 'rounds' of %s must be >= 0 (got %d)", what,
                       p->rounds);
    if (p->rounds > TRAIN_MAX_ROUNDS)
        return err_set(err, OS_EINVAL, "field 'rounds' of %s must be <= %d (got %d)", what,
                       TRAIN_MAX_ROUNDS, p->rounds);
    if (p->labels_per_round < 0)
        return err_set(err, OS_EINVAL, "field 'labels_per_round' of %s must be >= 0 (got %d)",
                       what, p->labels_per_round);
    if (p->labels_per_round > TRAIN_MAX_LABELS)
        return err_set(err, OS_EINVAL, "field 'labels_per_round' of %s must be <= %d (got "
                       "%d)", what, TRAIN_MAX_LABELS, p->labels_per_round);
    if (p->label_rounds < -1)
        return err_set(err, OS_EINVAL, "field 'label_rounds' of %s must be >= -1 (got %d; -1 "
                       "means every round)", what, p->label_rounds);
    if (p->query != QUERY_UNIFORM && p->query != QUERY_DISAGREEMENT)
        return err_set(err, OS_EINVAL, "field 'query' of %s is unknown (%d)", what,
                       (int)p->query);
    if (p->candidates < 0)
        return err_set(err, OS_EINVAL, "field 'candidates' of %s must be >= 0 (got %d; 0 "
                       "means 8 x labels_per_round)", what, p->candidates);
    if (p->candidates > TRAIN_MAX_CANDIDATES)
        return err_set(err, OS_EINVAL, "field 'candidates' of %s must be <= %d (got %d)",
                       what, TRAIN_MAX_CANDIDATES, p->candidates);
    if (p->base_labels < 0)
        return err_set(err, OS_EINVAL, "base labels of %s must be >= 0 (got %ld)", what,
                       p->base_labels);
    if (!(p->base_cost >= 0) || !isfinite(p->base_cost))
        return err_set(err, OS_EINVAL, "base label cost of %s must be a finite number >= 0 "
                       "(got %g)", what, p->base_cost);
    if (p->deploy_episodes < 1 || p->deploy_episodes > TRAIN_MAX_DEPLOY)
        return err_set(err, OS_EINVAL, "field 'deploy_episodes' of %s must be in [1, %d] "
                       "(got %ld)", what, TRAIN_MAX_DEPLOY, p->deploy_episodes);
    if (p->method < PG_EXACT || p->method > PG_DPO)
        return err_set(err, OS_EINVAL, "field 'method' of policy is unknown (%d)",
                       (int)p->method);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return err_set(err, OS_EINVAL, "field 'lr' of policy must be a finite number > 0 "
                       "(got %g)", p->lr);
    if (!(p->kl_coef > 0) || !isfinite(p->kl_coef))
        return err_set(err, OS_EINVAL, "field 'kl' of policy must be a finite number > 0 "
                       "(got %g)", p->kl_coef);
    if (p->steps < 0)
        return err_set(err, OS_EINVAL, "field 'steps' of policy must be >= 0 (got %d)", p->steps);
    if (p->batch < 1)
        return err_set(err, OS_EINVAL, "field 'batch' of policy must be >= 1 (got %d)", p->batch);
    if (p->batch > TRAIN_MAX_BATCH)
        return err_set(err, OS_EINVAL, "field 'batch' of policy must be <= %d (got %d)",
                       TRAIN_MAX_BATCH, p->batch);
    if (p->epochs < 1)
        return err_set(err, OS_EINVAL, "field 'epochs' of policy must be >= 1 (got %d)",
                       p->epochs);
    if (p->minibatch < 1)
        return err_set(err, OS_EINVAL, "field 'minibatch' of policy must be >= 1 (got %d)",
                       p->minibatch);
    if (!(p->clip > 0))
        return err_set(err, OS_EINVAL, "field 'clip' of policy must be > 0 (got %g)", p->clip);
    if (p->bon_n < 1)
        return err_set(err, OS_EINVAL, "field 'n' of policy must be >= 1 (got %d)", p->bon_n);
    int rc;
    if ((rc = redteam_check(&p->redteam, NULL, err)) ||
        (rc = model_spec_check(&p->policy_model, "policy.model", err)) ||
        (rc = rm_params_check(&p->rm, "reward_model", err)))
        return rc;
    if (p->query == QUERY_DISAGREEMENT && p->rm.ensemble < 2)
        return err_set(err, OS_EINVAL, "query 'disagreement' needs a reward model ensemble "
                       "(reward_model.ensemble >= 2, got %d)", p->rm.ensemble);
    if (p->query == QUERY_DISAGREEMENT && p->method == PG_DPO)
        return err_set(err, OS_EINVAL, "query 'disagreement' needs a fitted reward model, "
                       "which policy method 'dpo' does not train");
    return 0;
}

/* Candidate pairs a disagreement round draws: `candidates`, or 8 x
 * labels_per_round (<= 8e7 after train_check: fits an int). */
static int n_candidates(const train_params *p)
{
    return p->candidates > 0 ? p->candidates : (int)(8LL * p->labels_per_round);
}

void train_estimate(const world *w, const train_params *p, size_estimate *e)
{
    rm_estimate(w, &p->rm, e);
    policy_estimate(w, &p->policy_model, p->method == PG_PPO ? p->batch : 0, e);
    size_t cells = (size_t)w->n_cells;
    size_estimate_add(e, size_add_sat(size_mul3_sat(cells, 3, sizeof(double)),
                                      size_mul3_sat((size_t)w->n_beh, sizeof(int), 1)),
                      "training workspace (%d cells)", w->n_cells);
    if (p->query == QUERY_DISAGREEMENT)
        size_estimate_add(e, size_mul3_sat((size_t)n_candidates(p) + 1,
                                           4 * sizeof(int) + sizeof(double), 1),
                          "%d candidate pairs", n_candidates(p));
    if (p->redteam.budget > 0)
        size_estimate_add(e, size_add_sat(size_mul3_sat((size_t)w->n_ctx, 4 * sizeof(int) +
                                                        4 * sizeof(double), 1),
                                          size_mul3_sat((size_t)p->redteam.budget,
                                                        sizeof(int), 1)),
                          "red team of %d inputs a round", p->redteam.budget);
    size_estimate_add(e, size_add_sat(size_mul3_sat((size_t)p->rounds + 1,
                                                    sizeof(metrics_row), 1),
                                      size_mul3_sat(cells, 2, sizeof(double))),
                      "rows of %d rounds", p->rounds);
}

/* Candidate pairs for disagreement queries, reserved before the loop. */
typedef struct candidates {
    int n;          /* reserved */
    int *c, *b1, *b2, *chosen;
    double *var;
} candidates;

/* One label on (c, b1, b2), counted in row. margin: B-Pref's margin for
 * relative skip/equal thresholds, the mean true value of the policy's outputs
 * as the round starts (B-Pref: the mean true return of recent episodes,
 * scaled to a segment; here an output is the whole episode). */
static void label_one(const world *w, const overseer *o, rm *m, int c, int b1, int b2,
                      double margin, gsl_rng *r, metrics_row *row)
{
    overseer_outcome out;
    overseer_judge_at(o, c, b1, b2, margin, r, &out);
    rm_add_label(m, c, b1, b2, out.label);
    metrics_count_label(w, c, b1, b2, &out, row);
    row->labels++;
    row->label_cost += out.cost;
}

/* Ask for one round of labels on pairs drawn from the current policy. */
static void ask(const world *w, const overseer *o, const policy *pol, rm *m,
                int n, double margin, gsl_rng *r, metrics_row *row)
{
    for (int k = 0; k < n; k++) {
        int c = rng_pick_cumulative(r, w->ctx_query_cum, w->n_ctx);
        if (w->ctx_n_avail[c] < 2)
            continue; /* nothing to compare here */
        int b1 = policy_sample(pol, c, r);
        int b2 = policy_sample_other(pol, c, b1, r);
        label_one(w, o, m, c, b1, b2, margin, r, row);
    }
}

/* Disagreement queries: draw cand->n pairs as ask() does, then label the n
 * with the largest ensemble variance of r1 - r2 (ties: in draw order). */
static void ask_disagreement(const world *w, const overseer *o, const policy *pol, rm *m,
                             int n, double margin, candidates *cand, gsl_rng *r,
                             metrics_row *row)
{
    int got = 0;
    for (int k = 0; k < cand->n; k++) {
        int c = rng_pick_cumulative(r, w->ctx_query_cum, w->n_ctx);
        if (w->ctx_n_avail[c] < 2)
            continue;
        int b1 = policy_sample(pol, c, r);
        int b2 = policy_sample_other(pol, c, b1, r);
        cand->c[got] = c, cand->b1[got] = b1, cand->b2[got] = b2;
        got++;
    }
    int k_n = rm_pick_disagreement(m, got, cand->c, cand->b1, cand->b2, n, cand->var,
                                   cand->chosen);
    for (int k = 0; k < k_n; k++) {
        int i = cand->chosen[k];
        label_one(w, o, m, cand->c[i], cand->b1[i], cand->b2[i], margin, r, row);
    }
}

/* Scratch for the methods, sized before the loop so rounds never allocate. */
typedef struct workspace {
    double *table, *g, *implicit;
    int *order;
    /* red team: choice scratch, this round's inputs, inputs so far per red-team
     * context, and the policy's training mix (weights, cumulative) */
    int *rt_work, *rt_chosen;
    double *rt_score, *rt_hist, *mix, *mix_cum;
} workspace;

/* The red team's round: its budget of inputs chosen against the current
 * policy, each labelled on a pair the policy draws there (cost: the label's
 * and building the input), then the policy's training mix updated. */
static void red_team_round(const world *w, const overseer *o, const train_params *p,
                           const policy *pol, rm *m, double margin, workspace *ws,
                           gsl_rng *r, metrics_row *row)
{
    const redteam_params *rp = &p->redteam;
    const int c0 = w->n_ctx - w->n_redteam;
    redteam_choose(w, rp, policy_probs(pol), r, ws->rt_work, ws->rt_score, ws->rt_chosen);
    for (int k = 0; k < rp->budget; k++) {
        int c = ws->rt_chosen[k];
        ws->rt_hist[c - c0] += 1;
        if (w->ctx_n_avail[c] < 2)
            continue;
        int b1 = policy_sample(pol, c, r);
        int b2 = policy_sample_other(pol, c, b1, r);
        label_one(w, o, m, c, b1, b2, margin, r, row);
        row->label_cost += rp->cost;
        row->redteam_labels++;
    }
    double h = 0, s = (double)rp->budget / ((double)p->labels_per_round + rp->budget);
    for (int k = 0; k < w->n_redteam; k++)
        h += ws->rt_hist[k];
    double cum = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        ws->mix[c] = c < c0 ? (1 - s) * w->ctx_weight[c] : s * ws->rt_hist[c - c0] / h;
        cum += ws->mix[c];
        ws->mix_cum[c] = cum;
    }
}

/* N deployed episodes from the deployment stream: how many were catastrophic. */
static long deploy_sample(const world *w, const policy *pol, long n, gsl_rng *r)
{
    long bad = 0;
    for (long e = 0; e < n; e++) {
        int c = rng_pick_cumulative(r, w->ctx_deploy_cum, w->n_ctx);
        bad += w->catastrophic[c * w->n_beh + policy_sample(pol, c, r)];
    }
    return bad;
}

/* DPO's implicit reward kl_coef (log pi - log pi0), per cell. */
static const double *reward_of(const world *w, const train_params *p, const policy *pol,
                               const rm *m, workspace *ws)
{
    if (p->method != PG_DPO)
        return rm_rewards(m);
    const double *logp = policy_log_probs(pol);
    for (int i = 0; i < w->n_cells; i++)
        ws->implicit[i] = w->avail[i] ? p->kl_coef * (logp[i] - w->log_prior[i]) : 0;
    return ws->implicit;
}

/* One round's policy improvement by p->method. */
static int improve(const world *w, const train_params *p, policy *pol, const rm *m,
                   gsl_rng *r, workspace *ws, os_err *err)
{
    const double *rew = rm_rewards(m);
    int rc = 0;
    switch (p->method) {
    case PG_BON:
        bon_probs(w, rew, p->bon_n, ws->order, ws->table);
        policy_set_table(pol, ws->table);
        return 0;
    case PG_OPTIMUM:
        policy_optimum(w, rew, p->kl_coef, ws->table);
        policy_set_table(pol, ws->table);
        return 0;
    default:
        break;
    }
    if (p->method == PG_REINFORCE) /* the steps together: they share their bookkeeping */
        return policy_steps_reinforce(pol, rew, p->kl_coef, p->lr, p->batch, p->steps, r, err);
    for (int s = 0; s < p->steps && !rc; s++) {
        switch (p->method) {
        case PG_EXACT:
            rc = policy_step_exact(pol, rew, p->kl_coef, p->lr, err);
            break;
        case PG_PPO:
            rc = policy_step_ppo(pol, rew, p->kl_coef, p->lr, p->batch, p->epochs,
                                 p->minibatch, p->clip, r, err);
            break;
        default: { /* DPO: descend the BT loss of scores kl_coef * f(theta) */
            const double *f = policy_logits(pol);
            for (int i = 0; i < w->n_cells; i++)
                ws->implicit[i] = p->kl_coef * f[i];
            rm_score_loss(m, ws->implicit, ws->g);
            for (int i = 0; i < w->n_cells; i++)
                ws->g[i] *= -p->kl_coef;
            rc = policy_step_logits(pol, ws->g, p->lr, err);
        }
        }
    }
    return rc;
}

/* What one run's rounds share. */
typedef struct run_state {
    const world *w;
    const overseer *o;
    const train_params *p;
    rm *m;
    policy *pol;
    gsl_rng *r;
    workspace *ws;
    candidates *cand;
    gsl_rng *deploy;       /* the deployment stream */
    metrics_reference ref; /* the true-value optimum's metrics, for every row */
} run_state;

/* Round t of a run into rows[t] (rows[t - 1] is complete): labels (when this
 * round asks), the reward model's refit and the policy's improvement (t > 0),
 * then the measurements. OS_EDIVERGE with the round named when a fit, a step
 * or a measured quantity goes non-finite. */
static int train_round(run_state *s, metrics_row *rows, int t, os_err *err)
{
    const world *w = s->w;
    const train_params *p = s->p;
    metrics_row *row = &rows[t];
    memset(row, 0, sizeof *row);
    row->round = t;
    row->ref = s->ref;
    row->labels = p->base_labels;
    row->label_cost = p->base_cost;
    if (t > 0) {
        row->labels = rows[t - 1].labels;
        row->label_cost = rows[t - 1].label_cost;
        row->redteam_labels = rows[t - 1].redteam_labels;
        if (p->label_rounds < 0 || t <= p->label_rounds) {
            double margin = rows[t - 1].true_value;
            if (p->query == QUERY_DISAGREEMENT)
                ask_disagreement(w, s->o, s->pol, s->m, p->labels_per_round, margin, s->cand,
                                 s->r, row);
            else
                ask(w, s->o, s->pol, s->m, p->labels_per_round, margin, s->r, row);
            if (p->redteam.budget > 0)
                red_team_round(w, s->o, p, s->pol, s->m, margin, s->ws, s->r, row);
        }
        int rc = 0;
        if ((p->method != PG_DPO && (rc = rm_fit(s->m, err))) ||
            (rc = improve(w, p, s->pol, s->m, s->r, s->ws, err))) {
            err_prefix(err, "training diverged at round %d", t);
            return rc;
        }
    }
    metrics_policy(w, s->o, policy_probs(s->pol), policy_log_probs(s->pol),
                   t > 0 ? reward_of(w, p, s->pol, s->m, s->ws) : NULL, row);
    long bad = metrics_has_deployment(w)
               ? deploy_sample(w, s->pol, p->deploy_episodes, s->deploy) : 0;
    metrics_deployment(w, policy_probs(s->pol), p->deploy_episodes, bad, row);
    const char *field = NULL;
    if (!metrics_finite(row, &field))
        return err_set(err, OS_EDIVERGE, "training diverged at round %d: %s became "
                       "non-finite (NaN or Inf)", t, field);
    return 0;
}

int train_run(const world *w, const overseer *o, const train_params *p,
              metrics_row *rows, double *final_probs, double *final_reward,
              train_round_fn on_round, void *ud, os_err *err)
{
    os_err local;
    if (!err)
        err = &local; /* messages are read back below */
    int rc = train_check(p, NULL, err);
    if (rc || (rc = redteam_check(&p->redteam, w, err)))
        return rc;
    workspace ws = { 0 }; /* before any goto: done frees it */
    candidates cand = { 0 };
    gsl_rng *r = rng_new(p->seed, p->run_id);
    /* the deployment's own stream: measuring deployment draws nothing from
     * training's */
    gsl_rng *deploy = rng_new(p->seed ^ 0x6465706c6f796564ull /* "deployed" */, p->run_id);
    /* weights' own stream: the seed mixed with a constant, so it never
     * coincides with a run's stream */
    gsl_rng *init = rng_new(p->seed ^ 0x6d6f64656c696e69ull /* "modelini" */, p->run_id);
    rm *m = NULL;
    policy *pol = NULL;
    if (!r || !init || !deploy) {
        rc = err_set(err, OS_ENOMEM, "out of memory");
        goto done;
    }
    if (!(m = rm_new_with(w, &p->rm, init, err)) ||
        !(pol = policy_new_model(w, &p->policy_model, init, p->policy_adam, err))) {
        rc = err->code;
        goto done;
    }
    if (p->query == QUERY_DISAGREEMENT) {
        cand.n = n_candidates(p);
        size_t n = (size_t)cand.n + 1; /* sizes below: < 2^31 x 8, no overflow */
        cand.c = malloc(n * sizeof *cand.c);
        cand.b1 = malloc(n * sizeof *cand.b1);
        cand.b2 = malloc(n * sizeof *cand.b2);
        cand.chosen = malloc(n * sizeof *cand.chosen);
        cand.var = malloc(n * sizeof *cand.var);
        if (!cand.c || !cand.b1 || !cand.b2 || !cand.chosen || !cand.var) {
            rc = err_set(err, OS_ENOMEM, "out of memory for %d candidate pairs", cand.n);
            goto done;
        }
    }
    ws.table = malloc((size_t)w->n_cells * sizeof *ws.table); /* n_cells <= 5e7 */
    ws.g = malloc((size_t)w->n_cells * sizeof *ws.g);
    ws.implicit = malloc((size_t)w->n_cells * sizeof *ws.implicit);
    ws.order = malloc((size_t)w->n_beh * sizeof *ws.order);
    if (!ws.table || !ws.g || !ws.implicit || !ws.order) {
        rc = err_set(err, OS_ENOMEM, "out of memory");
        goto done;
    }
    if (p->method == PG_PPO && (rc = policy_reserve(pol, p->batch, err)))
        goto done;
    if (p->redteam.budget > 0) {
        size_t n = (size_t)w->n_redteam, nc = (size_t)w->n_ctx; /* <= 5e7 each */
        ws.rt_work = malloc(4 * n * sizeof *ws.rt_work);
        ws.rt_chosen = malloc((size_t)p->redteam.budget * sizeof *ws.rt_chosen);
        ws.rt_score = malloc(n * sizeof *ws.rt_score);
        ws.rt_hist = calloc(n, sizeof *ws.rt_hist);
        ws.mix = malloc(nc * sizeof *ws.mix);
        ws.mix_cum = malloc(nc * sizeof *ws.mix_cum);
        if (!ws.rt_work || !ws.rt_chosen || !ws.rt_score || !ws.rt_hist || !ws.mix ||
            !ws.mix_cum) {
            rc = err_set(err, OS_ENOMEM, "out of memory for the red team");
            goto done;
        }
        memcpy(ws.mix, w->ctx_weight, nc * sizeof *ws.mix);
        memcpy(ws.mix_cum, w->ctx_cum_weight, nc * sizeof *ws.mix_cum);
        policy_set_context_weights(pol, ws.mix, ws.mix_cum);
    }
    run_state run = { w, o, p, m, pol, r, &ws, &cand, deploy, { 0, 0, 0, 0, 0, 0 } };
    metrics_reference_of(w, o, ws.table, &run.ref);
    for (int t = 0; t <= p->rounds; t++) {
        if ((rc = train_round(&run, rows, t, err)))
            goto done;
        if (on_round && on_round(ud, &rows[t], err)) {
            rc = OS_EINVAL;
            goto done;
        }
    }
    if (final_probs)
        memcpy(final_probs, policy_probs(pol), w->n_cells * sizeof *final_probs);
    if (final_reward)
        memcpy(final_reward, reward_of(w, p, pol, m, &ws), w->n_cells * sizeof *final_reward);
done:
    free(ws.table), free(ws.g), free(ws.implicit), free(ws.order);
    free(ws.rt_work), free(ws.rt_chosen), free(ws.rt_score), free(ws.rt_hist);
    free(ws.mix), free(ws.mix_cum);
    free(cand.c), free(cand.b1), free(cand.b2), free(cand.chosen), free(cand.var);
    policy_free(pol);
    rm_free(m);
    rng_free(init);
    rng_free(deploy);
    rng_free(r);
    return rc;
}
