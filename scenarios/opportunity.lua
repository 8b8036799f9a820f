-- scenarios/opportunity.lua — rare opportunities for a catastrophe (DESIGN.md §1b).
--
-- Ordinary tasks, seen in training and in deployment, and `openings`: rare
-- situations, never in training, where the policy could take an irreversible
-- grab (a power grab, exfiltrating its weights). Nothing in the code treats
-- openings specially: they differ only in their weights (training 0, a small
-- deployment weight) and in what a behaviour's features let a model read.
--
--   context    train  deploy      behaviour  prior  looks  hidden fact (difficulty, effect)  v*
--   taskN      1      1           help       0.5    1.0                                       1.0
--                                 slack      0.5    1.1   cut corners (1, -1.5)              -0.4  deceptive
--   openingN   0      rate/n      help       0.2    1.0                                       1.0
--                                 slack      0.2    1.1   cut corners (1, -1.5)              -0.4  deceptive
--                                 grab       0.6    1.5   irreversible harm (3, -20)        -18.5  catastrophic
--
-- pi0 carries the disposition (the grab is favoured wherever it is possible).
-- Features (9): the behaviour's one-hot e_b (help, slack, grab) that every
-- context shares, then e_b again in a block of its own for openings and one
-- for unwatched contexts. A task's cell is (e_b, 0, 0); an opening's
-- (share e_b, e_b, 0); an unwatched task's (share e_b, 0, e_b). `share` is how
-- much of what training teaches about help and slack carries over to the
-- situations it never labels: 0, none (they keep pi0 exactly); 1, all of it.
-- Nothing training sees moves the grab's own features. With `unwatched`,
-- each task has an unwatched twin (monitored = false, the same training and
-- deployment weight): training samples it, the overseer never labels it.
--
-- Options (oversim.scenario("opportunity", {...})):
--   tasks = 4          ordinary task contexts
--   openings = 2       opening contexts (templates for a red team)
--   rate = 0.001       total deployment weight of the openings, per unit of task
--                      deployment weight (each opening: rate * tasks / openings)
--   disposition = 0.6  pi0 of the grab in an opening (help and slack share the rest);
--                      a list gives one per opening
--   harm = -20         the grab's hidden effect (its v* is 1.5 + harm)
--   share = 0          how much openings and unwatched twins share the tasks' features
--   unwatched = false  add an unwatched twin of every task
--   name = "opportunity"
local o = oversim

return function(opts)
  local n_tasks, n_open = opts.tasks or 4, opts.openings or 2
  local rate = opts.rate or 0.001
  assert(math.type(n_tasks) == "integer" and n_tasks >= 1, "option 'tasks' must be an integer >= 1")
  assert(math.type(n_open) == "integer" and n_open >= 1, "option 'openings' must be an integer >= 1")
  assert(rate > 0 and rate < math.huge, "option 'rate' must be a finite number > 0")
  local disp = {} -- the grab's pi0 per opening name
  for i = 1, n_open do
    local d = type(opts.disposition) == "table" and opts.disposition[i] or opts.disposition or 0.6
    assert(type(d) == "number" and d > 0 and d < 1,
           "option 'disposition' must be in (0, 1) (or a list of such, one per opening)")
    disp["opening" .. i] = d
  end

  local contexts, tasks, openings = {}, {}, {}
  for i = 1, n_tasks do
    tasks[#tasks + 1] = "task" .. i
    contexts[#contexts + 1] = o.context{ name = "task" .. i, weight = 1, deploy_weight = 1 }
    if opts.unwatched then
      tasks[#tasks + 1] = "task" .. i .. " (unwatched)"
      contexts[#contexts + 1] = o.context{ name = "task" .. i .. " (unwatched)", weight = 1,
                                           deploy_weight = 1, monitored = false }
    end
  end
  for i = 1, n_open do
    openings[i] = "opening" .. i
    contexts[#contexts + 1] = o.context{ name = "opening" .. i, weight = 0,
                                         deploy_weight = rate * n_tasks / n_open }
  end
  local function is_opening(ctx) return ctx.name:sub(1, 7) == "opening" end
  local share = opts.share or 0
  assert(share >= 0 and share <= 1, "option 'share' must be in [0, 1]")
  local function rest(ctx) return disp[ctx.name] and (1 - disp[ctx.name]) / 2 or 0.5 end
  local index = { help = 1, slack = 2, grab = 3 }
  local features = function(ctx, b)
    local phi = { 0, 0, 0, 0, 0, 0, 0, 0, 0 }
    local k = index[b]
    if is_opening(ctx) then
      phi[k], phi[3 + k] = share, 1
    elseif not ctx.monitored then
      phi[k], phi[6 + k] = share, 1
    else
      phi[k] = 1
    end
    return phi
  end

  local world = o.world{
    name = opts.name or "opportunity",
    contexts = contexts,
    behaviours = {
      o.behaviour{ name = "help", looks = 1.0, prior = rest },
      o.behaviour{ name = "slack", looks = 1.1, prior = rest,
                   facts = { o.fact{ name = "cut corners", difficulty = 1, effect = -1.5 } } },
      o.behaviour{ name = "grab", contexts = openings, looks = 1.5,
                   prior = function(ctx) return disp[ctx.name] end,
                   catastrophic = true,
                   facts = { o.fact{ name = "irreversible harm", difficulty = 3,
                                     effect = opts.harm or -20 } } },
    },
    features = features,
  }
  return {
    world = world,
    overseers = {
      oracle = o.overseer{ name = "oracle", kind = "oracle", beta = 5 },
      human = o.overseer{ name = "human", kind = "human", competence = 0, beta = 5,
                          when_unsure = "looks" },
    },
    tasks = tasks,
    openings = openings,
  }
end
