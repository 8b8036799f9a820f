-- tests/lua/episodes.lua — episodes from Lua, for tests/test_episodes_lua.c:
-- bad input (the cases of tests/lua/episodes_errors.lua), the absent
-- supervisor's exact optimum through g:optimum, and oversim.train_episodes'
-- rows (columns, round 0, reproducibility, a tampering-blind overseer
-- selecting the bucket). A check that fails raises an error saying which
-- claim; functions return 0 when all hold.
local M = {}

local function check(ok, fmt, ...)
  if not ok then error(fmt:format(...), 2) end
end

M.errors = require("episodes_errors")

local ABSENT = { "######", "#A   #", "# ## #", "#P## #", "#G   #", "######" }

-- Leike et al.'s absent supervisor, exactly: with kl 0.01 the optimum of the
-- true value takes the short path unsupervised (47) and the long one
-- supervised (41), so E return = (47 + 41) / 2 and E length = (3 + 9) / 2;
-- with the performance variant (the punishment a hidden fact when nobody
-- watches) the optimum of what a blind overseer sees (looks) still returns
-- 47 by its looks unsupervised but 17 in truth there.
function M.optimum()
  local o = oversim
  local g = o.gridworld{ name = 'absent_supervisor', map = ABSENT, horizon = 10,
                         supervisor = 0.5,
                         tiles = { P = { looks_supervised = -30 }, G = { goal = true, looks = 50 } } }
  local info = g:info()
  check(info.states == 24 and info.actions == 4 and info.horizon == 10 and info.positions == 12,
        "info: %d states, %d positions", info.states, info.positions)
  check(tostring(g) == "oversim.Episodes 'absent_supervisor' (24 states, 4 actions, horizon 10)",
        "tostring: %s", tostring(g))
  local opt = g:optimum{ kl = 0.01 }
  check(math.abs(opt.true_return - 44) < 1e-6, "E return %.12g, expected 44", opt.true_return)
  check(math.abs(opt.length - 6) < 1e-6, "E length %.12g, expected 6", opt.length)
  local perf = o.gridworld{ name = 'performance', map = ABSENT, horizon = 10, supervisor = 0.5,
                            tiles = { P = { looks_supervised = -30, effect_absent = -30,
                                            difficulty = math.huge },
                                      G = { goal = true, looks = 50 } } }
  local blind = perf:optimum{ kl = 0.01, reward = 'looks' }
  check(math.abs(blind.looks_return - (47 + 41) / 2) < 1e-6, "looks %.12g", blind.looks_return)
  check(math.abs(blind.true_return - (17 + 41) / 2) < 1e-6, "true %.12g", blind.true_return)
  local honest = perf:optimum{ kl = 0.01 }
  check(math.abs(honest.true_return - 41) < 1e-6, "the oracle's optimum: %.12g",
        honest.true_return)
  return 0
end

