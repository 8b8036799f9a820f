-- tests/lua/limits.lua — sizes and the memory limit (tests/test_limits.c).
-- Each group of cases runs every code in a fresh state as chunk "t.lua"; the
-- failing call is on line 2, after the prelude P.
local P = "local o = oversim; local w = o.world{ contexts = { { name = 'c' } }, " ..
          "behaviours = { { name = 'x', looks = 1 }, { name = 'y', looks = 0 } } }; " ..
          "local h = o.overseer{ name = 'h' }\n"

-- a world of one context and n behaviours, as a prelude
local function wide(n)
  return "local o = oversim; local bs = {}; for i = 1, " .. n .. " do " ..
         "bs[i] = { name = 'b' .. i, looks = i % 3 } end; " ..
         "local w = o.world{ contexts = { { name = 'c' } }, behaviours = bs }\n"
end

local M = {}

-- integer fields: a value past an int (or past the documented maximum) is a
-- one-line error naming the field and the value as given, never truncated
M.int_fields = {
  { code = P .. "o.train{ world = w, overseer = h, rounds = 2^32 + 1 }",
    msg = "t.lua:2: field 'rounds' of train must be <= 10000000 (got 4294967297)" },
  { code = P .. "o.train{ world = w, overseer = h, rounds = 10000001 }",
    msg = "t.lua:2: field 'rounds' of train must be <= 10000000 (got 10000001)" },
  { code = P .. "o.train{ world = w, overseer = h, rounds = -1 }",
    msg = "t.lua:2: field 'rounds' of train must be >= 0 (got -1)" },
  { code = P .. "o.train{ world = w, overseer = h, labels_per_round = 1 << 40 }",
    msg = "t.lua:2: field 'labels_per_round' of train must be <= 10000000 (got 1099511627776)" },
  { code = P .. "o.train{ world = w, overseer = h, labels_per_round = 268435456 }",
    msg = "t.lua:2: field 'labels_per_round' of train must be <= 10000000 (got 268435456)" },
  { code = P .. "o.train{ world = w, overseer = h, candidates = 1 << 31 }",
    msg = "t.lua:2: field 'candidates' of train must be <= 100000000 (got 2147483648)" },
  { code = P .. "o.train{ world = w, overseer = h, label_rounds = 1 << 31 }",
    msg = "t.lua:2: field 'label_rounds' of train must be <= 2147483647 (got 2147483648)" },
  { code = P .. "o.train{ world = w, overseer = h, reward_model = { max_iter = 1 << 32 } }",
    msg = "t.lua:2: field 'max_iter' of reward_model must be <= 2147483647 (got 4294967296)" },
  { code = P .. "o.train{ world = w, overseer = h, reward_model = { ensemble = 1001 } }",
    msg = "t.lua:2: field 'ensemble' of reward_model must be <= 1000 (got 1001)" },
  { code = P .. "o.train{ world = w, overseer = h, policy = { steps = 1 << 31 } }",
    msg = "t.lua:2: field 'steps' of policy must be <= 2147483647 (got 2147483648)" },
  { code = P .. "o.train{ world = w, overseer = h, policy = { batch = 100000001 } }",
    msg = "t.lua:2: field 'batch' of policy must be <= 100000000 (got 100000001)" },
  { code = P .. "o.train{ world = w, overseer = h, policy = { epochs = 1 << 31 } }",
    msg = "t.lua:2: field 'epochs' of policy must be <= 2147483647 (got 2147483648)" },
  { code = P .. "o.train{ world = w, overseer = h, policy = { minibatch = 1 << 31 } }",
    msg = "t.lua:2: field 'minibatch' of policy must be <= 2147483647 (got 2147483648)" },
  { code = P .. "o.train{ world = w, overseer = h, policy = { method = 'bon', n = 1 << 31 } }",
    msg = "t.lua:2: field 'n' of policy must be <= 2147483647 (got 2147483648)" },
  -- {65536, 65536} wrapped h1 * h2 to 0 and crashed in model_forward
  { code = P .. "o.train{ world = w, overseer = h, policy = { model = { kind = 'mlp', " ..
           "hidden = { 65536, 65536 } } } }",
    msg = "t.lua:2: hidden layers of policy.model are too large: 65536 x 65536 weights " ..
          "(at most 2147483647)" },
  { code = P .. "o.train{ world = w, overseer = h, reward_model = { model = { kind = 'mlp', " ..
           "hidden = (1 << 32) + 64 } } }",
    msg = "t.lua:2: hidden layer sizes of reward_model.model must be at most 1000000 " ..
          "(got 4294967360)" },
  { code = P .. "o.train{ world = w, overseer = h, reward_model = { model = { kind = 'mlp', " ..
           "hidden = { 8, -(1 << 40) } } } }",
    msg = "t.lua:2: hidden layer sizes of reward_model.model must be integers >= 1 " ..
          "(got -1099511627776)" },
  { code = P .. "o.overseer{ name = 'r', kind = 'recursive', depth = (1 << 32) + 1 }",
    msg = "t.lua:2: field 'depth' of overseer 'r' must be <= 2147483647 (got 4294967297)" },
  { code = P .. "o.overseer{ name = 'r', kind = 'recursive', critic = { rounds = 2^32 + 1 } }",
    msg = "t.lua:2: field 'rounds' of critic of overseer 'r' must be <= 10000000 " ..
          "(got 4294967297)" },
  { code = P .. "o.sweep{ runs = {}, workers = 1 << 32 }",
    msg = "t.lua:2: field 'workers' of sweep must be <= 2147483647 (got 4294967296)" },
  -- the maxima themselves are accepted (rounds 0: nothing runs)
  { code = P .. "o.train{ world = w, overseer = h, rounds = 0, labels_per_round = 10000000, " ..
           "candidates = 100000000, policy = { batch = 100000000 }, " ..
           "reward_model = { ensemble = 2 } }", ok = true },
}

