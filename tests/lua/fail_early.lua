-- tests/lua/fail_early.lua — a sweep (one worker, a checkpoint) whose second
-- run diverges, for tests/test_shard.c: the sweep stops at the failure, so the
-- checkpoint holds run 1 only (runs 3..6 were never trained).
local o = oversim
local s = o.scenario("hidden_bug")
local runs = {}
for i = 1, 6 do
  runs[i] = { world = s.world, overseer = s.overseers.oracle, seed = i, rounds = 5,
              policy = { lr = i == 2 and 1e12 or 2 } }
end
o.sweep{ runs = runs, workers = 1, checkpoint = oversim.args.checkpoint }