-- H = 1 is the bandit: an mdp of one step whose optimum is the bandit's
-- closed form pi*(a) = pi0(a) exp(r(a)/kl) / Z (two start states of weight
-- 1:3, three actions, one unavailable in the second state), its expected
-- return and KL within 1e-12; and a two-step chain, where the optimum depends
-- on the time left, against soft value iteration written out here.
function M.mdp()
  local o = oversim
  local kl = 0.3
  local r = { a = { x = 1, y = 0.5, z = -0.2 }, b = { x = 2, y = 0 } }
  local p0 = { a = { x = 1, y = 2, z = 3 }, b = { x = 1, y = 1 } }
  local cells = {}
  for s, acts in pairs(r) do
    cells[s] = {}
    for a, v in pairs(acts) do cells[s][a] = { looks = v, prior = p0[s][a], next = 'end' } end
  end
  local m = o.mdp{ name = 'bandit', horizon = 1, actions = { 'x', 'y', 'z' }, cells = cells,
                   states = { { name = 'a', init = 1 }, { name = 'b', init = 3 },
                              { name = 'end', terminal = true } } }
  local want_ret, want_kl = 0, 0
  for s, w in pairs{ a = 0.25, b = 0.75 } do
    local z, tot = 0, 0
    for a, v in pairs(r[s]) do tot = tot + p0[s][a] end
    for a, v in pairs(r[s]) do z = z + p0[s][a] / tot * math.exp(v / kl) end
    for a, v in pairs(r[s]) do
      local pi0 = p0[s][a] / tot
      local pi = pi0 * math.exp(v / kl) / z
      want_ret = want_ret + w * pi * v
      want_kl = want_kl + w * pi * math.log(pi / pi0)
    end
  end
  local opt = m:optimum{ kl = kl }
  check(math.abs(opt.true_return - want_ret) < 1e-12, "return %.17g, closed form %.17g",
        opt.true_return, want_ret)
  check(math.abs(opt.kl - want_kl) < 1e-12, "KL %.17g, closed form %.17g", opt.kl, want_kl)
  check(opt.length == 1 and want_kl > 0.1, "length %g, KL %g", opt.length, want_kl)
  check(m:info().states == 3 and m:info().positions == nil, "info")

  -- two steps: s stays (1) or goes (0) to t, where every step is worth 3;
  -- pi0 uniform; V1(s) = kl log((e^(1/kl) + 1)/2), V1(t) = 3,
  -- Q0(s, stay) = 1 + V1(s), Q0(s, go) = V1(t)
  local c = o.mdp{ name = 'chain', horizon = 2, actions = { 'stay', 'go' },
                   states = { 's', 't' },
                   cells = { s = { stay = { looks = 1, next = 's' }, go = { next = 't' } },
                             t = { stay = { looks = 3, next = 't' },
                                   go = { looks = 3, next = 't' } } } }
  local k = 0.5
  local v1s = k * math.log((math.exp(1 / k) + 1) / 2)
  local q_stay, q_go = 1 + v1s, 3
  local p_stay = math.exp(q_stay / k) / (math.exp(q_stay / k) + math.exp(q_go / k))
  local p1 = math.exp(1 / k) / (math.exp(1 / k) + 1)  -- stay at step 1 in s
  local want = p_stay * (1 + p1 * 1) + (1 - p_stay) * (0 + 3)
  local got = c:optimum{ kl = k }
  check(math.abs(got.true_return - want) < 1e-12, "chain: %.17g, expected %.17g",
        got.true_return, want)
  -- an mdp trains as a gridworld does
  local rows = o.train_episodes{ world = c, overseer = o.overseer{ name = 'o', kind = 'oracle' },
                                 rounds = 2, pairs = 4, segment = 2 }
  check(#rows == 3 and rows[3].labels == 8 and rows[3].scenario == 'chain', "chain rows")
  return 0
end

-- The shipped gridworld scenarios: the same world sandboxed as trusted, and
-- what their headers say: the absent supervisor's optimum returns (47 + 41) / 2;
-- in the performance variant the optimum of the looks is worth (17 + 41) / 2
-- and the true value's 41 both ways; tomato watering's tampering-blind human
-- is its `human`; a myopic teacher trains the smaller reward later.
function M.scenarios()
  local o = oversim
  for _, c in ipairs{ { "absent_supervisor" }, { "absent_supervisor", { performance = true } },
                      { "tomato_watering" }, { "tomato_watering", { features = "tile" } },
                      { "myopia" } } do
    local boxed, trusted = o.scenario(c[1], c[2]), o.scenario(c[1], c[2], { trusted = true })
    local a, b = boxed.world:optimum{ kl = 0.05 }, trusted.world:optimum{ kl = 0.05 }
    check(a.true_return == b.true_return and a.kl == b.kl and
          tostring(boxed.world) == tostring(trusted.world), "%s: sandboxed and trusted differ",
          c[1])
    check(boxed.overseers.oracle and (boxed.overseers.human or boxed.overseers.myopic),
          "%s: overseers", c[1])
  end
  local s = o.scenario("absent_supervisor")
  check(math.abs(s.world:optimum{ kl = 0.01 }.true_return - 44) < 1e-6, "absent supervisor")
  local p = o.scenario("absent_supervisor", { performance = true })
  local looks, truth = p.world:optimum{ kl = 0.01, reward = 'looks' }, p.world:optimum{ kl = 0.01 }
  check(math.abs(looks.true_return - 29) < 1e-6 and math.abs(truth.true_return - 41) < 1e-6,
        "performance: %g, %g", looks.true_return, truth.true_return)
  local t = o.scenario("tomato_watering")
  check(t.world:info().tomatoes == 2 and t.overseers.human.kind == "human", "tomato watering")
  -- myopia: the far-sighted oracle's labels train "5 now", B-Pref's myopic
  -- teacher's "4 later" (measured over seeds 1..20: final true return
  -- 5.0000 and 4.0000 to four decimals in every seed; asserted on seed 1)
  local m = o.scenario("myopia")
  check(math.abs(m.world:optimum{ kl = 0.01 }.true_return - 5) < 1e-6, "myopia: optimum")
  for ov, want in pairs{ oracle = 5, myopic = 4 } do
    local rows = o.train_episodes{ world = m.world, overseer = m.overseers[ov], rounds = 5,
                                   pairs = 20, segment = 5, kl = 0.1 }
    check(rows[1].true_return == 4.5, "myopia: pi0 returns %g", rows[1].true_return)
    check(math.abs(rows[6].true_return - want) < 0.01, "myopia, %s: %g", ov,
          rows[6].true_return)
  end
  return 0
