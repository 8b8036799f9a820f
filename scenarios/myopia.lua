-- scenarios/myopia.lua — now or later: what a myopic teacher selects, as
-- episodes (oversim.mdp).
--
-- From `start`, `now` is worth `now` (5) at once; `later` is worth nothing at
-- once and `later` (4) at the episode's last step. Afterwards the episode runs
-- along a chain (e1..e4 or l1..l4) whose two actions are alike, so every
-- episode has `horizon` = 5 steps. Comparing whole episodes (segment = 5), a
-- far-sighted teacher prefers now (5 > 4); B-Pref's myopic teacher (gamma
-- 0.9: step t of a 5-step segment counts 0.9^(4 - t)) sees now as 5 x 0.9^4 =
-- 3.28 < 4 and prefers later, which is worth less.
--
-- Options (oversim.scenario("myopia", {...})): now = 5, later = 4, name.
-- Overseers: `oracle` (far-sighted, rational) and `myopic` (B-Pref's myopic
-- teacher: an oracle with gamma 0.9).
local o = oversim

return function(opts)
  local name = opts.name or "myopia"
  local now, later = opts.now or 5, opts.later or 4
  local states = { { name = "start", init = 1 } }
  local cells = { start = { now = { looks = now, next = "e1" }, later = { looks = 0, next = "l1" } } }
  for k = 1, 4 do
    states[#states + 1] = "e" .. k
    states[#states + 1] = "l" .. k
    local e_next, l_next = "e" .. math.min(k + 1, 4), "l" .. math.min(k + 1, 4)
    local last = k == 4 and later or 0
    cells["e" .. k] = { now = { next = e_next }, later = { next = e_next } }
    cells["l" .. k] = { now = { looks = last, next = l_next }, later = { looks = last, next = l_next } }
  end
  return {
    name = name,
    world = o.mdp{ name = name, horizon = 5, states = states, actions = { "now", "later" },
                   cells = cells },
    overseers = {
      oracle = o.overseer{ name = "oracle", kind = "oracle" },
      myopic = o.teacher("myopic", { name = "myopic" }),
    },
  }
end
