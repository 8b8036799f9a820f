-- tests/fuzz/spec.lua — the spec fuzz target's decoder (embedded in the
-- target; see fuzz_spec.c). Called with the module and the input bytes, it
-- starts from a small valid world (2 contexts x 3 behaviours, a hidden fact),
-- a human overseer and a 2-round train{} spec of 8 labels, then applies the
-- edits the bytes spell, each one byte for what to edit then its value:
--   a field of the world, a context, a behaviour, a fact, the overseer, its
--   assistant or critic, a misconception, train{}, its red_team,
--   reward_model, policy or a model table — numbers (0, -0, 1e308, inf, NaN, 2^31, 2^32+1, 2^63,
--   mininteger, raw doubles), strings (empty, bytes, 1 MB), booleans,
--   functions that raise or return junk, nested and deeply nested tables,
--   the wrong userdata; or the world's size (contexts x behaviours); or, after
--   the constructors, breaking the tables they were given.
-- Counts that make a run long (rounds, labels, steps, ensemble, hidden sizes,
-- world size) take only tiny values or values past what any run supports
-- (>= 2^31), or the sizes of issue 11's items (hidden {65536, 65536}, 1 x 20000
-- behaviours), so that a slow input is a bug, not a big but valid run. Then world{}, overseer{} and
-- train{} run (each under pcall: an error is a fine outcome) and, if the
-- world was made, its info().
local o, data, mode = ...
local pos = 1
local function byte()
  local b = data:byte(pos) or 0 -- past the end: zeros
  pos = pos + 1
  return b
