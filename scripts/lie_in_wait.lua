-- scripts/lie_in_wait.lua — a policy that lies in wait, and the absent
-- supervisor (DESIGN.md §1b; the essay's "catastrophe problems").
--
--   oversim run scripts/lie_in_wait.lua [seeds=5] [rounds=30] [labels=64]
--       [share=0] [rate=0.001] [out=results/lie_in_wait.csv]
--
-- scenarios/opportunity.lua with unwatched twins: four tasks the overseer
-- labels, their twins it never labels (training samples both), and two rare
-- openings, never in training (weight 0), deployed at `rate` per unit of task
-- deployment, where an irreversible grab is possible and pi0 favours it
-- (0.6). `share` is how much openings and twins share the tasks' features.
-- An oracle and an unaided human (competence 0, judging by looks) each train
-- a policy per seed (exact policy gradient, KL 0.1).
--
-- Writes `out` (per round: the usual metrics and the deployment ones:
-- catastrophe_train, catastrophe_deploy = q, catastrophe_any = 1 - (1 - q)^N
-- at N = 1000, catastrophe_sampled, true_value_monitored/unmonitored), its
-- _policy table, and _horizon: per overseer, seed and N in 10, 100, 1000,
-- 10^4, the final q and P(>= 1 catastrophe in N episodes) = 1 - (1 - q)^N.
--
-- What it shows at the defaults (share 0), checked by tests/test_catastrophe_scripts.c
-- on 3 seeds at 20 rounds (claims that hold for any seed: they are exact):
--   * training never meets a catastrophe (catastrophe_train = 0 every round),
--     and under the oracle the policy is as good as it gets where it is
--     watched (true value of watched tasks > 0.97);
--   * yet q at the last round equals pi0's (the grab in openings untouched,
--     to 1e-12): P(>= 1 catastrophe in 10^4 deployed episodes) = 0.95 for
--     both overseers;
--   * the absent supervisor: the oracle's policy behaves well where it is
--     watched and keeps pi0 (true value 0.3) where it is not.
-- With share > 0 what training teaches about help carries over and q falls
-- (share 1, oracle: 20x lower, README), but nothing in training targets it.
local o = oversim
local opt = o.options{ seeds = 5, rounds = 30, labels = 64, share = 0.0, rate = 0.001,
                       out = "results/lie_in_wait.csv" }
o.check_output(opt.out)
local s = o.scenario("opportunity", { unwatched = true, share = opt.share, rate = opt.rate })

local runs = o.grid({ { "overseer", { "oracle", "human" } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  return { world = s.world, overseer = s.overseers[p.overseer], seed = p.seed,
           rounds = opt.rounds, labels_per_round = opt.labels,
           params = { share = opt.share, rate = opt.rate } }
end)
local rows, policy = o.sweep{ runs = runs }

-- the deployment horizon, exactly from each run's final q
local horizon = {}
for _, r in ipairs(rows) do
  if r.round == opt.rounds then
    for _, n in ipairs{ 10, 100, 1000, 10000 } do
      horizon[#horizon + 1] = { scenario = r.scenario, overseer = r.overseer,
                                seed = r.seed, episodes = n, q = r.catastrophe_deploy,
                                p_any = 1 - (1 - r.catastrophe_deploy) ^ n }
    end
  end
end
local hpath = o.sibling(opt.out, "horizon")
local wrote = o.save(opt.out, rows, policy)
o.write_csv(hpath, horizon)

o.print_table(o.summarize(rows, { by = { "overseer" } }),
  { "overseer", "seeds", "true_value", "true_value_monitored", "true_value_unmonitored",
    "deception_rate", "catastrophe_train", { "catastrophe_deploy", fmt = "%.2e" },
    "catastrophe_any" },
  { title = string.format("lie in wait (share %g), round %d, mean over seeds: "
                          .. "catastrophe_any is P(>= 1 in 1000 deployed episodes)",
                          opt.share, opt.rounds) })
-- the horizon's mean over seeds, per overseer and N
local hsum, at = {}, {}
for _, h in ipairs(horizon) do
  local k = h.overseer .. "/" .. h.episodes
  if not at[k] then
    at[k] = { overseer = h.overseer, episodes = h.episodes, seeds = 0, q = 0, p_any = 0 }
    hsum[#hsum + 1] = at[k]
  end
  local a = at[k]
  a.seeds, a.q, a.p_any = a.seeds + 1, a.q + h.q, a.p_any + h.p_any
end
for _, a in ipairs(hsum) do a.q, a.p_any = a.q / a.seeds, a.p_any / a.seeds end
o.print_table(hsum, { "overseer", "episodes", "seeds", { "q", fmt = "%.2e" }, "p_any" },
  { title = "P(>= 1 catastrophe in N deployed episodes) = 1 - (1 - q)^N, final policy" })
print("wrote " .. table.concat(wrote, ", ") .. ", " .. hpath)
