-- tests/lua/binding.lua — the Lua API's happy paths, for tests/test_binding.c:
-- arguments and require, seeded math.random, world info and per-context values,
-- train's rows, the 'wrong' predicate, on_round, and write_csv's output (the
-- file itself is checked in C). Each function raises an error (an assert with
-- what failed) unless its checks pass. The bad-input messages are in errors.lua.
local M = {}

-- run with args seeds=3 name=abc flag=true x=0.5
function M.args_and_require()
  assert(oversim.args.seeds == 3 and math.type(oversim.args.seeds) == 'integer')
  assert(oversim.args.name == 'abc' and oversim.args.flag == true)
  assert(oversim.args.x == 0.5)
  assert(require('oversim') == oversim)
  assert(oversim.version:match('^%d+%.%d+%.%d+$'))
end

-- The first draw of math.random (the same in every fresh state).
function M.first_random()
  return math.random(1, 1000000)
end

function M.world_info()
  local s = oversim.scenario('hidden_bug')
  local info = s.world:info()
  assert(#info.contexts == 2 and #info.behaviours == 5)
  assert(#info.cells == 7, #info.cells)
  for _, c in ipairs(info.cells) do
    if c.behaviour == 'bluff' then
      assert(c.context == 'hard' and math.abs(c.true_value + 0.9) < 1e-12)
      assert(c.deceptive == true)
    end
    if c.behaviour == 'correct' then assert(c.deceptive == false) end
  end
end

-- looks, priors and effects given per context: a number, a table by context
-- name, a function of the context
function M.per_context_values()
  local o = oversim
  local w = o.world{
    contexts = { o.context{ name = 'a', difficulty = 1, tags = { 'monitored' } },
                 o.context{ name = 'b', difficulty = 3 } },
    behaviours = {
      o.behaviour{ name = 'x', looks = function(ctx) return ctx.difficulty * 2 end,
                   prior = { a = 1 } },
      o.behaviour{ name = 'y', looks = { a = 1, b = 2 },
                   facts = { o.fact{ name = 'f', difficulty = 1, contexts = { 'b' },
                                     effect = function(ctx) return -ctx.difficulty end } } },
    },
  }
  local cells = {}
  for _, c in ipairs(w:info().cells) do cells[c.context .. c.behaviour] = c end
  assert(cells.ax.looks == 2 and cells.bx == nil)
  assert(cells.by.true_value == -1 and cells.ay.true_value == 1)
  assert(w:info().contexts[1].tags.monitored == true)
end

-- features as a table of one array per cell (context by context) give the
-- world a function of (context, behaviour) gives: the same rows to the bit;
-- a proxy table (with __len and __index) reads through its metamethods
function M.features_forms()
  local o = oversim
  local phi = { { 0.5, -1 }, { 2, 0.25 }, { -0.75, 1.5 }, { 1, 1 }, { 0, -2 }, { 0.125, 3 } }
  local function world(features)
    return o.world{
      contexts = { o.context{ name = 'a' }, o.context{ name = 'b', difficulty = 2 } },
      behaviours = {
        o.behaviour{ name = 'x', looks = { a = 1, b = 0.5 } },
        o.behaviour{ name = 'y', looks = 2, prior = { a = 1 },
                     facts = { o.fact{ name = 'f', difficulty = 1, effect = -3 } } },
        o.behaviour{ name = 'z', looks = 0 },
      },
      features = features }
  end
  local index = { x = 1, y = 2, z = 3 }
  local proxy = setmetatable({}, { __len = function() return #phi end,
                                   __index = function(_, i) return phi[i] end })
  local cell_proxy = {}
  for i, v in ipairs(phi) do
    cell_proxy[i] = setmetatable({}, { __len = function() return #v end,
                                       __index = function(_, k) return v[k] end })
  end
  local worlds = { world(function(ctx, b) return phi[(ctx.index - 1) * 3 + index[b]] end),
                   world(phi), world(proxy), world(cell_proxy) }
  local function run(w)
    local rows, pol = o.train{ world = w, overseer = o.overseer{ competence = 1, beta = 5 },
                               rounds = 4, labels_per_round = 16, seed = 3 }
    local out = {}
    for _, r in ipairs(rows) do
      out[#out + 1] = string.format('%a %a %a', r.true_value, r.proxy_value, r.kl)
    end
    for _, p in ipairs(pol) do out[#out + 1] = string.format('%a', p.probability) end
    return table.concat(out, '\n')
  end
  local want = run(worlds[1])
  for i = 2, #worlds do assert(run(worlds[i]) == want, 'form ' .. i .. ' differs') end
  assert(#want > 0 and #worlds[2]:info().cells == 5)
end

function M.train_rows()
  local s = oversim.scenario('hidden_bug')
  local rows, pol = oversim.train{ world = s.world, overseer = s.overseers['human-coin'],
    rounds = 3, labels_per_round = 10, seed = 7, run = 2, params = { sweep = 'a' } }
  assert(#rows == 4)
  for i, r in ipairs(rows) do
    assert(r.round == i - 1 and r.seed == 7 and r.run == 2 and r.sweep == 'a')
    assert(r.overseer == 'human-coin' and r.scenario == 'hidden_bug')
    assert(r.labels == 10 * (i - 1) and r.label_cost == 10 * (i - 1))
  end
  assert(rows[1].label_accuracy == nil and rows[1].kl == 0)
  local mass = {}
  for _, p in ipairs(pol) do mass[p.context] = (mass[p.context] or 0) + p.probability end
  assert(math.abs(mass.easy - 1) < 1e-12 and math.abs(mass.hard - 1) < 1e-12)
end

-- an overseer wrong about `flatter` everywhere: it sees the surface only
function M.wrong_predicate_makes_wrong_region()
  local s = oversim.scenario('hidden_bug')
  local ov = oversim.overseer{ name = 'p', competence = 5, beta = math.huge,
    wrong = function(ctx, b) return b == 'flatter' end,
    knows = function(ctx, b1, b2) return true end }
  local rows = oversim.train{ world = s.world, overseer = ov, rounds = 5,
    labels_per_round = 200 }
  for i = 2, 6 do
    local r = rows[i]
    assert(r.label_accuracy_wrong < 0.2, 'flatter looks best: wrong labels')
    assert(r.label_accuracy_unsure == nil, 'knows() covers every pair')
  end
  assert(rows[2].label_accuracy_knows == 1, 'competent and rational elsewhere')
  assert(rows[6].deception_rate > 0.95, 'the policy learns to flatter')
end

-- on_round sees every round, 0 to rounds (its errors: errors.lua, on_round_error)
function M.on_round_callback()
  local s = oversim.scenario('hidden_bug')
  local seen = {}
  oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = 4,
    on_round = function(r) seen[#seen + 1] = r.round end }
  assert(#seen == 5 and seen[5] == 4)
end

-- Two rows with different columns, a quoted cell, -0.0 and a boolean, into
-- dir/sub/x.csv (a folder write_csv must create).
function M.write_csv_rows(dir)
  oversim.write_csv(dir .. '/sub/x.csv', {
    { run = 1, seed = 4, round = 0, true_value = 0.5, zeta = 'a,b' },
    { run = 1, seed = 5, round = 1, true_value = -0.0, label_accuracy = 1, alpha = true },
  })
end

-- write_csv's refusals, as cases for harness_cases (see errors.lua): a NaN,
-- a folder where the file should go (test_binding.c makes dir/isdir.csv a
-- folder first), a folder that cannot be created.
function M.write_csv_errors(dir)
  return {
    { code = ("oversim.write_csv('%s/nan.csv', { { a = 1 }, { a = 0/0 } })"):format(dir),
      msg = ("t.lua:1: cannot write '%s/nan.csv': row 2, column 'a' is NaN (the run "
          .. "diverged or a script computed a bad number)"):format(dir) },
    { code = ("oversim.write_csv('%s/isdir.csv', { { a = 1 } })"):format(dir),
      part = "cannot write '" },
    { code = "oversim.write_csv('/proc/nope/x.csv', { { a = 1 } })",
      msg = "t.lua:1: cannot write '/proc/nope/x.csv': cannot create folder '/proc/nope': "
         .. "No such file or directory" },
  }
end

-- The tests' strict reader (read_csv.lua) over a file write_csv wrote: a
-- real column's empty cell is nil, a column the file lacks is an error that
-- names file and column (so the script tests' checks can't read it as nil).
function M.strict_reader(dir)
  local read_csv = require 'read_csv'
  local path = dir .. '/strict.csv'
  oversim.write_csv(path, { { run = 1, seed = 1, round = 0, true_value = 0.5, note = 'x' },
                            { run = 1, seed = 1, round = 1, true_value = 0.25 } })
  local rows, columns = read_csv(path)
  assert(#rows == 2 and #columns >= 5, #columns)
  assert(rows[2].true_value == 0.25 and rows[1].note == 'x' and rows[2].note == nil)
  local ok, err = pcall(function() return rows[1].true_valu end)
  assert(not ok, 'a missing column must raise')
  local want = path .. " has no column 'true_valu' (columns: " .. table.concat(columns, ', ') .. ')'
  assert(err:sub(-#want) == want, err)
end

return M
