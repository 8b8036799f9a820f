/* l_eppolicy.c — the second table oversim.train_episodes returns: the final
 * policy per state and action, where it goes (expected visits) and, for a
 * gridworld, where each state is (row, column, supervisor, tomatoes), which
 * is what a picture of the policy needs (analysis/episodes.lua,
 * oversim.ascii_grid). Uses: mdp_visits (core/mdp.h), gridworld_locate. */
#include "l_internal.h"

#include <stdlib.h>
#include <string.h>

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

int l_push_episode_policy(lua_State *L, const l_episodes *e, const char *overseer,
                          uint64_t seed, uint64_t run, const double *pi, const double *reward,
                          const char *loc)
{
    const mdp *m = e->m;
    const int S = m->n_states, A = m->n_actions;
    double **buf = (double **)l_push_box(L, free);
    if (!(*buf = malloc(((size_t)S + (size_t)m->n_cells) * sizeof **buf)))
        l_raise(L, loc, "out of memory");
    double *visits = *buf, *avg = *buf + S;
    os_err err = { 0 };
    if (mdp_visits(m, pi, m->horizon, visits, avg, &err))
        l_raise(L, loc, "train_episodes: %s", err.msg);
    lua_newtable(L);
    int n = 0;
    for (int s = 0; s < S; s++) {
        for (int a = 0; a < A; a++) {
            int i = s * A + a;
            /* one row per action the state offers; a terminal state (none)
             * gets one row without an action, for its visits */
            if (m->terminal[s] ? a > 0 : !m->avail[i])
                continue;
            lua_createtable(L, 0, 18);
            set_int(L, "run", (lua_Integer)run);
            lua_pushstring(L, e->name);
            lua_setfield(L, -2, "scenario");
            lua_pushstring(L, overseer);
            lua_setfield(L, -2, "overseer");
            set_int(L, "seed", (lua_Integer)seed);
            lua_pushstring(L, m->state_name[s]);
            lua_setfield(L, -2, "state");
            if (e->g) {
                int r, c, sup;
                unsigned mask;
                gridworld_locate(e->g, s, &r, &c, &sup, &mask);
                set_int(L, "row", r + 1);
                set_int(L, "col", c + 1);
                lua_pushboolean(L, sup);
                lua_setfield(L, -2, "supervised");
                if (e->g->n_tomatoes) /* bit k: tomato k (in map order) watered */
                    set_int(L, "tomatoes", (lua_Integer)mask);
            }
            lua_pushboolean(L, m->watched[s]);
            lua_setfield(L, -2, "watched");
            lua_pushboolean(L, m->terminal[s]);
            lua_setfield(L, -2, "terminal");
            set_num(L, "visits", visits[s]);
            if (!m->terminal[s]) {
                lua_pushstring(L, m->action_name[a]);
                lua_setfield(L, -2, "action");
                set_num(L, "prior", m->prior[i]);
                set_num(L, "probability", avg[i]);
                set_num(L, "reward", reward[i]);
                set_num(L, "vstar", m->vstar[i]);
                set_num(L, "looks", m->looks[i]);
            }
            lua_rawseti(L, -2, ++n);
        }
    }
    lua_remove(L, -2); /* the buffer (freed when collected) */
    return 1;
}
