/* l_overseer.c — oversim.overseer{...}: parameters checked when made; bound
 * to a world (misconceptions resolved by name, knows/wrong predicates
 * evaluated once per context type and pair) when a run starts. */
#include "l_internal.h"

#include <math.h>
#include "recursion.h"
#include <stdio.h>
#include <string.h>

static const l_field OVERSEER_FIELDS[] = {
    { "name", T_STR }, { "kind", T_STR }, { "competence", T_NUM }, { "beta", T_NUM },
    { "mistake", T_NUM }, { "skip_threshold", T_NUM }, { "equal_threshold", T_NUM },
    { "skip_eps", T_NUM }, { "equal_eps", T_NUM }, { "softness", T_NUM },
    { "myopia", T_NUM }, { "cost", T_NUM }, { "when_unsure", T_STR },
    { "misconceptions", T_TAB }, { "knows", T_FUN }, { "wrong", T_FUN },
    { "verify_gain", T_NUM }, { "critique_cost", T_NUM }, { "trust_unverified", T_BOOL },
    { "assistant", T_TAB }, { "depth", T_NUM }, { "critic", T_TAB },
    { "false_alarms", T_TAB }, { "reveals", T_NUM }, { "debaters", T_STR },
    { "first", T_STR }, { "self_play", T_TAB }, { NULL, 0 } };
static const l_field ASSISTANT_FIELDS[] = {
    { "recall", T_NUM }, { "honesty", T_NUM }, { "reach", T_NUM }, { "false_alarm", T_NUM },
    { "false_alarm_effect", T_NUM }, { "false_alarm_difficulty", T_NUM }, { NULL, 0 } };
static const l_field CRITIC_FIELDS[] = {
    { "rounds", T_NUM }, { "labels_per_round", T_NUM }, { "reward_model", T_TAB },
    { "policy", T_TAB }, { "prior", T_NUM }, { NULL, 0 } };
static const l_field SELF_PLAY_FIELDS[] = {
    { "rounds", T_NUM }, { "games", T_NUM }, { "lr", T_NUM }, { NULL, 0 } };
static const l_field FALSE_ALARM_FIELDS[] = {
    { "difficulty", T_NUM }, { "effect", T_NUM }, { NULL, 0 } };
static const l_field MISCONCEPTION_FIELDS[] = {
    { "context", T_STR }, { "behaviour", T_STR }, { "bias", T_NUM }, { NULL, 0 } };

/* the core's overseer kinds in order, then the binding's own */
static const char *const KINDS[] = { "oracle", "human", "assisted", "debate", "recursive",
                                     NULL };
enum { KIND_DEBATE = OVERSEER_DEBATE, KIND_RECURSIVE = 4 };
static const char *const DEBATERS[] = { "optimal", "trained", "random", NULL };
static const char *const FIRST[] = { "honest", "liar", NULL };
static const char *const UNSURE[] = { "coin", "skip", "looks", NULL };

l_overseer *l_check_overseer(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, OVERSEER_MT);
}

static int overseer_tostring(lua_State *L)
{
    l_overseer *o = l_check_overseer(L, 1);
    lua_pushfstring(L, "oversim.Overseer '%s'", o->name);
    return 1;
}

/* The debate of a `debate` overseer: reveals, debaters, who goes first, and
 * the trained debaters' self-play. */
static void read_debate(lua_State *L, l_overseer *o, const char *what, const char *loc)
{
    debate_params *dp = &o->dp;
    debate_params_default(dp);
    dp->reveals = l_opt_int_range(L, 1, "reveals", dp->reveals, INT_MIN, INT_MAX, what, loc);
    dp->debaters = (debaters_kind)l_opt_option(L, 1, "debaters", "optimal", DEBATERS, what,
                                               loc);
    dp->liar_first = l_opt_option(L, 1, "first", "honest", FIRST, what, loc);
    lua_getfield(L, 1, "self_play");
    if (!lua_isnil(L, -1)) {
        if (dp->debaters != DEBATERS_TRAINED)
            l_raise(L, loc, "field 'self_play' of %s applies to debaters = 'trained' only "
                    "(got '%s')", what, DEBATERS[dp->debaters]);
        int t = lua_gettop(L);
        char swhat[224];
        snprintf(swhat, sizeof swhat, "self_play of %s", what);
        l_check_record(L, t, SELF_PLAY_FIELDS, swhat, loc);
        dp->rounds = l_opt_int_range(L, t, "rounds", dp->rounds, INT_MIN, INT_MAX, swhat, loc);
        dp->games = l_opt_int_range(L, t, "games", dp->games, INT_MIN, INT_MAX, swhat, loc);
        dp->lr = l_opt_number(L, t, "lr", dp->lr, swhat, loc, 1);
    }
    lua_pop(L, 1);
    os_err err;
    if (debate_params_check(dp, what, &err))
        l_raise(L, loc, "%s", err.msg);
}

