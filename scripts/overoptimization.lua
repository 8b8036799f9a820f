-- scripts/overoptimization.lua — reward-model overoptimisation (Gao et al. 2022).
--
--   oversim run scripts/overoptimization.lua [seeds=3] [labels=200] [rounds=400]
--       [kl=0.01] [out=results/overoptimization.csv]
--
-- One fixed, imperfect reward model per seed: `labels` labels on pairs from pi0,
-- asked once (label_rounds = 1), from a human who sees only the surface of
-- flawed outputs, in scenarios/random_flaws.lua (4 contexts x 40 behaviours).
-- Against it:
--   RL    exact KL-regularised policy gradient with a small KL coefficient,
--         one step per round for `rounds` rounds: d = sqrt(KL) grows along the path
--   BoN   best-of-n for n = 1, 2, 4, ..., 1024 (exact distribution and KL)
-- Rows: method, n (BoN), step (RL), d = sqrt(kl), gold = true value gained over
-- pi0, proxy = reward-model value gained over pi0. Expected, and checked by
-- tests/test_overoptimization.c: the proxy keeps rising while the gold rises then
-- falls. The fits of Gao et al.'s forms, gold = d (alpha - beta log d) for RL and
-- d (alpha - beta d) for BoN, least squares over all seeds and per seed, go to
-- `out` with _fit before .csv, and are printed.
local args = oversim.args
local seeds = args.seeds or 3
local labels = args.labels or 200
local rounds = args.rounds or 400
local kl = args.kl or 0.01
local out = args.out or "results/overoptimization.csv"
local scenario = oversim.scenario("random_flaws", { seed = args.world_seed or 1 })
local overseer = scenario.overseers["human-looks"]

local rows = {}
local function add(method, seed, r0, r, extra)
  local row = { run = #rows + 1, scenario = scenario.name, overseer = "human-looks",
                seed = seed, method = method, kl = r.kl, d = math.sqrt(r.kl),
                true_value = r.true_value, proxy_value = r.proxy_value,
                gold = r.true_value - r0.true_value, proxy = r.proxy_value - r0.proxy_value,
                deception_rate = r.deception_rate, labels = r.labels }
  for k, v in pairs(extra) do row[k] = v end
  rows[#rows + 1] = row
end

for seed = 1, seeds do
  local common = { world = scenario.world, overseer = overseer, scenario = scenario.name,
                   labels_per_round = labels, label_rounds = 1, seed = seed, stream = seed }
  local function with(t)
    local r = {}
    for k, v in pairs(common) do r[k] = v end
    for k, v in pairs(t) do r[k] = v end
    return r
  end
  local rl = oversim.train(with{ rounds = rounds,
                                 policy = { method = "exact", kl = kl, lr = 1, steps = 1 } })
  -- the reward model is fitted in round 1; round 0's proxy is 0 by definition, so
  -- gains are measured from pi0 under the fitted model: round 1 minus its own step
  local base = oversim.train(with{ rounds = 1, policy = { method = "bon", n = 1 } })[2]
  for t = 2, #rl do add("rl", seed, base, rl[t], { step = rl[t].round }) end
  local n = 1
  while n <= 1024 do
    local b = oversim.train(with{ rounds = 1, policy = { method = "bon", n = n } })[2]
    add("bon", seed, base, b, { n = n })
    n = n * 2
  end
end

-- least squares for gold = alpha x1 - beta x2 over rows of one method (d > 0),
-- of one seed or (seed == nil) all
local function fit(method, x2_of, seed)
  local s11, s12, s22, s1y, s2y, n = 0, 0, 0, 0, 0, 0
  local ys = {}
  for _, r in ipairs(rows) do
    if r.method == method and r.d > 1e-6 and (seed == nil or r.seed == seed) then
      local x1, x2 = r.d, -x2_of(r.d)
      s11, s12, s22 = s11 + x1 * x1, s12 + x1 * x2, s22 + x2 * x2
      s1y, s2y, n = s1y + x1 * r.gold, s2y + x2 * r.gold, n + 1
      ys[#ys + 1] = { x1, x2, r.gold }
    end
  end
  local det = s11 * s22 - s12 * s12
  local alpha = (s22 * s1y - s12 * s2y) / det
  local beta = (s11 * s2y - s12 * s1y) / det
  local mean, ss_tot, ss_res = 0, 0, 0
  for _, p in ipairs(ys) do mean = mean + p[3] / #ys end
  for _, p in ipairs(ys) do
    ss_tot = ss_tot + (p[3] - mean) ^ 2
    ss_res = ss_res + (p[3] - alpha * p[1] - beta * p[2]) ^ 2
  end
  return { method = method, form = method == "rl" and "d(alpha - beta log d)" or "d(alpha - beta d)",
           seed = seed or "all", alpha = alpha, beta = beta, r2 = 1 - ss_res / ss_tot, points = n }
end
local forms = { rl = function(d) return d * math.log(d) end, bon = function(d) return d * d end }
local fits = {}
for _, method in ipairs{ "rl", "bon" } do
  fits[#fits + 1] = fit(method, forms[method])
  for seed = 1, seeds do fits[#fits + 1] = fit(method, forms[method], seed) end
end

oversim.write_csv(out, rows)
oversim.write_csv((out:gsub("%.csv$", "")) .. "_fit.csv", fits)

print(string.format("overoptimisation on '%s': %d seeds, %d labels each; RL %d rounds at kl %g; BoN n = 1..1024",
                    scenario.name, seeds, labels, rounds, kl))
for _, method in ipairs{ "rl", "bon" } do
  local peak, last = nil, nil
  for _, r in ipairs(rows) do
    if r.method == method and r.seed == 1 then
      if not peak or r.gold > peak.gold then peak = r end
      last = r
    end
  end
  print(string.format("%-4s seed 1: gold peaks at %+.3f (d = %.2f), ends at %+.3f (d = %.2f); proxy ends at %+.3f",
                      method, peak.gold, peak.d, last.gold, last.d, last.proxy))
end
for _, f in ipairs(fits) do
  print(string.format("fit %-4s seed %-3s gold = %-22s alpha = %6.3f  beta = %6.3f  (R^2 %.2f, %d points)",
                      f.method, f.seed, f.form, f.alpha, f.beta, f.r2, f.points))
end
print("wrote " .. out .. " and " .. (out:gsub("%.csv$", "")) .. "_fit.csv")
