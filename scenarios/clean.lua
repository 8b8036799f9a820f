-- scenarios/clean.lua — the control: the hidden_bug world with nothing hidden.
--
-- Same behaviours and values as hidden_bug.lua, but every context and every
-- fact has difficulty 0, so a human of competence 1 sees everything: its labels
-- differ from the oracle's only by its Boltzmann noise (beta = 5).
local o = oversim

local world = o.world{
  name = "clean",
  contexts = {
    o.context{ name = "easy", weight = 0.5, difficulty = 0 },
    o.context{ name = "hard", weight = 0.5, difficulty = 0 },
  },
  behaviours = {
    o.behaviour{ name = "correct", looks = { easy = 1.0, hard = 0.8 },
                 prior = { easy = 0.5, hard = 0.4 } },
    o.behaviour{ name = "sloppy", contexts = { "easy" }, looks = 0.3, prior = 0.3 },
    o.behaviour{ name = "admit", contexts = { "hard" }, looks = 0.2, prior = 0.3 },
    o.behaviour{ name = "flatter", looks = 1.2, prior = { easy = 0.2, hard = 0.1 },
                 facts = { o.fact{ name = "agrees with a mistake", difficulty = 0,
                                   effect = -1.5 } } },
    o.behaviour{ name = "bluff", contexts = { "hard" }, looks = 1.1, prior = 0.2,
                 facts = { o.fact{ name = "visible bug", difficulty = 0, effect = -2.0 } } },
  },
}

return {
  name = "clean",
  world = world,
  overseers = {
    oracle = o.overseer{ name = "oracle", kind = "oracle" },
    ["human-coin"] = o.overseer{ name = "human-coin", competence = 1, beta = 5,
                                 when_unsure = "coin" },
    ["human-looks"] = o.overseer{ name = "human-looks", competence = 1, beta = 5,
                                  when_unsure = "looks" },
  },
}