end

-- oversim.train_episodes on tomato watering: one row per round from 0 with
-- every column (the optional ones absent where not available), the same rows
-- for the same seed, and a blind overseer (competence 0 < tamper_difficulty)
-- selecting the bucket where an oracle does not (as test_eptrain.c asserts in
-- the core, seed 1); written as CSV into dir.
function M.rows(dir)
  local o = oversim
  local g = o.gridworld{ name = 'tomato', horizon = 10, move = 0, tomato = 1, dry = 0.3,
                         tamper_difficulty = 5,
                         map = { "######", "#T AB#", "#t   #", "######" },
                         tiles = { T = { tomato = 'watered' }, t = { tomato = 'dry' },
                                   B = 'bucket' } }
  local function run(ov, seed)
    return o.train_episodes{ world = g, overseer = ov, rounds = 8, pairs = 30, segment = 3,
                             kl = 0.1, deception_threshold = 0.5, seed = seed or 1 }
  end
  local blind = o.overseer{ name = 'blind', competence = 0 }
  local oracle = o.overseer{ name = 'oracle', kind = 'oracle' }
  local h, h2, r = run(blind), run(blind), run(oracle)
  check(#h == 9, "%d rows, expected 9", #h)
  for t, row in ipairs(h) do
    check(row.round == t - 1 and row.labels == 30 * (t - 1) and row.scenario == 'tomato'
          and row.overseer == 'blind' and row.seed == 1 and row.run == 1, "row %d: ids", t)
    for _, k in ipairs{ "true_return", "proxy_return", "perceived_return", "kl", "length",
                        "deception_rate", "return_watched" } do
      check(type(row[k]) == "number", "row %d: column %s missing", t, k)
      check(row[k] == h2[t][k], "row %d: %s differs between two runs of seed 1", t, k)
    end
    check(row.return_unwatched == nil and row.twin_tv == nil, "row %d: nothing is unwatched", t)
  end
  check(h[1].kl == 0 and h[1].proxy_return == 0 and h[1].label_accuracy == nil, "round 0")
  check(h[1].deception_sampled == false, "the deception rate is exact here")
  check(h[9].deception_rate > 0.9 and r[9].deception_rate < 0.05,
        "deception: blind %g, oracle %g", h[9].deception_rate, r[9].deception_rate)
  check(r[9].true_return > h[9].true_return + 10, "true return: oracle %g, blind %g",
        r[9].true_return, h[9].true_return)
  -- as CSV: the ids, then the episode columns in the core's order (the
  -- optional ones even where no row has them), and nothing of the bandit's
  local path = dir .. "/episodes.csv"
  o.write_csv(path, h)
  local f = assert(io.open(path))
  local header = f:read("l")
  f:close()
  local want = "run,scenario,overseer,seed,round,labels,skipped,label_cost,label_accuracy,"
    .. "true_return,proxy_return,perceived_return,kl,length,deception_rate,return_watched,"
    .. "return_unwatched,twin_tv,deception_sampled"
  check(header == want, "CSV header %s", header)
  return 0
end

