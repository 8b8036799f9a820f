-- scripts/examples/dpo_vs_bon.lua — the unaided reviewer of review_world.lua
-- trains by DPO (beta swept) and by best-of-n (n swept): which selects harder
-- for deception at the same distance from pi0?
--   oversim run scripts/examples/dpo_vs_bon.lua [seeds=4] [rounds=20]
local o = oversim
local opt = o.options{ seeds = 4, rounds = 20, out = "results/examples/dpo_vs_bon.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local s = o.scenario(o.here("review_world.lua"))

local methods = {}
for _, beta in ipairs{ 2, 1, 0.5, 0.25 } do
  methods[#methods + 1] = { method = "dpo", kl = beta, lr = 2 / beta, steps = 40 }
end
for _, n in ipairs{ 2, 4, 16, 64 } do methods[#methods + 1] = { method = "bon", n = n } end

local runs = o.grid({ { "policy", methods }, { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = s.world, overseer = s.overseers.human, seed = p.seed,
           rounds = opt.rounds, policy = p.policy }
end)
local rows = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows)

o.print_table(o.summarize(rows, { by = { "method", "kl_coef", "n" } }),
  { "method", { "kl_coef", head = "beta", fmt = "%g" }, "n", "seeds", { "kl", head = "KL(pi||pi0)" },
    "deception_rate", "true_value" },
  { title = "DPO vs best-of-n on code_review, round " .. opt.rounds .. ", mean over seeds" })
print("wrote " .. wrote[1])
