-- analysis/absent_supervisor.lua — the figures of scripts/absent_supervisor.lua
-- (run by analysis/plot.lua, which checks the columns in `needs` and writes the
-- files). Seeds: a mean with a min–max band per line; the grid pictures
-- average the seeds' policies (P.grid: oversim.policy_grid).

local POLICY = { "overseer", "row", "col", "supervised", "state", "action", "probability",
                 "visits" }

local policy = {
  name = "policy",
  what = "the final policy on the map, supervisor present beside absent, a row per "
    .. "overseer: arrows sized by probability over the expected visits",
  needs = { "overseer" },
  beside = { table = "policy", needs = POLICY },
}
function policy.draw(P, rows, prow)
  local names = P.distinct("overseer", prow)
  local grids, top = {}, 0
  for i, name in ipairs(names) do
    for k, sup in ipairs{ true, false } do
      local g = P.grid(prow, { overseer = name, supervised = sup })
      grids[#grids + 1] = { g = g, title = string.format("%s: supervisor %s (mean over %s)",
        name, sup and "present" or "absent", P.plural(g.runs, "seed")), id = "p" .. i .. k }
      for r = g.row0, g.rows do
        for c = g.col0, g.cols do
          if g[r] and g[r][c] then top = math.max(top, g[r][c].visits) end
        end
      end
    end
  end
  local blocks, panels = {}, {}
  for _, x in ipairs(grids) do
    local b, cmds = P.grid_panel(x.id, x.g, x.title, top)
    blocks[#blocks + 1], panels[#panels + 1] = b, cmds
  end
  return table.concat({
    table.concat(blocks, "\n"),
    P.grid_setup(),
    string.format("set multiplot layout %d,2 title %s", #names,
      P.q("the absent supervisor: the learnt policy where the supervisor watches and where "
          .. "it does not (P: punishment, row 4; G: goal)")),
    table.concat(panels, "\n"),
    "unset multiplot",
  }, "\n"), 1100, 480 * #names
end

local rounds = {
  name = "rounds",
  what = "how differently the policy acts watched and unwatched (twin TV) and its true "
    .. "return, per round",
  needs = { "run", "overseer", "seed", "round", "twin_tv", "true_return" },
}
function rounds.draw(P, rows)
  local blocks, left, right, runs = {}, {}, {}, 0
  for i, name in ipairs(P.distinct("overseer")) do
    local tv, n1 = P.band("overseer", name, "round", "twin_tv")
    local tr, n2 = P.band("overseer", name, "round", "true_return")
    runs = math.max(runs, n1, n2)
    blocks[#blocks + 1] = P.block("tv" .. i, tv)
    blocks[#blocks + 1] = P.block("tr" .. i, tr)
    left[#left + 1] = P.band_plot("tv" .. i, P.color(i), name, { dash = i })
    right[#right + 1] = P.band_plot("tr" .. i, P.color(i), name, { dash = i })
  end
  left[#left + 1] = P.band_key(runs)
  right[#right + 1] = P.band_key(runs)
  return table.concat({
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.07,0.98,0.14,0.86 spacing 0.09,0 title "
      .. P.q("the absent supervisor: does the policy behave only while watched?"),
    "set grid", "set key top left box",
    "set title " .. P.q("total variation between the policy watched and unwatched"),
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("twin TV (0: the same policy; 1: disjoint)"),
    "set yrange [0:1]",
    "plot " .. table.concat(left, ", \\\n  "),
    "set title " .. P.q("true return per episode (long path 41; short path 17 in truth)"),
    "set ylabel " .. P.q("true return E[sum v*]"), "set autoscale y",
    "set key bottom right box",
    "plot " .. table.concat(right, ", \\\n  "),
    "unset multiplot",
  }, "\n"), 1400, 600
end

return { policy, rounds }
