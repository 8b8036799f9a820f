-- analysis/assistance.lua — the figures of scripts/assistance.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean with a min–max band (or whiskers for single
-- points), never one line per seed.

-- what a configuration is called in a legend or beside its point
local function short(r)
  if r.config == "unaided" then return "unaided" end
  if r.config == "recursive" then return string.format("depth %d", r.depth) end
  if r.honesty == 1 then return string.format("recall %.2f", r.recall) end
  return string.format("honesty %.1f", r.honesty)
end

-- the family of a configuration: how the figure groups and colours it
local function family(r)
  if r.config == "assisted" then
    return r.honesty == 1 and "assisted, recall swept (honesty 1)"
      or "assisted, recall 1, honesty < 1"
  end
  if r.config == "recursive" then return "recursive (critics trained by RLHF), by depth" end
  return tostring(r.config)
end

local FAMILY_STYLE = {
  -- colour, point type (7 circle, 5 square, 9 triangle, 13 diamond, 11 down triangle)
  ["unaided"] = { "#000000", 5 },
  ["assisted, recall swept (honesty 1)"] = { "#0072B2", 7 },
  ["assisted, recall 1, honesty < 1"] = { "#CC79A7", 11 },
  ["recursive (critics trained by RLHF), by depth"] = { "#D55E00", 9 },
}

local function subtitle(P, rows)
  local r = rows[1]
  return string.format("%s, %d rounds", r.scenario or "?", P.finals()[1].round or 0)
end

