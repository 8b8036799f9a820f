-- scripts/examples/competence_budget.lua — how much does a more competent
-- reviewer buy, against simply asking more labels? competence x labels per
-- round, over seeds, on review_world.lua.
--   oversim run scripts/examples/competence_budget.lua [seeds=4] [rounds=20]
local o = oversim
local opt = o.options{ seeds = 4, rounds = 20, out = "results/examples/competence_budget.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local s = o.scenario(o.here("review_world.lua"))

local runs = o.grid({ { "competence", { 0, 1, 2 } }, { "labels_per_round", { 16, 64, 256 } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = s.world, seed = p.seed, rounds = opt.rounds,
           labels_per_round = p.labels_per_round, policy = { kl = 0.5 },
           overseer = o.overseer{ name = "reviewer", competence = p.competence, beta = 5,
                                  when_unsure = "looks" } }
end)
local rows = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows)

local summary, columns = o.summarize(rows, { by = { "competence", "labels_per_round" } })
o.write_csv(o.sibling(opt.out, "summary"), summary, { columns = columns })
o.print_table(summary, { "competence", "labels_per_round", "seeds", "deception_rate",
                         { "true_value", fmt = "%.3f" }, { "true_value_se", head = "± se" } },
  { title = "reviewer competence x label budget, round " .. opt.rounds })
print("wrote " .. wrote[1] .. " and " .. o.sibling(opt.out, "summary"))