/* Fields that belong to one kind only; the assistant of `assisted`, the
 * debate of `debate`, the depth and critic training of `recursive`. */
static void read_kind_fields(lua_State *L, l_overseer *o, int kind, const char *what,
                             const char *loc)
{
    static const struct { const char *field; int kinds; } only[] = {
        { "assistant", 1 << OVERSEER_ASSISTED },
        { "verify_gain", 1 << OVERSEER_ASSISTED | 1 << KIND_RECURSIVE | 1 << KIND_DEBATE },
        { "critique_cost", 1 << OVERSEER_ASSISTED | 1 << KIND_RECURSIVE | 1 << KIND_DEBATE },
        { "trust_unverified",
          1 << OVERSEER_ASSISTED | 1 << KIND_RECURSIVE | 1 << KIND_DEBATE },
        { "depth", 1 << KIND_RECURSIVE }, { "critic", 1 << KIND_RECURSIVE },
        { "false_alarms", 1 << KIND_RECURSIVE }, { "reveals", 1 << KIND_DEBATE },
        { "debaters", 1 << KIND_DEBATE }, { "first", 1 << KIND_DEBATE },
        { "self_play", 1 << KIND_DEBATE } };
    for (unsigned i = 0; i < sizeof only / sizeof only[0]; i++) {
        lua_getfield(L, 1, only[i].field);
        int given = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (given && !(only[i].kinds & (1 << kind)))
            l_raise(L, loc, "field '%s' of %s does not apply to kind '%s'", only[i].field,
                    what, KINDS[kind]);
    }
    if (kind == OVERSEER_ASSISTED) {
        lua_getfield(L, 1, "assistant");
        if (lua_isnil(L, -1))
            l_raise(L, loc, "%s of kind 'assisted' needs an 'assistant' table (recall, "
                    "honesty, reach, false_alarm)", what);
        int t = lua_gettop(L);
        char awhat[224];
        snprintf(awhat, sizeof awhat, "assistant of %s", what);
        l_check_record(L, t, ASSISTANT_FIELDS, awhat, loc);
        o->p.recall = l_opt_number(L, t, "recall", 1, awhat, loc, 1);
        o->p.honesty = l_opt_number(L, t, "honesty", 1, awhat, loc, 1);
        o->p.reach = l_opt_number(L, t, "reach", INFINITY, awhat, loc, 1);
        o->p.false_alarm = l_opt_number(L, t, "false_alarm", 0, awhat, loc, 1);
        o->p.false_alarm_effect = l_opt_number(L, t, "false_alarm_effect", -1, awhat, loc, 1);
        o->p.false_alarm_difficulty = l_opt_number(L, t, "false_alarm_difficulty", NAN,
                                                   awhat, loc, 1);
        lua_pop(L, 1);
    }
    if (kind == KIND_DEBATE)
        read_debate(L, o, what, loc);
    if (kind != KIND_RECURSIVE)
        return;
    recursion_params *rp = &o->rp;
    recursion_params_default(rp);
    rp->depth = l_opt_int_range(L, 1, "depth", 1, INT_MIN, INT_MAX, what, loc);
    o->p.critique_levels = rp->depth;
    /* critics are read only for a depth the core accepts; it says why not */
    int depth_ok = rp->depth >= 1 && rp->depth <= RECURSION_MAX_DEPTH;
    lua_getfield(L, 1, "critic");
    int t = lua_gettop(L);
    if (depth_ok && !lua_isnil(L, t)) {
        /* one table for every level, or a list of one per level */
        int per_level = luaL_len(L, t) > 0;
        if (per_level && luaL_len(L, t) != rp->depth)
            l_raise(L, loc, "field 'critic' of %s lists %d levels but depth is %d", what,
                    (int)luaL_len(L, t), rp->depth);
        for (int j = 1; j <= rp->depth; j++) {
            char cwhat[224];
            if (per_level)
                snprintf(cwhat, sizeof cwhat, "critic %d of %s", j, what);
            else
                snprintf(cwhat, sizeof cwhat, "critic of %s", what);
            if (per_level)
                lua_geti(L, t, j);
            else
                lua_pushvalue(L, t);
            int ct = lua_gettop(L);
            l_check_record(L, ct, CRITIC_FIELDS, cwhat, loc);
            l_read_training(L, ct, cwhat, loc, &rp->critic[j - 1]);
            rp->critic_prior = l_opt_number(L, ct, "prior", rp->critic_prior, cwhat, loc, 1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    /* critics may claim flaws that are not there, refuted at this difficulty */
    lua_getfield(L, 1, "false_alarms");
    if (!lua_isnil(L, -1)) {
        t = lua_gettop(L);
        char fwhat[224];
        snprintf(fwhat, sizeof fwhat, "false_alarms of %s", what);
        l_check_record(L, t, FALSE_ALARM_FIELDS, fwhat, loc);
        lua_getfield(L, t, "difficulty");
        int has = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (!has)
            l_raise(L, loc, "field 'difficulty' of %s is missing (how hard a false alarm is "
                    "to refute)", fwhat);
        rp->fa_difficulty = l_opt_number(L, t, "difficulty", NAN, fwhat, loc, 1);
        rp->fa_effect = l_opt_number(L, t, "effect", -1, fwhat, loc, 0);
    }
    lua_pop(L, 1);
    os_err err;
    if (recursion_params_check(rp, what, &err))
        l_raise(L, loc, "%s", err.msg);
}

static int l_overseer_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    lua_getfield(L, 1, "name");
    char what[192];
    snprintf(what, sizeof what, lua_type(L, -1) == LUA_TSTRING ? "overseer '%s'" : "overseer",
             lua_tostring(L, -1));
    lua_pop(L, 1);
    l_check_record(L, 1, OVERSEER_FIELDS, what, loc);

    l_overseer *o = lua_newuserdatauv(L, sizeof *o, 1); /* 3 */
    memset(o, 0, sizeof *o);
    luaL_setmetatable(L, OVERSEER_MT);
    overseer_params_default(&o->p);
    int kind = l_opt_option(L, 1, "kind", "human", KINDS, what, loc);
    o->recursive = kind == KIND_RECURSIVE;
    o->p.kind = o->recursive ? OVERSEER_ASSISTED : (overseer_kind)kind;
    const char *defname = KINDS[kind];
    snprintf(o->name, sizeof o->name, "%s", l_opt_string(L, 1, "name", defname, what, loc));
    snprintf(o->loc, sizeof o->loc, "%s", loc);
    /* types here; every range in the core's check, below */
    o->p.competence = l_opt_number(L, 1, "competence", 0, what, loc, 1);
    o->p.beta = l_opt_number(L, 1, "beta", INFINITY, what, loc, 1);
    o->p.mistake = l_opt_number(L, 1, "mistake", 0, what, loc, 1);
    o->p.skip_threshold = l_opt_number(L, 1, "skip_threshold", 0, what, loc, 1);
    o->p.equal_threshold = l_opt_number(L, 1, "equal_threshold", 0, what, loc, 1);
    o->p.skip_eps = l_opt_number(L, 1, "skip_eps", 0, what, loc, 1);
    o->p.equal_eps = l_opt_number(L, 1, "equal_eps", 0, what, loc, 1);
    o->p.cost = l_opt_number(L, 1, "cost", 1, what, loc, 1);
    o->p.when_unsure = (unsure_mode)l_opt_option(L, 1, "when_unsure", "coin", UNSURE, what, loc);
    o->p.myopia = l_opt_number(L, 1, "myopia", 1, what, loc, 1);
    o->p.softness = l_opt_number(L, 1, "softness", INFINITY, what, loc, 1);
    o->p.verify_gain = l_opt_number(L, 1, "verify_gain", 1, what, loc, 1);
    o->p.critique_cost = l_opt_number(L, 1, "critique_cost", 0, what, loc, 1);
    lua_getfield(L, 1, "trust_unverified");
    o->p.trust_unverified = lua_toboolean(L, -1);
    lua_pop(L, 1);
    read_kind_fields(L, o, kind, what, loc);
    os_err err;
    if (overseer_params_check(&o->p, what, &err))
        l_raise(L, loc, "%s", err.msg);
    if (o->p.kind == OVERSEER_ORACLE) {
        static const char *const human_only[] = { "competence", "when_unsure",
                                                  "misconceptions", "knows", "wrong", NULL };
        /* an oracle keeps B-Pref's beta, mistake, skip, equal and myopia */
        for (int i = 0; human_only[i]; i++) {
            lua_getfield(L, 1, human_only[i]);
            if (!lua_isnil(L, -1))
                l_raise(L, loc, "field '%s' of %s does not apply to an oracle (it judges by "
                        "true value)", human_only[i], what);
            lua_pop(L, 1);
        }
    }
    /* What is needed later is copied now, checked: the misconceptions (as
     * fresh records, resolved against a world when bound) and the predicate
     * functions. The user's tables are never read again, so changing them
     * after oversim.overseer{} returned changes nothing. */
    lua_createtable(L, 0, 3);
    int kept = lua_gettop(L);
    lua_getfield(L, 1, "misconceptions");
    if (!lua_isnil(L, -1)) {
        lua_Integer n = luaL_len(L, -1);
        lua_createtable(L, (int)(n > 0 && n < 1000000 ? n : 0), 0);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, -2, i);
            char mwhat[256];
            snprintf(mwhat, sizeof mwhat, "misconception %d of %s", (int)i, what);
            if (!lua_istable(L, -1))
                l_raise(L, loc, "%s must be a table (got %s)", mwhat, luaL_typename(L, -1));
            l_check_record(L, -1, MISCONCEPTION_FIELDS, mwhat, loc);
            lua_createtable(L, 0, 3); /* the copy */
            lua_getfield(L, -2, "behaviour");
            if (lua_type(L, -1) != LUA_TSTRING)
                l_raise(L, loc, "%s needs a 'behaviour' name", mwhat);
            lua_setfield(L, -2, "behaviour");
            lua_pushnumber(L, l_opt_number(L, -2, "bias", 0, mwhat, loc, 0));
            lua_setfield(L, -2, "bias");
            lua_getfield(L, -2, "context"); /* a string or nil (l_check_record) */
            lua_setfield(L, -2, "context");
            lua_seti(L, -3, i);
            lua_pop(L, 1);
        }
        lua_setfield(L, kept, "misconceptions");
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "knows");
    lua_setfield(L, kept, "knows");
    lua_getfield(L, 1, "wrong");
    lua_setfield(L, kept, "wrong");
    lua_setiuservalue(L, 3, 1); /* kept */
    lua_settop(L, 3);
    return 1;
}

