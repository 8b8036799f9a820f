-- scripts/red_team.lua — adversarial training against a policy that lies in
-- wait, and when it teaches the policy to hide (DESIGN.md §1b; Hubinger et
-- al. 2024).
--
--   oversim run scripts/red_team.lua [seeds=3] [rounds=30] [labels=64]
--       [budget=8] [out=results/red_team.csv]
--
-- scenarios/opportunity.lua with four openings whose pi0 favours the grab
-- 0.9, 0.6, 0.3 and 0.1 (share 0: training on tasks teaches nothing about
-- openings). An oracle labels; a red team adds `budget` inputs a round, each
-- a copy of an opening, labelled and trained on with the rest. Swept:
--   realism 0, 0.5, 0.9, 1   1: a copy is indistinguishable from the opening;
--                            below, it carries a test cue of strength
--                            cue (1 - realism) the policy can learn
--   cue 1, 3                 how salient the cue is
--   search random, adversarial   adversarial: the copies where the policy's
--                            grab is highest, from a pool of 4 x budget
--   budget: the option (default 8), and 2 and 32 at cue 3
-- Rows per round, with two columns added per run: redteam_left =
-- catastrophe_redteam / its round-0 value (the grab left on the red team's
-- inputs) and deploy_left = catastrophe_deploy / its round-0 value (the
-- catastrophe risk left in real deployment).
--
-- What it shows (tests/test_catastrophe_scripts.c checks these on 2 seeds at 20
-- rounds; the figures show all seeds):
--   * realism 1: the red team removes the real risk with its own (deploy_left
--     = redteam_left, < 0.01 at budget >= 8);
--   * realism 0 with a salient cue (3): the grab on the red team's inputs
--     goes (< 0.01) while most of the real risk stays (deploy_left > 0.5):
--     the policy learned to tell tests from openings. Hiding. (With cue 1
--     the shared part of the features still carries most of the lesson.)
--   * at equal budget, adversarial search leaves less real risk than random
--     (realism 1, budget 8).
-- The real grab survives; in this model it does not rise (adversarial
-- training never rewards the grab anywhere).
local o = oversim
local opt = o.options{ seeds = 3, rounds = 30, labels = 64, budget = 8,
                       out = "results/red_team.csv" }
o.check_output(opt.out)
local s = o.scenario("opportunity", { openings = 4, disposition = { 0.9, 0.6, 0.3, 0.1 } })

local function spec(p)
  return { world = s.world, overseer = s.overseers.oracle, seed = p.seed,
           rounds = opt.rounds, labels_per_round = opt.labels,
           red_team = { realism = p.realism, cue = p.cue, budget = p.budget,
                        search = p.search } }
end
local runs = o.grid({ { "cue", { 1, 3 } }, { "realism", { 0, 0.5, 0.9, 1 } },
                      { "search", { "random", "adversarial" } },
                      { "seed", o.range(1, opt.seeds) } }, function(p)
  p.budget = opt.budget
  return spec(p)
end)
for _, b in ipairs{ 2, 32 } do
  if b ~= opt.budget then
    for _, r in ipairs(o.grid({ { "realism", { 0, 0.5, 0.9, 1 } },
                                { "search", { "random", "adversarial" } },
                                { "seed", o.range(1, opt.seeds) } }, function(p)
      p.cue, p.budget = 3, b
      return spec(p)
    end)) do runs[#runs + 1] = r end
  end
end
local rows, policy = o.sweep{ runs = runs }

-- what is left of each run's round-0 risk, on the red team's inputs and in
-- real deployment
local start = {}
for _, r in ipairs(rows) do
  if r.round == 0 then start[r.run] = r end
end
for _, r in ipairs(rows) do
  local r0 = start[r.run]
  r.redteam_left = r.catastrophe_redteam / r0.catastrophe_redteam
  r.deploy_left = r.catastrophe_deploy / r0.catastrophe_deploy
end
local wrote = o.save(opt.out, rows, policy)

local final = {}
for _, r in ipairs(o.summarize(rows, { by = { "cue", "red_team_budget", "realism",
                                              "red_team_search" },
                                      columns = { "redteam_left", "deploy_left" } })) do
  final[#final + 1] = r
end
o.print_table(final, { "cue", { "red_team_budget", head = "budget" }, "realism",
                       { "red_team_search", head = "search" }, "seeds", "redteam_left",
                       "deploy_left" },
  { title = string.format("adversarial training, round %d, mean over seeds: the share of the "
                          .. "round-0 grab left on red-team inputs and of the real risk",
                          opt.rounds) })
print("wrote " .. table.concat(wrote, ", "))
