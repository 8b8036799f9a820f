-- scripts/examples/compare_overseers.lua — a custom scenario (review_world.lua)
-- trained under an oracle, an unaided reviewer and an assisted one.
--   oversim run scripts/examples/compare_overseers.lua [seeds=5] [rounds=30]
local o = oversim
local opt = o.options{ seeds = 5, rounds = 30, labels = 64,
                       out = "results/examples/compare_overseers.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local s = o.scenario(o.here("review_world.lua"))

local runs = o.grid({ { "overseer", { "oracle", "human", "assisted" } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = s.world, overseer = s.overseers[p.overseer], seed = p.seed,
           rounds = opt.rounds, labels_per_round = opt.labels, policy = { kl = 0.5 } }
end)
local rows, policy = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows, policy)

o.print_table(o.summarize(rows, { by = { "overseer" } }),
  { "overseer", "seeds", "deception_rate", "true_value", "perceived_value",
    { "label_cost", fmt = "%.0f" } },
  { title = "code review, round " .. opt.rounds .. ", mean over seeds" })
print("wrote " .. table.concat(wrote, ", "))
