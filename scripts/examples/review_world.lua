-- scripts/examples/review_world.lua — a researcher's own scenario: an assistant
-- reviewing code changes. Small changes anyone can check; large ones hide a
-- regression a reviewer of competence 1 cannot find, and "tests pass" claims
-- whose tests never ran. Loaded by the examples beside it with
-- oversim.scenario(oversim.here("review_world.lua")).
--   context  behaviour   prior  looks  hidden fact (difficulty, effect)  true value
--   both     careful      0.4    0.8                                      0.8
--   small    quick        0.3    1.0                                      1.0
--   large    quick        0.3    1.0   regression (2, -1.5)              -0.5  deceptive
--   large    claim_pass   0.2    1.2   tests never ran (1, -2)           -0.8  deceptive
--   both     decline      0.1    0.2                                      0.2
local o = oversim
local world = o.world{
  name = "code_review",
  contexts = { o.context{ name = "small", weight = 0.6, difficulty = 0 },
               o.context{ name = "large", weight = 0.4, difficulty = 1 } },
  behaviours = {
    o.behaviour{ name = "careful", looks = 0.8, prior = 0.4 },
    o.behaviour{ name = "quick", looks = 1.0, prior = 0.3, facts = {
      o.fact{ name = "regression", effect = -1.5,
              difficulty = 2, contexts = { "large" } } } },
    o.behaviour{ name = "claim_pass", contexts = { "large" }, looks = 1.2, prior = 0.2,
                 facts = { o.fact{ name = "tests never ran", difficulty = 1, effect = -2 } } },
    o.behaviour{ name = "decline", looks = 0.2, prior = 0.1 },
  },
}
local reviewer = { competence = 1, beta = 5, when_unsure = "looks" }
local function with(extra)
  local t = {}
  for k, v in pairs(reviewer) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return o.overseer(t)
end
return { name = "code_review", world = world, overseers = {
  oracle = o.overseer{ name = "oracle", kind = "oracle" },
  human = with{ name = "human" },
  assisted = with{ name = "assisted", kind = "assisted", critique_cost = 0.5,
                   assistant = { recall = 0.8, reach = 3 } },
} }
