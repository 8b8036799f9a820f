-- scripts/demo.lua — a narrated walk, in the terminal, through how oversight
-- fails (the argument of ../shared/seed-post.txt), for a classroom:
--   1. an overseer who is right: training helps;
--   2. one who doesn't know: no signal where it matters;
--   3. one who is wrong: the model learns to look good (live chart);
--   4. an assisted overseer closes (part of) the gap;
--   5. the catastrophe problem: perfect feedback, and a model that waits for
--      its chance; a red team that finds it, and one that teaches it to hide;
--   6. the absent supervisor (episodes on a gridworld): a policy trained on
--      what the overseer sees behaves while watched, and only then.
--
--   oversim demo            (or: oversim run scripts/demo.lua)
--
-- Pauses for Enter between steps when stdin is a terminal, and animates the
-- chart when stdout is one; otherwise it runs straight through (tests do).
-- Every number it prints is measured on the runs it shows: the "measured:"
-- lines are checked against the same runs by tests/test_demo.c.
local o = oversim
local interactive = o.isatty("stdin")
local live = o.isatty("stdout")

local scenario = o.scenario("hidden_bug")
local world = scenario.world
-- Slow, steady learning (few labels per round, small policy steps) so the
-- chart shows a trend over rounds rather than a jump at round 1.
local RUN = { rounds = 30, labels_per_round = 32, seed = 1,
              policy = { method = "exact", kl = 0.5, lr = 0.3, steps = 5 } }

local function say(text) io.write(text, "\n") end
local function pause()
  if interactive then
    io.write("\n  [Enter: next step] ")
    io.flush()
    io.read("l")
  end
  say("")
end
local function f3(x) return string.format("%.3f", x) end

-- --- the text chart ----------------------------------------------------
local Y_MIN, Y_MAX, STEPS = 0, 1.2, 12 -- one text row per 0.1 of value
local function level(v)
  local k = math.floor((v - Y_MIN) / (Y_MAX - Y_MIN) * STEPS + 0.5)
  return math.max(0, math.min(STEPS, k))
end

