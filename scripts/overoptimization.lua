-- scripts/overoptimization.lua — reward-model overoptimisation (Gao et al. 2022).
--
--   oversim run scripts/overoptimization.lua [seeds=50] [seed=1] [labels=200]
--       [rounds=400] [kl=0.01] [out=results/overoptimization.csv]
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
-- are there too, as in per-round rows).
--
-- Gao et al.'s question is the shape of gold against d: d (alpha - beta log d)
-- for RL, d (alpha - beta d) for BoN, beta > 0 meaning the gold bends down
-- (overoptimisation). Each seed's labels make a different reward model, so the
-- fit that answers it has a per-seed alpha and one beta shared by all seeds
-- ("shared"), with a 95% bootstrap interval over seeds (2000 resamples of the
-- seeds); per-seed fits and a naive pooled fit (one alpha) are written beside
-- it for comparison. All go to `out` with _fit and are printed. Checked by
-- tests/test_overoptimization.c on two disjoint sets of 10 seeds (seed=1 and
-- seed=11), claims that hold for any 10 seeds: every seed's proxy keeps
-- rising; for each method the shared beta is > 0 and the shared fit explains
-- the gold (R^2 >= 0.75) far better than one pooled curve; the gold falls
-- >= 0.05 below its peak for at least 2 of the 10 seeds. With 10 seeds the
-- interval of beta may include 0 (it does for seeds 1-10); at the default 50
-- it lies above 0 for both methods (README). Which seeds fall within the
-- range of d reached depends on which outputs their labels covered.
local o = oversim
local opt = o.options{ seeds = 50, seed = 1, labels = 200, rounds = 400, kl = 0.01,
                       world_seed = 1, out = "results/overoptimization.csv" }
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

local seeds = o.range(opt.seed, opt.seed + opt.seeds - 1)
for _, seed in ipairs(seeds) do
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

