-- scripts/naive_rlhf.lua — naive RLHF: the same world trained under an oracle,
-- an unaided human who doesn't know (coin) and one who is wrong (looks).
--
--   oversim run scripts/naive_rlhf.lua [seeds=5] [seed=1] [rounds=40] [labels=64]
--       [kl=1] [scenario=hidden_bug] [out=results/naive_rlhf.csv]
--
-- Seeds seed .. seed+seeds-1 per overseer, sharing random streams across
-- overseers. Writes one row per (run, round) to `out` (README's CSV columns),
-- the final policy per (run, context, behaviour) to `out` with _policy, and a
-- manifest beside each. What the CSV shows on the hidden_bug world (checked by
-- tests/test_scenarios.c on this very run):
--   human-looks: deception_rate and overestimation rise over rounds, perceived
--                value rises, true value ends far below the oracle's;
--   human-coin:  in hard contexts the labels are coin flips, so the policy
--                there stays near pi0 (see the _policy CSV);
--   oracle:      deception_rate falls towards 0.
local o = oversim
local opt = o.options{ seeds = 5, seed = 1, rounds = 40, labels = 64, kl = 1,
                       scenario = "hidden_bug", out = "results/naive_rlhf.csv" }
o.check_output(opt.out) -- before any work; the side tables go to the same folder
local scenario = o.scenario(opt.scenario)

local runs = o.grid({ { "overseer", { "oracle", "human-coin", "human-looks" } },
                      { "seed", o.range(opt.seed, opt.seed + opt.seeds - 1) } },
  function(p)
    return { world = scenario.world, overseer = scenario.overseers[p.overseer],
             seed = p.seed, rounds = opt.rounds, labels_per_round = opt.labels,
             policy = { method = "exact", kl = opt.kl } }
  end)
local rows, policy = o.sweep{ runs = runs }
local wrote = o.save(opt.out, rows, policy)

-- round 0 -> the last round, mean over seeds, per overseer
local first = o.summarize(rows, { by = { "overseer" }, at = 0 })
local last = o.summarize(rows, { by = { "overseer" } })
o.print_table(last, { "overseer", o.from_to("deception_rate", first),
                      o.from_to("true_value", first), o.from_to("perceived_value", first),
                      o.from_to("overestimation", first) },
  { title = string.format("naive RLHF on '%s': 3 overseers x %d seeds, %d rounds of %d labels",
                          scenario.name, opt.seeds, opt.rounds, opt.labels),
    note = "(round 0 -> round " .. opt.rounds .. ", mean over seeds)" })
print("wrote " .. table.concat(wrote, " and "))
