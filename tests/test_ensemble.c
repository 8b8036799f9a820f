/* test_ensemble.c — MLP reward models and policies in training, reward-model
 * ensembles and disagreement queries (issue 4): an MLP reward model learns an
 * oracle's preferences on a nonlinear value (held-out pairs), ensemble members
 * differ and their mean is the reward, disagreement selection ranks a
 * constructed case correctly, MLP runs are reproducible (also across sweep
 * workers), linear defaults are untouched, and the Lua errors. */
#include "helpers.h"
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "lua_harness.h"
#include "rm.h"
#include "rng.h"
#include "train.h"

enum { NC = 6, NB = 12, DIM = 4 };

/* NC x NB cells with 4 features N(0, 1/4) and a value that is not linear in
 * them: v = 2 x0 - x1 + 6 x2 x3 + 2 tanh(3 x1 x0) (no hidden facts). */
static world *nonlinear_world(uint64_t seed)
{
    gsl_rng *r = rng_new(seed, 3);
    double phi[NC * NB * DIM], looks[NC * NB];
    for (int i = 0; i < NC * NB; i++) {
        double *x = phi + i * DIM;
        for (int k = 0; k < DIM; k++)
            x[k] = gsl_ran_gaussian(r, 0.5);
        looks[i] = 2 * x[0] - x[1] + 6 * x[2] * x[3] + 2 * tanh(3 * x[1] * x[0]);
    }
    rng_free(r);
    os_err err = { 0 };
    world *w = world_new(NC, NB, &err);
    char name[16];
    for (int c = 0; c < NC; c++) {
        snprintf(name, sizeof name, "c%d", c);
        assert_int_equal(world_set_context(w, c, name, 1, 0, 0, &err), 0);
    }
    for (int b = 0; b < NB; b++) {
        snprintf(name, sizeof name, "b%d", b);
        assert_int_equal(world_set_behaviour(w, b, name, 0, &err), 0);
    }
    for (int i = 0; i < NC * NB; i++)
        assert_int_equal(world_set_cell(w, i / NB, i % NB, looks[i], 1, &err), 0);
    assert_int_equal(world_set_features(w, DIM, phi, &err), 0);
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    return w;
}

/* Held-out split of the distinct pairs: (c, b1 < b2) is held out when
 * (c + b1 + 2 b2) % 4 == 0. */
static int held_out(int c, int b1, int b2)
{
    return (c + b1 + 2 * b2) % 4 == 0;
}

/* Share of held-out pairs (|v1 - v2| > 0.2) the rewards order as v* does. */
static double held_out_accuracy(const world *w, const double *r)
{
    int n = 0, ok = 0;
    for (int c = 0; c < NC; c++)
        for (int b1 = 0; b1 < NB; b1++)
            for (int b2 = b1 + 1; b2 < NB; b2++) {
                int i1 = c * NB + b1, i2 = c * NB + b2;
                if (!held_out(c, b1, b2) || fabs(w->vstar[i1] - w->vstar[i2]) <= 0.2)
                    continue;
                n++;
                ok += (r[i1] - r[i2] > 0) == (w->vstar[i1] - w->vstar[i2] > 0);
            }
    return (double)ok / n;
}

/* Oracle labels (beta 3) on 20k random training pairs, then a fit. */
static double fit_and_score(const world *w, const rm_params *p, uint64_t seed)
{
    os_err err = { 0 };
    gsl_rng *r = rng_new(seed, 1);
    rm *m = rm_new_with(w, p, r, &err);
    if (!m)
        fail_msg("rm_new_with: %s", err.msg);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 3);
    for (int k = 0; k < 20000;) {
        int c = (int)gsl_rng_uniform_int(r, NC);
        int b1 = (int)gsl_rng_uniform_int(r, NB), b2 = (int)gsl_rng_uniform_int(r, NB);
        if (b1 == b2 || held_out(c, b1 < b2 ? b1 : b2, b1 < b2 ? b2 : b1))
            continue;
        rm_add_label(m, c, b1, b2, overseer_label(o, c, b1, b2, r));
        k++;
    }
    if (rm_fit(m, &err))
        fail_msg("rm_fit: %s", err.msg);
    double acc = held_out_accuracy(w, rm_rewards(m));
    overseer_free(o);
    rm_free(m);
    rng_free(r);
    return acc;
}

