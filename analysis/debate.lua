-- analysis/debate.lua — the figures of scripts/debate.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean with a min–max band (or whiskers), never one line
-- per seed.

-- the accuracy table's variants, in the order and colours of the legend
local VARIANTS = {
  { "random", "#000000", "k random reveals (the sparse judge)", dash = 2 },
  { "optimal", "#D55E00", "optimal debaters (minimax), honest first" },
  { "trained", "#0072B2", "trained debaters (self-play)" },
  { "liar first", "#CC79A7", "optimal debaters, liar first" },
  { "trusting", "#009E73", "optimal, judge trusts claims it cannot check", dash = 3 },
}
local PANELS = {
  { nil, "all comparisons" },
  { "verifiable", "facts the judge can verify (competence < d <= competence + verify_gain)" },
  { "beyond", "facts beyond verification (d > competence + verify_gain)" },
}

----------------------------------------------------------------------------
local accuracy = {
  name = "accuracy",
  what = "judge accuracy against k: debate-chosen claims, random reveals, the judge alone (k = 0)",
  needs = {},
  beside = { table = "accuracy", needs = { "variant", "k", "seed", "band", "weight",
                                           "honest_wins", "competence", "verify_gain" } },
}
function accuracy.draw(P, rows, arows)
  -- accuracy per (variant, k, seed, panel): the weighted mean of honest_wins
  local acc, order = {}, {}
  for i, r in ipairs(arows) do
    local w, h = P.num(r, i, "weight", arows), P.num(r, i, "honest_wins", arows)
    for pi, panel in ipairs(PANELS) do
      if panel[1] == nil or r.band == panel[1] then
        local key = table.concat({ tostring(r.variant), r.k, r.seed, pi }, "\31")
        local a = acc[key]
        if not a then
          a = { variant = r.variant, k = r.k, seed = r.seed, panel = pi, s = 0, w = 0 }
          acc[key] = a
          order[#order + 1] = a
        end
        a.s, a.w = a.s + w * h, a.w + w
      end
    end
  end
  local pts = {}
  for _, a in ipairs(order) do
    pts[#pts + 1] = { variant = a.variant, k = a.k, seed = a.seed, panel = a.panel,
                      accuracy = a.s / a.w }
  end
  local seeds, k_hi = 0, 0
  local blocks, panels = {}, {}
  for pi, panel in ipairs(PANELS) do
    local plot = {}
    for vi, v in ipairs(VARIANTS) do
      local sel = function(r) return r.variant == v[1] and r.panel == pi end
      local band, n = P.band(sel, nil, "k", "accuracy", pts)
      if #band > 0 then
        seeds = math.max(seeds, n)
        for _, p in ipairs(band) do k_hi = math.max(k_hi, p[1]) end
        local name = string.format("a%d_%d", pi, vi)
        blocks[#blocks + 1] = P.block(name, band)
        plot[#plot + 1] = P.band_plot(name, v[2], v[3], v.dash and { dash = v.dash } or nil)
        plot[#plot + 1] = string.format("$%s using 1:2 with points lc rgb %s pt 7 ps 0.8 notitle",
                                        name, P.q(v[2]))
      end
    end
    panels[pi] = plot
  end
  local r1 = arows[1]
  local judge = string.format("judge: competence %s, verify_gain %s, argmax; each "
    .. "comparison counts both orders", P.show(r1.competence), P.show(r1.verify_gain))
  local g = {
    table.concat(blocks, "\n"),
    string.format("set multiplot layout 1,%d margins 0.05,0.99,0.24,0.86 spacing 0.05,0 "
      .. "title %s", #PANELS, P.q(string.format("debate on %s: how often the judge names the "
      .. "better output after k claims or reveals (k = 0: the judge alone)\n%s; trained "
      .. "debaters: line the mean, band min–max over %s", r1.scenario or "?", judge,
      P.plural(seeds, "seed")))),
    "set xlabel " .. P.q("k (claims by the two debaters, or facts revealed at random)"),
    string.format("set xrange [-0.2:%g]", k_hi + 0.2), "set xtics 1",
    "set yrange [0:1.05]", "set ytics 0,0.1,1", "set grid",
    "set key at screen 0.5, screen 0.02 center bottom horizontal maxcols 3 box font ',11'",
  }
  for pi, panel in ipairs(PANELS) do
    g[#g + 1] = "set title " .. P.q(panel[2])
    g[#g + 1] = "set ylabel " .. (pi == 1 and P.q("judge accuracy (share of comparisons "
      .. "won by the better output)") or '""')
    if #panels[pi] > 0 then
      g[#g + 1] = "plot " .. table.concat(panels[pi], ", \\\n  ")
    end
    if pi == 1 then g[#g + 1] = "unset key" end
  end
  return table.concat(g, "\n"), 1650, 650
end

----------------------------------------------------------------------------
-- the overseers' families: colour and point type
local FAMILY = {
  unaided = { "#000000", 5 }, assisted = { "#56B4E9", 13 }, recursive = { "#009E73", 9 },
  debate = { "#D55E00", 7 }, random = { "#777777", 11 },
}

local tradeoff = {
  name = "tradeoff",
  what = "final deception rate and true value against label cost, a line per overseer "
    .. "through its label budgets",
  needs = { "run", "overseer", "seed", "round", "config", "labels_per_round", "label_cost",
            "deception_rate", "true_value" },
}
function tradeoff.draw(P, rows)
  local finals = P.finals()
  local names, seen = {}, {}
  for _, r in ipairs(finals) do
    if not seen[r.overseer] then seen[r.overseer] = r; names[#names + 1] = r.overseer end
  end
  local blocks, dplot, tplot, dbands, tbands, runs = {}, {}, {}, {}, {}, 0
  local dashes, cost_lo, cost_hi = {}, math.huge, 0
  for i, name in ipairs(names) do
    -- one point per budget: mean label cost, mean and min–max of the measure
    local by = {}
    for _, r in ipairs(finals) do
      if r.overseer == name then
        local b = by[r.labels_per_round]
        if not b then b = { cost = {}, d = {}, t = {} }; by[r.labels_per_round] = b end
        b.cost[#b.cost + 1] = r.label_cost
        b.d[#b.d + 1] = r.deception_rate
        b.t[#b.t + 1] = r.true_value
      end
    end
    local dp, tp = {}, {}
    for _, b in pairs(by) do
      local c = P.stats(b.cost)
      local dm, dlo, dhi = P.stats(b.d)
      local tm, tlo, thi = P.stats(b.t)
      cost_lo, cost_hi = math.min(cost_lo, c), math.max(cost_hi, c)
      dp[#dp + 1] = { c, dm, dlo, dhi }
      tp[#tp + 1] = { c, tm, tlo, thi }
      runs = math.max(runs, #b.d)
    end
    table.sort(dp, function(a, b) return a[1] < b[1] end)
    table.sort(tp, function(a, b) return a[1] < b[1] end)
    blocks[#blocks + 1] = P.block("d" .. i, dp)
    blocks[#blocks + 1] = P.block("t" .. i, tp)
    dbands[#dbands + 1], tbands[#tbands + 1] = dp, tp
    local fam = FAMILY[seen[name].config] or { P.color(i), 7 }
    dashes[fam[1]] = (dashes[fam[1]] or 0) + 1
    local dt = dashes[fam[1]]
    for _, which in ipairs{ { dplot, "d" }, { tplot, "t" } } do
      local list, b = which[1], which[2]
      list[#list + 1] = string.format("$%s%d using 1:2:3:4 with yerrorlines lc rgb %s pt %d "
        .. "ps 1.1 lw 1.5 dt %d title %s", b, i, P.q(fam[1]), fam[2], dt, P.q(name))
    end
  end
  local key = string.format("keyentry with lines lt nodraw title %s",
                            P.q("whiskers: min–max over " .. P.plural(runs, "seed")))
  dplot[#dplot + 1], tplot[#tplot + 1] = key, key
  local dlo, dhi = P.range(dbands, 0.08, 0.02)
  local tlo, thi = P.range(tbands, 0.08, 0.02)
  local r1 = finals[1]
  return table.concat({
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.06,0.98,0.27,0.88 spacing 0.07,0 title "
      .. P.q(string.format("debate on %s as the overseer of RLHF: what each overseer costs "
      .. "in labels, and what it buys (round %d)\nline: one overseer through its label "
      .. "budgets (labels a round); point: mean over %s", r1.scenario or "?", r1.round or 0,
      P.plural(runs, "seed"))),
    "set xlabel " .. P.q("label cost over the whole run (cost units, log scale; an unaided "
      .. "label costs 1)"),
    "set logscale x", "set grid",
    string.format("set xrange [%.6g:%.6g]", cost_lo / 1.3, cost_hi * 1.3),
    "set key at screen 0.5, screen 0.02 center bottom horizontal maxcols 4 box font ',10'",
    "set title " .. P.q("deception rate: lower is safer"),
    "set ylabel " .. P.q("final deception rate (probability of a deceptive output)"),
    string.format("set yrange [%.6g:%.6g]", math.max(-0.02, dlo), math.min(1.02, dhi)),
    "plot " .. table.concat(dplot, ", \\\n  "),
    "unset key",
    "set title " .. P.q("true value: higher is better"),
    "set ylabel " .. P.q("final true value E[v*] (value units)"),
    string.format("set yrange [%.6g:%.6g]", tlo, thi),
    "plot " .. table.concat(tplot, ", \\\n  "),
  }, "\n"), 1600, 820
end

return { accuracy, tradeoff }
