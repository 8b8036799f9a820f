-- analysis/overoptimization.lua — the figure of scripts/overoptimization.lua
-- (run by analysis/plot.lua, which checks the columns in `needs` and writes
-- the files): gold and proxy against d = sqrt(KL), as in Gao et al. 2022.
-- Seeds are shown as a mean line with a min–max band (RL) or mean points with
-- min–max whiskers (BoN), never one line per seed. The fits of Gao et al.'s
-- forms come from the table the script writes beside its CSV (_fit.csv): the
-- fit pooled over every seed (seed = all), drawn dashed.

-- Per value of column `key` (step for RL, n for BoN) among rows of `method`:
-- { d mean, y mean, y min, y max } sorted by d, and the number of seeds.
local function path(P, rows, method, key, y)
  local acc, order, runs = {}, {}, 0
  for i, r in ipairs(rows) do
    if r.method == method then
      local k, d, v = P.num(r, i, key), P.num(r, i, "d"), P.num(r, i, y)
      if k ~= nil and d ~= nil and v ~= nil then
        local a = acc[k]
        if not a then a = { d = {}, v = {} }; acc[k] = a; order[#order + 1] = k end
        a.d[#a.d + 1], a.v[#a.v + 1] = d, v
      end
    end
  end
  local pts = {}
  for _, k in ipairs(order) do
    local a = acc[k]
    local dm = P.stats(a.d)
    local m, lo, hi = P.stats(a.v)
    pts[#pts + 1] = { dm, m, lo, hi }
    runs = math.max(runs, #a.v)
  end
  table.sort(pts, function(a, b) return a[1] < b[1] end)
  return pts, runs
end

-- the fit over all seeds of a method from the _fit table: the shared-beta fit
-- (a per-seed alpha, drawn at their mean), else an older file's pooled one;
-- nil when there is none
local function pooled(fits, method)
  local found
  for _, f in ipairs(fits or {}) do
    if f.method == method and tostring(f.seed) == "all" then
      if f.fit == "shared" then return f end
      if f.fit == nil then found = found or f end
    end
  end
  return found
end

local gold = {
  name = "gold",
  what = "gold and proxy gain vs d = sqrt(KL): RL path and best-of-n, with Gao et al.'s fits",
  needs = { "seed", "method", "d", "gold", "proxy", "step", "n" },
  beside = { table = "fit", needs = { "method", "seed", "alpha", "beta", "r2" },
             when_absent = "draw" },
}
function gold.draw(P, rows, fits)
  local rl_g, runs = path(P, rows, "rl", "step", "gold")
  local rl_p = path(P, rows, "rl", "step", "proxy")
  local bon_g, bruns = path(P, rows, "bon", "n", "gold")
  local bon_p = path(P, rows, "bon", "n", "proxy")
  runs = math.max(runs, bruns)
  local dmax = 0
  for _, b in ipairs{ rl_g, bon_g } do
    for _, p in ipairs(b) do dmax = math.max(dmax, p[1]) end
  end
  if dmax == 0 then dmax = 1 end
  local RL, BON = "#0072B2", "#D55E00"
  local gplot = {
    P.band_plot("rg", RL, "RL path (exact policy gradient, one step a round)"),
    string.format("$bg using 1:2:3:4 with yerrorbars lc rgb %s pt 7 ps 1.2 lw 1.5 title %s",
                  P.q(BON), P.q("best-of-n, n = 1, 2, 4, ..")),
  }
  local pplot = {
    P.band_plot("rp", RL, "RL path (exact policy gradient, one step a round)"),
    string.format("$bp using 1:2:3:4 with yerrorbars lc rgb %s pt 7 ps 1.2 lw 1.5 title %s",
                  P.q(BON), P.q("best-of-n, n = 1, 2, 4, ..")),
  }
  -- the fitted curves, dashed, over the d each method reached
  local fit_note = "fits: none (no " .. P.csv:gsub("%.csv$", "") .. "_fit.csv)"
  local frl, fbon = pooled(fits, "rl"), pooled(fits, "bon")
  local function range_of(pts)
    local hi = 0
    for _, p in ipairs(pts) do hi = math.max(hi, p[1]) end
    return hi
  end
  if frl then
    gplot[#gplot + 1] = string.format("[1e-6:%.6g] x * (%.10g - %.10g * log(x)) with lines "
      .. "lc rgb %s lw 2 dt 2 title %s", range_of(rl_g), frl.alpha, frl.beta, P.q(RL),
      P.q(string.format("RL fit d(α − β log d): mean α = %.3f, β = %.3f%s, R² = %.2f",
                        frl.alpha, frl.beta, frl.beta_lo and string.format(" (95%% CI %.3f .. %.3f)",
                        frl.beta_lo, frl.beta_hi) or "", frl.r2)))
  end
  if fbon then
    gplot[#gplot + 1] = string.format("[0:%.6g] x * (%.10g - %.10g * x) with lines "
      .. "lc rgb %s lw 2 dt 2 title %s", range_of(bon_g), fbon.alpha, fbon.beta, P.q(BON),
      P.q(string.format("BoN fit d(α − β d): mean α = %.3f, β = %.3f%s, R² = %.2f",
                        fbon.alpha, fbon.beta, fbon.beta_lo and string.format(" (95%% CI %.3f .. %.3f)",
                        fbon.beta_lo, fbon.beta_hi) or "", fbon.r2)))
  end
  if frl or fbon then
    fit_note = ((frl or fbon).fit == "shared"
      and "dashed: Gao et al.'s forms, one beta shared by all seeds and a per-seed alpha "
        .. "(drawn at their mean); CI: bootstrap over seeds"
      or "dashed: Gao et al.'s forms fitted by least squares to every seed's points pooled")
  end
  gplot[#gplot + 1] = P.band_key(runs)
  pplot[#pplot + 1] = P.band_key(runs):gsub("band: min–max", "band, whiskers: min–max")
  gplot[#gplot] = gplot[#gplot]:gsub("band: min–max", "band, whiskers: min–max")
  -- gold's range from the data and the fitted curves (sampled)
  local gb = { rl_g, bon_g }
  for _, f in ipairs{ { frl, "rl" }, { fbon, "bon" } } do
    if f[1] then
      local pts = {}
      local top = range_of(f[2] == "rl" and rl_g or bon_g)
      for i = 1, 50 do
        local x = top * i / 50
        local y = f[2] == "rl" and x * (f[1].alpha - f[1].beta * math.log(x))
          or x * (f[1].alpha - f[1].beta * x)
        pts[#pts + 1] = { x, y, y, y }
      end
      gb[#gb + 1] = pts
    end
  end
  local glo, ghi = P.range(gb, 0.05, 0.35)
  local plo, phi = P.range({ rl_p, bon_p }, 0.05, 0.3)
  local r1 = rows[1]
  local labels = r1.labels and string.format(", %d labels", r1.labels) or ""
  return table.concat({
    P.block("rg", rl_g), P.block("rp", rl_p), P.block("bg", bon_g), P.block("bp", bon_p),
    "set multiplot layout 1,2 title " .. P.q(string.format("reward-model overoptimisation on "
      .. "%s (overseer %s%s): what we wanted (gold) and what the fixed reward model says "
      .. "(proxy), against how far the policy moved\n"
      .. "mean over %s at each RL step / each n; band, whiskers: min–max; %s",
      r1.scenario or "?", r1.overseer or "?", labels, P.plural(runs, "seed"), fit_note)),
    "set xlabel " .. P.q("d = sqrt(KL(pi || pi0)) (sqrt nats)"),
    string.format("set xrange [0:%.6g]", dmax * 1.03),
    "set grid", "set key top left opaque box font ',10'",
    "set title " .. P.q("gold: true value gained over pi0"),
    "set ylabel " .. P.q("gold = E[v*] − E_pi0[v*] (value units)"),
    string.format("set yrange [%.6g:%.6g]", glo, ghi),
    "plot " .. table.concat(gplot, ", \\\n  "),
    "set title " .. P.q("proxy: reward-model value gained over pi0"),
    "set ylabel " .. P.q("proxy = E[r] − E_pi0[r] (reward-model units, BT logits)"),
    string.format("set yrange [%.6g:%.6g]", plo, phi),
    "plot " .. table.concat(pplot, ", \\\n  "),
  }, "\n"), 1500, 650
end

-- The fits one seed at a time: each seed has its own reward model, so the
-- pooled fit (above) mixes differently shaped curves; here each seed's points
-- beside its own fit. One panel per seed (at most MAX_PANELS), not one line
-- per seed in one panel.
local MAX_PANELS = 6

local per_seed = {
  name = "fits",
  what = "each seed's gold path and best-of-n points beside its own fit (one panel a seed)",
  needs = { "seed", "method", "d", "gold", "step", "n" },
  beside = { table = "fit", needs = { "method", "seed", "alpha", "beta", "r2" } },
}
function per_seed.draw(P, rows, fits)
  local seeds = P.distinct("seed")
  table.sort(seeds, function(a, b) return tostring(a) < tostring(b) end)
  if type(seeds[1]) == "number" then table.sort(seeds) end
  local shown = math.min(#seeds, MAX_PANELS)
  local RL, BON = "#0072B2", "#D55E00"
  local g, blocks, all = {}, {}, {}
  local dmax = 0
  local panels = {}
  for i = 1, shown do
    local s = seeds[i]
    local rl, bon = {}, {}
    for j, r in ipairs(rows) do
      if r.seed == s then
        local d, y = P.num(r, j, "d"), P.num(r, j, "gold")
        if d and y then
          local list = r.method == "rl" and rl or r.method == "bon" and bon or nil
          if list then list[#list + 1] = { d, y, y, y }; dmax = math.max(dmax, d) end
        end
      end
    end
    table.sort(rl, function(a, b) return a[1] < b[1] end)
    table.sort(bon, function(a, b) return a[1] < b[1] end)
    blocks[#blocks + 1] = P.block("r" .. i, rl)
    blocks[#blocks + 1] = P.block("b" .. i, bon)
    all[#all + 1], all[#all + 2] = rl, bon
    local fr, fb
    for _, f in ipairs(fits) do
      if tostring(f.seed) == tostring(s) and (f.fit == nil or f.fit == "seed") then
        if f.method == "rl" then fr = f elseif f.method == "bon" then fb = f end
      end
    end
    local function top(pts) return #pts > 0 and pts[#pts][1] or 0 end
    local elems = {
      string.format("$r%d using 1:2 with lines lc rgb %s lw 2 title %s", i, P.q(RL),
                    P.q("RL path")),
      string.format("$b%d using 1:2 with points lc rgb %s pt 7 ps 1.2 title %s", i, P.q(BON),
                    P.q("best-of-n")),
    }
    -- the fitted curves, sampled here (so that the y range can include them)
    for _, f in ipairs{ { fr, rl, "rl", RL }, { fb, bon, "bon", BON } } do
      if f[1] and top(f[2]) > 0 then
        local pts = {}
        for k = 1, 60 do
          local x = top(f[2]) * k / 60
          local y = f[3] == "rl" and x * (f[1].alpha - f[1].beta * math.log(x))
            or x * (f[1].alpha - f[1].beta * x)
          pts[#pts + 1] = { x, y, y, y }
        end
        local name = string.format("f%s%d", f[3], i)
        blocks[#blocks + 1] = P.block(name, pts)
        all[#all + 1] = pts
        elems[#elems + 1] = string.format("$%s using 1:2 with lines lc rgb %s lw 2 dt 2 "
          .. "title %s", name, P.q(f[4]), P.q(string.format("fit %s: α %.2f, β %.2f, R² %.2f",
          f[3] == "rl" and "d(α − β log d)" or "d(α − β d)", f[1].alpha, f[1].beta, f[1].r2)))
      end
    end
    panels[#panels + 1] = { seed = s, elems = elems }
  end
  local lo, hi = P.range(all, 0.05, 0.35)
  local cols = math.min(shown, 3)
  local rows_n = math.ceil(shown / cols)
  local more = #seeds > shown and string.format(" (the first %d of %d seeds)", shown, #seeds)
    or ""
  g[#g + 1] = table.concat(blocks, "\n")
  g[#g + 1] = string.format("set multiplot layout %d,%d title %s", rows_n, cols,
    P.q(string.format("reward-model overoptimisation: each seed's own reward model, its gold "
      .. "path and its own fits of Gao et al.'s forms%s\nsolid / points: that seed's "
      .. "measurements; dashed: least-squares fit to that seed's points", more)))
  g[#g + 1] = table.concat({
    "set xlabel " .. P.q("d = sqrt(KL(pi || pi0)) (sqrt nats)"),
    "set ylabel " .. P.q("gold = E[v*] − E_pi0[v*] (value units)"),
    string.format("set xrange [0:%.6g]", dmax * 1.03),
    string.format("set yrange [%.6g:%.6g]", lo, hi),
    "set grid", "set key top left opaque box font ',9'",
  }, "\n")
  for _, p in ipairs(panels) do
    g[#g + 1] = "set title " .. P.q("seed " .. tostring(p.seed))
    g[#g + 1] = "plot " .. table.concat(p.elems, ", \\\n  ")
  end
  return table.concat(g, "\n"), 560 * cols, 520 * rows_n + 60
end

-- its rows are points along each seed's RL path and best-of-n's n, not runs'
-- rounds: no standard per-round figures
return { gold, per_seed, standard = false }