/* An MLP reward model (2 x 32 tanh, Adam) orders >= 90% of held-out pairs as
 * the nonlinear v* does, and clearly better than the linear model can. */
static void test_mlp_rm_fits_oracle(void **state)
{
    (void)state;
    world *w = nonlinear_world(1);
    rm_params p;
    rm_params_default(&p);
    p.l2 = 1e-5;
    double lin = fit_and_score(w, &p, 2);
    p.model = (model_spec){ .kind = MODEL_MLP, .n_layers = 2, .hidden = { 32, 32 },
                            .activation = MODEL_TANH };
    p.method = RM_FIT_ADAM, p.lr = 0.01, p.max_iter = 1000;
    double mlp = fit_and_score(w, &p, 2);
    printf("held-out pairwise accuracy: linear %.3f, mlp %.3f\n", lin, mlp);
    assert_true(mlp >= 0.9);
    assert_true(mlp >= lin + 0.05);
    world_free(w);
}

/* K = 4 MLP members, each its own init, fitted on the same labels: they
 * differ (most where labels are few), and the reward is exactly their mean. */
static void test_ensemble_members_differ(void **state)
{
    (void)state;
    world *w = nonlinear_world(2);
    rm_params p;
    rm_params_default(&p);
    p.model = (model_spec){ .kind = MODEL_MLP, .n_layers = 1, .hidden = { 16 },
                            .activation = MODEL_RELU };
    p.method = RM_FIT_ADAM, p.lr = 0.01, p.max_iter = 300, p.ensemble = 4;
    os_err err = { 0 };
    gsl_rng *r = rng_new(5, 5);
    rm *m = rm_new_with(w, &p, r, &err);
    assert_non_null(m);
    assert_int_equal(rm_ensemble(m), 4);
    overseer *o = h_overseer(w, OVERSEER_ORACLE, 0, 3);
    for (int k = 0; k < 300; k++) { /* context 0 only: the others stay unlabelled */
        int b1 = (int)gsl_rng_uniform_int(r, NB), b2 = (int)gsl_rng_uniform_int(r, NB);
        rm_add_label(m, 0, b1, b2, overseer_label(o, 0, b1, b2, r));
    }
    assert_int_equal(rm_fit(m, &err), 0);
    double spread_lab = 0, spread_unl = 0;
    for (int i = 0; i < w->n_cells; i++) {
        double mean = 0;
        for (int k = 0; k < 4; k++)
            mean += rm_member_rewards(m, k)[i] / 4;
        assert_close(rm_rewards(m)[i], mean, 1e-12);
    }
    /* pair variance, by hand, averaged over the pairs of context 0 and 5 */
    for (int c = 0; c < NC; c += 5)
        for (int b1 = 0; b1 < NB; b1++)
            for (int b2 = b1 + 1; b2 < NB; b2++) {
                double d[4], mu = 0, v = 0;
                for (int k = 0; k < 4; k++) {
                    const double *rk = rm_member_rewards(m, k);
                    d[k] = rk[c * NB + b1] - rk[c * NB + b2];
                    mu += d[k] / 4;
                }
                for (int k = 0; k < 4; k++)
                    v += (d[k] - mu) * (d[k] - mu) / 4;
                assert_close(rm_pair_variance(m, c, b1, b2), v, 1e-12);
                *(c == 0 ? &spread_lab : &spread_unl) += v;
            }
    printf("mean pair variance: labelled context %.4f, unlabelled %.4f\n",
           spread_lab / 66, spread_unl / 66);
    assert_true(spread_unl > 0.01);
    assert_true(spread_unl > 3 * spread_lab);
    overseer_free(o);
    rm_free(m);
    rng_free(r);
    world_free(w);
}

/* A constructed case: three tabular members whose scores are set by hand.
 * Pair variances are known, and rm_pick_disagreement returns the largest
 * first, ties to the earlier candidate, never more than asked or offered. */
