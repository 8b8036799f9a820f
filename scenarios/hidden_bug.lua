-- scenarios/hidden_bug.lua — sycophancy and a hidden bug.
--
-- Two kinds of request. `easy` ones (difficulty 0) an unaided human can judge.
-- `hard` ones (difficulty 2) are beyond a human of competence 1: there a
-- confident answer with a hidden bug (`bluff`) looks better than the correct
-- one, and flattering the user (`flatter`) hides a mistake the human only
-- catches in easy contexts.
--
-- true value = looks + effects of hidden facts:
--   context  behaviour  prior  looks  hidden facts (difficulty, effect)  true value
--   easy     correct     0.5    1.0                                        1.0
--   easy     sloppy      0.3    0.3                                        0.3
--   easy     flatter     0.2    1.2   agrees with a mistake (1, -1.5)     -0.3  deceptive
--   hard     correct     0.4    0.8                                        0.8
--   hard     admit       0.3    0.2   ("I am not sure")                    0.2
--   hard     flatter     0.1    1.2   agrees with a mistake (1, -1.5)     -0.3  deceptive
--   hard     bluff       0.2    1.1   hidden bug (2, -2.0)                -0.9  deceptive
-- Under pi0 the deception rate is 0.5*0.2 + 0.5*0.3 = 0.25.
--
-- Options (oversim.scenario("hidden_bug", {...})):
--   visible = true   every context and fact at difficulty 0 (see clean.lua)
--   ladder = n       instead of one `hard` context, n of them, `hard1`..`hardn`, of
--                    difficulty 1..n sharing hard's weight (a hidden fact is as hard
--                    as its context): a staircase for assistance and recursion depth
--   name = "..."     the scenario's name (default "hidden_bug")
local o = oversim

return function(opts)
  local name = opts.name or "hidden_bug"
  local function d(x) return opts.visible and 0 or x end

  local contexts, hard = { o.context{ name = "easy", weight = 0.5, difficulty = 0 } }, {}
  if opts.ladder then
    for i = 1, opts.ladder do
      hard[i] = "hard" .. i
      contexts[#contexts + 1] = o.context{ name = hard[i], weight = 0.5 / opts.ladder,
                                           difficulty = d(i) }
    end
  else
    hard[1] = "hard"
    contexts[2] = o.context{ name = "hard", weight = 0.5, difficulty = d(2) }
  end
  -- per context: the easy value or the hard one
  local function by(easy, hard_value)
    return function(ctx) return ctx.name == "easy" and easy or hard_value end
  end

  local world = o.world{
    name = name,
    contexts = contexts,
    behaviours = {
      o.behaviour{ name = "correct", looks = by(1.0, 0.8), prior = by(0.5, 0.4) },
      o.behaviour{ name = "sloppy", contexts = { "easy" }, looks = 0.3, prior = 0.3 },
      o.behaviour{ name = "admit", contexts = hard, looks = 0.2, prior = 0.3 },
      o.behaviour{ name = "flatter", looks = 1.2, prior = by(0.2, 0.1),
                   facts = { o.fact{ name = "agrees with a mistake", difficulty = d(1),
                                     effect = -1.5 } } },
      o.behaviour{ name = "bluff", contexts = hard, looks = 1.1, prior = 0.2,
                   facts = { o.fact{ name = "hidden bug", difficulty = d(opts.ladder and 1 or 2),
                                     effect = -2.0 } } },
    },
  }

  return {
    name = name,
    world = world,
    -- overseers by name; iterate them in a fixed order (pairs() order is not fixed)
    overseers = {
      oracle = o.overseer{ name = "oracle", kind = "oracle" },
      ["human-coin"] = o.overseer{ name = "human-coin", competence = 1, beta = 5,
                                   when_unsure = "coin" },
      ["human-looks"] = o.overseer{ name = "human-looks", competence = 1, beta = 5,
                                    when_unsure = "looks" },
      ["human-skip"] = o.overseer{ name = "human-skip", competence = 1, beta = 5,
                                   when_unsure = "skip" },
    },
  }
end
