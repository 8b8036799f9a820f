-- tests/lua/control.lua — oversim.control from Lua, for tests/test_control_lua.c:
-- its bad-input messages (cases for harness_cases: each code runs in a fresh
-- state as chunk "t.lua", so messages carry "t.lua:<line>"), the shape of its
-- rows, and the claims scripts/control.lua's header makes, read from its CSV
-- by column name (strictly, read_csv.lua). A check that fails raises an error
-- saying which claim and which row; the functions return 0 when all hold.
local read = require 'read_csv'
local M = {}

local C = "oversim.control{ protocol = 'trusted_monitoring', n = 100, audit = 0.02, "
local function call(extra) return C .. extra .. " }" end

M.errors = {
  { code = call("separation = 1, sepration = 2"),
    msg = "t.lua:1: unknown key 'sepration' in control (did you mean 'separation'?)" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = 1.5 }",
    msg = "t.lua:1: field 'audit' of control must be a probability in [0,1] (got 1.5)" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = { 0.1, -0.2 } }",
    msg = "t.lua:1: field 'audit' of control must be a probability in [0,1] (got -0.2)" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = { 0.1, 'x' } }",
    msg = "t.lua:1: entry 2 of field 'audit' of control must be a number (got string)" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = {} }",
    msg = "t.lua:1: field 'audit' of control is an empty list" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = '0.1' }",
    msg = "t.lua:1: field 'audit' of control must be a number or a list of numbers (got string)" },
  { code = "local x = 1\n\noversim.control{ protocol = 'upfront', n = 0, audit = 0.1 }",
    msg = "t.lua:3: field 'n' of control must be >= 1 (got 0)" },
  { code = "oversim.control{ protocol = 'upfront', n = { 10, 2.5 }, audit = 0.1 }",
    msg = "t.lua:1: entry 2 of field 'n' of control must be an integer (got 2.5)" },
  { code = "oversim.control{ protocol = 'upfront', n = 2000000000, audit = 0.1 }",
    msg = "t.lua:1: field 'n' of control must be <= 1000000000 (got 2000000000)" },
  { code = call("separation = 1, p = 1.2"),
    msg = "t.lua:1: field 'p' of control must be a probability in [0,1] (got 1.2)" },
  { code = call("separation = 1, p = { 0.1, 'optimum' }"),
    msg = "t.lua:1: entry 2 of field 'p' of control must be a number or 'optimal' (got "
      .. "'optimum'; did you mean 'optimal'?)" },
  { code = call("separation = 1, p = 0/0"),
    part = "t.lua:1: field 'p' of control must be a probability in [0,1] (got " },
  { code = call("separation = -1"),
    msg = "t.lua:1: field 'separation' of control must be >= 0 (got -1; math.huge for a "
      .. "perfect monitor)" },
  { code = call("separation = 0/0"),
    part = "t.lua:1: field 'separation' of control must be >= 0 (got " },
  { code = "oversim.control{ protocol = 'defer_to_trusted', n = 100, audit = 0.6, "
      .. "separation = 1, defer = 0.5 }",
    msg = "t.lua:1: fields 'audit' + 'defer' of control must be at most 1 (got 0.6 + 0.5)" },
  { code = "oversim.control{ protocol = 'trusted_monitor', n = 100, audit = 0.1 }",
    msg = "t.lua:1: field 'protocol' of control must be one of 'upfront', 'random', "
      .. "'trusted_monitoring', 'defer_to_trusted' (got 'trusted_monitor'; did you mean "
      .. "'trusted_monitoring'?)" },
  { code = "oversim.control{ protocol = 'upfront', n = 100, audit = 0.1, separation = 1 }",
    msg = "t.lua:1: field 'separation' of control applies to protocols "
      .. "'trusted_monitoring' and 'defer_to_trusted' only (got protocol 'upfront')" },
  { code = call("separation = 1, defer = 0.1"),
    msg = "t.lua:1: field 'defer' of control applies to protocol 'defer_to_trusted' only "
      .. "(got protocol 'trusted_monitoring')" },
  { code = call(""),
    msg = "t.lua:1: field 'separation' of control is missing (protocol 'trusted_monitoring' "
      .. "needs the monitor's d' >= 0, or math.huge for a perfect monitor)" },
  { code = "oversim.control{ protocol = 'defer_to_trusted', n = 10, audit = 0.1, separation = 1 }",
    msg = "t.lua:1: field 'defer' of control is missing (protocol 'defer_to_trusted' needs "
      .. "the fraction of tasks deferred, in [0, 1 - audit])" },
  { code = "oversim.control{ protocol = 'upfront', audit = 0.1 }",
    msg = "t.lua:1: field 'n' of control is missing (the number of tasks in the deployment)" },
  { code = "oversim.control{ n = 10, audit = 0.1 }",
    msg = "t.lua:1: field 'protocol' of control is missing ('upfront', 'random', "
      .. "'trusted_monitoring' or 'defer_to_trusted', or a list of them)" },
  { code = call("separation = 1, trials = -1"),
    msg = "t.lua:1: field 'trials' of control must be >= 0 (got -1)" },
  { code = call("separation = 1, success = 2"),
    msg = "t.lua:1: field 'success' of control must be a probability in [0,1] (got 2)" },
  { code = "oversim.control{ protocol = 'upfront', n = 10, audit = { 0.1, 0.2 }, "
      .. "p = 'optimal', trials = 10 }", ok = true },
}

