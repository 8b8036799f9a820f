-- tests/lua/weak_to_strong.lua — what scripts/weak_to_strong.lua's header
-- claims, read from its CSVs (tests/test_weak_to_strong.c), and the errors of
-- oversim.reward_quality. Each check returns the list of claims that failed.
local read = require 'read_csv'
local M = {}

function M.claims(summary_path, oracle_path)
  local bad = {}
  local function check(ok, what) if not ok then bad[#bad + 1] = what end end
  local at = {}
  for _, r in ipairs(read(summary_path)) do
    at[r.weak .. "/" .. r.salience .. "/" .. r.confidence] = r
  end
  for _, d in ipairs{ 1, 2, 4, 6 } do
    local s0, s3 = at[d .. "/0/0"], at[d .. "/3/0"]
    local c0, c3 = at[d .. "/0/0.75"], at[d .. "/3/0.75"]
    check(s0 and s3 and c0 and c3, "rows for weak " .. d)
    check(s0.pgr_accuracy < 0.2, ("salience 0, weak %d: PGR %g"):format(d, s0.pgr_accuracy))
    check(s3.pgr_accuracy > 0.4, ("salience 3, weak %d: PGR %g"):format(d, s3.pgr_accuracy))
    check(s3.pgr_accuracy > s0.pgr_accuracy, "salience helps at weak " .. d)
    -- the confidence loss: most of the gap where the concept is salient, more
    -- than without it; no rescue where it is not (at weak 6 the gap is too
    -- small for the ratio to mean anything)
    check(c3.pgr_accuracy > 0.8, ("confidence, salience 3, weak %d: PGR %g"):format(
      d, c3.pgr_accuracy))
    check(c3.pgr_accuracy > s3.pgr_accuracy, "confidence helps at salience 3, weak " .. d)
    check(c3.pgr_value > s3.pgr_value, "confidence helps the policy at salience 3, weak " .. d)
    if d < 6 then
      check(c0.pgr_accuracy < 0.2, ("confidence, salience 0, weak %d: PGR %g"):format(
        d, c0.pgr_accuracy))
    end
  end
  for _, r in ipairs(read(oracle_path)) do
    check(r.confidence == 0, "oracle rows: confidence 0")
    check(r.pgr_accuracy == 1 and r.pgr_value == 1,
          ("oracle labels: PGR %s, %s"):format(r.pgr_accuracy, r.pgr_value))
    check(r.student_accuracy == r.ceiling_accuracy, "oracle labels: the student is the ceiling")
  end
  return bad
end

-- oversim.reward_quality's and the script's errors, as cases (errors.lua's format)
local W = "local o = oversim\nlocal s = o.scenario('hidden_bug')\n"
M.errors = {
  { code = W .. "o.reward_quality{ world = s.world, rewards = {}, kl = 0 }",
    msg = "t.lua:3: field 'kl' of reward_quality must be a finite number > 0 (got 0)" },
  { code = W .. "o.reward_quality{ world = s.world, rewards = {} }",
    msg = "t.lua:3: field 'rewards' of reward_quality has no reward for behaviour 'correct' in "
       .. "context 'easy'" },
  { code = W .. "o.reward_quality{ world = s.world, rewards = { { context = 'easy', "
       .. "behaviour = 'nope', reward = 1 } } }",
    msg = "t.lua:3: entry 1 of field 'rewards' of reward_quality needs a context and a "
       .. "behaviour of the world and a numeric reward" },
  { code = W .. "o.reward_quality{ world = 1, rewards = {} }",
    msg = "t.lua:3: field 'world' of reward_quality must be a world made by oversim.world "
       .. "(got number)" },
  { code = W .. "o.reward_quality{ world = s.world, rewards = {}, kll = 1 }",
    part = "t.lua:3: unknown key 'kll' in reward_quality" },
  { code = W .. "local _, p = o.train{ world = s.world, overseer = s.overseers.oracle, rounds = 1 }\n"
       .. "local q = o.reward_quality{ world = s.world, rewards = p }\n"
       .. "assert(q.accuracy > 0.5 and q.optimum_value > 0)", ok = true },
}

return M
