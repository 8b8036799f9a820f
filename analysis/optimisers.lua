-- analysis/optimisers.lua — the figures of scripts/optimisers.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean with min–max whiskers, never one line per seed.

-- a style per method: colour, point type, dash type
local STYLE = {
  exact = { "#000000", 7, 1 },      -- filled circle, solid
  reinforce = { "#0072B2", 5, 2 },  -- filled square, dashed
  ppo = { "#009E73", 9, 3 },        -- filled triangle
  optimum = { "#CC79A7", 6, 4 },    -- open circle
  dpo = { "#D55E00", 13, 5 },       -- filled diamond
  bon = { "#E69F00", 11, 1 },       -- filled down triangle
}

-- what a method's strength is, in the legend
local function strength_name(method)
  if method == "bon" then return "n = " end
  if method == "dpo" then return "beta = " end
  return "KL coef. = "
end

-- "16 .. 0.25" over a method's strengths, in the order they were run
local function strengths(list)
  if #list == 0 then return "" end
  return string.format("%g .. %g", list[1], list[#list])
end

local kl_sweep = {
  name = "kl",
  what = "final true value, deception rate and proxy vs KL from pi0, one line per method",
  needs = { "run", "scenario", "overseer", "seed", "round", "method", "strength", "kl",
            "true_value", "deception_rate", "proxy_value" },
}
function kl_sweep.draw(P, rows)
  local finals = P.finals()
  -- per method, per strength: the final rounds of its seeds
  local methods, by = {}, {}
  for i, r in ipairs(finals) do
    local m, s = r.method, P.num(r, i, "strength")
    if not by[m] then by[m] = { order = {}, at = {} }; methods[#methods + 1] = m end
    local g = by[m]
    if not g.at[s] then g.at[s] = { kl = {}, tv = {}, dec = {}, px = {} }; g.order[#g.order + 1] = s end
    local a = g.at[s]
    a.kl[#a.kl + 1], a.tv[#a.tv + 1] = r.kl, r.true_value
    a.dec[#a.dec + 1], a.px[#a.px + 1] = r.deception_rate, r.proxy_value
  end
  local blocks, plots, runs = {}, { {}, {}, {} }, 0
  local bands = { {}, {}, {} }
  local klo, khi = math.huge, 0
  for i, m in ipairs(methods) do
    local pts = {}
    for _, s in ipairs(by[m].order) do
      local a = by[m].at[s]
      local k = P.stats(a.kl)
      local p = { k }
      for _, col in ipairs{ a.tv, a.dec, a.px } do
        local mean, lo, hi = P.stats(col)
        p[#p + 1], p[#p + 2], p[#p + 3] = mean, lo, hi
      end
      pts[#pts + 1] = p
      runs = math.max(runs, #a.kl)
      if k > 0 then klo, khi = math.min(klo, k), math.max(khi, k) end
    end
    table.sort(pts, function(a, b) return a[1] < b[1] end)
    blocks[#blocks + 1] = P.block("m" .. i, pts)
    for j = 1, 3 do
      local b = {}
      for _, p in ipairs(pts) do b[#b + 1] = { p[1], p[3 * j - 1], p[3 * j], p[3 * j + 1] } end
      bands[j][#bands[j] + 1] = b
    end
    local st = STYLE[m] or { P.palette[(i - 1) % #P.palette + 1], 7, 1 }
    local title = string.format("%s (%s%s)", m, strength_name(m), strengths(by[m].order))
    for j = 1, 3 do
      local c = 3 * j - 1
      local list = plots[j]
      list[#list + 1] = string.format("$m%d using 1:%d with lines lc rgb %s lw 2 dt %d notitle",
                                      i, c, P.q(st[1]), st[3])
      list[#list + 1] = string.format("$m%d using 1:%d:%d:%d with yerrorbars lc rgb %s pt %d "
        .. "ps 1.1 lw 1 notitle", i, c, c + 1, c + 2, P.q(st[1]), st[2])
      -- the key shows line and point together
      list[#list + 1] = string.format("keyentry with linespoints lc rgb %s pt %d ps 1.1 lw 2 "
        .. "dt %d title %s", P.q(st[1]), st[2], st[3], P.q(title))
    end
  end
  local whisk = string.format("keyentry with yerrorbars lc rgb '#777777' pt 7 ps 0 title %s",
                              P.q(string.format("whiskers: min–max over %s",
                                                P.plural(runs, "seed"))))
  plots[1][#plots[1] + 1] = whisk
  if klo > khi then klo, khi = 0.01, 1 end
  local xr = string.format("set xrange [%.6g:%.6g]", klo / 1.4, khi * 1.4)
  local function yr(j)
    local lo, hi = P.range(bands[j], 0.05, 0)
    return string.format("set yrange [%.6g:%.6g]", lo, hi)
  end
  local r1 = rows[1]
  local panels = {
    { "true value: what we wanted", "final true value E[v*] (value units)" },
    { "deception rate", "final deception rate (probability of a deceptive output)" },
    { "proxy value: what the reward model says",
      "final proxy value E[r] (reward-model units, BT logits)" },
  }
  local g = {
    table.concat(blocks, "\n"),
    -- room at the bottom for one key under the three panels
    "set multiplot layout 1,3 margins 0.05,0.99,0.22,0.87 spacing 0.06,0 title "
      .. P.q(string.format("optimisers on %s, overseer %s: each method's strength swept, "
      .. "final round (%d) against the KL it moved from pi0\npoint: mean over %s; "
      .. "whiskers: min–max; x: mean final KL", r1.scenario or "?", r1.overseer or "?",
      finals[1].round or 0, P.plural(runs, "seed"))),
    "set logscale x", xr, "set grid",
    "set xlabel " .. P.q("KL(pi || pi0) at the final round (nats, log scale)"),
    "set key at screen 0.5, screen 0.01 center bottom vertical maxrows 4 box font ',11'",
  }
  for j, p in ipairs(panels) do
    g[#g + 1] = table.concat({
      "set title " .. P.q(p[1]),
      "set ylabel " .. P.q(p[2]),
      yr(j),
      "plot " .. table.concat(plots[j], ", \\\n  "),
      "unset key",
    }, "\n")
  end
  return table.concat(g, "\n"), 1800, 780
end

return { kl_sweep }
