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
-- every metric column a run writes: one list, core/metrics.h's (and an
-- episode run's, core/eptrain.h's)
for _, c in ipairs(oversim.columns.metrics) do MEASURES.all[#MEASURES.all + 1] = c end
for _, c in ipairs(oversim.columns.episodes) do MEASURES.all[#MEASURES.all + 1] = c end
-- an episode policy table's (oversim.train_episodes' second value)
for _, c in ipairs{ "state", "action", "row", "col", "supervised", "tomatoes", "watched",
                    "terminal", "prior", "probability", "visits", "reward", "vstar",
                    "looks" } do
  MEASURES.all[#MEASURES.all + 1] = c
end
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
-- (analysis/<name>.lua). plot, standard and figlib are this folder's own files.
-- A module is code: oversim runs its own (analysis/) and one you name with
-- --figures; a module beside the script a manifest names (a file anyone
-- sharing results could put there) is only suggested, never run unasked.
local RESERVED = { plot = true, standard = true, figlib = true, README = true }
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
-- P: what figure modules use (analysis/figlib.lua)
local figlib = assert(loadfile(here .. "/figlib.lua", "t"))()
local P, add_table = figlib.new{ csv = csv, experiment = experiment, kind = kind, rows = rows,
                                 columns = columns, have = have, by = by, fail = fail,
                                 measures = MEASURES }

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
        add_table(brows, t)
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
