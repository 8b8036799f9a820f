-- analysis/label_efficiency.lua — the figures of scripts/label_efficiency.lua
-- (run by analysis/plot.lua, which checks the columns in `needs` and writes the
-- files): a few accurate labels from an expert, or many noisy ones from a
-- crowd? Each (overseer, query) is a mean line over seeds with a min–max band,
-- never one line per seed; the overseer sets the colour, the query the dash.

-- colours for the script's overseers; any other takes the next palette colour
local OVERSEER_COLOR = { expert = "#0072B2", crowd = "#009E73", ["crowd-shallow"] = "#D55E00" }

-- what a query strategy is, for a panel's title
local QUERY_TITLE = {
  uniform = "uniform queries (pairs drawn from the policy)",
  disagreement = "disagreement queries (the pairs the ensemble disagrees on most)",
}

-- the overseers in the order they first appear, each with its colour and
-- legend title (with its price a label)
local function overseers(P, rows)
  local price = {}
  for _, r in ipairs(rows) do price[r.overseer] = price[r.overseer] or r.label_price end
  local list, spare = {}, 0
  for _, o in ipairs(P.distinct("overseer")) do
    local col = OVERSEER_COLOR[o]
    if not col then
      spare = spare + 1
      col = P.palette[(spare + 3) % #P.palette + 1]
    end
    list[#list + 1] = { name = o, color = col,
      title = string.format("%s (%s a label)", o, tostring(price[o] or "?")) }
  end
  return list
end

-- "random_flaws, 20 rounds of 160 cost units for every overseer, reward
-- model: linear ensemble of 5"
local function subtitle(P, rows)
  local budget
  for _, r in ipairs(rows) do
    if r.round == 1 then budget = r.label_cost; break end
  end
  local r = rows[1]
  return string.format("%s, %d rounds of %s cost units each for every overseer; reward model: "
    .. "%s ensemble of %s", tostring(r.scenario), P.finals()[1].round or 0,
    string.format("%g", budget or 0), tostring(r.rm), tostring(r.ensemble))
end

-- for query q, one band per overseer of column y against column x (rows
-- where keep(r), if given): datablocks, plot elements, bands, the number of
-- seeds
local function bands_of(P, rows, prefix, q, x, y, keep)
  local blocks, elems, bands, runs = {}, {}, {}, 0
  for i, o in ipairs(overseers(P, rows)) do
    local pts, n = P.band(function(r)
      return r.overseer == o.name and r.query == q and (not keep or keep(r))
    end, nil, x, y)
    runs = math.max(runs, n)
    local name = prefix .. i
    blocks[#blocks + 1] = P.block(name, pts)
    elems[#elems + 1] = P.band_plot(name, o.color, o.title)
    bands[#bands + 1] = pts
  end
  return blocks, elems, bands, runs
end

-- the largest x over the bands (1 when there is none)
local function x_max(bands)
  local hi = 0
  for _, b in ipairs(bands) do
    for _, p in ipairs(b) do hi = math.max(hi, p[1]) end
  end
  return hi > 0 and hi or 1
end

-- x tics 1, 2, 5 per decade from lo to hi (gnuplot labels only the decades)
local function log_tics(lo, hi)
  local t = {}
  for k = math.floor(math.log(lo, 10)), math.ceil(math.log(hi, 10)) do
    for _, m in ipairs{ 1, 2, 5 } do
      local v = m * 10 ^ k
      if v >= lo and v <= hi then t[#t + 1] = string.format("%g", v) end
    end
  end
  return #t > 0 and ("set xtics (" .. table.concat(t, ", ") .. ")") or "set xtics auto"
end

local function query_title(q) return QUERY_TITLE[q] or (tostring(q) .. " queries") end

local value = {
  name = "value",
  what = "true value against labels (log scale) and against label cost, a panel per query",
  needs = { "scenario", "overseer", "query", "seed", "round", "labels", "label_cost",
            "label_price", "true_value", "rm", "ensemble" },
}
function value.draw(P, rows)
  -- per query: labels on a log scale (the expert's are a tenth of the
  -- crowd's), so the round before any label (labels = 0) is left out of that
  -- panel; and label cost
  local queries = P.distinct("query")
  local blocks, panels, all, runs = {}, {}, {}, 0
  local llo, lhi, chi = math.huge, -math.huge, 1
  for qi, q in ipairs(queries) do
    local lb, lplot, lbands, n = bands_of(P, rows, "l" .. qi .. "_", q, "labels", "true_value",
                                          function(r) return r.labels > 0 end)
    local cb, cplot, cbands = bands_of(P, rows, "c" .. qi .. "_", q, "label_cost", "true_value")
    runs = math.max(runs, n)
    for _, b in ipairs(lbands) do
      all[#all + 1] = b
      for _, p in ipairs(b) do llo, lhi = math.min(llo, p[1]), math.max(lhi, p[1]) end
    end
    for _, b in ipairs(cbands) do all[#all + 1] = b end
    chi = math.max(chi, x_max(cbands))
    blocks[#blocks + 1] = table.concat(lb, "\n")
    blocks[#blocks + 1] = table.concat(cb, "\n")
    panels[#panels + 1] = { q = q, lplot = lplot, cplot = cplot }
  end
  if llo > lhi then llo, lhi = 1, 10 end
  local lo, hi = P.range(all, 0.05, 0.0)
  local rowsn = #panels
  -- margins in pixels over the height: at the bottom the last row's x
  -- labels and one key for every panel, at the top the title's three lines
  local height = 240 + 440 * rowsn
  local g = {
    table.concat(blocks, "\n"),
    string.format("set multiplot layout %d,2 margins 0.06,0.98,%.4f,%.4f spacing 0.07,%.4f "
      .. "title %s", rowsn, 130 / height, 1 - 110 / height, 95 / height,
      P.q(string.format("label efficiency: a few accurate labels (expert) or many noisy "
      .. "ones (crowd)?\n%s\nline: mean over %s; band: min–max", subtitle(P, rows),
      P.plural(runs, "seed")))),
    "set grid",
    "set ylabel " .. P.q("true value E[v*] (value units)"),
    string.format("set yrange [%.6g:%.6g]", lo, hi),
  }
  for qi, p in ipairs(panels) do
    if qi == 1 then
      p.lplot[#p.lplot + 1] = P.band_key(runs)
      g[#g + 1] = "set key at screen 0.5, screen 0.01 center bottom horizontal box font ',11'"
    else
      g[#g + 1] = "unset key"
    end
    g[#g + 1] = table.concat({
      "set title " .. P.q(query_title(p.q) .. ": against labels"),
      "set xlabel " .. P.q("labels so far (count, log scale; from the first round)"),
      "set logscale x 10", "set format x '%g'", log_tics(llo / 1.2, lhi * 1.2),
      string.format("set xrange [%.6g:%.6g]", llo / 1.2, lhi * 1.2),
      "plot " .. table.concat(p.lplot, ", \\\n  "),
      "unset key", "unset logscale x", "set xtics auto",
      "set title " .. P.q(query_title(p.q) .. ": against label cost"),
      "set xlabel " .. P.q("label cost so far (cost units: a crowd label costs 1)"),
      string.format("set xrange [0:%.6g]", chi * 1.02),
      "plot " .. table.concat(p.cplot, ", \\\n  "),
    }, "\n")
  end
  return table.concat(g, "\n"), 1500, height
end

local deception = {
  name = "deception",
  what = "deception rate against label cost, a panel per query",
  needs = { "scenario", "overseer", "query", "seed", "round", "label_cost", "label_price",
            "deception_rate", "rm", "ensemble" },
}
function deception.draw(P, rows)
  local queries = P.distinct("query")
  local blocks, panels, all, runs, chi = {}, {}, {}, 0, 1
  for qi, q in ipairs(queries) do
    local b, plot, bands, n = bands_of(P, rows, "d" .. qi .. "_", q, "label_cost",
                                       "deception_rate")
    runs = math.max(runs, n)
    for _, x in ipairs(bands) do all[#all + 1] = x end
    chi = math.max(chi, x_max(bands))
    blocks[#blocks + 1] = table.concat(b, "\n")
    panels[#panels + 1] = { q = q, plot = plot }
  end
  local _, hi = P.range(all, 0.05, 0.0)
  local g = {
    table.concat(blocks, "\n"),
    string.format("set multiplot layout 1,%d margins 0.07,0.98,0.16,0.8 spacing 0.07,0 "
      .. "title %s", #panels, P.q(string.format("label efficiency: deception rate against "
      .. "label cost: does spending more on labels remove it?\n%s\nline: mean over %s; "
      .. "band: min–max", subtitle(P, rows), P.plural(runs, "seed")))),
    "set xlabel " .. P.q("label cost so far (cost units: a crowd label costs 1)"),
    "set ylabel " .. P.q("deception rate (probability of a deceptive output)"),
    string.format("set xrange [0:%.6g]", chi * 1.02),
    string.format("set yrange [-0.02:%.6g]", math.min(1.02, math.max(hi, 0.05))),
    "set grid",
  }
  for qi, p in ipairs(panels) do
    if qi == 1 then
      p.plot[#p.plot + 1] = P.band_key(runs)
      g[#g + 1] = "set key at screen 0.5, screen 0.01 center bottom horizontal box font ',11'"
    else
      g[#g + 1] = "unset key"
    end
    g[#g + 1] = "set title " .. P.q(query_title(p.q))
    g[#g + 1] = "plot " .. table.concat(p.plot, ", \\\n  ")
  end
  return table.concat(g, "\n"), 700 * #panels, 620
end

return { value, deception }
