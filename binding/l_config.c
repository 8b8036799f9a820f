/* l_config.c — a run's configuration as columns of its rows, and what an
 * overseer says of itself (overseer:info()).
 * Owns: which overseer and training parameters become columns: always the
 *       overseer's kind, beta and (for a human) competence and when_unsure,
 *       the policy method, the KL coefficient, labels per round and both
 *       model kinds; every other parameter when it differs from its default
 *       (an empty cell in a CSV means the default). Infinite values are
 *       written as the string "inf" (read back as math.huge).
 * Uses: the core's parameter structs and their defaults; l_overseer. */
#include "l_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const KIND_NAMES[] = { "oracle", "human", "assisted", "debate" };
static const char *const DEBATER_NAMES[] = { "optimal", "trained", "random" };
static const char *const UNSURE_NAMES[] = { "coin", "skip", "looks" };
static const char *const METHOD_NAMES[] = { "exact", "reinforce", "ppo", "bon", "optimum",
                                            "dpo" };
static const char *const FIT_NAMES[] = { "bfgs", "gd", "adam" };
static const char *const QUERY_NAMES[] = { "uniform", "disagreement" };

const char *l_overseer_kind_name(const l_overseer *o)
{
    return o->recursive ? "recursive" : KIND_NAMES[o->p.kind];
}

void l_push_setting(lua_State *L, double v)
{
    if (isinf(v))
        lua_pushstring(L, v > 0 ? "inf" : "-inf");
    else if (fabs(v) < 1e15 && v == (double)(lua_Integer)v)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
}

/* t[k] = v at the table on top; as a column, by l_push_setting (a column
 * cannot hold an infinity); else as the number itself (info()). */
