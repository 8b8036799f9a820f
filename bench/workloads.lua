-- bench/workloads.lua — the benchmark workloads of issue 4, as functions.
-- Loaded by bench/run.lua and bench/one_run.lua with dofile; returns { w1_world =
-- fn(seed [, contexts, behaviours, features]), w1_spec = fn(world, seed [, run]),
-- as_w2 = fn(spec), human, episodes_world = fn(), episodes_spec = fn(world,
-- method) }.
local o = oversim
local M = {}

-- W1's world: 64 context types x 16 behaviours, 32 Gaussian features
-- phi ~ N(0, 1/32); looks linear in phi; a hidden flaw on 25% of cells with
-- effect U(-2, 0) and difficulty 0..3; prior from a flat Dirichlet. Written
-- for big worlds (65,536 contexts: a million cells, 33 million draws): math's
-- functions and the context names are locals, and the features go to world{}
-- as a table of one array per cell rather than a function it calls a million
-- times. The draws, their order and every value are those of the plain form
-- (normal() / math.sqrt(dim), looks["c" .. c] = ..., a features function), so
-- the world is the same bit for bit.
function M.w1_world(seed, n_ctx, n_beh, dim)
  n_ctx, n_beh, dim = n_ctx or 64, n_beh or 16, dim or 32
  math.randomseed(seed)
  local random, log, sqrt, cos = math.random, math.log, math.sqrt, math.cos
  local two_pi, sd = 2 * math.pi, sqrt(dim)
  local function normal()
    local u1, u2 = 1 - random(), random()
    return sqrt(-2 * log(u1)) * cos(two_pi * u2)
  end
  local a = {}
  for k = 1, dim do a[k] = normal() end
  local names, contexts, behaviours = {}, {}, {}
  for c = 1, n_ctx do
    names[c] = "c" .. c
    contexts[c] = o.context{ name = names[c] }
  end
  -- one array per cell, cell (c, b) at (c - 1) * n_beh + b; filled behaviour
  -- by behaviour, so the slots are made first (an array, not a hash)
  local phi = {}
  for i = 1, n_ctx * n_beh do phi[i] = false end
  for b = 1, n_beh do
    local looks, prior, facts = {}, {}, {}
    for c = 1, n_ctx do
      local v, l = {}, 0
      for k = 1, dim do
        local x = normal() / sd
        v[k] = x
        l = l + a[k] * x
      end
      local name = names[c]
      phi[(c - 1) * n_beh + b] = v
      looks[name] = l
      prior[name] = -log(1 - random()) -- Exp(1): a flat Dirichlet once normalised
      if random() < 0.25 then
        facts[#facts + 1] = o.fact{ name = "flaw", contexts = { name },
                                    difficulty = random(0, 3), effect = -2 * random() }
      end
    end
    behaviours[b] = o.behaviour{ name = "b" .. b, looks = looks, prior = prior, facts = facts }
  end
  return o.world{ name = "w1", contexts = contexts, behaviours = behaviours, features = phi }
end

M.human = o.overseer{ name = "human", competence = 1, beta = 5, when_unsure = "looks" }

-- One W1 run's spec: 200 rounds of 256 labels, a warm-started refit by 20 full-batch
-- gradient steps on all labels so far, then 8 REINFORCE steps (kl 0.1) of batch 1024.
function M.w1_spec(world, seed, run)
  return { world = world, overseer = M.human, seed = seed, run = run or seed,
           rounds = 200, labels_per_round = 256,
           reward_model = { fit = "gd", max_iter = 20, lr = 1, l2 = 1e-4 },
           policy = { method = "reinforce", kl = 0.1, lr = 1, steps = 8, batch = 1024 } }
end

-- W2: turn a W1 spec into W1 with 2 x 64 tanh MLPs for the policy and the reward
-- model, both fitted by Adam (lr 0.01; the reward model's l2 is the default 1).
function M.as_w2(spec)
  spec.reward_model = { model = { kind = "mlp", hidden = { 64, 64 }, activation = "tanh" },
                        fit = "adam", max_iter = 20, lr = 0.01 }
  spec.policy = { model = { kind = "mlp", hidden = { 64, 64 }, activation = "tanh" },
                  optimizer = "adam", method = "reinforce", kl = 0.1, lr = 0.01, steps = 8,
                  batch = 1024 }
  return spec
end

-- The episodic workload (issue 13): a 10 x 10 open grid inside walls, H = 30,
-- the agent top left, a goal (looks 50) in the middle (row 6, column 6), every
-- move -1; ten "shine" tiles that look good (+2 a step) but hide a flaw (-5,
-- difficulty 2),
-- so an overseer sees through them only when pointed at the flaw. 100
-- positions x 4 moves = 400 cells, one-hot.
function M.episodes_world()
  local map = { "############" }
  for r = 1, 10 do
    local row = {}
    for c = 1, 10 do
      local ch = " "
      if r == 1 and c == 1 then ch = "A"
      elseif r == 6 and c == 6 then ch = "G"
      elseif (r * 7 + c * 3) % 9 == 0 then ch = "S" end
      row[c] = ch
    end
    map[#map + 1] = "#" .. table.concat(row) .. "#"
  end
  map[#map + 1] = "############"
  return o.gridworld{ name = "grid10", horizon = 30, map = map,
                      tiles = { G = { goal = true, looks = 50 },
                                S = { name = "shine", looks = 2, effect = -5, difficulty = 2 } } }
end

-- Its run: 50 rounds of 64 pairs of 10-step segments, kl 0.1, labelled by an
-- assisted overseer (competence 0, verify_gain 2, recall 0.9, critique_cost
-- 0.1: the step-by-step judge of core/epjudge.h); method 'exact' (soft value
-- iteration) or 'reinforce' (20 steps of 32 episodes a round).
M.episodes_overseer = o.overseer{ name = "assisted", kind = "assisted", competence = 0,
                                  verify_gain = 2, critique_cost = 0.1,
                                  assistant = { recall = 0.9 } }
function M.episodes_spec(world, method, rounds)
  local spec = { world = world, overseer = M.episodes_overseer, rounds = rounds or 50,
                 pairs = 64, segment = 10, kl = 0.1, seed = 1, method = method }
  if method ~= "exact" then spec.steps, spec.batch = 20, 32 end
  return spec
end

return M
