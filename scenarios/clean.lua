-- scenarios/clean.lua — the control: the hidden_bug world with nothing hidden.
--
-- Same behaviours, values and overseers as hidden_bug.lua, but every context
-- and every fact has difficulty 0, so a human of competence 1 sees everything:
-- its labels differ from the oracle's only by its Boltzmann noise (beta = 5).
return oversim.scenario("hidden_bug", { visible = true, name = "clean" })
