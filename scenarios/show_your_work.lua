-- scenarios/show_your_work.lua — overjustification (Lang et al. 2024): an
-- output whose goodness the overseer cannot see, against one that shows its
-- work at a cost.
--
-- One kind of task (difficulty 1, within a competence-1 human's reach). The
-- best answer is `terse`: correct, but nothing on its surface shows it (its
-- correctness is a hidden fact of difficulty 2). `explained` spends effort
-- making its correctness visible and is worth less. `wrong` is visibly wrong.
--   behaviour  prior  looks  hidden fact (difficulty, effect)   true value
--   terse      0.4    0.3    it is correct (2, +1.0)            1.3
--   explained  0.3    1.0                                       1.0
--   wrong      0.3    0.5    it is wrong (0.5, -1.0)           -0.5
-- A human of competence 1 sees explained at 1.0 and terse at 0.3 (it
-- underestimates terse by 1.0): judging what it can't check by its surface
-- (`human-looks`), it trains the policy towards showing its work — lower
-- underestimation and lower true value than the true-value optimal policy
-- (all on terse): overjustification. Overseers: oracle, human-looks,
-- human-coin (competence 1, beta 5).
local o = oversim

local world = o.world{
  name = "show_your_work",
  contexts = { o.context{ name = "task", difficulty = 1 } },
  behaviours = {
    o.behaviour{ name = "terse", looks = 0.3, prior = 0.4,
                 facts = { o.fact{ name = "it is correct", difficulty = 2, effect = 1.0 } } },
    o.behaviour{ name = "explained", looks = 1.0, prior = 0.3 },
    o.behaviour{ name = "wrong", looks = 0.5, prior = 0.3,
                 facts = { o.fact{ name = "it is wrong", difficulty = 0.5, effect = -1.0 } } },
  },
}
return { name = "show_your_work", world = world, overseers = {
  oracle = o.overseer{ name = "oracle", kind = "oracle" },
  ["human-looks"] = o.overseer{ name = "human-looks", competence = 1, beta = 5,
                                when_unsure = "looks" },
  ["human-coin"] = o.overseer{ name = "human-coin", competence = 1, beta = 5,
                               when_unsure = "coin" },
} }
