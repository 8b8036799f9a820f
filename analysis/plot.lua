-- analysis/plot.lua — an experiment's CSV to figures (SVG and PNG) with gnuplot.
--
--   oversim plot results/naive_rlhf.csv [--out DIR]
--
-- The CLI runs this file with oversim.args.csv (and .out). Which figures to
-- draw depends on the experiment that wrote the CSV: the `script:` line of
-- the manifest beside it (else the CSV's own name) names a figure module
-- analysis/<experiment>.lua beside this file. A module returns a list of
-- figures { name, needs = {columns}, what = "one line", draw = function(P, rows) }
-- where draw returns gnuplot commands (terminal-independent) and a size.
-- A figure may also read a table the script wrote beside its CSV
-- (beside = { table = "levels", needs = {columns}, when_absent = "skip" or
-- "draw" }: <name>_levels.csv); its rows come to draw as a third argument.
-- Every column a figure needs is checked before anything is drawn, and the
-- figures are drawn into temporary files that are renamed into place only when
-- all of them succeeded: a failed plot leaves the folder as it was.
local args = oversim.args

-- experiments with figures (each has analysis/<name>.lua); add yours here
local KNOWN = { "naive_rlhf", "assistance", "optimisers", "overoptimization",
                "label_efficiency" }

local function fail(fmt, ...)
  error(string.format(fmt, ...), 0) -- level 0: the message names the CSV itself
end

local csv = args.csv and tostring(args.csv)
if not csv then fail("plot: no CSV given (oversim plot FILE.csv [--out DIR])") end
local csv_dir = csv:match("^(.*)/[^/]*$") or "."
local base = csv:match("([^/]*)$"):gsub("%.csv$", "")
local out = args.out and tostring(args.out) or (csv_dir .. "/figures")
local here = (oversim.script:match("^(.*)/[^/]*$") or ".")

-- the experiment: the manifest's script, else the file's name
local function experiment_of()
  local f = io.open(csv .. ".manifest")
  if f then
    local text = f:read("a")
    f:close()
    local script = text:match("\nscript: ([^\n]*)")
    if script and script ~= "" then
      return (script:match("([^/]*)$"):gsub("%.lua$", "")), "its manifest's script"
    end
  end
  return base, "its file name"
end

local fh, open_err = io.open(csv)
if not fh then fail("plot: cannot read %s", open_err) end
fh:close()
-- called through pcall so that errors name the CSV, not this file's line
local ok, rows, columns = pcall(oversim.read_csv, csv)
if not ok then fail("%s", rows) end
local have = {}
for _, c in ipairs(columns) do have[c] = true end

-- the first column a list of figures needs that the CSV lacks, and its figure
local function missing(figures)
  for _, fig in ipairs(figures) do
    for _, c in ipairs(fig.needs) do
      if not have[c] then return c, fig end
    end
  end
end

-- how many distinct columns a list of figures needs (the more, the more
-- specific the experiment)
local function specificity(figures)
  local seen, n = {}, 0
  for _, fig in ipairs(figures) do
    for _, c in ipairs(fig.needs) do
      if not seen[c] then seen[c] = true; n = n + 1 end
    end
  end
  return n
end

-- A known experiment gets its figures, and a missing column is an error.
-- Otherwise (a renamed CSV without its manifest) the columns choose: of the
-- experiments whose figures find every column they need, the most specific.
local experiment, source = experiment_of()
local figures
local function load(name) return dofile(here .. "/" .. name .. ".lua") end
for _, k in ipairs(KNOWN) do
  if k == experiment then figures = load(k) end
end
if figures then
  local col, fig = missing(figures)
  if col then
    -- a table a script wrote beside its CSV (naive_rlhf_policy.csv) has the
    -- script's manifest but not the CSV's columns: point at the CSV
    local stem = base:match("^" .. experiment:gsub("%p", "%%%0") .. "_.")
    local hint = stem and string.format("; %s is a table beside %s/%s.csv, plot that",
                                        csv, csv_dir, experiment) or ""
    fail("%s: no column '%s' (the %s figure '%s' needs it%s)", csv, col, experiment,
         fig.name, hint)
  end
else
  -- of the experiments whose figures fit, the one that needs the most columns
  -- (an assistance CSV has every column naive_rlhf's figures need, too)
  local best = -1
  for _, k in ipairs(KNOWN) do
    local f = load(k)
    if not missing(f) and specificity(f) > best then
      figures, experiment, best = f, k, specificity(f)
    end
  end
  if not figures then
    fail("%s: no figures for experiment '%s' (named by %s), and its columns fit none of: %s",
         csv, experiment, source, table.concat(KNOWN, ", "))
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
      local f = io.open(path)
      if f then
        f:close()
        local ok2, brows, bcols = pcall(oversim.read_csv, path)
        if not ok2 then fail("%s", brows) end
        beside[b.table] = { rows = brows, have = {}, path = path }
        for _, c in ipairs(bcols) do beside[b.table].have[c] = true end
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

----------------------------------------------------------------------------
-- P: what figure modules use
local P = { csv = csv, experiment = experiment }

-- colour-blind-safe (Okabe–Ito), in order of first appearance of a group
P.palette = { "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9",
              "#000000", "#F0E442" }

-- a gnuplot string literal (double quotes, so that \n in titles breaks lines)
function P.q(s)
  s = tostring(s):gsub('\\', '\\\\'):gsub('"', '\\"'):gsub("\n", "\\n")
  return '"' .. s .. '"'
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

-- the file a list of rows came from (the CSV, or a table beside it)
local function path_of(from)
  if from and from ~= rows then
    for _, t in pairs(beside) do
      if t and t.rows == from then return t.path end
    end
  end
  return csv
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
P.num = function(r, i, col, from) return num(r, i, col, path_of(from)) end

-- Mean, min and max of column y over the runs (seeds) of each x, for rows
-- where column `by` equals `value` (`by` may be a function of the row instead,
-- true for the rows to take): { {x, mean, min, max}, ... } sorted by x, and
-- the largest number of runs behind one point. Rows: the CSV's, or `from`.
function P.band(by, value, x, y, from)
  local acc, xs = {}, {}
  local path = path_of(from)
  local take = type(by) == "function" and by or function(r) return r[by] == value end
  for i, r in ipairs(from or rows) do
    if take(r) then
      local xv, yv = num(r, i, x, path), num(r, i, y, path)
      if xv and yv then
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
    local cells = {}
    for j, v in ipairs(p) do cells[j] = string.format("%.10g", v) end
    t[#t + 1] = table.concat(cells, " ")
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
-- has (column labels_per_round, else labels at round 1), else "round"
function P.round_label(from)
  for _, r in ipairs(from or rows) do
    if type(r.labels_per_round) == "number" then
      return string.format("round (%d labels per round)", r.labels_per_round)
    end
    if r.round == 1 and type(r.labels) == "number" then
      return string.format("round (%d labels per round)", r.labels)
    end
  end
  return "round"
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

-- a legend entry that explains the bands
function P.band_key(runs)
  return string.format("keyentry with filledcurves fc rgb '#999999' fs transparent solid 0.3 "
    .. "noborder title %s", P.q("min–max over " .. P.plural(runs, "seed")))
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

local what = ""
if have.overseer and have.seed then
  local n = #P.distinct("overseer")
  what = ", " .. (n > 1 and (P.plural(n, "overseer") .. " x ") or "")
    .. P.plural(#P.distinct("seed"), "seed")
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
