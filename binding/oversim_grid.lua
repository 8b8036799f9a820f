-- binding/oversim_grid.lua — pictures of an episodic policy on its gridworld,
-- compiled into the binary after binding/oversim.lua (cmake/embed.cmake) and
-- called with the module table: oversim.policy_grid sums a policy table
-- (oversim.train_episodes' second value, or its _policy.csv read back) per
-- map position; oversim.ascii_grid draws it as text. analysis/figlib.lua's
-- P.grid_panel draws the same numbers with gnuplot.
local M = ...
local fmt = string.format

-- oversim.policy_grid(policy [, opts]) -> grid
-- A gridworld policy table (the second value of oversim.train_episodes, or
-- its _policy.csv read back; several runs: their mean) per map position:
-- grid.rows, grid.cols (the largest row and column; row0, col0 the
-- smallest), grid.runs (how many), and grid[r][c] =
-- { visits = expected visits per episode (mean over runs), p = { action =
-- probability } (weighted by visits, over the states at the position:
-- tomato masks, runs), terminal = true/nil } for positions the agent can
-- be in; nil elsewhere (a wall). opts.supervised = true/false keeps the
-- states with the supervisor present/absent only; opts.overseer, the runs
-- of one overseer.
function M.policy_grid(policy, opts)
  opts = opts or {}
  if type(policy) ~= "table" then error("oversim.policy_grid: expected policy rows", 2) end
  local grid, runs, nrun = { rows = 0, cols = 0, row0 = math.huge, col0 = math.huge }, {}, 0
  local acc = {}
  for i, p in ipairs(policy) do
    if type(p.row) ~= "number" or type(p.col) ~= "number" then
      error(fmt("oversim.policy_grid: row %d has no map position (row, col): not a "
                .. "gridworld's policy", i), 2)
    end
    -- a map has at most 1000 rows and columns (GRID_MAX_SIDE): a table read
    -- from a CSV that says otherwise is refused, not drawn a billion squares wide
    for _, k in ipairs{ "row", "col" } do
      local v = p[k]
      if v ~= math.floor(v) or v < 1 or v > 1000 then
        error(fmt("oversim.policy_grid: row %d: %s must be an integer in 1..1000 (got %s)", i,
                  k, tostring(v)), 2)
      end
    end
    if (opts.supervised == nil or p.supervised == opts.supervised)
        and (opts.overseer == nil or p.overseer == opts.overseer) then
      local run = tostring(p.run)
      if not runs[run] then runs[run] = true; nrun = nrun + 1 end
      grid.rows, grid.cols = math.max(grid.rows, p.row), math.max(grid.cols, p.col)
      grid.row0, grid.col0 = math.min(grid.row0, p.row), math.min(grid.col0, p.col)
      local key = p.row .. "," .. p.col
      local a = acc[key] or { row = p.row, col = p.col, visits = 0, mass = {}, w = 0,
                              seen = {} }
      acc[key] = a
      -- a state's visits repeat on each of its action rows: count them once
      local skey = run .. "/" .. tostring(p.state)
      if not a.seen[skey] then a.seen[skey] = true; a.visits = a.visits + (p.visits or 0) end
      if p.terminal == true then a.terminal = true end
      if p.action and p.probability then
        -- visits-weighted; a position never visited still shows its policy
        local w = (p.visits or 0) + 1e-12
        a.mass[p.action] = (a.mass[p.action] or 0) + w * p.probability
        a.w = a.w + w * p.probability
      end
    end
  end
  for _, a in pairs(acc) do
    grid[a.row] = grid[a.row] or {}
    local cell = { visits = a.visits / math.max(nrun, 1), p = {}, terminal = a.terminal }
    for act, m in pairs(a.mass) do cell.p[act] = a.w > 0 and m / a.w or 0 end
    grid[a.row][a.col] = cell
  end
  grid.runs = nrun
  return grid
end

-- oversim.ascii_grid(policy [, opts]) -> string
-- The map as text, one panel per supervisor state the policy has (present,
-- absent) side by side, or the one opts.supervised asks for: each position
-- as two characters, the most probable move (^ v < >, or + when none has
-- probability >= 0.6; G for a goal) and how often the episode is there
-- (' ' never, then . : - = o * # % @ up to the most visited position of the
-- panel), inside a border; ## for walls. opts.overseer: one overseer's runs; opts.title.
local ARROWS = { up = "^", down = "v", left = "<", right = ">" }
local SHADES = { ".", ":", "-", "=", "o", "*", "#", "%", "@" }
function M.ascii_grid(policy, opts)
  opts = opts or {}
  local panels = {}
  local has = {}
  for _, p in ipairs(policy) do if p.supervised ~= nil then has[p.supervised] = true end end
  local which = opts.supervised ~= nil and { opts.supervised }
    or (has[true] and has[false]) and { true, false } or { has[false] and false or true }
  for _, sup in ipairs(which) do
    local g = M.policy_grid(policy, { supervised = sup, overseer = opts.overseer })
    local top = 0
    for r = 1, g.rows do
      for c = 1, g.cols do
        local cell = g[r] and g[r][c]
        if cell then top = math.max(top, cell.visits) end
      end
    end
    local lines = {}
    if #which > 1 or opts.supervised ~= nil then
      lines[1] = sup and "supervisor present" or "supervisor absent"
    end
    for r = g.row0 - 1, g.rows + 1 do
      local line = {}
      for c = g.col0 - 1, g.cols + 1 do
        local cell = g[r] and g[r][c]
        if not cell then
          line[#line + 1] = "##"
        else
          local best, bp = nil, -1
          for a, v in pairs(cell.p) do
            if v > bp or (v == bp and a < best) then best, bp = a, v end
          end
          local arrow = cell.terminal and "G" or (bp >= 0.6 and ARROWS[best] or "+")
          local shade = " "
          if top > 0 and cell.visits > 1e-3 * top then
            shade = SHADES[math.max(1, math.ceil(cell.visits / top * #SHADES))]
          end
          line[#line + 1] = arrow .. shade
        end
      end
      lines[#lines + 1] = table.concat(line)
    end
    panels[#panels + 1] = lines
  end
  local width = 0
  for _, l in ipairs(panels) do width = math.max(width, #l[#l]) end
  width = math.max(width, 18) + 4
  local out = {}
  if opts.title then out[1] = opts.title end
  for i = 1, #panels[1] do
    local parts = {}
    for k, l in ipairs(panels) do
      local s = l[i] or ""
      parts[k] = k < #panels and s .. string.rep(" ", width - #s) or s
    end
    out[#out + 1] = "  " .. table.concat(parts)
  end
  return table.concat(out, "\n")
end