static void free_overseer(void *p) { overseer_free(p); }

/* Resolve a context or behaviour name in w or raise with the closest one. */
static int resolve(lua_State *L, const world *w, const char *name, int is_ctx,
                   const char *what, const char *loc)
{
    int i = is_ctx ? world_find_context(w, name) : world_find_behaviour(w, name);
    if (i >= 0)
        return i;
    const char *near = is_ctx ? l_closest_n(name, (const char *const *)w->ctx_name, w->n_ctx)
                              : l_closest_n(name, (const char *const *)w->beh_name, w->n_beh);
    return l_raise(L, loc, "%s names an unknown %s '%s'%s%s%s", what,
                   is_ctx ? "context" : "behaviour", name, near ? " (did you mean '" : "",
                   near ? near : "", near ? "'?)" : "");
}

/* Call predicate at fn with (ctx, names...), return its truth; insists on a boolean. */
static int call_pred(lua_State *L, int fn, int nargs, const char *pred, const l_overseer *o)
{
    lua_call(L, nargs, 1);
    if (!lua_isboolean(L, -1))
        l_raise(L, o->loc, "predicate '%s' of overseer '%s' must return true or false "
                "(got %s)", pred, o->name, luaL_typename(L, -1));
    int r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    (void)fn;
    return r;
}

