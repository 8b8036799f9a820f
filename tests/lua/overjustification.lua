-- tests/lua/overjustification.lua — what scripts/overjustification.lua's
-- header claims, read from its CSV (the defaults: 5 seeds, 40 rounds) for
-- tests/test_overjustification.c: at the last round human-looks' policy is
-- overjustified on every seed and the oracle's and human-coin's on none; no
-- policy is deceptively inflated; over training human-looks' underestimation
-- and true value fall while the oracle's true value rises; at round 0 no flag
-- holds. Returns the number of violations.
local read = require 'read_csv'
local M = {}

function M.violations(path)
  local rows, bad = read(path), 0
  local function check(ok) if not ok then bad = bad + 1 end end
  local at = {}
  for _, r in ipairs(rows) do
    at[r.overseer] = at[r.overseer] or {}
    at[r.overseer][r.round] = at[r.overseer][r.round] or {}
    table.insert(at[r.overseer][r.round], r)
  end
  local function mean(o, t, col)
    local s = 0
    for _, r in ipairs(at[o][t]) do s = s + r[col] end
    return s / #at[o][t]
  end
  local function count(o, t, col)
    local n = 0
    for _, r in ipairs(at[o][t]) do if r[col] then n = n + 1 end end
    return n
  end
  local T = 40
  check(#at['human-looks'][T] == 5)
  check(count('human-looks', T, 'overjustification') == 5)
  check(count('oracle', T, 'overjustification') == 0)
  check(count('human-coin', T, 'overjustification') == 0)
  for _, o in ipairs{ 'oracle', 'human-looks', 'human-coin' } do
    check(count(o, T, 'deceptive_inflation') == 0)
    check(count(o, 0, 'overjustification') == 0 and count(o, 0, 'deceptive_inflation') == 0)
  end
  check(mean('human-looks', T, 'underestimation') < mean('human-looks', 0, 'underestimation') - 0.3)
  check(mean('human-looks', T, 'true_value') < mean('human-looks', T, 'reference_true_value') - 0.2)
  check(mean('oracle', T, 'true_value') > mean('oracle', 0, 'true_value') + 0.5)
  -- the reference, the true-value optimal policy (all on terse): 1.3, and the
  -- human underestimates it by 1.0
  check(math.abs(mean('human-looks', T, 'reference_true_value') - 1.3) < 1e-12)
  check(math.abs(mean('human-looks', T, 'reference_underestimation') - 1.0) < 1e-12)
  return bad
end

return M
