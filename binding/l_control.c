/* l_control.c — oversim.control{...}: AI-control protocols (core/control.h),
 * one row per configuration. protocol, n, audit, separation, defer and p each
 * take one value or a list; the rows are their cartesian product (protocol
 * slowest, then n, separation, defer, audit, p), where separation and defer
 * multiply only the protocols that use them. Every value is checked (by the
 * core's control_check, so the words are the core's) before any is computed.
 * Each row's simulation draws from the stream (seed, 1), so rows share their
 * random numbers (common random numbers) and a row's numbers do not depend
 * on what else the call computes. */
#include "l_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "control.h"
#include "rng.h"

static const l_field CONTROL_FIELDS[] = {
    /* the fields that take lists are type-checked below, with better words */
    { "protocol", T_ANY }, { "n", T_ANY }, { "audit", T_ANY }, { "p", T_ANY },
    { "separation", T_ANY }, { "defer", T_ANY }, { "success", T_NUM }, { "trials", T_NUM },
    { "seed", T_NUM }, { NULL, 0 } };

#define WHAT "control"
#define MAX_ROWS 1000000 /* rows one call may make */

/* a list being read: its values, owned by a box on the stack */
typedef struct list {
    double *v;
    int n;
} list;

/* The value of field `name` of the table at idx read as one number or a list
 * of them into *out (a fresh array in a box pushed on the stack; n = 0 when
 * the field is absent). kind: 'n' numbers, 'i' integers, 'p' numbers or the
 * string "optimal" (read as NAN), 's' protocol names (read as their index). */
static void read_list(lua_State *L, int idx, const char *name, int kind, const char *loc,
                      list *out)
{
    static const char *const optimal[] = { "optimal", NULL };
    const char *words = kind == 'p' ? "a number, 'optimal' or a list of them"
                      : kind == 's' ? "a protocol name or a list of them"
                      : kind == 'i' ? "an integer or a list of integers"
                                    : "a number or a list of numbers";
    void **box = l_push_box(L, free);
    int slot = lua_gettop(L);
    lua_getfield(L, idx, name);
    int t = lua_gettop(L);
    out->n = 0;
    out->v = NULL;
    if (lua_isnil(L, t)) {
        lua_settop(L, slot);
        return;
    }
    int is_list = lua_istable(L, t);
    lua_Integer len = is_list ? luaL_len(L, t) : 1;
    if (!is_list && lua_type(L, t) != LUA_TNUMBER && lua_type(L, t) != LUA_TSTRING)
        l_raise(L, loc, "field '%s' of %s must be %s (got %s)", name, WHAT, words,
                luaL_typename(L, t));
    if (len < 1)
        l_raise(L, loc, "field '%s' of %s is an empty list", name, WHAT);
    if (len > MAX_ROWS)
        l_raise(L, loc, "field '%s' of %s lists %lld values (at most %d)", name, WHAT,
                (long long)len, MAX_ROWS);
    size_t bytes;
    if (size_mul((size_t)len, sizeof(double), &bytes) || !(*box = malloc(bytes)))
        l_raise(L, loc, "out of memory for field '%s' of %s", name, WHAT);
    out->v = *box;
    for (lua_Integer i = 1; i <= len; i++) {
        if (is_list)
            lua_geti(L, t, i);
        else
            lua_pushvalue(L, t);
        char at[64] = "";
        if (is_list)
            snprintf(at, sizeof at, "entry %lld of ", (long long)i);
        int type = lua_type(L, -1);
        double x = 0;
        if (kind == 's') {
            if (type != LUA_TSTRING)
                l_raise(L, loc, "%sfield '%s' of %s must be %s (got %s)", at, name, WHAT,
                        is_list ? "a protocol name" : words, luaL_typename(L, -1));
            const char *s = lua_tostring(L, -1);
            int k = 0;
            while (control_protocol_names[k] && strcmp(control_protocol_names[k], s) != 0)
                k++;
            if (!control_protocol_names[k]) {
                const char *near = l_closest(s, control_protocol_names);
                char hint[96] = "";
                if (near)
                    snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
                l_raise(L, loc, "%sfield '%s' of %s must be one of 'upfront', 'random', "
                        "'trusted_monitoring', 'defer_to_trusted' (got '%s'%s)", at, name,
                        WHAT, s, hint);
            }
            x = k;
        } else if (type == LUA_TSTRING && kind == 'p') {
            const char *s = lua_tostring(L, -1);
            if (strcmp(s, "optimal") != 0) {
                const char *near = l_closest(s, optimal);
                l_raise(L, loc, "%sfield '%s' of %s must be a number or 'optimal' (got '%s'%s)",
                        at, name, WHAT, s, near ? "; did you mean 'optimal'?" : "");
            }
            x = NAN;
        } else if (type != LUA_TNUMBER) {
            l_raise(L, loc, "%sfield '%s' of %s must be %s (got %s)", at, name, WHAT,
                    !is_list ? words : kind == 'p' ? "a number or 'optimal'"
                    : kind == 'i' ? "an integer" : "a number", luaL_typename(L, -1));
        } else if (kind == 'i') {
            int ok = 0;
            lua_Integer v = lua_tointegerx(L, -1, &ok);
            if (!ok)
                l_raise(L, loc, "%sfield '%s' of %s must be an integer (got %s)", at, name,
                        WHAT, lua_tostring(L, -1));
            /* checked here, as a 64-bit integer, in the core's words */
            control_params cp;
            control_params_default(&cp);
            cp.n = (long long)v;
            os_err err;
            if (control_check(&cp, WHAT, &err))
                l_raise(L, loc, "%s%s", at, err.msg);
            x = (double)v;
        } else {
            x = lua_tonumber(L, -1);
            os_err err; /* NaN is no value (and stands for "optimal" in p) */
            if (isnan(x) && kind == 'p' && control_check_attack(x, WHAT, &err))
                l_raise(L, loc, "%s%s", at, err.msg);
        }
        out->v[i - 1] = x;
        lua_pop(L, 1);
    }
    out->n = (int)len;
    lua_settop(L, slot); /* the box stays */
}