end
local function pick(list) return list[byte() % #list + 1] end

local SPECIAL = { 0, -0.0, 1, -1, 0.5, 2, 3, 1e308, -1e308, 1e-308, 4.9e-324, math.huge,
                  -math.huge, 0 / 0, 2^31, 2147483647, 2147483648, 4294967296, 4294967297,
                  math.maxinteger, math.mininteger, 2^63, -2^63, 65536, 20000, 1e15, 0.1,
                  100, -2147483649, 9007199254740993 }
-- counts: tiny, or past any supported maximum
local SIZES = { 0, 1, 2, 3, -1, 0.5, 0 / 0, math.huge, 2^31, 2147483648, 4294967297,
                math.maxinteger, math.mininteger, 2^63, 1e308, -2147483649 }
-- hidden layer sizes: those, and 65536 (issue 11, item 3: D*h1 and h1*h2 as int)
local HIDDEN = { 1, 2, 3, 0, -1, 0.5, 2^31, 4294967297, math.maxinteger, 65536, 65536 }
local NAMES = { "", "a", "b", "easy", "hard", "good", "bad", "bug", "oracle", "human",
                "assisted", "recursive", "coin", "skip", "looks", "linear", "mlp", "onehot",
                "behaviour", "relu", "tanh", "exact", "reinforce", "ppo", "bon", "optimum",
                "dpo", "bfgs", "gd", "adam", "uniform", "disagreement", "inf", "nan", "-0",
                "random", "adversarial", "debate", "optimal", "trained", "honest", "liar",
                "1e308", "rationalty", "name", "%s%n", "`touch x`", "a\0b", "\n" }
local FUNCS = {
  function() return 1 end, function() error("fuzz: raised") end,
  function() error({}) end, function() error() end, function() return "x" end,
  function() return {} end, function() return 0 / 0 end, function() return math.huge end,
  function() return nil end, function(...) return select("#", ...) end,
  function() return true end, function() return 1, 2, 3 end,
}

local function num()
  local k = byte() % 4
  if k == 0 then return pick(SPECIAL)
  elseif k == 1 then return byte() - 128
  elseif k == 2 then return (byte() - 128) / 16
  elseif pos + 7 <= #data then
    local v
    v, pos = string.unpack("<d", data, pos)
    return v
  end
  return 0.25
end

local function str()
  local k = byte() % 4
  if k == 0 then return pick(NAMES)
  elseif k == 1 then
    local n = byte() % 32
    local s = data:sub(pos, pos + n - 1)
    pos = pos + n
    return s
  elseif k == 2 then return string.rep(string.char(97 + byte() % 26), (byte() + 1) * 4096)
  end
  return string.rep("%s\0\n\"'`$(x)", byte() % 8)
end

local objects = {} -- a world or overseer made earlier: the wrong userdata
local value
function value(depth)
  local k = byte() % 10
  if k == 0 then return num()
  elseif k == 1 then return str()
  elseif k == 2 then return byte() % 2 == 1
  elseif k == 3 then return nil
  elseif k == 4 then return pick(FUNCS)
  elseif k == 5 and depth < 6 then
    local t = {}
    for i = 1, byte() % 5 do t[i] = value(depth + 1) end
    return t
  elseif k == 6 and depth < 6 then
    local t = {}
    for _ = 1, byte() % 5 do
      local key = byte() % 3 == 0 and num() or str()
      if key == key then t[key] = value(depth + 1) end -- NaN is no key
    end
    return t
  elseif k == 7 then -- deep nesting
    local t = {}
    local c = t
    for _ = 1, byte() * 8 do c[1] = {}; c = c[1] end
    return t
  elseif k == 8 then return objects[byte() % 3 + 1] or o
  end
  return pick(SIZES)
end

-- the starting point: small and valid
local contexts = { { name = "easy", weight = 0.5, difficulty = 0 },
                   { name = "hard", weight = 0.5, difficulty = 2 } }
local behaviours = {
  { name = "good", looks = 1, prior = 0.5 },
  { name = "bad", looks = { easy = 0.5, hard = 1.2 }, prior = 0.3,
    facts = { { name = "bug", difficulty = 1, effect = -2 } } },
  { name = "admit", contexts = { "hard" }, looks = 0.2, prior = 0.2 },
}
local world = { name = "w", contexts = contexts, behaviours = behaviours }
local overseer = { name = "h", kind = "human", competence = 1, beta = 5, when_unsure = "looks" }
local rm = { model = { kind = "linear" } }
local policy = { method = "exact", kl = 1 }
local train = { rounds = 2, labels_per_round = 8, seed = 1, reward_model = rm, policy = policy }

local WORLD_KEYS = { "name", "contexts", "behaviours", "features", "deception_threshold",
                     "rationalty" }
local CONTEXT_KEYS = { "name", "weight", "difficulty", "tags", "deploy_weight", "monitored" }
local BEHAVIOUR_KEYS = { "name", "looks", "prior", "facts", "deceptive", "contexts",
                         "catastrophic" }
local FACT_KEYS = { "name", "difficulty", "effect", "contexts" }
local OVERSEER_KEYS = { "name", "kind", "competence", "beta", "mistake", "skip_threshold",
                        "equal_threshold", "myopia", "cost", "when_unsure", "misconceptions",
                        "knows", "wrong", "verify_gain", "critique_cost", "trust_unverified",
                        "assistant", "depth", "critic", "false_alarms", "reveals", "debaters",
                        "first", "self_play" }
local SELF_PLAY_KEYS = { "rounds", "games", "lr" }
local FALSE_ALARM_KEYS = { "difficulty", "effect" }
local ASSISTANT_KEYS = { "recall", "honesty", "reach", "false_alarm", "false_alarm_effect",
                         "false_alarm_difficulty" }
local CRITIC_KEYS = { "rounds", "labels_per_round", "reward_model", "policy", "prior" }
local TRAIN_KEYS = { "rounds", "labels_per_round", "seed", "run", "reward_model", "policy",
                     "params", "on_round", "stream", "label_rounds", "query", "candidates",
                     "scenario", "deploy_episodes", "red_team" }
local RED_TEAM_KEYS = { "realism", "cue", "budget", "search", "pool", "cost", "templates" }
local RM_KEYS = { "l2", "noise", "fit", "max_iter", "lr", "tol", "model", "ensemble",
                  "bootstrap", "confidence" }
local POLICY_KEYS = { "method", "lr", "kl", "steps", "batch", "epochs", "minibatch", "clip",
                      "n", "model", "optimizer" }
local MODEL_KEYS = { "kind", "hidden", "activation" }
-- fields that count work: tiny or past any maximum (SIZES), never merely big
local COUNTS = { rounds = true, labels_per_round = true, steps = true, batch = true,
                 epochs = true, minibatch = true, n = true, max_iter = true, ensemble = true,
                 candidates = true, depth = true, hidden = true, label_rounds = true,
                 deploy_episodes = true, budget = true, pool = true, reveals = true,
                 games = true }

local function set(t, keys)
  local key = pick(keys)
  if COUNTS[key] and byte() % 4 ~= 0 then
    if key == "hidden" and byte() % 2 == 0 then
      t[key] = { pick(HIDDEN), pick(HIDDEN) }
    elseif key == "hidden" then
      t[key] = pick(HIDDEN)
    else
      t[key] = pick(SIZES)
    end
  elseif COUNTS[key] then
    local v = value(0)
    -- a number that is neither tiny nor past 2^31 would only make a long run
    if type(v) == "number" and math.abs(v) > 3 and math.abs(v) < 2^31
       and not (key == "hidden" and v == 65536) then
      v = 2
    end
    t[key] = v
  else
    t[key] = value(0)
  end
end

-- an entry of list to edit (one past the end: a new one); an entry another
-- edit made something else than a table (a number, a constructed userdata)
-- is made anew, so that editing it is never the decoder's own error
local function item(list, make)
  local i = byte() % (#list + 1) + 1
  if type(list[i]) ~= "table" then list[i] = make() end
  return list[i]
end

local function resize()
  local nc = pick{ 0, 1, 2, 3, 1, 1 }
  local nb = pick{ 0, 1, 2, 5, 20000 }
  contexts = {}
  for c = 1, nc do contexts[c] = { name = "c" .. c, weight = 1, difficulty = c % 3 } end
  behaviours = {}
  for b = 1, nb do behaviours[b] = { name = "b" .. b, looks = (b % 7) / 7, prior = 1 } end
  world.contexts, world.behaviours = contexts, behaviours
end

local mutate_after = false
local EDITS = {
  function() set(world, WORLD_KEYS) end,
  function() set(item(contexts, function() return { name = "n" } end), CONTEXT_KEYS) end,
  function() set(item(behaviours, function() return { name = "m" } end), BEHAVIOUR_KEYS) end,
  function()
    local b = item(behaviours, function() return { name = "f" } end)
    if type(b.facts) ~= "table" then b.facts = {} end
    set(item(b.facts, function() return { name = "x", difficulty = 1, effect = -1 } end),
        FACT_KEYS)
  end,
  function() set(overseer, OVERSEER_KEYS) end,
  function()
    if type(overseer.assistant) ~= "table" then overseer.assistant = {} end
    set(overseer.assistant, ASSISTANT_KEYS)
  end,
  function()
    if type(overseer.critic) ~= "table" then overseer.critic = {} end
    set(overseer.critic, CRITIC_KEYS)
  end,
  function() -- a debate's self-play, or the false alarms of an assistant
    local key = byte() % 2 == 0 and "self_play" or "false_alarms"
    if type(overseer[key]) ~= "table" then overseer[key] = {} end
    if key == "self_play" then
      set(overseer.self_play, SELF_PLAY_KEYS)
    else
      set(item(overseer.false_alarms, function() return { difficulty = 1, effect = -1 } end),
          FALSE_ALARM_KEYS)
    end
  end,
  function()
    if type(overseer.misconceptions) ~= "table" then overseer.misconceptions = {} end
    local m = overseer.misconceptions
    m[#m + 1] = { context = pick(NAMES), behaviour = pick(NAMES), bias = num() }
  end,
  function() set(train, TRAIN_KEYS) end,
  function()
    if type(train.red_team) ~= "table" then train.red_team = {} end
    set(train.red_team, RED_TEAM_KEYS)
  end,
  function() set(rm, RM_KEYS) end,
  function() set(policy, POLICY_KEYS) end,
  function()
    local t = byte() % 2 == 0 and rm or policy
    if type(t.model) ~= "table" then t.model = {} end
    set(t.model, MODEL_KEYS)
  end,
  resize,
  function() -- the checked constructors on a part, as a scenario would call them
    local k = byte() % 3
    local list = k == 0 and contexts or behaviours
    local i = byte() % math.max(#list, 1) + 1
    if type(list[i]) == "table" then
      local make = k == 0 and o.context or k == 1 and o.behaviour or o.behaviour
      local ok, r = pcall(make, list[i])
      if ok then list[i] = r end
    end
  end,
  function() mutate_after = true end,
}

-- Episodes mode (mode == "episodes", the episodes target, fuzz_episodes.c):
-- a small valid gridworld (a 3 x 4 map with an agent, a goal, a tomato and a
-- bucket) and a small valid mdp (2 states, 2 actions, a hidden fact), the
-- overseer above and a 2-round train_episodes{} spec; the edits change the
-- map (a row, a letter, its size: up to 20000 wide or tall), a tile, the
-- grid's or the mdp's fields, a state, a cell, its transitions or facts,
-- train_episodes{}, optimum{} and best_of_n{} arguments, or the overseer
-- (the edits above). Then gridworld{} or mdp{} (the input's first byte says
-- which: odd, the mdp), info(), optimum{}, best_of_n{} and train_episodes{}
-- run, each under pcall.
local map = { "#####", "#A T#", "#BG #", "#####" }
local tiles = { T = { tomato = "dry" }, B = "bucket", G = { goal = true, looks = 5 } }
local grid = { name = "g", horizon = 3, map = map, tiles = tiles }
local states = { "s", { name = "t", terminal = true, watched = false } }
local cells = { s = { go = { looks = 1, next = "t", facts = { { difficulty = 1, effect = -2 } } },
                      stay = { looks = 0.5, next = { s = 0.5, t = 0.5 } } } }
local mdp = { name = "m", horizon = 2, states = states, actions = { "go", "stay" },
              cells = cells, init = "s" }
local trainep = { rounds = 2, pairs = 2, segment = 2, seed = 1, metric_episodes = 4 }
local optimum_args = { kl = 0.1 }
local bon_args = { n = 2, draws = 4 }

local GRID_KEYS = { "name", "map", "tiles", "horizon", "move", "supervisor", "absent_unwatched",
                    "tomato", "dry", "tamper_difficulty", "features" }
local TILE_KEYS = { "name", "wall", "agent", "goal", "bucket", "tomato", "looks",
                    "looks_supervised", "effect", "effect_absent", "difficulty" }
local MDP_KEYS = { "name", "horizon", "states", "actions", "cells", "init" }
local STATE_KEYS = { "name", "init", "terminal", "watched", "twin" }
local CELL_KEYS = { "looks", "prior", "next", "facts", "features" }
local TRAINEP_KEYS = { "rounds", "pairs", "segment", "kl", "l2", "max_iter", "tol",
                       "deception_threshold", "metric_episodes", "seed", "run", "method", "lr",
                       "steps", "batch", "clip", "epochs" }
local OPTIMUM_KEYS = { "kl", "reward" }
local BON_KEYS = { "n", "reward", "draws", "seed", "run" }
for _, k in ipairs{ "horizon", "pairs", "segment", "metric_episodes", "draws" } do
  COUNTS[k] = true
end
local LETTERS = { "#", " ", "A", "G", "T", "B", "P", "?", "\0", "", "AA", "é" }

local EPISODE_EDITS = {
  function() set(grid, GRID_KEYS) end,
  function() -- a map row: replaced, or one letter of it
    local i = byte() % (#map + 1) + 1
    local row = map[i]
    if byte() % 2 == 0 or type(row) ~= "string" then
      map[i] = byte() % 2 == 0 and str() or value(0)
    else
      local j = byte() % (#row + 1) + 1
      map[i] = row:sub(1, j - 1) .. pick(LETTERS) .. row:sub(j + 1)
    end
  end,
  function() -- the map's size: walls around floor, the agent and a goal
    local w, h = pick{ 1, 2, 3, 8, 20000 }, pick{ 1, 2, 3, 8, 20000 }
    map = { string.rep("#", w + 2) }
    for r = 1, h do
      local row = string.rep(" ", w)
      if r == 1 then row = "A" .. row:sub(2) end
      if r == h then row = row:sub(1, w - 1) .. "G" end
      map[#map + 1] = "#" .. row .. "#"
    end
    map[#map + 1] = map[1]
    grid.map = map
  end,
  function() -- a tile, by letter: a table or a shorthand
    local letter = pick(LETTERS)
    if byte() % 4 == 0 then
      local k = byte() % 6
      tiles[letter] = k < 5 and ({ "wall", "floor", "agent", "bucket", "goal" })[k + 1]
                      or value(0)
    else
      if type(tiles[letter]) ~= "table" then tiles[letter] = {} end
      set(tiles[letter], TILE_KEYS)
    end
  end,
  function() set(mdp, MDP_KEYS) end,
  function()
    local st = item(states, function() return { name = "u" } end)
    if type(st) == "table" then set(st, STATE_KEYS) else states[byte() % 3 + 1] = value(0) end
  end,
  function() -- a cell: s or t or a new state, go or stay or a new action
    local sname, aname = pick{ "s", "t", "u", "" }, pick{ "go", "stay", "jump", "" }
    if type(cells[sname]) ~= "table" then cells[sname] = {} end
    if type(cells[sname][aname]) ~= "table" then cells[sname][aname] = {} end
    set(cells[sname][aname], CELL_KEYS)
  end,
  function() -- a cell's transitions or facts, entry by entry
    local c = cells.s.stay
    if byte() % 2 == 0 then
      if type(c.next) ~= "table" then c.next = {} end
      local to = pick{ "s", "t", "u", "" }
      c.next[to] = num()
    else
      if type(c.facts) ~= "table" then c.facts = {} end
      set(item(c.facts, function() return { difficulty = 1, effect = -1 } end),
          { "difficulty", "effect" })
    end
  end,
  function() set(trainep, TRAINEP_KEYS) end,
  function() set(optimum_args, OPTIMUM_KEYS) end,
  function() set(bon_args, BON_KEYS) end,
  EDITS[5], EDITS[6], EDITS[7], EDITS[8], EDITS[9], -- the overseer
}

-- the edits' names, in their order (tests/fuzz/make_corpus.lua spells seeds
-- with them, and with the lists above: mode "lists" returns them all)
local EDIT_NAMES = { "world", "context", "behaviour", "fact", "overseer", "assistant", "critic",
                     "self_play", "misconception", "train", "red_team", "rm", "policy", "model",
                     "resize", "construct", "mutate_after" }
local EPISODE_EDIT_NAMES = { "grid", "map_row", "map_size", "tile", "mdp", "state", "cell",
                             "cell_entry", "train_episodes", "optimum", "best_of_n", "overseer",
                             "assistant", "critic", "self_play", "misconception" }
assert(#EDIT_NAMES == #EDITS and #EPISODE_EDIT_NAMES == #EPISODE_EDITS,
       "spec.lua: an edit without a name")
if mode == "lists" then
  return { SPECIAL = SPECIAL, SIZES = SIZES, HIDDEN = HIDDEN, NAMES = NAMES, LETTERS = LETTERS,
           EDITS = EDIT_NAMES, EPISODE_EDITS = EPISODE_EDIT_NAMES,
           KEYS = { world = WORLD_KEYS, context = CONTEXT_KEYS, behaviour = BEHAVIOUR_KEYS,
                    fact = FACT_KEYS, overseer = OVERSEER_KEYS, self_play = SELF_PLAY_KEYS,
                    false_alarm = FALSE_ALARM_KEYS, assistant = ASSISTANT_KEYS,
                    critic = CRITIC_KEYS, train = TRAIN_KEYS, red_team = RED_TEAM_KEYS,
                    rm = RM_KEYS, policy = POLICY_KEYS, model = MODEL_KEYS, grid = GRID_KEYS,
                    tile = TILE_KEYS, mdp = MDP_KEYS, state = STATE_KEYS, cell = CELL_KEYS,
                    train_episodes = TRAINEP_KEYS, optimum = OPTIMUM_KEYS,
                    best_of_n = BON_KEYS } }
end

-- episodes: the first byte says which world to make (odd: the mdp)
local use_mdp = mode == "episodes" and byte() % 2 == 1
local edits = 0
local list = mode == "episodes" and EPISODE_EDITS or EDITS
while pos <= #data and edits < 64 do
  pick(list)()
  edits = edits + 1
end

-- FUZZ_SPEC_DEBUG (tests/fuzz/spec_debug.lua sets it): say what happened
local debug_print = rawget(_G, "FUZZ_SPEC_DEBUG") and print or function() end
local function try(what, f, ...)
  local ok, r = pcall(f, ...)
  debug_print(what, ok and "ok" or "error", r)
  return ok, r
end
debug_print("edits", edits, "bytes read", pos - 1)
if mode == "episodes" then
  local make, spec = o.gridworld, grid
  if use_mdp then make, spec = o.mdp, mdp end
  local ok_e, e = try(spec == grid and "gridworld" or "mdp", make, spec)
  local ok_o, ov = try("overseer", o.overseer, overseer)
  local function show(t)
    local parts = {}
    for k, v in pairs(type(t) == "table" and t or {}) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
    table.sort(parts)
    return table.concat(parts, " ")
  end
  debug_print("optimum args", show(optimum_args), "best_of_n args", show(bon_args))
  if ok_e then
    try("info", e.info, e)
    try("optimum", e.optimum, e, optimum_args)
    try("best_of_n", e.best_of_n, e, bon_args)
  end
  trainep.world = ok_e and e or spec
  trainep.overseer = ok_o and ov or overseer
  local ran, why = try("train_episodes", o.train_episodes, trainep)
  if not ran and tostring(why):find("out of memory", 1, true) then
    error("fuzz: train_episodes{} ran out of memory instead of refusing from an estimate: "
          .. tostring(why), 0)
  end
  return
end
local ok_w, w = try("world", o.world, world)
if ok_w then
  objects[1] = w
  try("info", w.info, w)
end
local ok_o, ov = try("overseer", o.overseer, overseer)
if ok_o then objects[2] = ov end
-- the spec is edited after the constructors returned: they must have copied
-- what they need (issue 11, item 4)
if mutate_after then
  for _, m in ipairs(type(overseer.misconceptions) == "table" and overseer.misconceptions
                     or {}) do
    if type(m) == "table" then m.behaviour, m.context = true, {} end
  end
  for _, c in ipairs(contexts) do if type(c) == "table" then c.name = nil end end
end
train.world = ok_w and w or world
train.overseer = ok_o and ov or overseer
local ran, why = try("train", o.train, train)
ran = ran and ok_w and train.world == w
-- A run that cannot be afforded must be refused from an estimate before
-- allocating (issue 11, item 5), never reach the allocator's failure:
-- tests/test_fuzz_regressions.c replays inputs with 3 GB of address space.
if not ran and tostring(why):find("out of memory", 1, true) then
  error("fuzz: train{} ran out of memory instead of refusing from an estimate: "
        .. tostring(why), 0)
end

-- A train{} that finished cannot have honoured a count past 2^31: it must
-- have been refused (issue 11, item 3: rounds = 2^32 + 1 ran one round).
local function huge(v) return type(v) == "number" and (v ~= v or math.abs(v) >= 2^31) end
if ran then
  local mlp = type(rm.model) == "table" and rm.model.kind == "mlp" and rm.model.hidden
  for what, v in pairs{ rounds = train.rounds, labels_per_round = train.labels_per_round,
                        hidden = mlp } do
    local list = type(v) == "table" and v or { v }
    for _, x in ipairs(list) do
      if huge(x) then
        error(string.format("fuzz: train{} accepted %s = %s and finished", what,
                            tostring(x)), 0)
      end
    end
  end
end