-- The fits. Points (d, x, gold) of one method with d > 0, x = d log d (RL) or
-- d^2 (BoN): gold = alpha_s d - beta x. For a given set of seeds (a seed may
-- repeat: a bootstrap resample), "shared" fits one alpha per seed and one
-- beta: within each seed, project gold and x off d (the seed's own alpha),
-- then beta = -sum(g~ x~) / sum(x~^2). One seed alone is the per-seed fit.
local xs = { rl = function(d) return d * math.log(d) end, bon = function(d) return d * d end }
local points = {} -- points[method][seed] = { {d, x, gold}, ... }
for _, r in ipairs(rows) do
  if r.d > 1e-6 then
    points[r.method] = points[r.method] or {}
    local list = points[r.method][r.seed] or {}
    points[r.method][r.seed] = list
    list[#list + 1] = { r.d, xs[r.method](r.d), r.gold }
  end
end

local function shared_fit(method, set)
  local sgx, sxx, alphas = 0, 0, {}
  local function proj(list)
    local dd, dg, dx = 0, 0, 0
    for _, p in ipairs(list) do dd, dg, dx = dd + p[1] ^ 2, dg + p[1] * p[3], dx + p[1] * p[2] end
    return dg / dd, dx / dd
  end
  for _, seed in ipairs(set) do
    local list = points[method][seed]
    local pg, px = proj(list)
    for _, p in ipairs(list) do
      local gt, xt = p[3] - pg * p[1], p[2] - px * p[1]
      sgx, sxx = sgx + gt * xt, sxx + xt * xt
    end
  end
  local beta = -sgx / sxx
  local n, mean, ss_tot, ss_res = 0, 0, 0, 0
  for _, seed in ipairs(set) do
    local list = points[method][seed]
    local pg, px = proj(list)
    alphas[seed] = pg + beta * px -- alpha_s = (sum d g + beta sum d x) / sum d^2
    for _, p in ipairs(list) do n, mean = n + 1, mean + p[3] end
  end
  mean = mean / n
  for _, seed in ipairs(set) do
    for _, p in ipairs(points[method][seed]) do
      ss_tot = ss_tot + (p[3] - mean) ^ 2
      ss_res = ss_res + (p[3] - alphas[seed] * p[1] + beta * p[2]) ^ 2
    end
  end
  local amean = 0
  for _, seed in ipairs(set) do amean = amean + alphas[seed] / #set end
  return beta, amean, 1 - ss_res / ss_tot, n
end

-- one alpha for all seeds (the naive pooled fit), for comparison
local function pooled_fit(method)
  local s11, s12, s22, s1y, s2y, n, ys = 0, 0, 0, 0, 0, 0, {}
  for _, seed in ipairs(seeds) do
    for _, p in ipairs(points[method][seed]) do
      local x1, x2 = p[1], -p[2]
      s11, s12, s22 = s11 + x1 * x1, s12 + x1 * x2, s22 + x2 * x2
      s1y, s2y, n = s1y + x1 * p[3], s2y + x2 * p[3], n + 1
      ys[#ys + 1] = { x1, x2, p[3] }
    end
  end
  local det = s11 * s22 - s12 * s12
  local alpha, beta = (s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det
  local mean, ss_tot, ss_res = 0, 0, 0
  for _, p in ipairs(ys) do mean = mean + p[3] / #ys end
  for _, p in ipairs(ys) do
    ss_tot, ss_res = ss_tot + (p[3] - mean) ^ 2, ss_res + (p[3] - alpha * p[1] - beta * p[2]) ^ 2
  end
  return beta, alpha, 1 - ss_res / ss_tot, n
end

-- a 95% bootstrap interval of the shared beta over seeds: resample the seeds
-- with replacement (a generator of its own, seeded by the first seed)
local function bootstrap(method)
  local state, betas = opt.seed * 0x9e3779b97f4a7c15, {}
  local function draw(n)
    state = state * 6364136223846793005 + 1442695040888963407
    return ((state >> 33) % n) + 1
  end
  for b = 1, 2000 do
    local set = {}
    for i = 1, #seeds do set[i] = seeds[draw(#seeds)] end
    betas[b] = (shared_fit(method, set))
  end
  table.sort(betas)
  return betas[50], betas[1951]
end

local fits = {}
local forms = { rl = "d(alpha - beta log d)", bon = "d(alpha - beta d)" }
local function fit_row(method, kind, seed, beta, alpha, r2, n, lo, hi)
  fits[#fits + 1] = { scenario = scenario.name, overseer = overseer.name, method = method,
                      form = forms[method], fit = kind, seed = seed, alpha = alpha, beta = beta,
                      beta_lo = lo, beta_hi = hi, r2 = r2, points = n, seeds = #seeds }
end
for _, method in ipairs{ "rl", "bon" } do
  local beta, alpha, r2, n = shared_fit(method, seeds)
  local lo, hi = bootstrap(method)
  fit_row(method, "shared", "all", beta, alpha, r2, n, lo, hi)
  fit_row(method, "pooled", "all", pooled_fit(method))
  for _, seed in ipairs(seeds) do
    fit_row(method, "seed", seed, shared_fit(method, { seed }))
  end
end

local wrote = o.save(opt.out, rows)
o.write_csv(o.sibling(opt.out, "fit"), fits)
print(("overoptimisation on '%s': %d seeds (%d..%d), %d labels each; RL %d rounds at kl %g; BoN n = 1..1024")
  :format(scenario.name, #seeds, seeds[1], seeds[#seeds], opt.labels, opt.rounds, opt.kl))
for _, method in ipairs{ "rl", "bon" } do
  local falls, peak_d = 0, {}
  for _, seed in ipairs(seeds) do
    local peak, last = nil, nil
    for _, r in ipairs(rows) do
      if r.method == method and r.seed == seed then
        if not peak or r.gold > peak.gold then peak = r end
        last = r
      end
    end
    if last.gold < peak.gold - 0.05 then falls = falls + 1 end
  end
  print(("%-4s the gold ends >= 0.05 below its peak for %d of %d seeds"):format(method, falls, #seeds))
end
local shown = {}
for _, f in ipairs(fits) do if f.fit ~= "seed" then shown[#shown + 1] = f end end
o.print_table(shown, { "method", "fit", { "form", head = "gold =" }, "beta",
                       { head = "95% CI (seeds)", fmt = function(r)
                           return r.beta_lo and ("%.3f .. %.3f"):format(r.beta_lo, r.beta_hi) or "-" end },
                       { "alpha", head = "alpha (mean)" }, { "r2", head = "R^2", fmt = "%.2f" },
                       "points" })
print("wrote " .. wrote[1] .. " and " .. o.sibling(opt.out, "fit"))
