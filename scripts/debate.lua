-- scripts/debate.lua — debate (Irving et al. 2018) on patches with several
-- hidden facts each: how often a weak judge names the better patch after k
-- claims, and debate as the overseer of an RLHF run.
--
--   oversim run scripts/debate.lua [seeds=3] [seed=1] [rounds=40] [kmax=6]
--       [levels=4] [verify_gain=1] [out=results/debate.csv]
--
-- The world is scenarios/patches.lua: requests at `levels` levels of
-- subtlety (difficulty 1..levels), four patches with three hidden facts each,
-- the two that look best being worse than they look. The judge is a human of
-- competence 1 who judges what it cannot check by what it sees (when_unsure =
-- "looks") and verifies a claim up to competence + verify_gain.
--
-- Part 1, judge accuracy (oversim.debate: every comparison, exactly): the
-- share of comparisons in which an argmax judge names the better patch, for
-- k = 0..kmax claims by optimal debaters (exact minimax, the honest one
-- first; also the liar first, and a judge who trusts claims it cannot check),
-- trained debaters (self-play, one set per seed), and k random reveals (the
-- sparse judge); k = 0 is the judge alone. By band of difficulty: known
-- (<= competence), verifiable (<= competence + verify_gain), beyond.
--
-- Part 2, the overseer of an RLHF run (beta 5), at 8, 16, 32, 64 and 128
-- labels a round: unaided, assisted (recall 1, reach levels + 1), recursive depth 1
-- and 2, debate with optimal debaters at k = 1, 2, trained debaters at k = 2,
-- and 2 or 4 random reveals. A claim, a random reveal and a critique cost 0.2
-- each (critique_cost; an assisted label reads two critiques); trained
-- debaters' self-play and recursive critics' training count their labels.
-- Matched label cost: each overseer's final deception rate and true value,
-- interpolated along its budgets (linearly in log cost) to a common total
-- cost; '-' where the cost is outside its range.
--
-- Writes `out` (the RLHF runs, one row per run x round), out_policy.csv,
-- out_levels.csv and out_critics.csv (the recursive critics), and
-- out_accuracy.csv (part 1: one row per comparison x configuration). What it
-- shows (checked by tests/test_debate_lua.c on a smaller configuration):
-- debate-chosen claims beat random reveals at equal k, most at small k; in the
-- verifiable band the honest debater wins every comparison, beyond it the
-- judge is no better than alone; as an overseer, debate at k = 1 cuts
-- deception like an assistant of the same reach, for less label cost.
local o = oversim
local opt = o.options{ seeds = 3, seed = 1, rounds = 40, kmax = 6, levels = 4,
                       verify_gain = 1, out = "results/debate.csv" }
o.check_output(opt.out)
local scenario = o.scenario("patches", { levels = opt.levels })
local world = scenario.world
local COMPETENCE, COST = 1, 0.2

local function judge(extra)
  local t = { kind = "debate", competence = COMPETENCE, when_unsure = "looks",
              verify_gain = opt.verify_gain, critique_cost = COST }
  for k, v in pairs(extra) do t[k] = v end
  return o.overseer(t)
end

----------------------------------------------------------------------------
-- Part 1: judge accuracy against k
local VARIANTS = { -- name, overseer settings, one set per seed?
  { "random", { debaters = "random" } },
  { "optimal", { debaters = "optimal" } },
  { "trained", { debaters = "trained" }, per_seed = true },
  { "liar first", { debaters = "optimal", first = "liar" } },
  { "trusting", { debaters = "optimal", trust_unverified = true } },
}
local function band(difficulty)
  if difficulty <= COMPETENCE then return "known" end
  if difficulty <= COMPETENCE + opt.verify_gain then return "verifiable" end
  return "beyond"
