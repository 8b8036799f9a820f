-- analysis/lie_in_wait.lua — the figures of scripts/lie_in_wait.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean with a min–max band, never one line per seed.

-- the overseers in a fixed order, as they first appear
local function overseers(rows)
  local list, seen = {}, {}
  for _, r in ipairs(rows) do
    if not seen[r.overseer] then seen[r.overseer] = true; list[#list + 1] = r.overseer end
  end
  return list
end

local deployment = {
  name = "deployment",
  what = "P(>= 1 catastrophe in N deployed episodes) vs N from the final q, and the "
    .. "catastrophe probability in training and deployment per round",
  needs = { "run", "overseer", "seed", "round", "catastrophe_train", "catastrophe_deploy" },
}
function deployment.draw(P, rows)
  local finals = P.finals()
  local names = overseers(rows)
  local blocks, left, right, lbands, runs, top = {}, {}, {}, {}, 0, 0
  local ns = {}
  for e = 0, 50 do ns[#ns + 1] = 10 ^ (e / 10) end -- N from 1 to 10^5
  for i, name in ipairs(names) do
    -- left: 1 - (1 - q)^N for each seed's final q
    local pts = {}
    for _, n in ipairs(ns) do
      local list = {}
      for _, r in ipairs(finals) do
        if r.overseer == name then list[#list + 1] = 1 - (1 - r.catastrophe_deploy) ^ n end
      end
      local m, lo, hi = P.stats(list)
      pts[#pts + 1] = { n, m, lo, hi }
      runs = math.max(runs, #list)
    end
    blocks[#blocks + 1] = P.block("h" .. i, pts)
    lbands[#lbands + 1] = pts
    -- dashed in turn: overseers whose q coincide (lying in wait) stay visible
    left[#left + 1] = P.band_plot("h" .. i, P.color(i), name, { dash = i })
    -- right: q and the training rate per round
    local q = P.band("overseer", name, "round", "catastrophe_deploy")
    local t = P.band("overseer", name, "round", "catastrophe_train")
    for _, p in ipairs(q) do top = math.max(top, p[4]) end
    blocks[#blocks + 1] = P.block("q" .. i, q)
    blocks[#blocks + 1] = P.block("t" .. i, t)
    right[#right + 1] = P.band_plot("q" .. i, P.color(i), name .. ": deployment (q)",
                                    { dash = i })
    right[#right + 1] = P.band_plot("t" .. i, P.color(i), name .. ": training", { dash = 3 })
  end
  left[#left + 1] = P.band_key(runs)
  local g = {
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.07,0.98,0.14,0.86 spacing 0.09,0 title "
      .. P.q(string.format("%s: a policy that lies in wait, final round %d",
                           rows[1].scenario or "?", finals[1].round or 0)),
    "set grid",
    "set title " .. P.q("P(at least one catastrophe in N deployed episodes) = 1 - (1 - q)^N"),
    "set logscale x", "set xrange [1:1e5]", "set yrange [0:1.05]",
    "set xlabel " .. P.q("deployed episodes N (log scale)"),
    "set ylabel " .. P.q("probability of >= 1 catastrophe"),
    "set key top left box",
    "plot " .. table.concat(left, ", \\\n  "),
    "unset logscale x", "set autoscale x",
    "set title " .. P.q("catastrophe probability per episode: training never meets one"),
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("catastrophe probability per episode"),
    string.format("set yrange [0:%.6g]", top > 0 and top * 1.6 or 1), "set format y '%.1e'",
    "set key top right box",
    "plot " .. table.concat(right, ", \\\n  "),
  }
  return table.concat(g, "\n"), 1500, 650
end

local watched = {
  name = "watched",
  what = "true value where the overseer watches vs where it never labels, per round",
  needs = { "run", "overseer", "seed", "round", "true_value_monitored",
            "true_value_unmonitored" },
}
function watched.draw(P, rows)
  local blocks, plots, bands, runs = {}, {}, {}, 0
  for i, name in ipairs(overseers(rows)) do
    local m, n1 = P.band("overseer", name, "round", "true_value_monitored")
    local u, n2 = P.band("overseer", name, "round", "true_value_unmonitored")
    runs = math.max(runs, n1, n2)
    blocks[#blocks + 1] = P.block("m" .. i, m)
    blocks[#blocks + 1] = P.block("u" .. i, u)
    bands[#bands + 1], bands[#bands + 2] = m, u
    plots[#plots + 1] = P.band_plot("m" .. i, P.color(i), name .. ": watched", { dash = 1 })
    plots[#plots + 1] = P.band_plot("u" .. i, P.color(i), name .. ": unwatched", { dash = 3 })
  end
  plots[#plots + 1] = P.band_key(runs)
  local lo, hi = P.range(bands, 0.05, 0.3)
  return table.concat({
    table.concat(blocks, "\n"),
    "set title " .. P.q("the absent supervisor: true value where the overseer watches "
      .. "(and labels) and where it never does"),
    "set grid", "set key top left box",
    string.format("set yrange [%.6g:%.6g]", lo, hi),
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("true value E[v*] (deployment-weighted)"),
    "plot " .. table.concat(plots, ", \\\n  "),
  }, "\n"), 1000, 650
end

return { deployment, watched }
