-- tests/lua/checkpoint_script.lua — a sweep long enough to be killed midway
-- (tests/test_shard.c): 24 runs on random_flaws, each some tens of
-- milliseconds, with a checkpoint when the argument `checkpoint` is given.
local o = oversim
local opt = o.options{ out = "x.csv", checkpoint = "", runs = 24, rounds = 60 }
local s = o.scenario("random_flaws", { contexts = 8, behaviours = 40 })
local runs = {}
for i = 1, opt.runs do
  runs[i] = { world = s.world, overseer = s.overseers["human-looks"], seed = i,
              rounds = opt.rounds, labels_per_round = 64 }
end
local rows, policy = o.sweep{ runs = runs, workers = 2,
                              checkpoint = opt.checkpoint ~= "" and opt.checkpoint or nil }
o.save(opt.out, rows, policy)
