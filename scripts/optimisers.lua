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
local o = oversim
local opt = o.options{ seeds = 3, rounds = 30, labels = 64, scenario = "random_flaws",
                       out = "results/optimisers.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local scenario = o.scenario(opt.scenario)

local policies = {
  exact = function(k) return { method = "exact", kl = k, lr = 2, steps = 20 } end,
  reinforce = function(k) return { method = "reinforce", kl = k, lr = 2, steps = 20, batch = 256 } end,
  ppo = function(k) return { method = "ppo", kl = k, lr = 1, steps = 5, batch = 256 } end,
  optimum = function(k) return { method = "optimum", kl = k } end,
  -- DPO's gradient scales with its beta; a step of 2 / beta optimises every beta
  -- about as far per round (a fixed step leaves small betas unconverged)
  dpo = function(k) return { method = "dpo", kl = k, lr = 2 / k, steps = 40 } end,
  bon = function(n) return { method = "bon", n = n } end,
}
local order = { "exact", "reinforce", "ppo", "optimum", "dpo", "bon" }
local settings = {}
for _, m in ipairs(order) do
  for _, s in ipairs(m == "bon" and { 2, 4, 8, 16, 32, 64 } or { 16, 8, 4, 2, 1, 0.5, 0.25 }) do
    settings[#settings + 1] = { method = m, strength = s }
  end
end
local runs = o.grid({ { "s", settings }, { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = scenario.world, overseer = scenario.overseers["human-looks"], seed = p.seed,
           rounds = opt.rounds, labels_per_round = opt.labels,
           policy = policies[p.s.method](p.s.strength),
           params = { method = p.s.method, strength = p.s.strength } }
end)
local rows = o.sweep{ runs = runs }

-- each method's finals (means over seeds), interpolated linearly in KL
local finals = o.summarize(rows, { by = { "scenario", "overseer", "method", "strength" } })
local matched = {}
for _, method in ipairs(order) do
  local pts = {}
  for _, f in ipairs(finals) do if f.method == method then pts[#pts + 1] = f end end
  table.sort(pts, function(a, b) return a.kl < b.kl end)
  for _, target in ipairs{ 0.05, 0.1, 0.25, 0.5, 1 } do
    for i = 1, #pts - 1 do
      local a, b = pts[i], pts[i + 1]
      if a.kl <= target and target <= b.kl and b.kl > a.kl then
        local t = (target - a.kl) / (b.kl - a.kl)
        local function at(key) return a[key] + t * (b[key] - a[key]) end
        matched[#matched + 1] = { scenario = a.scenario, overseer = a.overseer, seeds = a.seeds,
                                  method = method, kl = target, true_value = at("true_value"),
                                  deception_rate = at("deception_rate"),
                                  proxy_value = at("proxy_value") }
        break
      end
    end
  end
end

local wrote = o.save(opt.out, rows)
o.write_csv(o.sibling(opt.out, "matched"), matched)
o.print_table(matched, { "method", { "kl", fmt = "%.2f" }, { "true_value", head = "true" },
                         { "deception_rate", head = "deception" }, { "proxy_value", head = "proxy" } },
  { title = ("optimisers on '%s': %d seeds, %d rounds of %d labels; final values at matched KL")
      :format(scenario.name, opt.seeds, opt.rounds, opt.labels) })
print("wrote " .. wrote[1] .. " and " .. o.sibling(opt.out, "matched"))
