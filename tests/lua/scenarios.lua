-- tests/lua/scenarios.lua — readers over scripts/naive_rlhf.lua's CSVs for
-- tests/test_scenarios.c, which asserts the story on the numbers they return:
-- means per overseer and round, and the human-coin overseer's policy and
-- labels in hard and easy contexts. Columns are read strictly (read_csv.lua):
-- a misspelled column is an error, not nil.
local read_csv = require 'read_csv'
local M = {}

local rows, pol -- the run's rows and policy, from M.open

-- Read <dir>/<base>.csv and <dir>/<base>_policy.csv.
function M.open(dir, base)
  rows = read_csv(dir .. '/' .. base .. '.csv')
  pol = read_csv(dir .. '/' .. base .. '_policy.csv')
end

-- Mean of column col over the rows of overseer o at round t.
function M.mean(o, t, col)
  local s, n = 0, 0
  for _, r in ipairs(rows) do
    if r.overseer == o and r.round == t then s, n = s + r[col], n + 1 end
  end
  assert(n > 0, o .. ' has no round ' .. t)
  return s / n
end

-- human-coin: max |pi - pi0| over its runs and behaviours in hard contexts.
function M.coin_hard_drift()
  local m = 0
  for _, p in ipairs(pol) do
    if p.overseer == 'human-coin' and p.context == 'hard' then
      m = math.max(m, math.abs(p.probability - p.prior)) end end
  return m
end

-- human-coin: the smallest P(correct | easy) over its runs.
function M.coin_easy_correct()
  local m = 1
  for _, p in ipairs(pol) do
    if p.overseer == 'human-coin' and p.context == 'easy' and
       p.behaviour == 'correct' then m = math.min(m, p.probability) end end
  return m
end

-- human-coin: mean label accuracy in the unsure region, over rows that have one.
function M.coin_unsure_accuracy()
  local s, n = 0, 0
  for _, r in ipairs(rows) do
    if r.overseer == 'human-coin' and type(r.label_accuracy_unsure) == 'number' then
      s, n = s + r.label_accuracy_unsure, n + 1 end end
  return s / n
end

return M
