-- analysis/myopia.lua — the figure of scripts/myopia.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). Seeds: a mean with a min–max band per line.

local returns = {
  name = "returns",
  what = "true return per round, a line per teacher (now is worth 5, later 4)",
  needs = { "run", "overseer", "seed", "round", "true_return" },
}
function returns.draw(P, rows)
  local blocks, plots, runs = {}, {}, 0
  for i, name in ipairs(P.distinct("overseer")) do
    local t, n = P.band("overseer", name, "round", "true_return")
    runs = math.max(runs, n)
    blocks[#blocks + 1] = P.block("t" .. i, t)
    plots[#plots + 1] = P.band_plot("t" .. i, P.color(i), name, { dash = i })
  end
  plots[#plots + 1] = P.band_key(runs)
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q("myopia: a teacher who discounts trains the policy that waits for "
                        .. "less"),
    "set grid", "set key bottom left box", "set yrange [3.8:5.2]",
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("true return per episode (now 5, later 4)"),
    "plot " .. table.concat(plots, ", \\\n  "),
  }, "\n"), 1000, 650
end

local choice = {
  name = "choice",
  what = "the final policy's P(now) at the start, per teacher: one point per seed and "
    .. "their mean",
  needs = { "overseer" },
  beside = { table = "policy", needs = { "overseer", "seed", "state", "action",
                                         "probability" } },
}
function choice.draw(P, rows, prow)
  local names = P.distinct("overseer", prow)
  local blocks, plots, tics = {}, {}, {}
  for i, name in ipairs(names) do
    local pts, list = {}, {}
    for _, r in ipairs(prow) do
      if r.overseer == name and r.state == "start" and r.action == "now" then
        pts[#pts + 1] = { i, r.probability }
        list[#list + 1] = r.probability
      end
    end
    local m = P.stats(list) or 0
    blocks[#blocks + 1] = P.block("s" .. i, pts)
    blocks[#blocks + 1] = P.block("m" .. i, { { i, m } })
    plots[#plots + 1] = string.format("$m%d using 1:2:(0.3):(0) with boxxyerror fs solid 0.5 "
      .. "lc rgb %s title %s", i, P.q(P.color(i)), P.q(string.format("%s: mean over %s", name,
      P.plural(#list, "seed"))))
    plots[#plots + 1] = string.format("$s%d using 1:2 with points pt 7 ps 1.5 lc rgb %s "
      .. "notitle", i, P.q(P.color(i)))
    tics[#tics + 1] = string.format("%s %d", P.q(name), i)
  end
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q("myopia: which first move each teacher's labels trained"),
    "set grid y", "set key top right box",
    string.format("set xrange [0.4:%g]", #names + 0.6), "set yrange [-0.05:1.15]",
    "set xtics (" .. table.concat(tics, ", ") .. ")",
    "set ylabel " .. P.q("P(now) at the start (now: 5 at once; later: 4 at the end)"),
    "plot " .. table.concat(plots, ", \\\n  "),
  }, "\n"), 800, 600
end

return { returns, choice }