local function check(ok, fmt, ...)
  if not ok then error(fmt:format(...), 2) end
end

-- The rows of one call: a row per configuration (separation and defer
-- multiply only the protocols that use them), "optimal" allowed in a list of
-- p, the simulation's columns only with trials, an infinite separation kept as
-- the string "inf" for CSV; the same seed gives the same CSV bytes (dir: a
-- folder to write into).
function M.rows(dir)
  local o = oversim
  local spec = { protocol = { "upfront", "trusted_monitoring", "defer_to_trusted" }, n = 200,
                 audit = { 0.02, 0.1 }, separation = { 1, math.huge }, defer = { 0, 0.2 },
                 p = { 0.01, "optimal" }, trials = 300, seed = 4 }
  local rows = o.control(spec)
  check(#rows == 2 * 2 + 2 * 2 * 2 + 2 * 2 * 2 * 2, "%d rows, expected 28", #rows)
  local n = { upfront = 0, trusted_monitoring = 0, defer_to_trusted = 0 }
  for i, r in ipairs(rows) do
    n[r.protocol] = n[r.protocol] + 1
    check((r.separation ~= nil) == (r.protocol ~= "upfront"), "row %d: separation", i)
    check((r.defer ~= nil) == (r.protocol == "defer_to_trusted"), "row %d: defer", i)
    check(r.p_optimal == (r.p ~= 0.01), "row %d: p_optimal %s with p %g", i,
          tostring(r.p_optimal), r.p)
    check(r.trials == 300 and r.seed == 4 and r.safety_sim and r.safety_sim_se
          and r.budget_ran_out, "row %d: simulation columns", i)
    check(r.separation ~= math.huge, "row %d: an infinite separation must be 'inf'", i)
    check(r.audits == math.floor(r.audit * 200 + 0.5), "row %d: audits %d", i, r.audits)
    if r.separation == "inf" then check(r.safety == 1, "row %d: perfect monitor", i) end
  end
  check(n.upfront == 4 and n.trusted_monitoring == 8 and n.defer_to_trusted == 16,
        "rows per protocol")
  -- a given p is used as given; the default p is the red team's optimum
  local one = o.control{ protocol = "random", n = 50, audit = 0.1, p = 0.3 }[1]
  check(one.p == 0.3 and one.p_optimal == false and one.safety_sim == nil, "given p")
  local best = o.control{ protocol = "upfront", n = 50, audit = 0.1 }[1]
  local k = 5
  check(math.abs(best.p - (1 - (k / 50) ^ (1 / (50 - k)))) < 1e-6 and best.p_optimal,
        "upfront optimum %g", best.p)
  -- CSV: the same seed, the same bytes; another seed, other bytes
  local function bytes(seed, name)
    spec.seed = seed
    o.write_csv(dir .. "/" .. name, o.control(spec))
    local f = assert(io.open(dir .. "/" .. name, "rb"))
    local s = f:read("a")
    f:close()
    return s
  end
  local a, b, c = bytes(4, "a.csv"), bytes(4, "b.csv"), bytes(5, "c.csv")
  check(a == b, "the same seed wrote different CSVs")
  check(a ~= c, "another seed wrote the same CSV")
  check(a:match("^seed,"), "CSV columns: %s", a:match("^[^\n]*"))
  local back = read(dir .. "/a.csv")
  check(#back == #rows, "read back %d rows", #back)
  return 0
end

-- The claims of scripts/control.lua's header, on its CSV at path.
function M.script(path)
  local rows = read(path)
  local function get(sweep, keep)
    local t = {}
    for _, r in ipairs(rows) do if r.sweep == sweep and keep(r) then t[#t + 1] = r end end
    table.sort(t, function(x, y) return x.audit < y.audit end)
    return t
  end
  local function proto(name, sep, defer)
    return function(r)
      return r.protocol == name and (sep == nil or r.separation == sep)
        and (defer == nil or r.defer == defer)
    end
  end
  local up = get("budget", proto("upfront"))
  check(#up >= 5, "%d upfront budget rows", #up)
  for i, r in ipairs(up) do
    -- upfront: safety rises with the budget, at the closed-form optimum
    if i > 1 then check(r.safety > up[i - 1].safety, "upfront safety at audit %g", r.audit) end
    local k, n = r.audits, r.n
    check(r.p_optimal and math.abs(r.p / (1 - (k / n) ^ (1 / (n - k))) - 1) < 1e-6,
          "upfront p* at audit %g: %g", r.audit, r.p)
  end
  for _, r in ipairs(rows) do
    -- every other protocol's optimum is p = 1
    if r.protocol ~= "upfront" and r.p_optimal then
      check(r.p == 1, "%s p* = %g at audit %g", r.protocol, r.p, r.audit)
    end
    -- the simulation agrees with the exact safety where the budget held
    if r.budget_ran_out == 0 then
      local se = math.sqrt(r.safety * (1 - r.safety) / r.trials)
      check(math.abs(r.safety_sim - r.safety) <= 4 * se + 1 / r.trials,
            "%s %s audit %g p %g: simulated %g, exact %g", r.sweep, r.protocol, r.audit, r.p,
            r.safety_sim, r.safety)
    end
  end
  -- a better monitor is safer, and deferring 10% safer still, at every budget
  for i, r in ipairs(up) do
    local prev
    for _, d in ipairs{ 1, 2, 3 } do
      local tm = get("budget", function(x) return x.audit == r.audit
        and proto("trusted_monitoring", d)(x) end)[1]
      local dtt = get("budget", function(x) return x.audit == r.audit
        and proto("defer_to_trusted", d, 0.1)(x) end)[1]
      check(tm and dtt, "budget %g: rows at d' = %d", r.audit, d)
      check(not prev or tm.safety > prev.safety, "TM d'=%d at audit %g", d, r.audit)
      check(dtt.safety > tm.safety, "DTT d'=%d at audit %g", d, r.audit)
      prev = tm
    end
    check(i > 0, "")
  end
  -- the frontier: more deferred, safer and less useful
  for _, d in ipairs{ 1, 2, 3 } do
    local f = get("frontier", proto("defer_to_trusted", d))
    table.sort(f, function(x, y) return x.defer < y.defer end)
    check(#f >= 5, "frontier d'=%d: %d rows", d, #f)
    for i, r in ipairs(f) do
      check(math.abs(r.usefulness - (1 - r.defer)) < 1e-12, "usefulness at f = %g", r.defer)
      if i > 1 then
        check(r.safety > f[i - 1].safety, "frontier d'=%d: safety at f = %g", d, r.defer)
      end
    end
  end
  -- the hard count runs out where attacks are rare under random auditing
  local rare = get("attack_rate", function(x) return x.protocol == "random" and x.p == 1e-5 end)
  check(#rare == 1 and rare[1].budget_ran_out > 0.2, "random auditing at p = 1e-5: audits "
        .. "ran out in %s", rare[1] and tostring(rare[1].budget_ran_out) or "no row")
  -- trained policies as the attacker: the waiting policy's p is pi0's q
  -- exactly; monitoring beats upfront auditing and deferring beats both for
  -- every policy; the one trained at realism 1 is near-perfectly safe, the
  -- one that learned to hide keeps most of the waiting policy's p
  local tr = {}
  for _, r in ipairs(get("trained", function() return true end)) do
    tr[r.policy] = tr[r.policy] or {}
    tr[r.policy][r.protocol] = r
  end
  local wait, hide, real = tr["lies in wait"], tr["red team, realism 0"], tr["red team, realism 1"]
  check(wait and hide and real, "trained rows for three policies")
  check(math.abs(wait.upfront.p - 0.6 * 0.004 / 4.004) < 1e-12, "lies in wait: p %g", wait.upfront.p)
  for name, t in pairs(tr) do
    check(t.trusted_monitoring.safety > t.upfront.safety and
          t.defer_to_trusted.safety > t.trusted_monitoring.safety, "%s: protocols' order", name)
  end
  check(real.upfront.safety > 0.99, "realism 1: upfront safety %g", real.upfront.safety)
  check(hide.upfront.p > 0.5 * wait.upfront.p, "realism 0 keeps p %g of %g", hide.upfront.p,
        wait.upfront.p)
  return 0
end

return M
