-- tests/lua/label_efficiency.lua — the pattern scripts/label_efficiency.lua's
-- header claims, for tests/test_label_efficiency.c, read from its tidy summary
-- CSV (a row per overseer, query and round 5, 10, 20, under the per-round
-- column names) and its rows: at equal cost the crowd has 10x the labels and
-- ends above the expert, the shallow crowd far below both and deceptive; with
-- disagreement queries the expert leads early; disagreement queries never end
-- more than 0.1 above uniform;
-- cost = labels x price. Columns are read strictly (read_csv.lua), so a
-- misspelled column fails instead of comparing nil == nil.
local read_csv = require 'read_csv'
local M = {}

-- Raises, naming what failed, unless every check holds for the script's
-- output <dir>/le.csv (seeds=6 rounds=20, the defaults).
function M.check(dir)
  local S = {}
  for _, r in ipairs(read_csv(dir .. '/le_summary.csv')) do
    S[r.overseer .. '/' .. r.query .. '/' .. r.round] = r end
  local function check(ok, what) if not ok then error(what, 2) end end
  local function at(o, q, round)
    return S[o .. '/' .. q .. '/' .. round] or error('no summary row ' .. o .. '/' .. q .. '/' .. round, 2)
  end
  for _, q in ipairs{ 'uniform', 'disagreement' } do
    local e, c, s = at('expert', q, 20), at('crowd', q, 20), at('crowd-shallow', q, 20)
    check(e.seeds == 20 and c.runs == 20, 'seeds counted')
    check(e.label_cost == c.label_cost and c.label_cost == s.label_cost, 'equal cost')
    check(c.labels == 10 * e.labels, 'crowd has 10x the labels')
    check(c.true_value > e.true_value, q .. ': crowd ends above expert')
    check(s.true_value < math.min(e.true_value, c.true_value) - 0.4, q .. ': shallow crowd far below')
    check(s.deception_rate > 0.8 and e.deception_rate < 0.3 and c.deception_rate < 0.3,
          q .. ': deception')
  end
  check(at('expert', 'disagreement', 5).true_value > at('crowd', 'disagreement', 5).true_value + 0.1,
        'disagreement: expert leads early')
  for _, o in ipairs{ 'expert', 'crowd', 'crowd-shallow' } do
    local d = at(o, 'disagreement', 20).true_value - at(o, 'uniform', 20).true_value
    check(d < 0.1, o .. ': active no more than 0.1 above uniform (above by ' .. d .. ')')
  end
  local rows = read_csv(dir .. '/le.csv')
  check(#rows == 3 * 2 * 20 * 21, 'one row per run and round')
  for _, r in ipairs(rows) do
    check(r.label_cost == r.labels * r.label_price, 'cost = labels x price') end
end

return M
