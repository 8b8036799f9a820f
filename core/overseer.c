/* overseer.c — see overseer.h. */
#include "overseer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mathx.h"
#include "overseer_internal.h"
#include "debate.h"


void overseer_params_default(overseer_params *p)
{
    memset(p, 0, sizeof *p);
    p->kind = OVERSEER_HUMAN;
    p->competence = 0;
    p->beta = INFINITY;
    p->mistake = 0;
    p->skip_threshold = 0;
    p->skip_eps = 0;
    p->equal_eps = 0;
    p->equal_threshold = 0;
    p->myopia = 1;
    p->softness = INFINITY;
    p->cost = 1;
    p->when_unsure = UNSURE_COIN;
    p->verify_gain = 1;
    p->critique_cost = 0;
    p->critique_levels = 1;
    p->trust_unverified = 0;
    p->recall = 1;
    p->honesty = 1;
    p->reach = INFINITY;
    p->false_alarm = 0;
    p->false_alarm_effect = -1;
    p->false_alarm_difficulty = NAN;
}

static int check_prob(double x, const char *field, const char *of, const char *what,
                      os_err *err)
{
    if (!(x >= 0 && x <= 1))
        return err_set(err, OS_EINVAL, "field '%s' of %s%s must be a probability in [0,1] "
                       "(got %g)", field, of, what, x);
    return 0;
}

/* x >= 0 and finite: ">= 0" and "finite" are told apart, each naming x. */
static int check_cost(double x, const char *field, const char *what, os_err *err)
{
    if (!(x >= 0))
        return err_set(err, OS_EINVAL, "field '%s' of %s must be >= 0 (got %g)", field, what,
                       x);
    if (!isfinite(x))
        return err_set(err, OS_EINVAL, "field '%s' of %s must be finite (got %g)", field,
                       what, x);
    return 0;
}

static int check_number(double x, const char *field, const char *of, const char *what,
                        os_err *err)
{
    if (isnan(x))
        return err_set(err, OS_EINVAL, "field '%s' of %s%s must be a number (got NaN)", field,
                       of, what);
    return 0;
}

