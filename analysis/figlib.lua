-- analysis/figlib.lua — P, the helpers every figure module is called with
-- (analysis/plot.lua reads the CSV and draws; this file only answers
-- questions about the tables it read: lines, bands, ranges, gnuplot
-- literals). new(ctx) makes them for one plot: ctx has csv (its path),
-- experiment, kind, rows, columns, have (column -> true), by (the --by
-- columns, or nil), measures (columns that are never a configuration, per
-- table kind) and fail (raises a one-line error). It returns P and
-- add_table(rows, t), by which plot.lua registers a table read beside the
-- CSV, so that helpers given its rows as `from` know its columns and file.
local M = {}

function M.new(ctx)
  local csv, experiment, rows, by, fail = ctx.csv, ctx.experiment, ctx.rows, ctx.by, ctx.fail
  local MEASURES = ctx.measures
  local P = { csv = csv, experiment = experiment, kind = ctx.kind }

  -- every table read: the CSV, and tables beside it that figures read (by
  -- their rows, so that helpers given `from` know its columns and file)
  local main = { rows = rows, columns = ctx.columns, have = ctx.have, kind = ctx.kind, path = csv }
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

  -- One panel of a gridworld policy (episodes): grid is oversim.policy_grid's
  -- (positions, expected visits, move probabilities; numbers only, nothing
  -- from the CSV becomes code). Each position is a square shaded by its
  -- expected visits per episode (white: never; colour box beside), walls dark
  -- grey, a goal marked G, and from each open position an arrow per move of
  -- probability >= 0.05, its length proportional to the probability (a sure
  -- move reaches the square's edge). name: a prefix for the datablocks.
  -- Returns datablocks, then the commands of one plot (for a multiplot), with
  -- title (a user string: quoted here) and top, the colour scale's maximum.
  -- oversim.policy_grid on a table read from a CSV (`from`), its errors as
  -- one line naming the file and line: "x_policy.csv:2: row must be ..."
  function P.grid(from, opts)
    local ok, g = pcall(oversim.policy_grid, from, opts)
    if not ok then
      local i, rest = tostring(g):match("oversim%.policy_grid: row (%d+)[:]? (.*)$")
      if i then fail("%s:%d: %s", table_of(from).path or csv, tonumber(i) + 1, rest) end
      fail("%s", g)
    end
    return g
  end

  local STEP = { up = { 0, -1 }, down = { 0, 1 }, left = { -1, 0 }, right = { 1, 0 } }
  function P.grid_panel(name, grid, title, top)
    if grid.rows == 0 then -- nothing to show (no state with the supervisor away)
      return "", table.concat({ "set title " .. P.q(title), "set xrange [0:1]",
        "set yrange [1:0]", "set cbrange [0:1]", "set label 1 " .. P.q("no such states")
        .. " at 0.5,0.5 center", "plot 2 notitle", "unset label 1" }, "\n")
    end
    local heat, walls, arrows, goals = {}, {}, {}, {}
    for r = grid.row0 - 1, grid.rows + 1 do
      for c = grid.col0 - 1, grid.cols + 1 do
        local cell = grid[r] and grid[r][c]
        if not cell then
          walls[#walls + 1] = { c, r }
        else
          heat[#heat + 1] = { c, r, cell.visits }
          if cell.terminal then goals[#goals + 1] = { c, r } end
          for _, a in ipairs{ "up", "down", "left", "right" } do
            local p = cell.p[a] or 0
            if p >= 0.05 then
              local d = STEP[a]
              arrows[#arrows + 1] = { c, r, 0.46 * p * d[1], 0.46 * p * d[2] }
            end
          end
        end
      end
    end
    local blocks = table.concat({ P.block(name .. "h", heat), P.block(name .. "w", walls),
                                  P.block(name .. "a", arrows), P.block(name .. "g", goals) },
                                "\n")
    local plots = {
      string.format("$%sh using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder "
                    .. "lc palette z notitle", name),
      string.format("$%sw using 1:2:(0.5):(0.5) with boxxyerror fs solid 1.0 noborder "
                    .. "lc rgb '#555555' notitle", name),
    }
    if #arrows > 0 then
      plots[#plots + 1] = string.format("$%sa using 1:2:3:4 with vectors head filled size "
                                        .. "0.12,25 lw 2 lc rgb '#000000' notitle", name)
    end
    if #goals > 0 then
      plots[#plots + 1] = string.format("$%sg using 1:2:('G') with labels font ',16' "
                                        .. "tc rgb '#000000' notitle", name)
    end
    local cmds = {
      "set title " .. P.q(title),
      string.format("set xrange [%g:%g]", grid.col0 - 1.5, grid.cols + 1.5),
      string.format("set yrange [%g:%g]", grid.rows + 1.5, grid.row0 - 1.5), -- row 1 on top
      string.format("set cbrange [0:%.6g]", top > 0 and top or 1),
      "plot " .. table.concat(plots, ", \\\n  "),
    }
    return blocks, table.concat(cmds, "\n")
  end

  -- The settings every grid figure shares: square cells, no axes, a colour
  -- box labelled with what the shade means.
  function P.grid_setup()
    return table.concat({
      "set size ratio -1", "unset xtics", "unset ytics", "unset border", "unset key",
      "set palette defined (0 '#ffffff', 1 '#fdd0a2', 2 '#fd8d3c', 3 '#a63603')",
      "set cblabel " .. P.q("expected visits per episode"),
    }, "\n")
  end

  return P, function(brows, t) tables[brows] = t end
end

return M
