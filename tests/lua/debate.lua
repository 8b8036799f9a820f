-- tests/lua/debate.lua — debate overseers from Lua, for tests/test_debate_lua.c:
-- bad input (cases for harness_cases: each code runs in a fresh state as chunk
-- "t.lua", so messages carry "t.lua:<line>"), oversim.debate's rows, debate
-- as the overseer of training runs (labels right where the judge can verify,
-- claims counted in label_cost, self-play labels counted, the same bytes for
-- any number of workers), and the claims of scripts/debate.lua's header read
-- from its CSVs by column name (strictly, read_csv.lua). A check that fails
-- raises an error saying which claim; the functions return 0 when all hold.
local read = require 'read_csv'
local M = {}

local D = "oversim.overseer{ name = 'd', kind = 'debate', "
local function debate(extra) return D .. extra .. " }" end
local NO_FACTS = "local o = oversim\nlocal w = o.world{ name = 'flat', contexts = "
  .. "{ o.context{ name = 'c' } },\n  behaviours = { o.behaviour{ name = 'a', looks = 1 }, "
  .. "o.behaviour{ name = 'b', looks = 0 } } }\nlocal d = " .. debate("")

M.errors = {
  { code = debate("reveals = -1"),
    msg = "t.lua:1: field 'reveals' of overseer 'd' must be >= 0 (got -1)" },
  { code = debate("reveals = 65"),
    msg = "t.lua:1: field 'reveals' of overseer 'd' must be <= 64 (got 65)" },
  { code = debate("reveals = 1.5"),
    msg = "t.lua:1: field 'reveals' of overseer 'd' must be an integer (got 1.5)" },
  { code = debate("debaters = 'optimall'"),
    msg = "t.lua:1: field 'debaters' of overseer 'd' must be one of 'optimal', 'trained', "
      .. "'random' (got 'optimall'; did you mean 'optimal'?)" },
  { code = debate("debaters = 'minimax'"),
    msg = "t.lua:1: field 'debaters' of overseer 'd' must be one of 'optimal', 'trained', "
      .. "'random' (got 'minimax')" },
  { code = debate("first = 'lair'"),
    msg = "t.lua:1: field 'first' of overseer 'd' must be one of 'honest', 'liar' (got "
      .. "'lair'; did you mean 'liar'?)" },
  { code = debate("self_play = { rounds = 3 }"),
    msg = "t.lua:1: field 'self_play' of overseer 'd' applies to debaters = 'trained' only "
      .. "(got 'optimal')" },
  { code = debate("debaters = 'trained', self_play = { games = 0 }"),
    msg = "t.lua:1: field 'games' of self_play of overseer 'd' must be in [1, 1000000] (got 0)" },
  { code = debate("debaters = 'trained', self_play = { lr = -1 }"),
    msg = "t.lua:1: field 'lr' of self_play of overseer 'd' must be a finite number > 0 "
      .. "(got -1)" },
  { code = debate("debaters = 'trained', self_play = { gmes = 2 }"),
    msg = "t.lua:1: unknown key 'gmes' in self_play of overseer 'd' (did you mean 'games'?)" },
  { code = debate("softness = 2"),
    msg = "t.lua:1: field 'softness' of overseer 'd' does not apply to a debate (its judge "
      .. "discovers and verifies by the hard threshold)" },
  { code = debate("equal_eps = 0.1"),
    msg = "t.lua:1: fields 'skip_eps' and 'equal_eps' of overseer 'd' do not apply to a "
      .. "debate (use skip_threshold and equal_threshold)" },
  { code = "oversim.overseer{ name = 'h', reveals = 2 }",
    msg = "t.lua:1: field 'reveals' of overseer 'h' does not apply to kind 'human'" },
  { code = "oversim.overseer{ name = 'a', kind = 'assisted', assistant = {}, debaters = 'random' }",
    msg = "t.lua:1: field 'debaters' of overseer 'a' does not apply to kind 'assisted'" },
  -- a world with nothing hidden: the error points at the call that binds them
  { code = NO_FACTS .. "\noversim.train{ world = w, overseer = d, rounds = 1 }",
    msg = "t.lua:5: overseer 'd' of kind 'debate' needs hidden facts to reveal, and world "
      .. "'flat' has none" },
  { code = NO_FACTS .. "\n\noversim.debate{ world = w, overseer = d }",
    msg = "t.lua:6: overseer 'd' of kind 'debate' needs hidden facts to reveal, and world "
      .. "'flat' has none" },
  -- optimal debaters beyond the enumeration limit: at the overseer's line
  { code = "local s = oversim.scenario('patches')\nlocal d = " .. debate("competence = 1, "
      .. "reveals = 20") .. "\noversim.debate{ world = s.world, overseer = d }",
    msg = "t.lua:2: overseer 'd': optimal debaters at 20 reveals over the 7 hidden slots of "
      .. "(context 'level2': 'sound' vs 'partial') play 6.26e+12 claim sequences, above the "
      .. "limit of 1000000: lower 'reveals'" },
  { code = "local s = oversim.scenario('patches')\nlocal d = " .. debate("competence = 1, "
      .. "reveals = 7") .. "\noversim.debate{ world = s.world, overseer = d }", ok = true },
  { code = "local s = oversim.scenario('patches')\noversim.debate{ world = s.world, "
      .. "overseer = oversim.overseer{ name = 'h' } }",
    msg = "t.lua:2: field 'overseer' of debate must be an overseer of kind 'debate' (got "
      .. "kind 'human')" },
  { code = "local s = oversim.scenario('patches')\noversim.debate{ world = s.world, overseer = "
      .. debate("") .. ", sed = 2 }",
    msg = "t.lua:2: unknown key 'sed' in debate (did you mean 'seed'?)" },
  { code = "oversim.debate{ world = 3, overseer = " .. debate("") .. " }",
    msg = "t.lua:1: field 'world' of debate must be a world made by oversim.world (got number)" },
  -- the table of a large world, refused before it is built
  { code = "local o = oversim\no.max_memory('32M')\nlocal bs = {}\nfor i = 1, 1000 do "
      .. "bs[i] = o.behaviour{ name = 'b' .. i, looks = i / 1000, facts = { o.fact{ name = "
      .. "'f', difficulty = 2, effect = -1 } } } end\nlocal w = o.world{ name = 'big', "
      .. "contexts = { o.context{ name = 'c', difficulty = 2 } }, behaviours = bs }\nlocal d = "
      .. debate("competence = 1") .. "\no.debate{ world = w, overseer = d }",
    msg = "t.lua:7: this debate needs about 77.3 MiB (debate table 1 x 1000 x 1000), above "
      .. "the memory limit of 32 MiB (set OVERSIM_MAX_MEMORY or oversim.max_memory(bytes))" },
}

