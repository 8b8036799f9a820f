-- tests/lua/errors.lua — the binding's messages for bad input, as data: each
-- group (one cmocka test of tests/test_binding.c, test_sweep.c,
-- test_progress.c or test_ensemble.c) is a list of cases that
-- harness_cases (tests/lua_harness.h) runs, each in a fresh state as chunk
-- "t.lua" (hence "t.lua:<line>" in the messages, the line within `code`):
--   { code = ..., msg = ... }   fails with exactly msg (the whole message)
--   { code = ..., part = ... }  fails with a message containing part
--   { code = ..., ok = true }   runs without error

-- A world of one context 'a' and a behaviour 'x', then `behaviour` on line 6.
local function one_ctx_world(behaviour)
  return [[
local o = oversim
local w = o.world{
  contexts = { o.context{ name = 'a' } },
  behaviours = {
    o.behaviour{ name = 'x', looks = 1 },
]] .. behaviour .. "\n" .. [[
  },
}
]]
end

-- A train spec on a small random_flaws world (lines 1-7), then
-- oversim.train(spec{ extra }) on line 8.
local function small_spec(extra)
  return [[
local s = oversim.scenario('random_flaws', { contexts = 2, behaviours = 6 })
function spec(extra)
  local t = { world = s.world, overseer = s.overseers['human-looks'], rounds = 3,
              labels_per_round = 16 }
  for k, v in pairs(extra) do t[k] = v end
  return t
end
oversim.train(spec{ ]] .. extra .. " })"
end

return {
  -- test_binding.c ----------------------------------------------------------
  unknown_key_names_closest = {
    { code = one_ctx_world("    o.behaviour{ name = 'bluff', looks = 1, pior = 0.2 },"),
      msg = "t.lua:6: unknown key 'pior' in behaviour 'bluff' (did you mean 'prior'?)" },
    { code = "local ov = oversim.overseer{ name = 'h', rationalty = 2 }",
      msg = "t.lua:1: unknown key 'rationalty' in overseer 'h'" },
    { code = "local ov = oversim.overseer{ name = 'h', mistak = 0.1 }",
      msg = "t.lua:1: unknown key 'mistak' in overseer 'h' (did you mean 'mistake'?)" },
  },

  probability_out_of_range = {
    { code = [[
local ov = oversim.overseer{ name = 'h',
  mistake = 1.5 }]],
      msg = "t.lua:1: field 'mistake' of overseer 'h' must be a probability in [0,1] (got 1.5)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle,
  reward_model = { noise = 1.2 } }]],
      msg = "t.lua:2: field 'noise' of reward_model must be in [0,1) (got 1.2)" },
  },

  wrong_type = {
    { code = "local ov = oversim.overseer{ name = 'h', competence = 'high' }",
      msg = "t.lua:1: field 'competence' of overseer 'h' must be a number (got string)" },
    { code = one_ctx_world("    o.behaviour{ name = 'y', looks = 'good' },"),
      msg = "t.lua:6: field 'looks' of behaviour 'y' must be a number, a table by context name "
         .. "or a function (got string)" },
    { code = "local ov = oversim.overseer{ name = 'h', when_unsure = 'look' }",
      msg = "t.lua:1: field 'when_unsure' of overseer 'h' must be one of 'coin', 'skip', "
         .. "'looks' (got 'look'; did you mean 'looks'?)" },
  },

  priors = {
    { code = one_ctx_world("    o.behaviour{ name = 'bluff', looks = 1, prior = -0.2 },"),
      msg = "t.lua:6: field 'prior' of behaviour 'bluff' must be >= 0 (got -0.2 in context 'a')" },
    { code = [[
local o = oversim
local w = o.world{
  contexts = { o.context{ name = 'a' } },
  behaviours = { o.behaviour{ name = 'x', looks = 1, prior = 0 } },
}
]],
      msg = "t.lua:2: priors of the behaviours in context 'a' must sum to a positive number "
         .. "(got 0)" },
  },

  negative_cost_and_empty_world = {
    { code = "local ov = oversim.overseer{ name = 'h', cost = -1 }",
      msg = "t.lua:1: field 'cost' of overseer 'h' must be >= 0 (got -1)" },
    { code = "local ov = oversim.overseer{ name = 'h', softness = 0 }",
      msg = "t.lua:1: field 'softness' of overseer 'h' must be > 0 (got 0; math.huge: a "
         .. "hard threshold)" },
    { code = "local ov = oversim.overseer{ name = 'h', softness = math.huge }", ok = true },
    { code = "local ov = oversim.overseer{ name = 'h', false_alarms = { difficulty = 2 } }",
      msg = "t.lua:1: field 'false_alarms' of overseer 'h' does not apply to kind 'human'" },
    { code = "local ov = oversim.overseer{ name = 'r', kind = 'recursive', false_alarms = {} }",
      msg = "t.lua:1: field 'difficulty' of false_alarms of overseer 'r' is missing (how hard "
         .. "a false alarm is to refute)" },
    { code = "local ov = oversim.overseer{ name = 'r', kind = 'recursive',\n"
          .. "  false_alarms = { difficulty = 2, effect = math.huge } }",
      msg = "t.lua:1: field 'effect' of false_alarms of overseer 'r' must be a finite number "
         .. "(got inf)" },
    { code = "local ov = oversim.overseer{ name = 'r', kind = 'recursive',\n"
          .. "  false_alarms = { difficulty = 2, effect = 0/0 } }",
      msg = "t.lua:1: field 'effect' of false_alarms of overseer 'r' must be a finite number "
         .. "(got nan)" }, -- 0/0 is a negative NaN, which glibc prints as "-nan"
    { code = "local ov = oversim.overseer{ name = 'r', kind = 'recursive',\n"
          .. "  false_alarms = { difficulty = 2 } }", ok = true },
    -- the binding keeps what it reads alive while user code runs: a fact's
    -- effect function that drops the fact's name and collects garbage, and a
    -- tiles __index that drops the map's rows (under ./run.sh asan these were
    -- heap-use-after-free; the names are built at run time, so collectable)
    { code = "local f = { name = string.rep('n', 60) .. 'x', difficulty = 1 }\n"
          .. "f.effect = function() f.name = nil; collectgarbage(); collectgarbage(); "
          .. "return -1 end\n"
          .. "local w = oversim.world{ name = 'w', contexts = { { name = 'a' }, { name = 'b' } },"
          .. " behaviours = { { name = 'x', looks = 1, facts = { f } } } }\n"
          .. "assert(w:info().cells[2].true_value == 0)", ok = true },
    { code = "local spec = { name = 'g', map = { '#' .. string.rep(' ', 2) .. '#', "
          .. "'A' .. string.rep(' ', 2) .. 'G' } }\n"
          .. "spec.tiles = setmetatable({ G = { goal = true } }, { __index = function() "
          .. "spec.map[1], spec.map[2] = nil, nil; collectgarbage(); collectgarbage() end })\n"
          .. "local g = oversim.gridworld(spec)\n"
          .. "assert(g:info().positions == 6)", ok = true },
    { code = "local w = oversim.world{ contexts = {}, behaviours = {} }",
      msg = "t.lua:1: world is empty: field 'contexts' needs at least one context" },
    { code = "local w = oversim.world{ contexts = { { name = 'a' } } }",
      msg = "t.lua:1: world is empty: field 'behaviours' is missing" },
  },

  names_resolve_with_suggestions = {
    { code = [[
local o = oversim
local w = o.world{
  contexts = { o.context{ name = 'easy' } },
  behaviours = { o.behaviour{ name = 'x', looks = 1, contexts = { 'eazy' } } },
}
]],
      msg = "t.lua:4: field 'contexts' of behaviour 'x' names an unknown context 'eazy' "
         .. "(did you mean 'easy'?)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
local ov = oversim.overseer{ name = 'm', competence = 1,
  misconceptions = { { behaviour = 'bluf', bias = 1 } } }
oversim.train{ world = s.world, overseer = ov, rounds = 1 }]],
      msg = "t.lua:2: misconception 1 of overseer 'm' names an unknown behaviour 'bluf' "
         .. "(did you mean 'bluff'?)" },
    { code = one_ctx_world("    o.behaviour{ name = 'x', looks = 2 },"),
      msg = "t.lua:6: two behaviours are named 'x'" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle, round = 2 }]],
      msg = "t.lua:2: unknown key 'round' in train (did you mean 'rounds'?)" },
  },

  train_ranges = {
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = -1 }]],
      msg = "t.lua:2: field 'rounds' of train must be >= 0 (got -1)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle,
  policy = { kl = 0 } }]],
      msg = "t.lua:2: field 'kl' of policy must be a finite number > 0 (got 0)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s, overseer = s.overseers.oracle }]],
      msg = "t.lua:2: field 'world' of train must be a world made by oversim.world (got table)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle, label_rounds = -2 }]],
      msg = "t.lua:2: field 'label_rounds' of train must be >= -1 (got -2; -1 means every round)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = 1, label_rounds = -1 }]],
      ok = true },
  },

  divergence_names_round_and_quantity = {
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers['human-looks'],
  rounds = 5, reward_model = { fit = 'gd', lr = 1e6 } }]],
      msg = "t.lua:2: training diverged at round 1: reward model parameters became non-finite "
         .. "(NaN or Inf); lower reward_model.lr or raise l2 (overseer 'human-looks', seed 1, "
         .. "run 1)" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle,
  rounds = 5, policy = { lr = 1e300 } }]],
      part = "t.lua:2: training diverged at round 1: policy parameters exploded" },
  },

  predicates_must_be_boolean = {
    { code = [[
local s = oversim.scenario('hidden_bug')
local ov = oversim.overseer{ name = 'p', competence = 1,
  wrong = function(ctx, b) return 1 end }
oversim.train{ world = s.world, overseer = ov, rounds = 1 }]],
      msg = "t.lua:2: predicate 'wrong' of overseer 'p' must return true or false (got number)" },
  },

  scenario_not_found = {
    { code = "oversim.scenario('no_such_world')",
      part = "t.lua:1: scenario 'no_such_world' not found" },
  },

  -- an error raised by the user's callback reaches the caller at its own line
  on_round_error = {
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.train{ world = s.world, overseer = s.overseers.oracle,
  on_round = function(r) error('stop here') end }]],
      part = "t.lua:3: stop here" },
  },

  -- test_sweep.c --------------------------------------------------------------
  sweep = {
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.sweep{ workers = 2, runs = {
  { world = s.world, overseer = s.overseers.oracle, rounds = 2 },
  { world = s.world, overseer = s.overseers.oracle, rounds = 2, policy = { lr = 1e300 } } } }]],
      part = "t.lua:2: run 2 of the sweep: training diverged at round 1" },
    { code = [[
local s = oversim.scenario('hidden_bug')
oversim.sweep{ runs = { { world = s.world, overseer = s.overseers.oracle,
  on_round = function() end } } }]],
      msg = "t.lua:2: field 'on_round' is not allowed in oversim.sweep (runs go in parallel); "
         .. "use oversim.train" },
    { code = "oversim.sweep{ run = {} }",
      msg = "t.lua:1: unknown key 'run' in sweep (did you mean 'runs'?)" },
  },

  -- test_progress.c -----------------------------------------------------------
  progress = {
    { code = "oversim.progress(-1)",
      msg = "t.lua:1: bad argument #1 to 'progress' (total must be >= 0)" },
    { code = "oversim.progress(3, 'sweep'); oversim.progress(0)", ok = true },
    { code = "return oversim.isatty('tty')",
      msg = "t.lua:1: bad argument #1 to 'isatty' (invalid option 'tty')" },
  },

  -- test_ensemble.c: models and queries -----------------------------------------
  models = {
    { code = small_spec("reward_model = { model = { kind = 'mlp', hidden = { 0 } } }"),
      part = "t.lua:8: hidden layer sizes of reward_model.model must be integers >= 1 (got 0)" },
    { code = small_spec("policy = { model = { kind = 'mlp', hidden = { 4, 4, 4 } } }"),
      part = "field 'hidden' of policy.model must list 1 or 2 layer sizes (got 3)" },
    { code = small_spec("policy = { model = { kind = 'mlp', activation = 'tanhh' } }"),
      part = "field 'activation' of policy.model must be one of 'tanh', 'relu' "
          .. "(got 'tanhh'; did you mean 'tanh'?)" },
    { code = small_spec("policy = { model = { kind = 'mpl' } }"),
      part = "did you mean 'mlp'?" },
    { code = small_spec("policy = { model = { hidden = 8 } }"),
      part = "field 'hidden' of policy.model needs kind = 'mlp'" },
    { code = small_spec("reward_model = { model = { kind = 'mlp', hiden = 3 } }"),
      part = "unknown key 'hiden' in reward_model.model (did you mean 'hidden'?)" },
    { code = small_spec("reward_model = { fit = 'adma' }"),
      part = "did you mean 'adam'?" },
    { code = small_spec("query = 'disagreement'"),
      part = "needs a reward model ensemble" },
    { code = small_spec("query = 'active'"),
      part = "field 'query' of train must be one of 'uniform', 'disagreement'" },
    { code = small_spec("reward_model = { ensemble = 0 }"),
      part = "field 'ensemble' of reward_model must be >= 1" },
    { code = small_spec("candidates = -1"),
      part = "field 'candidates' of train must be >= 0 (got -1; 0 means 8 x labels_per_round)" },
  },
  -- features as a table (one array per cell, context by context): every
  -- bad input named, on the world{} call's line
  features_table = (function()
    local W = "local o = oversim; o.world{ contexts = { o.context{ name = 'a' }, " ..
              "o.context{ name = 'b' } }, behaviours = { o.behaviour{ name = 'x', looks = 1 }, " ..
              "o.behaviour{ name = 'y', looks = 2 } }, features = "
    local function case(features, msg) return { code = W .. features .. " }", msg = msg } end
    return {
      case("{ {1}, {2}, {3} }", "t.lua:1: field 'features' of world has 3 arrays (expected " ..
           "one per cell: 2 contexts x 2 behaviours = 4, context by context)"),
      case("{ {1}, {2}, {3}, {4}, {5} }", "t.lua:1: field 'features' of world has 5 arrays " ..
           "(expected one per cell: 2 contexts x 2 behaviours = 4, context by context)"),
      case("{ {1}, 5, {1}, {1} }", "t.lua:1: field 'features' of world gives number for " ..
           "context 'a', behaviour 'y' (expected an array of numbers)"),
      case("{ {1}, {1}, {'z'}, {1} }", "t.lua:1: field 'features' of world: entry 1 for " ..
           "context 'b', behaviour 'x' is string (expected a number)"),
      case("{ {1, 2}, {1, 2}, {1, 2}, {1, math.huge} }", "t.lua:1: field 'features' of world: " ..
           "entry 2 for context 'b', behaviour 'y' is not finite (got inf)"),
      case("{ {1, 2}, {1, 2}, {1, 2}, {1, -math.huge} }", "t.lua:1: field 'features' of world: " ..
           "entry 2 for context 'b', behaviour 'y' is not finite (got -inf)"),
      case("{ {1}, {1, 2}, {1}, {1} }", "t.lua:1: field 'features' of world gives 2 numbers " ..
           "for context 'a', behaviour 'y' but 1 elsewhere"),
      case("{ {}, {}, {}, {} }", "t.lua:1: field 'features' of world gives an empty array"),
      case("{ {1}, {1}, {1}, nil }", "t.lua:1: field 'features' of world has 3 arrays " ..
           "(expected one per cell: 2 contexts x 2 behaviours = 4, context by context)"),
      -- the size: checked by the first array's length, before anything is allocated
      case("setmetatable({}, { __len = function() return 4 end, __index = function() return " ..
           "setmetatable({}, { __len = function() return 1 << 30 end }) end })",
           "t.lua:1: this world needs about 64.0 GiB (features 4 cells x 1073741824), above " ..
           "the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))"),
      case("{ setmetatable({}, { __len = function() return 1 << 40 end }), {1}, {1}, {1} }",
           "t.lua:1: field 'features' of world gives 1099511627776 numbers a cell (at most " ..
           "2147483647)"),
      case("'tables'", "t.lua:1: field 'features' of world must be 'onehot', 'behaviour', " ..
           "a table or a function (got 'tables')"),
      case("true", "t.lua:1: field 'features' of world must be a string, a table or a " ..
           "function (got boolean)"),
      -- the function form's values are checked the same way
      case("function(ctx, b) return { b == 'y' and ctx.name == 'b' and 0/0 or 1 } end",
           "t.lua:1: field 'features' of world: entry 1 for context 'b', behaviour 'y' is " ..
           "not finite (got nan)"), -- 0/0 is a negative NaN: "nan" all the same
    }
  end)(),
}
