-- tests/lua/examples.lua — the three experiments of scripts/examples/, as a new
-- user would write them, for tests/test_examples.c: each is under 40 lines,
-- and its rows can be told apart: every (run, round) once, and the settings it
-- varies are columns whose combinations are the configurations it ran, each
-- with the seeds it asked for.
local read_csv = require 'read_csv'
local M = {}

local function check(ok, what) if not ok then error(what, 2) end end

function M.short(path)
  local n = 0
  for _ in io.lines(path) do n = n + 1 end
  check(n < 40, path .. ' has ' .. n .. ' lines')
  return n
end

-- <dir>/<name>.csv: the distinct values of `by` (a list of columns) and how
-- many seeds each combination has; every combination must have `seeds`, and
-- there must be `configs` of them. Returns the number of configurations.
function M.distinct(dir, name, by, configs, seeds)
  local rows = read_csv(dir .. '/' .. name .. '.csv')
  local keys, groups, n = {}, {}, 0
  for _, r in ipairs(rows) do
    local k = r.run .. '/' .. r.round
    check(not keys[k], name .. ': run ' .. r.run .. ' round ' .. r.round .. ' twice')
    keys[k] = true
    local parts = {}
    for i, c in ipairs(by) do parts[i] = tostring(r[c]) end
    local g = table.concat(parts, ',')
    if not groups[g] then groups[g] = {}; n = n + 1 end
    groups[g][r.seed] = true
  end
  check(n == configs, name .. ': ' .. n .. ' configurations, expected ' .. configs)
  for g, s in pairs(groups) do
    local count = 0
    for _ in pairs(s) do count = count + 1 end
    check(count == seeds, name .. ': ' .. g .. ' has ' .. count .. ' seeds')
  end
  return n
end

return M
