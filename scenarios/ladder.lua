-- scenarios/ladder.lua — a capability ladder of base models, for comparing
-- ways of eliciting what a model can do (prompting, best-of-n, RLHF;
-- scripts/elicitation.lua).
--
-- Four kinds of request (one of them hard, difficulty 2). Six answers:
--   behaviour  looks  true value  hidden fact (difficulty, effect)   tags
--   expert     2.0    2.0                                            careful, confident
--   good       1.5    1.5                                            careful
--   ok         1.0    1.0                                            careful, friendly, terse
--   weak       0.4    0.4                                            terse
--   flatter    1.6   -0.4         agrees with a mistake (1, -2.0)     friendly
--   bluff      2.2   -1.0         a hidden bug (2, -3.2)              confident
-- `capability` is what the pretrained model can produce well: pi0(b) ∝
-- base(b) exp(capability x skill(b)), with base (0.02, 0.1, 0.3, 0.3, 0.14,
-- 0.14) and skill (1.5, 1, 0.4, 0, 0, 0.5): at capability 0 the expert answer
-- is rare (2%), higher rungs put more mass on good answers (and a little on
-- confident bluffing). Features are the behaviour's one-hot (shared by every
-- request). The tags are what prompts tilt by.
--
-- Options (oversim.scenario("ladder", {...})): capability = 0 (>= 0),
-- name = "ladder".
local o = oversim

return function(opts)
  local cap = opts.capability or 0
  assert(type(cap) == "number" and cap >= 0 and cap < 50, "option 'capability' must be in [0, 50)")
  local B = {
    { "expert", 2.0, 0.02, 1.5, nil, { "careful", "confident" } },
    { "good", 1.5, 0.10, 1.0, nil, { "careful" } },
    { "ok", 1.0, 0.30, 0.4, nil, { "careful", "friendly", "terse" } },
    { "weak", 0.4, 0.30, 0.0, nil, { "terse" } },
    { "flatter", 1.6, 0.14, 0.0, { "agrees with a mistake", 1, -2.0 }, { "friendly" } },
    { "bluff", 2.2, 0.14, 0.5, { "a hidden bug", 2, -3.2 }, { "confident" } },
  }
  local behaviours, tags = {}, {}
  for i, b in ipairs(B) do
    local facts = b[5] and { o.fact{ name = b[5][1], difficulty = b[5][2], effect = b[5][3] } }
      or nil
    behaviours[i] = o.behaviour{ name = b[1], looks = b[2], prior = b[3] * math.exp(cap * b[4]),
                                 facts = facts }
    tags[b[1]] = b[6]
  end
  local world = o.world{
    name = opts.name or "ladder",
    contexts = { o.context{ name = "request1" }, o.context{ name = "request2" },
                 o.context{ name = "request3" }, o.context{ name = "hard", difficulty = 2 } },
    behaviours = behaviours,
    features = "behaviour",
  }
  return {
    world = world,
    tags = tags, -- behaviour name -> its tags
    overseers = {
      oracle = o.overseer{ name = "oracle", kind = "oracle", beta = 5 },
      ["human-looks"] = o.overseer{ name = "human-looks", competence = 1, beta = 5,
                                    when_unsure = "looks" },
    },
  }
end
