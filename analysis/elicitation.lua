-- analysis/elicitation.lua — the figure of scripts/elicitation.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). One row per (overseer, method, capability, seed); seeds are shown as
-- a mean with a min–max band, never one line per seed.

local ladder = {
  name = "ladder",
  what = "true value and deception rate vs the base model's capability, a line per method, "
    .. "a column per overseer",
  needs = { "seed", "overseer", "method", "capability", "true_value", "deception_rate" },
}
function ladder.draw(P, rows)
  local overseers, methods, seen = {}, {}, {}
  for _, r in ipairs(rows) do
    if not seen["o" .. r.overseer] then seen["o" .. r.overseer] = true; overseers[#overseers + 1] = r.overseer end
    if not seen["m" .. r.method] then seen["m" .. r.method] = true; methods[#methods + 1] = r.method end
  end
  local blocks, panels, runs = {}, {}, 0
  for oi, ov in ipairs(overseers) do
    for ci, col in ipairs{ "true_value", "deception_rate" } do
      local plots = {}
      for mi, m in ipairs(methods) do
        local pts, n = P.band(function(r) return r.overseer == ov and r.method == m end, nil,
                              "capability", col)
        runs = math.max(runs, n)
        local id = ("b%d%d%d"):format(oi, ci, mi)
        blocks[#blocks + 1] = P.block(id, pts)
        plots[#plots + 1] = P.band_plot(id, P.color(mi), m, { dash = mi })
      end
      panels[#panels + 1] = { ov = ov, col = col, plots = plots }
    end
  end
  local g = {
    table.concat(blocks, "\n"),
    ("set multiplot layout 2,%d columnsfirst margins 0.07,0.98,0.09,0.9 spacing 0.08,0.1 "
      .. "title %s"):format(#overseers, P.q("eliciting a base model: prompting, best-of-n and "
      .. "RLHF on the same label budget across a capability ladder (band: min–max over "
      .. P.plural(runs, "seed") .. ")")),
    "set grid", "set key top left box font ',10'",
    "set xlabel " .. P.q("capability of the base model"),
  }
  for _, p in ipairs(panels) do
    g[#g + 1] = "set title " .. P.q(("%s: %s"):format(p.ov, p.col == "true_value"
      and "true value of the elicited policy" or "deception rate"))
    g[#g + 1] = "set ylabel " .. P.q(p.col == "true_value" and "true value E[v*]" or "deception rate")
    g[#g + 1] = p.col == "true_value" and "set yrange [-1.2:2.2]" or "set yrange [0:1.05]"
    g[#g + 1] = p.col == "true_value" and "set key top left box" or "set key center right box"
    g[#g + 1] = "plot " .. table.concat(p.plots, ", \\\n  ")
  end
  return table.concat(g, "\n"), 1400, 950
end

return { ladder, standard = false }