-- estimates: refused before anything is allocated, naming the estimate, its
-- largest item and the limit
M.estimates = {
  -- the run that took 8.7 s and 1.6 GB for 8 labels
  { code = wide(20000) .. "o.train{ world = w, overseer = o.overseer{}, rounds = 1, " ..
           "labels_per_round = 8 }",
    msg = "t.lua:2: this run needs about 6.7 GiB (reward-model pair table 20000 x 20000), " ..
          "above the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
  -- one number governs: oversim.max_memory lowers the limit estimates use
  { code = wide(2000) .. "o.max_memory('64M'); o.train{ world = w, overseer = o.overseer{} }",
    msg = "t.lua:2: this run needs about 71.3 MiB (reward-model pair table 2000 x 2000), " ..
          "above the memory limit of 64 MiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
  { code = wide(2000) .. "o.max_memory('128M'); o.train{ world = w, overseer = o.overseer{}, " ..
           "rounds = 1, labels_per_round = 1 }", ok = true },
  -- the world itself, from the lengths of its lists, before a cell is built
  { code = "local o = oversim; local cs, bs = {}, {}\n" ..
           "for i = 1, 1000 do cs[i] = { name = 'c' .. i }; bs[i] = { name = 'b' .. i, looks = 0 } end\n" ..
           "o.world{ contexts = cs, behaviours = bs, features = 'behaviour' }",
    msg = "t.lua:3: this world needs about 14.9 GiB (features 1000000 cells x 1000), above " ..
          "the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
  { code = "local o = oversim\n" ..
           "local n = setmetatable({}, { __len = function() return 100000 end })\n" ..
           "o.world{ contexts = n, behaviours = n }",
    msg = "t.lua:3: world too large: 100000 x 100000 cells (at most 50000000)" },
  -- features from a function: checked once the first call gives their length
  { code = "local o = oversim; local cs, bs = {}, {}\n" ..
           "for i = 1, 100 do cs[i] = { name = 'c' .. i }; bs[i] = { name = 'b' .. i, looks = 0 } end\n" ..
           "local calls, phi = 0, {}; for k = 1, 100000 do phi[k] = 0 end\n" ..
           "o.world{ contexts = cs, behaviours = bs, features = function() calls = calls + 1; " ..
           "assert(calls == 1); return phi end }",
    msg = "t.lua:4: this world needs about 14.9 GiB (features 10000 cells x 100000), above " ..
          "the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
  -- the longest run allowed is refused by its rows, before round 1
  { code = P .. "o.train{ world = w, overseer = h, rounds = 10000000 }",
    part = "t.lua:2: this run needs about" },
  { code = P .. "o.train{ world = w, overseer = h, rounds = 10000000 }",
    part = "(result rows as Lua tables (10000000 rounds, 2 cells)), above the memory limit of 4 GiB" },
}

-- oversim.check_world_size(contexts, behaviours [, features]): world{}'s first
-- check from the counts alone, for a scenario to call before its own loop
M.check_world_size = {
  { code = "assert(oversim.check_world_size(4, 40) == 6916)", ok = true },
  { code = "\noversim.check_world_size(1e8, 1e4)",
    msg = "t.lua:2: world too large: 100000000 x 10000 cells (at most 50000000)" },
  { code = "\noversim.check_world_size(1000, 1000, 'behaviour')",
    msg = "t.lua:2: this world needs about 14.9 GiB (features 1000000 cells x 1000), above " ..
          "the memory limit of 4 GiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
  { code = "\noversim.max_memory('32G'); assert(oversim.check_world_size(1000, 1000, 1000) == " ..
           "16000000000 + 39000000 + 69000 + 10000)", ok = true },
  { code = "\noversim.check_world_size(0, 1)",
    msg = "t.lua:2: bad argument #1 to 'check_world_size' (a world needs at least one context)" },
  { code = "\noversim.check_world_size(1, 1, 'dense')",
    msg = "t.lua:2: bad argument #3 to 'check_world_size' (invalid option 'dense')" },
}

-- oversim.max_memory([bytes]): get and set, in bytes or with a suffix
M.max_memory = {
  { code = "assert(oversim.max_memory() == 4 << 30)", ok = true },
  { code = "assert(oversim.max_memory('512M') == 512 << 20); " ..
           "assert(oversim.max_memory() == 512 << 20)", ok = true },
  { code = "assert(oversim.max_memory(3 << 30) == 3 << 30); " ..
           "assert(oversim.max_memory('1.5g') == 3 << 29)", ok = true },
  { code = "\noversim.max_memory(1000)",
    msg = "t.lua:2: oversim.max_memory must be at least 1 MiB (got '1000')" },
  { code = "\noversim.max_memory('lots')",
    msg = "t.lua:2: oversim.max_memory must be a number of bytes, optionally with a K, M, " ..
          "G or T suffix (got 'lots')" },
  { code = "\noversim.max_memory(-5)",
    msg = "t.lua:2: oversim.max_memory must be a number of bytes, optionally with a K, M, " ..
          "G or T suffix (got '-5')" },
  { code = "\noversim.max_memory(1e300)",
    msg = "t.lua:2: oversim.max_memory must be a number of bytes, optionally with a K, M, " ..
          "G or T suffix (got '1e+300')" },
  { code = "\noversim.max_memory({})",
    msg = "t.lua:2: bad argument #1 to 'max_memory' (number or string expected, got table)" },
}

-- the scenario whose own Lua loop grew past 1 GB in 30 s (tests/test_limits.c
-- runs it on a state with a small limit)
-- random_flaws refuses 1e8 contexts before building anything (it calls
-- oversim.check_world_size first); a scenario that builds its records without
-- asking is stopped by the Lua-side limit instead
function M.random_flaws()
  local ok, err = pcall(oversim.scenario, "random_flaws", { contexts = 1e8, behaviours = 10000 })
  assert(not ok and err:find("world too large: 100000000 x 10000 cells (at most 50000000)", 1,
                             true), tostring(err))
  local contexts = {}
  for c = 1, 1e8 do contexts[c] = oversim.context{ name = "c" .. c } end
  return contexts
end

-- a normal run, as text: every number of its last row and final policy,
-- exactly (the limit must change nothing)
function M.digest()
  local s = oversim.scenario("random_flaws", { contexts = 3, behaviours = 12 })
  local rows, policy = oversim.train{ world = s.world, overseer = s.overseers["human-looks"],
                                      rounds = 5, labels_per_round = 16, seed = 3,
                                      reward_model = { ensemble = 2 },
                                      query = "disagreement" }
  local out = {}
  local last = rows[#rows]
  local keys = {}
  for k in pairs(last) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. string.format("%.17g", tonumber(last[k]) or 0) end
  for _, p in ipairs(policy) do out[#out + 1] = string.format("%.17g", p.probability) end
  return table.concat(out, ",")
end

return M
