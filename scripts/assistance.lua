-- scripts/assistance.lua — how much assistance and recursion cut selection for
-- deception, and at what cost in labels.
--
--   oversim run scripts/assistance.lua [seeds=3] [seed=1] [rounds=40] [labels=64]
--       [kl=1] [ladder=4] [out=results/assistance.csv]
--
-- The hidden_bug world with its hard contexts as a ladder of difficulties 1..4
-- (oversim.scenario("hidden_bug", { ladder = 4 })), judged by a human of
-- competence 1 who judges what it can't check by its surface (when_unsure =
-- "looks": wrong, so deception is selected), under:
--   unaided                      the human alone
--   assisted, recall 0..1        a parametric assistant that points at hidden
--                                facts (honesty 1, reach ladder + 1); the human
--                                verifies pointers up to competence + verify_gain = 2
--   assisted, honesty 0 / 0.5    recall 1, but it hides what it found
--   recursive, depth 1..4        critics trained by oversim's own RLHF loop
-- Every configuration shares the seeds' random streams. Writes `out` (one row
-- per run x round; config, recall, honesty, depth as columns), `out` with
-- _levels (each recursive level's critic training, per round) and _critics
-- (each critic's final probability of pointing, per task slot). What it shows
-- (checked by tests/test_assistance.c on a smaller configuration): deception
-- at the end falls as recall rises and as depth rises (one rung of the ladder
-- per level) while label cost rises; honesty 0 is no better than unaided.
local o = oversim
local opt = o.options{ seeds = 3, seed = 1, rounds = 40, labels = 64, kl = 1, ladder = 4,
                       out = "results/assistance.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local scenario = o.scenario("hidden_bug", { ladder = opt.ladder })

-- the configurations, in a fixed order; each names its overseer
local function human(kind, name, extra)
  local t = { kind = kind, name = name, competence = 1, beta = 5, when_unsure = "looks" }
  if kind ~= "human" then t.verify_gain, t.critique_cost = 1, 0.2 end
  for k, v in pairs(extra or {}) do t[k] = v end
  return o.overseer(t)
end
local configs = { { "unaided", 0, 0, 0, human("human", "unaided") } }
local function assisted(recall, honesty, name)
  configs[#configs + 1] = { "assisted", recall, honesty, 1, human("assisted", name,
    { assistant = { recall = recall, honesty = honesty, reach = opt.ladder + 1 } }) }
end
for _, r in ipairs{ 0, 0.25, 0.5, 0.75, 1 } do assisted(r, 1, ("assisted recall=%.2f"):format(r)) end
for _, h in ipairs{ 0, 0.5 } do assisted(1, h, ("assisted honesty=%.1f"):format(h)) end
for d = 1, 4 do
  configs[#configs + 1] = { "recursive", 0, 1, d, human("recursive", "recursive depth=" .. d,
    { depth = d, critic = { rounds = 20, labels_per_round = 64 } }) }
end

local runs = o.grid({ { "c", configs }, { "seed", o.range(opt.seed, opt.seed + opt.seeds - 1) } },
  function(p)
    return { world = scenario.world, overseer = p.c[5], seed = p.seed, rounds = opt.rounds,
             labels_per_round = opt.labels, policy = { kl = opt.kl },
             params = { config = p.c[1], recall = p.c[2], honesty = p.c[3], depth = p.c[4] } }
  end)
local rows, policy, levels = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows, nil, levels)

o.print_table(o.summarize(rows, { by = { "overseer" } }),
  { "overseer", { "deception_rate", head = "deception" }, "true_value", "overestimation",
    "assisted_found", { "label_cost", fmt = "%.0f" } },
  { title = ("assistance on '%s' (ladder of %d): %d configurations x %d seeds, %d rounds of %d labels")
      :format(scenario.name, opt.ladder, #configs, opt.seeds, opt.rounds, opt.labels),
    note = "(round " .. opt.rounds .. ", mean over seeds; label_cost includes building the critics)" })
print("wrote " .. table.concat(wrote, ", "))
