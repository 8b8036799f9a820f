-- scripts/naive_rlhf.lua — naive RLHF: the same world trained under an oracle,
-- an unaided human who doesn't know (coin) and one who is wrong (looks).
--
--   oversim run scripts/naive_rlhf.lua [seeds=5] [seed=1] [rounds=40] [labels=64]
--       [kl=1] [scenario=hidden_bug] [out=results/naive_rlhf.csv]
--
-- Runs seeds first_seed .. first_seed+seeds-1 per overseer. Writes one row per (run, round) to `out` (DESIGN.md §2 columns), the final
-- policy per (run, context, behaviour) to `out` with _policy before .csv, and a
-- manifest beside each. What the CSV shows on the hidden_bug world (checked by
-- tests/test_scenarios.c on a smaller fixed-seed configuration):
--   human-looks: deception_rate and overestimation rise over rounds, perceived
--                value rises, true value ends far below the oracle's;
--   human-coin:  in hard contexts the labels are coin flips, so the policy
--                there stays near pi0 (see the _policy CSV);
--   oracle:      deception_rate falls towards 0.
local args = oversim.args
local seeds = args.seeds or 5
local first_seed = args.seed or 1
local rounds = args.rounds or 40
local labels = args.labels or 64
local kl = args.kl or 1
local out = args.out or "results/naive_rlhf.csv"
local scenario = oversim.scenario(args.scenario or "hidden_bug")
local overseers = { "oracle", "human-coin", "human-looks" }

local rows, policy_rows, finals = {}, {}, {}
local run = 0
-- runs done / total on stderr when it is a terminal; each train call advances it
oversim.progress(#overseers * seeds)
for _, name in ipairs(overseers) do
  local overseer = scenario.overseers[name]
  if not overseer then error("scenario '" .. scenario.name .. "' has no overseer '" .. name .. "'") end
  finals[name] = {}
  for seed = first_seed, first_seed + seeds - 1 do
    run = run + 1
    local r, p = oversim.train{
      world = scenario.world, overseer = overseer, scenario = scenario.name,
      rounds = rounds, labels_per_round = labels, seed = seed, run = run,
      policy = { method = "exact", kl = kl, lr = 2, steps = 20 },
      reward_model = { l2 = 1e-3 },
      params = { kl_coef = kl, labels_per_round = labels },
    }
    for _, row in ipairs(r) do rows[#rows + 1] = row end
    for _, row in ipairs(p) do policy_rows[#policy_rows + 1] = row end
    finals[name][#finals[name] + 1] = { first = r[1], last = r[#r] }
  end
end

local policy_out = out:gsub("%.csv$", "") .. "_policy.csv"
oversim.write_csv(out, rows)
oversim.write_csv(policy_out, policy_rows)

local function mean(list, when, key)
  local s = 0
  for _, f in ipairs(list) do s = s + f[when][key] end
  return s / #list
end

print(string.format("naive RLHF on '%s': %d overseers x %d seeds, %d rounds of %d labels",
                    scenario.name, #overseers, seeds, rounds, labels))
print(string.format("%-12s %17s %17s %17s %17s", "overseer", "deception_rate",
                    "true_value", "perceived_value", "overestimation"))
for _, name in ipairs(overseers) do
  local f = finals[name]
  local function cell(key)
    return string.format("%7.3f -> %-7.3f", mean(f, "first", key), mean(f, "last", key))
  end
  local line = string.format("%-12s %17s %17s %17s %17s", name, cell("deception_rate"),
                             cell("true_value"), cell("perceived_value"), cell("overestimation"))
  print((line:gsub("%s+$", "")))
end
print("(round 0 -> round " .. rounds .. ", mean over seeds)")
print("wrote " .. out .. " and " .. policy_out)