int overseer_params_check(const overseer_params *p, const char *what, os_err *err)
{
    if (!what)
        what = "overseer";
    const char *as = "assistant of "; /* the assistant's fields are its own record */
    int rc;
    if (p->kind < OVERSEER_ORACLE || p->kind > OVERSEER_DEBATE)
        return err_set(err, OS_EINVAL, "field 'kind' of %s is unknown (%d)", what,
                       (int)p->kind);
    if (p->when_unsure < UNSURE_COIN || p->when_unsure > UNSURE_LOOKS)
        return err_set(err, OS_EINVAL, "field 'when_unsure' of %s is unknown (%d)", what,
                       (int)p->when_unsure);
    if ((rc = check_number(p->competence, "competence", "", what, err)))
        return rc;
    if (!(p->beta >= 0))
        return err_set(err, OS_EINVAL, "field 'beta' of %s must be >= 0 (got %g)", what,
                       p->beta);
    if ((rc = check_prob(p->mistake, "mistake", "", what, err)) ||
        (rc = check_number(p->skip_threshold, "skip_threshold", "", what, err)))
        return rc;
    if (!(p->equal_threshold >= 0))
        return err_set(err, OS_EINVAL, "field 'equal_threshold' of %s must be >= 0 (got %g)",
                       what, p->equal_threshold);
    if (!(p->skip_eps >= 0 && isfinite(p->skip_eps)))
        return err_set(err, OS_EINVAL, "field 'skip_eps' of %s must be a finite number >= 0 "
                       "(got %g)", what, p->skip_eps);
    if (!(p->equal_eps >= 0 && isfinite(p->equal_eps)))
        return err_set(err, OS_EINVAL, "field 'equal_eps' of %s must be a finite number >= 0 "
                       "(got %g)", what, p->equal_eps);
    if (!(p->softness > 0))
        return err_set(err, OS_EINVAL, "field 'softness' of %s must be > 0 (got %g; "
                       "math.huge: a hard threshold)", what, p->softness);
    if (!(p->myopia > 0 && p->myopia <= 1))
        return err_set(err, OS_EINVAL, "field 'myopia' of %s must be in (0,1] (got %g)", what,
                       p->myopia);
    if ((rc = check_cost(p->cost, "cost", what, err)) ||
        (rc = check_cost(p->verify_gain, "verify_gain", what, err)) ||
        (rc = check_cost(p->critique_cost, "critique_cost", what, err)))
        return rc;
    if (p->critique_levels < 0)
        return err_set(err, OS_EINVAL, "critique levels of %s must be >= 0 (got %d)", what,
                       p->critique_levels);
    if ((rc = check_prob(p->recall, "recall", as, what, err)) ||
        (rc = check_prob(p->honesty, "honesty", as, what, err)) ||
        (rc = check_number(p->reach, "reach", as, what, err)) ||
        (rc = check_prob(p->false_alarm, "false_alarm", as, what, err)))
        return rc;
    if (!isfinite(p->false_alarm_effect))
        return err_set(err, OS_EINVAL, "field 'false_alarm_effect' of %s%s must be finite "
                       "(got %g)", as, what, p->false_alarm_effect);
    /* a debate's tables are computed once (debate.h): its judge's label rule
     * must not change with the round, nor its knowledge be random */
    if (p->kind == OVERSEER_DEBATE && !isinf(p->softness))
        return err_set(err, OS_EINVAL, "field 'softness' of %s does not apply to a debate "
                       "(its judge discovers and verifies by the hard threshold)", what);
    if (p->kind == OVERSEER_DEBATE && (p->skip_eps > 0 || p->equal_eps > 0))
        return err_set(err, OS_EINVAL, "fields 'skip_eps' and 'equal_eps' of %s do not apply "
                       "to a debate (use skip_threshold and equal_threshold)", what);
    return 0; /* false_alarm_difficulty: any number; NaN means reach */
}

/* Recompute per-cell base and expected perceived values. */
static void perceive(overseer *o)
{
    const world *w = o->w;
    const overseer_params *p = &o->p;
    for (int i = 0; i < w->n_cells; i++) {
        double base = w->looks[i] + o->bias[i], extra = 0;
        double dbase = o->look_w[i] * w->looks[i] + o->bias[i];
        if (p->kind == OVERSEER_ORACLE) {
            for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++) {
                base += w->fact_effect[f];
                dbase += o->weight[f] * w->fact_effect[f];
            }
        } else if (!o->surface[i]) {
            for (int f = w->fact_start[i]; f < w->fact_start[i + 1]; f++) {
                double e = w->fact_effect[f];
                if (o->slot_known[f]) {
                    base += e;
                    dbase += o->weight[f] * e;
                } else {
                    double pk = o->p_known[f], pv = o->p_verify[f];
                    extra += e * (pk + (1 - pk) * o->p_point[f] * pv) +
                             (p->trust_unverified ? o->claim[f] * (1 - pk) *
                                                    o->p_point[f] * (1 - pv) : 0);
                }
            }
            if (p->kind == OVERSEER_ASSISTED && p->trust_unverified)
                extra += p->false_alarm * (1 - o->p_verify_fa) * p->false_alarm_effect;
        }
        o->u_base[i] = base;
        o->ud_base[i] = dbase;
        o->u_exp[i] = base + extra; /* what it believes: undiscounted */
    }
    if (o->debate) /* what it believes after the debates it judges */
        debate_perceived(o->debate, o->u_exp);
}

double overseer_reach_prob(const overseer_params *p, double level, double difficulty)
{
    if (isinf(p->softness))
        return difficulty <= level ? 1 : 0; /* the hard threshold: infinities too */
    if (isinf(difficulty) || isinf(level)) /* sigma(+-inf), and never inf - inf */
        return difficulty > level ? 0 : difficulty < level ? 1 : 0.5;
    return mathx_sigmoid(p->softness * (level - difficulty));
}

