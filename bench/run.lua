-- bench/run.lua — oversim's benchmark (issue 4). Run from the source folder:
--
--   ./run.sh bench            (a Release build, then this script)
--   build-rel/oversim run bench/run.lua [w3_runs=200] [only=w1|w2|w3]
--
-- W1  a random world of 64 contexts x 16 behaviours with 32 Gaussian features,
--     a human overseer (beta 5, competence 1), linear policy and linear BT reward
--     model; 200 rounds of 256 labels on pairs from the current policy, a
--     warm-started refit of 20 full-batch gradient steps on all labels so far,
--     then 8 REINFORCE steps (KL coefficient 0.1) of batch 1024.
-- W2  W1 with a 2 x 64 MLP policy and reward model (when the build has MLPs).
-- W3  a sweep of 200 W1 runs with different seeds, on 1 and on 2 workers:
--     the scaling, and whether the two CSVs are byte-identical.
-- Throughput in labels per second, policy samples per second, rounds per second
-- and the wall time of a run; resident memory at rounds 1, 100 and 200 (flat
-- means no allocation growth inside rounds). W1: best of 3 runs; W2: one run.
local W = dofile("bench/workloads.lua")
local args = oversim.args
local only = args.only

local function report(name, spec, seconds)
  local labels = spec.rounds * spec.labels_per_round
  local samples = spec.rounds * spec.policy.steps * spec.policy.batch
  print(string.format("%s  %.3f s wall per run: %.0f labels/s, %.2f M policy samples/s, %.0f rounds/s",
                      name, seconds, labels / seconds, samples / seconds / 1e6,
                      spec.rounds / seconds))
end

local function one_run(name, spec, tries)
  local best = math.huge
  local rss = {}
  for k = 1, tries or 3 do
    local s = {}
    for key, v in pairs(spec) do s[key] = v end
    if k == 1 then
      s.on_round = function(row)
        if row.round == 1 or row.round == 100 or row.round == 200 then
          collectgarbage("collect") -- the callback's own row tables are not the core's
          rss[row.round] = oversim.rss_kb()
        end
      end
    end
    local t0 = oversim.clock()
    oversim.train(s)
    local t = oversim.clock() - t0
    if k > 1 or (tries or 3) == 1 then best = math.min(best, t) end
  end
  report(name, spec, best)
  if rss[1] then
    print(string.format("%s  resident memory: %.1f MB at round 1, %.1f MB at round 100, %.1f MB at round 200",
                        name, rss[1] / 1024, rss[100] / 1024, rss[200] / 1024))
  end
end

local world = W.w1_world(1)
if not only or only == "w1" then
  one_run("W1", W.w1_spec(world, 1))
end

if not only or only == "w2" then
  local spec = W.w1_spec(world, 1)
  spec.reward_model = { model = { kind = "mlp", hidden = { 64, 64 }, activation = "tanh" },
                        fit = "adam", max_iter = 20, lr = 0.01 }
  spec.policy = { model = { kind = "mlp", hidden = { 64, 64 }, activation = "tanh" },
                  optimizer = "adam", method = "reinforce", kl = 0.1, lr = 0.01, steps = 8,
                  batch = 1024 }
  local ok, err = pcall(oversim.train, { world = world, overseer = W.human, rounds = 1,
                                          reward_model = spec.reward_model, policy = spec.policy })
  if ok then
    one_run("W2", spec, 1) -- one run: it takes tens of seconds
  else
    print("W2  skipped: this build has no MLP models (" .. tostring(err) .. ")")
  end
end

if not only or only == "w3" then
  local n = args.w3_runs or 200
  local runs = {}
  for seed = 1, n do runs[seed] = W.w1_spec(world, seed, seed) end
  local function sweep(workers, path)
    local t0 = oversim.clock()
    local rows = oversim.sweep{ runs = runs, workers = workers }
    local t = oversim.clock() - t0
    oversim.write_csv(path, rows)
    return t
  end
  local dir = os.tmpname()
  os.remove(dir)
  local t1 = sweep(1, dir .. "/w3_1.csv")
  local t2 = sweep(2, dir .. "/w3_2.csv")
  local function slurp(p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end
  local same = slurp(dir .. "/w3_1.csv") == slurp(dir .. "/w3_2.csv")
  for _, f in ipairs{ "w3_1.csv", "w3_1.csv.manifest", "w3_2.csv", "w3_2.csv.manifest" } do
    os.remove(dir .. "/" .. f)
  end
  os.remove(dir)
  print(string.format("W3  %d W1 runs: %.1f s on 1 worker, %.1f s on 2 workers: %.2fx; CSVs byte-identical: %s",
                      n, t1, t2, t1 / t2, same and "yes" or "NO"))
end