/* t[k] = v on the table on top */
static void put_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void put_int(lua_State *L, const char *k, long long v)
{
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, k);
}

/* a setting as a column: an integer when whole, "inf" when infinite */
static void put_setting(lua_State *L, const char *k, double v)
{
    l_push_setting(L, v);
    lua_setfield(L, -2, k);
}

typedef struct spec {
    list proto, n, sep, defer, audit, p;
    double success;
    long long trials;
    uint64_t seed;
} spec;

/* Every configuration of s, in row order: fn(L, s, params, p, ud) for each. */
static void each(lua_State *L, const spec *s,
                 void (*fn)(lua_State *, const spec *, const control_params *, double, void *),
                 void *ud)
{
    static const double none = 0;
    for (int a = 0; a < s->proto.n; a++) {
        control_params cp;
        control_params_default(&cp);
        cp.protocol = (control_protocol)(int)s->proto.v[a];
        cp.success = s->success;
        int mon = cp.protocol == CONTROL_TRUSTED_MONITORING ||
                  cp.protocol == CONTROL_DEFER_TO_TRUSTED;
        int dtt = cp.protocol == CONTROL_DEFER_TO_TRUSTED;
        const double *seps = mon ? s->sep.v : &none, *defs = dtt ? s->defer.v : &none;
        int nsep = mon ? s->sep.n : 1, ndef = dtt ? s->defer.n : 1;
        for (int b = 0; b < s->n.n; b++)
            for (int c = 0; c < nsep; c++)
                for (int d = 0; d < ndef; d++)
                    for (int e = 0; e < s->audit.n; e++)
                        for (int f = 0; f < s->p.n; f++) {
                            cp.n = (long long)s->n.v[b];
                            cp.separation = seps[c];
                            cp.defer = defs[d];
                            cp.audit = s->audit.v[e];
                            fn(L, s, &cp, s->p.v[f], ud);
                        }
    }
}

