-- analysis/naive_rlhf.lua — the figures of scripts/naive_rlhf.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean line and a min–max band, never one line per seed.

-- "round (64 labels per round)" when the CSV says how many
local function round_label(rows)
  local n = rows[1].labels_per_round
  if type(n) == "number" then return string.format("round (%d labels per round)", n) end
  return "round"
end

local function scenarios(P)
  return table.concat(P.distinct("scenario"), ", ")
end

local values = {
  name = "values",
  what = "true, perceived and proxy value per round, one panel per overseer",
  needs = { "scenario", "overseer", "seed", "round", "true_value", "perceived_value",
            "proxy_value" },
}
function values.draw(P, rows)
  local overseers = P.distinct("overseer")
  local blocks, bands, proxies, plots, runs = {}, {}, {}, {}, 0
  for i, o in ipairs(overseers) do
    local t, n = P.band("overseer", o, "round", "true_value")
    local p = P.band("overseer", o, "round", "perceived_value")
    local r = P.band("overseer", o, "round", "proxy_value")
    runs = math.max(runs, n)
    blocks[#blocks + 1] = P.block("t" .. i, t)
    blocks[#blocks + 1] = P.block("p" .. i, p)
    blocks[#blocks + 1] = P.block("r" .. i, r)
    bands[#bands + 1], bands[#bands + 2] = t, p
    proxies[#proxies + 1] = r
  end
  -- one scale for every panel, so panels compare at a glance
  -- (headroom: the legend sits above the curves, not on them)
  local lo, hi = P.range(bands, 0.05, 0.3)
  local lo2, hi2 = P.range(proxies, 0.05, 0.3)
  local g = { table.concat(blocks, "\n") }
  g[#g + 1] = string.format("set multiplot layout 1,%d title %s", #overseers,
    P.q(string.format("naive RLHF on %s: what we wanted (true value), what the overseer "
      .. "believes (perceived), what the reward model says (proxy)\nline: mean over %s; "
      .. "band: min–max", scenarios(P), P.plural(runs, "seed"))))
  for i, o in ipairs(overseers) do
    g[#g + 1] = table.concat({
      "set title " .. P.q("overseer: " .. o),
      "set xlabel " .. P.q(round_label(rows)),
      "set ylabel " .. P.q("true / perceived value (value units)"),
      "set y2label " .. P.q("proxy value E[r] (reward-model units)"),
      string.format("set yrange [%.6g:%.6g]", lo, hi),
      string.format("set y2range [%.6g:%.6g]", lo2, hi2),
      "set ytics nomirror", "set y2tics", "set grid",
      "set key top left opaque box",
      -- perceived is dashed over true: under the oracle they coincide and
      -- both stay visible
      "plot " .. table.concat({
        P.band_plot("t" .. i, "#000000", "true value E[v*]"),
        P.band_plot("p" .. i, "#D55E00", "perceived value E[u]", { dash = 2 }),
        P.band_plot("r" .. i, "#0072B2", "proxy value E[r] (right axis)",
                    { axes = "x1y2", dash = 3 }),
      }, ", \\\n  "),
    }, "\n")
  end
  return table.concat(g, "\n"), 600 * #overseers, 600
end

-- one mean line and band per overseer for column col: datablocks, the plot
-- command, the bands, the number of seeds
local function per_overseer(P, col)
  local overseers = P.distinct("overseer")
  local blocks, elems, bands, runs = {}, {}, {}, 0
  for i, o in ipairs(overseers) do
    local pts, n = P.band("overseer", o, "round", col)
    runs = math.max(runs, n)
    local name = col:sub(1, 1) .. i
    blocks[#blocks + 1] = P.block(name, pts)
    elems[#elems + 1] = P.band_plot(name, P.palette[(i - 1) % #P.palette + 1], o)
    bands[#bands + 1] = pts
  end
  elems[#elems + 1] = P.band_key(runs)
  return table.concat(blocks, "\n"), "plot " .. table.concat(elems, ", \\\n  "), bands, runs
end

-- y from a little below 0 (a line at 0 must not hide under the axis) to hi
local function yrange_from_zero(hi)
  return string.format("set yrange [%.6g:%.6g]", -0.03 * hi, hi)
end

-- when every band is 0 everywhere, the lines lie on top of each other: say so
local function note_if_all_zero(P, bands)
  local lo, hi = P.extent(bands)
  if lo == 0 and hi == 0 then
    return "set label 1 " .. P.q("0 for every overseer in every round")
      .. " at graph 0.5, graph 0.5 center"
  end
  return "unset label 1"
end

local deception = {
  name = "deception",
  what = "deception rate per round, one line per overseer",
  needs = { "scenario", "overseer", "seed", "round", "deception_rate" },
}
function deception.draw(P, rows)
  local blocks, plot, bands, runs = per_overseer(P, "deception_rate")
  local _, hi = P.range(bands, 0.05, 0.35)
  return table.concat({
    blocks,
    "set title " .. P.q(string.format("naive RLHF on %s: deception rate per round\n"
      .. "line: mean over %s; band: min–max", scenarios(P), P.plural(runs, "seed"))),
    "set xlabel " .. P.q(round_label(rows)),
    "set ylabel " .. P.q("deception rate (probability of a deceptive output)"),
    yrange_from_zero(math.min(1, math.max(hi, 0.05))),
    "set grid", "set key top right opaque box",
    plot,
  }, "\n"), 900, 600
end

local estimation = {
  name = "estimation",
  what = "overestimation vs underestimation per round (Lang et al. 2024)",
  needs = { "scenario", "overseer", "seed", "round", "overestimation", "underestimation" },
}
function estimation.draw(P, rows)
  local ob, oplot, obands, runs = per_overseer(P, "overestimation")
  local ub, uplot, ubands = per_overseer(P, "underestimation")
  local all = {}
  for _, b in ipairs(obands) do all[#all + 1] = b end
  for _, b in ipairs(ubands) do all[#all + 1] = b end
  local _, hi = P.range(all, 0.05, 0.35)
  return table.concat({
    ob, ub,
    "set multiplot layout 1,2 title " .. P.q(string.format("naive RLHF on %s: overestimation "
      .. "vs underestimation of the policy's outputs by the overseer (u: perceived value, "
      .. "v*: true value)\nline: mean over %s; band: min–max", scenarios(P), P.plural(runs, "seed"))),
    "set xlabel " .. P.q(round_label(rows)),
    yrange_from_zero(math.max(hi, 0.05)),
    "set grid", "set key top right opaque box",
    "set title " .. P.q("overestimation E[max(0, u − v*)]: deceptive inflation when it rises"),
    "set ylabel " .. P.q("overestimation (value units)"),
    note_if_all_zero(P, obands),
    oplot,
    "set title " .. P.q("underestimation E[max(0, v* − u)]: overjustification when it rises"),
    "set ylabel " .. P.q("underestimation (value units)"),
    note_if_all_zero(P, ubands),
    uplot,
  }, "\n"), 1300, 600
end

return { values, deception, estimation }
