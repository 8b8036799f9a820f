-- tests/lua/overoptimization.lua — the patterns scripts/overoptimization.lua
-- and scripts/optimisers.lua must show, for tests/test_overoptimization.c,
-- read from their CSVs by column name (strictly, read_csv.lua). Each function
-- returns the number of violations (0 when the pattern holds).
local read = require 'read_csv'
local M = {}

-- overoptimization.lua's <dir>/o.csv and o_fit.csv (seeds 1..3), as README
-- states them: for every seed and method the proxy keeps rising (its final
-- value is its largest, up to 0.01), best-of-n's KL respects log n - (n-1)/n
-- and the per-seed fit has R^2 >= 0.5; for seeds 1 and 2 the gold peaks
-- strictly inside the path, above 0, ends at least 0.1 below its peak, and
-- the fit has beta > 0; for seed 3 the gold keeps rising (its last value is
-- within 0.05 of its peak). Over 20 seeds about half the paths fall (README).
function M.shape_violations(dir)
  local rows, bad = read(dir .. '/o.csv'), 0
  local falls = { [1] = true, [2] = true, [3] = false }
  for seed = 1, 3 do for _, m in ipairs{ 'rl', 'bon' } do
    local path = {}
    for _, r in ipairs(rows) do if r.seed == seed and r.method == m then path[#path + 1] = r end end
    table.sort(path, function(a, b) return a.d < b.d end)
    local peak, maxp = 1, -math.huge
    for i, r in ipairs(path) do
      if r.gold > path[peak].gold then peak = i end
      maxp = math.max(maxp, r.proxy) end
    local last = path[#path]
    if last.proxy < maxp - 0.01 then bad = bad + 1 end
    if falls[seed] then
      if peak == 1 or peak == #path then bad = bad + 1 end
      if last.gold > path[peak].gold - 0.1 then bad = bad + 1 end
      if path[peak].gold <= 0 then bad = bad + 1 end
    elseif last.gold < path[peak].gold - 0.05 then
      bad = bad + 1
    end
    if m == 'bon' then for _, r in ipairs(path) do
      if r.kl > math.log(r.n) - (r.n - 1) / r.n + 1e-9 then bad = bad + 1 end end end
  end end
  for _, f in ipairs(read(dir .. '/o_fit.csv')) do
    if f.seed ~= 'all' and (f.r2 < 0.5 or (falls[f.seed] and f.beta <= 0)) then bad = bad + 1 end
  end
  return bad
end

-- optimisers.lua's <dir>/p.csv (run with rounds=10) and p_matched.csv: for
-- every method a larger KL coefficient (a smaller n) ends at a smaller KL, and
-- every method has a final round and a matched point.
function M.optimiser_violations(dir)
  local rows, bad = read(dir .. '/p.csv'), 0
  local final = {}
  for _, r in ipairs(rows) do if r.round == 10 then
    final[r.method] = final[r.method] or {}
    table.insert(final[r.method], r) end end
  for m, list in pairs(final) do
    table.sort(list, function(a, b) return a.strength < b.strength end)
    for i = 2, #list do
      local more = m == 'bon' and list[i].kl <= list[i-1].kl or m ~= 'bon' and list[i].kl >= list[i-1].kl
      if more then bad = bad + 1 end end end
  local seen = {}
  for _, r in ipairs(read(dir .. '/p_matched.csv')) do seen[r.method] = true end
  for _, m in ipairs{ 'exact', 'reinforce', 'ppo', 'optimum', 'dpo', 'bon' } do
    if not seen[m] or not final[m] then bad = bad + 1 end end
  return bad
end

return M
