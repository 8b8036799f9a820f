-- analysis/red_team.lua — the figures of scripts/red_team.lua (run by
-- analysis/plot.lua, which checks the columns in `needs` and writes the files).
-- Seeds are shown as a mean with a min–max band, never one line per seed.

local NEEDS = { "run", "seed", "round", "cue", "realism", "red_team_budget",
                "red_team_search", "redteam_left", "deploy_left" }

-- the distinct values of column col (numbers sorted, else in order of appearance)
local function values(rows, col, pred)
  local list, seen = {}, {}
  for _, r in ipairs(rows) do
    local v = r[col]
    if v ~= nil and not seen[v] and (not pred or pred(r)) then seen[v] = true; list[#list + 1] = v end
  end
  if type(list[1]) == "number" then table.sort(list) end
  return list
end

-- the budget the cue-1 runs use: the script's main budget
local function main_budget(rows)
  for _, r in ipairs(rows) do
    if r.cue == 1 then return r.red_team_budget end
  end
  return rows[1].red_team_budget
end

local hiding = {
  name = "hiding",
  what = "the grab left on red-team inputs vs the real risk left, per round, a line per "
    .. "realism, a panel per cue (main budget, random search)",
  needs = NEEDS,
}
function hiding.draw(P, rows)
  local budget = main_budget(rows)
  local cues = values(rows, "cue")
  local realisms = values(rows, "realism")
  local blocks, panels, runs = {}, {}, 0
  for ci, cue in ipairs(cues) do
    local plots = {}
    for ri, realism in ipairs(realisms) do
      local function sel(r)
        return r.cue == cue and r.realism == realism and r.red_team_budget == budget
          and r.red_team_search == "random"
      end
      local d, n1 = P.band(sel, nil, "round", "deploy_left")
      local t, n2 = P.band(sel, nil, "round", "redteam_left")
      runs = math.max(runs, n1, n2)
      local id = string.format("c%dr%d", ci, ri)
      blocks[#blocks + 1] = P.block("d" .. id, d)
      blocks[#blocks + 1] = P.block("t" .. id, t)
      plots[#plots + 1] = P.band_plot("d" .. id, P.color(ri),
                                      string.format("realism %g: real openings", realism),
                                      { dash = 1 })
      plots[#plots + 1] = P.band_plot("t" .. id, P.color(ri),
                                      string.format("realism %g: red-team inputs", realism),
                                      { dash = 3 })
    end
    panels[#panels + 1] = { cue = cue, plots = plots }
  end
  local g = {
    table.concat(blocks, "\n"),
    string.format("set multiplot layout 1,%d margins 0.06,0.98,0.12,0.86 spacing 0.07,0 "
      .. "title %s", #panels, P.q(string.format("adversarial training by an oracle, %d "
      .. "red-team inputs a round (random search): what is left of the round-0 grab; "
      .. "band: min–max over %s", budget, P.plural(runs, "seed")))),
    "set grid", "set yrange [0:1.05]",
    "set xlabel " .. P.q(P.round_label()),
    "set ylabel " .. P.q("share of the round-0 catastrophe probability left"),
    "set key top right box font ',10'",
  }
  for _, p in ipairs(panels) do
    g[#g + 1] = "set title " .. P.q(string.format("test cue of strength %g x (1 - realism)",
                                                   p.cue))
    g[#g + 1] = "plot " .. table.concat(p.plots, ", \\\n  ")
  end
  return table.concat(g, "\n"), 1600, 650
end

local final = {
  name = "final",
  what = "the real risk left at the last round vs realism (a line per cue and search) and "
    .. "vs the red team's budget (cue 3, a line per realism and search)",
  needs = NEEDS,
}
function final.draw(P, rows)
  local finals = P.finals()
  local budget = main_budget(rows)
  local blocks, left, right, runs = {}, {}, {}, 0
  local k = 0
  for _, cue in ipairs(values(finals, "cue")) do
    for si, search in ipairs{ "random", "adversarial" } do
      k = k + 1
      local pts, n = P.band(function(r)
        return r.cue == cue and r.red_team_search == search and r.red_team_budget == budget
      end, nil, "realism", "deploy_left", finals)
      runs = math.max(runs, n)
      blocks[#blocks + 1] = P.block("r" .. k, pts)
      left[#left + 1] = P.band_plot("r" .. k, P.color(cue == 1 and 1 or 3),
                                    string.format("cue %g, %s", cue, search), { dash = si })
    end
  end
  local budgets = values(finals, "red_team_budget", function(r) return r.cue == 3 end)
  for ri, realism in ipairs(values(finals, "realism")) do
    for si, search in ipairs{ "random", "adversarial" } do
      local pts = P.band(function(r)
        return r.cue == 3 and r.realism == realism and r.red_team_search == search
      end, nil, "red_team_budget", "deploy_left", finals)
      local id = string.format("b%d%d", ri, si)
      blocks[#blocks + 1] = P.block(id, pts)
      right[#right + 1] = P.band_plot(id, P.color(ri),
                                      string.format("realism %g, %s", realism, search),
                                      { dash = si })
    end
  end
  left[#left + 1] = P.band_key(runs)
  return table.concat({
    table.concat(blocks, "\n"),
    "set multiplot layout 1,2 margins 0.06,0.98,0.12,0.86 spacing 0.08,0 title "
      .. P.q(string.format("the real catastrophe risk left after %d rounds of adversarial "
      .. "training (share of pi0's)", finals[1].round or 0)),
    "set grid", "set yrange [0:1.05]",
    "set ylabel " .. P.q("share of the round-0 deployment risk q left"),
    "set title " .. P.q(string.format("vs realism (%d inputs a round)", budget)),
    "set xlabel " .. P.q("realism of the red team's inputs (1: indistinguishable)"),
    "set xrange [-0.05:1.05]", "set key top right box font ',10'",
    "plot " .. table.concat(left, ", \\\n  "),
    "set title " .. P.q("vs budget (test cue 3)"),
    "set xlabel " .. P.q("red-team inputs a round (log scale)"),
    "set logscale x 2",
    string.format("set xrange [%g:%g]", (budgets[1] or 1) / 1.3, (budgets[#budgets] or 2) * 1.3),
    "plot " .. table.concat(right, ", \\\n  "),
  }, "\n"), 1600, 650
end

-- the standard per-round figures would draw a line per configuration (48): the
-- two above are the ones to read
return { hiding, final, standard = false }
