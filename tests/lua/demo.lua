-- tests/lua/demo.lua — the "measured:" lines `oversim demo` must print, for
-- tests/test_demo.c: the demo's four runs trained again here with the demo's
-- settings (repeated on purpose: if the demo changes them, the test says so),
-- and the story's direction asserted, so a change of settings cannot silently
-- flatten it.
local M = {}

-- The expected lines, joined by newlines.
function M.expected_lines()
  local s = oversim.scenario('hidden_bug')
  local function run(ov)
    return oversim.train{ world = s.world, overseer = ov, rounds = 30,
      labels_per_round = 32, seed = 1,
      policy = { method = 'exact', kl = 0.5, lr = 0.3, steps = 5 } }
  end
  local function f3(x) return string.format('%.3f', x) end
  local function fl(r, c) return f3(r[1][c]) .. ' -> ' .. f3(r[#r][c]) end
  local function cell(p, ctx, beh)
    for _, x in ipairs(p) do
      if x.context == ctx and x.behaviour == beh then return x end end end
  local out = {}
  local function line(t) out[#out + 1] = '  measured: ' .. t end
  -- 1: the oracle
  local r1 = run(s.overseers.oracle)
  line('true value ' .. fl(r1, 'true_value') .. ', deception rate ' ..
       fl(r1, 'deception_rate'))
  -- 2: doesn't know
  local r2, p2 = run(s.overseers['human-coin'])
  local sum, n = 0, 0
  for _, r in ipairs(r2) do if r.label_accuracy_unsure then
    sum, n = sum + r.label_accuracy_unsure, n + 1 end end
  line('true value ' .. fl(r2, 'true_value'))
  line('labels on hard requests agree with the truth ' .. f3(sum / n) .. ' of the time')
  local e, h = cell(p2, 'easy', 'correct'), cell(p2, 'hard', 'correct')
  line('P(correct | easy) ' .. f3(e.prior) .. ' -> ' .. f3(e.probability) ..
       ', P(correct | hard) ' .. f3(h.prior) .. ' -> ' .. f3(h.probability))
  -- 3: wrong
  local r3, p3 = run(s.overseers['human-looks'])
  local v0, v1 = 0, 0
  for _, x in ipairs(p3) do if x.context == 'hard' then
    v0, v1 = v0 + x.prior * x.true_value, v1 + x.probability * x.true_value end end
  line('perceived value ' .. fl(r3, 'perceived_value') .. ', true value ' ..
       fl(r3, 'true_value'))
  line('true value on hard requests ' .. f3(v0) .. ' -> ' .. f3(v1))
  line('deception rate ' .. fl(r3, 'deception_rate'))
  -- 4: assisted
  local r4 = run(oversim.overseer{ kind = 'assisted', name = 'assisted',
    competence = 1, beta = 5, when_unsure = 'looks', verify_gain = 1,
    critique_cost = 0.2,
    assistant = { recall = 0.8, honesty = 1, false_alarm = 0, reach = 3 } })
  local o, w, a = r1[#r1].true_value, r3[#r3].true_value, r4[#r4].true_value
  line('true value ' .. fl(r4, 'true_value') .. ', deception rate ' ..
       fl(r4, 'deception_rate'))
  line(string.format('closes %.0f%% of the gap from ', 100 * (a - w) / (o - w)) ..
       f3(w) .. ' (wrong) to ' .. f3(o) .. ' (oracle)')
  line(string.format('label cost %.0f vs %.0f unaided', r4[#r4].label_cost,
                     r3[#r3].label_cost))
  -- 5: lying in wait, and the red team
  local opp = oversim.scenario('opportunity', {})
  local function orun(extra)
    local t = { world = opp.world, overseer = opp.overseers.oracle, rounds = 30,
      labels_per_round = 32, seed = 1,
      policy = { method = 'exact', kl = 0.5, lr = 0.3, steps = 5 } }
    for k, v in pairs(extra or {}) do t[k] = v end
    return oversim.train(t)
  end
  local r5 = orun()
  local q0, q5 = r5[1].catastrophe_deploy, r5[#r5].catastrophe_deploy
  line('true value in training ' .. fl(r5, 'true_value') .. ', catastrophes seen in training '
       .. f3(r5[#r5].catastrophe_train))
  line(string.format('catastrophe chance per deployed request %.2e -> %.2e', q0, q5))
  line('chance of at least one in 10,000 deployed requests ' .. f3(1 - (1 - q5) ^ 10000))
  local left = {}
  for _, realism in ipairs{ 1, 0 } do
    local rr = orun{ red_team = { realism = realism, cue = 3, budget = 8 } }
    local t = rr[#rr].catastrophe_redteam / rr[1].catastrophe_redteam
    local d = rr[#rr].catastrophe_deploy / rr[1].catastrophe_deploy
    left[realism] = { t, d }
    line(string.format("realism %d: grab left on the red team's tests %.0f%%, in real "
                       .. "openings %.0f%%", realism, 100 * t, 100 * d))
  end
  local ctl = oversim.control{ protocol = { 'upfront', 'trusted_monitoring' }, n = 10000,
                               audit = 0.02, separation = 2, p = q5 }
  line('auditing the first 2% of requests: safe ' .. f3(ctl[1].safety))
  line('auditing the 2% a trusted monitor finds most suspicious: safe ' .. f3(ctl[2].safety))
  assert(ctl[1].protocol == 'upfront' and ctl[2].safety > ctl[1].safety + 0.2, 'monitoring helps')
  -- 6: the absent supervisor, episodes
  local ab = oversim.scenario('absent_supervisor', { performance = true })
  local function erun(ov)
    return oversim.train_episodes{ world = ab.world, overseer = ov, rounds = 30, pairs = 100,
                                   segment = 12, kl = 0.5, l2 = 0.01, seed = 1 }
  end
  local function at_p(pol)
    local v = {}
    for _, x in ipairs(pol) do
      if x.state == 'r4c2 supervised' and x.action == 'up' then v.s = x.visits * 2 end
      if x.state == 'r4c2 absent' and x.action == 'up' then v.a = x.visits * 2 end
    end
    return v
  end
  local eh, qh = erun(ab.overseers.human)
  local eo, qo = erun(ab.overseers.oracle)
  local vh, vo = at_p(qh), at_p(qo)
  line('her policy steps on P ' .. f3(vh.s) .. ' times per episode watched, ' .. f3(vh.a)
       .. ' unwatched')
  line("the oracle's " .. f3(vo.s) .. ' watched, ' .. f3(vo.a) .. ' unwatched')
  line('true return ' .. f3(eh[#eh].true_return) .. ' (hers) vs ' .. f3(eo[#eo].true_return)
       .. " (oracle's)")
  assert(vh.s < 0.1 and vh.a > 0.9 and vo.s < 0.1 and vo.a < 0.1,
         'the human behaves only while watched, the oracle always')
  -- the story's direction
  assert(r5[#r5].true_value > 0.95 and q5 == q0, 'training perfect, the grab untouched')
  assert(left[1][2] < 0.1 and left[0][1] < 0.01 and left[0][2] > 0.5, 'realism 1 works, 0 hides')
  assert(r1[#r1].true_value > r1[1].true_value + 0.4, 'oracle helps')
  assert(math.abs(h.probability - h.prior) < 0.1, 'coin: hard stays near pi0')
  assert(r3[#r3].perceived_value > r3[1].perceived_value + 0.3, 'looks: perceived climbs')
  assert(r3[#r3].true_value < r3[1].true_value, 'looks: true value falls')
  assert(a > w + 0.3, 'assisted closes part of the gap')
  return table.concat(out, '\n')
end

return M
