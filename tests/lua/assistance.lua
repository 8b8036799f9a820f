-- tests/lua/assistance.lua — readers over scripts/assistance.lua's CSVs for
-- tests/test_assistance.c (run with seeds=2 rounds=30), which asserts the
-- pattern on the numbers they return: final-round means by overseer, and how
-- many critic levels detect beyond (or short of) their reach. Columns are read
-- strictly (read_csv.lua): a misspelled column is an error, not nil.
local read_csv = require 'read_csv'
local M = {}

local ROWS, CRITICS -- from M.open

-- Read <dir>/a.csv and <dir>/a_critics.csv.
function M.open(dir)
  ROWS = read_csv(dir .. '/a.csv')
  CRITICS = read_csv(dir .. '/a_critics.csv')
end

-- Mean of column col over overseer o's two runs at round 30.
function M.final(o, col)
  local s, n = 0, 0
  for _, r in ipairs(ROWS) do
    if r.overseer == o and r.round == 30 then s, n = s + r[col], n + 1 end end
  assert(n == 2, o)
  return s / n
end

-- The depth-k overseer detects the rungs up to competence + k (= 1 + k) and
-- not beyond: its own critic level's detect at shift 0, per task slot. The
-- count of slots where it does not (0 when the claim holds).
function M.frontier_misses(k)
  local bad = 0
  for _, c in ipairs(CRITICS) do
    if c.depth == k and c.level == k and c.shift == 0 then
      local reach = 1 + k
      if c.difficulty <= reach and c.detect < 0.8 then bad = bad + 1 end
      if c.difficulty > reach and c.detect ~= 0 then bad = bad + 1 end
    end end
  return bad
end

return M
