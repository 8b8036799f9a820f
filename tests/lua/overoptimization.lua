-- tests/lua/overoptimization.lua — the patterns scripts/overoptimization.lua
-- and scripts/optimisers.lua must show, for tests/test_overoptimization.c,
-- read from their CSVs by column name (strictly, read_csv.lua). Each function
-- returns the number of violations (0 when the pattern holds).
local read = require 'read_csv'
local M = {}

-- overoptimization.lua's <dir>/<name>.csv and <name>_fit.csv, run on 10
-- seeds; claims that hold for any 10 seeds (checked on seeds 1-10 and 11-20
-- by the test, and by hand on 21-30, 31-40, 41-50): for every seed and method
-- the proxy keeps rising (its final value is its largest, up to 0.01);
-- best-of-n's KL respects log n - (n-1)/n; for each method the shared fit
-- (one beta, a per-seed alpha) has beta > 0 (the gold bends down on average),
-- explains the gold (R^2 >= 0.75) far better than one pooled curve (R^2 at
-- least 0.5 higher), and the gold ends >= 0.05 below its peak for at least 2
-- of the 10 seeds. Which seeds fall is not a claim: it depends on the labels.
function M.shape_violations(dir, name)
  name = name or 'o'
  local rows, bad = read(dir .. '/' .. name .. '.csv'), 0
  local seeds, seen = {}, {}
  for _, r in ipairs(rows) do
    if not seen[r.seed] then seen[r.seed] = true; seeds[#seeds + 1] = r.seed end
  end
  if #seeds ~= 10 then return 1000 end
  for _, m in ipairs{ 'rl', 'bon' } do
    local falls = 0
    for _, seed in ipairs(seeds) do
      local path = {}
      for _, r in ipairs(rows) do if r.seed == seed and r.method == m then path[#path + 1] = r end end
      table.sort(path, function(a, b) return a.d < b.d end)
      local peak, maxp = 1, -math.huge
      for i, r in ipairs(path) do
        if r.gold > path[peak].gold then peak = i end
        maxp = math.max(maxp, r.proxy) end
      local last = path[#path]
      if last.proxy < maxp - 0.01 then bad = bad + 1 end
      if last.gold < path[peak].gold - 0.05 then falls = falls + 1 end
      if m == 'bon' then for _, r in ipairs(path) do
        if r.kl > math.log(r.n) - (r.n - 1) / r.n + 1e-9 then bad = bad + 1 end end end
    end
    if falls < 2 then bad = bad + 1 end
  end
  local fits = {}
  for _, f in ipairs(read(dir .. '/' .. name .. '_fit.csv')) do
    if f.fit ~= 'seed' then fits[f.method .. '/' .. f.fit] = f end
  end
  for _, m in ipairs{ 'rl', 'bon' } do
    local sh, po = fits[m .. '/shared'], fits[m .. '/pooled']
    if not sh or not po then return 1000 end
    if not (sh.beta > 0) then bad = bad + 1 end
    if not (sh.beta_lo <= sh.beta and sh.beta <= sh.beta_hi) then bad = bad + 1 end
    if not (sh.r2 >= 0.75 and sh.r2 >= po.r2 + 0.5) then bad = bad + 1 end
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
