-- bench/scale.lua — a sweep of many W1-sized runs, for bench/scale.sh: the
-- W1 world (64 contexts x 16 behaviours x 32 features), `runs` runs of
-- `rounds` rounds (W1's labels, refit and REINFORCE steps), `workers` threads,
-- every run's rows to `out`.
local o = oversim
local opt = o.options{ runs = 2000, rounds = 50, workers = 1, out = "results/scale.csv" }
o.check_output(opt.out)
local W = dofile(o.here("workloads.lua"))
local world = W.w1_world(1)
local runs = {}
for i = 1, opt.runs do
  local spec = W.w1_spec(world, i, i)
  spec.rounds = opt.rounds
  runs[i] = spec
end
local rows = o.sweep{ runs = runs, workers = opt.workers }
o.write_csv(opt.out, rows)
