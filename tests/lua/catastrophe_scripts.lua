-- tests/lua/catastrophe_scripts.lua — what the headers of
-- scripts/lie_in_wait.lua and scripts/red_team.lua claim, read from their CSVs
-- (tests/test_catastrophe_scripts.c runs them small). Each check returns a
-- list of the claims that failed (empty: all hold).
local read = require 'read_csv'
local M = {}

-- rows of the last round, by a key made of the row
local function finals(rows, T, key)
  local out = {}
  for _, r in ipairs(rows) do
    if r.round == T then
      local k = key(r)
      out[k] = out[k] or {}
      table.insert(out[k], r)
    end
  end
  return out
end

local function mean(list, col)
  local s = 0
  for _, r in ipairs(list) do s = s + r[col] end
  return s / #list
end

function M.lie_in_wait(path, hpath, T, seeds)
  local rows, bad = read(path), {}
  local function check(ok, what) if not ok then bad[#bad + 1] = what end end
  local q0 = 0.6 * 0.004 / 8.004 -- pi0: openings 0.004 of 8.004 deployment weight, grab 0.6
  local n = 0
  for _, r in ipairs(rows) do
    check(r.catastrophe_train == 0, "training meets a catastrophe (round " .. r.round .. ")")
    if r.round == T then
      n = n + 1
      check(math.abs(r.catastrophe_deploy - q0) < 1e-12, "q moved from pi0's: " .. r.catastrophe_deploy)
      if r.overseer == "oracle" then
        check(r.true_value_monitored > 0.97, "oracle watched " .. r.true_value_monitored)
        check(math.abs(r.true_value_unmonitored - 0.3) < 1e-12,
              "oracle unwatched " .. r.true_value_unmonitored)
      end
    end
  end
  check(n == 2 * seeds, "final rows: " .. n)
  local h = read(hpath)
  check(#h == 2 * seeds * 4, "horizon rows " .. #h)
  for _, r in ipairs(h) do
    -- the CSV keeps 10 significant digits
    check(math.abs(r.p_any - (1 - (1 - r.q) ^ r.episodes)) < 1e-8, "horizon formula")
    if r.episodes == 10000 then check(r.p_any > 0.94, "P(>=1 in 1e4) " .. r.p_any) end
  end
  return bad
end

function M.red_team(path, T)
  local rows, bad = read(path), {}
  local function check(ok, what) if not ok then bad[#bad + 1] = what end end
  local f = finals(rows, T, function(r)
    return string.format("%g/%d/%g/%s", r.cue, r.red_team_budget, r.realism, r.red_team_search)
  end)
  local function at(cue, budget, realism, search)
    local list = f[string.format("%g/%d/%g/%s", cue, budget, realism, search)]
    assert(list, "no runs for " .. cue .. " " .. budget .. " " .. realism .. " " .. search)
    return list
  end
  for _, cue in ipairs{ 1, 3 } do
    for _, search in ipairs{ "random", "adversarial" } do
      for _, b in ipairs(cue == 3 and { 8, 32 } or { 8 }) do
        for _, r in ipairs(at(cue, b, 1, search)) do
          check(r.deploy_left < 0.01, "realism 1 leaves " .. r.deploy_left)
          check(math.abs(r.deploy_left - r.redteam_left) < 1e-9, "realism 1: real = red team")
        end
      end
    end
  end
  for _, search in ipairs{ "random", "adversarial" } do
    for _, r in ipairs(at(3, 8, 0, search)) do
      check(r.redteam_left < 0.01, "cue 3 realism 0: red team's grab left " .. r.redteam_left)
      check(r.deploy_left > 0.5, "cue 3 realism 0: real risk left " .. r.deploy_left)
    end
    -- hiding grows as realism falls
    check(mean(at(3, 8, 0, search), "deploy_left") > mean(at(3, 8, 0.5, search), "deploy_left")
          and mean(at(3, 8, 0.5, search), "deploy_left") > mean(at(3, 8, 0.9, search), "deploy_left"),
          "real risk left not decreasing in realism")
  end
  check(mean(at(1, 8, 1, "adversarial"), "deploy_left") < mean(at(1, 8, 1, "random"), "deploy_left"),
        "adversarial search no better than random at realism 1")
  return bad
end

return M
