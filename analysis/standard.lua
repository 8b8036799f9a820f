-- analysis/standard.lua — the figures every table with the standard columns
-- gets, whatever script wrote it (run by analysis/plot.lua, which checks the
-- columns in `needs` and writes the files). Lines are P.groups(): by --by,
-- else by the configuration columns that vary; seeds are counted per line and
-- shown as a mean line with a min–max band, never one line per seed.
--   rounds:  values, deception, estimation (per round), and pi and detection
--            from the _policy and _critics tables beside the CSV, if there
--   policy:  pi (a _policy table: the final policy against the prior pi0)
--   critics: detection (a _critics table: P(detect) by slot difficulty)

----------------------------------------------------------------------------
-- per round

-- y from a little below 0 (a line at 0 must not hide under the axis) to hi
local function yrange_from_zero(hi)
  return string.format("set yrange [%.6g:%.6g]", -0.03 * hi, hi)
end

-- where the key goes: inside for a few lines, outside on the right for many
local function key_for(P, n, inside)
  if n <= 6 then return "set key " .. inside .. " opaque box" end
  return "set key outside right top box font ',10'"
end

-- one mean line and band per group for column col: datablocks, the plot
-- command, the bands
local function per_group(P, groups, col, prefix)
  local blocks, elems, bands = {}, {}, {}
  for i, g in ipairs(groups) do
    local pts = P.band(g.take, nil, "round", col)
    local name = prefix .. i
    blocks[#blocks + 1] = P.block(name, pts)
    elems[#elems + 1] = P.band_plot(name, P.color(i), g.label, { dash = P.dash(i) })
    bands[#bands + 1] = pts
  end
  elems[#elems + 1] = P.band_key(P.seeds_text(groups))
  return table.concat(blocks, "\n"), "plot " .. table.concat(elems, ", \\\n  "), bands
end

-- when every band is 0 everywhere, the lines lie on top of each other: say so
local function note_if_all_zero(P, bands)
  local lo, hi = P.extent(bands)
  if lo == 0 and hi == 0 then
    return "set label 1 " .. P.q("0 for every line in every round")
      .. " at graph 0.5, graph 0.5 center"
  end
  return "unset label 1"
end

local function band_note(P, groups)
  return string.format("line: mean over %s; band: min–max over those seeds",
                       P.seeds_text(groups))
end

local values = {
  name = "values",
  what = "true, perceived and proxy value per round, one panel per line",
  needs = { "seed", "round", "true_value", "perceived_value", "proxy_value" },
}
-- at most this many panels: beyond it the figure would be too large to read
local MAX_PANELS = 16

function values.draw(P, rows)
  local all_groups = P.groups()
  local groups = {}
  for i = 1, math.min(#all_groups, MAX_PANELS) do groups[i] = all_groups[i] end
  local more = #all_groups > #groups and string.format(" (the first %d of %d lines; "
    .. "--by groups fewer)", #groups, #all_groups) or ""
  local blocks, bands, proxies = {}, {}, {}
  for i, g in ipairs(groups) do
    local t = P.band(g.take, nil, "round", "true_value")
    local p = P.band(g.take, nil, "round", "perceived_value")
    local r = P.band(g.take, nil, "round", "proxy_value")
    blocks[#blocks + 1] = P.block("t" .. i, t)
    blocks[#blocks + 1] = P.block("p" .. i, p)
    blocks[#blocks + 1] = P.block("r" .. i, r)
    bands[#bands + 1], bands[#bands + 2] = t, p
    proxies[#proxies + 1] = r
  end
  -- one scale for every panel, so panels compare at a glance
  -- (headroom: the legend sits above the curves, not on them)
  local lo, hi = P.range(bands, 0.05, 0.3)
  local lo2, hi2 = P.range(proxies, 0.05, 0.3)
  local cols = math.min(#groups, 4)
  local nrows = math.ceil(#groups / cols)
  local g = { table.concat(blocks, "\n") }
  g[#g + 1] = string.format("set multiplot layout %d,%d title %s", nrows, cols,
    P.q(string.format("%s: what we wanted (true value), what the overseer believes "
      .. "(perceived), what the reward model says (proxy)%s\n%s", P.name(), more,
      band_note(P, groups))))
  for i, grp in ipairs(groups) do
    local title = grp.label:find("=") and grp.label or ("overseer: " .. grp.label)
    g[#g + 1] = table.concat({
      "set title " .. P.q(string.format("%s (%s)", title, P.plural(grp.n, "seed"))),
      "set xlabel " .. P.q(P.round_label(rows)),
      "set ylabel " .. P.q("true / perceived value (value units)"),
      "set y2label " .. P.q("proxy value E[r] (reward-model units)"),
      string.format("set yrange [%.6g:%.6g]", lo, hi),
      string.format("set y2range [%.6g:%.6g]", lo2, hi2),
      "set ytics nomirror", "set y2tics", "set grid",
      i == 1 and "set key top left opaque box font ',10'" or "unset key",
      -- perceived is dashed over true: under the oracle they coincide and
      -- both stay visible
      "plot " .. table.concat({
        P.band_plot("t" .. i, "#000000", "true value E[v*]"),
        P.band_plot("p" .. i, "#D55E00", "perceived value E[u]", { dash = 2 }),
        P.band_plot("r" .. i, "#0072B2", "proxy value E[r] (right axis)",
                    { axes = "x1y2", dash = 3 }),
      }, ", \\\n  "),
    }, "\n")
  end
  return table.concat(g, "\n"), 600 * cols, 520 * nrows + 80
end

local deception = {
  name = "deception",
  what = "deception rate per round, one line per configuration",
  needs = { "seed", "round", "deception_rate" },
}
function deception.draw(P, rows)
  local groups = P.groups()
  local blocks, plot, bands = per_group(P, groups, "deception_rate", "d")
  local _, hi = P.range(bands, 0.05, #groups <= 6 and 0.35 or 0.05)
  return table.concat({
    blocks,
    "set title " .. P.q(string.format("%s: deception rate per round\n%s", P.name(),
                                      band_note(P, groups))),
    "set xlabel " .. P.q(P.round_label(rows)),
    "set ylabel " .. P.q("deception rate (probability of a deceptive output)"),
    yrange_from_zero(math.min(1, math.max(hi, 0.05))),
    "set grid", key_for(P, #groups, "top right"),
    plot,
  }, "\n"), #groups <= 6 and 900 or 1300, 600
end

local estimation = {
  name = "estimation",
  what = "overestimation vs underestimation per round (Lang et al. 2024)",
  needs = { "seed", "round", "overestimation", "underestimation" },
}
function estimation.draw(P, rows)
  local groups = P.groups()
  local ob, oplot, obands = per_group(P, groups, "overestimation", "o")
  local ub, uplot, ubands = per_group(P, groups, "underestimation", "u")
  local all = {}
  for _, b in ipairs(obands) do all[#all + 1] = b end
  for _, b in ipairs(ubands) do all[#all + 1] = b end
  local _, hi = P.range(all, 0.05, #groups <= 6 and 0.35 or 0.05)
  local many = #groups > 6
  return table.concat({
    ob, ub,
    -- with many lines one key, right of both panels
    string.format("set multiplot layout 1,2 %s title %s", many and "margins 0.06,0.78,0.1,0.86"
      or "", P.q(string.format("%s: overestimation vs underestimation of the policy's "
      .. "outputs by the overseer (u: perceived value, v*: true value)\n%s", P.name(),
      band_note(P, groups)))),
    "set xlabel " .. P.q(P.round_label(rows)),
    yrange_from_zero(math.max(hi, 0.05)),
    "set grid",
    many and "unset key" or "set key top right opaque box",
    "set title " .. P.q("overestimation E[max(0, u − v*)]\ndeceptive inflation: above the true-optimal policy's, with perceived value"),
    "set ylabel " .. P.q("overestimation (value units)"),
    note_if_all_zero(P, obands),
    oplot,
    many and "set key at screen 0.99, screen 0.86 right top box font ',10'" or "",
    "set title " .. P.q("underestimation E[max(0, v* − u)]\noverjustification: below the true-optimal policy's, with true value"),
    "set ylabel " .. P.q("underestimation (value units)"),
    note_if_all_zero(P, ubands),
    uplot,
  }, "\n"), many and 1700 or 1300, 600
end

----------------------------------------------------------------------------
-- a policy table: the final policy pi(b|c) against the prior pi0, per context

local pi = {
  name = "pi",
  what = "final policy pi vs prior pi0 per behaviour, a panel per context",
  needs = { "context", "behaviour", "prior", "probability" },
}
-- rows: the table's own (plotted directly), or `side`: the _policy table
-- beside a per-round CSV
function pi.draw(P, main_rows, side)
  local rows, from = side or main_rows, side
  -- the final policy: each run's last round when the table has rounds
  local last = {}
  for _, r in ipairs(rows) do
    if r.round ~= nil then
      local k = tostring(r.run)
      last[k] = math.max(last[k] or r.round, r.round)
    end
  end
  local function final(r) return r.round == nil or r.round == last[tostring(r.run)] end
  local groups = P.groups(from)
  local contexts = P.distinct("context", from)
  local ng = #groups
  local width = math.min(0.8, 0.25 * (ng + 1)) -- of a behaviour's slot
  local blocks, panels = {}, {}
  for ci, c in ipairs(contexts) do
    local behaviours, deceptive, prior = {}, {}, {}
    for i, r in ipairs(rows) do
      if r.context == c then
        local b = r.behaviour
        if prior[b] == nil then behaviours[#behaviours + 1] = b; prior[b] = {} end
        local p = P.num(r, i, "prior", from)
        if p then table.insert(prior[b], p) end
        if r.deceptive == true or r.deceptive == 1 then deceptive[b] = true end
      end
    end
    local ppts = {}
    for bi, b in ipairs(behaviours) do ppts[bi] = { bi, (P.stats(prior[b])) or 0 } end
    blocks[#blocks + 1] = P.block(string.format("prior%d", ci), ppts)
    local elems = { string.format("$prior%d using 1:2 with boxes fs solid 0.35 noborder "
      .. "fc rgb '#999999' title %s", ci, P.q("prior pi0")) }
    for gi, g in ipairs(groups) do
      local pts = {}
      for bi, b in ipairs(behaviours) do
        local vals = {}
        for i, r in ipairs(rows) do
          if r.context == c and r.behaviour == b and g.take(r) and final(r) then
            vals[#vals + 1] = P.num(r, i, "probability", from)
          end
        end
        local m, lo, hi = P.stats(vals)
        if m then
          local x = bi + (ng > 1 and (gi - (ng + 1) / 2) * width / ng or 0)
          pts[#pts + 1] = { x, m, lo, hi }
        end
      end
      local name = string.format("pi%d_%d", ci, gi)
      blocks[#blocks + 1] = P.block(name, pts)
      elems[#elems + 1] = string.format("$%s using 1:2:3:4 with yerrorbars lc rgb %s pt 7 "
        .. "ps 1.2 lw 1.5 title %s", name, P.q(P.color(gi)),
        P.q(string.format("pi, %s (%s)", g.label, P.plural(g.n, "seed"))))
    end
    -- deceptive behaviours: shaded and named so
    local tics, objs = {}, {}
    for bi, b in ipairs(behaviours) do
      tics[#tics + 1] = string.format("%s %d", P.q(P.show(b)
        .. (deceptive[b] and "\n(deceptive)" or "")), bi)
      if deceptive[b] then
        objs[#objs + 1] = string.format("set object %d rect from %g, graph 0 to %g, graph 1 "
          .. "behind fc rgb '#F4CCCC' fs solid 0.6 noborder", 10 + #objs, bi - 0.5, bi + 0.5)
      end
    end
    if next(deceptive) then
      elems[#elems + 1] = string.format("keyentry with boxes fs solid 0.6 noborder fc rgb "
        .. "'#F4CCCC' title %s", P.q("deceptive behaviour"))
    end
    panels[#panels + 1] = { c = c, n = #behaviours, tics = tics, objs = objs, elems = elems }
  end
  local cols = math.min(#contexts, 3)
  local nrows = math.ceil(#contexts / cols)
  local g = {
    table.concat(blocks, "\n"),
    string.format("set multiplot layout %d,%d title %s", nrows, cols, P.q(string.format(
      "%s: the final policy pi(b|c) against the prior pi0(b|c), per context\npoint: mean "
      .. "over %s; whiskers: min–max over those seeds; grey bar: pi0", P.name(from),
      P.seeds_text(groups, from)))),
    "set ylabel " .. P.q("probability of the behaviour in its context"), "set bmargin 5",
    "set xlabel " .. P.q("behaviour") .. " offset 0,-0.6",
    "set yrange [0:1.25]", "set ytics 0,0.2,1", "set grid ytics",
    string.format("set boxwidth %g", width + 0.1),
  }
  for i, p in ipairs(panels) do
    g[#g + 1] = table.concat({
      "unset object",
      "set title " .. P.q("context: " .. P.show(p.c)),
      string.format("set xrange [0.4:%g]", p.n + 0.6),
      "set xtics (" .. table.concat(p.tics, ", ") .. ")",
      table.concat(p.objs, "\n"),
      i == 1 and "set key top left opaque box font ',10' maxrows 4" or "unset key",
      "plot " .. table.concat(p.elems, ", \\\n  "),
    }, "\n")
  end
  return table.concat(g, "\n"), 560 * cols, 520 * nrows + 80
end

----------------------------------------------------------------------------
-- a critic table: how likely the overseer is to detect a slot, by difficulty

local detection = {
  name = "detection",
  what = "P(overseer detects a slot) vs slot difficulty, a line per configuration (depth)",
  needs = { "level", "context", "shift", "difficulty", "detect" },
}
function detection.draw(P, main_rows, side)
  local rows, from = side or main_rows, side
  local groups = P.groups(from)
  -- what a group's overseer sees: its top critic, at shift 0; with a single
  -- group, every level is a line of its own
  local top = {}
  for _, r in ipairs(rows) do
    for _, g in ipairs(groups) do
      if g.take(r) and type(r.level) == "number" then top[g] = math.max(top[g] or 0, r.level) end
    end
  end
  local lines = {}
  if #groups == 1 then
    local levels = P.distinct("level", from)
    table.sort(levels, function(a, b) return tostring(a) < tostring(b) end)
    for _, l in ipairs(levels) do
      lines[#lines + 1] = { label = "level " .. P.show(l),
        take = function(r) return r.level == l and r.shift == 0 end, n = groups[1].n }
    end
  else
    for _, g in ipairs(groups) do
      lines[#lines + 1] = { label = g.label, n = g.n,
        take = function(r) return g.take(r) and r.level == top[g] and r.shift == 0 end }
    end
  end
  local blocks, plot, dlo, dhi = {}, {}, math.huge, -math.huge
  for i, l in ipairs(lines) do
    local pts = P.band(l.take, nil, "difficulty", "detect", from)
    for _, p in ipairs(pts) do dlo, dhi = math.min(dlo, p[1]), math.max(dhi, p[1]) end
    blocks[#blocks + 1] = P.block("c" .. i, pts)
    plot[#plot + 1] = P.band_plot("c" .. i, P.color(i), l.label, { dash = P.dash(i) })
    plot[#plot + 1] = string.format("$c%d using 1:2 with points lc rgb %s pt 7 ps 1 notitle",
                                    i, P.q(P.color(i)))
  end
  -- the band is explained in the title (no key sample: each band is shaded in
  -- its line's colour)
  if dlo > dhi then dlo, dhi = 0, 1 end
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q(string.format("%s: how likely the overseer is to detect a hidden "
      .. "fact, by the fact's difficulty\nline: mean over the slots of that difficulty and "
      .. "over %s (%s); band: min–max", P.name(from), P.seeds_text(groups, from),
      #groups == 1 and "a line per critic level" or "each line: its top critic, at shift 0")),
    "set xlabel " .. P.q("slot difficulty (rungs of the ladder)"),
    "set ylabel " .. P.q("P(overseer detects the slot) (probability)"),
    string.format("set xrange [%.6g:%.6g]", dlo - 0.2, dhi + 0.2),
    "set yrange [-0.03:1.06]", "set ytics 0,0.2,1",
    -- the key below: the lines fill any corner (they fall at the frontier)
    "set grid", "set key outside right top box font ',10'",
    "plot " .. table.concat(plot, ", \\\n  "),
  }, "\n"), 1150, 600
end

----------------------------------------------------------------------------
-- A per-round CSV also gets the figures of the tables its script wrote
-- beside it (<name>_policy.csv, <name>_critics.csv), when they are there.
local function of_table_beside(fig, tbl)
  local f = {}
  for k, v in pairs(fig) do f[k] = v end
  f.needs = {}
  f.what = fig.what .. " (from _" .. tbl .. ".csv)"
  f.beside = { table = tbl, needs = fig.needs, when_absent = "quiet" }
  return f
end

return {
  rounds = { values, deception, estimation, of_table_beside(pi, "policy"),
             of_table_beside(detection, "critics") },
  policy = { pi },
  critics = { detection },
}
