-- bench/same_bytes_runs.lua — the runs bench/same_bytes.sh dumps bit for bit:
-- three W1 runs (seeds 1, 2, 3; 200 rounds), a short W2 run (MLPs, 5 rounds),
-- and W1-shaped runs at 4,096 contexts and at 256 behaviours x 512 features
-- (a few rounds each), plus a W1 run whose reward model is fitted by BFGS and
-- one by Adam, and the episodic workload (10 rounds, exact and REINFORCE:
-- the segment reward model's refits). Every number of every row and of the
-- final policy table is
-- printed as a C99 hex float (%a), so a change in the last bit shows, where
-- the CSVs' 10 significant digits would hide it. From the source folder:
--
--   build/oversim run bench/same_bytes_runs.lua > runs.txt
local W = dofile("bench/workloads.lua")
local o = oversim

local function dump(name, rows, policy)
  print("== " .. name)
  for _, set in ipairs({ rows, policy }) do
    for i, row in ipairs(set) do
      local keys = {}
      for k in pairs(row) do keys[#keys + 1] = k end
      table.sort(keys)
      local parts = {}
      for _, k in ipairs(keys) do
        local v = row[k]
        parts[#parts + 1] = k .. "=" .. (type(v) == "number" and string.format("%a", v)
                                         or tostring(v))
      end
      print(i .. " " .. table.concat(parts, " "))
    end
  end
end

local function run(name, world, seed, rounds, edit)
  local spec = W.w1_spec(world, seed)
  spec.rounds = rounds
  if edit then edit(spec) end
  local rows, policy = o.train(spec)
  dump(name, rows, policy)
end

local w1 = W.w1_world(1)
for seed = 1, 3 do run("w1 seed " .. seed, w1, seed, 200) end
local probe = W.as_w2(W.w1_spec(w1, 1))
probe.rounds = 1
local ok = pcall(o.train, probe) -- builds without MLP models refuse the spec
if ok then run("w2 5 rounds", w1, 1, 5, W.as_w2) else print("== w2 skipped: no MLP") end
run("w1 bfgs", w1, 4, 20, function(s) s.reward_model = { fit = "bfgs", max_iter = 50, l2 = 1 } end)
run("w1 adam", w1, 5, 20, function(s) s.reward_model = { fit = "adam", max_iter = 20, lr = 0.01 } end)
run("w1 ppo", w1, 6, 20, function(s)
  s.policy = { method = "ppo", kl = 0.1, lr = 0.5, steps = 2, batch = 512 } end)
run("w1 exact", w1, 7, 20, function(s)
  s.policy = { method = "exact", kl = 0.1, lr = 1, steps = 8 } end)
run("4096 contexts", W.w1_world(2, 4096, 16, 32), 1, 6)
run("256 behaviours x 512 features", W.w1_world(3, 64, 256, 512), 1, 4)
local ep = W.episodes_world()
for _, method in ipairs{ "exact", "reinforce" } do
  local rows = o.train_episodes(W.episodes_spec(ep, method, 10))
  dump("episodes " .. method .. " 10 rounds", rows, {})
end
