-- tests/lua/lib.lua — the experiment layer: declared options, grids,
-- statistics, summaries, the table printer, save; and the rows a run makes
-- (automatic run ids, configuration columns, keys write_csv refuses to
-- repeat, sweep's shape, objects' fields). Run by tests/test_lib.c: each
-- entry of the returned table is one cmocka test; DIR is a fresh folder.
local o = oversim
local T = {}

-- expect(f) raises; its message must equal msg exactly
local function raises(msg, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error: " .. msg)
  if err ~= msg then error(string.format("error was\n  %s\nexpected\n  %s", err, msg), 2) end
end

local function eq(a, b, what)
  if a ~= b then error(string.format("%s: got %s, expected %s", what, tostring(a), tostring(b)), 2) end
end

local function close(a, b, tol, what)
  if not (math.abs(a - b) <= tol) then
    error(string.format("%s: got %.15g, expected %.15g", what, a, b), 2)
  end
end

-- a one-context world where the overseer can judge everything
local function tiny()
  return o.world{ name = "tiny",
    contexts = { o.context{ name = "c" } },
    behaviours = { o.behaviour{ name = "good", looks = 1 },
                   o.behaviour{ name = "bad", looks = 0.5,
                                facts = { o.fact{ name = "f", difficulty = 1, effect = -1 } } } } }
end

---------------------------------------------------------------------------
function T.options()
  local opt = o.options({ seeds = 5, kl = 1.0, name = "x", flag = false },
                        { seeds = 3, kl = 2, flag = true, name = 12 })
  eq(opt.seeds, 3, "seeds"); eq(math.type(opt.seeds), "integer", "seeds type")
  eq(opt.kl, 2, "kl"); eq(opt.flag, true, "flag"); eq(opt.name, "12", "name as string")
  local d = o.options({ seeds = 5, help = { 1, "documented" } }, {})
  eq(d.seeds, 5, "default"); eq(d.help, 1, "default of a documented option")
  raises("tests/lua/lib.lua:44: unknown option 'seedz' (did you mean 'seeds'?); this script takes: "
         .. "kl=1.0 seeds=5", function() local _ = o.options({ seeds = 5, kl = 1.0 }, { seedz = 3 }) end)
  raises("tests/lua/lib.lua:46: option 'seeds' must be an integer (got '2.5')",
         function() local _ = o.options({ seeds = 5 }, { seeds = 2.5 }) end)
  raises("tests/lua/lib.lua:48: option 'kl' must be a number (got 'abc')",
         function() local _ = o.options({ kl = 1.0 }, { kl = "abc" }) end)
  raises("tests/lua/lib.lua:50: option 'flag' must be true or false (got '1')",
         function() local _ = o.options({ flag = false }, { flag = 1 }) end)
  raises("tests/lua/lib.lua:52: option 'seed' was not declared in oversim.options (did you mean 'seeds'?)",
         function() local _ = d.seed end)
  -- the command line's arguments by default
  eq(o.options{ seeds = 5 }.seeds, 5, "no args")
end

function T.grid()
  local pts = o.grid{ b = { 1, 2 }, a = { "x", "y", "z" } } -- alphabetical: a slowest
  eq(#pts, 6, "points")
  eq(pts[1].a .. pts[1].b .. pts[2].a .. pts[2].b .. pts[6].a .. pts[6].b, "x1x2z2", "order")
  local w = tiny()
  local ov = o.overseer{ name = "h", competence = 1 }
  local specs = o.grid({ { "seed", { 1, 2 } }, { "who", { ov } }, { "kl_coef", { 0.5, 1 } },
                         { "overseer", ov } },
    function(p) return { world = w, overseer = p.who, seed = p.seed, params = { note = "n" } } end)
  eq(#specs, 4, "specs")
  eq(specs[2].params.kl_coef, 1, "scalar axis becomes a column")
  eq(specs[2].params.who, "h", "an object axis adds its name")
  eq(specs[2].params.note, "n", "the spec's own params are kept")
  eq(specs[2].params.seed, nil, "seed is recorded by train, not repeated")
  eq(specs[2].params.overseer, nil, "overseer is recorded by train, not repeated")
  eq(specs[3].seed, 2, "first axis slowest")
  raises("tests/lua/lib.lua:73: oversim.grid: axis 'a' has no values", function() local _ = o.grid{ a = {} } end)
end

function T.stats()
  local xs = { 2, 4, 4, 4, 5, 5, 7, 9 }
  eq(o.mean(xs), 5, "mean")
  close(o.sd(xs), math.sqrt(32 / 7), 1e-15, "sample sd")
  close(o.se(xs), math.sqrt(32 / 7) / math.sqrt(8), 1e-15, "se")
  eq(o.sd{ 3 }, 0, "sd of one value")
  local lo, hi = o.ci(xs)
  assert(lo < 5 and 5 < hi, "the interval holds the mean")
  assert(lo >= 3 and hi <= 7, "and is narrower than the data: " .. lo .. " " .. hi)
  local lo2, hi2 = o.ci(xs)
  eq(lo2, lo, "same interval every time"); eq(hi2, hi, "same interval every time")
  local a, b = o.ci({ 1, 1, 1 }); eq(a, 1, "constant lo"); eq(b, 1, "constant hi")
  -- the bootstrap must not touch the script's math.random stream
  math.randomseed(7); local r1 = math.random(); math.randomseed(7); o.ci(xs)
  eq(math.random(), r1, "math.random untouched")
  raises("tests/lua/lib.lua:92: oversim.mean: expected a non-empty list of numbers",
         function() local _ = o.mean{} end)
  raises("tests/lua/lib.lua:94: oversim.sd: entry 2 is x, not a number",
         function() local _ = o.sd{ 1, "x" } end)
end

function T.summarize()
  local rows = {}
  -- two configurations (a = 1, 2) x seeds 1..3, rounds 0..2; value = a * 10 + seed + round
  local run = 0
  for _, a in ipairs{ 1, 2 } do
    for seed = 1, 3 do
      run = run + 1
      for round = 0, 2 do
        rows[#rows + 1] = { run = run, seed = seed, round = round, overseer = "h", a = a,
                            true_value = a * 10 + seed + round, labels = 4 * round }
      end
    end
  end
  -- a third configuration with two runs per seed (other streams): 4 runs, 2 seeds
  for k, seed in ipairs{ 1, 1, 2, 2 } do
    run = run + 1
    for round = 0, 2 do
      rows[#rows + 1] = { run = run, seed = seed, round = round, overseer = "h", a = 3,
                          true_value = k, labels = 4 * round }
    end
  end
  local s, cols = o.summarize(rows, { columns = { "true_value", "labels" } })
  eq(#s, 3, "a group per configuration")
  eq(s[3].seeds, 2, "distinct seeds, not runs"); eq(s[3].runs, 4, "runs")
  eq(s[3].true_value, 2.5, "mean over the group's runs")
  eq(s[1].a, 1, "groups in order"); eq(s[2].a, 2, "groups in order")
  eq(s[1].seeds, 3, "seeds counted"); eq(s[1].runs, 3, "runs counted"); eq(s[1].round, 2, "final")
  eq(s[1].true_value, 10 + 2 + 2, "mean of the final round")
  eq(s[2].true_value_sd, 1, "sd over seeds")
  eq(s[1].labels, 8, "a count stays an integer"); eq(math.type(s[1].labels), "integer", "int")
  eq(table.concat(cols, ","), "overseer,a,round,runs,seeds,true_value,true_value_sd,"
     .. "true_value_se,true_value_lo,true_value_hi,labels,labels_sd,labels_se,labels_lo,labels_hi",
     "columns")
  local at = o.summarize(rows, { by = { "a" }, at = { 0, 1 }, columns = { "true_value" } })
  eq(#at, 6, "a row per group and round")
  eq(at[2].round, 1, "round"); eq(at[2].true_value, 10 + 2 + 1, "mean at round 1")
  eq(at[2].overseer, nil, "only the by columns")
  raises("tests/lua/lib.lua:135: oversim.summarize: row 1 has no run or round (summaries are of per-round rows)",
         function() local _ = o.summarize{ { seed = 1 } } end)
end

function T.print_table()
  local lines = {}
  local saved = print
  print = function(s) lines[#lines + 1] = s end
  local ok, err = pcall(o.print_table, { { name = "a", x = 1.5, n = 3 }, { name = "bbb", n = 10 } },
    { "name", "x", { "n", head = "count" }, { head = "twice", fmt = function(r, i) return i * 2 end } },
    { title = "T", note = "N" })
  print = saved
  assert(ok, err)
  eq(table.concat(lines, "|"), "T|name      x  count  twice|a     1.500      3      2|"
     .. "bbb       -     10      4|N", "table")
end

function T.from_to()
  local before = { { x = 1 }, { x = 2 } }
  local col = o.from_to("x", before)
  eq(col.head, "x", "heading")
  eq(col.fmt({ x = 1.5 }, 1), "1.000 -> 1.500", "row 1 against before[1]")
  eq(col.fmt({ x = 3 }, 2), "2.000 -> 3.000", "row 2 against before[2]")
  eq(col.fmt({}, 1), "-", "missing")
  eq(o.from_to("x", before, "%.1f").fmt({ x = 0.25 }, 1), "1.0 -> 0.2", "format")
end

function T.sibling_and_save()
  eq(o.sibling("r/x.csv", "policy"), "r/x_policy.csv", "sibling")
  eq(o.sibling("r/x", "fit"), "r/x_fit.csv", "sibling without .csv")
  local w = tiny()
  local rec = o.overseer{ name = "r", kind = "recursive", competence = 1, depth = 1,
                          critic = { rounds = 2, labels_per_round = 8 } }
  local paths = o.save(DIR .. "/s.csv", o.train{ world = w, overseer = rec, rounds = 2 })
  eq(table.concat(paths, " "), DIR .. "/s.csv " .. DIR .. "/s_policy.csv " .. DIR
     .. "/s_levels.csv " .. DIR .. "/s_critics.csv", "files")
  local critics = o.read_csv(DIR .. "/s_critics.csv")
  assert(#critics > 0, "critic rows")
  for _, c in ipairs(critics) do
    assert(c.run and c.seed == 1 and c.overseer == "r" and c.depth == 1, "critic ids")
  end
  -- a failure on the second file removes the first
  local ok = pcall(o.save, DIR .. "/t.csv", { { run = 1, round = 0 } }, { { run = 1, x = 0 / 0 } })
  assert(not ok, "NaN refused")
  assert(not io.open(DIR .. "/t.csv"), "first file removed")
  assert(not io.open(DIR .. "/t.csv.manifest"), "its manifest removed")
end

---------------------------------------------------------------------------
function T.run_ids_and_streams()
  local w = tiny()
  local h = o.overseer{ name = "h", competence = 0, beta = 2 }
  local spec = { world = w, overseer = h, rounds = 2, labels_per_round = 8 }
  local a = o.train(spec)
  local b = o.train(spec)
  eq(a[1].run, 1, "first id"); eq(b[1].run, 2, "next id")
  -- same seed, no stream given: the same random numbers whatever the run id
  eq(a[3].true_value, b[3].true_value, "common random numbers")
  local c = o.train{ world = w, overseer = h, rounds = 2, labels_per_round = 8, run = 7 }
  eq(c[1].run, 7, "explicit id")
  assert(c[3].true_value ~= a[3].true_value, "an explicit run id is also the stream")
  eq(o.train(spec)[1].run, 8, "ids continue after an explicit one")
  local d = o.train{ world = w, overseer = h, rounds = 2, labels_per_round = 8, stream = 7 }
  eq(d[3].true_value, c[3].true_value, "stream 7 is run 7's stream")
end

function T.config_columns()
  local w = tiny()
  local r = o.train{ world = w, overseer = o.overseer{ name = "or", kind = "oracle" }, rounds = 1 }
  local row = r[1]
  eq(row.overseer_kind, "oracle", "kind"); eq(row.beta, "inf", "an infinite beta")
  eq(row.competence, nil, "an oracle has no competence")
  eq(row.method, "exact", "method"); eq(row.kl_coef, 0.1, "kl_coef"); eq(row.labels_per_round, 64, "lpr")
  eq(row.policy_model, "linear", "policy model"); eq(row.rm_model, "linear", "rm model")
  eq(row.mistake, nil, "defaults are not columns")
  row = o.train{ world = w, rounds = 1, overseer = o.overseer{ name = "h", competence = 1,
                 beta = 5, mistake = 0.1, when_unsure = "looks" },
                 policy = { method = "reinforce", kl = 2, batch = 32,
                            model = { kind = "mlp", hidden = { 8, 4 } } },
                 params = { method = "mine", extra = true } }[1]
  eq(row.competence, 1, "competence"); eq(row.beta, 5, "beta"); eq(row.mistake, 0.1, "mistake")
  eq(row.when_unsure, "looks", "when_unsure"); eq(row.batch, 32, "batch")
  eq(row.policy_model, "mlp 8x4 tanh", "policy model")
  eq(row.method, "mine", "params win over automatic columns"); eq(row.extra, true, "params")
  row = o.train{ world = w, rounds = 1, overseer = o.overseer{ name = "a", kind = "assisted",
                 competence = 1, assistant = { recall = 0.5 } }, policy = { method = "bon", n = 8 } }[1]
  eq(row.recall, 0.5, "recall"); eq(row.honesty, 1, "honesty"); eq(row.n, 8, "bon n")
  eq(row.kl_coef, nil, "best-of-n has no KL coefficient")
  raises("tests/lua/lib.lua:224: field 'params' of train: column 'kl' is one a run measures or is "
         .. "identified by; give the setting another name (e.g. 'kl_coef')",
         function() local _ = o.train{ world = w, overseer = o.overseer{}, params = { kl = 1 } } end)
end

function T.duplicate_keys()
  local w = tiny()
  local h = o.overseer{ name = "h" }
  local a = o.train{ world = w, overseer = h, rounds = 1, run = 1 }
  local b = o.train{ world = w, overseer = h, rounds = 1, run = 1, seed = 2 }
  local rows = { a[1], a[2], b[1], b[2] }
  raises("tests/lua/lib.lua:236: cannot write '" .. DIR .. "/d.csv': rows 1 and 3 have the same key (run 1, "
         .. "round 0); give each run its own id (leave 'run' unset and oversim.train numbers them) "
         .. "or pass { allow_duplicates = true }",
         function() local _ = o.write_csv(DIR .. "/d.csv", rows) end)
  assert(not io.open(DIR .. "/d.csv"), "nothing written")
  o.write_csv(DIR .. "/d.csv", rows, { allow_duplicates = true })
  assert(io.open(DIR .. "/d.csv"), "written when allowed")
  -- policy rows are keyed by (run, context, behaviour): no false alarm
  local _, p = o.train{ world = w, overseer = h, rounds = 1 }
  o.write_csv(DIR .. "/p.csv", p)
  raises("tests/lua/lib.lua:245: unknown key 'allow_duplicate' in write_csv options (did you mean "
         .. "'allow_duplicates'?)",
         function() local _ = o.write_csv(DIR .. "/e.csv", p, { allow_duplicate = true }) end)
end

function T.sweep_shape()
  local w = tiny()
  local h = o.overseer{ name = "h", beta = 2 }
  local specs = o.grid({ { "seed", { 1, 2, 3 } }, { "lpr", { 4, 8 } } }, function(p)
    return { world = w, overseer = h, seed = p.seed, rounds = 2, labels_per_round = p.lpr }
  end)
  local rows, policy, levels, runs = o.sweep{ runs = specs, workers = 2 }
  eq(#runs, 6, "a result per run"); eq(#rows, 6 * 3, "rows concatenated")
  eq(#policy, 6 * 2, "policy rows concatenated"); eq(#levels, 0, "no levels")
  eq(runs[4].params.lpr, 8, "each run's params"); eq(runs[4].rows[1].lpr, 8, "as columns")
  for i, run in ipairs(runs) do
    for t = 1, 3 do eq(rows[(i - 1) * 3 + t], run.rows[t], "rows in run order") end
  end
  -- the same numbers as train
  local one = o.train(specs[5])
  eq(one[3].true_value, runs[5].rows[3].true_value, "sweep = train")
end

function T.objects()
  local w = tiny()
  eq(w.name, "tiny", "world.name")
  eq(w:info().name, "tiny", "world:info()")
  local a = o.overseer{ name = "ast", kind = "assisted", competence = 1, beta = 3,
                        assistant = { recall = 0.25, reach = 2 } }
  eq(a.name, "ast", "overseer.name"); eq(a.kind, "assisted", "overseer.kind")
  local i = a:info()
  eq(i.kind, "assisted", "info kind"); eq(i.beta, 3, "info beta"); eq(i.recall, 0.25, "recall")
  eq(i.reach, 2, "reach"); eq(i.mistake, 0, "every parameter, defaults too")
  eq(o.overseer{ kind = "recursive", depth = 2 }:info().depth, 2, "recursive depth")
  raises("tests/lua/lib.lua:278: an overseer has no field 'nmae' (it has name, kind and info())",
         function() local _ = a.nmae end)
  raises("tests/lua/lib.lua:280: a world has no field 'nmae' (it has name and info())",
         function() local _ = w.nmae end)
end

function T.infinite_settings()
  local w = o.world{ name = "w", contexts = { o.context{ name = "c" } },
    behaviours = { o.behaviour{ name = "good", looks = 1 },
                   o.behaviour{ name = "bad", looks = 1.2,
                                facts = { o.fact{ name = "never", difficulty = math.huge, effect = -2 } } } } }
  local r = o.overseer{ name = "r", kind = "recursive", depth = 1,
                        critic = { rounds = 2, labels_per_round = 8 } }
  local rows, policy, levels = o.train{ world = w, overseer = r, rounds = 2 }
  o.save(DIR .. "/i.csv", rows, policy, levels)
  local inf = 0
  for _, c in ipairs(o.read_csv(DIR .. "/i_critics.csv")) do
    if c.difficulty == math.huge then inf = inf + 1 end
  end
  eq(inf, 1, "the undiscoverable slot is written inf and read back as math.huge")
  eq(o.read_csv(DIR .. "/i.csv")[1].beta, math.huge, "beta = inf reads back as math.huge")
  -- a number a script computed is still refused when infinite
  local ok, err = pcall(o.write_csv, DIR .. "/j.csv", { { run = 1, x = 1 / 0 } })
  assert(not ok and err:find("column 'x' is infinite", 1, true), tostring(err))
end

function T.constructors_copy()
  -- an overseer keeps copies: changing its tables afterwards changes nothing
  local s = o.scenario("hidden_bug")
  local m = { behaviour = "bluff", bias = 5 }
  local spec = { name = "h", competence = 1, beta = 5, misconceptions = { m },
                 wrong = function() return false end }
  local h = o.overseer(spec)
  local before = o.train{ world = s.world, overseer = h, rounds = 2, labels_per_round = 16 }
  m.behaviour, m.bias = true, "x"
  spec.misconceptions[2] = { behaviour = 42 }
  spec.wrong = function() error("a replaced predicate ran") end
  spec.name = "other"
  local after = o.train{ world = s.world, overseer = h, rounds = 2, labels_per_round = 16 }
  eq(after[3].true_value, before[3].true_value, "the same run after the tables changed")
  eq(after[1].overseer, "h", "the name it was made with")
end

function T.teachers()
  -- B-Pref's teachers with its published defaults (Lee et al. 2021): Stoc
  -- beta 1, Mistake eps 0.1, Skip eps_skip 0.1 and Equal eps_equal 0.1 (relative
  -- to the margin), Myopic gamma 0.9; each an oracle with one irrationality
  local want = {
    oracle = {}, stoc = { beta = 1 }, mistake = { mistake = 0.1 },
    skip = { skip_eps = 0.1 }, equal = { equal_eps = 0.1 }, myopic = { myopia = 0.9 } }
  local base = o.overseer{ kind = "oracle" }:info()
  for name, changed in pairs(want) do
    local i = o.teacher(name):info()
    eq(i.kind, "oracle", name .. " is an oracle")
    eq(i.name, "teacher-" .. name, name .. "'s name")
    for k, v in pairs(base) do
      if k ~= "name" then
        local expect = changed[k]
        if expect == nil then expect = v end
        eq(i[k], expect, name .. "." .. k)
      end
    end
  end
  eq(o.teacher("skip", { skip_eps = 0.2 }):info().skip_eps, 0.2, "overrides win")
  -- the relative thresholds become columns when set
  local w = tiny()
  local row = o.train{ world = w, overseer = o.teacher("equal"), rounds = 1 }[1]
  eq(row.equal_eps, 0.1, "equal_eps column")
end

function T.metric_columns_one_list()
  local w = tiny()
  o.write_csv(DIR .. "/m.csv", (o.train{ world = w, overseer = o.overseer{}, rounds = 1 }))
  local _, cols = o.read_csv(DIR .. "/m.csv")
  local got = table.concat(cols, ","):match("round,(.-),beta")
  local want = table.concat(o.columns.metrics, ","):gsub("^round,", "")
  eq(got, want, "the CSV's metric columns are core/metrics.h's list, in order")
end

-- the reward model's confidence loss: a column when set, read, range-checked
function T.confidence_column()
  local w = tiny()
  local ov = o.overseer{ name = "or", kind = "oracle", beta = 5 }
  local plain = o.train{ world = w, overseer = ov, rounds = 2 }
  eq(plain[3].rm_confidence, nil, "no column at the default")
  local conf = o.train{ world = w, overseer = ov, rounds = 2,
                        reward_model = { confidence = 0.5 } }
  eq(conf[3].rm_confidence, 0.5, "rm_confidence")
  assert(conf[3].proxy_value ~= plain[3].proxy_value, "the loss changes the fit")
  raises("tests/lua/lib.lua:367: field 'confidence' of reward_model must be in [0,1) (got 1)",
         function() local _ = o.train{ world = w, overseer = ov, reward_model = { confidence = 1 } } end)
end

return T
