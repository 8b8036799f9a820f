-- tests/lua/sweep.lua — oversim.sweep gives the same results for 1, 2 and 3
-- workers, and the same as running each spec with oversim.train, on a small
-- mixed sweep (REINFORCE draws, a recursive overseer, best-of-n). For
-- tests/test_sweep.c; the sweep's error messages are in errors.lua ('sweep').
local M = {}

local s = oversim.scenario('hidden_bug')
local rec = oversim.overseer{ kind = 'recursive', competence = 0, beta = 5,
  depth = 2, critic = { rounds = 5, labels_per_round = 32 } }
local SPECS = {}
for seed = 1, 6 do
  SPECS[#SPECS + 1] = { world = s.world, overseer = s.overseers['human-looks'], seed = seed,
    run = #SPECS + 1, rounds = 8, policy = { method = 'reinforce', kl = 1, batch = 64 },
    params = { tag = 'r' .. seed } }
  SPECS[#SPECS + 1] = { world = s.world, overseer = rec, seed = seed, run = #SPECS + 1,
    rounds = 4 }
  SPECS[#SPECS + 1] = { world = s.world, overseer = s.overseers.oracle, seed = seed,
    run = #SPECS + 1, rounds = 3, policy = { method = 'bon', n = 4 } }
end

-- Results (rows, policy, levels of each run) as one string: every value of
-- every row, keys sorted, numbers to 17 digits.
local function serial(results)
  local out = {}
  for i, r in ipairs(results) do
    for _, part in ipairs{ 'rows', 'policy' } do
      for _, row in ipairs(r[part]) do
        local keys = {}
        for k in pairs(row) do keys[#keys + 1] = k end
        table.sort(keys)
        for _, k in ipairs(keys) do out[#out + 1] = k .. '=' .. string.format('%.17g', tonumber(row[k]) or 0) .. tostring(row[k]) end
      end
    end
    out[#out + 1] = '|levels=' .. tostring(r.levels and #r.levels)
  end
  return table.concat(out, ',')
end

function M.workers_do_not_change_results()
  -- each run's own results (sweep's fourth result)
  local function runs(workers) return select(4, oversim.sweep{ runs = SPECS, workers = workers }) end
  local one = serial(runs(1))
  local two = serial(runs(2))
  local three = serial(runs(3))
  local seq = {}
  for i, spec in ipairs(SPECS) do
    local rows, policy, levels = oversim.train(spec)
    seq[i] = { rows = rows, policy = policy, levels = levels }
  end
  assert(#one > 10000)
  assert(one == two, 'one and two workers differ')
  assert(one == three, 'one and three workers differ')
  assert(one == serial(seq), 'sweep and train differ')
end

return M
