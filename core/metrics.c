/* metrics.c — see metrics.h. */
#include "metrics.h"

#include <math.h>

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

int metrics_finite(const metrics_row *row, const char **field)
{
    struct { const char *name; double v; } f[] = {
        { "label_cost", row->label_cost },       { "true_value", row->true_value },
        { "proxy_value", row->proxy_value },     { "perceived_value", row->perceived_value },
        { "kl", row->kl },                       { "deception_rate", row->deception_rate },
        { "overestimation", row->overestimation }, { "underestimation", row->underestimation },
    };
    for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!isfinite(f[i].v)) {
            *field = f[i].name;
            return 0;
        }
    return 1;
}
