-- tests/lua/elicitation.lua — what scripts/elicitation.lua's header claims,
-- read from its CSVs (tests/test_elicitation.c, 2 seeds), and the errors of
-- oversim.compare. claims() returns the list of claims that failed.
local read = require 'read_csv'
local M = {}

function M.claims(summary_path, threshold_path)
  local bad = {}
  local function check(ok, what) if not ok then bad[#bad + 1] = what end end
  local th = {}
  for _, r in ipairs(read(threshold_path)) do th[r.overseer .. "/" .. r.method] = r end
  -- the oracle: RLHF needs less capability than prompting
  local rp, rr = th["oracle/prompting"].capability, th["oracle/RLHF"].capability
  check(rr ~= nil and rp ~= nil and rr < rp, ("oracle: RLHF at %s, prompting at %s")
        :format(tostring(rr), tostring(rp)))
  -- the human: RLHF and best-of-n never reach the target; prompting does
  check(th["human-looks/RLHF"].capability == nil, "human: RLHF reached the target")
  check(th["human-looks/best-of-n"].capability == nil, "human: best-of-n reached the target")
  check(th["human-looks/prompting"].capability ~= nil, "human: prompting never reached it")
  -- the human: RLHF's deception above prompting's at every capability
  local at = {}
  for _, r in ipairs(read(summary_path)) do at[r.overseer .. "/" .. r.method .. "/" .. r.capability] = r end
  for cap = 0, 5 do
    local p, r = at["human-looks/prompting/" .. cap], at["human-looks/RLHF/" .. cap]
    check(r.deception_rate > p.deception_rate, "human, capability " .. cap .. ": RLHF's deception")
  end
  return bad
end

local S = "local o = oversim\nlocal s = o.scenario('ladder')\n"
M.errors = {
  { code = S .. "o.compare{ overseer = s.overseers.oracle, world = s.world, pairs = { { 'request1', 'ok', 'nope' } } }",
    msg = "t.lua:3: entry 1 of field 'pairs' of compare: behaviour 'nope' is not in the world" },
  { code = S .. "o.compare{ overseer = s.overseers.oracle, world = s.world, pairs = { { 'request1', 'ok', 'ok' } } }",
    msg = "t.lua:3: entry 1 of field 'pairs' of compare: two different behaviours of context "
       .. "'request1' are needed" },
  { code = S .. "o.compare{ overseer = s.overseers.oracle, world = s.world }",
    msg = "t.lua:3: field 'pairs' of compare is missing (a list of { context, a, b })" },
  { code = S .. "o.compare{ overseer = s.world, world = s.world, pairs = {} }",
    part = "t.lua:3: field 'overseer' of compare must be an overseer" },
  { code = S .. "local l, c = o.compare{ overseer = s.overseers.oracle, world = s.world,\n"
       .. "  pairs = { { 'request1', 'expert', 'weak' }, { 'hard', 'weak', 'expert' } } }\n"
       .. "assert(#l == 2 and c == 2)", ok = true },
  { code = "oversim.scenario('ladder', { capability = -1 })", part = "option 'capability' must be in [0, 50)" },
}

-- the oracle is right (beta 5, a gap of 1.6: P = 0.9997 per label) and a
-- judge beyond its competence by looks; the same seed, the same labels
function M.judgements()
  local s = oversim.scenario('ladder')
  local p = {}
  for i = 1, 200 do p[i] = { 'request1', 'expert', 'weak' } end
  local l1 = oversim.compare{ overseer = s.overseers.oracle, world = s.world, pairs = p, seed = 3 }
  local l2 = oversim.compare{ overseer = s.overseers.oracle, world = s.world, pairs = p, seed = 3 }
  local first = 0
  for i, l in ipairs(l1) do
    assert(l == l2[i], 'same seed, same labels')
    if l == 'first' then first = first + 1 end
  end
  assert(first >= 198, 'the oracle prefers expert: ' .. first)
  -- on the hard request a competence-1 human goes by looks: bluff (2.2) over expert (2.0)
  local h = oversim.compare{ overseer = s.overseers['human-looks'], world = s.world,
                             pairs = { { 'hard', 'bluff', 'expert' } }, seed = 1 }
  local n = 0
  for k = 1, 100 do
    local q = oversim.compare{ overseer = s.overseers['human-looks'], world = s.world,
                               pairs = { { 'hard', 'bluff', 'expert' } }, seed = k }
    if q[1] == 'first' then n = n + 1 end
  end
  -- P(bluff) = sigma(5 x 0.2) = 0.73: between 55 and 90 of 100 (4 sd)
  assert(n >= 55 and n <= 90, 'the human by looks: ' .. n .. ' of 100 ' .. h[1])
  return true
end

return M