end
local acc_rows, acc, comparisons = {}, {}, 0 -- acc[variant][k][band or "all"] = { sum, weight }
for _, v in ipairs(VARIANTS) do
  acc[v[1]] = {}
  for k = 0, opt.kmax do
    local cell = { all = { 0, 0 }, known = { 0, 0 }, verifiable = { 0, 0 }, beyond = { 0, 0 } }
    acc[v[1]][k] = cell
    local seeds = v.per_seed and o.range(opt.seed, opt.seed + opt.seeds - 1) or { opt.seed }
    for _, seed in ipairs(seeds) do
      local settings = { name = v[1], beta = math.huge, reveals = k }
      for key, x in pairs(v[2]) do settings[key] = x end
      local rows = o.debate{ world = world, overseer = judge(settings), seed = seed,
                             params = { variant = v[1], k = k, verify_gain = opt.verify_gain } }
      comparisons = #rows
      for _, r in ipairs(rows) do
        r.band = band(r.context_difficulty)
        acc_rows[#acc_rows + 1] = r
        for _, b in ipairs{ "all", r.band } do
          cell[b][1] = cell[b][1] + r.weight * r.honest_wins
          cell[b][2] = cell[b][2] + r.weight
        end
      end
    end
  end
end
local function mean_of(name, k, b)
  local c = acc[name][k][b]
  return c[2] > 0 and c[1] / c[2] or nil
end
local table1 = {}
for k = 0, opt.kmax do
  local row = { k = k }
  for _, v in ipairs(VARIANTS) do row[v[1]] = mean_of(v[1], k, "all") end
  for _, b in ipairs{ "verifiable", "beyond" } do
    row[b .. "_random"] = mean_of("random", k, b)
    row[b .. "_optimal"] = mean_of("optimal", k, b)
  end
  table1[#table1 + 1] = row
end
o.print_table(table1, { "k", "random", "optimal", "trained", "liar first", "trusting",
    { "verifiable_random", head = "verifiable: random" }, { "verifiable_optimal", head = "optimal" },
    { "beyond_random", head = "beyond: random" }, { "beyond_optimal", head = "optimal" } },
  { title = ("judge accuracy on '%s' (%d levels): competence %g, verify_gain %g, argmax; "
      .. "share of comparisons won by the better patch"):format(scenario.name, opt.levels,
      COMPETENCE, opt.verify_gain),
    note = ("(k = 0: the judge alone; exact over the %d comparisons of different true "
      .. "value; trained: the mean over %d seeds of self-play)"):format(comparisons, opt.seeds) })

----------------------------------------------------------------------------
-- Part 2: the overseer of an RLHF run, by label budget
local function overseer(kind, name, extra)
  local t = { kind = kind, name = name, competence = COMPETENCE, beta = 5,
              when_unsure = "looks" }
  if kind ~= "human" then t.verify_gain, t.critique_cost = opt.verify_gain, COST end
  for k, v in pairs(extra or {}) do t[k] = v end
  return o.overseer(t)
end
local configs = {
  { "unaided", overseer("human", "unaided") },
  { "assisted", overseer("assisted", "assisted", { assistant = { reach = opt.levels + 1 } }) },
  { "recursive", overseer("recursive", "recursive depth=1",
      { depth = 1, critic = { rounds = 20, labels_per_round = 64 } }) },
  { "recursive", overseer("recursive", "recursive depth=2",
      { depth = 2, critic = { rounds = 20, labels_per_round = 64 } }) },
  { "debate", overseer("debate", "debate optimal k=1", { reveals = 1 }) },
  { "debate", overseer("debate", "debate optimal k=2", { reveals = 2 }) },
  { "debate", overseer("debate", "debate trained k=2", { reveals = 2, debaters = "trained" }) },
  { "random", overseer("debate", "random reveals k=2", { reveals = 2, debaters = "random" }) },
  { "random", overseer("debate", "random reveals k=4", { reveals = 4, debaters = "random" }) },
}
local BUDGETS = { 8, 16, 32, 64, 128 }
local runs = o.grid({ { "c", configs }, { "labels_per_round", BUDGETS },
                      { "seed", o.range(opt.seed, opt.seed + opt.seeds - 1) } },
  function(p)
    return { world = world, overseer = p.c[2], seed = p.seed, rounds = opt.rounds,
             labels_per_round = p.labels_per_round, policy = { kl = 1 },
             params = { config = p.c[1] } }
  end)
local rows, policy, levels = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows, policy, levels, { accuracy = acc_rows })
local summary = o.summarize(rows, { by = { "overseer", "labels_per_round" },
                                    columns = { "deception_rate", "true_value", "label_cost" } })
local at64 = {}
for _, s in ipairs(summary) do if s.labels_per_round == 64 then at64[#at64 + 1] = s end end
o.print_table(at64, { "overseer", { "deception_rate", head = "deception" }, "true_value",
    { "label_cost", fmt = "%.0f" } },
  { title = ("debate as the overseer of RLHF on '%s': %d overseers x %d budgets (%s labels "
      .. "a round) x %d seeds, %d rounds; at 64 labels a round:"):format(scenario.name,
      #configs, #BUDGETS, table.concat(BUDGETS, ", "), opt.seeds, opt.rounds),
    note = "(final round, mean over seeds; label_cost counts claims, critiques, and the "
      .. "labels that trained debaters' self-play and recursive critics took)" })

-- each overseer's final values interpolated to common label costs, linearly in
-- log cost between its budgets
local by_name = {}
for _, s in ipairs(summary) do
  by_name[s.overseer] = by_name[s.overseer] or {}
  table.insert(by_name[s.overseer], s)
end
local function at_cost(list, cost, col)
  table.sort(list, function(a, b) return a.label_cost < b.label_cost end)
  for i = 1, #list - 1 do
    local a, b = list[i], list[i + 1]
    if cost >= a.label_cost and cost <= b.label_cost then
      local t = (math.log(cost) - math.log(a.label_cost))
        / (math.log(b.label_cost) - math.log(a.label_cost))
      return a[col] + t * (b[col] - a[col])
    end
  end
end
local MATCHED = { 1000, 2500, 5000 }
local table3 = {}
for _, c in ipairs(configs) do
  local name = c[2].name
  local row = { overseer = name }
  for _, cost in ipairs(MATCHED) do
    row["d" .. cost] = at_cost(by_name[name], cost, "deception_rate")
    row["t" .. cost] = at_cost(by_name[name], cost, "true_value")
  end
  table3[#table3 + 1] = row
end
local cols3 = { "overseer" }
for _, cost in ipairs(MATCHED) do
  cols3[#cols3 + 1] = { "d" .. cost, head = ("deception @%d"):format(cost) }
  cols3[#cols3 + 1] = { "t" .. cost, head = ("true @%d"):format(cost) }
end
o.print_table(table3, cols3, { title = "at matched label cost (final round, mean over seeds, "
  .. "interpolated in log cost between budgets)" })
print("wrote " .. table.concat(wrote, ", "))