local function check(ok, fmt, ...)
  if not ok then error(fmt:format(...), 2) end
end

-- A judge on patches with levels 1 (known to competence 1) and 2 (verifiable
-- with verify_gain 1), argmax, judging what it cannot check by what it sees.
local function judge(extra)
  local t = { name = "d", kind = "debate", competence = 1, when_unsure = "looks",
              critique_cost = 0.2 }
  for k, v in pairs(extra or {}) do t[k] = v end
  return oversim.overseer(t)
end

-- oversim.debate's rows and summary; training runs under debate overseers.
function M.rows(dir)
  local o = oversim
  local s = o.scenario("patches", { levels = 2 })
  local rows, sum = o.debate{ world = s.world, overseer = judge{ reveals = 1 },
                              params = { note = "x" } }
  check(#rows == 12, "%d rows, expected 6 pairs x 2 levels", #rows)
  local wsum, acc = 0, 0
  for i, r in ipairs(rows) do
    check(r.honest_true > r.liar_true, "row %d: honest %g, liar %g", i, r.honest_true, r.liar_true)
    check(r.note == "x" and r.reveals == 1 and r.debaters == "optimal" and r.first == "honest"
          and r.overseer_kind == "debate" and r.competence == 1, "row %d: columns", i)
    check(r.slots == (r.context == "level1" and 0 or 7), "row %d: %d slots", i, r.slots)
    check(r.honest_wins == 1, "row %d (%s: %s vs %s): the honest debater must win where the "
          .. "judge can verify (%g)", i, r.context, r.honest, r.liar, r.honest_wins)
    wsum, acc = wsum + r.weight, acc + r.weight * r.honest_wins
  end
  check(math.abs(wsum - 1) < 1e-12 and math.abs(acc - sum.accuracy) < 1e-12,
        "weights sum to %g, accuracy %g against %g", wsum, acc, sum.accuracy)
  check(sum.self_play_labels == 0 and #sum.self_play == 0, "no self-play for optimal debaters")
  -- the judge alone gets 4 of the 6 level-2 pairs wrong
  local _, alone = o.debate{ world = s.world, overseer = judge{ reveals = 0 } }
  check(math.abs(alone.accuracy - (0.5 * 1 + 0.5 * 2 / 6)) < 1e-12, "alone: %g", alone.accuracy)

  -- training under debate: every label right where the judge can verify
  -- (the unaided human's are not: the check is not vacuous)
  local function train(ov, seed)
    return o.train{ world = s.world, overseer = ov, rounds = 6, labels_per_round = 50,
                    seed = seed or 3, policy = { kl = 1 } }
  end
  local dr = train(judge{ reveals = 1 })
  local hr = train(o.overseer{ name = "h", competence = 1, when_unsure = "looks" })
  local claims = 0
  for t = 2, #dr do
    check(dr[t].label_accuracy == 1, "debate round %d: label accuracy %g", t - 1,
          dr[t].label_accuracy)
    claims = claims + (dr[t].assisted_found or 0)
  end
  local worst = 1
  for t = 2, #hr do worst = math.min(worst, hr[t].label_accuracy) end
  check(worst < 0.9, "the unaided human's labels were right too often (%g)", worst)
  -- a label costs 1 and 0.2 a claim: 1 or 1.2 (one claim at most), some claims
  local last = dr[#dr]
  check(last.labels == 300 and last.label_cost > 300 and last.label_cost <= 360 + 1e-9
        and math.abs((last.label_cost - 300) / 0.2 - math.floor((last.label_cost - 300) / 0.2
        + 0.5)) < 1e-6, "label cost %g for %d labels", last.label_cost, last.labels)
  check(claims > 0, "no claims found")
  -- trained debaters: their self-play labels are the run's first labels, as
  -- oversim.debate counts them with the same seed and stream
  local tj = judge{ reveals = 2, debaters = "trained", self_play = { rounds = 5, games = 2 } }
  local tr = train(tj, 4)
  local _, ts = o.debate{ world = s.world, overseer = tj, seed = 4 }
  check(ts.self_play_labels == 6 * 5 * 2 and tr[1].labels == ts.self_play_labels
        and math.abs(tr[1].label_cost - ts.self_play_cost) < 1e-9 and #ts.self_play == 5,
        "self-play: %d labels (cost %g) in the run, %d (%g) by oversim.debate", tr[1].labels,
        tr[1].label_cost, ts.self_play_labels, ts.self_play_cost)
  check(tr[1].self_play_rounds == 5 and tr[1].self_play_games == 2, "self-play columns")

  -- a sweep of debates writes the same bytes with 1 and 3 workers
  local s4 = o.scenario("patches")
  local function sweep(workers, name)
    local runs = {}
    for _, deb in ipairs{ "optimal", "trained", "random" } do
      for seed = 1, 2 do
        runs[#runs + 1] = { world = s4.world, seed = seed, rounds = 4, labels_per_round = 30,
          run = #runs + 1, -- both sweeps' runs: the same ids
          overseer = judge{ name = deb, reveals = 2, debaters = deb, beta = 5 } }
      end
    end
    local rws = o.sweep{ runs = runs, workers = workers }
    o.write_csv(dir .. "/" .. name, rws)
    local f = assert(io.open(dir .. "/" .. name, "rb"))
    local bytes = f:read("a")
    f:close()
    return bytes
  end
  check(sweep(1, "w1.csv") == sweep(3, "w3.csv"), "1 and 3 workers wrote different CSVs")
  return 0
end

-- The claims of scripts/debate.lua's header, on its CSVs at dir/debate*.csv
-- (run with kmax = 4 and 2 seeds).
function M.script(dir)
  local acc = read(dir .. "/debate_accuracy.csv")
  local rows = read(dir .. "/debate.csv")
  -- accuracy[variant][band][k], weighted over comparisons (and seeds)
  local a = {}
  for _, r in ipairs(acc) do
    for _, b in ipairs{ "all", r.band } do
      a[r.variant] = a[r.variant] or {}
      a[r.variant][b] = a[r.variant][b] or {}
      local c = a[r.variant][b][r.k] or { 0, 0 }
      c[1], c[2] = c[1] + r.weight * r.honest_wins, c[2] + r.weight
      a[r.variant][b][r.k] = c
    end
  end
  local function at(v, b, k) local c = a[v][b][k]; return c[1] / c[2] end
  local kmax = 4
  local gap1 = at("optimal", "all", 1) - at("random", "all", 1)
  for k = 1, kmax do
    local gap = at("optimal", "all", k) - at("random", "all", k)
    check(gap > 0, "k = %d: debate %g, random %g", k, at("optimal", "all", k),
          at("random", "all", k))
    check(gap <= gap1, "the gap at k = %d (%g) exceeds the gap at k = 1 (%g)", k, gap, gap1)
    check(at("optimal", "verifiable", k) == 1, "verifiable, k = %d: %g", k,
          at("optimal", "verifiable", k))
    check(at("optimal", "beyond", k) == at("optimal", "beyond", 0), "beyond, k = %d: %g, "
          .. "alone %g", k, at("optimal", "beyond", k), at("optimal", "beyond", 0))
    check(math.abs(at("trained", "all", k) - at("optimal", "all", k)) < 0.02,
          "trained %g, optimal %g at k = %d", at("trained", "all", k), at("optimal", "all", k), k)
  end
  check(at("optimal", "verifiable", 0) < 0.5, "the judge alone in the verifiable band: %g",
        at("optimal", "verifiable", 0))
  check(gap1 > 0.1, "debate's gain over random reveals at k = 1: %g", gap1)
  -- RLHF: debate at k = 1 cuts deception like an assistant of the same reach,
  -- for less label cost, and far below the unaided human's
  local function final(name, budget, col)
    local s, n, last = 0, 0, 0
    for _, r in ipairs(rows) do last = math.max(last, r.round) end
    for _, r in ipairs(rows) do
      if r.overseer == name and r.labels_per_round == budget and r.round == last then
        s, n = s + r[col], n + 1
      end
    end
    check(n == 2, "%s at %d labels a round: %d runs", name, budget, n)
    return s / n
  end
  for _, b in ipairs{ 16, 64 } do
    local d, u = final("debate optimal k=1", b, "deception_rate"), final("unaided", b, "deception_rate")
    local as = final("assisted", b, "deception_rate")
    check(d < u - 0.1, "budget %d: debate %g, unaided %g", b, d, u)
    check(math.abs(d - as) < 0.03, "budget %d: debate %g, assisted %g", b, d, as)
    check(final("debate optimal k=1", b, "label_cost") < final("assisted", b, "label_cost"),
          "budget %d: debate costs more than the assistant", b)
    check(final("random reveals k=2", b, "deception_rate") > d + 0.05,
          "budget %d: random reveals as good as debate", b)
  end
  return 0
end

return M
