-- scripts/optimisers.lua — which way of turning feedback into a policy selects
-- hardest for deception, compared at matched KL.
--
--   oversim run scripts/optimisers.lua [seeds=3] [rounds=30] [labels=64]
--       [scenario=random_flaws] [out=results/optimisers.csv]
--
-- The same world, overseer (a human who judges flawed outputs by their surface)
-- and iterated loop for every method; each method's strength is swept:
--   exact, reinforce, ppo, optimum, dpo   KL coefficient (DPO's beta) 16 .. 1/4
--   bon                                   n = 2 .. 64
-- `out` has one row per (method, strength, seed, round); `out` with _matched
-- has, for each method, the final true value, deception rate and proxy
-- interpolated (linearly in KL, means over seeds) at KL = 0.05 .. 1 where
-- its sweep reaches them. Random streams are shared across methods (the same
-- seeds), so differences are the methods'.
local args = oversim.args
local seeds = args.seeds or 3
local rounds = args.rounds or 30
local labels = args.labels or 64
local out = args.out or "results/optimisers.csv"
local scenario = oversim.scenario(args.scenario or "random_flaws")
local overseer = scenario.overseers["human-looks"]

local kls = { 16, 8, 4, 2, 1, 0.5, 0.25 }
local methods = {
  { name = "exact", policy = function(k) return { method = "exact", kl = k, lr = 2, steps = 20 } end },
  { name = "reinforce", policy = function(k) return { method = "reinforce", kl = k, lr = 2, steps = 20, batch = 256 } end },
  { name = "ppo", policy = function(k) return { method = "ppo", kl = k, lr = 1, steps = 5, batch = 256, epochs = 4, minibatch = 64, clip = 0.2 } end },
  { name = "optimum", policy = function(k) return { method = "optimum", kl = k } end },
  -- DPO's gradient scales with its beta; a step of 2 / beta optimises every beta
  -- about as far per round (a fixed step leaves small betas unconverged)
  { name = "dpo", policy = function(k) return { method = "dpo", kl = k, lr = 2 / k, steps = 40 } end },
}

local rows, finals = {}, {}
local run = 0
local function one(method, strength, policy)
  finals[method] = finals[method] or {}
  local sum = { kl = 0, true_value = 0, deception_rate = 0, proxy_value = 0 }
  for seed = 1, seeds do
    run = run + 1
    local r = oversim.train{ world = scenario.world, overseer = overseer, scenario = scenario.name,
                             rounds = rounds, labels_per_round = labels, seed = seed, run = run,
                             stream = seed, policy = policy,
                             params = { method = method, strength = strength } }
    for _, row in ipairs(r) do rows[#rows + 1] = row end
    for k in pairs(sum) do sum[k] = sum[k] + r[#r][k] / seeds end
  end
  sum.strength = strength
  table.insert(finals[method], sum)
end
for _, m in ipairs(methods) do
  for _, k in ipairs(kls) do one(m.name, k, m.policy(k)) end
end
for _, n in ipairs{ 2, 4, 8, 16, 32, 64 } do one("bon", n, { method = "bon", n = n }) end

-- linear interpolation of each method's finals at target KLs
local matched = {}
local order = { "exact", "reinforce", "ppo", "optimum", "dpo", "bon" }
for _, method in ipairs(order) do
  local pts = finals[method]
  table.sort(pts, function(a, b) return a.kl < b.kl end)
  for _, target in ipairs{ 0.05, 0.1, 0.25, 0.5, 1 } do
    for i = 1, #pts - 1 do
      local a, b = pts[i], pts[i + 1]
      if a.kl <= target and target <= b.kl and b.kl > a.kl then
        local t = (target - a.kl) / (b.kl - a.kl)
        local function at(key) return a[key] + t * (b[key] - a[key]) end
        matched[#matched + 1] = { method = method, kl = target, true_value = at("true_value"),
                                  deception_rate = at("deception_rate"),
                                  proxy_value = at("proxy_value") }
        break
      end
    end
  end
end

oversim.write_csv(out, rows)
oversim.write_csv((out:gsub("%.csv$", "")) .. "_matched.csv", matched)

print(string.format("optimisers on '%s': %d seeds, %d rounds of %d labels; final values at matched KL",
                    scenario.name, seeds, rounds, labels))
print(string.format("%-10s %6s %10s %10s %10s", "method", "kl", "true", "deception", "proxy"))
for _, m in ipairs(matched) do
  print(string.format("%-10s %6.2f %10.3f %10.3f %10.3f", m.method, m.kl, m.true_value,
                      m.deception_rate, m.proxy_value))
end
print("wrote " .. out .. " and " .. (out:gsub("%.csv$", "")) .. "_matched.csv")