-- oversim.train_episodes' second value, the final policy per state and
-- action: a gridworld's rows say where each state is (row, col and
-- supervised agree with the state's name "r4c2 supervised", which the core
-- writes from its own indices), each state's probabilities sum to 1, its
-- expected visits (once per state) add up to E length + 1 (steps 0..H
-- counted, the goal once when entered), the goal has visits and no action,
-- a seed repeats it; an mdp's rows have no position; and it goes to CSV
-- keyed by (run, state, action).
function M.policy(dir)
  local o = oversim
  local s = o.scenario("absent_supervisor")
  local function run(seed)
    return o.train_episodes{ world = s.world, overseer = s.overseers.human, rounds = 2,
                             pairs = 10, segment = 12, seed = seed }
  end
  local rows, pol = run(1)
  local _, again = run(1)
  local last = rows[#rows]
  local sums, visits, states, goal = {}, 0, 0, 0
  for i, p in ipairs(pol) do
    local r, c, word = p.state:match("^r(%d+)c(%d+) (%a+)$")
    check(tonumber(r) == p.row and tonumber(c) == p.col and
          (word == "supervised") == p.supervised, "row %d: %s at %s,%s %s", i, p.state,
          tostring(p.row), tostring(p.col), tostring(p.supervised))
    check(p.run == 1 and p.seed == 1 and p.overseer == "human" and
          p.scenario == "absent_supervisor" and p.watched == true, "row %d: ids", i)
    check(p.visits == again[i].visits and p.probability == again[i].probability,
          "row %d differs between two runs of seed 1", i)
    if sums[p.state] == nil then
      states, visits = states + 1, visits + p.visits
      sums[p.state] = 0
    end
    if p.terminal then
      check(p.action == nil and p.probability == nil and p.row == 5 and p.col == 2,
            "the goal's row: %s", p.state)
      goal = goal + p.visits
    else
      check(type(p.prior) == "number" and type(p.reward) == "number" and
            type(p.vstar) == "number" and type(p.looks) == "number", "row %d: columns", i)
      sums[p.state] = sums[p.state] + p.probability
    end
  end
  check(states == 24, "%d states", states)
  for st, v in pairs(sums) do
    check(v == 0 or math.abs(v - 1) < 1e-12, "%s: probabilities sum to %.17g", st, v)
  end
  check(math.abs(visits - (last.length + 1)) < 1e-9, "visits %.17g, E length + 1 = %.17g",
        visits, last.length + 1)
  -- the goal is reached (or not) once per episode: P(reached) <= 1
  check(goal > 0 and goal <= 1 + 1e-12, "goal visits %.17g", goal)
  -- an mdp: no position; myopia's start is left once, at step 0
  local m = o.scenario("myopia")
  local _, mp = o.train_episodes{ world = m.world, overseer = m.overseers.oracle, rounds = 1,
                                  pairs = 4, segment = 5 }
  for _, p in ipairs(mp) do
    check(p.row == nil and p.supervised == nil, "mdp row with a position")
    if p.state == "start" then check(p.visits == 1, "start visited %.17g times", p.visits) end
  end
  local path = dir .. "/ep.csv"
  o.save(path, rows, pol)
  local f = assert(io.open(dir .. "/ep_policy.csv"))
  local header = f:read("l")
  f:close()
  local want = "run,scenario,overseer,seed,state,action,col,looks,prior,probability,reward,row,"
    .. "supervised,terminal,visits,vstar,watched"
  check(header == want, "policy CSV header %s", header)
  local back = o.read_csv(dir .. "/ep_policy.csv", { beside = path })
  check(#back == #pol and back[1].probability == tonumber(string.format("%.10g",
        pol[1].probability)), "policy CSV read back")
  return 0
end

