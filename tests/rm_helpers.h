/* rm_helpers.h — the reward-model tests' shared world and fitting helpers
 * (tests/test_rm.c, tests/test_rm_store.c). */
#ifndef OVERSIM_TEST_RM_HELPERS_H
#define OVERSIM_TEST_RM_HELPERS_H

#include "helpers.h"
#include "rm.h"

/* World R: 2 contexts x 4 behaviours, true values spread over ~2 units. */
static const double R_LOOKS[8] = { 0, 0.5, 1.0, -0.5, 1.5, 0.2, -0.4, 0.8 };

static world *world_r(int linear)
{
    os_err err = { 0 };
    world *w = world_new(2, 4, &err);
    assert_non_null(w);
    assert_int_equal(world_set_context(w, 0, "a", 1, 0, 0, &err), 0);
    assert_int_equal(world_set_context(w, 1, "b", 3, 0, 0, &err), 0);
    const char *names[4] = { "w", "x", "y", "z" };
    for (int b = 0; b < 4; b++)
        assert_int_equal(world_set_behaviour(w, b, names[b], 0, &err), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(world_set_cell(w, i / 4, i % 4, R_LOOKS[i], 1 + i % 3, &err), 0);
    assert_int_equal(world_add_fact(w, 0, 2, "f", 1, -0.7, &err), 0);
    assert_int_equal(world_add_fact(w, 1, 0, "g", 2, -0.6, &err), 0);
    if (linear) {
        /* phi = [looks, sum of hidden effects]: r = beta * v* is psi = (beta, beta) */
        double phi[16];
        for (int i = 0; i < 8; i++)
            phi[2 * i] = R_LOOKS[i], phi[2 * i + 1] = 0;
        phi[2 * 2 + 1] = -0.7;
        phi[2 * 4 + 1] = -0.6;
        assert_int_equal(world_set_features(w, 2, phi, &err), 0);
    }
    assert_int_equal(world_finalize(w, 0.5, &err), 0);
    return w;
}

static rm *make_rm(const world *w, double l2, double noise)
{
    rm_params p;
    rm_params_default(&p);
    p.l2 = l2;
    p.noise = noise;
    p.tol = 1e-10;
    p.max_iter = 1000;
    os_err err = { 0 };
    rm *m = rm_new(w, &p, &err);
    if (!m)
        fail_msg("rm_new: %s", err.msg);
    return m;
}

static void fit(rm *m)
{
    os_err err = { 0 };
    if (rm_fit(m, &err))
        fail_msg("rm_fit: %s", err.msg);
}

#endif
