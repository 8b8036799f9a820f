-- scripts/weak_to_strong.lua — weak-to-strong generalisation (Burns et al.
-- 2023): can a strong reward model trained on a weak supervisor's labels do
-- better than the supervisor?
--
--   oversim run scripts/weak_to_strong.lua [seeds=5] [labels=2000] [l2=1000]
--       [weak=1,2,4,6] [salience=0,1,3] [confidence=0,0.75] [weak_beta=5] [kl=0.1]
--       [supervisor=weak] [out=results/weak_to_strong.csv]
--
-- A world of 16 contexts x 12 behaviours whose true value is linear in 8
-- Gaussian features of each output (v* = a . phi, no hidden facts; pi0 from a
-- flat Dirichlet). Three reward models (linear, Bradley-Terry, each on
-- `labels` labels on pairs from pi0, exactly as oversim.train's first round):
--   weak      sees only the first `weak` of the 8 features, trained on an
--             oracle's labels (beta 5): the weak supervisor;
--   student   the strong model: features (salience x v*, the 8 features), the
--             first standing for what pretraining taught it — the concept is
--             already there, salience says how plainly — trained on the weak
--             supervisor's labels (Boltzmann, beta `weak_beta`, on its reward);
--             with supervisor=oracle, on the oracle's labels instead;
--   ceiling   the strong model trained on the oracle's labels.
-- Each student is trained once per `confidence` alpha: 0 plainly, above 0
-- with Burns's auxiliary confidence loss (reward_model.confidence, core/rm.h:
-- each label's target mixed with the student's own hardened verdict).
-- Each is scored on the true world (core/w2s.h, exact): preference accuracy
-- against v* on pairs drawn from pi0, and the true value of the policy it
-- trains (the KL-regularised optimum at kl). PGR = (student - weak) /
-- (ceiling - weak) on each, per seed, then mean and a 95% interval over seeds
-- (oversim.ci). Rows: one per (weak, salience, confidence, seed), with the three models'
-- scores and both PGRs; `out` with _summary.
--
-- What it shows (tests/test_weak_to_strong.c checks these on 3 seeds):
--   * with salience 0 the student is a linear model over features that
--     include the weak one's: it mostly learns the weak supervisor's function
--     (accuracy PGR below 0.2 at every weak size);
--   * with the concept salient (3) the student recovers a large part of the
--     gap (accuracy PGR above 0.4 at every weak size, more than at salience 0):
--     its prior, which finds the salient concept cheaper than the weak
--     model's errors, pulls it to the truth where the weak labels are wrong —
--     Burns's finding, and its explanation, in miniature. Without a strong
--     prior (l2=1) it does not happen: the student fits the weak labels;
--   * the confidence loss (0.75) takes PGR above 0.8 where the concept is
--     salient (3), above the plain student's, on accuracy and on value: it
--     amplifies what the student already represents; where the concept is
--     absent (salience 0) it does not help (PGR below 0.2 at weak 1, 2, 4);
--   * oracle labels in place of the weak ones (supervisor=oracle,
--     confidence=0) give PGR 1 exactly: the student is then the ceiling.
local o = oversim
local opt = o.options{ seeds = 5, labels = 2000, weak = "1,2,4,6", salience = "0,1,3",
                       confidence = "0,0.75",
                       kl = 0.1, weak_beta = 5.0, l2 = 1000.0, supervisor = "weak",
                       out = "results/weak_to_strong.csv" }
if opt.supervisor ~= "weak" and opt.supervisor ~= "oracle" then
  error(("option 'supervisor' must be 'weak' or 'oracle' (got '%s')"):format(opt.supervisor), 0)
