-- scenarios/random_flaws.lua — many behaviours, some with hidden flaws.
--
-- A world for overoptimisation and label efficiency: `contexts` context types
-- (difficulty 0, equal weight) with `behaviours` behaviours each; a base value
-- ~ N(0,1); on a share `flaw_rate` of (context, behaviour) cells a hidden flaw
-- (difficulty 2) that comes with polish: the cell looks `polish` better than its
-- base, and the flaw's effect is -(polish + U(0, 2)), so its true value is below
-- its base. A flat prior. A human of competence 1 sees only the surface of flawed
-- cells, so the reward model it trains is a noisy proxy that is biased towards
-- polish: pushing on it first finds genuinely better outputs, then the polished
-- flawed ones (the shape Gao et al. 2022 measure).
--
-- Options: seed (1), contexts (4), behaviours (40), flaw_rate (0.3), polish (1.5),
-- name.
-- The world is drawn from Lua's math.random reseeded with `seed`, so the same
-- options give the same world.
local o = oversim

return function(opts)
  local seed = opts.seed or 1
  local n_ctx, n_beh = opts.contexts or 4, opts.behaviours or 40
  local flaw_rate = opts.flaw_rate or 0.3
  local polish = opts.polish or 1.5
  -- refuse a world that would not fit before building its records
  o.check_world_size(n_ctx, n_beh)
  math.randomseed(seed)
  local function normal()
    local u1, u2 = 1 - math.random(), math.random()
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
  end
  local contexts, behaviours = {}, {}
  for c = 1, n_ctx do
    contexts[c] = o.context{ name = "c" .. c, weight = 1, difficulty = 0 }
  end
  for b = 1, n_beh do
    local looks, facts = {}, {}
    for c = 1, n_ctx do
      looks["c" .. c] = normal()
      if math.random() < flaw_rate then
        looks["c" .. c] = looks["c" .. c] + polish
        facts[#facts + 1] = o.fact{ name = "flaw", difficulty = 2, contexts = { "c" .. c },
                                    effect = -(polish + 2 * math.random()) }
      end
    end
    behaviours[b] = o.behaviour{ name = "b" .. b, looks = looks, prior = 1, facts = facts }
  end
  return {
    name = opts.name or "random_flaws",
    world = o.world{ name = opts.name or "random_flaws", contexts = contexts,
                     behaviours = behaviours },
    overseers = {
      oracle = o.overseer{ name = "oracle", kind = "oracle", beta = 2 },
      ["human-looks"] = o.overseer{ name = "human-looks", competence = 1, beta = 2,
                                    when_unsure = "looks" },
    },
  }
end