static void put_num(lua_State *L, const char *k, double v, int as_column)
{
    if (as_column)
        l_push_setting(L, v);
    else if (fabs(v) < 1e15 && v == (double)(lua_Integer)v)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void put_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/* differs from the default d (NAN equals NAN) */
static int differs(double v, double d)
{
    return !(v == d || (isnan(v) && isnan(d)));
}

/* Put v under k when `always` or when it differs from d. */
static void put_if(lua_State *L, const char *k, double v, double d, int always,
                   int as_column)
{
    if (always || differs(v, d))
        put_num(L, k, v, as_column);
}

/* "linear", or "mlp 64x64 tanh" */
static void model_name(const model_spec *s, char *buf, size_t n)
{
    if (s->kind == MODEL_LINEAR) {
        snprintf(buf, n, "linear");
        return;
    }
    int k = snprintf(buf, n, "mlp %d", s->hidden[0]);
    for (int l = 1; l < s->n_layers && k > 0 && (size_t)k < n; l++)
        k += snprintf(buf + k, n - k, "x%d", s->hidden[l]);
    if (k > 0 && (size_t)k < n)
        snprintf(buf + k, n - k, " %s", s->activation == MODEL_TANH ? "tanh" : "relu");
}

/* The overseer's parameters into the table on top: all of them (info), or
 * as columns (the always-columns and those that differ from defaults). */
static void put_overseer(lua_State *L, const l_overseer *o, int all)
{
    overseer_params d;
    overseer_params_default(&d);
    const overseer_params *p = &o->p;
    int col = !all;
    put_str(L, all ? "kind" : "overseer_kind", l_overseer_kind_name(o));
    if (p->kind != OVERSEER_ORACLE) {
        put_num(L, "competence", p->competence, col);
        put_str(L, "when_unsure", UNSURE_NAMES[p->when_unsure]);
    }
    put_num(L, "beta", p->beta, col);
    put_if(L, "mistake", p->mistake, d.mistake, all, col);
    put_if(L, "skip_threshold", p->skip_threshold, d.skip_threshold, all, col);
    put_if(L, "equal_threshold", p->equal_threshold, d.equal_threshold, all, col);
    put_if(L, "skip_eps", p->skip_eps, d.skip_eps, all, col);
    put_if(L, "equal_eps", p->equal_eps, d.equal_eps, all, col);
    put_if(L, "myopia", p->myopia, d.myopia, all, col);
    if (p->kind != OVERSEER_ORACLE)
        put_if(L, "softness", p->softness, d.softness, all, col);
    put_if(L, "cost", p->cost, d.cost, all, col);
    if (p->kind != OVERSEER_ASSISTED && p->kind != OVERSEER_DEBATE)
        return;
    put_if(L, "verify_gain", p->verify_gain, d.verify_gain, all, col);
    put_if(L, "critique_cost", p->critique_cost, d.critique_cost, all, col);
    if (all || p->trust_unverified) {
        lua_pushboolean(L, p->trust_unverified);
        lua_setfield(L, -2, "trust_unverified");
    }
    if (p->kind == OVERSEER_DEBATE) {
        /* the debate: reveals, debaters and who goes first always */
        debate_params dd;
        debate_params_default(&dd);
        const debate_params *dp = &o->dp;
        put_num(L, "reveals", dp->reveals, col);
        put_str(L, "debaters", DEBATER_NAMES[dp->debaters]);
        put_str(L, "first", dp->liar_first ? "liar" : "honest");
        if (dp->debaters == DEBATERS_TRAINED) {
            put_if(L, "self_play_rounds", dp->rounds, dd.rounds, all, col);
            put_if(L, "self_play_games", dp->games, dd.games, all, col);
            put_if(L, "self_play_lr", dp->lr, dd.lr, all, col);
        }
        return;
    }
    if (o->recursive) {
        put_num(L, "depth", o->rp.depth, col);
        put_if(L, "critic_prior", o->rp.critic_prior, 0.5, all, col);
        if (!isnan(o->rp.fa_difficulty)) { /* critics may raise false alarms */
            put_num(L, "false_alarm_difficulty", o->rp.fa_difficulty, col);
            put_num(L, "false_alarm_effect", o->rp.fa_effect, col);
        }
        return;
    }
    /* the assistant: recall and honesty always, the rest when changed */
    put_num(L, "recall", p->recall, col);
    put_num(L, "honesty", p->honesty, col);
    put_if(L, "reach", p->reach, d.reach, all, col);
    put_if(L, "false_alarm", p->false_alarm, d.false_alarm, all, col);
    put_if(L, "false_alarm_effect", p->false_alarm_effect, d.false_alarm_effect, all, col);
    if (all || !isnan(p->false_alarm_difficulty))
        put_num(L, "false_alarm_difficulty",
                isnan(p->false_alarm_difficulty) ? p->reach : p->false_alarm_difficulty, col);
}

/* The training parameters as columns into the table on top. */
static void put_training(lua_State *L, const train_params *p)
{
    train_params d;
    train_params_default(&d);
    char buf[64];
    put_str(L, "method", METHOD_NAMES[p->method]);
    if (p->method != PG_BON) /* best-of-n has no KL coefficient */
        put_num(L, "kl_coef", p->kl_coef, 1);
    put_num(L, "labels_per_round", p->labels_per_round, 1);
    model_name(&p->policy_model, buf, sizeof buf);
    put_str(L, "policy_model", buf);
    model_name(&p->rm.model, buf, sizeof buf);
    put_str(L, "rm_model", buf);
    if (p->method == PG_BON)
        put_num(L, "n", p->bon_n, 1);
    int stepped = p->method == PG_EXACT || p->method == PG_REINFORCE ||
                  p->method == PG_PPO || p->method == PG_DPO;
    if (stepped) {
        put_if(L, "policy_lr", p->lr, d.lr, 0, 1);
        put_if(L, "policy_steps", p->steps, d.steps, 0, 1);
        if (p->policy_adam)
            put_str(L, "policy_optimizer", "adam");
    }
    if (p->method == PG_REINFORCE || p->method == PG_PPO)
        put_if(L, "batch", p->batch, d.batch, 0, 1);
    if (p->method == PG_PPO) {
        put_if(L, "epochs", p->epochs, d.epochs, 0, 1);
        put_if(L, "minibatch", p->minibatch, d.minibatch, 0, 1);
        put_if(L, "clip", p->clip, d.clip, 0, 1);
    }
    if (p->method != PG_DPO) {
        if (p->rm.method != d.rm.method)
            put_str(L, "rm_fit", FIT_NAMES[p->rm.method]);
        put_if(L, "rm_l2", p->rm.l2, d.rm.l2, 0, 1);
        put_if(L, "rm_noise", p->rm.noise, d.rm.noise, 0, 1);
        put_if(L, "rm_confidence", p->rm.confidence, d.rm.confidence, 0, 1);
        put_if(L, "ensemble", p->rm.ensemble, d.rm.ensemble, 0, 1);
        if (p->rm.ensemble > 1 && !p->rm.bootstrap) {
            lua_pushboolean(L, 0);
            lua_setfield(L, -2, "bootstrap");
        }
    }
    if (p->query != QUERY_UNIFORM) {
        put_str(L, "query", QUERY_NAMES[p->query]);
        put_num(L, "candidates", p->candidates > 0 ? p->candidates : 8 * p->labels_per_round,
                1);
    }
    put_if(L, "label_rounds", p->label_rounds, d.label_rounds, 0, 1);
    put_if(L, "deploy_episodes", (double)p->deploy_episodes, (double)d.deploy_episodes, 0, 1);
}

/* A red team's settings as columns (none without one). */
static void put_red_team(lua_State *L, const train_params *p, const l_redteam_info *rt)
{
    if (!rt->on)
        return;
    put_num(L, "red_team_budget", p->redteam.budget, 1);
    put_str(L, "red_team_search", p->redteam.search == REDTEAM_ADVERSARIAL ? "adversarial"
                                                                           : "random");
    put_num(L, "realism", rt->realism, 1);
    put_if(L, "cue", rt->cue, 1, 0, 1);
    if (p->redteam.search == REDTEAM_ADVERSARIAL)
        put_num(L, "red_team_pool", redteam_pool(&p->redteam), 1);
    put_if(L, "red_team_cost", p->redteam.cost, 0, 0, 1);
}

void l_push_columns(lua_State *L, int spec, const l_run *j)
{
    spec = lua_absindex(L, spec);
    lua_createtable(L, 0, 16);
    lua_getfield(L, spec, "overseer");
    const l_overseer *o = l_check_overseer(L, -1);
    lua_pop(L, 1);
    put_overseer(L, o, 0);
    put_training(L, &j->p);
    put_red_team(L, &j->p, &j->redteam);
    /* the script's own columns (params) win over the automatic ones */
    lua_getfield(L, spec, "params");
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -5);
        }
    }
    lua_pop(L, 1);
}

