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

-- human-coin's final-policy rows in context ctx (and behaviour beh, if
-- given): how many there are, so a test can check its filter selected the
-- rows it should (seeds x behaviours) and not none.
function M.coin_policy_rows(ctx, beh)
  local n = 0
  for _, p in ipairs(pol) do
    if p.overseer == 'human-coin' and p.context == ctx and
       (beh == nil or p.behaviour == beh) then n = n + 1 end end
  return n
end

-- pi0 in hard contexts as scenarios/hidden_bug.lua declares it (priors that
-- sum to 1), so the drift is measured against the scenario, not against the
-- CSV's own prior column (which is checked against it).
local PI0_HARD = { correct = 0.4, admit = 0.3, flatter = 0.1, bluff = 0.2 }

-- human-coin: max |pi - pi0| over its runs and behaviours in hard contexts
-- (an error when there are no such rows: an empty filter must not pass).
function M.coin_hard_drift()
  local m
  for _, p in ipairs(pol) do
    if p.overseer == 'human-coin' and p.context == 'hard' then
      local pi0 = assert(PI0_HARD[p.behaviour], 'unexpected behaviour ' .. p.behaviour)
      assert(math.abs(p.prior - pi0) < 1e-9, 'prior column of ' .. p.behaviour .. ' is ' ..
             p.prior .. ', the scenario declares ' .. pi0)
      m = math.max(m or 0, math.abs(p.probability - pi0)) end end
  assert(m, 'human-coin has no policy rows in context hard')
  return m
end

-- human-coin: the smallest P(correct | easy) over its runs (an error when
-- there are none).
function M.coin_easy_correct()
  local m
  for _, p in ipairs(pol) do
    if p.overseer == 'human-coin' and p.context == 'easy' and
       p.behaviour == 'correct' then m = math.min(m or math.huge, p.probability) end end
  assert(m, 'human-coin has no policy row for correct in context easy')
  return m
end

-- human-coin: mean label accuracy in the unsure region, over rows that have one.
function M.coin_unsure_accuracy()
  local s, n = 0, 0
  for _, r in ipairs(rows) do
    if r.overseer == 'human-coin' and type(r.label_accuracy_unsure) == 'number' then
      s, n = s + r.label_accuracy_unsure, n + 1 end end
  assert(n > 0, 'human-coin has no rows with label_accuracy_unsure')
  return s / n
end

return M
