-- analysis/weak_to_strong.lua — the figure of scripts/weak_to_strong.lua (run
-- by analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). One row per (weak size, salience, seed); seeds are shown as a mean
-- with min–max whiskers, never one line per seed.

local pgr = {
  name = "pgr",
  what = "PGR on preference accuracy and on the trained policy's true value vs the weak "
    .. "supervisor's size, a line per salience of the concept in the strong student",
  needs = { "seed", "weak", "salience", "pgr_accuracy", "pgr_value", "weak_accuracy",
            "student_accuracy", "ceiling_accuracy" },
}
function pgr.draw(P, rows)
  local saliences, seen = {}, {}
  for _, r in ipairs(rows) do
    if not seen[r.salience] then seen[r.salience] = true; saliences[#saliences + 1] = r.salience end
  end
  table.sort(saliences)
  local blocks, plots, runs = {}, { {}, {} }, 0
  for i, s in ipairs(saliences) do
    for j, col in ipairs{ "pgr_accuracy", "pgr_value" } do
      local pts, n = P.band("salience", s, "weak", col)
      runs = math.max(runs, n)
      local id = ("s%d%d"):format(i, j)
      blocks[#blocks + 1] = P.block(id, pts)
      local list = plots[j]
      list[#list + 1] = ("$%s using 1:2 with linespoints lc rgb %s lw 2 dt %d pt 7 title %s")
        :format(id, P.q(P.color(i)), i, P.q(("salience %g"):format(s)))
      list[#list + 1] = ("$%s using 1:2:3:4 with yerrorbars lc rgb %s pt 7 ps 0.8 notitle")
        :format(id, P.q(P.color(i)))
    end
  end
  local key = ("keyentry with yerrorbars lc rgb '#777777' pt 7 ps 0 title %s")
    :format(P.q("whiskers: min–max over " .. P.plural(runs, "seed")))
  plots[1][#plots[1] + 1] = key
  local g = {
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.07,0.98,0.14,0.86 spacing 0.09,0 title "
      .. P.q("weak-to-strong: the gap between a weak supervisor and the strong student's "
      .. "ceiling that the student trained on its labels recovers (PGR)"),
    "set grid", "set xlabel " .. P.q("features the weak supervisor sees (of the student's 8)"),
    "set yrange [-0.5:1.1]", "set key bottom right box",
    "set title " .. P.q("PGR on preference accuracy against the true value"),
    "set ylabel " .. P.q("PGR = (student - weak) / (ceiling - weak)"),
    "plot " .. table.concat(plots[1], ", \\\n  "),
    "set title " .. P.q("PGR on the true value of the policy each reward trains"),
    "plot " .. table.concat(plots[2], ", \\\n  "),
  }
  return table.concat(g, "\n"), 1500, 620
end

return { pgr, standard = false }
