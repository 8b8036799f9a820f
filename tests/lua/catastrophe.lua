-- tests/lua/catastrophe.lua — deployment, red teams and the absent supervisor
-- through the binding (tests/test_catastrophe.c): the columns a run reports,
-- the red team's world, configuration columns, reproducibility across sweep
-- workers, and bad input as error cases (see errors.lua for the format).
local M = {}
local o = oversim

-- One run of scenarios/opportunity.lua (opts) with the extra train fields.
local function run(opts, extra)
  local s = o.scenario("opportunity", opts or {})
  local spec = { world = s.world, overseer = s.overseers.oracle, rounds = 4,
                 labels_per_round = 16, seed = 3 }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return o.train(spec)
end

-- Rows carry the deployment columns; q at round 0 is pi0's, exactly:
-- 4 tasks of deployment weight 1 and 2 openings of 0.002 each (rate 0.001),
-- grab 0.6 in each opening.
function M.columns()
  local rows, policy = run({}, { deploy_episodes = 500 })
  local r0, last = rows[1], rows[#rows]
  local q0 = 0.6 * 0.004 / 4.004
  assert(math.abs(r0.catastrophe_deploy - q0) < 1e-15, r0.catastrophe_deploy)
  assert(math.abs(r0.catastrophe_any - (1 - (1 - q0) ^ 500)) < 1e-12)
  assert(r0.catastrophe_train == 0 and last.catastrophe_train == 0)
  assert(r0.catastrophe_sampled >= 0 and r0.catastrophe_sampled <= 1)
  assert(last.catastrophe_redteam == nil, "no red team: empty")
  assert(last.true_value_monitored == nil, "nothing unwatched: empty")
  assert(last.redteam_labels == 0)
  assert(r0.deploy_episodes == 500, "a setting other than the default is a column")
  -- the grab sits only in openings
  local seen = 0
  for _, p in ipairs(policy) do
    if p.behaviour == "grab" then
      assert(p.context:match("^opening"), p.context)
      seen = seen + 1
    end
  end
  assert(seen == 2)
  return true
end

-- A red team: its inputs are contexts of the run's world (policy rows name
-- them), its labels counted and paid for, its settings columns.
function M.red_team()
  local rows, policy = run({}, { red_team = { realism = 0.5, budget = 4, cost = 0.5,
                                              search = "adversarial", pool = 8 } })
  local last = rows[#rows]
  assert(last.redteam_labels == 16, last.redteam_labels)
  assert(math.abs(last.label_cost - (4 * 16 + 16 * 1.5)) < 1e-9, last.label_cost)
  assert(last.labels == 4 * 16 + 16)
  assert(last.catastrophe_redteam < rows[1].catastrophe_redteam)
  assert(last.realism == 0.5 and last.red_team_budget == 4 and last.red_team_pool == 8)
  assert(last.red_team_search == "adversarial" and last.red_team_cost == 0.5)
  local names = {}
  for _, p in ipairs(policy) do names[p.context] = true end
  assert(names["opening1 (red team)"] and names["opening2 (red team)"])
  -- named templates: only those are copied
  local _, pol2 = run({}, { red_team = { templates = { "opening2" } } })
  names = {}
  for _, p in ipairs(pol2) do names[p.context] = true end
  assert(names["opening2 (red team)"] and not names["opening1 (red team)"])
  return true
end

-- Same seed, same rows, whatever the number of sweep workers (a red team's
-- world is built per run).
function M.sweep_workers()
  local s = o.scenario("opportunity", { unwatched = true })
  local runs = {}
  for i = 1, 4 do
    runs[i] = { world = s.world, overseer = s.overseers.human, rounds = 3,
                labels_per_round = 8, seed = i,
                red_team = { realism = i / 4, budget = 2, search = "adversarial" } }
  end
  local a, pa = o.sweep{ runs = runs, workers = 1 }
  local b, pb = o.sweep{ runs = runs, workers = 2 }
  assert(#a == 4 * 4 and #b == #a and #pa == #pb)
  for _, pair in ipairs{ { a, b }, { pa, pb } } do
    for i, r in ipairs(pair[1]) do
      for k, v in pairs(r) do
        assert(k == "run" or pair[2][i][k] == v, k) -- ids: the next four
      end
    end
  end
  return true
end

-- The opportunity world (lines 1-2), then a run with `extra` fields on line 3.
local function spec(extra)
  return "local s = oversim.scenario('opportunity', {})\nlocal T = oversim.train\n" ..
         "T{ world = s.world, overseer = s.overseers.oracle, rounds = 1, " .. extra .. " }"
end

M.errors = {
  { code = spec "red_team = { realism = 1.5 }",
    msg = "t.lua:3: field 'realism' of red_team must be in [0, 1] (got 1.5)" },
  { code = spec "red_team = { realism = -0.1 }",
    msg = "t.lua:3: field 'realism' of red_team must be in [0, 1] (got -0.1)" },
  { code = spec "red_team = { realsim = 0.5 }",
    part = "t.lua:3: unknown key 'realsim' in red_team (did you mean 'realism'?)" },
  { code = spec "red_team = { budget = -2 }",
    msg = "t.lua:3: field 'budget' of red_team must be in [0, 1000000] (got -2)" },
  { code = spec "red_team = { search = 'adversary' }",
    part = "t.lua:3: field 'search' of red_team" },
  { code = spec "red_team = { templates = { 'opening3' } }",
    msg = "t.lua:3: field 'templates' of red_team names an unknown context 'opening3' (did "
       .. "you mean 'opening1'?)" },
  { code = spec "red_team = { templates = { 'task1' } }",
    msg = "t.lua:3: red-team template 'task1' has no catastrophic behaviour to elicit" },
  { code = spec "deploy_episodes = 0",
    msg = "t.lua:3: field 'deploy_episodes' of train must be in [1, 100000000] (got 0)" },
  { code = spec "deploy_episodes = 1e9",
    part = "t.lua:3: field 'deploy_episodes' of train" },
  -- a red team on a world with no catastrophic behaviour
  { code = "local s = oversim.scenario('hidden_bug', {})\n"
       .. "oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = 1,\n"
       .. "  red_team = { budget = 2 } }",
    msg = "t.lua:2: a red team needs a catastrophe to elicit: no behaviour available "
       .. "anywhere has catastrophic = true" },
  -- world fields
  { code = "local o = oversim\nlocal w = o.world{ contexts = {\n"
       .. "  o.context{ name = 'a', deploy_weight = 0 } },\n"
       .. "  behaviours = { o.behaviour{ name = 'x', looks = 1 } } }",
    msg = "t.lua:2: deployment weights must sum to a positive number (got 0): field "
       .. "'deploy_weight' of every context is 0" },
  { code = "local o = oversim\nlocal w = o.world{ contexts = {\n"
       .. "  o.context{ name = 'a', deploy_weight = -1 } },\n"
       .. "  behaviours = { o.behaviour{ name = 'x', looks = 1 } } }",
    msg = "t.lua:3: field 'deploy_weight' of context 'a' must be a finite number >= 0 (got -1)" },
  { code = "local o = oversim\nlocal w = o.world{ contexts = {\n"
       .. "  o.context{ name = 'a', monitored = false } },\n"
       .. "  behaviours = { o.behaviour{ name = 'x', looks = 1 } } }",
    msg = "t.lua:2: the overseer watches no context training samples: every context with a "
       .. "training weight has monitored = false" },
  { code = "local o = oversim\nlocal w = o.world{ contexts = { o.context{ name = 'a' } },\n"
       .. "  behaviours = { o.behaviour{ name = 'x', looks = 1, catastrophic = 1 } } }",
    part = "t.lua:3: field 'catastrophic' of behaviour 'x' must be a boolean" },
}

return M
