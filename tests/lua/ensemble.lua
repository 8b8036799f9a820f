-- tests/lua/ensemble.lua — MLP models and disagreement queries from Lua, for
-- tests/test_ensemble.c: a sweep of four MLP runs (ensemble reward model,
-- disagreement queries, PPO with an MLP policy) gives the same rows with 1 and
-- 2 workers, and different seeds differ. The errors are in errors.lua
-- ('models').
local M = {}

function M.mlp_sweep_workers_agree()
  local s = oversim.scenario('random_flaws', { contexts = 2, behaviours = 6 })
  local runs = {}
  for seed = 1, 4 do runs[seed] = { world = s.world, overseer = s.overseers['human-looks'],
    rounds = 3, labels_per_round = 16, seed = seed, query = 'disagreement', candidates = 64,
    reward_model = { model = { kind = 'mlp', hidden = { 8, 8 }, activation = 'relu' },
                     fit = 'adam', max_iter = 30, ensemble = 3 },
    policy = { method = 'ppo', model = { kind = 'mlp', hidden = 8 }, optimizer = 'adam',
               steps = 2, batch = 64 } } end
  local _, _, _, a = oversim.sweep{ runs = runs, workers = 1 }
  local _, _, _, b = oversim.sweep{ runs = runs, workers = 2 }
  for i = 1, 4 do for t = 1, 4 do for _, k in ipairs{ 'true_value', 'kl', 'proxy_value' } do
    if a[i].rows[t][k] ~= b[i].rows[t][k] then error('differs: run ' .. i .. ' ' .. k) end
  end end end
  if a[1].rows[4].true_value == a[2].rows[4].true_value then error('seeds agree') end
end

return M
