/* train.c — see train.h. */
#include "train.h"

#include <math.h>
#include <string.h>
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
    p->base_labels = 0;
    p->base_cost = 0;
}

int train_check(const train_params *p, os_err *err)
{
    if (p->rounds < 0)
        return err_set(err, OS_EINVAL, "field 'rounds' must be >= 0 (got %d)", p->rounds);
    if (p->labels_per_round < 0)
        return err_set(err, OS_EINVAL, "field 'labels_per_round' must be >= 0 (got %d)",
                       p->labels_per_round);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return err_set(err, OS_EINVAL, "field 'lr' of policy must be a finite number > 0 "
                       "(got %g)", p->lr);
    if (!(p->kl_coef > 0) || !isfinite(p->kl_coef))
        return err_set(err, OS_EINVAL, "field 'kl' of policy must be a finite number > 0 "
                       "(got %g)", p->kl_coef);
    if (p->steps < 0)
        return err_set(err, OS_EINVAL, "field 'steps' of policy must be >= 0 (got %d)", p->steps);
    if (p->base_labels < 0 || !(p->base_cost >= 0))
        return err_set(err, OS_EINVAL, "base labels and cost must be >= 0");
    if (p->batch < 1)
        return err_set(err, OS_EINVAL, "field 'batch' of policy must be >= 1 (got %d)", p->batch);
    if (p->method != PG_EXACT && p->method != PG_REINFORCE)
        return err_set(err, OS_EINVAL, "unknown policy method");
    return 0;
}

/* Ask for one round of labels on pairs drawn from the current policy. */
static void ask(const world *w, const overseer *o, const policy *pol, rm *m,
                int n, gsl_rng *r, metrics_row *row)
{
    double cost = overseer_label_cost(o);
    for (int k = 0; k < n; k++) {
        int c = rng_pick_cumulative(r, w->ctx_cum_weight, w->n_ctx);
        if (w->ctx_n_avail[c] < 2)
            continue; /* nothing to compare here */
        int b1 = policy_sample(pol, c, r);
        int b2 = policy_sample_other(pol, c, b1, r);
        overseer_outcome out;
        overseer_judge(o, c, b1, b2, r, &out);
        rm_add_label(m, c, b1, b2, out.label);
        metrics_count_label(w, c, b1, b2, &out, row);
        row->labels++;
        row->label_cost += cost;
    }
}

int train_run(const world *w, const overseer *o, const train_params *p,
              metrics_row *rows, double *final_probs, double *final_reward,
              train_round_fn on_round, void *ud, os_err *err)
{
    os_err local;
    if (!err)
        err = &local; /* messages are read back below */
    int rc = train_check(p, err);
    if (rc)
        return rc;
    gsl_rng *r = rng_new(p->seed, p->run_id);
    rm *m = NULL;
    policy *pol = NULL;
    if (!r) {
        rc = err_set(err, OS_ENOMEM, "out of memory");
        goto done;
    }
    if (!(m = rm_new(w, &p->rm, err)) || !(pol = policy_new(w, err))) {
        rc = err->code;
        goto done;
    }
    const char *field = NULL;
    for (int t = 0; t <= p->rounds; t++) {
        metrics_row *row = &rows[t];
        memset(row, 0, sizeof *row);
        row->round = t;
        row->labels = p->base_labels;
        row->label_cost = p->base_cost;
        if (t > 0) {
            row->labels = rows[t - 1].labels;
            row->label_cost = rows[t - 1].label_cost;
            ask(w, o, pol, m, p->labels_per_round, r, row);
            if ((rc = rm_fit(m, err)))
                goto diverged;
            const double *rew = rm_rewards(m);
            for (int s = 0; s < p->steps; s++) {
                rc = p->method == PG_EXACT
                    ? policy_step_exact(pol, rew, p->kl_coef, p->lr, err)
                    : policy_step_reinforce(pol, rew, p->kl_coef, p->lr, p->batch, r, err);
                if (rc)
                    goto diverged;
            }
        }
        metrics_policy(w, o, policy_probs(pol), policy_log_probs(pol),
                       t > 0 ? rm_rewards(m) : NULL, row);
        if (!metrics_finite(row, &field)) {
            rc = err_set(err, OS_EDIVERGE, "training diverged at round %d: %s became "
                         "non-finite (NaN or Inf)", t, field);
            goto done;
        }
        if (on_round && on_round(ud, row, err)) {
            rc = OS_EINVAL;
            goto done;
        }
        continue;
    diverged: {
            char msg[sizeof err->msg];
            memcpy(msg, err->msg, sizeof msg);
            err_set(err, OS_EDIVERGE, "training diverged at round %d: %s", t, msg);
            goto done;
        }
    }
    if (final_probs)
        memcpy(final_probs, policy_probs(pol), w->n_cells * sizeof *final_probs);
    if (final_reward)
        memcpy(final_reward, rm_rewards(m), w->n_cells * sizeof *final_reward);
done:
    policy_free(pol);
    rm_free(m);
    rng_free(r);
    return rc;
}
