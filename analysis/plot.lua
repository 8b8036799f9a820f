-- analysis/plot.lua — an experiment's CSV to figures (SVG and PNG) with gnuplot.
--
--   oversim plot results/naive_rlhf.csv [--out DIR] [--by col1,col2]
--
-- The CLI runs this file with oversim.args.csv (and .out, .by). What gets
-- drawn depends on the table (see analysis/README.md for the whole rule):
--   * a policy table (columns context, behaviour, prior, probability) gets the
--     pi-vs-pi0 figure, a critic table (level, context, shift, difficulty,
--     detect) the detection-by-difficulty figure (analysis/standard.lua);
--   * any other table gets its experiment's figure module, if there is one,
--     plus the standard per-round figures its columns allow. The experiment is
--     the manifest's `script:` (else the CSV's file name); its module is
--     <script without .lua>.plot.lua beside the script, else
--     analysis/<experiment>.lua beside this file.
-- A module is a Lua chunk, called with P (the helpers below), that returns a
-- list of figures { name, what = "one line", needs = {columns},
-- draw = function(P, rows) } where draw returns gnuplot commands
-- (terminal-independent) and a size. A figure may also read a table the script
-- wrote beside its CSV (beside = { table = "levels", needs = {columns},
-- when_absent = "skip" or "draw" }: <name>_levels.csv); its rows come to draw
-- as a third argument. Every column a module's figure needs is checked before
-- anything is drawn, and the figures are drawn into temporary files that are
-- renamed into place only when all of them succeeded: a failed plot leaves
-- the folder as it was.
--
-- Lines are groups of runs: by the columns of --by, else by the configuration
-- columns that vary in the file (every column that is not an id or a
-- measurement, see MEASURES). Seeds are counted per line, never assumed.
local args = oversim.args

local function fail(fmt, ...)
  error(string.format(fmt, ...), 0) -- level 0: the message names the CSV itself
end

local csv = args.csv and tostring(args.csv)
if not csv then fail("plot: no CSV given (oversim plot FILE.csv [--out DIR] [--by LIST])") end
local csv_dir = csv:match("^(.*)/[^/]*$") or "."
local base = csv:match("([^/]*)$"):gsub("%.csv$", "")
local out = args.out and tostring(args.out) or (csv_dir .. "/figures")
local here = (oversim.script:match("^(.*)/[^/]*$") or ".")

-- Columns that identify a run or measure something, never a configuration:
-- lines are not grouped by them. Per table kind, a few more.
local MEASURES = {
  all = { "run", "seed", "labelled_by" }, -- and oversim.columns.metrics (below)
  policy = { "context", "behaviour", "prior", "probability", "reward", "deceptive" },
  critics = { "level", "context", "shift", "difficulty", "p_point", "verify", "detect" },
}
-- every metric column a run writes: one list, core/metrics.h's
for _, c in ipairs(oversim.columns.metrics) do MEASURES.all[#MEASURES.all + 1] = c end
-- the columns that make a table a policy or a critic table
local KIND_COLUMNS = {
  policy = { "context", "behaviour", "prior", "probability" },
  critics = { "level", "context", "shift", "difficulty", "detect" },
}

local function exists(path)
  local f = io.open(path)
  if f then f:close() end
  return f ~= nil
end

-- the manifest's script line (nil without a manifest or without the line)
local function manifest_script()
  local f = io.open(csv .. ".manifest")
  if not f then return nil end
  local text = "\n" .. f:read("a")
  f:close()
  local script = text:match("\nscript: ([^\n]*)")
  if script and script ~= "" then return script end
end

local fh, open_err = io.open(csv)
if not fh then fail("plot: cannot read %s", open_err) end
fh:close()
-- called through pcall so that errors name the CSV, not this file's line.
-- A table beside another CSV (x_policy.csv beside x.csv) must be the one that
-- CSV's oversim.save wrote, when its manifest says (read_csv's beside).
local stem_csv = base:match("^(.+)_[^_]+$")
stem_csv = stem_csv and csv_dir .. "/" .. stem_csv .. ".csv"
local ok, rows, columns = pcall(oversim.read_csv, csv,
  stem_csv and exists(stem_csv) and { beside = stem_csv } or nil)
