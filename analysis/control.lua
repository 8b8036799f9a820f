-- analysis/control.lua — the figures of scripts/control.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). Rows are configurations of oversim.control, not runs' rounds: each
-- has an exact safety (drawn as a line) and a simulated one (a point with
-- whiskers of ±2 standard errors, from `trials` deployments), so there are no
-- seeds to band over. Column `sweep` says which figure a row belongs to.

-- A configuration's name and style: protocol, monitor separation d', deferred
-- fraction f. Monitoring protocols take a colour per d' (in order of first
-- appearance), defer-to-trusted dashed; upfront black, random grey.
local function styler(P, without_defer)
  local seps, n = {}, 0
  return function(r)
    local name, color, dash, pt = r.protocol, "#000000", 1, 7
    if r.protocol == "random" then color, pt = "#888888", 5 end
    if r.separation ~= nil then
      local k = P.show(r.separation)
      if not seps[k] then n = n + 1; seps[k] = n end
      color = P.color(seps[k] + 1)
      name = string.format("%s d'=%s", name:gsub("_", " "), k)
      pt = 9
    end
    if r.defer ~= nil and r.protocol == "defer_to_trusted" then
      dash, pt = 2, 13
      if not without_defer then
        name = string.format("%s, %s%% deferred", name, P.show(r.defer * 100))
      end
    end
    return name, color, dash, pt
  end
end