/* Misconceptions and predicates of the overseer at idx onto core overseer ov. */
static void apply_spec(lua_State *L, int idx, const l_overseer *o, overseer *ov,
                       const world *w)
{
    os_err err;
    lua_getiuservalue(L, idx, 1); /* what the constructor kept */
    int spec = lua_gettop(L);
    char what[192];
    snprintf(what, sizeof what, "overseer '%s'", o->name);

    lua_getfield(L, spec, "misconceptions");
    lua_Integer n = lua_isnil(L, -1) ? 0 : luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        char mwhat[256];
        snprintf(mwhat, sizeof mwhat, "misconception %d of %s", (int)i, what);
        lua_getfield(L, -1, "behaviour");
        int b = resolve(L, w, lua_tostring(L, -1), 0, mwhat, o->loc);
        lua_pop(L, 1);
        double bias = l_opt_number(L, -1, "bias", 0, mwhat, o->loc, 0);
        lua_getfield(L, -1, "context");
        int c0 = 0, c1 = w->n_ctx;
        if (!lua_isnil(L, -1)) {
            c0 = resolve(L, w, lua_tostring(L, -1), 1, mwhat, o->loc);
            c1 = c0 + 1;
        }
        lua_pop(L, 1);
        for (int c = c0; c < c1; c++)
            if (w->avail[c * w->n_beh + b] && overseer_add_bias(ov, c, b, bias, &err))
                l_raise(L, o->loc, "%s: %s", mwhat, err.msg);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    /* predicates: pure functions of (context view, behaviour names), evaluated
     * once per context type and behaviour (pair) here, never per label */
    lua_getfield(L, spec, "wrong");
    if (!lua_isnil(L, -1)) {
        int fn = lua_gettop(L);
        for (int c = 0; c < w->n_ctx; c++) {
            l_push_context(L, w, c);
            int view = lua_gettop(L);
            for (int b = 0; b < w->n_beh; b++) {
                if (!w->avail[c * w->n_beh + b])
                    continue;
                lua_pushvalue(L, fn);
                lua_pushvalue(L, view);
                lua_pushstring(L, w->beh_name[b]);
                int r = call_pred(L, fn, 2, "wrong", o);
                if (r && overseer_set_wrong(ov, c, b, 1, &err))
                    l_raise(L, o->loc, "%s", err.msg);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_getfield(L, spec, "knows");
    if (!lua_isnil(L, -1)) {
        int fn = lua_gettop(L);
        for (int c = 0; c < w->n_ctx; c++) {
            l_push_context(L, w, c);
            int view = lua_gettop(L);
            for (int b1 = 0; b1 < w->n_beh; b1++)
                for (int b2 = b1 + 1; b2 < w->n_beh; b2++) {
                    if (!w->avail[c * w->n_beh + b1] || !w->avail[c * w->n_beh + b2])
                        continue;
                    lua_pushvalue(L, fn);
                    lua_pushvalue(L, view);
                    lua_pushstring(L, w->beh_name[b1]);
                    lua_pushstring(L, w->beh_name[b2]);
                    int r = call_pred(L, fn, 3, "knows", o);
                    if (overseer_set_knows(ov, c, b1, b2, r, &err))
                        l_raise(L, o->loc, "%s", err.msg);
                }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 2); /* knows, spec */
}

static void free_recursion(void *p) { recursion_free(p); }
static void free_debate(void *p) { debate_free(p); }

/* A boxed core overseer of params p on w, with o's misconceptions and predicates. */
static overseer *new_boxed(lua_State *L, int idx, const l_overseer *o,
                           const overseer_params *p, const world *w)
{
    void **slot = l_push_box(L, free_overseer);
    os_err err;
    overseer *ov = overseer_new(w, p, &err);
    if (!ov)
        l_raise(L, o->loc, "%s", err.msg);
    *slot = ov;
    apply_spec(L, idx, o, ov, w);
    return ov;
}

void l_check_overseer_world(lua_State *L, const l_overseer *o, const world *w,
                            const char *world_name, const char *loc)
{
    if (o->p.kind == OVERSEER_DEBATE && w->n_facts == 0)
        l_raise(L, loc, "overseer '%s' of kind 'debate' needs hidden facts to reveal, and "
                "world '%s' has none", o->name, world_name);
}

overseer *l_bind_debate_judge(lua_State *L, int idx, const world *w)
{
    idx = lua_absindex(L, idx);
    l_overseer *o = l_check_overseer(L, idx);
    return new_boxed(L, idx, o, &o->p, w);
}

overseer *l_bind_overseer(lua_State *L, int idx, const world *w, uint64_t seed,
                          uint64_t run, const recursion **rec)
{
    idx = lua_absindex(L, idx);
    l_overseer *o = l_check_overseer(L, idx);
    *rec = NULL;
    if (o->p.kind == OVERSEER_DEBATE) {
        /* the judge (its misconceptions and predicates first), then the
         * debate it judges from: debaters trained here when trained */
        overseer *judge = new_boxed(L, idx, o, &o->p, w);
        void **slot = l_push_box(L, free_debate);
        os_err err;
        debate *d = debate_new(judge, &o->dp, seed, run, &err);
        if (!d)
            l_raise(L, o->loc, "overseer '%s': %s", o->name, err.msg);
        *slot = d;
        if (overseer_set_debate(judge, d, &err))
            l_raise(L, o->loc, "%s", err.msg);
        return judge;
    }
    if (!o->recursive)
        return new_boxed(L, idx, o, &o->p, w);
    /* level 0, the critics it trains, then the depth-K overseer on top */
    overseer_params hp = o->p;
    hp.kind = OVERSEER_HUMAN;
    overseer *human = new_boxed(L, idx, o, &hp, w);
    void **slot = l_push_box(L, free_recursion);
    os_err err;
    recursion *r = recursion_build_seeded(human, &o->rp, seed, run, &err);
    if (!r)
        l_raise(L, o->loc, "recursive overseer '%s': %s", o->name, err.msg);
    *slot = r;
    overseer *top = new_boxed(L, idx, o, &o->p, w);
    if (recursion_apply(r, top, &err))
        l_raise(L, o->loc, "%s", err.msg);
    *rec = r;
    return top;
}

/* oversim.teacher(name [, overrides]) -> an overseer: B-Pref's simulated
 * teachers (Lee et al. 2021) in one line. Each is an oracle (judges by true
 * value) with one irrationality; B-Pref's skip and equal thresholds are relative
 * to segment returns, here they are in oversim's value units. */
static int l_teacher(lua_State *L)
{
    static const struct { const char *name, *field; double value; } T[] = {
        { "oracle", NULL, 0 },          { "stoc", "beta", 1 },
        { "mistake", "mistake", 0.1 },  { "skip", "skip_eps", 0.1 },
        { "equal", "equal_eps", 0.1 }, { "myopic", "myopia", 0.9 } };
    static const char *const names[] = { "oracle", "stoc", "mistake", "skip", "equal",
                                         "myopic", NULL };
    const char *name = luaL_checkstring(L, 1);
    int k = 0;
    while (names[k] && strcmp(names[k], name) != 0)
        k++;
    if (!names[k]) {
        const char *near = l_closest(name, names);
        return l_raise(L, NULL, "unknown B-Pref teacher '%s'%s%s%s (one of oracle, stoc, "
                       "mistake, skip, equal, myopic)", name, near ? " (did you mean '" : "",
                       near ? near : "", near ? "'?)" : "");
    }
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TTABLE);
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "oracle");
    lua_setfield(L, -2, "kind");
    lua_pushfstring(L, "teacher-%s", name);
    lua_setfield(L, -2, "name");
    if (T[k].field) {
        lua_pushnumber(L, T[k].value);
        lua_setfield(L, -2, T[k].field);
    }
    if (lua_istable(L, 2)) { /* overrides win */
        lua_pushnil(L);
        while (lua_next(L, 2)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -4);
        }
    }
    lua_replace(L, 1);
    lua_settop(L, 1);
    return l_overseer_new(L); /* called directly: errors still point at the caller */
}

int l_open_overseer(lua_State *L)
{
    static const luaL_Reg meta[] = { { "__tostring", overseer_tostring }, { NULL, NULL } };
    luaL_newmetatable(L, OVERSEER_MT);
    luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
    lua_pushcfunction(L, l_overseer_new);
    lua_setfield(L, -2, "overseer");
    lua_pushcfunction(L, l_teacher);
    lua_setfield(L, -2, "teacher");
    return 0;
}
