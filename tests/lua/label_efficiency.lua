-- tests/lua/label_efficiency.lua — the pattern scripts/label_efficiency.lua's
-- header claims, for tests/test_label_efficiency.c, read from its summary CSV
-- (S, by "overseer/query") and rows: at equal cost the crowd has 10x the
-- labels, the expert leads early, the crowd ends above it, the shallow crowd
-- far below both and deceptive; disagreement queries within 0.1 of uniform;
-- cost = labels x price. Columns are read strictly (read_csv.lua), so a
-- misspelled column fails instead of comparing nil == nil.
local read_csv = require 'read_csv'
local M = {}

-- Raises, naming what failed, unless every check holds for the script's
-- output <dir>/le.csv (seeds=6 rounds=20, the defaults).
function M.check(dir)
  local S = {}
  for _, r in ipairs(read_csv(dir .. '/le_summary.csv')) do
    S[r.overseer_kind .. '/' .. r.query] = r end
  local function check(ok, what) if not ok then error(what, 2) end end
  for _, q in ipairs{ 'uniform', 'disagreement' } do
    local e, c, s = S['expert/' .. q], S['crowd/' .. q], S['crowd-shallow/' .. q]
    check(e.cost_final == c.cost_final and c.cost_final == s.cost_final, 'equal cost')
    check(c.labels_final == 10 * e.labels_final, 'crowd has 10x the labels')
    check(e.true_value_quarter > c.true_value_quarter, q .. ': expert leads early')
    check(c.true_value_final > e.true_value_final, q .. ': crowd ends above expert')
    check(s.true_value_final < math.min(e.true_value_final, c.true_value_final) - 0.4,
          q .. ': shallow crowd far below')
    check(s.deception_final > 0.8 and e.deception_final < 0.3 and c.deception_final < 0.3,
          q .. ': deception')
  end
  for _, o in ipairs{ 'expert', 'crowd', 'crowd-shallow' } do
    local d = S[o .. '/disagreement'].true_value_final - S[o .. '/uniform'].true_value_final
    check(math.abs(d) < 0.1, o .. ': active within 0.1 of uniform (off by ' .. d .. ')')
  end
  local rows = read_csv(dir .. '/le.csv')
  check(#rows == 3 * 2 * 6 * 21, 'one row per run and round')
  for _, r in ipairs(rows) do
    check(r.label_cost == r.labels * r.label_price, 'cost = labels x price') end
end

return M