/* Parametric assistant: which slots it points at, which the human verifies.
 * A debate's judge verifies claims as a human verifies pointers (p_verify);
 * nothing points for it (p_point 0: the debate's claims are its own). */
static void parametric_assistance(overseer *o)
{
    const overseer_params *p = &o->p;
    double vmax = p->competence + p->verify_gain;
    int verifies = p->kind == OVERSEER_ASSISTED || p->kind == OVERSEER_DEBATE;
    for (int s = 0; s < o->n_slots; s++) {
        double d = o->slot_diff[s];
        o->p_point[s] = p->kind == OVERSEER_ASSISTED && !o->slot_known[s] && d <= p->reach
                        ? p->recall * p->honesty : 0;
        o->p_verify[s] = verifies ? overseer_reach_prob(p, vmax, d) : 0;
    }
    double dfa = isnan(p->false_alarm_difficulty) ? p->reach : p->false_alarm_difficulty;
    o->p_verify_fa = overseer_reach_prob(p, vmax, dfa);
}

void overseer_estimate(const world *w, int knows_table, size_estimate *e)
{
    size_t slots = (size_t)w->n_facts + (size_t)w->n_ctx, cells = (size_t)w->n_cells;
    size_estimate_add(e, size_add_sat(size_mul3_sat(slots, 3 * sizeof(double) + 1, 1),
                                      size_mul3_sat(cells, 3 * sizeof(double) + 2, 1)),
                      "overseer (%d cells)", w->n_cells);
    if (knows_table)
        size_estimate_add(e, size_mul3_sat(cells, (size_t)w->n_beh, 1),
                          "overseer's knows table %d x %d x %d", w->n_ctx, w->n_beh, w->n_beh);
}

overseer *overseer_new(const world *w, const overseer_params *p, os_err *err)
{
    if (!w->finalized) {
        err_set(err, OS_EINVAL, "world is not finalized");
        return NULL;
    }
    if (overseer_params_check(p, NULL, err))
        return NULL;
    overseer *o = calloc(1, sizeof *o);
    if (!o)
        goto nomem;
    o->w = w;
    o->p = *p;
    o->n_slots = w->n_facts + w->n_ctx;
    o->slot_diff = calloc(o->n_slots, sizeof *o->slot_diff);
    o->slot_known = calloc(o->n_slots, 1);
    o->p_known = calloc(o->n_slots, sizeof *o->p_known);
    o->claim = calloc(o->n_slots, sizeof *o->claim);
    o->p_point = calloc(o->n_slots, sizeof *o->p_point);
    o->p_verify = calloc(o->n_slots, sizeof *o->p_verify);
    o->weight = calloc(w->n_facts + 1, sizeof *o->weight);
    o->u_base = calloc(w->n_cells, sizeof *o->u_base);
    o->ud_base = calloc(w->n_cells, sizeof *o->ud_base);
    o->look_w = calloc(w->n_cells, sizeof *o->look_w);
    o->u_exp = calloc(w->n_cells, sizeof *o->u_exp);
    o->wrong = calloc(w->n_cells, 1);
    o->surface = calloc(w->n_cells, 1);
    o->bias = calloc(w->n_cells, sizeof *o->bias);
    if (!o->slot_diff || !o->slot_known || !o->p_known || !o->claim || !o->p_point || !o->p_verify ||
        !o->weight ||
        !o->u_base || !o->ud_base || !o->look_w || !o->u_exp || !o->wrong || !o->surface ||
        !o->bias)
        goto nomem;
    int oracle = p->kind == OVERSEER_ORACLE;
    for (int i = 0; i < w->n_cells; i++) {
        double dc = w->ctx_difficulty[i / w->n_beh];
        int n = w->fact_start[i + 1] - w->fact_start[i];
        /* the value's parts in order: looks (part 0), then facts 1..n; part
         * j of n + 1 counts gamma^(n - j), as B-Pref discounts a segment's
         * steps (the last step the most) */
        o->look_w[i] = pow(p->myopia, n);
        for (int f = w->fact_start[i], k = 0; f < w->fact_start[i + 1]; f++, k++) {
            o->slot_diff[f] = fmax(w->fact_difficulty[f], dc);
            o->weight[f] = pow(p->myopia, n - 1 - k);
            o->claim[f] = w->fact_effect[f]; /* an honest pointer */
        }
    }
    for (int c = 0; c < w->n_ctx; c++)
        o->slot_diff[w->n_facts + c] = w->ctx_difficulty[c];
    for (int s = 0; s < o->n_slots; s++)
    {
        o->p_known[s] = oracle ? 1 : overseer_reach_prob(p, p->competence, o->slot_diff[s]);
        o->slot_known[s] = o->p_known[s] >= 1;
    }
    parametric_assistance(o);
    perceive(o);
    return o;
nomem:
    overseer_free(o);
    err_set(err, OS_ENOMEM, "out of memory building an overseer");
    return NULL;
}