void l_push_overseer_columns(lua_State *L, const l_overseer *o)
{
    lua_createtable(L, 0, 16);
    put_overseer(L, o, 0);
}

/* overseer:info() -> every parameter by name (kind, competence, beta, ...;
 * the assistant's or the recursion's where they apply) */
static int l_overseer_info(lua_State *L)
{
    const l_overseer *o = l_check_overseer(L, 1);
    lua_createtable(L, 0, 24);
    put_str(L, "name", o->name);
    put_overseer(L, o, 1);
    return 1;
}

/* o.name, o.kind, o:info() */
static int overseer_index(lua_State *L)
{
    const l_overseer *o = l_check_overseer(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "name") == 0)
        lua_pushstring(L, o->name);
    else if (strcmp(k, "kind") == 0)
        lua_pushstring(L, l_overseer_kind_name(o));
    else if (strcmp(k, "info") == 0)
        lua_pushcfunction(L, l_overseer_info);
    else
        return luaL_error(L, "an overseer has no field '%s' (it has name, kind and info())",
                          k);
    return 1;
}

/* w.name, w:info() (the methods table of WORLD_MT stays the fallback) */
static int world_index(lua_State *L)
{
    const l_world *lw = l_check_world(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "name") == 0) {
        lua_pushstring(L, lw->name);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1)); /* the methods */
    if (lua_getfield(L, -1, k) == LUA_TNIL)
        return luaL_error(L, "a world has no field '%s' (it has name and info())", k);
    return 1;
}

int l_open_config(lua_State *L)
{
    luaL_getmetatable(L, OVERSEER_MT);
    lua_pushcfunction(L, overseer_index);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_getmetatable(L, WORLD_MT);
    lua_getfield(L, -1, "__index"); /* the methods table l_open_world made */
    lua_pushcclosure(L, world_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    return 0;
}