if not ok then fail("%s", rows) end
local have = {}
for _, c in ipairs(columns) do have[c] = true end

-- what kind of table this is, by its columns
local function kind_of(has)
  for _, k in ipairs{ "policy", "critics" } do
    local all = true
    for _, c in ipairs(KIND_COLUMNS[k]) do all = all and has[c] or false end
    if all then return k end
  end
  return "rounds"
end
local kind = kind_of(have)

-- --by: a comma-separated list of columns, each of which must exist
local by
if args.by ~= nil then
  by = {}
  for c in tostring(args.by):gmatch("[^,]+") do
    c = c:match("^%s*(.-)%s*$")
    if c ~= "" then by[#by + 1] = c end
  end
  -- the closest column name (edit distance at most 2), for "did you mean"
  local function distance(a, b)
    local d = {}
    for i = 0, #a do d[i] = { [0] = i } end
    for j = 1, #b do d[0][j] = j end
    for i = 1, #a do
      for j = 1, #b do
        local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
        d[i][j] = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      end
    end
    return d[#a][#b]
  end
  for _, c in ipairs(by) do
    if not have[c] then
      local best, bd = nil, 3
      for _, k in ipairs(columns) do
        local dk = distance(c, k)
        if dk < bd then best, bd = k, dk end
      end
      fail("%s: --by names no column '%s'%s; its columns are: %s", csv, c,
           best and string.format(" (did you mean '%s'?)", best) or "",
           table.concat(columns, ", "))
    end
  end
  if #by == 0 then fail("%s: --by names no column (give a list: --by col1,col2)", csv) end
end

-- The experiment and its figure module: the manifest's script (its own
-- <script>.plot.lua beside it, else analysis/<name>.lua), else the file name
-- (analysis/<name>.lua). plot and standard are this folder's own files.
-- A module is code: oversim runs its own (analysis/) and one you name with
-- --figures; a module beside the script a manifest names (a file anyone
-- sharing results could put there) is only suggested, never run unasked.
local RESERVED = { plot = true, standard = true, README = true }
local experiment, module_path, suggested
do
  local script = manifest_script()
  if script then
    experiment = script:match("([^/]*)$"):gsub("%.lua$", "")
    local beside_script = script:gsub("%.lua$", "") .. ".plot.lua"
    if exists(beside_script) then suggested = beside_script end
  else
    experiment = base
  end
  if args.figures then
    module_path = tostring(args.figures)
    if not exists(module_path) then fail("plot: --figures %s: no such file", module_path) end
    suggested = nil
  elseif not RESERVED[experiment] and exists(here .. "/" .. experiment .. ".lua") then
    module_path = here .. "/" .. experiment .. ".lua"
  end
end

----------------------------------------------------------------------------
-- P: what figure modules use
local P = { csv = csv, experiment = experiment, kind = kind }

-- every table read: the CSV, and tables beside it that figures read (by
-- their rows, so that helpers given `from` know its columns and file)
local main = { rows = rows, columns = columns, have = have, kind = kind, path = csv }
local tables = { [rows] = main }
local function table_of(from) return tables[from or rows] or main end

-- colour-blind-safe (Okabe–Ito), in order of first appearance of a group
P.palette = { "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9",
              "#000000", "#F0E442" }

-- the colour and dash type of line i: the palette, then again dashed
function P.color(i) return P.palette[(i - 1) % #P.palette + 1] end
function P.dash(i) return (i - 1) // #P.palette + 1 end

-- A gnuplot string literal. Single-quoted, because gnuplot substitutes
-- `commands` in double-quoted strings (an overseer named `rm -rf ~` would
-- run); single-quoted strings have no substitution and no escapes (a quote is
-- doubled). Line breaks become separate pieces joined by ."\n".
function P.q(s)
  local parts = {}
  for line in (tostring(s):gsub("\r", " ") .. "\n"):gmatch("([^\n]*)\n") do
    parts[#parts + 1] = "'" .. line:gsub("'", "''") .. "'"
  end
  return table.concat(parts, '."\\n".')
end

-- the distinct values of column col, in order of first appearance (of the
-- CSV's rows, or of `from`: a table beside it)
function P.distinct(col, from)
  local seen, list = {}, {}
  for _, r in ipairs(from or rows) do
    local v = r[col]
    if v ~= nil and not seen[v] then seen[v] = true; list[#list + 1] = v end
  end
  return list
end

-- a number from row r (line i + 1 of file `path`), column col, or a one-line
-- error naming the place
local function num(r, i, col, path)
  local v = r[col]
  if v ~= nil and type(v) ~= "number" then
    fail("%s:%d: column '%s' must be a number (got '%s')", path or csv, i + 1, col, tostring(v))
  end
  return v
end
P.num = function(r, i, col, from) return num(r, i, col, table_of(from).path) end

-- how a cell reads in a legend: an empty cell is the default value
function P.show(v)
  if v == nil then return "default" end
  if math.type(v) == "float" then return string.format("%.6g", v) end
  return tostring(v)
end

-- The configuration columns of a table (the CSV's, or `from`): every column
-- that is neither an id nor a measurement (MEASURES) and whose value is not
-- the same in every row, in file order.
function P.config_columns(from)
  local t = table_of(from)
  local skip = {}
  for _, list in ipairs{ MEASURES.all, MEASURES[t.kind] or {} } do
    for _, c in ipairs(list) do skip[c] = true end
  end
  local list = {}
  for _, c in ipairs(t.columns) do
    if not skip[c] and not c:match("^label_accuracy") then
      local first, varies = t.rows[1] and t.rows[1][c], false
      for _, r in ipairs(t.rows) do
        if r[c] ~= first then varies = true; break end
      end
      if varies then list[#list + 1] = c end
    end
  end
  return list
end

-- The lines of a table (the CSV's, or `from`): its rows grouped by the
-- columns of --by, else by its configuration columns, in order of first
-- appearance. Each group: { label, values = {col = value}, n = distinct seeds
-- (runs when there is no seed column), take = function(row) (true for its
-- rows) }. Also returns the grouping columns, and those the labels name.
function P.groups(from)
  local t = table_of(from)
  if t.groups then return t.groups, t.by, t.named end
  local cols = by or P.config_columns(from)
  local unit = t.have.seed and "seed" or "run"
  local list, index, gid = {}, {}, {}
  local function key_of(r, cs)
    local parts = {}
    for j, c in ipairs(cs) do
      local v = r[c]
      parts[j] = v == nil and "" or (type(v):sub(1, 1) .. tostring(v))
    end
    return table.concat(parts, "\0")
  end
  for _, r in ipairs(t.rows) do
    local k = key_of(r, cols)
    local g = index[k]
    if not g then
      g = { values = {}, seen = {}, n = 0, first = r }
      for _, c in ipairs(cols) do g.values[c] = r[c] end
      g.take = function(row) return gid[row] == g end
      index[k] = g
      list[#list + 1] = g
    end
    gid[r] = g
    local s = r[unit]
    if s ~= nil and not g.seen[s] then g.seen[s] = true; g.n = g.n + 1 end
  end
  -- The legend names a line by its grouping columns; by default it leaves
  -- out a column whose value follows from one other column's (label_price
  -- from overseer; beta, competence from overseer), keeping overseer first,
  -- then file order. An empty (default) cell determines only emptiness:
  -- "n empty" does not say which method a run used. Without --by, parts of a
  -- label whose value is empty are left out ("method=bon, n=4", not
  -- "kl_coef=default, method=bon, n=4").
  local named = cols
  if not by then
    local order = {}
    for _, c in ipairs(cols) do if c == "overseer" then order[1] = c end end
    for _, c in ipairs(cols) do if c ~= "overseer" then order[#order + 1] = c end end
    local function determines(d, c)
      local map = {}
      for _, g in ipairs(list) do
        local dv, cv = g.first[d], g.first[c]
        if dv == nil and cv ~= nil then return false end
        local k = type(dv):sub(1, 1) .. tostring(dv)
        if map[k] == nil then map[k] = { cv } elseif map[k][1] ~= cv then return false end
      end
      return true
    end
    for j = #order, 1, -1 do
      for i, d in ipairs(order) do
        if i ~= j and determines(d, order[j]) then table.remove(order, j); break end
      end
    end
    named = order
  end
  for _, g in ipairs(list) do
    local parts = {}
    for _, c in ipairs(named) do
      if by or g.first[c] ~= nil then parts[#parts + 1] = c .. "=" .. P.show(g.first[c]) end
    end
    if #named == 0 then
      g.label = t.have.overseer and P.show(g.first.overseer) or "all runs"
    elseif #named == 1 and named[1] == "overseer" then
      g.label = P.show(g.values.overseer)
    elseif #parts == 0 then
      g.label = "default"
    else
      g.label = table.concat(parts, ", ")
    end
  end
  t.groups, t.by, t.unit, t.named = list, cols, unit, named
  return list, cols, named
end

-- "8 seeds", or "3–5 seeds" when the lines differ: counted per line
function P.seeds_text(groups, from)
  local lo, hi = math.huge, 0
  for _, g in ipairs(groups) do lo, hi = math.min(lo, g.n), math.max(hi, g.n) end
  local unit = table_of(from).unit or "seed"
  if hi == 0 then return "no " .. unit .. "s" end
  if lo == hi then return P.plural(hi, unit) end
  return string.format("%d–%d %ss", lo, hi, unit)
end

-- "naive_rlhf on hidden_bug": the experiment, and the scenarios of the
-- table's rows (else the CSV's)
function P.name(from)
  local sc = P.distinct("scenario", from)
  if #sc == 0 and from then sc = P.distinct("scenario") end
  if #sc == 0 then return experiment end
  local shown = {}
  for i, s in ipairs(sc) do shown[i] = P.show(s) end
  return experiment .. " on " .. table.concat(shown, ", ")
end

-- Mean, min and max of column y over the runs (seeds) of each x, for rows
-- where column `by` equals `value` (`by` may be a function of the row instead,
-- true for the rows to take): { {x, mean, min, max}, ... } sorted by x, and
-- the largest number of rows behind one point. Rows: the CSV's, or `from`.
function P.band(sel, value, x, y, from)
  local acc, xs = {}, {}
  local path = table_of(from).path
  local take = type(sel) == "function" and sel or function(r) return r[sel] == value end
  for i, r in ipairs(from or rows) do
    if take(r) then
      local xv, yv = num(r, i, x, path), num(r, i, y, path)
      -- a point at infinity (an undiscoverable slot's difficulty) cannot be drawn
      if xv and yv and math.abs(xv) ~= math.huge and math.abs(yv) ~= math.huge then
        local a = acc[xv]
        if not a then a = { n = 0, s = 0, lo = yv, hi = yv }; acc[xv] = a; xs[#xs + 1] = xv end
        a.n, a.s = a.n + 1, a.s + yv
        a.lo, a.hi = math.min(a.lo, yv), math.max(a.hi, yv)
      end
    end
  end
  table.sort(xs)
  local pts, runs = {}, 0
  for _, xv in ipairs(xs) do
    local a = acc[xv]
    pts[#pts + 1] = { xv, a.s / a.n, a.lo, a.hi }
    runs = math.max(runs, a.n)
  end
  return pts, runs
end

-- the smallest min and largest max over the bands (lo > hi when empty)
function P.extent(bands)
  local lo, hi = math.huge, -math.huge
  for _, b in ipairs(bands) do
    for _, p in ipairs(b) do lo, hi = math.min(lo, p[3]), math.max(hi, p[4]) end
  end
  return lo, hi
end

-- the range [lo, hi] over the bands' min and max, widened by a margin (a
-- share of the span) and, at the top, by headroom (room for the legend)
function P.range(bands, margin, headroom)
  local lo, hi = P.extent(bands)
  if lo > hi then return 0, 1 end
  local span = hi - lo
  if span == 0 then span = 1 end
  local m = span * (margin or 0.05)
  return lo - m, hi + m + span * (headroom or 0)
end

-- a gnuplot datablock $name from band points (x mean min max), or from any
-- list of equally long lists of numbers
function P.block(name, pts)
  local t = { "$" .. name .. " << EOD" }
  for _, p in ipairs(pts) do
    local cells, finite = {}, true
    for j, v in ipairs(p) do
      cells[j] = string.format("%.10g", v)
      finite = finite and v == v and math.abs(v) ~= math.huge
    end
    -- gnuplot reads "inf" as a variable: a row that is not finite is left out
    if finite then t[#t + 1] = table.concat(cells, " ") end
  end
  t[#t + 1] = "EOD"
  return table.concat(t, "\n")
end

-- mean, min and max of a list of numbers (nil for an empty list)
function P.stats(list)
  if #list == 0 then return nil end
  local s, lo, hi = 0, math.huge, -math.huge
  for _, v in ipairs(list) do s, lo, hi = s + v, math.min(lo, v), math.max(hi, v) end
  return s / #list, lo, hi
end

-- the last round's row of each run (column `run`, largest `round`), in the
-- order the runs first appear
function P.finals(from)
  local last, order = {}, {}
  for _, r in ipairs(from or rows) do
    local k = r.run
    if k ~= nil then
      if not last[k] then order[#order + 1] = k end
      if not last[k] or (r.round or 0) >= (last[k].round or 0) then last[k] = r end
    end
  end
  local list = {}
  for i, k in ipairs(order) do list[i] = last[k] end
  return list
end

-- "round (64 labels per round)" when the rows say how many labels a round
-- has (column labels_per_round, else labels at round 1) and every row agrees,
-- else "round"
function P.round_label(from)
  local n
  for _, r in ipairs(from or rows) do
    local k = type(r.labels_per_round) == "number" and r.labels_per_round
      or (r.round == 1 and type(r.labels) == "number" and r.labels) or nil
    if k then
      if n and n ~= k then return "round" end
      n = k
    end
  end
  return n and string.format("round (%d labels per round)", n) or "round"
end

-- "n thing" / "n things"
function P.plural(n, thing)
  return string.format("%d %s%s", n, thing, n == 1 and "" or "s")
end

-- plot elements for one band: the min–max area, then the mean line on top
function P.band_plot(name, color, title, opts)
  opts = opts or {}
  local axes = opts.axes and (" axes " .. opts.axes) or ""
  local dash = opts.dash and (" dt " .. opts.dash) or ""
  return string.format("$%s using 1:3:4%s with filledcurves fc rgb %s fs transparent solid 0.18 "
    .. "noborder notitle, $%s using 1:2%s with lines lc rgb %s lw 2%s title %s",
    name, axes, P.q(color), name, axes, P.q(color), dash, P.q(title))
end

-- A legend entry that explains the bands: text only (no sample), since each
-- band is shaded in its own line's colour and a grey swatch would mislead.
-- `runs` is a number of seeds or a text ("3–5 seeds").
function P.band_key(runs, what)
  local n = type(runs) == "number" and P.plural(runs, "seed") or runs
  return string.format("keyentry with lines lt nodraw title %s",
                       P.q(string.format("band: %s over %s",
                                         what or "min–max", n)))
end

----------------------------------------------------------------------------
-- which figures: a policy or critic table gets its standard figure; any other
-- table its module's figures, then the standard per-round figures it has the
-- columns for (a module's figure of the same name replaces the standard one)
local function load_module(path)
  local chunk, err = loadfile(path, "t")
  if not chunk then fail("plot: %s", err) end
  local ok2, list = pcall(chunk, P)
  if not ok2 then fail("plot: %s", list) end
  if type(list) ~= "table" then
    fail("plot: %s must return a list of figures (got %s)", path, type(list))
  end
  for i, fig in ipairs(list) do
    if type(fig) ~= "table" or type(fig.name) ~= "string" or type(fig.draw) ~= "function" then
      fail("plot: %s: figure %d needs a name and a draw function", path, i)
    end
    fig.needs = fig.needs or {}
    fig.what = fig.what or fig.name
  end
  return list
end
local standard = load_module(here .. "/standard.lua")
P.standard = standard -- for modules that draw the standard figures as their own

-- the first column a figure needs that the CSV lacks
local function missing_of(fig)
  for _, c in ipairs(fig.needs) do
    if not have[c] then return c end
  end
end

local figures = {}
if kind ~= "rounds" then
  figures = standard[kind]
else
  local taken, with_standard = {}, true
  if module_path then
    local mod = load_module(module_path)
    -- a module whose rows are not runs' rounds (overoptimization's points
    -- along a path) says standard = false: its figures are the only ones
    with_standard = mod.standard ~= false
    for _, fig in ipairs(mod) do
      local col = missing_of(fig)
      if col then
        -- a table a script wrote beside its CSV (assistance_levels.csv) has
        -- the script's manifest but not the CSV's columns: point at the CSV
        local stem = base:match("^(.+)_[^_]+$")
        local hint = stem and exists(csv_dir .. "/" .. stem .. ".csv")
          and string.format("; %s is a table beside %s/%s.csv, plot that", csv, csv_dir, stem)
          or ""
        fail("%s: no column '%s' (the %s figure '%s' needs it%s)", csv, col, experiment,
             fig.name, hint)
      end
      figures[#figures + 1] = fig
      taken[fig.name] = true
    end
  end
  -- a standard figure of a table beside the CSV is left to the module when
  -- one of its figures reads that table (assistance's frontier: _critics)
  for _, fig in ipairs(figures) do
    if fig.beside then taken["table " .. fig.beside.table] = true end
  end
  for _, fig in ipairs(with_standard and standard.rounds or {}) do
    if not taken[fig.name] and not missing_of(fig)
      and not (fig.beside and taken["table " .. fig.beside.table]) then
      figures[#figures + 1] = fig
    end
  end
end
if #rows == 0 then fail("%s: no rows to plot", csv) end

-- tables beside the CSV that figures read (<base>_<table>.csv): read and
-- checked now, before anything is drawn; a figure whose table is absent is
-- skipped (when_absent = "skip", the default) or drawn without it
local beside, skipped = {}, {}
do
  local kept = {}
  for _, fig in ipairs(figures) do
    local b, keep = fig.beside, true
    if b and beside[b.table] == nil then
      local path = string.format("%s/%s_%s.csv", csv_dir, base, b.table)
      if exists(path) then
        local ok2, brows, bcols = pcall(oversim.read_csv, path, { beside = csv })
        if not ok2 then fail("%s", brows) end
        local t = { rows = brows, columns = bcols, have = {}, path = path }
        for _, c in ipairs(bcols) do t.have[c] = true end
        t.kind = kind_of(t.have)
        beside[b.table] = t
        tables[brows] = t
      else
        beside[b.table] = false
      end
    end
    if b then
      local t = beside[b.table]
      if t then
        for _, c in ipairs(b.needs or {}) do
          if not t.have[c] then
            fail("%s: no column '%s' (the %s figure '%s' needs it)", t.path, c, experiment,
                 fig.name)
          end
        end
      elseif b.when_absent == "quiet" then
        keep = false -- an optional figure: nothing to say when its table is absent
      elseif (b.when_absent or "skip") == "skip" then
        keep = false
        skipped[#skipped + 1] = { fig = fig,
          path = string.format("%s/%s_%s.csv", csv_dir, base, b.table) }
      end
    end
    if keep then kept[#kept + 1] = fig end
  end
  figures = kept
end
-- nothing to draw: not a policy or critic table, no module, no standard columns
if #figures == 0 and #skipped == 0 then
  local std = {}
  for _, k in ipairs{ "rounds", "policy", "critics" } do
    local need = k == "rounds" and standard.rounds[1].needs or KIND_COLUMNS[k]
    std[#std + 1] = string.format("%s (%s)", k == "rounds" and "per round" or "a " .. k
      .. " table", table.concat(need, ", "))
  end
  fail("%s: no figures: no figure module for experiment '%s' (%s.plot.lua beside its "
       .. "script, or %s/%s.lua), and not the columns of any standard figure: %s", csv,
       experiment, experiment, here, experiment, table.concat(std, "; "))
end

----------------------------------------------------------------------------
-- drawing: each figure into temporary files, renamed when all succeeded
local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function run_ok(cmd)
  local ok = os.execute(cmd)
  return ok == true or ok == 0
end

if not run_ok("command -v gnuplot >/dev/null 2>&1") then
  fail("plot: gnuplot not found; install it (Debian: apt-get install gnuplot-nox; "
       .. "./run.sh installs it)")
end
if not run_ok("mkdir -p " .. sh_quote(out) .. " 2>/dev/null") then
  fail("plot: cannot create folder '%s'", out)
end

-- a unique suffix for temporary names (os.tmpname's file is unique per call)
local tag
do
  local t = os.tmpname()
  os.remove(t)
  tag = ".tmp-" .. t:match("([^/]*)$")
end
local temps, done = {}, {}
local function cleanup()
  for _, t in ipairs(temps) do os.remove(t) end
end

local function draw(fig)
  local side = fig.beside and beside[fig.beside.table]
  local body, w, h = fig.draw(P, rows, side and side.rows or nil)
  local files = {}
  local parts = { "set encoding utf8" }
  for _, ext in ipairs{ "svg", "png" } do
    local final = string.format("%s/%s_%s.%s", out, base, fig.name, ext)
    local temp = string.format("%s/.%s_%s%s.%s", out, base, fig.name, tag, ext)
    temps[#temps + 1] = temp
    files[#files + 1] = { temp, final }
    if ext == "svg" then
      parts[#parts + 1] = string.format("set terminal svg size %d,%d font 'sans,13' "
        .. "noenhanced background rgb 'white'", w, h)
    else
      parts[#parts + 1] = string.format("set terminal pngcairo size %d,%d font 'sans,11' "
        .. "noenhanced background rgb 'white'", w, h)
    end
    parts[#parts + 1] = "set output " .. P.q(temp)
    parts[#parts + 1] = "reset"
    parts[#parts + 1] = body
    parts[#parts + 1] = "unset multiplot"
    parts[#parts + 1] = "unset output"
  end
  local gp, err = os.tmpname(), os.tmpname()
  local f = assert(io.open(gp, "w"))
  f:write(table.concat(parts, "\n"), "\n")
  f:close()
  local ok = run_ok(string.format("gnuplot %s 2>%s", sh_quote(gp), sh_quote(err)))
  local msg = ""
  local ef = io.open(err)
  if ef then msg = ef:read("a"); ef:close() end
  os.remove(gp)
  os.remove(err)
  if not ok then
    cleanup()
    -- gnuplot's own message, on one line
    msg = msg:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    fail("plot: gnuplot failed on figure '%s' of %s: %s", fig.name, csv, msg)
  end
  for _, pair in ipairs(files) do
    local fh = io.open(pair[1], "rb")
    local size = fh and fh:seek("end") or 0
    if fh then fh:close() end
    if size == 0 then
      cleanup()
      fail("plot: gnuplot wrote nothing for figure '%s' of %s", fig.name, csv)
    end
    done[#done + 1] = pair
  end
end

-- any error while drawing (gnuplot's, or a figure module's) removes every
-- temporary file made so far
local drawn, draw_err = pcall(function()
  for _, fig in ipairs(figures) do draw(fig) end
end)
if not drawn then cleanup(); error(draw_err, 0) end
for _, pair in ipairs(done) do
  local ok, e = os.rename(pair[1], pair[2])
  if not ok then cleanup(); fail("plot: %s", e) end
end

-- what the lines of the standard figures are: how many, grouped by what,
-- over how many seeds
local what = ""
for _, list in pairs(standard) do
  for _, sfig in ipairs(list) do
    for _, fig in ipairs(figures) do
      if fig == sfig and what == "" then
        -- named by the columns the legend uses (those the others do not imply)
        local groups, _, gcols = P.groups()
        what = #groups == 1 and string.format(": 1 line, %s", P.seeds_text(groups))
          or string.format(": %s by %s, %s each", P.plural(#groups, "line"),
                           table.concat(gcols, ", "), P.seeds_text(groups))
      end
    end
  end
end
print(string.format("figures for %s (%s%s) in %s/:", experiment, csv, what, out))
local width = 0
for _, fig in ipairs(figures) do width = math.max(width, #(base .. fig.name) + 11) end
for _, fig in ipairs(figures) do
  print(string.format("  %-" .. width .. "s %s", base .. "_" .. fig.name .. ".svg .png", fig.what))
end
for _, s in ipairs(skipped) do
  print(string.format("  (not drawn: %s_%s, which needs %s)", base, s.fig.name, s.path))
end
if what ~= "" and not by and #P.groups() > 12 then
  print(string.format("  (%d lines: --by with fewer columns, e.g. --by %s, groups them)",
                      #P.groups(), select(2, P.groups())[1]))
end
if suggested then
  print(string.format("  (not run: %s, the figure module beside the script the manifest names; "
                      .. "it is code: to draw its figures, plot with --figures %s)", suggested,
                      suggested))
end
if by and module_path then
  print(string.format("  (--by groups the lines of the standard figures; %s's own figures "
                      .. "group as %s does)", experiment, module_path))
end