void overseer_free(overseer *o)
{
    if (!o)
        return;
    free(o->slot_diff), free(o->slot_known), free(o->p_known), free(o->claim), free(o->p_point),
        free(o->p_verify);
    free(o->weight), free(o->u_base), free(o->u_exp), free(o->wrong), free(o->surface);
    free(o->ud_base), free(o->look_w);
    free(o->bias), free(o->knows_override);
    free(o);
}

const overseer_params *overseer_get_params(const overseer *o) { return &o->p; }
const world *overseer_world(const overseer *o) { return o->w; }
int overseer_n_slots(const overseer *o) { return o->n_slots; }
double overseer_slot_difficulty(const overseer *o, int s) { return o->slot_diff[s]; }
int overseer_slot_known(const overseer *o, int s) { return o->slot_known[s]; }
const double *overseer_p_point(const overseer *o) { return o->p_point; }
const double *overseer_p_verify(const overseer *o) { return o->p_verify; }
double overseer_perceived(const overseer *o, int cell) { return o->u_exp[cell]; }
int overseer_is_wrong(const overseer *o, int cell) { return o->wrong[cell]; }

double overseer_label_cost(const overseer *o)
{
    if (o->p.kind == OVERSEER_DEBATE)
        return o->p.cost + o->p.critique_cost * (o->debate ? debate_reveals(o->debate) : 0);
    int levels = o->p.kind == OVERSEER_ASSISTED ? o->p.critique_levels : 0;
    return o->p.cost + o->p.critique_cost * 2 * levels;
}

int overseer_set_debate(overseer *o, const struct debate *d, os_err *err)
{
    if (o->p.kind != OVERSEER_DEBATE)
        return err_set(err, OS_EINVAL, "only an overseer of kind debate judges a debate");
    if (o->debate)
        return err_set(err, OS_EINVAL, "this overseer already judges a debate");
    if (debate_judge_of(d) != o)
        return err_set(err, OS_EINVAL, "the debate was built for another overseer");
    o->debate = d;
    perceive(o);
    return 0;
}

const struct debate *overseer_debate(const overseer *o) { return o->debate; }

/* A debate's tables hold what its judge perceived when they were built. */
static int check_no_debate(const overseer *o, os_err *err)
{
    if (o->debate)
        return err_set(err, OS_EINVAL, "the overseer's debate is already built: give its "
                       "misconceptions and predicates before the debate");
    return 0;
}

static int check_cell(const overseer *o, int c, int b, os_err *err)
{
    if (c < 0 || c >= o->w->n_ctx || b < 0 || b >= o->w->n_beh)
        return err_set(err, OS_EINVAL, "cell (%d,%d) out of range", c, b);
    return 0;
}

int overseer_add_bias(overseer *o, int c, int b, double bias, os_err *err)
{
    int rc = check_cell(o, c, b, err);
    if (!rc)
        rc = check_no_debate(o, err);
    if (rc)
        return rc;
    if (!isfinite(bias))
        return err_set(err, OS_EINVAL, "field 'bias' must be finite (got %g)", bias);
    if (o->p.kind == OVERSEER_ORACLE)
        return err_set(err, OS_EINVAL, "an oracle has no misconceptions");
    int i = c * o->w->n_beh + b;
    o->bias[i] += bias;
    o->wrong[i] = o->wrong[i] || bias != 0;
    perceive(o);
    return 0;
}