----------------------------------------------------------------------------
local tradeoff = {
  name = "tradeoff",
  what = "final deception rate and true value vs label cost, one point per configuration",
  needs = { "run", "scenario", "overseer", "seed", "round", "config", "recall", "honesty",
            "depth", "label_cost", "deception_rate", "true_value" },
}
function tradeoff.draw(P, rows)
  -- one point per configuration (overseer): mean and min–max over seeds of
  -- the final round
  local finals = P.finals()
  local order, by = {}, {}
  for _, r in ipairs(finals) do
    local k = r.overseer
    if not by[k] then by[k] = { row = r, cost = {}, dec = {}, tv = {} }; order[#order + 1] = k end
    local g = by[k]
    g.cost[#g.cost + 1] = r.label_cost
    g.dec[#g.dec + 1] = r.deception_rate
    g.tv[#g.tv + 1] = r.true_value
  end
  local fams, fam_pts, runs = {}, {}, 0
  local cost_hi = 0
  for _, k in ipairs(order) do
    local g = by[k]
    local f = family(g.row)
    if not fam_pts[f] then fam_pts[f] = {}; fams[#fams + 1] = f end
    local c = P.stats(g.cost)
    local dm, dlo, dhi = P.stats(g.dec)
    local tm, tlo, thi = P.stats(g.tv)
    table.insert(fam_pts[f], { c, dm, dlo, dhi, tm, tlo, thi, label = short(g.row),
                               sort = g.row.config == "recursive" and g.row.depth
                                 or (g.row.honesty == 1 and g.row.recall or g.row.honesty) })
    runs = math.max(runs, #g.dec)
    cost_hi = math.max(cost_hi, c)
  end
  local blocks, labels = {}, {}
  local dec_plot, tv_plot = {}, {}
  local dec_bands, tv_bands = {}, {}
  for i, f in ipairs(fams) do
    local pts = fam_pts[f]
    table.sort(pts, function(a, b) return a.sort < b.sort end)
    blocks[#blocks + 1] = P.block("f" .. i, pts)
    local style = FAMILY_STYLE[f] or { P.palette[(i - 1) % #P.palette + 1], 7 }
    local col, pt = P.q(style[1]), style[2]
    for _, which in ipairs{ { dec_plot, 2, 3, 4 }, { tv_plot, 5, 6, 7 } } do
      local list, m, lo, hi = which[1], which[2], which[3], which[4]
      list[#list + 1] = string.format("$f%d using 1:%d:%d:%d with yerrorbars lc rgb %s pt %d "
        .. "ps 1.3 lw 1.5 title %s", i, m, lo, hi, col, pt, P.q(f))
      if #pts > 1 then
        list[#list + 1] = string.format("$f%d using 1:%d with lines lc rgb %s lw 1.5 dt 2 notitle",
                                        i, m, col)
      end
    end
    local db, tb = {}, {}
    for _, p in ipairs(pts) do
      db[#db + 1] = { p[1], p[2], p[3], p[4] }
      tb[#tb + 1] = { p[1], p[5], p[6], p[7] }
    end
    dec_bands[#dec_bands + 1], tv_bands[#tv_bands + 1] = db, tb
    for _, p in ipairs(pts) do labels[#labels + 1] = { p = p, above = f == "unaided" } end
  end
  -- each point's name beside it (unaided on the left, clear of the assisted
  -- points at the next cost); points that coincide (the same cost and mean:
  -- honesty 0 and recall 0 under common random numbers) share one label
  local function merged(m)
    local out = {}
    for _, l in ipairs(labels) do
      local dup
      for _, o in ipairs(out) do
        if o.p[1] == l.p[1] and math.abs(o.p[m] - l.p[m]) < 1e-9
          and o.left == l.left then dup = o end
      end
      if dup then dup.text = dup.text .. " = " .. l.p.label
      else
        -- unaided's name above its top whisker (left of it may be off the axis)
        out[#out + 1] = { p = l.p, above = l.above, text = l.p.label,
                          y = l.above and l.p[m + 2] or l.p[m] }
      end
    end
    return out
  end
  -- labels at one cost (the assistants') kept a line apart: each is moved up
  -- as little as it takes, in the order of its point
  local function spread(list, lo, hi)
    local gap = (hi - lo) * 0.032
    local at = {}
    for _, l in ipairs(list) do
      if not l.above then
        at[l.p[1]] = at[l.p[1]] or {}
        table.insert(at[l.p[1]], l)
      end
    end
    for _, group in pairs(at) do
      table.sort(group, function(a, b) return a.y < b.y end)
      for i = 2, #group do
        if group[i].y - group[i - 1].y < gap then group[i].y = group[i - 1].y + gap end
      end
    end
    return list
  end
  -- whiskers explained in the key
  local key = string.format("keyentry with yerrorbars lc rgb '#777777' pt 7 ps 0 title %s",
                            P.q("whiskers: min–max over " .. P.plural(runs, "seed")))
  dec_plot[#dec_plot + 1], tv_plot[#tv_plot + 1] = key, key
  local function point_labels(col, lo, hi)
    local t = {}
    for j, l in ipairs(spread(merged(col), lo, hi)) do
      t[#t + 1] = string.format("set label %d %s at %.10g, %.10g %s offset %s font ',10'",
        100 + j, P.q(l.text), l.p[1], l.y, l.above and "center" or "left",
        l.above and "0,0.8" or "1.2,0")
    end
    return table.concat(t, "\n")
  end
  local dlo, dhi = P.range(dec_bands, 0.08, 0.05)
  local tlo, thi = P.range(tv_bands, 0.08, 0.05)
  local xr = string.format("set xrange [0:%.10g]", cost_hi * 1.12)
  return table.concat({
    table.concat(blocks, "\n"),
    -- room at the bottom for one key under both panels (any corner of a
    -- panel may hold points)
    "set multiplot layout 1,2 margins 0.06,0.98,0.19,0.88 spacing 0.07,0 title "
      .. P.q(string.format("assistance on %s: what each "
      .. "overseer costs in labels, and what it buys (final round)\npoint: mean over %s; "
      .. "whiskers: min–max; label cost includes training the critics",
      subtitle(P, rows), P.plural(runs, "seed"))),
    "set xlabel " .. P.q("label cost over the whole run (cost units: an unaided label costs 1)"),
    xr, "set grid",
    "set key at screen 0.5, screen 0.02 center bottom horizontal maxcols 3 box "
      .. "font ',11'",
    "set title " .. P.q("deception rate: lower is safer"),
    "set ylabel " .. P.q("final deception rate (probability of a deceptive output)"),
    string.format("set yrange [%.6g:%.6g]", math.max(-0.02, dlo), math.min(1, dhi)),
    point_labels(2, dlo, dhi),
    "plot " .. table.concat(dec_plot, ", \\\n  "),
    "unset label", "unset key",
    "set title " .. P.q("true value: higher is better"),
    "set ylabel " .. P.q("final true value E[v*] (value units)"),
    string.format("set yrange [%.6g:%.6g]", tlo, thi),
    point_labels(5, tlo, thi),
    "plot " .. table.concat(tv_plot, ", \\\n  "),
  }, "\n"), 1500, 860
end

----------------------------------------------------------------------------
-- the overseers the per-round figure follows: unaided, the fully recalling
-- honest assistant, and every recursive depth
local function followed(P, rows)
  local list, seen, best = {}, {}, nil
  for _, r in ipairs(rows) do
    if r.config == "assisted" and r.honesty == 1 and (not best or r.recall > best.recall) then
      best = r
    end
  end
  for _, r in ipairs(rows) do
    local take = r.config == "unaided" or r.config == "recursive"
      or (best and r.overseer == best.overseer)
    if take and not seen[r.overseer] then
      seen[r.overseer] = true
      list[#list + 1] = r
    end
  end
  return list
end

local per_round = {
  name = "rounds",
  what = "deception rate and true value per round: unaided, best assistant, recursive depths",
  needs = { "scenario", "overseer", "seed", "round", "config", "recall", "honesty", "depth",
            "deception_rate", "true_value" },
}
function per_round.draw(P, rows)
  local list = followed(P, rows)
  -- colours: black for unaided, blue for the assistant, a light-to-dark
  -- orange ramp for depth 1..4
  local ramp = { "#F5B041", "#E67E22", "#C0392B", "#7B241C", "#4A1410" }
  local blocks, dplot, tplot, dbands, tbands, runs = {}, {}, {}, {}, {}, 0
  for i, r in ipairs(list) do
    local col
    if r.config == "unaided" then col = "#000000"
    elseif r.config == "assisted" then col = "#0072B2"
    else col = ramp[math.min(r.depth, #ramp)] end
    local d, n = P.band("overseer", r.overseer, "round", "deception_rate")
    local t = P.band("overseer", r.overseer, "round", "true_value")
    runs = math.max(runs, n)
    blocks[#blocks + 1] = P.block("d" .. i, d)
    blocks[#blocks + 1] = P.block("t" .. i, t)
    dbands[#dbands + 1], tbands[#tbands + 1] = d, t
    local name = r.config == "assisted" and string.format("assisted, recall %.2f", r.recall)
      or r.config == "recursive" and string.format("recursive, depth %d", r.depth)
      or tostring(r.overseer)
    local opts = r.config == "unaided" and { dash = 2 } or nil
    dplot[#dplot + 1] = P.band_plot("d" .. i, col, name, opts)
    tplot[#tplot + 1] = P.band_plot("t" .. i, col, name, opts)
  end
  dplot[#dplot + 1], tplot[#tplot + 1] = P.band_key(runs), P.band_key(runs)
  local _, dhi = P.range(dbands, 0.05, 0.0)
  local tlo, thi = P.range(tbands, 0.05, 0.0)
  return table.concat({
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 title " .. P.q(string.format("assistance on %s: the unaided "
      .. "human, its best assistant and recursive critics, per round\nline: mean over %s; "
      .. "band: min–max", subtitle(P, rows), P.plural(runs, "seed"))),
    "set xlabel " .. P.q(P.round_label()),
    "set grid",
    "set title " .. P.q("deception rate"),
    "set ylabel " .. P.q("deception rate (probability of a deceptive output)"),
    string.format("set yrange [%.6g:%.6g]", -0.02, math.min(1, dhi * 1.6)),
    "set key top right opaque box font ',10' maxrows 4",
    "plot " .. table.concat(dplot, ", \\\n  "),
    "set title " .. P.q("true value"),
    "set ylabel " .. P.q("true value E[v*] (value units)"),
    string.format("set yrange [%.6g:%.6g]", tlo, thi),
    "set key bottom right opaque box font ',10' maxrows 4",
    "plot " .. table.concat(tplot, ", \\\n  "),
  }, "\n"), 1500, 650
end

----------------------------------------------------------------------------
local levels = {
  name = "levels",
  what = "how each recursive level's critic learned: its true value and label accuracy per round",
  needs = {},
  beside = { table = "levels", needs = { "seed", "round", "depth", "level", "true_value",
                                         "label_accuracy" } },
}
function levels.draw(P, rows, lrows)
  local depths = P.distinct("depth", lrows)
  table.sort(depths)
  local ramp = { "#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9",
                 "#000000", "#F0E442" }
  local blocks, panels, runs = {}, {}, 0
  local tb, ab = {}, {}
  for di, d in ipairs(depths) do
    local lv, seen = {}, {}
    for _, r in ipairs(lrows) do
      if r.depth == d and not seen[r.level] then seen[r.level] = true; lv[#lv + 1] = r.level end
    end
    table.sort(lv)
    local tp, ap = {}, {}
    for _, l in ipairs(lv) do
      local sel = function(r) return r.depth == d and r.level == l end
      local t, n = P.band(sel, nil, "round", "true_value", lrows)
      local a = P.band(sel, nil, "round", "label_accuracy", lrows)
      runs = math.max(runs, n)
      local tn, an = string.format("t%d_%d", di, l), string.format("a%d_%d", di, l)
      blocks[#blocks + 1] = P.block(tn, t)
      blocks[#blocks + 1] = P.block(an, a)
      tb[#tb + 1], ab[#ab + 1] = t, a
      local col = ramp[(l - 1) % #ramp + 1]
      local title = string.format("critic %d (labelled by level %d)", l, l - 1)
      tp[#tp + 1] = P.band_plot(tn, col, title)
      ap[#ap + 1] = P.band_plot(an, col, title)
    end
    panels[#panels + 1] = { depth = d, tp = tp, ap = ap }
  end
  local tlo, thi = P.range(tb, 0.05, 0.0)
  local alo, ahi = P.range(ab, 0.05, 0.0)
  local g = {
    table.concat(blocks, "\n"),
    -- margins: room for the two-line title above the top row
    string.format("set multiplot layout 2,%d margins 0.06,0.99,0.07,0.88 spacing 0.04,0.12 "
      .. "title %s", #panels, P.q(string.format(
      "assistance: how each level's critic learned (level 0 is the human; critic j is "
      .. "trained on labels from level j-1)\nline: mean over %s; band: min–max",
      P.plural(runs, "seed")))),
    "set grid", "set key bottom right opaque box font ',9'",
    "set xlabel " .. P.q(P.round_label(lrows)),
  }
  -- the y label once per row (every panel of a row shares its scale)
  local function ylabel(i, text) return "set ylabel " .. (i == 1 and P.q(text) or '""') end
  for i, p in ipairs(panels) do
    g[#g + 1] = table.concat({
      "set title " .. P.q(string.format("depth-%d overseer: critics' true value", p.depth)),
      ylabel(i, "critic true value E[v*] (value units; = P(point))"),
      string.format("set yrange [%.6g:%.6g]", tlo, math.min(1.02, thi)),
      "plot " .. table.concat(p.tp, ", \\\n  "),
    }, "\n")
  end
  for i, p in ipairs(panels) do
    g[#g + 1] = table.concat({
      "set title " .. P.q(string.format("depth-%d overseer: accuracy of critics' labels",
                                        p.depth)),
      ylabel(i, "label accuracy (share of labels right)"),
      string.format("set yrange [%.6g:%.6g]", alo, math.min(1.02, ahi)),
      "plot " .. table.concat(p.ap, ", \\\n  "),
    }, "\n")
  end
  return table.concat(g, "\n"), 480 * #panels, 900
end

----------------------------------------------------------------------------
local frontier = {
  name = "frontier",
  what = "the discovery frontier: P(depth-k overseer sees a slot) vs slot difficulty",
  needs = {},
  beside = { table = "critics", needs = { "seed", "depth", "level", "shift", "difficulty",
                                          "detect" } },
}
function frontier.draw(P, rows, crows)
  local depths = P.distinct("depth", crows)
  table.sort(depths)
  local ramp = { "#F5B041", "#E67E22", "#C0392B", "#7B241C", "#4A1410" }
  local blocks, plot, bands, runs = {}, {}, {}, 0
  local dmax = 0
  for i, d in ipairs(depths) do
    -- what the depth-d overseer sees: its top critic at shift 0
    local sel = function(r) return r.depth == d and r.level == d and r.shift == 0 end
    local pts = P.band(sel, nil, "difficulty", "detect", crows)
    local seeds = {}
    for _, r in ipairs(crows) do if sel(r) then seeds[r.seed] = true end end
    local n = 0
    for _ in pairs(seeds) do n = n + 1 end
    runs = math.max(runs, n)
    for _, p in ipairs(pts) do dmax = math.max(dmax, p[1]) end
    blocks[#blocks + 1] = P.block("c" .. i, pts)
    local col = ramp[math.min(d, #ramp)]
    plot[#plot + 1] = P.band_plot("c" .. i, col, string.format("depth %d", d))
    plot[#plot + 1] = string.format("$c%d using 1:2 with points lc rgb %s pt 7 ps 1 notitle",
                                    i, P.q(col))
    bands[#bands + 1] = pts
  end
  plot[#plot + 1] = P.band_key("slots and " .. P.plural(runs, "seed"))
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q(string.format("assistance: the discovery frontier — how likely the "
      .. "depth-k overseer is to see a hidden fact,\nby the fact's difficulty (line: mean "
      .. "over the task's slots of that difficulty and over %s; band: min–max)",
      P.plural(runs, "seed"))),
    "set xlabel " .. P.q("slot difficulty (rung of the ladder; the human alone sees those "
      .. "up to its competence)"),
    "set ylabel " .. P.q("P(overseer sees the slot) (probability)"),
    string.format("set xrange [-0.2:%.6g]", dmax + 0.2),
    "set xtics 1", "set yrange [-0.03:1.06]", "set ytics 0,0.2,1",
    "set grid", "set key bottom left opaque box",
    "plot " .. table.concat(plot, ", \\\n  "),
  }, "\n"), 950, 600
end

return { tradeoff, per_round, levels, frontier }
