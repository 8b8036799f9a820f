-- scripts/label_efficiency.lua — thousands of labels from a crack team, or
-- millions from a crowd? True value against labels and against label cost,
-- with uniform queries and with active (ensemble-disagreement) queries.
--
--   oversim run scripts/label_efficiency.lua [seeds=6] [rounds=20] [budget=160]
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
-- true_value, deception_rate, ... and the config columns overseer_kind, query,
-- label_price. `out` with _summary has, per (overseer, query), the mean over
-- seeds of the true value after 1/4, 1/2 and all of the rounds, with its
-- standard error. What it shows on random_flaws (checked by
-- tests/test_label_efficiency.c at seeds=6 rounds=20):
--   * the expert leads at a quarter of the budget (few accurate labels go
--     further at first), but at equal cost the noisy crowd ends above it: its
--     noise averages out over ten times the labels;
--   * the shallow crowd ends far below both (by > 0.4) and nearly all its mass
--     is deceptive (deception_rate > 0.8, the others < 0.3): more labels do not
--     remove a blind spot;
--   * disagreement queries neither clearly help nor hurt here: for every
--     overseer the active final true value is within 0.1 of the uniform one
--     (about one standard error at 6 seeds; Christiano et al. 2017 also found
--     active queries help on some tasks and hurt on others).
-- Only the defaults are checked; other settings order things differently
-- (rm=mlp, for one, changes how much the ensemble disagrees where it has no
-- labels, and with it what active queries ask).
local args = oversim.args
local seeds = args.seeds or 6
local rounds = args.rounds or 20
local budget = args.budget or 160
local K = args.ensemble or 5
local rm_kind = args.rm or "linear"
local out = args.out or "results/label_efficiency.csv"
local scenario = oversim.scenario(args.scenario or "random_flaws")

local overseers = {
  { name = "expert", price = 10,
    o = oversim.overseer{ name = "expert", competence = 2, beta = 10, cost = 10 } },
  { name = "crowd", price = 1,
    o = oversim.overseer{ name = "crowd", competence = 2, beta = 1, mistake = 0.2, cost = 1 } },
  { name = "crowd-shallow", price = 1,
    o = oversim.overseer{ name = "crowd-shallow", competence = 1, beta = 2,
                          when_unsure = "looks", cost = 1 } },
}
local reward_model
if rm_kind == "mlp" then
  reward_model = { model = { kind = "mlp", hidden = { 16 } }, fit = "adam", lr = 0.01,
                   max_iter = 100, ensemble = K }
elseif rm_kind == "linear" then
  reward_model = { fit = "adam", lr = 0.05, max_iter = 100, l2 = 1e-4, ensemble = K }
else
  error("rm must be 'linear' or 'mlp' (got '" .. tostring(rm_kind) .. "')")
end

local runs, keys = {}, {}
local run = 0
for _, ov in ipairs(overseers) do
  for _, query in ipairs{ "uniform", "disagreement" } do
    for seed = 1, seeds do
      run = run + 1
      runs[#runs + 1] = {
        world = scenario.world, overseer = ov.o, scenario = scenario.name,
        rounds = rounds, labels_per_round = budget // ov.price, seed = seed, run = run,
        stream = seed, query = query, reward_model = reward_model,
        policy = { method = "exact", kl = 0.1, lr = 2, steps = 20 },
        params = { overseer_kind = ov.name, query = query, label_price = ov.price,
                   rm = rm_kind, ensemble = K } }
      keys[#keys + 1] = { overseer = ov.name, query = query }
    end
  end
end
oversim.progress(#runs)
local results = oversim.sweep{ runs = runs }

local rows, acc = {}, {}
for i, res in ipairs(results) do
  local k = keys[i].overseer .. "/" .. keys[i].query
  acc[k] = acc[k] or { overseer = keys[i].overseer, query = keys[i].query, runs = {} }
  table.insert(acc[k].runs, res.rows)
  for _, row in ipairs(res.rows) do rows[#rows + 1] = row end
end

local function stats(list)
  local n, s, ss = #list, 0, 0
  for _, x in ipairs(list) do s = s + x end
  local m = s / n
  for _, x in ipairs(list) do ss = ss + (x - m) ^ 2 end
  return m, n > 1 and math.sqrt(ss / (n - 1) / n) or 0
end

local summary = {}
for _, ov in ipairs(overseers) do
  for _, query in ipairs{ "uniform", "disagreement" } do
    local a = acc[ov.name .. "/" .. query]
    local row = { overseer_kind = ov.name, query = query, label_price = ov.price }
    for _, at in ipairs{ { "quarter", rounds // 4 }, { "half", rounds // 2 }, { "final", rounds } } do
      local tv, dec = {}, {}
      for _, r in ipairs(a.runs) do
        tv[#tv + 1] = r[at[2] + 1].true_value
        dec[#dec + 1] = r[at[2] + 1].deception_rate
      end
      row["true_value_" .. at[1]], row["se_" .. at[1]] = stats(tv)
      row["deception_" .. at[1]] = stats(dec)
      row["labels_" .. at[1]] = a.runs[1][at[2] + 1].labels
      row["cost_" .. at[1]] = a.runs[1][at[2] + 1].label_cost
    end
    summary[#summary + 1] = row
  end
end

oversim.write_csv(out, rows)
local sout = (out:gsub("%.csv$", "")) .. "_summary.csv"
oversim.write_csv(sout, summary)

print(string.format("label efficiency on '%s': %d seeds, %d rounds, budget %d a round, "
                    .. "%s ensemble of %d", scenario.name, seeds, rounds, budget, rm_kind, K))
print(string.format("%-14s %-13s %8s %8s %16s %16s %16s %9s", "overseer", "query", "labels",
                    "cost", "true @1/4", "true @1/2", "true final", "deception"))
for _, s in ipairs(summary) do
  print(string.format("%-14s %-13s %8d %8.0f %9.3f ± %.3f %9.3f ± %.3f %9.3f ± %.3f %9.3f",
                      s.overseer_kind, s.query, s.labels_final, s.cost_final,
                      s.true_value_quarter, s.se_quarter, s.true_value_half, s.se_half,
                      s.true_value_final, s.se_final, s.deception_final))
end
print("wrote " .. out .. " and " .. sout)
