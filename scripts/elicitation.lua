-- scripts/elicitation.lua — prompting vs best-of-n vs RLHF across a capability
-- ladder: does RLHF get a given performance out of a less capable model (the
-- essay's closing question), and is the stronger elicitation also the
-- stronger selection for deception under a wrong overseer?
--
--   oversim run scripts/elicitation.lua [seeds=3] [budget=256] [n=16]
--       [capabilities=0,1,2,3,4,5] [target=1.4] [out=results/elicitation.csv]
--
-- scenarios/ladder.lua at each capability (how much of what the pretrained
-- model produces is good). Three methods, each spending `budget` labels of the
-- same overseer (an oracle, or a human of competence 1 who judges what it
-- cannot check by its looks):
--   prompting  five fixed prompts, each a tilt of pi0 by behaviour tags (none,
--              careful, confident, friendly, terse: x e^2 on the tagged
--              answers), not learned; the overseer compares answers of two
--              prompts on the same request (`budget` comparisons, prompt pairs
--              in turn, answers drawn from the tilts, oversim.compare) and the
--              prompt with the most wins is used;
--   best-of-n  a reward model fitted on `budget` labels on pairs from pi0, then
--              best of `n` samples against it (exact distribution);
--   RLHF       8 rounds of budget/8 labels, exact policy gradient, KL 0.1.
-- Rows: one per (overseer, method, capability, seed): true value and deception
-- rate of the policy each method ends with, the prompt chosen, label cost;
-- `out` with _summary (means per overseer, method, capability) and
-- _threshold (per overseer and method: the least capability whose mean true
-- value reaches `target`, and the deception rate there).
--
-- What it shows (tests/test_elicitation.c checks these on 2 seeds): with
-- the oracle, RLHF reaches the target at a lower capability than prompting
-- (the essay's claim holds here); with the human, every method's deception
-- rises with how strongly it optimises the overseer's judgement (RLHF's above
-- prompting's at every capability), so the target true value is reached late
-- or never — the more powerful elicitation is the stronger selection for
-- what the overseer wrongly likes.
local o = oversim
local opt = o.options{ seeds = 3, budget = 256, n = 16, capabilities = "0,1,2,3,4,5",
                       target = 1.4, out = "results/elicitation.csv" }
o.check_output(opt.out)
if opt.budget < 8 or opt.budget % 8 ~= 0 then
  error(("option 'budget' must be a positive multiple of 8 (RLHF's 8 rounds; got %s)")
        :format(opt.budget), 0)
end
local CAPS = {}
for x in tostring(opt.capabilities):gmatch("[^,]+") do
  local c = tonumber(x)
  if not c or c < 0 or c >= 50 then error("option 'capabilities': " .. x .. " is not in [0, 50)", 0) end
  CAPS[#CAPS + 1] = c
end
local PROMPTS = { "none", "careful", "confident", "friendly", "terse" }
local OVERSEERS = { "oracle", "human-looks" }

-- pi0 tilted by a prompt, per context: { [context] = { {behaviour, p}, ... } }
local function tilted(info, tags, prompt)
  local out = {}
  for _, cell in ipairs(info.cells) do
    local m = 1
    for _, t in ipairs(tags[cell.behaviour] or {}) do
      if t == prompt then m = math.exp(2) end
    end
    out[cell.context] = out[cell.context] or {}
    table.insert(out[cell.context], { cell = cell, p = cell.prior * m })
  end
  for _, list in pairs(out) do
    local z = 0
    for _, e in ipairs(list) do z = z + e.p end
    for _, e in ipairs(list) do e.p = e.p / z end
  end
  return out
end
-- true value and deception rate of a per-context policy (contexts equally weighted)
local function measure(info, pol)
  local tv, dec = 0, 0
  local n = #info.contexts
  for _, ctx in ipairs(info.contexts) do
    for _, e in ipairs(pol[ctx.name]) do
      tv = tv + ctx.weight * e.p * e.cell.true_value
      dec = dec + (e.cell.deceptive and ctx.weight * e.p or 0)
    end
  end
  return tv, dec, n
end
local function draw(list)
  local u, acc = math.random(), 0
  for _, e in ipairs(list) do
    acc = acc + e.p
    if u < acc then return e.cell.behaviour end
  end
  return list[#list].cell.behaviour
end

local rows = {}
for _, ov in ipairs(OVERSEERS) do
  for _, cap in ipairs(CAPS) do
    local s = o.scenario("ladder", { capability = cap })
    local info = s.world:info()
    local overseer = s.overseers[ov]
    local tilts = {}
    for i, p in ipairs(PROMPTS) do tilts[i] = tilted(info, s.tags, p) end
    for seed = 1, opt.seeds do
      local base = { overseer = ov, capability = cap, seed = seed, budget = opt.budget }
      -- prompting: the overseer's comparisons between prompts' answers
      math.randomseed(seed * 7919 + math.floor(cap * 1000))
      local pairs_, who = {}, {}
      local combos = {}
      for i = 1, #PROMPTS do for j = i + 1, #PROMPTS do combos[#combos + 1] = { i, j } end end
      for k = 1, opt.budget do
        local ij = combos[(k - 1) % #combos + 1]
        -- two different answers to one request (drawn again when equal, as
        -- oversim.train draws its pairs; a pair of prompts that only ever
        -- give the same answer is left uncompared)
        for _ = 1, 20 do
          local ctx = info.contexts[math.random(#info.contexts)].name
          local a, b = draw(tilts[ij[1]][ctx]), draw(tilts[ij[2]][ctx])
          if a ~= b then
            pairs_[#pairs_ + 1] = { ctx, a, b }
            who[#who + 1] = ij
            break
          end
        end
      end
      local labels, cost = o.compare{ overseer = overseer, world = s.world, pairs = pairs_,
                                      seed = seed }
      local wins = {}
      for i = 1, #PROMPTS do wins[i] = 0 end
      for k, l in ipairs(labels) do
        local i, j = who[k][1], who[k][2]
        if l == "first" then wins[i] = wins[i] + 1
        elseif l == "second" then wins[j] = wins[j] + 1
        elseif l == "equal" then wins[i], wins[j] = wins[i] + 0.5, wins[j] + 0.5 end
      end
      local best = 1
      for i = 2, #PROMPTS do if wins[i] > wins[best] then best = i end end
      local tv, dec = measure(info, tilts[best])
      local r = { method = "prompting", prompt = PROMPTS[best], true_value = tv,
                  deception_rate = dec, label_cost = cost }
      for k, v in pairs(base) do r[k] = v end
      rows[#rows + 1] = r
      -- best-of-n against a reward model fitted on the budget
      local bon = o.train{ world = s.world, overseer = overseer, seed = seed, rounds = 1,
                           label_rounds = 1, labels_per_round = opt.budget,
                           policy = { method = "bon", n = opt.n } }
      -- RLHF
      local rl = o.train{ world = s.world, overseer = overseer, seed = seed, rounds = 8,
                          labels_per_round = opt.budget // 8, policy = { kl = 0.1 } }
      for _, m in ipairs{ { "best-of-n", bon[#bon] }, { "RLHF", rl[#rl] } } do
        r = { method = m[1], true_value = m[2].true_value, deception_rate = m[2].deception_rate,
              label_cost = m[2].label_cost }
        for k, v in pairs(base) do r[k] = v end
        rows[#rows + 1] = r
      end
    end
  end
end
o.write_csv(opt.out, rows)

-- means per (overseer, method, capability), and the threshold capability
local summary, at = {}, {}
for _, r in ipairs(rows) do
  local k = r.overseer .. "/" .. r.method .. "/" .. r.capability
  if not at[k] then
    at[k] = { overseer = r.overseer, method = r.method, capability = r.capability, seeds = 0,
              true_value = 0, deception_rate = 0, label_cost = 0 }
    summary[#summary + 1] = at[k]
  end
  local a = at[k]
  a.seeds = a.seeds + 1
  a.true_value = a.true_value + r.true_value
  a.deception_rate = a.deception_rate + r.deception_rate
  a.label_cost = a.label_cost + r.label_cost
end
for _, a in ipairs(summary) do
  a.true_value, a.deception_rate = a.true_value / a.seeds, a.deception_rate / a.seeds
  a.label_cost = a.label_cost / a.seeds
end
local threshold = {}
for _, ov in ipairs(OVERSEERS) do
  for _, m in ipairs{ "prompting", "best-of-n", "RLHF" } do
    local t = { overseer = ov, method = m, target = opt.target }
    for _, cap in ipairs(CAPS) do
      local a = at[ov .. "/" .. m .. "/" .. cap]
      if a.true_value >= opt.target and not t.capability then
        t.capability, t.deception_rate = cap, a.deception_rate
      end
    end
    threshold[#threshold + 1] = t
  end
end
o.write_csv(o.sibling(opt.out, "summary"), summary)
o.write_csv(o.sibling(opt.out, "threshold"), threshold)
o.print_table(summary, { "overseer", "method", "capability", "seeds", "true_value",
                         "deception_rate", { "label_cost", fmt = "%.0f" } },
  { title = ("elicitation: %d labels per method, mean over seeds"):format(opt.budget) })
o.print_table(threshold, { "overseer", "method", "target",
  { "capability", head = "least capability reaching it" },
  { "deception_rate", head = "deception there" } },
  { title = "the least capability at which each method reaches the target true value "
      .. "(- : never, on this ladder)" })
print("wrote " .. table.concat({ opt.out, o.sibling(opt.out, "summary"),
                                 o.sibling(opt.out, "threshold") }, ", "))
