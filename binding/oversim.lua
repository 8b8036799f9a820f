-- oversim.lua — the experiment layer of the `oversim` module, in Lua: declared
-- script options, grids of settings, summaries over seeds, a table printer,
-- sibling output paths and saving a run's tables. Compiled into the binary
-- (cmake/embed.cmake) and run by luaopen_oversim with the module table, so it
-- needs no file at run time. Plumbing only: nothing here models oversight.
-- Errors are raised at the caller's line (error level 2 or 3).
local M = ...

local floor, sqrt, huge = math.floor, math.sqrt, math.huge
local fmt = string.format

----------------------------------------------------------------------------
-- small helpers

-- edit distance between two short strings
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- the name in list closest to name, if close enough to be a typo
local function closest(name, list)
  local best, bd = nil, huge
  for _, k in ipairs(list) do
    -- on a tie, a name of the same length (a letter mistyped, not dropped)
    local d = distance(name, k) + (#k == #name and 0 or 0.5)
    if d < bd then best, bd = k, d end
  end
  if best and bd <= math.max(2, #name // 3) then return best end
end

local function did_you_mean(name, list)
  local near = closest(name, list)
  return near and fmt(" (did you mean '%s'?)", near) or ""
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

local function is_scalar(v)
  local t = type(v)
  return t == "number" or t == "string" or t == "boolean"
end

----------------------------------------------------------------------------
-- oversim.options{ name = default | { default, "help" }, ... } -> opts
-- The script's options: each name=value on the command line (oversim.args)
-- must be declared, and takes the type of its default (an integer default
-- wants an integer; a number, a number; a boolean, true or false; a string,
-- anything). Unknown names are an error with a did-you-mean. Reading an
-- undeclared option from opts is an error too.
function M.options(decl, args)
  if type(decl) ~= "table" then
    error("oversim.options: expected a table of option = default", 2)
  end
  args = args or M.args or {}
  local defaults, names = {}, {}
  for k, v in pairs(decl) do
    if type(k) ~= "string" then error("oversim.options: option names must be strings", 2) end
    local given = v
    if type(v) == "table" then v = v[1] end
    if not is_scalar(v) then
      error(fmt("oversim.options: option '%s' needs a number, string or boolean default "
                .. "(got %s)", k, type(given) == "table" and "a table without one"
                or type(given)), 2)
    end
    defaults[k] = v
    names[#names + 1] = k
  end
  table.sort(names)
  local function listing()
    local t = {}
    for _, k in ipairs(names) do t[#t + 1] = k .. "=" .. tostring(defaults[k]) end
    return table.concat(t, " ")
  end
  for _, k in ipairs(sorted_keys(args)) do
    if defaults[k] == nil then
      error(fmt("unknown option '%s'%s; this script takes: %s", tostring(k),
                did_you_mean(tostring(k), names), listing()), 2)
    end
  end
  local opts = {}
  for _, k in ipairs(names) do
    local d, v = defaults[k], args[k]
    if v == nil then
      v = d
    elseif math.type(d) == "integer" then
      local i = math.tointeger(v)
      if not i then error(fmt("option '%s' must be an integer (got '%s')", k, tostring(v)), 2) end
      v = i
    elseif type(d) == "number" then
      if type(v) ~= "number" then
        error(fmt("option '%s' must be a number (got '%s')", k, tostring(v)), 2)
      end
    elseif type(d) == "boolean" then
      if type(v) ~= "boolean" then
        error(fmt("option '%s' must be true or false (got '%s')", k, tostring(v)), 2)
      end
    else
      v = tostring(v)
    end
    opts[k] = v
  end
  return setmetatable(opts, { __index = function(_, k)
    error(fmt("option '%s' was not declared in oversim.options%s", tostring(k),
              did_you_mean(tostring(k), names)), 2)
  end })
end

-- oversim.range(first, last) -> { first, ..., last } (integers)
function M.range(first, last)
  local t = {}
  for i = first, last do t[#t + 1] = i end
  return t
end

----------------------------------------------------------------------------
-- oversim.grid(axes [, make]) -> list
-- The cartesian product of settings. axes is { name = values, ... } (axes in
-- alphabetical order) or { {name, values}, ... } (in the order given); the
-- first axis varies slowest; values is a list or a single value. Without
-- make: the points, tables { name = value, ... }. With make(point) -> a
-- train spec: the specs, each with the point's settings added to its params
-- (so they become columns; a table or object setting adds its name). Axes
-- that train already records (world, overseer, seed, run, stream, scenario)
-- are not repeated as params.
local RECORDED = { world = true, overseer = true, seed = true, run = true, stream = true,
                   scenario = true }

function M.grid(axes, make)
  if type(axes) ~= "table" then error("oversim.grid: expected a table of axes", 2) end
  local list = {}
  if #axes > 0 then
    for i, a in ipairs(axes) do
      if type(a) ~= "table" or type(a[1]) ~= "string" then
        error(fmt("oversim.grid: axis %d must be { name, values }", i), 2)
      end
      list[#list + 1] = { a[1], a[2] }
    end
  else
    for _, k in ipairs(sorted_keys(axes)) do list[#list + 1] = { k, axes[k] } end
  end
  for _, a in ipairs(list) do
    local v = a[2]
    if v == nil or (type(v) == "table" and getmetatable(v) == nil and next(v) == nil) then
      error(fmt("oversim.grid: axis '%s' has no values", a[1]), 2)
    end
    -- a list is the axis' values; anything else (a number, an object, a
    -- settings table with named fields) is its one value
    if type(v) ~= "table" or getmetatable(v) ~= nil or #v == 0 then a[2] = { v } end
  end
  local points = { {} }
  for _, a in ipairs(list) do
    local next_points = {}
    for _, p in ipairs(points) do
      for _, v in ipairs(a[2]) do
        local q = {}
        for k, x in pairs(p) do q[k] = x end
        q[a[1]] = v
        next_points[#next_points + 1] = q
      end
    end
    points = next_points
  end
  if not make then return points end
  local specs = {}
  for i, p in ipairs(points) do
    local spec = make(p)
    if type(spec) ~= "table" then
      error(fmt("oversim.grid: make must return a train spec (got %s for point %d)",
                type(spec), i), 2)
    end
    local params = {}
    for k, v in pairs(spec.params or {}) do params[k] = v end
    for _, a in ipairs(list) do
      local k, v = a[1], p[a[1]]
      if not RECORDED[k] and params[k] == nil then
        if is_scalar(v) then
          params[k] = v
        else
          local ok, name = pcall(function() return v.name end)
          if ok and is_scalar(name) then params[k] = name end
        end
      end
    end
    spec.params = params
    specs[#specs + 1] = spec
  end
  return specs
end

----------------------------------------------------------------------------
-- statistics over a list of numbers (errors name the list's problem)

local function numbers(xs, what, level)
  if type(xs) ~= "table" or #xs == 0 then
    error(fmt("oversim.%s: expected a non-empty list of numbers", what), level + 1)
  end
  for i, x in ipairs(xs) do
    if type(x) ~= "number" or x ~= x then
      error(fmt("oversim.%s: entry %d is %s, not a number", what, i, tostring(x)), level + 1)
    end
  end
  return xs
end

-- oversim.mean(xs)
function M.mean(xs)
  numbers(xs, "mean", 2)
  local s = 0
  for _, x in ipairs(xs) do s = s + x end
  return s / #xs
end

-- oversim.sd(xs): the sample standard deviation (n - 1); 0 for one value
function M.sd(xs)
  numbers(xs, "sd", 2)
  local n = #xs
  if n < 2 then return 0 end
  local m = M.mean(xs)
  local ss = 0
  for _, x in ipairs(xs) do ss = ss + (x - m) ^ 2 end
  return sqrt(ss / (n - 1))
end

-- oversim.se(xs): the standard error of the mean, sd / sqrt(n)
function M.se(xs)
  numbers(xs, "se", 2)
  return M.sd(xs) / sqrt(#xs)
end

-- a generator of its own (splitmix64), so a bootstrap never moves the
-- script's math.random stream and gives the same interval every time
local function splitmix(seed)
  local state = seed
  return function(n) -- an integer in 1..n
    state = state + 0x9e3779b97f4a7c15
    local z = state
    z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
    z = (z ~ (z >> 27)) * 0x94d049bb133111eb
    z = z ~ (z >> 31)
    return (z >> 11) % n + 1
  end
end

-- oversim.ci(xs [, level [, resamples [, seed]]]) -> lo, hi
-- A bootstrap percentile interval for the mean (level 0.95, 2000 resamples,
-- seed 1 by default); a single value gives lo = hi = that value.
function M.ci(xs, level, resamples, seed)
  numbers(xs, "ci", 2)
  level, resamples = level or 0.95, resamples or 2000
  if not (level > 0 and level < 1) then error("oversim.ci: level must be in (0,1)", 2) end
  local n = #xs
  if n == 1 then return xs[1], xs[1] end
  local draw, means = splitmix(seed or 1), {}
  for r = 1, resamples do
    local s = 0
    for _ = 1, n do s = s + xs[draw(n)] end
    means[r] = s / n
  end
  table.sort(means)
  local a = (1 - level) / 2
  local lo = means[math.max(1, floor(a * resamples + 0.5))]
  local hi = means[math.min(resamples, floor((1 - a) * resamples + 0.5))]
  return lo, hi
end

----------------------------------------------------------------------------
-- oversim.config_columns(rows) -> list: the configuration columns of rows
-- (every column that is not an id, key or metric, plus scenario and
-- overseer), in alphabetical order after scenario and overseer.
local MEASURED = {}
for _, list in ipairs{ M.columns.ids, M.columns.keys, M.columns.metrics,
                       M.columns.episodes } do
  for _, k in ipairs(list) do MEASURED[k] = true end
end
for _, k in ipairs{ "labelled_by", "prior", "probability", "reward", "deceptive", "shift",
                    "difficulty", "p_point", "verify", "detect",
                    -- an episode policy's (oversim.train_episodes' second value)
                    "row", "col", "supervised", "tomatoes", "watched", "terminal", "visits",
                    "vstar", "looks" } do
  MEASURED[k] = true
end

function M.config_columns(rows)
  local seen, cols = {}, {}
  for _, r in ipairs(rows) do
    for k in pairs(r) do
      if not seen[k] and not MEASURED[k] then seen[k] = true; cols[#cols + 1] = k end
    end
  end
  table.sort(cols)
  local out = {}
  for _, k in ipairs{ "scenario", "overseer" } do
    for _, r in ipairs(rows) do
      if r[k] ~= nil then out[#out + 1] = k; break end
    end
  end
  for _, k in ipairs(cols) do out[#out + 1] = k end
  return out
end

local DEFAULT_SUMMARY = {}
for _, k in ipairs(M.columns.metrics) do
  if k ~= "round" then DEFAULT_SUMMARY[#DEFAULT_SUMMARY + 1] = k end
end

-- oversim.summarize(rows [, opts]) -> summary rows
-- Groups the runs of per-round rows (oversim.train's or oversim.sweep's) by
-- configuration and summarises each column over the runs (seeds) of a group.
--   opts.by       columns that define a group (default: oversim.config_columns)
--   opts.at       "final" (each run's last round; default), a round, or a list
--                 of rounds (a summary row for each)
--   opts.columns  what to summarise (default: every metric column, from labels
--                 to assisted_found; a column no row of a group has is left out)
-- A summary row has the group's columns, `round`, `runs` and `seeds` (how many
-- distinct seeds), and for each column c: c (the mean over runs, under the
-- same name as in the per-round rows), c_sd, c_se, and c_lo, c_hi (a 95%
-- bootstrap interval of the mean). Groups come in order of first appearance.
-- The second result lists the columns in that order, for
-- oversim.write_csv(path, summary, { columns = columns }).
function M.summarize(rows, opts)
  opts = opts or {}
  if type(rows) ~= "table" then error("oversim.summarize: expected a list of rows", 2) end
  local by = opts.by or M.config_columns(rows)
  local cols = opts.columns or DEFAULT_SUMMARY
  local at = opts.at or "final"
  local rounds = type(at) == "table" and at or { at }
  -- each run's rows by round, and its last round
  local runs, order = {}, {}
  for i, r in ipairs(rows) do
    if r.run == nil or r.round == nil then
      error(fmt("oversim.summarize: row %d has no run or round (summaries are of "
                .. "per-round rows)", i), 2)
    end
    if math.type(r.round) ~= "integer" then
      error(fmt("oversim.summarize: row %d has round %s, not a whole number", i,
                tostring(r.round)), 2)
    end
    local run = runs[r.run]
    if not run then run = { by_round = {}, last = r }; runs[r.run] = run; order[#order + 1] = r.run end
    run.by_round[r.round] = r
    if r.round > run.last.round then run.last = r end
  end
  local groups, gorder = {}, {}
  for _, id in ipairs(order) do
    local run = runs[id]
    local parts = {}
    for i, k in ipairs(by) do parts[i] = tostring(run.last[k]) end
    local key = table.concat(parts, "\31")
    if not groups[key] then groups[key] = { first = run.last, runs = {} }; gorder[#gorder + 1] = key end
    table.insert(groups[key].runs, run)
  end
  local out, columns = {}, {}
  for _, k in ipairs(by) do columns[#columns + 1] = k end
  for _, k in ipairs{ "round", "runs", "seeds" } do columns[#columns + 1] = k end
  for _, c in ipairs(cols) do
    for _, suffix in ipairs{ "", "_sd", "_se", "_lo", "_hi" } do
      columns[#columns + 1] = c .. suffix
    end
  end
  for _, key in ipairs(gorder) do
    local g = groups[key]
    for _, when in ipairs(rounds) do
      local picked = {}
      for _, run in ipairs(g.runs) do
        local r = when == "final" and run.last or run.by_round[when]
        if r then picked[#picked + 1] = r end
      end
      if #picked > 0 then
        local s = { runs = #picked }
        for _, k in ipairs(by) do s[k] = g.first[k] end
        local seeds, nseeds, last_round = {}, 0, 0
        for _, r in ipairs(picked) do
          if r.seed ~= nil and not seeds[r.seed] then seeds[r.seed] = true; nseeds = nseeds + 1 end
          last_round = math.max(last_round, r.round)
        end
        s.seeds, s.round = nseeds, last_round
        for _, c in ipairs(cols) do
          local xs = {}
          for _, r in ipairs(picked) do
            if type(r[c]) == "number" then xs[#xs + 1] = r[c] end
          end
          if #xs > 0 then
            s[c], s[c .. "_sd"], s[c .. "_se"] = M.mean(xs), M.sd(xs), M.se(xs)
            -- a count whose mean is whole stays an integer (labels)
            local whole = math.tointeger(s[c])
            for _, x in ipairs(xs) do if math.type(x) ~= "integer" then whole = nil end end
            if whole then s[c] = whole end
            s[c .. "_lo"], s[c .. "_hi"] = M.ci(xs)
          end
        end
        out[#out + 1] = s
      end
    end
  end
  return out, columns
end

----------------------------------------------------------------------------
-- oversim.print_table(rows, columns [, opts])
-- Prints rows as an aligned table on stdout. A column is a name, or
-- { name, head = "heading", fmt = "%.3f" | function(row, i) -> string }.
-- Numbers print as %.3f (integers as %d) unless fmt says otherwise; missing
-- values as "-". opts.title: a line before; opts.note: a line after.
function M.print_table(rows, columns, opts)
  opts = opts or {}
  local specs = {}
  for i, c in ipairs(columns) do
    if type(c) == "string" then c = { c } end
    if type(c) ~= "table" or (type(c[1]) ~= "string" and type(c.fmt) ~= "function") then
      error(fmt("oversim.print_table: column %d must be a name or { name, head, fmt }", i), 2)
    end
    specs[i] = { key = c[1], head = c.head or c[1] or "", fmt = c.fmt }
  end
  local cells, widths, numeric = {}, {}, {}
  for j, s in ipairs(specs) do widths[j] = #s.head; numeric[j] = true end
  for i, r in ipairs(rows) do
    cells[i] = {}
    for j, s in ipairs(specs) do
      local v = s.key and r[s.key]
      local text
      if type(s.fmt) == "function" then
        text = tostring(s.fmt(r, i))
      elseif v == nil then
        text = "-"
      elseif type(v) == "number" then
        text = s.fmt and fmt(s.fmt, v) or (math.type(v) == "integer" and fmt("%d", v)
                                           or fmt("%.3f", v))
      else
        text = s.fmt and fmt(s.fmt, v) or tostring(v)
        numeric[j] = false
      end
      if type(s.fmt) == "function" then numeric[j] = true end
      cells[i][j] = text
      widths[j] = math.max(widths[j], utf8.len(text) or #text)
    end
  end
  local function line(texts)
    local t = {}
    for j, text in ipairs(texts) do
      local pad = string.rep(" ", widths[j] - (utf8.len(text) or #text))
      t[j] = numeric[j] and j > 1 and pad .. text or text .. pad
    end
    return (table.concat(t, "  "):gsub("%s+$", ""))
  end
  if opts.title then print(opts.title) end
  local heads = {}
  for j, s in ipairs(specs) do heads[j] = s.head end
  print(line(heads))
  for i = 1, #rows do print(line(cells[i])) end
  if opts.note then print(opts.note) end
end

-- oversim.from_to(col, before [, fmt]) -> a print_table column "x -> y": row
-- i's value of col in `before` (the summary of an earlier round, in the same
-- group order) and in the row itself; fmt for each number (default %.3f)
function M.from_to(col, before, fmt)
  if type(col) ~= "string" or type(before) ~= "table" then
    error("oversim.from_to: expected a column name and the earlier summary rows", 2)
  end
  fmt = fmt or "%.3f"
  return { head = col, fmt = function(r, i)
    local b = before[i]
    if not b or b[col] == nil or r[col] == nil then return "-" end
    return string.format(fmt .. " -> " .. fmt, b[col], r[col])
  end }
end

----------------------------------------------------------------------------
-- oversim.sibling(path, suffix): "results/x.csv", "policy" -> "results/x_policy.csv"
function M.sibling(path, suffix)
  if type(path) ~= "string" or type(suffix) ~= "string" then
    error("oversim.sibling: expected a path and a suffix", 2)
  end
  return (path:gsub("%.csv$", "")) .. "_" .. suffix .. ".csv"
end

-- oversim.here(name): name in the folder of the running script (oversim.script),
-- so a script finds the files beside it from any working folder
function M.here(name)
  local dir = type(M.script) == "string" and M.script:match("^(.*)/[^/]*$")
  return dir and (dir .. "/" .. name) or name
end

-- oversim.save(out, rows [, policy [, levels [, extra]]]) -> { paths written }
-- Writes a run's or a sweep's tables (what oversim.train and oversim.sweep
-- return) as CSV with manifests: rows to out, policy rows to out_policy.csv,
-- and for recursive overseers each critic's training rows to out_levels.csv
-- and the critic tables to out_critics.csv (empty tables are not written);
-- extra = { name = rows, ... } adds a script's own side tables, each to
-- out_<name>.csv (in the order of their names).
-- They are one result: the side tables are written first and out last, its
-- manifest naming each side table's checksum, or "none" for one this save
-- did not write (sibling lines), so a reader (read_csv's beside option, and
-- so oversim plot) can tell a side table from another run. If any file fails,
-- the ones this call wrote are removed.
function M.save(out, rows, policy, levels, extra)
  if type(out) ~= "string" then error("oversim.save: expected an output path", 2) end
  if extra ~= nil and type(extra) ~= "table" then
    error("oversim.save: extra must be a table of side tables by name", 2)
  end
  local side = { { M.sibling(out, "policy"), policy } }
  local training, critics = {}, {}
  for _, lv in ipairs(levels or {}) do
    for _, r in ipairs(lv.rows or {}) do training[#training + 1] = r end
    for _, r in ipairs(lv.critic or {}) do critics[#critics + 1] = r end
  end
  side[2] = { M.sibling(out, "levels"), levels and #levels > 0 and training }
  side[3] = { M.sibling(out, "critics"), levels and #levels > 0 and critics }
  for _, name in ipairs(sorted_keys(extra or {})) do
    if type(name) ~= "string" or name == "policy" or name == "levels" or name == "critics" then
      error(fmt("oversim.save: extra side table '%s' needs a name of its own", tostring(name)), 2)
    end
    side[#side + 1] = { M.sibling(out, name), extra[name] }
  end
  local written, siblings = {}, {}
  local function undo(err)
    for _, p in ipairs(written) do os.remove(p); os.remove(p .. ".manifest") end
    error(err, 3)
  end
  for _, f in ipairs(side) do
    local path, t = f[1], f[2]
    siblings[path] = false
    if t and #t > 0 then
      local ok, err = pcall(M.write_csv, path, t)
      if not ok then undo(err) end
      written[#written + 1] = path
      siblings[path] = true
    end
  end
  local ok, err = pcall(M.write_csv, out, rows, { siblings = siblings })
  if not ok then undo(err) end
  table.insert(written, 1, out)
  return written
end

