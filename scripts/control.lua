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
--   trained       p from trained policies instead of a red team's choice: the
--                 per-task catastrophe probability q (`catastrophe_deploy`) of
--                 a policy trained on scenarios/opportunity.lua by an oracle
--                 (it lies in wait: q is pi0's), and of ones adversarially
--                 trained at realism 1 and at realism 0 (cue 3: it hides), at
--                 a 2% budget under upfront auditing, trusted monitoring and
--                 defer to trusted (d' = 2, 10% deferred); column `policy`
-- What it shows (checked by tests/test_control_lua.c on n=500; by hand at the
-- defaults and on n=500 with seeds 2 and 3):
--   * upfront auditing's safety rises with the budget but stays low (0.03 at
--     0.5%, 0.30 at 10%): the red team attacks rarely, at
--     p* = 1 - (k/N)^(1/(N-k)) (the search finds the closed form; 2.6 to 5.3
--     attacks in expectation over the deployment), so most often its first
--     attack comes after the audited stretch;
--   * under random auditing, trusted monitoring and defer to trusted the red
--     team's best p is 1: the audit chance of a task does not change with
--     time, so waiting buys nothing, and safety is the chance that an attack
--     is audited before one gets through (random auditing: a itself);
--   * at every budget trusted monitoring is safer with a better monitor
--     (larger d'), and deferring 10% is safer still at the same d';
--   * along the frontier, safety rises and usefulness (1 - deferred fraction)
--     falls as more is deferred;
--   * trained policies as the attacker (2% budget): the one that lies in wait
--     attacks at pi0's q = 6.0e-4 a task, exactly the rare-attack regime that
--     defeats upfront auditing (safety 0.11; monitoring 0.51, deferring 0.74);
--     adversarial training at realism 1 makes every protocol safe (q 8e-7:
--     0.996 upfront), at realism 0 (hiding) barely changes the picture (q
--     4.1e-4: 0.17 upfront); monitoring beats upfront and deferring beats
--     monitoring for each;
--   * the simulation agrees with the exact safety (within 4 standard errors)
--     wherever its hard budget never ran out. It runs out only where attacks
--     are rare (attack_rate rows with p <= 1e-3 under random auditing and
--     monitoring: in 45% of deployments at p = 1e-5, n = 5000), and then only
--     in a deployment's last tasks, so the two still agree within the noise.
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

-- a training run's catastrophe rate as the attack probability
local opp = o.scenario("opportunity", {})
local function trained_q(red_team)
  local r = o.train{ world = opp.world, overseer = opp.overseers.oracle, rounds = 30,
                     labels_per_round = 64, seed = opt.seed, red_team = red_team }
  return r[#r].catastrophe_deploy
end
for _, t in ipairs{ { "lies in wait", nil },
                    { "red team, realism 0", { realism = 0, cue = 3, budget = 8 } },
                    { "red team, realism 1", { realism = 1, budget = 8 } } } do
  local q = trained_q(t[2])
  local first = #rows + 1
  add("trained", { protocol = { "upfront", "trusted_monitoring", "defer_to_trusted" },
                   audit = 0.02, separation = 2, defer = 0.1, p = q })
  for i = first, #rows do rows[i].policy = t[1] end
end

o.write_csv(opt.out, rows)

-- the printed summary: per configuration, safety at three budgets (exact,
-- then simulated), then the frontier at d' = 2
local function name(r)
  local s = r.protocol
  if r.separation then s = s .. " d'=" .. tostring(r.separation) end
  if r.defer then s = s .. (" f=%g"):format(r.defer) end
  return s
end
local configs, by = {}, {}
for _, r in ipairs(rows) do
  if r.sweep == "budget" then
    local k = name(r)
    if not by[k] then by[k] = { name = k }; configs[#configs + 1] = by[k] end
    by[k][r.audit] = r
  end
end
local function at(a)
  return { head = ("safety @ %g%%"):format(100 * a), fmt = function(c)
    return ("%.3f (%.3f)"):format(c[a].safety, c[a].safety_sim) end }
end
print(("AI control: N = %d tasks, success %g, the red team at its optimal attack "
  .. "probability p*; %d simulated deployments a row"):format(opt.n, opt.success, opt.trials))
o.print_table(configs, { { "name", head = "protocol" },
                         { head = "p* @ 2%", fmt = function(c) return ("%.3g"):format(c[0.02].p) end },
                         at(0.005), at(0.02), at(0.1) },
              { note = "(safety: exact (simulated); one standard error of a simulated value "
                  .. "is at most " .. ("%.3f"):format(0.5 / math.sqrt(opt.trials)) .. ")" })
local front = {}
for _, r in ipairs(rows) do
  if r.sweep == "frontier" and r.separation == 2 then front[#front + 1] = r end
end
o.print_table(front, { { head = "defer to trusted, d'=2, audit 2%", fmt = name },
                       "usefulness", "safety", { head = "simulated", fmt = function(r)
                         return ("%.3f"):format(r.safety_sim) end } },
              { title = "safety-usefulness frontier:" })
local trained = {}
for _, r in ipairs(rows) do
  if r.sweep == "trained" then trained[#trained + 1] = r end
end
o.print_table(trained, { "policy", { "p", fmt = "%.2e" }, "protocol", "safety",
                         { head = "simulated", fmt = function(r)
                           return ("%.3f"):format(r.safety_sim) end } },
              { title = "trained policies (scenarios/opportunity.lua, oracle, 30 rounds) as "
                  .. "the attacker, audit 2%, d' = 2, 10% deferred:" })
print("wrote " .. opt.out)
