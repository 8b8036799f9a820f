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
--                                facts (honesty 1, reach 5); the human verifies
--                                pointers up to competence + verify_gain = 2
--   assisted, honesty 0 / 0.5    recall 1, but it hides what it found
--   recursive, depth 1..4        critics trained by oversim's own RLHF loop
-- Writes `out` (one row per run x round, with config, recall, honesty, depth as
-- columns), `out` with _levels (each recursive level's critic training, per
-- round) and _critics (each critic's final probability of pointing, per task
-- slot). What it shows (checked by tests/test_assistance.c on a smaller
-- configuration): deception at the end falls as recall rises and as depth rises
-- (one rung of the ladder per level) while label cost rises; honesty 0 is no
-- better than unaided.
local args = oversim.args
local seeds = args.seeds or 3
local first_seed = args.seed or 1
local rounds = args.rounds or 40
local labels = args.labels or 64
local kl = args.kl or 1
local ladder = args.ladder or 4
local out = args.out or "results/assistance.csv"
local base = out:gsub("%.csv$", "")

local scenario = oversim.scenario("hidden_bug", { ladder = ladder })
local human = { competence = 1, beta = 5, when_unsure = "looks", verify_gain = 1,
                critique_cost = 0.2 }

local function with(t, extra)
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  for k, v in pairs(extra) do r[k] = v end
  return r
end

-- the configurations, in a fixed order
local configs = {}
configs[#configs + 1] = { config = "unaided", recall = 0, honesty = 0, depth = 0,
  overseer = oversim.overseer{ name = "unaided", competence = 1, beta = 5, when_unsure = "looks" } }
for _, recall in ipairs{ 0, 0.25, 0.5, 0.75, 1 } do
  configs[#configs + 1] = { config = "assisted", recall = recall, honesty = 1, depth = 1,
    overseer = oversim.overseer(with(human, { kind = "assisted",
      name = string.format("assisted recall=%.2f", recall),
      assistant = { recall = recall, honesty = 1, reach = ladder + 1 } })) }
end
for _, honesty in ipairs{ 0, 0.5 } do
  configs[#configs + 1] = { config = "assisted", recall = 1, honesty = honesty, depth = 1,
    overseer = oversim.overseer(with(human, { kind = "assisted",
      name = string.format("assisted honesty=%.1f", honesty),
      assistant = { recall = 1, honesty = honesty, reach = ladder + 1 } })) }
end
for depth = 1, 4 do
  configs[#configs + 1] = { config = "recursive", recall = 0, honesty = 1, depth = depth,
    overseer = oversim.overseer(with(human, { kind = "recursive",
      name = "recursive depth=" .. depth, depth = depth,
      critic = { rounds = 20, labels_per_round = 64 } })) }
end

local rows, level_rows, critic_rows, finals = {}, {}, {}, {}
local run = 0
for ci, cfg in ipairs(configs) do
  finals[ci] = {}
  for seed = first_seed, first_seed + seeds - 1 do
    run = run + 1
    local r, _, levels = oversim.train{
      world = scenario.world, overseer = cfg.overseer, scenario = scenario.name,
      rounds = rounds, labels_per_round = labels, seed = seed, run = run,
      stream = seed, -- common random numbers: every configuration sees the same draws
      policy = { kl = kl },
      params = { config = cfg.config, recall = cfg.recall, honesty = cfg.honesty,
                 depth = cfg.depth },
    }
    for _, row in ipairs(r) do rows[#rows + 1] = row end
    for _, level in ipairs(levels or {}) do
      for _, row in ipairs(level.rows) do
        row.depth = cfg.depth
        level_rows[#level_rows + 1] = row
      end
      for _, c in ipairs(level.critic) do
        c.run, c.seed, c.depth, c.overseer = run, seed, cfg.depth, r[1].overseer
        critic_rows[#critic_rows + 1] = c
      end
    end
    finals[ci][#finals[ci] + 1] = r[#r]
  end
end

oversim.write_csv(out, rows)
oversim.write_csv(base .. "_levels.csv", level_rows)
oversim.write_csv(base .. "_critics.csv", critic_rows)

print(string.format("assistance on '%s' (ladder of %d): %d configurations x %d seeds, %d rounds of %d labels",
                    scenario.name, ladder, #configs, seeds, rounds, labels))
print(string.format("%-24s %10s %10s %14s %14s %10s", "overseer", "deception", "true_value",
                    "overestimation", "assisted_found", "label_cost"))
for ci, cfg in ipairs(configs) do
  local function mean(key)
    local s, n = 0, 0
    for _, row in ipairs(finals[ci]) do
      if row[key] then s, n = s + row[key], n + 1 end
    end
    return n > 0 and s / n or 0 / 0
  end
  print(string.format("%-24s %10.3f %10.3f %14.3f %14.3f %10.0f", finals[ci][1].overseer,
                      mean("deception_rate"), mean("true_value"), mean("overestimation"),
                      mean("assisted_found"), mean("label_cost")))
end
print("(round " .. rounds .. ", mean over seeds; label_cost includes building the critics)")
print("wrote " .. out .. ", " .. base .. "_levels.csv and " .. base .. "_critics.csv")
