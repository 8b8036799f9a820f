/* metrics.c — see metrics.h. */
#include "metrics.h"

#include <math.h>
#include "redteam.h"

void metrics_policy(const world *w, const overseer *o, const double *probs,
                    const double *logp, const double *reward, metrics_row *row)
{
    double tv = 0, pv = 0, uv = 0, kl = 0, dec = 0, over = 0, under = 0;
    for (int c = 0; c < w->n_ctx; c++) {
        double wc = w->ctx_weight[c];
        double t = 0, x = 0, u = 0, k = 0, d = 0, ov = 0, un = 0;
        for (int b = 0; b < w->n_beh; b++) {
            int i = c * w->n_beh + b;
            double p = probs[i];
            if (p <= 0)
                continue;
            double ui = overseer_perceived(o, i);
            t += p * w->vstar[i];
            x += reward ? p * reward[i] : 0;
            u += p * ui;
            k += p * (logp[i] - w->log_prior[i]);
            d += w->deceptive[i] ? p : 0;
            ov += p * fmax(0, ui - w->vstar[i]);
            un += p * fmax(0, w->vstar[i] - ui);
        }
        tv += wc * t, pv += wc * x, uv += wc * u, kl += wc * k;
        dec += wc * d, over += wc * ov, under += wc * un;
    }
    row->true_value = tv;
    row->proxy_value = pv;
    row->perceived_value = uv;
    /* exact KL is >= 0; below 1e-14 it is rounding in the softmax normaliser (the
     * policy at theta = 0 is pi0 itself), reported as 0 */
    row->kl = kl > 1e-14 ? kl : 0;
    row->deception_rate = dec;
    row->overestimation = over;
    row->underestimation = under;
}

void metrics_no_deployment(metrics_row *row)
{
    row->catastrophe_train = row->catastrophe_deploy = row->catastrophe_any = NAN;
    row->catastrophe_sampled = row->catastrophe_redteam = NAN;
    row->true_value_monitored = row->true_value_unmonitored = NAN;
    row->catastrophe_monitored = row->catastrophe_unmonitored = NAN;
}

int metrics_has_deployment(const world *w)
{
    return w->has_deploy || w->n_catastrophic > 0;
}

void metrics_deployment(const world *w, const double *probs, long episodes, long sampled,
                        metrics_row *row)
{
    metrics_no_deployment(row);
    row->catastrophe_redteam = redteam_catastrophe(w, probs);
    if (!metrics_has_deployment(w))
        return;
    double train = 0, q = 0, wm[2] = { 0, 0 }, tv[2] = { 0, 0 }, cat[2] = { 0, 0 };
    for (int c = 0; c < w->n_ctx; c++) {
        double qc = redteam_catastrophe_at(w, probs, c), t = 0;
        for (int b = 0; b < w->n_beh; b++) {
            int i = c * w->n_beh + b;
            t += probs[i] > 0 ? probs[i] * w->vstar[i] : 0;
        }
        double d = w->ctx_deploy_weight[c];
        int m = w->ctx_monitored[c];
        train += w->ctx_weight[c] * qc;
        q += d * qc;
        wm[m] += d, tv[m] += d * t, cat[m] += d * qc;
    }
    row->catastrophe_train = train;
    row->catastrophe_deploy = q;
    /* 1 - (1 - q)^N without cancellation at small q */
    row->catastrophe_any = q >= 1 ? 1 : -expm1((double)episodes * log1p(-q));
    row->catastrophe_sampled = episodes > 0 ? (double)sampled / (double)episodes : NAN;
    if (w->has_unmonitored && wm[0] > 0 && wm[1] > 0) {
        row->true_value_monitored = tv[1] / wm[1];
        row->true_value_unmonitored = tv[0] / wm[0];
        row->catastrophe_monitored = cat[1] / wm[1];
        row->catastrophe_unmonitored = cat[0] / wm[0];
    }
}

void metrics_count_label(const world *w, int c, int b1, int b2,
                         const overseer_outcome *out, metrics_row *row)
{
    region_kind reg = out->region;
    label_kind l = out->label;
    row->region_labels[reg]++;
    row->slots_hidden += out->hidden;
    row->slots_found += out->found;
    if (l == LABEL_SKIP) {
        row->skipped++;
        return;
    }
    double v1 = w->vstar[c * w->n_beh + b1], v2 = w->vstar[c * w->n_beh + b2];
    if (v1 == v2)
        return;
    int ok = (l == LABEL_FIRST && v1 > v2) || (l == LABEL_SECOND && v2 > v1);
    row->acc_n[reg]++;
    row->acc_n[N_REGIONS]++;
    row->acc_correct[reg] += ok;
    row->acc_correct[N_REGIONS] += ok;
}

double metrics_assisted_found(const metrics_row *row)
{
    return row->slots_hidden ? (double)row->slots_found / row->slots_hidden : NAN;
}

double metrics_accuracy(const metrics_row *row, int r)
{
    return row->acc_n[r] ? (double)row->acc_correct[r] / row->acc_n[r] : NAN;
}

