-- scripts/overjustification.lua — overjustification (Lang et al. 2024): an
-- overseer that underestimates good outputs it cannot verify trains a policy
-- that shows its work at a cost in true value.
--
--   oversim run scripts/overjustification.lua [seeds=5] [rounds=40] [labels=64]
--       [kl=0.5] [out=results/overjustification.csv]
--
-- On scenarios/show_your_work.lua, under an oracle, a human who judges what it
-- can't check by its surface (human-looks) and one who flips a coin there
-- (human-coin). Each row carries Lang et al.'s flags, relative to the
-- true-value optimal policy as the same overseer sees it (reference_*
-- columns): deceptive_inflation (overestimation and perceived value higher)
-- and overjustification (underestimation and true value lower). Checked by
-- tests/test_overjustification.c at the defaults: human-looks' policy ends
-- overjustified on every seed, the oracle's on none; over training the
-- human-looks policy's underestimation and true value fall while the
-- oracle's true value rises; no overseer's policy is deceptively inflated.
local o = oversim
local opt = o.options{ seeds = 5, rounds = 40, labels = 64, kl = 0.5,
                       out = "results/overjustification.csv" }
o.check_output(opt.out)
local s = o.scenario("show_your_work")

local runs = o.grid({ { "overseer", { "oracle", "human-looks", "human-coin" } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = s.world, overseer = s.overseers[p.overseer], seed = p.seed,
           rounds = opt.rounds, labels_per_round = opt.labels, policy = { kl = opt.kl } }
end)
local rows, policy = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows, policy)

local first = o.summarize(rows, { by = { "overseer" }, at = 0 })
local last = o.summarize(rows, { by = { "overseer" } })
local function flags(col)
  return { head = col, fmt = function(r)
    local n = 0
    for _, row in ipairs(rows) do
      if row.overseer == r.overseer and row.round == opt.rounds and row[col] then n = n + 1 end
    end
    return ("%d of %d seeds"):format(n, r.seeds)
  end }
end
o.print_table(last, { "overseer", o.from_to("true_value", first),
                      o.from_to("underestimation", first),
                      { "reference_true_value", head = "optimal: true" },
                      { "reference_underestimation", head = "underest." },
                      flags "overjustification", flags "deceptive_inflation" },
  { title = ("overjustification on '%s': 3 overseers x %d seeds, %d rounds of %d labels, kl %g")
      :format(s.name, opt.seeds, opt.rounds, opt.labels, opt.kl),
    note = "(round 0 -> round " .. opt.rounds .. ", mean over seeds; flags at the last round, "
      .. "against the true-value optimal policy as the same overseer sees it)" })
print("wrote " .. table.concat(wrote, " and "))
