-- bench/one_run.lua — one run of a workload, the process `./run.sh bench`
-- times against a peer (bench/peers/). From the source folder:
--
--   build-rel/oversim run bench/one_run.lua [workload=w1|w2] [seed=1] [rounds=200]
--       [contexts=64] [behaviours=16] [features=32] [labels=256]
--
-- w1 is W1 of bench/workloads.lua; w2 is W1 with 2 x 64 tanh MLPs (as in
-- bench/run.lua). Prints one line: the final round's true and perceived value.
local W = dofile("bench/workloads.lua")
local opt = oversim.options({ workload = "w1", seed = 1, rounds = 200, contexts = 64,
                              behaviours = 16, features = 32, labels = 256 })
local world = W.w1_world(opt.seed, opt.contexts, opt.behaviours, opt.features)
local spec = W.w1_spec(world, opt.seed)
spec.rounds = opt.rounds
spec.labels_per_round = opt.labels
if opt.workload == "w2" then
  W.as_w2(spec)
elseif opt.workload ~= "w1" then
  error("workload must be w1 or w2 (got '" .. tostring(opt.workload) .. "')")
end
local rows = oversim.train(spec)
local last = rows[#rows]
print(string.format("%s: %d rounds: true value %.3f, perceived value %.3f", opt.workload,
                    opt.rounds, last.true_value, last.perceived_value))
