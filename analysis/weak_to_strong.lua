-- analysis/weak_to_strong.lua — the figure of scripts/weak_to_strong.lua (run
-- by analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). One row per (weak size, salience, confidence, seed); seeds are shown as a mean
-- with min–max whiskers, never one line per seed.

local pgr = {
  name = "pgr",
  what = "PGR on preference accuracy and on the trained policy's true value vs the weak "
    .. "supervisor's size, a line per salience of the concept in the strong student "
    .. "(dashed: with Burns's confidence loss)",
  needs = { "seed", "weak", "salience", "pgr_accuracy", "pgr_value", "weak_accuracy",
            "student_accuracy", "ceiling_accuracy" },
}
function pgr.draw(P, rows)
  -- a colour per salience, a dash per confidence-loss weight (an older CSV
  -- without the column: none)
  local saliences, alphas, seen = {}, {}, {}
  local function alpha(r) return r.confidence or 0 end
  for _, r in ipairs(rows) do
    if not seen["s" .. r.salience] then seen["s" .. r.salience] = true; saliences[#saliences + 1] = r.salience end
    if not seen["a" .. alpha(r)] then seen["a" .. alpha(r)] = true; alphas[#alphas + 1] = alpha(r) end
  end
  table.sort(saliences)
  table.sort(alphas)
  local blocks, plots, runs = {}, { {}, {} }, 0
  for i, s in ipairs(saliences) do
    for a, al in ipairs(alphas) do
      local title = #alphas > 1 and ("salience %g, confidence %g"):format(s, al)
        or ("salience %g"):format(s)
      for j, col in ipairs{ "pgr_accuracy", "pgr_value" } do
        local pts, n = P.band(function(r) return r.salience == s and alpha(r) == al end, nil,
                              "weak", col)
        runs = math.max(runs, n)
        local id = ("s%d_%d_%d"):format(i, a, j)
        blocks[#blocks + 1] = P.block(id, pts)
        local list = plots[j]
        list[#list + 1] = ("$%s using 1:2 with linespoints lc rgb %s lw 2 dt %d pt %d title %s")
          :format(id, P.q(P.color(i)), a, a == 1 and 7 or 5, P.q(title))
        list[#list + 1] = ("$%s using 1:2:3:4 with yerrorbars lc rgb %s pt 7 ps 0.8 notitle")
          :format(id, P.q(P.color(i)))
      end
    end
  end
  local key = ("keyentry with yerrorbars lc rgb '#777777' pt 7 ps 0 title %s")
    :format(P.q("whiskers: min–max over " .. P.plural(runs, "seed")))
  plots[1][#plots[1] + 1] = key
  local g = {
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.07,0.98,0.24,0.88 spacing 0.09,0 title "
      .. P.q("weak-to-strong: the gap between a weak supervisor and the strong student's "
      .. "ceiling that the student trained on its labels recovers (PGR)"),
    "set grid", "set xlabel " .. P.q("features the weak supervisor sees (of the student's 8)"),
    "set yrange [-0.5:1.1]", "set key at screen 0.5, screen 0.01 center bottom horizontal maxcols 3 box font \",9\"",
    "set title " .. P.q("PGR on preference accuracy against the true value"),
    "set ylabel " .. P.q("PGR = (student - weak) / (ceiling - weak)"),
    "plot " .. table.concat(plots[1], ", \\\n  "),
    "unset key", -- one legend, under both
    "set title " .. P.q("PGR on the true value of the policy each reward trains"),
    "plot " .. table.concat(plots[2], ", \\\n  "),
  }
  return table.concat(g, "\n"), 1500, 700
end

return { pgr, standard = false }