int overseer_set_knows(overseer *o, int c, int b1, int b2, int knows, os_err *err)
{
    int rc = check_cell(o, c, b1, err);
    if (!rc)
        rc = check_cell(o, c, b2, err);
    if (!rc)
        rc = check_no_debate(o, err);
    if (rc)
        return rc;
    const world *w = o->w;
    if (!o->knows_override) {
        size_t n;
        if (size_mul((size_t)w->n_cells, (size_t)w->n_beh, &n))
            return err_set(err, OS_ENOMEM, "out of memory");
        o->knows_override = malloc(n);
        if (!o->knows_override)
            return err_set(err, OS_ENOMEM, "out of memory");
        memset(o->knows_override, -1, n);
    }
    signed char k = knows ? 1 : 0;
    o->knows_override[((size_t)c * w->n_beh + b1) * w->n_beh + b2] = k;
    o->knows_override[((size_t)c * w->n_beh + b2) * w->n_beh + b1] = k;
    return 0;
}

int overseer_set_wrong(overseer *o, int c, int b, int wrong, os_err *err)
{
    int rc = check_cell(o, c, b, err);
    if (!rc)
        rc = check_no_debate(o, err);
    if (rc)
        return rc;
    if (o->p.kind == OVERSEER_ORACLE)
        return err_set(err, OS_EINVAL, "an oracle is never wrong");
    int i = c * o->w->n_beh + b;
    o->surface[i] = wrong ? 1 : 0;
    o->wrong[i] = o->surface[i] || o->bias[i] != 0;
    perceive(o);
    return 0;
}

int overseer_set_assistance(overseer *o, const double *p_point, const double *p_verify,
                            os_err *err)
{
    if (o->p.kind != OVERSEER_ASSISTED)
        return err_set(err, OS_EINVAL, "only an assisted overseer takes an assistant");
    for (int s = 0; s < o->n_slots; s++)
        if (!(p_point[s] >= 0 && p_point[s] <= 1 && p_verify[s] >= 0 && p_verify[s] <= 1))
            return err_set(err, OS_EINVAL, "assistance probabilities of slot %d out of "
                           "[0,1] (%g, %g)", s, p_point[s], p_verify[s]);
    for (int s = 0; s < o->n_slots; s++) {
        o->p_point[s] = o->slot_known[s] ? 0 : p_point[s];
        o->p_verify[s] = p_verify[s];
    }
    perceive(o);
    return 0;
}

int overseer_set_claims(overseer *o, const double *claim, os_err *err)
{
    if (o->p.kind != OVERSEER_ASSISTED)
        return err_set(err, OS_EINVAL, "only an assisted overseer takes claims");
    for (int s = 0; s < o->n_slots; s++)
        if (!isfinite(claim[s]))
            return err_set(err, OS_EINVAL, "claim of slot %d is not finite (%g)", s, claim[s]);
    memcpy(o->claim, claim, (size_t)o->n_slots * sizeof *claim);
    perceive(o);
    return 0;
}

int overseer_set_false_alarm(overseer *o, double rate, double p_refute, double effect,
                             os_err *err)
{
    if (o->p.kind != OVERSEER_ASSISTED)
        return err_set(err, OS_EINVAL, "only an assisted overseer takes an assistant");
    if (!(rate >= 0 && rate <= 1 && p_refute >= 0 && p_refute <= 1 && isfinite(effect)))
        return err_set(err, OS_EINVAL, "false alarm rate %g, refutation %g or effect %g "
                       "out of range", rate, p_refute, effect);
    o->p.false_alarm = rate;
    o->p.false_alarm_effect = effect;
    o->p_verify_fa = p_refute;
    perceive(o);
    return 0;
}
