-- tests/lua/episodes_errors.lua — bad input to episodes, as cases for
-- harness_cases (required by tests/lua/episodes.lua as its `errors`): each
-- code runs in a fresh state as chunk "t.lua", so messages carry
-- "t.lua:<line>"; every one is a single line naming the file, the line and
-- what is wrong.

-- A gridworld 'g' with a goal tile G and the given map rows and extra fields.
local function grid(rows, extra)
  return "oversim.gridworld{ name = 'g', map = { " .. rows .. " }, tiles = { G = { goal = true"
    .. " } }" .. (extra or "") .. " }"
end
local WALLED = '"#####", "#A G#", "#####"'
local SMALL = "local g = oversim.gridworld{ map = { 'A G' }, tiles = { G = { goal = true } } }\n"

return {
  -- the issue's bad inputs: no agent, no goal, unknown letter, unreachable
  -- goal, H < 1, and a ragged map
  { code = grid('"#####", "#  G#", "#####"'),
    msg = "t.lua:1: gridworld 'g': map has no agent (tile 'A')" },
  { code = "oversim.gridworld{ name = 'g', map = { '#####', '#A  #', '#####' }, "
      .. "tiles = { G = { goal = true } } }",
    msg = "t.lua:1: gridworld 'g': map has no goal (tile 'G')" },
  { code = grid('"#####", "#AxG#", "#####"'),
    msg = "t.lua:1: gridworld 'g': unknown tile 'x' at row 2, column 3 of the map" },
  { code = grid('"#####", "#A#G#", "#####"'),
    msg = "t.lua:1: gridworld 'g': goal 'G' is unreachable from the agent at row 2, column 2" },
  { code = grid(WALLED, ", horizon = 0"),
    msg = "t.lua:1: gridworld 'g': field 'horizon' must be an integer in 1..1000000 (got 0)" },
  { code = grid('"#####", "#A G#", "####"'),
    msg = "t.lua:1: gridworld 'g': map row 3 has 4 columns (row 1 has 5)" },
  { code = grid('"#####", "#AAG#", "#####"'),
    msg = "t.lua:1: gridworld 'g': map has 2 agents (tile 'A'; one expected)" },
  -- the spec's own checks
  { code = "oversim.gridworld{ name = 'g', map = { 'A G' }, tiles = { G = { goal = true }, "
      .. "B = 'buket' } }",
    msg = "t.lua:1: tile 'B' of gridworld 'g' must be a table or one of 'wall', 'floor', "
      .. "'agent', 'bucket' (got 'buket'; did you mean 'bucket'?)" },
  { code = "oversim.gridworld{ name = 'g', map = { 'A G' }, tiles = { G = { goal = true }, "
      .. "GG = 'wall' } }",
    msg = "t.lua:1: keys of field 'tiles' of gridworld 'g' must be single letters (got 'GG')" },
  { code = "oversim.gridworld{ name = 'g', map = { 'A G' }, tiles = { G = { goal = true, "
      .. "loks = 1 } } }",
    msg = "t.lua:1: unknown key 'loks' in tile 'G' of gridworld 'g' (did you mean 'looks'?)" },
  { code = grid(WALLED, ", horizn = 3"),
    msg = "t.lua:1: unknown key 'horizn' in gridworld 'g' (did you mean 'horizon'?)" },
  { code = grid(WALLED, ", supervisor = 2"),
    msg = "t.lua:1: field 'supervisor' of gridworld 'g' must be a probability in [0,1] "
      .. "(got 2)" },
  { code = grid(WALLED, ", features = 'tiles'"),
    msg = "t.lua:1: field 'features' of gridworld 'g' must be one of 'cell', 'tile' (got "
      .. "'tiles'; did you mean 'tile'?)" },
  { code = "oversim.gridworld{ name = 'g', map = { 'A G' }, tiles = { G = { goal = true, "
      .. "tomato = 'wet' } } }",
    msg = "t.lua:1: field 'tomato' of tile 'G' of gridworld 'g' must be one of 'dry', "
      .. "'watered' (got 'wet')" },
  { code = grid('"#####", "#A G#", 7'),
    msg = "t.lua:1: row 3 of field 'map' of gridworld 'g' must be a string (got number)" },
  { code = "oversim.gridworld{ name = 'g' }",
    msg = "t.lua:1: gridworld 'g' needs a 'map' (a list of strings)" },
  -- training on episodes
  { code = "oversim.train_episodes{ world = {}, overseer = oversim.overseer{ name = 'h' } }",
    msg = "t.lua:1: field 'world' of train_episodes must be episodes (oversim.gridworld{} "
      .. "or oversim.mdp{}; got table)" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = 3 }",
    msg = "t.lua:2: field 'overseer' of train_episodes must be an overseer "
      .. "(oversim.overseer{}; got number)" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'d', kind = 'debate', debaters = 'trained' } }",
    msg = "t.lua:2: overseer 'd': debaters = 'trained' cannot debate episodes (their "
      .. "policies are per comparison, and pairs of segments are not tabled): use 'optimal' "
      .. "or 'random'" },
  { code = "local t = oversim.scenario('tomato_watering') oversim.train_episodes{ world = "
      .. "t.world, segment = 10, overseer = oversim.overseer{ name = 'd', kind = 'debate', "
      .. "reveals = 9 } }",
    msg = "t.lua:1: train_episodes: optimal debaters at 9 reveals over segments of 10 steps "
      .. "(up to 20 hidden slots a pair) could play 3.67e+11 claim sequences, above the limit "
      .. "of 1000000: lower 'reveals' or 'segment'" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'k', knows = function() return true end } }",
    msg = "t.lua:2: field 'knows' of overseer 'k' does not apply to episodes (it is per "
      .. "context and pair of behaviours; a segment's steps are in different states)" },
  -- the sampled methods' fields only with them
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, lr = 1 }",
    msg = "t.lua:2: field 'lr' of train_episodes applies to method 'reinforce' or 'ppo' (got "
      .. "method 'exact')" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, method = 'reinforce', clip = 0.1 }",
    msg = "t.lua:2: field 'clip' of train_episodes applies to method 'ppo' (got method "
      .. "'reinforce')" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, method = 'reinfroce' }",
    msg = "t.lua:2: field 'method' of train_episodes must be one of 'exact', 'reinforce', "
      .. "'ppo' (got 'reinfroce'; did you mean 'reinforce'?)" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, method = 'ppo', batch = 1 }",
    msg = "t.lua:2: field 'batch' of train_episodes must be an integer in 2..1000000 (got 1)" },
  { code = "oversim.gridworld{ name = 'g', map = { 'A\\0 G' }, tiles = { G = { goal = true } } }",
    msg = "t.lua:1: row 1 of field 'map' of gridworld 'g' has a NUL byte at column 2" },
  -- best-of-n over whole episodes
  { code = SMALL .. "g:best_of_n{ n = 0 }",
    msg = "t.lua:2: field 'n' of best_of_n must be an integer in 1..1000000 (got 0)" },
  { code = SMALL .. "g:best_of_n{ m = 4 }",
    msg = "t.lua:2: unknown key 'm' in best_of_n (did you mean 'n'?)" },
  { code = SMALL .. "assert(g:optimum(nil).length == g:optimum().length)", ok = true },
  { code = SMALL .. "assert(g:best_of_n(nil).true_return == g:best_of_n().true_return)",
    ok = true },
  { code = SMALL .. "g:best_of_n{ draws = 1 }",
    msg = "t.lua:2: field 'draws' of best_of_n must be an integer >= 2 (got 1)" },
  { code = SMALL .. "g:best_of_n{ draws = 2^32 + 1 }",
    msg = "t.lua:2: field 'draws' of best_of_n must be <= 2147483647 (got 4294967297)" },
  -- misconceptions name a state (context) and an action (behaviour)
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h', misconceptions = { { behaviour = 'rigth', bias = 1 } } } }",
    msg = "t.lua:2: misconception 1 of overseer 'h' names an unknown behaviour 'rigth' "
      .. "(did you mean 'right'?)" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, segment = 0 }",
    msg = "t.lua:2: field 'segment' of train_episodes must be an integer >= 1 (got 0)" },
  { code = SMALL .. "oversim.train_episodes{ world = g, overseer = oversim.overseer{ name = "
      .. "'h' }, round = 3 }",
    msg = "t.lua:2: unknown key 'round' in train_episodes (did you mean 'rounds'?)" },
  { code = SMALL .. "g:optimum{ kl = 0 }",
    msg = "t.lua:2: field 'kl' of optimum must be a finite number > 0 (got 0)" },
  { code = SMALL .. "g:optimum{ reward = 'fake' }",
    msg = "t.lua:2: field 'reward' of optimum must be one of 'true', 'looks' (got 'fake')" },
  -- oversim.mdp: transition probabilities not summing to 1, H < 1, names
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = { a = 0.9 } } } } }",
    msg = "t.lua:1: mdp 'm': transition probabilities of action 'x' in state 'a' sum to 0.9 "
      .. "(must be 1 within 1e-09)" },
  { code = "oversim.mdp{ name = 'm', horizon = 0, states = { 'a' }, actions = { 'x' } }",
    msg = "t.lua:1: mdp 'm': field 'horizon' must be an integer in 1..1000000 (got 0)" },
  { code = "oversim.mdp{ name = 'm', states = { 'a' }, actions = { 'x' } }",
    msg = "t.lua:1: mdp 'm' needs a 'horizon' (steps per episode, >= 1)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = 'b' } } } }",
    msg = "t.lua:1: action 'x' in state 'a' of mdp 'm': unknown state 'b' (did you mean 'a'?)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { y = { next = 'a' } } } }",
    msg = "t.lua:1: cells of state 'a' of mdp 'm': unknown action 'y' (did you mean 'x'?)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a', 'a' }, actions = { 'x' } }",
    msg = "t.lua:1: state 'a' of mdp 'm' is given twice" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = { a = 1.5 } } } } }",
    msg = "t.lua:1: mdp 'm': transition probability of action 'x' in state 'a' must be in "
      .. "[0,1] (got 1.5)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { nxt = 'a' } } } }",
    msg = "t.lua:1: unknown key 'nxt' in action 'x' in state 'a' of mdp 'm' (did you mean "
      .. "'next'?)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a', { name = 'e', terminal = "
      .. "true, init = 1 } },\n  actions = { 'x' }, cells = { a = { x = { next = 'e' } } } }",
    msg = "t.lua:1: mdp 'm': terminal state 'e' cannot be an initial state (init 1)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  init = 'q', cells = { a = { x = { next = 'a' } } } }",
    msg = "t.lua:1: field 'init' of mdp 'm': unknown state 'q' (did you mean 'a'?)" },
  -- cells' features: every listed cell or none, one length, finite numbers
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x', 'y' },\n"
      .. "  cells = { a = { x = { next = 'a', features = { 1, 0 } },\n"
      .. "                  y = { next = 'a', features = { 0, 1, 2 } } } } }",
    msg = "t.lua:1: field 'features' of action 'y' in state 'a' of mdp 'm' has 3 numbers, but "
      .. "action 'x' in state 'a' has 2: every cell needs the same number" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x', 'y' },\n"
      .. "  cells = { a = { x = { next = 'a' }, y = { next = 'a', features = { 0, 1 } } } } }",
    msg = "t.lua:1: action 'x' in state 'a' of mdp 'm' has no 'features' (action 'y' in state "
      .. "'a' has 2: give every listed cell its features, or none)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = 'a', features = { 1, 0/0 } } } } }",
    msg = "t.lua:1: field 'features' of action 'x' in state 'a' of mdp 'm': entry 2 must be a "
      .. "finite number (got nan)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = 'a', features = { 'one' } } } } }",
    msg = "t.lua:1: field 'features' of action 'x' in state 'a' of mdp 'm': entry 1 must be a "
      .. "finite number (got string)" },
  { code = "oversim.mdp{ name = 'm', horizon = 1, states = { 'a' }, actions = { 'x' },\n"
      .. "  cells = { a = { x = { next = 'a', features = {} } } } }",
    msg = "t.lua:1: field 'features' of action 'x' in state 'a' of mdp 'm' must be a list of 1 "
      .. "to 2147483647 numbers (got 0 entries)" },
}
