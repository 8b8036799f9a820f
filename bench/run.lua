-- bench/run.lua — oversim's benchmark (issue 4). Run from the source folder:
--
--   ./run.sh bench            (a Release build, then this script)
--   build-rel/oversim run bench/run.lua [w3_runs=200] [only=w1|w2|w3|sizes|episodes]
--       [peers=false]
--       [pairs=3] [w2_pairs=1] [bin=build-rel/oversim] [python=python3]
--       [peak=build-rel/oversim_peak]
--
-- W1  a random world of 64 contexts x 16 behaviours with 32 Gaussian features,
--     a human overseer (beta 5, competence 1), linear policy and linear BT reward
--     model; 200 rounds of 256 labels on pairs from the current policy, a
--     warm-started refit of 20 full-batch gradient steps on all labels so far,
--     then 8 REINFORCE steps (KL coefficient 0.1) of batch 1024.
-- W2  W1 with a 2 x 64 MLP policy and reward model (when the build has MLPs),
--     and its GFLOPS against this core's peak (bench/peak.c, `peak=PATH`).
-- W3  a sweep of 200 W1 runs with different seeds, on 1 and on 2 workers:
--     the scaling, and whether the two CSVs are byte-identical.
-- Sizes (only=sizes): W1's scaling exponents — time of 50 rounds (world
--     built beforehand) with one of contexts, behaviours, features or labels
--     a round 4x W1's, e = log(t / t_W1) / log 4 — and the numpy peer against
--     whole processes at the issue's sizes: 800 rounds; 4,096 and 65,536
--     contexts; 256 behaviours; 512 features (one pair each; the larger sizes
--     with fewer rounds, as printed).
-- Episodes (only=episodes): a 10 x 10 gridworld, H = 30, 50 rounds of 64
--     segment pairs labelled by an assisted overseer, with the exact method
--     and with REINFORCE (best of 2 runs): time per round, labels per second, the final true
--     return, and resident memory after runs of 10, 25 and 50 rounds (the
--     comparison store grows with the labels by design: 400 doubles each).
-- Throughput in labels per second, policy samples per second, rounds per second
-- and the wall time of a run; resident memory at rounds 1, 100 and 200 (flat
-- means no allocation growth inside rounds). W1: best of 3 runs; W2: one run.
-- Peers (bench/peers/): the same work in numpy (W1) and PyTorch (W2, float32,
-- one thread), each timed as a whole process against `bin run
-- bench/one_run.lua` (oversim's start-up and world building included, as
-- Python's import and world are), in `pairs` paired runs (W2: `w2_pairs`),
-- alternating, and reported as the median of the per-pair ratios peer time /
-- oversim time (above 1: oversim is faster). A peer whose Python package is
-- missing is skipped with a note.
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
  if name == "W1" and spec.rounds == 200 then
    -- issue 15's floor: the round's 0.75 GFLOP over a matrix that stays in L2
    -- and its draws, at this machine's measured rates: about 47 ms a run
    print(string.format("W1  %.1f times the floor estimate of 47 ms a run (issue 15)", best / 0.047))
  end
  if rss[1] then
    print(string.format("%s  resident memory: %.1f MB at round 1, %.1f MB at round 100, %.1f MB at round 200",
                        name, rss[1] / 1024, rss[100] / 1024, rss[200] / 1024))
  end
  return best
end

-- W2's rate against this core's peak (issue 15, goal 3). The products of a
-- 32-64-64-1 MLP are 12,416 flops a cell forward, 2 (32·64 + 64·64 + 64), and
-- 20,480 backward, 2 (64·64 + 64·64 + 32·64) for W2ᵀd2, ∂W2 and ∂W1; W2 (seed
-- 1, 200 rounds) runs 5,941,248 cells forward (29 passes over 1,024 cells a
-- round) and 4,134,380 backward (only cells with a gradient), counted once by
-- instrumenting core/model.c's passes: 158.4 GFLOP. tanh and the other
-- element-wise work are not counted. The peaks come from bench/peak.c
-- (`peak=PATH`, built by ./run.sh bench).
local W2_GFLOP = (5941248 * 12416 + 4134380 * 20480) / 1e9
local function w2_rate(seconds)
  local peak = {}
  if args.peak then
    local f = io.popen("'" .. tostring(args.peak):gsub("'", "'\\''") .. "'")
    for line in f:lines() do
      local kind, g, isa = line:match("^peak (%S+) ([%d.]+) (%S+)$")
      if kind then peak[kind], peak.isa = tonumber(g), isa end
    end
    f:close()
  end
  local g = W2_GFLOP / seconds
  if peak.fma and peak["mul+add"] then
    print(string.format("W2  %.1f GFLOP of products in %.2f s: %.1f GFLOPS, %.0f%% of this core's "
                        .. "mul+add peak (%.1f GFLOPS, %s), %.0f%% of its FMA peak (%.1f)",
                        W2_GFLOP, seconds, g, 100 * g / peak["mul+add"], peak["mul+add"],
                        peak.isa, 100 * g / peak.fma, peak.fma))
  else
    print(string.format("W2  %.1f GFLOP of products in %.2f s: %.1f GFLOPS (no peak: %s)",
                        W2_GFLOP, seconds, g, args.peak and ("'" .. tostring(args.peak)
                        .. "' printed no rates") or "peak=PATH of bench/peak.c not given"))
  end
end

-- Peers: whole processes, timed in pairs.
local bin = args.bin or "build-rel/oversim"
local python = args.python or "python3"
local function wall(cmd)
  local t0 = oversim.clock()
  local ok = os.execute(cmd .. " >/dev/null")
  local t = oversim.clock() - t0
  if not ok then error("bench: command failed: " .. cmd) end
  return t
end
local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local n = #s
  return n % 2 == 1 and s[(n + 1) / 2] or (s[n / 2] + s[n / 2 + 1]) / 2
end
-- peer_ratios(n, ours, { cmd1, cmd2, ... }) -> median oversim time, then for each
-- peer { time = median time, ratio = median of time / oversim's time, pair by pair }
local function peer_ratios(n, ours, peers)
  local t_ours, t_peer, ratio = {}, {}, {}
  for j = 1, #peers do t_peer[j], ratio[j] = {}, {} end
  for i = 1, n do
    t_ours[i] = wall(ours)
    for j, cmd in ipairs(peers) do
      t_peer[j][i] = wall(cmd)
      ratio[j][i] = t_peer[j][i] / t_ours[i]
    end
  end
  local out = {}
  for j = 1, #peers do out[j] = { time = median(t_peer[j]), ratio = median(ratio[j]) } end
  return median(t_ours), out
end
local function has_module(m)
  return os.execute(python .. " -c 'import " .. m .. "' >/dev/null 2>&1")
end
local function peers_for(name)
  if args.peers == false then return end
  local n = args.pairs or 3
  if name == "W1" then
    if not has_module("numpy") then
      print("W1  numpy peer skipped: " .. python .. " cannot import numpy (Debian: python3-numpy)")
      return
    end
    local peer = python .. " bench/peers/w1_numpy.py"
    local t, r = peer_ratios(n, bin .. " run bench/one_run.lua workload=w1",
                             { peer, peer .. " --labels pairs" })
    print(string.format("W1  numpy / oversim, whole process, median of %d paired runs: %.2fx "
                        .. "(numpy %.2f s, oversim %.3f s)", n, r[1].ratio, r[1].time, t))
    print(string.format("W1  numpy counting labels per comparison as oversim does: %.2fx "
                        .. "(numpy %.2f s)", r[2].ratio, r[2].time))
  else
    if not has_module("torch") then
      print("W2  PyTorch peer skipped: " .. python .. " cannot import torch (Debian: python3-torch)")
      return
    end
    n = args.w2_pairs or 1
    local t, r = peer_ratios(n, bin .. " run bench/one_run.lua workload=w2",
                             { python .. " bench/peers/w2_torch.py" })
    print(string.format("W2  PyTorch / oversim (float32, 1 thread), whole process, median of "
                        .. "%d paired run%s: %.2fx (PyTorch %.1f s, oversim %.1f s)", n,
                        n == 1 and "" or "s", r[1].ratio, r[1].time, t))
  end
end

local world = W.w1_world(1)
if not only or only == "w1" then
  one_run("W1", W.w1_spec(world, 1))
  peers_for("W1")
end

if not only or only == "w2" then
  local spec = W.as_w2(W.w1_spec(world, 1))
  local ok, err = pcall(oversim.train, { world = world, overseer = W.human, rounds = 1,
                                          reward_model = spec.reward_model, policy = spec.policy })
  if ok then
    w2_rate(one_run("W2", spec, 1)) -- one run: it takes seconds
    peers_for("W2")
  else
    print("W2  skipped: this build has no MLP models (" .. tostring(err) .. ")")
  end
end

if not only or only == "sizes" then
  local function w1_time(contexts, behaviours, features, labels)
    local world = W.w1_world(1, contexts, behaviours, features)
    local spec = W.w1_spec(world, 1)
    spec.rounds, spec.labels_per_round = 50, labels
    local best = math.huge
    for _ = 1, 2 do
      local t0 = oversim.clock()
      oversim.train(spec)
      best = math.min(best, oversim.clock() - t0)
    end
    return best
  end
  local base = w1_time(64, 16, 32, 256)
  local e = {}
  for i, size in ipairs{ { 256, 16, 32, 256 }, { 64, 64, 32, 256 }, { 64, 16, 128, 256 },
                         { 64, 16, 32, 1024 } } do
    e[i] = math.log(w1_time(size[1], size[2], size[3], size[4]) / base) / math.log(4)
  end
  print(string.format("W1  scaling, time of 50 rounds ~ size^e with each size 4x alone: contexts "
                      .. "%.2f, behaviours %.2f, features %.2f, labels a round %.2f "
                      .. "(W1: %.3f s)", e[1], e[2], e[3], e[4], base))
  if args.peers ~= false and has_module("numpy") then
    for _, z in ipairs{ { rounds = 800 }, { contexts = 4096 }, { contexts = 65536, rounds = 10 },
                        { behaviours = 256, rounds = 50 }, { features = 512, rounds = 50 } } do
      local rounds, c, b, d = z.rounds or 200, z.contexts or 64, z.behaviours or 16, z.features or 32
      local ours = string.format("%s run bench/one_run.lua workload=w1 rounds=%d contexts=%d "
                                 .. "behaviours=%d features=%d", bin, rounds, c, b, d)
      local peer = string.format("%s bench/peers/w1_numpy.py --rounds %d --contexts %d "
                                 .. "--behaviours %d --features %d", python, rounds, c, b, d)
      local t, r = peer_ratios(1, ours, { peer })
      print(string.format("W1  numpy / oversim at %d rounds, %d contexts x %d behaviours x %d "
                          .. "features: %.2fx (numpy %.1f s, oversim %.1f s)", rounds, c, b, d,
                          r[1].ratio, r[1].time, t))
    end
  elseif args.peers ~= false then
    print("W1  numpy peer at other sizes skipped: " .. python .. " cannot import numpy")
  end
end

if not only or only == "episodes" then
  local g = W.episodes_world()
  for _, method in ipairs{ "exact", "reinforce" } do
    local best, rows = math.huge, nil
    for _ = 1, 2 do
      local t0 = oversim.clock()
      rows = oversim.train_episodes(W.episodes_spec(g, method))
      best = math.min(best, oversim.clock() - t0)
    end
    local last = rows[#rows]
    print(string.format("EP  grid10 (%d states, H 30), %s: %.1f ms a round, %.0f labels/s, "
                        .. "true return %.2f (pi0 %.2f), deception rate %.3f",
                        g:info().states, method, best / 50 * 1e3, last.labels / best,
                        last.true_return, rows[1].true_return, last.deception_rate))
    local rss = {}
    for i, r in ipairs{ 10, 25, 50 } do
      oversim.train_episodes(W.episodes_spec(g, method, r))
      collectgarbage("collect")
      rss[i] = oversim.rss_kb() / 1024
    end
    print(string.format("EP  %s: resident memory after 10, 25, 50 rounds: %.1f, %.1f, %.1f MB",
                        method, rss[1], rss[2], rss[3]))
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
