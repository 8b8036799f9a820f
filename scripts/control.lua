-- scripts/control.lua — AI control (Greenblatt et al. 2023): how safe is a
-- deployment of N tasks by an untrusted policy that attacks at the rate the
-- red team likes best, under upfront auditing, trusted monitoring and
-- defer-to-trusted, as the audit budget grows; and what deferring buys in
-- safety for what it costs in usefulness.
--
--   oversim run scripts/control.lua [n=5000] [trials=2000] [seed=1]
--       [success=1] [out=results/control.csv]
--
-- The model is oversim.control's (README, core/control.h): an attack that is
-- audited is caught, one neither audited nor deferred succeeds with
-- probability `success`; monitor scores benign ~ N(0,1), attack ~ N(d', 1).
-- Three sweeps, one CSV (column `sweep`), each row with its exact safety and
-- `trials` simulated deployments in which the audit budget is a hard count:
--   budget        audit budget 0.5% .. 10%, at the red team's optimal p:
--                 upfront, random auditing, trusted monitoring at d' = 1, 2, 3,
--                 defer to trusted (10% deferred) at d' = 1, 2, 3
--   frontier      defer to trusted at a 2% budget, d' = 1, 2, 3, deferring
--                 0% .. 98% of tasks: safety against usefulness
--   attack_rate   a 2% budget, p from 1e-5 to 1 and the optimum: upfront,
--                 random, trusted monitoring (d' = 2), defer to trusted
--                 (d' = 2, 10% deferred)
-- What it shows (checked by tests/test_control_lua.c on n=500; the same holds
-- at the defaults, README):
--   * upfront auditing's safety rises with the budget but stays low: the red
--     team attacks rarely (p* = 1 - (k/N)^(1/(N-k)), about 4 attacks in
--     expectation) and most often only after the audited stretch;
--   * under random auditing, trusted monitoring and defer to trusted the red
--     team's best p is 1: the audit chance of a task does not change with
--     time, so waiting buys nothing; safety is then about the chance that an
--     attack is audited rather than let through;
--   * at every budget trusted monitoring is safer with a better monitor
--     (larger d'), and deferring 10% is safer still at the same d';
--   * along the frontier safety rises and usefulness (1 - deferred fraction)
--     falls as more is deferred;
--   * the simulation agrees with the exact safety (within 4 standard errors)
--     wherever its hard budget never ran out; it runs out where attacks are
--     rare under random auditing and monitoring (attack_rate rows with small p),
--     and there the simulated deployments are less safe.
local o = oversim
local opt = o.options{ n = 5000, trials = 2000, seed = 1, success = 1,
                       out = "results/control.csv" }
o.check_output(opt.out)

local BUDGETS = { 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1 }
local SEPARATIONS = { 1, 2, 3 }
local rows = {}
local function add(sweep, spec)
  spec.n, spec.trials, spec.seed, spec.success = opt.n, opt.trials, opt.seed, opt.success
  for _, r in ipairs(o.control(spec)) do
    r.sweep = sweep
    rows[#rows + 1] = r
  end
end

add("budget", { protocol = { "upfront", "random" }, audit = BUDGETS })
add("budget", { protocol = "trusted_monitoring", audit = BUDGETS, separation = SEPARATIONS })
add("budget", { protocol = "defer_to_trusted", audit = BUDGETS, separation = SEPARATIONS,
                defer = 0.1 })
add("frontier", { protocol = "defer_to_trusted", audit = 0.02, separation = SEPARATIONS,
                  defer = { 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.98 } })
local RATES = { 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, "optimal" }
add("attack_rate", { protocol = { "upfront", "random" }, audit = 0.02, p = RATES })
add("attack_rate", { protocol = "trusted_monitoring", audit = 0.02, separation = 2, p = RATES })
add("attack_rate", { protocol = "defer_to_trusted", audit = 0.02, separation = 2, defer = 0.1,
                     p = RATES })

o.write_csv(opt.out, rows)

-- the printed summary: a few budgets, then the frontier at d' = 2
local function name(r)
  local s = r.protocol
  if r.separation then s = s .. " d'=" .. tostring(r.separation) end
  if r.defer then s = s .. (" f=%g"):format(r.defer) end
  return s
end
local shown = {}
for _, r in ipairs(rows) do
  if r.sweep == "budget" and (r.audit == 0.005 or r.audit == 0.02 or r.audit == 0.1) then
    shown[#shown + 1] = r
  end
end
local sim = { head = "simulated", fmt = function(r)
  return ("%.3f ± %.3f"):format(r.safety_sim, r.safety_sim_se) end }
print(("AI control: N = %d tasks, success %g, the red team's optimal attack probability p; "
  .. "%d simulated deployments a row"):format(opt.n, opt.success, opt.trials))
o.print_table(shown, { { head = "protocol", fmt = name }, { "audit", fmt = "%.3f" }, "audits",
                       { "p", fmt = "%.3g" }, { head = "N p", fmt = function(r)
                         return ("%.1f"):format(r.n * r.p) end },
                       "safety", sim, "usefulness" })
local front = {}
for _, r in ipairs(rows) do
  if r.sweep == "frontier" and r.separation == 2 then front[#front + 1] = r end
end
o.print_table(front, { { head = "defer to trusted, d'=2, audit 2%", fmt = name },
                       "usefulness", "safety", sim },
              { title = "safety-usefulness frontier:" })
print("wrote " .. opt.out)