static void check_one(lua_State *L, const spec *s, const control_params *cp, double p,
                      void *ud)
{
    (void)s;
    const char *loc = ud;
    os_err err;
    if (control_check(cp, WHAT, &err) || (!isnan(p) && control_check_attack(p, WHAT, &err)))
        l_raise(L, loc, "%s", err.msg);
}

typedef struct out {
    int rows;    /* stack index of the result list */
    gsl_rng *rng;
} out;

static void push_row(lua_State *L, const spec *s, const control_params *cp, double p, void *ud)
{
    out *o = ud;
    int optimal = isnan(p);
    double q = optimal ? control_optimal_attack(cp) : p;
    control_fates f;
    control_attack_fates(cp, &f);
    lua_createtable(L, 0, 20);
    lua_pushstring(L, control_protocol_names[cp->protocol]);
    lua_setfield(L, -2, "protocol");
    put_int(L, "n", cp->n);
    put_setting(L, "audit", cp->audit);
    put_int(L, "audits", control_audits(cp));
    if (cp->protocol == CONTROL_TRUSTED_MONITORING || cp->protocol == CONTROL_DEFER_TO_TRUSTED)
        put_setting(L, "separation", cp->separation);
    if (cp->protocol == CONTROL_DEFER_TO_TRUSTED) {
        put_setting(L, "defer", cp->defer);
        put_num(L, "attack_deferred", f.deferred);
    }
    if (cp->protocol != CONTROL_UPFRONT)
        put_num(L, "attack_audited", f.audited);
    put_setting(L, "success", cp->success);
    put_num(L, "p", q);
    lua_pushboolean(L, optimal);
    lua_setfield(L, -2, "p_optimal");
    put_num(L, "safety", control_safety(cp, q));
    put_num(L, "usefulness", control_usefulness(cp));
    if (s->trials > 0) {
        control_sim sim;
        os_err err;
        gsl_rng_set(o->rng, rng_derive_seed(s->seed, 1)); /* the stream (seed, 1) */
        if (control_simulate(cp, q, s->trials, o->rng, &sim, &err))
            l_raise(L, NULL, "%s", err.msg); /* checked before: not reached */
        put_int(L, "seed", (long long)s->seed);
        put_int(L, "trials", s->trials);
        put_num(L, "safety_sim", sim.safety);
        put_num(L, "safety_sim_se", sim.se);
        put_num(L, "budget_ran_out", (double)sim.budget_ran_out / (double)sim.trials);
    }
    lua_seti(L, o->rows, (lua_Integer)luaL_len(L, o->rows) + 1);
}

static void free_rng(void *r)
{
    rng_free(r);
}

/* oversim.control{protocol=, n=, audit=, p=, separation=, defer=, success=,
 * trials=, seed=} -> rows */