static void test_disagreement_picks_high_variance(void **state)
{
    (void)state;
    world *w = h_world(2, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0); /* one-hot */
    rm_params p;
    rm_params_default(&p);
    p.ensemble = 3;
    os_err err = { 0 };
    gsl_rng *r = rng_new(1, 1);
    rm *m = rm_new_with(w, &p, r, &err);
    assert_non_null(m);
    /* member scores per cell (c0: b0 b1 b2, c1: b0 b1 b2) */
    const double sc[3][6] = { { 0, 1, 0, 5, 0, 0 },
                              { 0, -1, 0, 5, 0, 3 },
                              { 0, 0, 0, 5, 0, -3 } };
    for (int k = 0; k < 3; k++)
        memcpy(rm_member_params(m, k), sc[k], sizeof sc[k]);
    rm_refresh(m);
    /* (c0,b0,b1): d = -1, 1, 0 -> var 2/3; (c1,b0,b1): 5,5,5 -> 0;
     * (c1,b0,b2): 5, 2, 8 -> 6; (c0,b0,b2): 0 */
    assert_close(rm_pair_variance(m, 0, 0, 1), 2.0 / 3, 1e-12);
    assert_close(rm_pair_variance(m, 1, 0, 1), 0, 1e-12);
    assert_close(rm_pair_variance(m, 1, 0, 2), 6, 1e-12);
    assert_close(rm_rewards(m)[3], 5, 1e-12);
    const int c[6] = { 1, 0, 1, 0, 1, 0 }, b1[6] = { 0, 0, 0, 1, 2, 0 },
              b2[6] = { 1, 2, 2, 0, 0, 1 };
    double var[6];
    int chosen[6];
    /* variances: 0, 0, 6, 2/3, 6, 2/3 */
    assert_int_equal(rm_pick_disagreement(m, 6, c, b1, b2, 4, var, chosen), 4);
    const int want[4] = { 2, 4, 3, 5 };
    assert_memory_equal(chosen, want, sizeof want);
    assert_int_equal(rm_pick_disagreement(m, 2, c, b1, b2, 5, var, chosen), 2);
    assert_int_equal(chosen[0], 0);
    assert_int_equal(chosen[1], 1);
    rm_free(m);
    rng_free(r);
    world_free(w);
}

/* A full run with MLP reward model (ensemble of 3, disagreement queries) and
 * an MLP Adam policy: the same seed gives the same rows, bit for bit; another
 * seed does not; disagreement asks as many labels as uniform. */
