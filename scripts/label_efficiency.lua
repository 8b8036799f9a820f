-- scripts/label_efficiency.lua — thousands of labels from a crack team, or
-- millions from a crowd? True value against labels and against label cost,
-- with uniform queries and with active (ensemble-disagreement) queries.
--
--   oversim run scripts/label_efficiency.lua [seeds=20] [rounds=20] [budget=160]
--       [ensemble=5] [rm=linear|mlp] [scenario=random_flaws]
--       [out=results/label_efficiency.csv]
--
-- Overseers (all on the same world, same seeds):
--   expert         competence 2 (sees the hidden flaws), beta 10, cost 10 a label
--   crowd          competence 2, but noisy: beta 1 and 20% flipped labels, cost 1
--   crowd-shallow  competence 1, judges flawed outputs by their polish, beta 2,
--                  cost 1 (a crowd whose errors are a blind spot, not noise)
-- Every round each overseer spends the same `budget` (expert budget/10 labels,
-- crowds `budget` labels), so a round is equal cost. Queries: `uniform` (pairs
-- drawn from the current policy) or `disagreement` (8x as many candidates
-- drawn the same way; the labels go to those with the largest variance of
-- r1 - r2 across the `ensemble` reward-model members, Christiano et al. 2017).
-- The reward model is that ensemble (rm=linear: tabular members, each its own
-- N(0,1) init, fitted by Adam; rm=mlp: 1 x 16 tanh MLPs); the reward is the
-- members' mean; the policy is the exact KL-regularised gradient (kl 0.1).
--
-- `out` has one row per (overseer, query, seed, round): labels, label_cost,
-- true_value, deception_rate, ... and the configuration columns (query,
-- label_price, rm, ensemble among them). `out` with _summary has, per
-- (overseer, query) and for the rounds at 1/4, 1/2 and all of the budget, the
-- mean over seeds of each column under its per-round name (true_value,
-- deception_rate, labels, label_cost, ...) with _sd, _se, _lo, _hi beside it.
-- What it shows on random_flaws (checked by tests/test_label_efficiency.c at
-- the defaults, seeds=20 rounds=20; the reward model's l2 = 1e-4 is a weak
-- prior on the summed loss):
--   * at equal cost the noisy crowd ends above the expert, with either query:
--     its noise averages out over ten times the labels. Early (a quarter of
--     the budget) they are level with uniform queries; with disagreement
--     queries the expert leads then (few accurate labels go further at first);
--   * the shallow crowd ends far below both (by > 0.4) and nearly all its mass
--     is deceptive (deception_rate > 0.8, the others < 0.3): more labels do not
--     remove a blind spot;
--   * disagreement queries do not help here: for no overseer does the active
--     final true value end more than 0.1 above the uniform one; they end
--     below it for the expert and the crowd (seeds=30: expert 0.93 vs 1.00,
--     crowd 0.96 vs 1.13) and level with it for the shallow crowd.
-- The ensemble's members each fit their own bootstrap resample of the labels
-- (reward_model.bootstrap, on by default for ensembles).
-- Only the defaults are checked; other settings order things differently
-- (rm=mlp, for one, changes how much the ensemble disagrees where it has no
-- labels, and with it what active queries ask).
local o = oversim
local opt = o.options{ seeds = 20, rounds = 20, budget = 160, ensemble = 5, rm = "linear",
                       scenario = "random_flaws", out = "results/label_efficiency.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local scenario = o.scenario(opt.scenario)

local overseers = {
  { price = 10, o.overseer{ name = "expert", competence = 2, beta = 10, cost = 10 } },
  { price = 1, o.overseer{ name = "crowd", competence = 2, beta = 1, mistake = 0.2, cost = 1 } },
  { price = 1, o.overseer{ name = "crowd-shallow", competence = 1, beta = 2,
                           when_unsure = "looks", cost = 1 } },
}
local models = {
  linear = { fit = "adam", lr = 0.05, max_iter = 100, l2 = 1e-4, ensemble = opt.ensemble },
  mlp = { model = { kind = "mlp", hidden = { 16 } }, fit = "adam", lr = 0.01, max_iter = 100,
          ensemble = opt.ensemble },
}
if not models[opt.rm] then error("rm must be 'linear' or 'mlp' (got '" .. opt.rm .. "')") end

local runs = o.grid({ { "who", overseers }, { "query", { "uniform", "disagreement" } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = scenario.world, overseer = p.who[1], seed = p.seed, rounds = opt.rounds,
           labels_per_round = opt.budget // p.who.price, query = p.query,
           reward_model = models[opt.rm], policy = { method = "exact", kl = 0.1, lr = 2, steps = 20 },
           params = { label_price = p.who.price, rm = opt.rm, ensemble = opt.ensemble } }
end)
local rows = o.sweep{ runs = runs }
local summary, columns = o.summarize(rows, { by = { "overseer", "query" },
                                             at = { opt.rounds // 4, opt.rounds // 2, opt.rounds } })
local wrote = o.save(opt.out, rows)
o.write_csv(o.sibling(opt.out, "summary"), summary, { columns = columns })

local function pm(r) return ("%.3f ± %.3f"):format(r.true_value, r.true_value_se) end
local final = {}
for i, r in ipairs(summary) do
  if r.round == opt.rounds then
    r.quarter, r.half = pm(summary[i - 2]), pm(summary[i - 1])
    final[#final + 1] = r
  end
end
o.print_table(final, { "overseer", "query", "labels", { "label_cost", head = "cost", fmt = "%.0f" },
                       { "quarter", head = "true @1/4" }, { "half", head = "true @1/2" },
                       { head = "true final", fmt = pm }, { "deception_rate", head = "deception" } },
  { title = ("label efficiency on '%s': %d seeds, %d rounds, budget %d a round, %s ensemble of %d")
      :format(scenario.name, opt.seeds, opt.rounds, opt.budget, opt.rm, opt.ensemble) })
print("wrote " .. wrote[1] .. " and " .. o.sibling(opt.out, "summary"))
