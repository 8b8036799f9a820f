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
-- pi0, proxy = reward-model value gained over pi0 (true_value and proxy_value
-- are there too, as in per-round rows). Checked by tests/test_overoptimization.c
-- at the defaults: the proxy keeps rising; for seeds 1 and 2 the gold rises then
-- falls (Gao et al.), for seed 3 it keeps rising. Whether a reward model
-- overoptimises depends on which outputs its 200 labels covered: over 20 seeds
-- the gold falls 0.05 below its peak on 10 RL paths and 13 best-of-n paths. The fits of Gao et al.'s forms, gold = d (alpha - beta log d) for RL and
-- d (alpha - beta d) for BoN, least squares over all seeds and per seed, go to
-- `out` with _fit before .csv, and are printed.
local o = oversim
local opt = o.options{ seeds = 3, labels = 200, rounds = 400, kl = 0.01, world_seed = 1,
                       out = "results/overoptimization.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local scenario = o.scenario("random_flaws", { seed = opt.world_seed })
local overseer = scenario.overseers["human-looks"]

-- a row per point: true_value and proxy_value as in per-round rows, and their
-- gains over pi0 (gold, proxy), d = sqrt(kl)
local rows = {}
local function add(method, base, r, extra)
  local row = { run = r.run, round = r.round, scenario = r.scenario, overseer = r.overseer,
                seed = r.seed, method = method, kl = r.kl, d = math.sqrt(r.kl),
                true_value = r.true_value, proxy_value = r.proxy_value,
                gold = r.true_value - base.true_value, proxy = r.proxy_value - base.proxy_value,
                deception_rate = r.deception_rate, labels = r.labels }
  for k, v in pairs(extra) do row[k] = v end
  rows[#rows + 1] = row
end

for seed = 1, opt.seeds do
  local function run(rounds, policy)
    return o.train{ world = scenario.world, overseer = overseer, labels_per_round = opt.labels,
                    label_rounds = 1, seed = seed, rounds = rounds, policy = policy }
  end
  local rl = run(opt.rounds, { method = "exact", kl = opt.kl, lr = 1, steps = 1 })
  -- the reward model is fitted in round 1; round 0's proxy is 0 by definition, so
  -- gains are measured from pi0 under the fitted model: best-of-1 is pi0
  local base = run(1, { method = "bon", n = 1 })[2]
  for t = 2, #rl do add("rl", base, rl[t], { step = rl[t].round }) end
  for k = 0, 10 do
    add("bon", base, run(1, { method = "bon", n = 1 << k })[2], { n = 1 << k })
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
  return { scenario = scenario.name, overseer = overseer.name,
           method = method, form = method == "rl" and "d(alpha - beta log d)" or "d(alpha - beta d)",
           seed = seed or "all", alpha = alpha, beta = beta, r2 = 1 - ss_res / ss_tot, points = n }
end
local forms = { rl = function(d) return d * math.log(d) end, bon = function(d) return d * d end }
local fits = {}
for _, method in ipairs{ "rl", "bon" } do
  fits[#fits + 1] = fit(method, forms[method])
  for seed = 1, opt.seeds do fits[#fits + 1] = fit(method, forms[method], seed) end
end

local wrote = o.save(opt.out, rows)
o.write_csv(o.sibling(opt.out, "fit"), fits)
print(("overoptimisation on '%s': %d seeds, %d labels each; RL %d rounds at kl %g; BoN n = 1..1024")
  :format(scenario.name, opt.seeds, opt.labels, opt.rounds, opt.kl))
for _, method in ipairs{ "rl", "bon" } do
  local peak, last = nil, nil
  for _, r in ipairs(rows) do
    if r.method == method and r.seed == 1 then
      if not peak or r.gold > peak.gold then peak = r end
      last = r
    end
  end
  print(("%-4s seed 1: gold peaks at %+.3f (d = %.2f), ends at %+.3f (d = %.2f); proxy ends at %+.3f")
    :format(method, peak.gold, peak.d, last.gold, last.d, last.proxy))
end
o.print_table(fits, { { "method", head = "fit" }, "seed", { "form", head = "gold =" }, "alpha", "beta",
                      { "r2", head = "R^2", fmt = "%.2f" }, "points" })
print("wrote " .. wrote[1] .. " and " .. o.sibling(opt.out, "fit"))