-- the rows of one sweep, or a one-line error naming the figure
local function sweep_rows(P, rows, sweep, fig)
  local list = {}
  for _, r in ipairs(rows) do if r.sweep == sweep then list[#list + 1] = r end end
  if #list == 0 then
    error(string.format("%s has no rows of sweep '%s' (the control figure '%s' draws them)",
                        P.csv, sweep, fig), 0)
  end
  return list
end

-- lines: per configuration (name, in order of first appearance), the points
-- { x, exact, sim, sim - 2 se, sim + 2 se } sorted by x, from rows with
-- keep(r) true; without_defer: the deferred fraction is the x, not a line
local function lines(P, rows, x, keep, without_defer)
  local style, by, order = styler(P, without_defer), {}, {}
  for i, r in ipairs(rows) do
    if keep(r) then
      local name, color, dash, pt = style(r)
      local g = by[name]
      if not g then
        g = { name = name, color = color, dash = dash, pt = pt, pts = {} }
        by[name] = g; order[#order + 1] = g
      end
      local s, se = P.num(r, i, "safety_sim"), P.num(r, i, "safety_sim_se")
      g.pts[#g.pts + 1] = { x(r, i), P.num(r, i, "safety"), s, s - 2 * se, s + 2 * se }
    end
  end
  for _, g in ipairs(order) do table.sort(g.pts, function(a, b) return a[1] < b[1] end) end
  return order
end

-- the datablocks and plot elements of lines: exact as a line, the simulation
-- as points with whiskers, one key entry showing both
local function draw_lines(P, order, prefix)
  local blocks, elems = {}, {}
  for i, g in ipairs(order) do
    local b = prefix .. i
    blocks[#blocks + 1] = P.block(b, g.pts)
    elems[#elems + 1] = string.format("$%s using 1:2 with lines lc rgb %s lw 2 dt %d notitle",
                                      b, P.q(g.color), g.dash)
    elems[#elems + 1] = string.format("$%s using 1:3:4:5 with yerrorbars lc rgb %s pt %d "
      .. "ps 0.8 lw 1 notitle", b, P.q(g.color), g.pt)
    elems[#elems + 1] = string.format("keyentry with linespoints lc rgb %s pt %d lw 2 dt %d "
      .. "title %s", P.q(g.color), g.pt, g.dash, P.q(g.name))
  end
  return table.concat(blocks, "\n"), elems
end

-- what every figure's title says of the model and the simulation (split
-- over two lines when narrow)
local function header(rows, narrow)
  local r = rows[1]
  return string.format("N = %s tasks, an unaudited, undeferred attack succeeds with "
    .. "probability %s;%slines: exact; points: %s simulated deployments with a hard count "
    .. "of audits (whiskers ±2 SE);\nevery point draws the same random numbers, so their "
    .. "errors move together", tostring(r.n), tostring(r.success), narrow and "\n" or " ",
    tostring(r.trials))
end

local COMMON = { "sweep", "protocol", "n", "audit", "p", "p_optimal", "safety",
                 "safety_sim", "safety_sim_se", "trials", "success" }

local safety = {
  name = "safety",
  what = "safety vs audit budget at the red team's optimal p, and that p (upfront)",
  needs = COMMON,
}
function safety.draw(P, rows)
  local list = sweep_rows(P, rows, "budget", "safety")
  local order = lines(P, list, function(r, i) return 100 * P.num(r, i, "audit") end,
                      function() return true end)
  local blocks, elems = draw_lines(P, order, "s")
  -- the red team's p* under upfront auditing beside its closed form
  -- 1 - (k/N)^(1/(N-k)) (success 1 only); every other protocol's p* is 1
  local pstar, closed = {}, {}
  for i, r in ipairs(list) do
    if r.protocol == "upfront" and r.p_optimal == true then
      local a, p = 100 * P.num(r, i, "audit"), P.num(r, i, "p")
      pstar[#pstar + 1] = { a, p * r.n }
      local k, n = r.audits, r.n
      if r.success == 1 and k and k > 0 and k < n then
        closed[#closed + 1] = { a, n * (1 - (k / n) ^ (1 / (n - k))) }
      end
    end
  end
  table.sort(pstar, function(a, b) return a[1] < b[1] end)
  local others = {}
  for _, r in ipairs(list) do
    if r.protocol ~= "upfront" and r.p_optimal == true and r.p ~= 1 then
      others[#others + 1] = r
    end
  end
  local right = {
    string.format("$u using 1:2 with linespoints lc rgb '#000000' pt 7 lw 2 title %s",
                  P.q("upfront: N p*, the red team's expected attacks (search)")),
  }
  if #closed > 0 then
    right[#right + 1] = string.format("$c using 1:2 with points lc rgb '#D55E00' pt 6 ps 2 "
      .. "title %s", P.q("N (1 − (k/N)^(1/(N−k))), the closed form"))
  end
  local note = #others == 0 and "random, trusted monitoring, defer to trusted: p* = 1 "
    .. "(every task an attack) at every budget" or "some protocols' p* differ from 1"
  return table.concat({
    blocks, P.block("u", pstar), P.block("c", closed),
    "set multiplot layout 1,2 margins 0.06,0.98,0.25,0.86 spacing 0.08,0 title "
      .. P.q("AI control (Greenblatt et al. 2023): safety against the audit budget, the red "
      .. "team attacking at its optimal rate p*\n" .. header(list)),
    "set grid", "set logscale x", "set format x '%g'", "set xtics add (0.5, 2, 5)",
    string.format("set xrange [%.6g:%.6g]", pstar[1] and pstar[1][1] / 1.15 or 0.1,
                  pstar[#pstar] and pstar[#pstar][1] * 1.15 or 100),
    "set xlabel " .. P.q("audit budget a (% of tasks audited, log scale)"),
    "set title " .. P.q("safety = P(no successful attack)"),
    "set ylabel " .. P.q("safety (probability)"),
    "set yrange [0:1.05]",
    "set key at screen 0.27, screen 0.03 center bottom vertical maxrows 4 box font ',11'",
    "plot " .. table.concat(elems, ", \\\n  "),
    "set title " .. P.q("upfront auditing: how often the red team attacks"),
    "set ylabel " .. P.q("expected attacks over the deployment, N p*"),
    "set autoscale y", "set yrange [0:*]",
    -- (a key placed at screen coordinates leaves settings that make gnuplot's
    -- svg terminal drop all but the first entry of the next key)
    "set key default", "set key top right box opaque font ',10'",
    "set label 1 " .. P.q(note) .. " at graph 0.02, graph 0.05 font ',10'",
    "plot " .. table.concat(right, ", \\\n  "),
  }, "\n"), 1500, 720
end

local frontier = {
  name = "frontier",
  what = "defer to trusted: safety against usefulness as the deferred fraction grows",
  needs = { "sweep", "protocol", "defer", "separation", "usefulness", "safety",
            "safety_sim", "safety_sim_se", "n", "trials", "success", "audit" },
}
function frontier.draw(P, rows)
  local list = sweep_rows(P, rows, "frontier", "frontier")
  local order = lines(P, list, function(r, i) return P.num(r, i, "usefulness") end,
                      function() return true end, true)
  local blocks, elems = draw_lines(P, order, "f")
  local fs = {}
  for _, r in ipairs(list) do
    if r.separation == list[1].separation then fs[#fs + 1] = P.show(100 * r.defer) .. "%" end
  end
  return table.concat({
    blocks,
    "set title " .. P.q(string.format("defer to trusted: the safety–usefulness frontier at an "
      .. "audit budget of %s%%\ndeferring %s of tasks (right to left)\n%s",
      P.show(100 * list[1].audit), table.concat(fs, ", "), header(list, true))),
    "set grid",
    "set xlabel " .. P.q("usefulness (1 − deferred fraction; trusted model alone = 0, "
      .. "untrusted alone = 1)"),
    "set ylabel " .. P.q("safety (probability), red team at its optimal p"),
    "set xrange [0:1.02]", "set yrange [0:1.05]",
    "set key bottom left box opaque font ',10'",
    "plot " .. table.concat(elems, ", \\\n  "),
  }, "\n"), 1000, 700
end

local attack_rate = {
  name = "attack_rate",
  what = "safety against the attack probability p at one budget, the optimum marked; "
    .. "how often the simulation's audits ran out",
  needs = { "sweep", "protocol", "p", "p_optimal", "safety", "safety_sim", "safety_sim_se",
            "budget_ran_out", "n", "trials", "success", "audit" },
}
function attack_rate.draw(P, rows)
  local list = sweep_rows(P, rows, "attack_rate", "attack_rate")
  local order = lines(P, list, function(r, i) return P.num(r, i, "p") end,
                      function(r) return r.p_optimal ~= true end)
  local blocks, elems = draw_lines(P, order, "a")
  local style, best, out_elems, out_blocks = styler(P), {}, {}, {}
  for i, r in ipairs(list) do
    if r.p_optimal == true then best[#best + 1] = { P.num(r, i, "p"), P.num(r, i, "safety") } end
  end
  elems[#elems + 1] = string.format("$best using 1:2 with points lc rgb '#000000' pt 6 ps 2.5 "
    .. "lw 2 title %s", P.q("the red team's optimal p* (lowest safety)"))
  local ran = {}
  for i, r in ipairs(list) do
    if r.p_optimal ~= true then
      local name, color, dash, pt = style(r)
      if not ran[name] then
        ran[name] = { color = color, dash = dash, pt = pt, pts = {} }
        out_elems[#out_elems + 1] = name
      end
      local t = ran[name].pts
      t[#t + 1] = { P.num(r, i, "p"), 100 * P.num(r, i, "budget_ran_out") }
    end
  end
  local plot2 = {}
  for j, name in ipairs(out_elems) do
    local g = ran[name]
    table.sort(g.pts, function(a, b) return a[1] < b[1] end)
    out_blocks[#out_blocks + 1] = P.block("r" .. j, g.pts)
    plot2[#plot2 + 1] = string.format("$r%d using 1:2 with linespoints lc rgb %s pt %d lw 2 "
      .. "dt %d title %s", j, P.q(g.color), g.pt, g.dash, P.q(name))
  end
  return table.concat({
    blocks, P.block("best", best), table.concat(out_blocks, "\n"),
    -- one key, under both panels (they share the line styles)
    "set multiplot layout 1,2 margins 0.06,0.98,0.25,0.86 spacing 0.08,0 title "
      .. P.q(string.format("AI control: safety against how often the policy attacks, at an "
      .. "audit budget of %s%%\n%s", P.show(100 * list[1].audit), header(list))),
    "set grid", "set logscale x", "set format x '%g'",
    "set xlabel " .. P.q("attack probability per task p (log scale)"),
    "set title " .. P.q("safety: the red team picks the p where it is lowest"),
    "set ylabel " .. P.q("safety (probability)"),
    "set yrange [0:1.05]",
    "set key at screen 0.5, screen 0.03 center bottom horizontal maxrows 2 box font ',11'",
    "plot " .. table.concat(elems, ", \\\n  "),
    "unset key",
    "set title " .. P.q("the simulation's hard count of audits: deployments in which it ran out"),
    "set ylabel " .. P.q("deployments whose audits ran out (%)"),
    "set yrange [0:*]",
    "plot " .. table.concat(plot2, ", \\\n  "),
  }, "\n"), 1500, 720
end

-- no standard per-round figures: these rows have no rounds
return { safety, frontier, attack_rate, standard = false }