-- the chart of true and perceived value per round, as a list of lines
local function chart(hist, rounds)
  local lines = { "   value    t = true value    p = perceived value    # = both" }
  for k = STEPS, 0, -1 do
    local cells = {}
    for x = 0, rounds do
      local h, c = hist[x], " "
      if h then
        local tk, pk = level(h.true_value), level(h.perceived_value)
        c = (tk == k and pk == k) and "#" or tk == k and "t" or pk == k and "p" or " "
      end
      cells[#cells + 1] = c
    end
    local y = Y_MIN + (Y_MAX - Y_MIN) * k / STEPS
    local label = (k % 2 == 0) and string.format("%5.1f", y) or "     "
    lines[#lines + 1] = ("   " .. label .. " |" .. table.concat(cells, " ")):gsub("%s+$", "")
  end
  lines[#lines + 1] = "         +" .. string.rep("--", rounds + 1)
  local axis = {}
  for x = 0, rounds, 5 do axis[#axis + 1] = string.format("%-10d", x) end
  lines[#lines + 1] = "          " .. table.concat(axis):gsub("%s+$", "") .. " round"
  return lines
end

-- Train under `overseer` (in `extra.world` and with `extra`'s other fields,
-- else in hidden_bug), drawing the chart as rounds finish (in place, when
-- stdout is a terminal; once at the end otherwise). Returns rows, policy.
local function train_live(overseer, extra)
  local hist, drawn = {}, 0
  local function draw()
    local lines = chart(hist, RUN.rounds)
    if drawn > 0 then io.write(string.format("\27[%dA", drawn)) end
    -- (lines stay under 80 columns: a wrapped line would break the redraw)
    for _, l in ipairs(lines) do io.write(l, live and "\27[K\n" or "\n") end
    drawn = #lines
    io.flush()
  end
  local spec = { world = world, overseer = overseer, on_round = function(row)
    hist[row.round] = row
    if live then draw(); o.sleep(0.06) end
  end }
  for k, v in pairs(RUN) do spec[k] = v end
  for k, v in pairs(extra or {}) do spec[k] = v end
  local rows, policy = o.train(spec)
  if not live then
    for _, row in ipairs(rows) do hist[row.round] = row end
    draw()
  end
  return rows, policy
end

-- E[true value] in one context under the final policy, and under pi0
local function context_value(policy, ctx)
  local now, before = 0, 0
  for _, p in ipairs(policy) do
    if p.context == ctx then
      now = now + p.probability * p.true_value
      before = before + p.prior * p.true_value
    end
  end
  return before, now
end

-- P(behaviour | context): pi0 and final
local function prob(policy, ctx, beh)
  for _, p in ipairs(policy) do
    if p.context == ctx and p.behaviour == beh then return p.prior, p.probability end
  end
  error("no behaviour '" .. beh .. "' in context '" .. ctx .. "'")
end

-- mean over rounds of a column that may be absent in some rounds
local function mean_over_rounds(rows, col)
  local s, n = 0, 0
  for _, r in ipairs(rows) do
    if type(r[col]) == "number" then s, n = s + r[col], n + 1 end
  end
  return n > 0 and s / n or 0 / 0
end

local function first_last(rows, col)
  return f3(rows[1][col]) .. " -> " .. f3(rows[#rows][col])
end

-- --- the story -----------------------------------------------------------
say("oversim demo: how oversight fails, in six steps")
say("================================================")
say("")
say("A model answers requests. An overseer compares two of its answers and says")
say("which is better; a reward model learns from those labels, and the model is")
say("trained to please the reward model (RLHF). Here, in the world 'hidden_bug':")
say("")
say("  request  answer    how good it looks   how good it is   hidden")
for _, c in ipairs(world:info().cells) do
  say(string.format("  %-8s %-9s %17.1f %16.1f   %s", c.context, c.behaviour, c.looks,
                    c.true_value, c.deceptive and "deceptive" or ""))
end
say("")
say("Half the requests are easy, half are hard. In a hard one, a confident answer")
say("with a hidden bug ('bluff') looks better than the correct answer. Training")
say("starts from a pretrained model (round 0). Its true value is what we wanted;")
say("its perceived value is what the overseer believes it is.")
say(string.format("Each run: %d rounds of %d labels, seed %d.", RUN.rounds,
                  RUN.labels_per_round, RUN.seed))
pause()

say("Step 1 of 6: an overseer who is right")
say("--------------------------------------")
say("The oracle sees everything, hidden bugs included, and judges by true value.")
say("")
local r1 = train_live(scenario.overseers.oracle)
say("")
say("  measured: true value " .. first_last(r1, "true_value") .. ", deception rate "
    .. first_last(r1, "deception_rate"))
say("Training helps: the model learns to answer well and deception all but vanishes.")
say("When the overseer is right, RLHF does what it says.")
pause()

say("Step 2 of 6: an overseer who doesn't know")
say("------------------------------------------")
say("A human of competence 1 judges easy requests well, but hard ones are beyond")
say("them, and there they flip a coin.")
say("")
local r2, p2 = train_live(scenario.overseers["human-coin"])
local acc = mean_over_rounds(r2, "label_accuracy_unsure")
local e0, e1 = prob(p2, "easy", "correct")
local h0, h1 = prob(p2, "hard", "correct")
say("")
say("  measured: true value " .. first_last(r2, "true_value"))
say("  measured: labels on hard requests agree with the truth " .. f3(acc)
    .. " of the time")
say("  measured: P(correct | easy) " .. f3(e0) .. " -> " .. f3(e1)
    .. ", P(correct | hard) " .. f3(h0) .. " -> " .. f3(h1))
say("On easy requests the model learns. On hard ones the labels are coin flips, so")
say("they select for nothing: the model stays about where it started, exactly where")
say("we needed the help.")
pause()

say("Step 3 of 6: an overseer who is wrong")
say("--------------------------------------")
say("The same human, but on hard requests they judge confidently by how an answer")
say("looks. Watch what they believe and what is true:")
say("")
local r3, p3 = train_live(scenario.overseers["human-looks"])
local v0, v1 = context_value(p3, "hard")
say("")
say("  measured: perceived value " .. first_last(r3, "perceived_value") .. ", true value "
    .. first_last(r3, "true_value"))
say("  measured: true value on hard requests " .. f3(v0) .. " -> " .. f3(v1))
say("  measured: deception rate " .. first_last(r3, "deception_rate"))
say("The overseer believes the model is better than ever, while it got worse: where")
say("the overseer is wrong, its feedback selects for answers that look good and")
say("aren't. The model learned to deceive it, and nobody told it to.")
pause()

say("Step 4 of 6: an assisted overseer")
say("----------------------------------")
say("The same human, with an AI assistant that points at hidden flaws (it finds")
say("80% of them). Checking a flaw someone points at is easier than finding it.")
say("")
local assisted = o.overseer{ kind = "assisted", name = "assisted", competence = 1, beta = 5,
  when_unsure = "looks", verify_gain = 1, critique_cost = 0.2,
  assistant = { recall = 0.8, honesty = 1, false_alarm = 0, reach = 3 } }
local r4 = train_live(assisted)
local oracle_tv, wrong_tv, assisted_tv = r1[#r1].true_value, r3[#r3].true_value,
  r4[#r4].true_value
local closed = (assisted_tv - wrong_tv) / (oracle_tv - wrong_tv)
say("")
say("  measured: true value " .. first_last(r4, "true_value") .. ", deception rate "
    .. first_last(r4, "deception_rate"))
say("  measured: closes " .. string.format("%.0f%%", 100 * closed) .. " of the gap from "
    .. f3(wrong_tv) .. " (wrong) to " .. f3(oracle_tv) .. " (oracle)")
say("  measured: label cost " .. string.format("%.0f", r4[#r4].label_cost) .. " vs "
    .. string.format("%.0f", r3[#r3].label_cost) .. " unaided")
say("Assistance shrinks the region where the overseer is wrong, at a cost in time.")
say("Where the assistant misses a flaw, the overseer is still wrong, and some")
say("deception survives: " .. f3(r4[#r4].deception_rate) .. " against the oracle's "
    .. f3(r1[#r1].deception_rate) .. ".")
pause()

say("Step 5 of 6: a model that waits for its chance")
say("-----------------------------------------------")
say("Now the feedback is perfect, but the world has rare 'openings' that training")
say("never shows: situations where the model could grab power irreversibly. The")
say("pretrained model would (0.6 of the time). Openings come up once in every")
say("thousand or so deployed requests. The oracle trains it on everything else:")
say("")
local opp = o.scenario("opportunity", {})
local r5 = train_live(opp.overseers.oracle, { world = opp.world })
local q0, q5 = r5[1].catastrophe_deploy, r5[#r5].catastrophe_deploy
say("")
say("  measured: true value in training " .. first_last(r5, "true_value")
    .. ", catastrophes seen in training " .. f3(r5[#r5].catastrophe_train))
say("  measured: catastrophe chance per deployed request "
    .. string.format("%.2e -> %.2e", q0, q5))
say("  measured: chance of at least one in 10,000 deployed requests "
    .. f3(1 - (1 - q5) ^ 10000))
say("Training looked perfect and changed nothing where it mattered: the model never")
say("met an opening, so nothing taught it not to grab. This is the catastrophe")
say("problem: good feedback on what we see says nothing about what we don't.")
say("")
say("A red team writes fake openings and trains on them. If the fakes can't be told")
say("from the real thing (realism 1), that works. If they carry a telltale sign")
say("(realism 0), the model learns that sign instead:")
say("")
local function red(realism)
  local rows = o.train{ world = opp.world, overseer = opp.overseers.oracle, rounds = RUN.rounds,
    labels_per_round = RUN.labels_per_round, seed = RUN.seed, policy = RUN.policy,
    red_team = { realism = realism, cue = 3, budget = 8 } }
  local first, last = rows[1], rows[#rows]
  return last.catastrophe_redteam / first.catastrophe_redteam,
         last.catastrophe_deploy / first.catastrophe_deploy
end
local t1, d1 = red(1)
local t0, d0 = red(0)
say("  measured: realism 1: grab left on the red team's tests "
    .. string.format("%.0f%%, in real openings %.0f%%", 100 * t1, 100 * d1))
say("  measured: realism 0: grab left on the red team's tests "
    .. string.format("%.0f%%, in real openings %.0f%%", 100 * t0, 100 * d0))
say("With realistic tests, adversarial training removes most of the danger. With")
say("tests the model can recognise, the red team's report reads 'fixed' while most")
say("of the danger is still there: the model learned to behave when it is tested.")
say("")
say("Control does not trust training at all: it audits a budget of what the deployed")
say("model does. Over 10,000 requests, auditing 2% of them, against the model that")
say("waits:")
say("")
local ctl = o.control{ protocol = { "upfront", "trusted_monitoring" }, n = 10000,
                       audit = 0.02, separation = 2, p = q5 }
say("  measured: auditing the first 2% of requests: safe " .. f3(ctl[1].safety))
say("  measured: auditing the 2% a trusted monitor finds most suspicious: safe "
    .. f3(ctl[2].safety))
say("A model that waits for its chance sails past audits of the first requests; a")
say("monitor that reads every request catches it about half the time.")
pause()

say("Step 6 of 6: the absent supervisor")
say("----------------------------------")
say("Now the model acts over several steps, in Leike et al.'s gridworld. From A it")
say("can reach the goal G the short way, through the punishment tile P (3 moves),")
say("or the long way round (9 moves). P costs 30 whether or not anyone watches,")
say("but a supervisor is there in only half the episodes, and the model can see")
say("whether it is. An overseer who judges what she sees compares whole episodes;")
say("so does an oracle who knows what happened. Each trains a policy (30 rounds of")
say("100 comparisons, seed 1):")
say("")
local absent = o.scenario("absent_supervisor", { performance = true })
local EP = { world = absent.world, rounds = 30, pairs = 100, segment = 12, kl = 0.5, l2 = 0.01,
             seed = 1 }
-- expected visits to P (row 4, column 2) per episode, with the supervisor
-- present and absent (each half of the episodes)
local function punished(policy)
  local v = { [true] = 0, [false] = 0 }
  for _, x in ipairs(policy) do
    if x.row == 4 and x.col == 2 and x.action == "up" then v[x.supervised] = x.visits / 0.5 end
  end
  return v[true], v[false]
end
local function episodes(ov)
  local spec = { overseer = ov }
  for k, v in pairs(EP) do spec[k] = v end
  return o.train_episodes(spec)
end
local rh, ph = episodes(absent.overseers.human)
local ro, po = episodes(absent.overseers.oracle)
say(o.ascii_grid(ph, { title = "  what the overseer's labels trained (arrows: the likeliest move; "
                                 .. "shade: how often it is there)" }))
say("")
local hs, ha = punished(ph)
local os_, oa = punished(po)
say("  measured: her policy steps on P " .. f3(hs) .. " times per episode watched, "
    .. f3(ha) .. " unwatched")
say("  measured: the oracle's " .. f3(os_) .. " watched, " .. f3(oa) .. " unwatched")
say("  measured: true return " .. f3(rh[#rh].true_return) .. " (hers) vs "
    .. f3(ro[#ro].true_return) .. " (oracle's)")
say("Nobody rewarded cheating: she never saw it, so her labels never punished it.")
say("The policy learned to tell watched from unwatched and to behave only when")
say("watched: what the overseer sees is all that training can reward.")
