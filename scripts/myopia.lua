-- scripts/myopia.lua — a myopic teacher trains a different policy (B-Pref's
-- myopic teacher, Lee et al. 2021; DESIGN.md §1c).
--
--   oversim run scripts/myopia.lua [seeds=5] [rounds=5] [pairs=20] [kl=0.1]
--       [gamma=0.9] [out=results/myopia.csv]
--
-- scenarios/myopia.lua: from the start, `now` is worth 5 at once, `later`
-- 4 at the episode's last step (H 5). Two rational teachers compare whole
-- episodes (segments of 5 steps): a far-sighted oracle (5 > 4: now) and
-- B-Pref's myopic teacher, which weighs step t of a segment by
-- gamma^(L-1-t) (gamma 0.9: now looks 5 x 0.9^4 = 3.28 < 4: later). Reward
-- model: one feature per state and action; exact soft-VI policies.
--
-- Writes `out` (per round: oversim.train_episodes' columns), its _policy
-- table (the final policy per state and action, occupancy-weighted) and
-- _choice: per run, p_now = the final policy's P(now) at the start, and the
-- final true return.
--
-- What it shows (checked by tests/test_episode_scripts.c on seeds 1-3;
-- measured on seeds 1-20 at the defaults): the far-sighted teacher's policy
-- takes now (P(now) = 1.000, true return 5.000) and the myopic teacher's
-- takes later (P(now) = 0.000, true return 4.000) in 20/20 seeds: the same
-- world, labels from a teacher who discounts, a worse policy. gamma is the
-- myopic teacher's discount, in (0, 1]; at 1 it is far-sighted too.
local o = oversim
local opt = o.options{ seeds = 5, rounds = 5, pairs = 20, kl = 0.1, gamma = 0.9,
                       out = "results/myopia.csv" }
local function positive(name)
  if opt[name] < 1 then
    error(string.format("option '%s' must be >= 1 (got %d)", name, opt[name]), 2)
  end
end
positive("seeds"); positive("rounds"); positive("pairs")
if opt.seeds > 1000 then
  error(string.format("option 'seeds' must be <= 1000 (got %d)", opt.seeds))
end
if not (opt.kl > 0) then error(string.format("option 'kl' must be > 0 (got %g)", opt.kl)) end
if not (opt.gamma > 0 and opt.gamma <= 1) then
  error(string.format("option 'gamma' must be in (0, 1] (got %g)", opt.gamma))
end
o.check_output(opt.out)
local s = o.scenario("myopia")
-- the scenario's two teachers, but for the myopic one's discount (an option)
local teachers = { farsighted = o.teacher("oracle", { name = "farsighted" }),
                   myopic = o.teacher("myopic", { name = "myopic", myopia = opt.gamma }) }

local rows, policy, choice = {}, {}, {}
local runs = o.grid({ { "overseer", { "farsighted", "myopic" } },
                      { "seed", o.range(1, opt.seeds) } })
-- a run's id, and so its streams, from its overseer and seed alone: seed s
-- of an overseer is the same run whatever `seeds` is (farsighted: 1..1000, myopic:
-- 1001..2000)
local OVERSEER_INDEX = { farsighted = 0, myopic = 1 }
local function run_id(p) return OVERSEER_INDEX[p.overseer] * 1000 + p.seed end
for _, p in ipairs(runs) do
  local r, pol = o.train_episodes{ world = s.world, overseer = teachers[p.overseer],
                                   seed = p.seed, run = run_id(p), rounds = opt.rounds,
                                   pairs = opt.pairs, segment = 5, kl = opt.kl }
  local p_now
  for _, x in ipairs(pol) do
    policy[#policy + 1] = x
    if x.state == "start" and x.action == "now" then p_now = x.probability end
  end
  for _, x in ipairs(r) do rows[#rows + 1] = x end
  choice[#choice + 1] = { run = run_id(p), scenario = r[1].scenario, overseer = p.overseer,
                          seed = p.seed, p_now = p_now, true_return = r[#r].true_return }
end
local wrote = o.save(opt.out, rows, policy, nil, { choice = choice })
-- summarize groups per-round rows: these are the last round's (written
-- without the column, which would bring every episode column with it)
for _, x in ipairs(choice) do x.round = opt.rounds end

o.print_table(o.summarize(choice, { by = { "overseer" }, columns = { "p_now", "true_return" } }),
  { "overseer", "seeds", "p_now", "true_return", { "true_return_lo", head = "ci_lo" },
    { "true_return_hi", head = "ci_hi" } },
  { title = string.format("myopia (gamma %g), round %d, mean over seeds: P(now) at the start "
                          .. "and the true return (now 5, later 4)", opt.gamma, opt.rounds) })
print("wrote " .. table.concat(wrote, ", "))