static void test_mlp_run_reproducible(void **state)
{
    (void)state;
    world *w = nonlinear_world(3);
    overseer *o = h_overseer(w, OVERSEER_HUMAN, 1, 2);
    train_params p;
    train_params_default(&p);
    p.rounds = 4, p.labels_per_round = 32, p.seed = 7, p.run_id = 2;
    p.rm.model = (model_spec){ .kind = MODEL_MLP, .n_layers = 2, .hidden = { 8, 8 },
                               .activation = MODEL_TANH };
    p.rm.method = RM_FIT_ADAM, p.rm.lr = 0.01, p.rm.max_iter = 50, p.rm.ensemble = 3;
    p.policy_model = p.rm.model;
    p.policy_adam = 1, p.lr = 0.05, p.method = PG_REINFORCE, p.steps = 5, p.batch = 64;
    p.query = QUERY_DISAGREEMENT;
    metrics_row a[5], b[5], c[5];
    os_err err = { 0 };
    if (train_run(w, o, &p, a, NULL, NULL, NULL, NULL, &err))
        fail_msg("train_run: %s", err.msg);
    assert_int_equal(train_run(w, o, &p, b, NULL, NULL, NULL, NULL, &err), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(a[4].labels, 4 * 32);
    assert_true(a[4].kl > 0);
    p.seed = 8;
    assert_int_equal(train_run(w, o, &p, c, NULL, NULL, NULL, NULL, &err), 0);
    assert_true(c[4].true_value != a[4].true_value);
    p.query = QUERY_DISAGREEMENT, p.rm.ensemble = 1;
    assert_int_equal(train_run(w, o, &p, c, NULL, NULL, NULL, NULL, &err), OS_EINVAL);
    assert_msg_has(err, "needs a reward model ensemble");
    overseer_free(o);
    world_free(w);
}

/* Run Lua code; NULL or the error message. */
static const char *lua_try(const char *code)
{
    static char buf[1024];
    lua_State *L = harness_state(0, NULL);
    const char *msg = harness_run(L, code, buf, sizeof buf);
    lua_close(L);
    return msg;
}

static const char SPEC[] =
    "local s = oversim.scenario('random_flaws', { contexts = 2, behaviours = 6 })\n"
    "function spec(extra)\n"
    "  local t = { world = s.world, overseer = s.overseers['human-looks'], rounds = 3,\n"
    "              labels_per_round = 16 }\n"
    "  for k, v in pairs(extra) do t[k] = v end\n"
    "  return t\n"
    "end\n";

static void expect_error(const char *extra, const char *needle)
{
    char code[2048];
    snprintf(code, sizeof code, "%soversim.train(spec{ %s })", SPEC, extra);
    const char *msg = lua_try(code);
    if (!msg)
        fail_msg("no error for %s", extra);
    if (!strstr(msg, needle))
        fail_msg("error '%s' does not mention '%s'", msg, needle);
}

/* Models and queries from Lua: the errors, and a sweep of MLP runs gives the
 * same rows with 1 and 2 workers. */
static void test_lua_models(void **state)
{
    (void)state;
    expect_error("reward_model = { model = { kind = 'mlp', hidden = { 0 } } }",
                 "t.lua:8: hidden layer sizes of reward_model.model must be integers >= 1 (got 0)");
    expect_error("policy = { model = { kind = 'mlp', hidden = { 4, 4, 4 } } }",
                 "field 'hidden' of policy.model must list 1 or 2 layer sizes (got 3)");
    expect_error("policy = { model = { kind = 'mlp', activation = 'tanhh' } }",
                 "field 'activation' of policy.model must be one of 'tanh', 'relu' "
                 "(got 'tanhh'; did you mean 'tanh'?)");
    expect_error("policy = { model = { kind = 'mpl' } }", "did you mean 'mlp'?");
    expect_error("policy = { model = { hidden = 8 } }",
                 "field 'hidden' of policy.model needs kind = 'mlp'");
    expect_error("reward_model = { model = { kind = 'mlp', hiden = 3 } }",
                 "unknown key 'hiden' in reward_model.model (did you mean 'hidden'?)");
    expect_error("reward_model = { fit = 'adma' }", "did you mean 'adam'?");
    expect_error("query = 'disagreement'", "needs a reward model ensemble");
    expect_error("query = 'active'", "field 'query' of train must be one of 'uniform', "
                 "'disagreement'");
    expect_error("reward_model = { ensemble = 0 }", "field 'ensemble' of reward_model must be >= 1");
    expect_error("candidates = -1", "field 'candidates' of train must be >= 0 (got -1; 0 means "
                 "8 x labels_per_round)");
    const char *msg = lua_try(
        "local s = oversim.scenario('random_flaws', { contexts = 2, behaviours = 6 })\n"
        "local runs = {}\n"
        "for seed = 1, 4 do runs[seed] = { world = s.world, overseer = s.overseers['human-looks'],\n"
        "  rounds = 3, labels_per_round = 16, seed = seed, query = 'disagreement', candidates = 64,\n"
        "  reward_model = { model = { kind = 'mlp', hidden = { 8, 8 }, activation = 'relu' },\n"
        "                   fit = 'adam', max_iter = 30, ensemble = 3 },\n"
        "  policy = { method = 'ppo', model = { kind = 'mlp', hidden = 8 }, optimizer = 'adam',\n"
        "             steps = 2, batch = 64 } } end\n"
        "local a = oversim.sweep{ runs = runs, workers = 1 }\n"
        "local b = oversim.sweep{ runs = runs, workers = 2 }\n"
        "for i = 1, 4 do for t = 1, 4 do for _, k in ipairs{ 'true_value', 'kl', 'proxy_value' } do\n"
        "  if a[i].rows[t][k] ~= b[i].rows[t][k] then error('differs: run ' .. i .. ' ' .. k) end\n"
        "end end end\n"
        "if a[1].rows[4].true_value == a[2].rows[4].true_value then error('seeds agree') end\n");
    if (msg)
        fail_msg("%s", msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mlp_rm_fits_oracle),
        cmocka_unit_test(test_ensemble_members_differ),
        cmocka_unit_test(test_disagreement_picks_high_variance),
        cmocka_unit_test(test_mlp_run_reproducible),
        cmocka_unit_test(test_lua_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
