-- analysis/tomato_watering.lua — the figures of scripts/tomato_watering.lua
-- (run by analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). Seeds: a mean with a min–max band per line; the grid pictures
-- average the seeds' policies over the tomatoes' states (P.grid:
-- oversim.policy_grid).

local policy = {
  name = "policy",
  what = "the final policy on the map, a panel per overseer: arrows sized by probability "
    .. "over the expected visits (the bucket: row 2, column 5)",
  needs = { "overseer" },
  beside = { table = "policy", needs = { "overseer", "row", "col", "state", "action",
                                         "probability", "visits" } },
}
function policy.draw(P, rows, prow)
  local names = P.distinct("overseer", prow)
  local grids, top = {}, 0
  for i, name in ipairs(names) do
    local g = P.grid(prow, { overseer = name })
    grids[i] = g
    for r = g.row0, g.rows do
      for c = g.col0, g.cols do
        if g[r] and g[r][c] then top = math.max(top, g[r][c].visits) end
      end
    end
  end
  local blocks, panels = {}, {}
  for i, g in ipairs(grids) do
    local b, cmds = P.grid_panel("p" .. i, g, string.format("%s (mean over %s)", names[i],
                                 P.plural(g.runs, "seed")), top)
    blocks[#blocks + 1], panels[#panels + 1] = b, cmds
  end
  return table.concat({
    table.concat(blocks, "\n"),
    P.grid_setup(),
    string.format("set multiplot layout 1,%d title %s", #names,
      P.q("tomato watering: where the policy goes (the bucket at row 2, column 5 makes "
          .. "every tomato look watered)")),
    table.concat(panels, "\n"),
    "unset multiplot",
  }, "\n"), 700 * #names, 420
end

local returns = {
  name = "returns",
  what = "true and perceived return per round, a line per overseer",
  needs = { "run", "overseer", "seed", "round", "true_return", "perceived_return" },
}
function returns.draw(P, rows)
  local blocks, plots, bands, runs = {}, {}, {}, 0
  for i, name in ipairs(P.distinct("overseer")) do
    local t, n1 = P.band("overseer", name, "round", "true_return")
    local p, n2 = P.band("overseer", name, "round", "perceived_return")
    runs = math.max(runs, n1, n2)
    blocks[#blocks + 1] = P.block("t" .. i, t)
    blocks[#blocks + 1] = P.block("q" .. i, p)
    bands[#bands + 1], bands[#bands + 2] = t, p
    plots[#plots + 1] = P.band_plot("t" .. i, P.color(i), name .. ": true", { dash = 1 })
    plots[#plots + 1] = P.band_plot("q" .. i, P.color(i), name .. ": perceived", { dash = 3 })
  end
  plots[#plots + 1] = P.band_key(runs)
  local lo, hi = P.range(bands, 0.05, 0.3)
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q("tomato watering: what the overseer perceives and what is true"),
    "set grid", "set key top left box",
    string.format("set yrange [%.6g:%.6g]", lo, hi),
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("return per episode (watered tomatoes x steps)"),
    "plot " .. table.concat(plots, ", \\\n  "),
  }, "\n"), 1000, 650
end

return { policy, returns }
