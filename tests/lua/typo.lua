local s = oversim.scenario('hidden_bug')
local rows = oversim.train{ world = s.world, overseer = s.overseers.oracle,
  rounds = 3, polcy = { kl = 1 } }
oversim.write_csv(oversim.args.out, rows)

-- tests/lua/typo.lua — a script with a typo (polcy, in the train call of line
-- 2), for tests/test_scenarios.c's test_cli: `oversim run typo.lua out=...`
-- must print one line naming file, line and field, exit 1, and write no CSV.
-- The code comes first, this comment last, so that the line is 2 as in
-- README's example of an error.