end
o.check_output(opt.out)
local function list(s)
  local t = {}
  for x in tostring(s):gmatch("[^,]+") do t[#t + 1] = assert(tonumber(x), "not a number: " .. x) end
  return t
end
local WEAK, SALIENCE, CONF = list(opt.weak), list(opt.salience), list(opt.confidence)
local C, B, D = 16, 12, 8
for _, d in ipairs(WEAK) do
  -- at D the weak model sees all the student does: no gap to recover
  if math.type(d) ~= "integer" or d < 1 or d >= D then
    error(("option 'weak': the weak model's features must be 1..%d, fewer than the "
           .. "student's %d (got %s)"):format(D - 1, D, d), 0)
  end
end

-- The world's draws for a seed: features phi[c][b], true direction a, pi0.
local function draws(seed)
  math.randomseed(seed)
  local function normal()
    local u1, u2 = 1 - math.random(), math.random()
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
  end
  local a, phi, prior = {}, {}, {}
  for k = 1, D do a[k] = normal() end
  for c = 1, C do
    phi[c], prior[c] = {}, {}
    for b = 1, B do
      local v = {}
      for k = 1, D do v[k] = normal() end
      phi[c][b] = v
      prior[c][b] = -math.log(1 - math.random())
    end
  end
  return { a = a, phi = phi, prior = prior }
end
local function vstar(dr, c, b)
  local v = 0
  for k = 1, D do v = v + dr.a[k] * dr.phi[c][b][k] end
  return v
end

-- A world on the draws: looks(c, b) its true value, features(c, b) a list.
local function world(dr, name, looks, features)
  local contexts, behaviours = {}, {}
  for c = 1, C do contexts[c] = o.context{ name = "c" .. c } end
  for b = 1, B do
    local l, p = {}, {}
    for c = 1, C do l["c" .. c], p["c" .. c] = looks(c, b), dr.prior[c][b] end
    behaviours[b] = o.behaviour{ name = "b" .. b, looks = l, prior = p }
  end
  local index = {}
  for b = 1, B do index["b" .. b] = b end
  return o.world{ name = name, contexts = contexts, behaviours = behaviours,
                  features = function(ctx, b) return features(ctx.index, index[b]) end }
end

local oracle = o.overseer{ name = "oracle", kind = "oracle", beta = 5 }
local hard = o.overseer{ name = "weak labels", kind = "oracle", beta = opt.weak_beta }
-- a reward model on `labels` labels on pairs from pi0: one round, no policy step
local function fit(w, overseer, seed, confidence)
  local _, policy = o.train{ world = w, overseer = overseer, seed = seed, rounds = 1,
                             labels_per_round = opt.labels, label_rounds = 1,
                             reward_model = { l2 = opt.l2, confidence = confidence },
                             policy = { steps = 0 } }
  return policy
end
local function reward_of(policy)
  local r = {}
  for _, p in ipairs(policy) do r[p.context .. "/" .. p.behaviour] = p.reward end
  return r
end

local rows = {}
for _, d in ipairs(WEAK) do
  for _, s in ipairs(SALIENCE) do
    for seed = 1, opt.seeds do
      local dr = draws(seed)
      local truth = world(dr, "truth", function(c, b) return vstar(dr, c, b) end,
                          function(c, b) return dr.phi[c][b] end)
      local strong = function(c, b)
        local f = { s * vstar(dr, c, b) }
        for k = 1, D do f[k + 1] = dr.phi[c][b][k] end
        return f
      end
      local weakf = function(c, b)
        local f = {}
        for k = 1, d do f[k] = dr.phi[c][b][k] end
        return f
      end
      -- the weak supervisor, trained on the oracle's labels
      local weak_pol = fit(world(dr, "weak", function(c, b) return vstar(dr, c, b) end, weakf),
                           oracle, seed)
      local wr = reward_of(weak_pol)
      -- the ceiling: strong features, the oracle's labels
      local ceiling_pol = fit(world(dr, "ceiling", function(c, b) return vstar(dr, c, b) end,
                                    strong), oracle, seed)
      local score = {}
      for name, pol in pairs{ weak = weak_pol, ceiling = ceiling_pol } do
        score[name] = o.reward_quality{ world = truth, rewards = pol, kl = opt.kl }
      end
      -- the student: strong features, the weak supervisor's preferences as its
      -- truth; with and without the confidence loss
      for _, alpha in ipairs(CONF) do
        local student_pol = opt.supervisor == "oracle"
          and fit(world(dr, "student", function(c, b) return vstar(dr, c, b) end, strong),
                  oracle, seed, alpha)
          or fit(world(dr, "student", function(c, b) return wr["c" .. c .. "/b" .. b] end,
                       strong), hard, seed, alpha)
        score.student = o.reward_quality{ world = truth, rewards = student_pol, kl = opt.kl }
        local row = { weak = d, salience = s, confidence = alpha, seed = seed,
                      labels = opt.labels, kl = opt.kl }
        for _, name in ipairs{ "weak", "student", "ceiling" } do
          row[name .. "_accuracy"] = score[name].accuracy
          row[name .. "_value"] = score[name].optimum_value
        end
        row.pgr_accuracy = o.pgr(row.student_accuracy, row.weak_accuracy, row.ceiling_accuracy)
        row.pgr_value = o.pgr(row.student_value, row.weak_value, row.ceiling_value)
        rows[#rows + 1] = row
      end
    end
  end
end
o.write_csv(opt.out, rows)

-- per (weak, salience): mean and 95% interval over seeds
local summary, at = {}, {}
for _, r in ipairs(rows) do
  local k = r.weak .. "/" .. r.salience .. "/" .. r.confidence
  if not at[k] then
    at[k] = { weak = r.weak, salience = r.salience, confidence = r.confidence, rows = {} }
    summary[#summary + 1] = at[k]
  end
  table.insert(at[k].rows, r)
end
for _, g in ipairs(summary) do
  for _, col in ipairs{ "weak_accuracy", "student_accuracy", "ceiling_accuracy",
                        "pgr_accuracy", "pgr_value" } do
    local xs = {}
    for _, r in ipairs(g.rows) do xs[#xs + 1] = r[col] end -- nil (no gap) left out
    if #xs > 0 then
      g[col] = o.mean(xs)
      if col:match("^pgr") and #xs > 1 then
        g[col .. "_lo"], g[col .. "_hi"] = o.ci(xs)
      end
    end
  end
  g.seeds, g.rows = #g.rows, nil
end
o.write_csv(o.sibling(opt.out, "summary"), summary)
o.print_table(summary, { "weak", "salience", "confidence", "seeds", "weak_accuracy", "student_accuracy",
  "ceiling_accuracy", { "pgr_accuracy", head = "PGR (accuracy)" },
  { head = "95% interval", fmt = function(r)
      return r.pgr_accuracy_lo and ("%.2f .. %.2f"):format(r.pgr_accuracy_lo, r.pgr_accuracy_hi)
        or "-" end },
  { "pgr_value", head = "PGR (value)" } },
  { title = ("weak-to-strong: %d labels each, mean over seeds"):format(opt.labels) })
print("wrote " .. opt.out .. ", " .. o.sibling(opt.out, "summary"))
