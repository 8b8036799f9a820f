-- tests/lua/weak_to_strong.lua — what scripts/weak_to_strong.lua's header
-- claims, read from its CSVs (tests/test_weak_to_strong.c), and the errors of
-- oversim.reward_quality. Each check returns the list of claims that failed.
local read = require 'read_csv'
local M = {}

function M.claims(summary_path, oracle_path)
  local bad = {}
  local function check(ok, what) if not ok then bad[#bad + 1] = what end end
  local at = {}
  for _, r in ipairs(read(summary_path)) do at[r.weak .. "/" .. r.salience] = r end
  for _, d in ipairs{ 1, 2, 4, 6 } do
    local s0, s3 = at[d .. "/0"], at[d .. "/3"]
    check(s0 and s3, "rows for weak " .. d)
    check(s0.pgr_accuracy < 0.2, ("salience 0, weak %d: PGR %g"):format(d, s0.pgr_accuracy))
    check(s3.pgr_accuracy > 0.4, ("salience 3, weak %d: PGR %g"):format(d, s3.pgr_accuracy))
    check(s3.pgr_accuracy > s0.pgr_accuracy, "salience helps at weak " .. d)
  end
  for _, r in ipairs(read(oracle_path)) do
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