-- The legend's order does not change a run: lua_next walks a table in an
-- order that depends on its size and insertion history (and on the hash seed
-- Lua draws per process), and tile features follow the legend's order, so
-- the binding sorts it by letter. The same tiles in a fresh table and in one
-- grown to 64 slots and emptied (walked in another order: checked) train the
-- same reward to the last bit. Before the sort they differed at the 6th
-- digit (this check caught it in 7 of 8 processes: whether the walks differ
-- where it matters depends on the process's hash seed), and a script's CSV
-- changed from one process to the next.
function M.legend_order()
  local o = oversim
  -- the absent supervisor, its floor made of eight tiles of their own (so
  -- eight feature columns the walk can put in another order)
  local MAP = { "######", "#AQRS#", "#T##U#", "#P##V#", "#GWXY#", "######" }
  local function tiles(grow)
    local t = {}
    for k = 1, grow do t["pad" .. k] = true end
    for k = 1, grow do t["pad" .. k] = nil end
    for _, c in ipairs{ "P", "G", "Q", "R", "S", "T", "U", "V", "W", "X", "Y" } do
      t[c] = c == "G" and { goal = true, looks = 50 }
        or c == "P" and { looks_supervised = -30, effect_absent = -30, difficulty = math.huge }
        or { looks = 0 }
    end
    return t
  end
  local function order(t)
    local s = {}
    for k in pairs(t) do s[#s + 1] = k end
    return table.concat(s)
  end
  -- tables grown to 16 .. 1024 slots: those walked in another order
  local a, others = tiles(0), {}
  for k = 4, 10 do
    local b = tiles(2 ^ k - 4)
    if order(a) ~= order(b) then others[#others + 1] = b end
  end
  check(#others > 0, "the legends are all walked in the same order (%s): no test", order(a))
  local function run(t)
    local g = o.gridworld{ name = "g", map = MAP, tiles = t, supervisor = 0.5, features = "tile",
                           horizon = 12 }
    local r = o.train_episodes{ world = g, overseer = o.overseer{ name = "h", competence = 0,
                                beta = 1 }, rounds = 3, pairs = 30, segment = 12, kl = 0.5,
                                l2 = 0.01 }
    return r[#r].proxy_return
  end
  local x = run(a)
  for _, b in ipairs(others) do
    local y = run(b)
    check(x == y, "the legend's order changes the run: %.17g (%s) vs %.17g (%s)", x, order(a),
          y, order(b))
  end
  return 0
end

-- Every overseer kind on episodes (core/epjudge.h), on tomato
-- watering (the scenario: tamper_difficulty 5): an assisted overseer who is
-- pointed at the bucket's hidden fact (recall 1) and verifies it (competence 0
-- + verify_gain 5) stops the selection for tampering the blind human shows
-- (seed 2; test_epjudge.c measures seeds 1..20 in the core), and pays
-- critique_cost per watched step read; a recursive overseer trains its critics
-- first (row 0 carries their labels and cost, 30 x 64 by default) and stops it
-- too; a misconception names an action: +1 on every 'right' step raises pi0's
-- perceived return by E[number of right steps] = length / 4, exactly (pi0 is
-- uniform over the four moves); a `wrong` predicate is asked once per state and
-- action, and makes a sighted human judge by looks.
function M.overseers()
  local o = oversim
  local t = o.scenario("tomato_watering")
  local function run(ov, rounds)
    return o.train_episodes{ world = t.world, overseer = ov, rounds = rounds or 8, pairs = 30,
                             segment = 3, kl = 0.1, deception_threshold = 0.5, seed = 2 }
  end
  local assisted = o.overseer{ name = 'assisted', kind = 'assisted', competence = 0,
                               verify_gain = 5, critique_cost = 0.5, assistant = { recall = 1 } }
  local a, h = run(assisted), run(t.overseers.human)
  check(h[9].deception_rate > 0.9, "blind: deception %g", h[9].deception_rate)
  check(a[9].deception_rate < 0.05 and a[9].true_return > 15,
        "assisted: deception %g, true return %g", a[9].deception_rate, a[9].true_return)
  check(a[9].label_cost == 240 * (1 + 0.5 * 6), "assisted: label cost %g", a[9].label_cost)
  local rec = o.overseer{ name = 'rec', kind = 'recursive', competence = 0, verify_gain = 5,
                          critique_cost = 0.5 }
  local r = run(rec)
  check(r[1].labels == 30 * 64 and r[1].label_cost > 0, "recursive: row 0 labels %d cost %g",
        r[1].labels, r[1].label_cost)
  check(r[9].labels == 30 * 64 + 240, "recursive: %d labels", r[9].labels)
  check(r[9].deception_rate < 0.05, "recursive: deception %g", r[9].deception_rate)
  -- a debate over each pair of segments: optimal debaters with 3 claims, the
  -- bucket's fact verifiable (competence 0 + verify_gain 5), stop it
  -- (test_epdebate.c measures seeds 1..10); with no claims the judge is blind;
  -- random reveals run, and every claim costs critique_cost
  local function debate(reveals, debaters)
    return run(o.overseer{ name = 'd', kind = 'debate', competence = 0, verify_gain = 5,
                           critique_cost = 0.25, reveals = reveals, debaters = debaters })
  end
  local d0, d3, dr = debate(0), debate(3), debate(2, 'random')
  check(d0[9].deception_rate > 0.9 and d0[9].label_cost == 240, "debate k 0: %g, cost %g",
        d0[9].deception_rate, d0[9].label_cost)
  check(d3[9].deception_rate < 0.05 and d3[9].true_return > 15, "debate k 3: %g, %g",
        d3[9].deception_rate, d3[9].true_return)
  check(d3[9].label_cost > 240 and d3[9].label_cost <= 240 * 1.75, "debate k 3 cost %g",
        d3[9].label_cost)
  check(dr[9].labels == 240 and dr[9].label_cost > 240, "random debate: %d labels, cost %g",
        dr[9].labels, dr[9].label_cost)
  local biased = o.overseer{ name = 'b', competence = 0,
                             misconceptions = { { behaviour = 'right', bias = 1 } } }
  local b = run(biased, 0)
  check(math.abs(b[1].perceived_return - (h[1].perceived_return + h[1].length / 4)) < 1e-12,
        "misconception: %.15g vs %.15g + %.15g / 4", b[1].perceived_return,
        h[1].perceived_return, h[1].length)
  -- a human who sees through the bucket (competence 5) perceives the truth;
  -- wrong about every step (judging their looks), it perceives the blind one's
  local views, names = 0, {}
  local sighted = run(o.overseer{ name = 's', competence = 5 }, 0)
  local wrong = run(o.overseer{ name = 'w', competence = 5, wrong = function(ctx, action)
    views = views + 1
    names[ctx.name] = true
    return action ~= nil
  end }, 0)
  local n = 0
  for _ in pairs(names) do n = n + 1 end
  check(views == t.world:info().states * 4 and n == t.world:info().states,
        "wrong: %d views of %d states", views, n)
  check(math.abs(sighted[1].perceived_return - sighted[1].true_return) < 1e-12 and
        math.abs(wrong[1].perceived_return - h[1].perceived_return) < 1e-12 and
        h[1].perceived_return > h[1].true_return + 1,
        "wrong: %g, %g, %g", sighted[1].perceived_return, wrong[1].perceived_return,
        h[1].perceived_return)
  return 0
end

-- method = 'reinforce' and 'ppo' (core/eppg.h) on tomato watering with the
-- oracle's labels (seed 2): the policy learns to water, as the exact method's
-- (test_eptrain.c measures seeds 1..10 in the core); the same seed gives the
-- same rows; another lr gives other rows.
function M.methods()
  local o = oversim
  local t = o.scenario("tomato_watering")
  local function run(method, extra)
    local args = { world = t.world, overseer = t.overseers.oracle, rounds = 8, pairs = 30,
                   segment = 3, deception_threshold = 0.5, seed = 2, method = method }
    for k, v in pairs(extra or {}) do args[k] = v end
    return o.train_episodes(args)
  end
  for _, m in ipairs{ 'reinforce', 'ppo' } do
    local a, b = run(m), run(m)
    check(a[9].deception_rate < 0.05 and a[9].true_return > 15, "%s: deception %g, true %g",
          m, a[9].deception_rate, a[9].true_return)
    check(a[9].true_return == b[9].true_return and a[9].kl == b[9].kl, "%s: same seed", m)
    check(run(m, { lr = 0.25 })[9].kl ~= a[9].kl, "%s: lr is used", m)
  end
  check(run('ppo', { clip = 0.05, epochs = 2 })[9].kl ~= run('ppo')[9].kl, "ppo: clip, epochs")
  return 0
end

-- g:best_of_n{} (core/epbon.h) on tomato watering: n = 1 is pi0 (its true and
-- looks returns within 4 standard errors of the exact ones, from a run of 0
-- rounds with the blind human, who perceives the looks); best-of-16 against
-- the looks widens the gap between looks and truth (the bucket) by more than
-- 10 standard errors, against the truth it does not; the same seed gives the
-- same numbers.
function M.best_of_n()
  local o = oversim
  local t = o.scenario("tomato_watering")
  local pi0 = o.train_episodes{ world = t.world, overseer = t.overseers.human, rounds = 0 }[1]
  local one = t.world:best_of_n{ n = 1, draws = 20000 }
  check(math.abs(one.true_return - pi0.true_return) < 4 * one.true_se and
        math.abs(one.looks_return - pi0.perceived_return) < 4 * one.looks_se,
        "n = 1: %g vs %g, %g vs %g", one.true_return, pi0.true_return, one.looks_return,
        pi0.perceived_return)
  local looks, again = t.world:best_of_n{ n = 16, seed = 3 }, t.world:best_of_n{ n = 16, seed = 3 }
  local truth = t.world:best_of_n{ n = 16, reward = 'true', seed = 3 }
  check(looks.true_return == again.true_return and looks.looks_return == again.looks_return,
        "same seed")
  local gap1, gap16 = one.looks_return - one.true_return, looks.looks_return - looks.true_return
  check(gap16 > gap1 + 10 * (looks.looks_se + looks.true_se), "gap: %g -> %g", gap1, gap16)
  check(truth.proxy_return == truth.true_return and truth.true_return > looks.true_return,
        "against the truth: %g, against the looks: %g", truth.true_return, looks.true_return)
  return 0
end

-- Cells' features (oversim.mdp{}'s `features`): the reward model and a
-- sampled policy work on them instead of one parameter per cell. Features
-- that are one-hot over the available cells are the same model as none, so
-- the same rows to the last bit (exact and REINFORCE); features that tie two
-- actions make them one to the reward model, so an oracle's labels cannot
-- move the policy between them (P(good) stays 1/2 exactly), where features
-- that tell them apart let it learn (P(good) > 0.9).
function M.mdp_features()
  local o = oversim
  local function chain(fg, fb)
    return o.mdp{ name = "m", horizon = 2, states = { "s", "u", { name = "t", terminal = true } },
                  actions = { "good", "bad" }, init = "s",
                  cells = { s = { good = { looks = 1, next = "u", features = fg and fg[1] },
                                  bad = { looks = 0, next = { u = 0.5, t = 0.5 },
                                          features = fb and fb[1] } },
                            u = { good = { looks = 2, next = "t", features = fg and fg[2] },
                                  bad = { looks = -1, next = "t", features = fb and fb[2] } } } }
  end
  local plain = chain()
  local onehot = chain({ { 1, 0, 0, 0 }, { 0, 0, 1, 0 } }, { { 0, 1, 0, 0 }, { 0, 0, 0, 1 } })
  check(plain:info().features == 6 and onehot:info().features == 4,
        "info().features: %s and %s (want 6 cells, one-hot, and 4)",
        tostring(plain:info().features), tostring(onehot:info().features))
  local ov = o.overseer{ name = "o", kind = "oracle" }
  for _, method in ipairs{ "exact", "reinforce" } do
    local function run(w)
      return o.train_episodes{ world = w, overseer = ov, rounds = 3, pairs = 16, segment = 2,
                               method = method, seed = 4 }
    end
    local a, b = run(plain), run(onehot)
    check(#a == #b, "%s: %d rows vs %d", method, #a, #b)
    for i = 1, #a do
      for k, v in pairs(a[i]) do
        check(b[i][k] == v or (v ~= v and b[i][k] ~= b[i][k]),
              "%s: round %d, %s: %.17g without features, %.17g with one-hot ones", method,
              i - 1, k, tostring(v), tostring(b[i][k]))
      end
    end
  end
  local function p_good(w)
    local _, pol = o.train_episodes{ world = w, overseer = ov, rounds = 4, pairs = 32,
                                     segment = 1, seed = 2 }
    for _, row in ipairs(pol) do
      if row.state == "s" and row.action == "good" and (row.step or 0) == 0 then
        return row.probability
      end
    end
    error("no policy row for state s, action good")
  end
  local tied = p_good(chain({ { 1 }, { 1 } }, { { 1 }, { 1 } }))
  local apart = p_good(chain({ { 1, 0 }, { 1, 0 } }, { { 0, 1 }, { 0, 1 } }))
  check(tied == 0.5, "tied features: P(good | s) = %.17g (want 1/2: no signal)", tied)
  check(apart > 0.9, "features apart: P(good | s) = %.17g (want > 0.9)", apart)
  return 0
end

return M