static int l_control(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    l_push_where(L); /* 2 */
    const char *loc = lua_tostring(L, 2);
    l_check_record(L, 1, CONTROL_FIELDS, WHAT, loc);
    spec s;
    read_list(L, 1, "protocol", 's', loc, &s.proto);
    read_list(L, 1, "n", 'i', loc, &s.n);
    read_list(L, 1, "audit", 'n', loc, &s.audit);
    read_list(L, 1, "separation", 'n', loc, &s.sep);
    read_list(L, 1, "defer", 'n', loc, &s.defer);
    read_list(L, 1, "p", 'p', loc, &s.p);
    if (!s.proto.n)
        l_raise(L, loc, "field 'protocol' of %s is missing ('upfront', 'random', "
                "'trusted_monitoring' or 'defer_to_trusted', or a list of them)", WHAT);
    if (!s.n.n)
        l_raise(L, loc, "field 'n' of %s is missing (the number of tasks in the deployment)",
                WHAT);
    if (!s.audit.n)
        l_raise(L, loc, "field 'audit' of %s is missing (the audit budget: the fraction of "
                "tasks audited, in [0,1], or a list)", WHAT);
    double optimal = NAN;
    if (!s.p.n) { /* default: the red team's best */
        s.p.v = &optimal;
        s.p.n = 1;
    }
    int mon = 0, dtt = 0;
    for (int i = 0; i < s.proto.n; i++) {
        control_protocol pr = (control_protocol)(int)s.proto.v[i];
        dtt |= pr == CONTROL_DEFER_TO_TRUSTED;
        mon |= pr == CONTROL_TRUSTED_MONITORING || pr == CONTROL_DEFER_TO_TRUSTED;
        const char *name = control_protocol_names[pr];
        if ((pr == CONTROL_TRUSTED_MONITORING || pr == CONTROL_DEFER_TO_TRUSTED) && !s.sep.n)
            l_raise(L, loc, "field 'separation' of %s is missing (protocol '%s' needs the "
                    "monitor's d' >= 0, or math.huge for a perfect monitor)", WHAT, name);
        if (pr == CONTROL_DEFER_TO_TRUSTED && !s.defer.n)
            l_raise(L, loc, "field 'defer' of %s is missing (protocol '%s' needs the "
                    "fraction of tasks deferred, in [0, 1 - audit])", WHAT, name);
    }
    if (s.sep.n && !mon)
        l_raise(L, loc, "field 'separation' of %s applies to protocols 'trusted_monitoring' "
                "and 'defer_to_trusted' only (got protocol '%s')", WHAT,
                control_protocol_names[(int)s.proto.v[0]]);
    if (s.defer.n && !dtt)
        l_raise(L, loc, "field 'defer' of %s applies to protocol 'defer_to_trusted' only "
                "(got protocol '%s')", WHAT, control_protocol_names[(int)s.proto.v[0]]);
    s.success = l_opt_number(L, 1, "success", 1, WHAT, loc, 1);
    s.trials = l_opt_int_range(L, 1, "trials", 0, 0, (int)CONTROL_MAX_TRIALS, WHAT, loc);
    s.seed = (uint64_t)l_opt_int(L, 1, "seed", 1, 0, WHAT, loc);
    /* the number of rows, counted without overflow */
    size_t rows = 0;
    for (int i = 0; i < s.proto.n; i++) {
        control_protocol pr = (control_protocol)(int)s.proto.v[i];
        size_t k = (size_t)s.n.n, t;
        int bad = size_mul(k, (size_t)s.audit.n, &k) | size_mul(k, (size_t)s.p.n, &k);
        if (pr == CONTROL_TRUSTED_MONITORING || pr == CONTROL_DEFER_TO_TRUSTED)
            bad |= size_mul(k, (size_t)s.sep.n, &k);
        if (pr == CONTROL_DEFER_TO_TRUSTED)
            bad |= size_mul(k, (size_t)s.defer.n, &k);
        bad |= size_add(rows, k, &t);
        rows = t;
        if (bad || rows > MAX_ROWS)
            l_raise(L, loc, "%s would make more than %d rows (the product of its lists' "
                    "lengths)", WHAT, MAX_ROWS);
    }
    each(L, &s, check_one, (void *)loc);
    void **box = l_push_box(L, free_rng);
    out o = { 0, NULL };
    if (s.trials > 0) {
        if (!(*box = o.rng = rng_new(s.seed, 1)))
            l_raise(L, loc, "out of memory for a random stream");
    }
    lua_createtable(L, (int)rows, 0);
    o.rows = lua_gettop(L);
    each(L, &s, push_row, &o);
    return 1;
}

int l_open_control(lua_State *L)
{
    lua_pushcfunction(L, l_control);
    lua_setfield(L, -2, "control");
    return 0;
}