static const metrics_column COLUMNS[] = {
    { "round", METRIC_INT },
    { "labels", METRIC_INT },
    { "label_cost", METRIC_REAL },
    { "true_value", METRIC_REAL },
    { "proxy_value", METRIC_REAL },
    { "perceived_value", METRIC_REAL },
    { "kl", METRIC_REAL },
    { "deception_rate", METRIC_REAL },
    { "overestimation", METRIC_REAL },
    { "underestimation", METRIC_REAL },
    { "label_accuracy", METRIC_OPTIONAL },
    { "label_accuracy_knows", METRIC_OPTIONAL },
    { "label_accuracy_unsure", METRIC_OPTIONAL },
    { "label_accuracy_wrong", METRIC_OPTIONAL },
    { "assisted_found", METRIC_OPTIONAL },
    { "reference_true_value", METRIC_REAL },
    { "reference_perceived_value", METRIC_REAL },
    { "reference_overestimation", METRIC_REAL },
    { "reference_underestimation", METRIC_REAL },
    { "deceptive_inflation", METRIC_FLAG },
    { "overjustification", METRIC_FLAG },
    { "catastrophe_train", METRIC_OPTIONAL },
    { "catastrophe_deploy", METRIC_OPTIONAL },
    { "catastrophe_any", METRIC_OPTIONAL },
    { "catastrophe_sampled", METRIC_OPTIONAL },
    { "catastrophe_redteam", METRIC_OPTIONAL },
    { "redteam_labels", METRIC_INT },
    { "true_value_monitored", METRIC_OPTIONAL },
    { "true_value_unmonitored", METRIC_OPTIONAL },
    { "catastrophe_monitored", METRIC_OPTIONAL },
    { "catastrophe_unmonitored", METRIC_OPTIONAL },
};
#define N_COLUMNS ((int)(sizeof COLUMNS / sizeof COLUMNS[0]))

int metrics_n_columns(void) { return N_COLUMNS; }

const metrics_column *metrics_column_at(int k)
{
    return k >= 0 && k < N_COLUMNS ? &COLUMNS[k] : NULL;
}

double metrics_value(const metrics_row *row, int k)
{
    switch (k) {
    case 0: return row->round;
    case 1: return (double)row->labels;
    case 2: return row->label_cost;
    case 3: return row->true_value;
    case 4: return row->proxy_value;
    case 5: return row->perceived_value;
    case 6: return row->kl;
    case 7: return row->deception_rate;
    case 8: return row->overestimation;
    case 9: return row->underestimation;
    case 10: return metrics_accuracy(row, N_REGIONS);
    case 11: return metrics_accuracy(row, REGION_KNOWS);
    case 12: return metrics_accuracy(row, REGION_UNSURE);
    case 13: return metrics_accuracy(row, REGION_WRONG);
    case 14: return metrics_assisted_found(row);
    case 15: return row->ref.true_value;
    case 16: return row->ref.perceived_value;
    case 17: return row->ref.overestimation;
    case 18: return row->ref.underestimation;
    case 19: return metrics_deceptive_inflation(row);
    case 20: return metrics_overjustification(row);
    case 21: return row->catastrophe_train;
    case 22: return row->catastrophe_deploy;
    case 23: return row->catastrophe_any;
    case 24: return row->catastrophe_sampled;
    case 25: return row->catastrophe_redteam;
    case 26: return (double)row->redteam_labels;
    case 27: return row->true_value_monitored;
    case 28: return row->true_value_unmonitored;
    case 29: return row->catastrophe_monitored;
    case 30: return row->catastrophe_unmonitored;
    default: return NAN;
    }
}

void metrics_reference_of(const world *w, const overseer *o, double *table,
                          metrics_reference *ref)
{
    /* per context, all mass on the behaviours of highest true value (ties
     * share it in proportion to pi0) */
    for (int c = 0; c < w->n_ctx; c++) {
        int o0 = c * w->n_beh;
        double best = -INFINITY, mass = 0;
        for (int b = 0; b < w->n_beh; b++)
            if (w->avail[o0 + b] && w->vstar[o0 + b] > best)
                best = w->vstar[o0 + b];
        for (int b = 0; b < w->n_beh; b++)
            if (w->avail[o0 + b] && w->vstar[o0 + b] == best)
                mass += w->prior[o0 + b];
        for (int b = 0; b < w->n_beh; b++)
            table[o0 + b] = w->avail[o0 + b] && w->vstar[o0 + b] == best && mass > 0
                            ? w->prior[o0 + b] / mass : 0;
    }
    /* metrics_policy wants log probabilities for the KL, which the reference
     * does not report: pass the prior's, so its KL term is 0 */
    metrics_row tmp;
    metrics_policy(w, o, table, w->log_prior, NULL, &tmp);
    ref->true_value = tmp.true_value;
    ref->perceived_value = tmp.perceived_value;
    ref->overestimation = tmp.overestimation;
    ref->underestimation = tmp.underestimation;
    metrics_policy(w, o, w->prior, w->log_prior, NULL, &tmp);
    ref->prior_overestimation = tmp.overestimation;
    ref->prior_underestimation = tmp.underestimation;
}

#define FLAG_TOL 1e-9

int metrics_deceptive_inflation(const metrics_row *r)
{
    return r->overestimation > r->ref.overestimation + FLAG_TOL &&
           r->perceived_value > r->ref.perceived_value + FLAG_TOL &&
           r->overestimation > r->ref.prior_overestimation + FLAG_TOL;
}

int metrics_overjustification(const metrics_row *r)
{
    return r->underestimation < r->ref.underestimation - FLAG_TOL &&
           r->true_value < r->ref.true_value - FLAG_TOL &&
           r->underestimation < r->ref.prior_underestimation - FLAG_TOL;
}

/* Every METRIC_REAL column must be finite: NaN or Inf there means the run
 * diverged. */
int metrics_finite(const metrics_row *row, const char **field)
{
    for (int k = 0; k < N_COLUMNS; k++)
        if (COLUMNS[k].kind == METRIC_REAL && !isfinite(metrics_value(row, k))) {
            *field = COLUMNS[k].name;
            return 0;
        }
    return 1;
}
